#!/usr/bin/env bash
# What each step of the gateway's pipeline costs a request of issue 28's config (tracing off), in instructions counted by
# callgrind: one row per step left out of UseGateway, against the same config with every step in and against bare YARP.
#   bench/instructions/steps.sh            (about 12 minutes on two cores; run.sh's options apply: WINDOWS, REQUESTS, ...)
#   OUT=FILE (default /tmp/gateway-steps.md) STEPS="UseProxyStatus ..." (default: every step below, and all of them at once)
# The steps are left out of a copy of the working tree (GatewayExtensions.cs rewritten there, never here), which reads
# the steps to leave out from GATEWAY_BENCH_SKIP. A left-out step's row says what the step costs when it is in; the
# figures of steps do not add up exactly (a step's async frame costs less when the next one has none, and the other way).
# Not in the list: UseRouting (nothing routes without it), UseGatewayAuthentication and UseGatewayAuthorization (without
# them WebApplication puts ASP.NET Core's own middleware in front of every request, so the row would measure that), and
# YARP's session affinity, load balancing and passive health checks (bare YARP has them too).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-/tmp/gateway-steps.md}
ALL_STEPS="UseGatewayMetrics UseProxyStatus UseGatewayExceptionHandler UseRequestTargetCheck UseAdminNoRouteProblems
  UseGatewayRedirects UseGatewayRequestTimeouts UseGatewayMaintenance UseGatewayRateLimiting UseGatewayCaching
  UseOverloadShedding UseUpstreamFailures UseGrpcDeadline UseRequestBodyLimit UseUpstreamTiming UseUpstreamRetries"
STEPS=${STEPS:-$ALL_STEPS}

COPY=$(mktemp -d /tmp/gateway-steps.XXXXXX)
trap 'rm -rf "$COPY"' EXIT
# The working tree as it is, without build output.
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$COPY" 2>/dev/null || true)
python3 - "$COPY/src/Gateway/GatewayExtensions.cs" $STEPS <<'EOF'
import re, sys
path, steps = sys.argv[1], set(sys.argv[2:])
source = open(path).read()
count = 0
def wrap(match):
    global count
    indent, call, name = match.group(1), match.group(2), match.group(3)
    if name not in steps:
        return match.group(0)
    count += 1
    return f'{indent}if (!(" " + System.Environment.GetEnvironmentVariable("GATEWAY_BENCH_SKIP") + " ").Contains(" {name} ") && System.Environment.GetEnvironmentVariable("GATEWAY_BENCH_SKIP") != "ALL") {call}'
source = re.sub(r"^(\s+)((?:app|proxy)\.(Use\w+)\(\);)$", wrap, source, flags=re.M)
if count != len(steps):
    sys.exit(f"steps.sh: found {count} of the {len(steps)} steps in UseGateway; the list above needs updating")
open(path, "w").write(source)
EOF

ROWS_TEXT="step-ALL|the same, every step of the list left out (routing, the authentication and authorization branches and YARP's own steps kept)|gateway|OTEL_SDK_DISABLED=true GATEWAY_BENCH_SKIP=ALL|@ISSUE_EDITS@|1"
ONLY_ROWS="yarp issue issue-notrace step-ALL" # issue: the row the others call "the same"
for step in $STEPS; do
  ROWS_TEXT+=$'\n'"step-$step|the same, without $step|gateway|OTEL_SDK_DISABLED=true GATEWAY_BENCH_SKIP=$step|@ISSUE_EDITS@|1"
  ONLY_ROWS+=" step-$step"
done
MEASURED_ONLY=1 COMMIT="$(git -C "$ROOT" rev-parse --short HEAD), steps switchable" EXTRA_ROWS="$ROWS_TEXT" ONLY="$ONLY_ROWS" SOURCE=tree ATTRIBUTE=0 OUT="$OUT" bash "$COPY/bench/instructions/run.sh"
