#!/usr/bin/env bash
# Instructions per request under valgrind's callgrind (issue 28): bare YARP, bare YARP + OpenTelemetry, bare YARP with
# ASP.NET Core's rate limiter (alone, with a counter of answers, with tracing) and with prometheus-net's metrics, the
# gateway with every feature (bench/configs/gateway-instructions.json), one row per feature switched off by
# configuration, the gateway with OTEL_SDK_DISABLED=true and with Tracing:SampleRatio 0.01. One command, run by hand:
#   bench/instructions/run.sh
# Options (environment): WARMUP=1500 WINDOWS=5 REQUESTS=500 CONNECTIONS=8 JOBS=2 BASE_PORT=18600 ONLY="yarp full ..."
#   OUT=docs/benchmarks-instructions.md ATTRIBUTE=1 (also the attribution report, bench/instructions/attribute.py)
#   SOURCE=HEAD (git archive of the last commit) or SOURCE=tree (the working tree as it is)
#   EXTRA_ROWS="name|label|kind|environment|edits|notoken" more rows, one a line (steps.sh)
#   MEDIANS=FILE also writes "name median" and "name.min minimum" lines there (InstructionBudgetTests reads them)
#   KEEP=DIR copies the callgrind dumps, perf maps, results and logs there before the work folder is deleted (to rerun
#   attribute.py without valgrind: attribute.py DIR/cg.attribution.N DIR/perf-PID.map REQUESTS)
# Counts are per process and deterministic up to background work (timers, GC), so rows run JOBS at a time; each row
# reports the median and the minimum of its windows. Builds HEAD (git archive) once; everything it starts is stopped on
# exit.
set -euo pipefail
WARMUP=${WARMUP:-1500}
WINDOWS=${WINDOWS:-5}
REQUESTS=${REQUESTS:-500}
CONNECTIONS=${CONNECTIONS:-8}
JOBS=${JOBS:-2}
BASE_PORT=${BASE_PORT:-18600}
ATTRIBUTE=${ATTRIBUTE:-1}
TOP=${TOP:-25}
SOURCE=${SOURCE:-HEAD}
MEDIANS=${MEDIANS:-}
KEEP=${KEEP:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/instructions"
OUT=${OUT:-$ROOT/docs/benchmarks-instructions.md}
COMMAND="WARMUP=$WARMUP WINDOWS=$WINDOWS REQUESTS=$REQUESTS CONNECTIONS=$CONNECTIONS bench/instructions/run.sh"
WORK=$(mktemp -d /tmp/gateway-instructions.XXXXXX)
NGINX=
cleanup() {
  local pid
  for pid in $(cat "$WORK"/pid.* 2>/dev/null) $NGINX; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "$KEEP" ]]; then
    mkdir -p "$KEEP"
    cp -p "$WORK"/cg.* "$WORK"/perf-*.map "$WORK"/result.* "$WORK"/pid.* "$WORK"/*.log "$WORK"/rows "$KEEP"/ 2>/dev/null || true
    cp -p /tmp/perf-"$(cat "$WORK/pid.attribution" 2>/dev/null)".map "$KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[instructions %s] %s\n' "$(date -u +%T)" "$*" >&2; }
for tool in valgrind callgrind_control nginx python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: valgrind nginx-light python3 curl)" >&2; exit 1; }
done

# ---------------------------------------------------------------- build once
COMMIT=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [[ "$SOURCE" == HEAD ]]; then
  mkdir -p "$WORK/src"
  git -C "$ROOT" archive HEAD | tar -x -C "$WORK/src"
  TREE="$WORK/src"
else
  TREE="$ROOT" # the working tree as it is; bin/ and obj/ still go to $WORK (--artifacts-path), not into the tree
  COMMIT="$COMMIT (working tree)"
fi
log "building $COMMIT (Release)"
dotnet build "$TREE/bench/instructions/Targets.proj" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q \
  >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
GATEWAY="$WORK/artifacts/bin/Gateway.Host/release/Gateway.Host.dll"
YARP="$WORK/artifacts/bin/BareYarp/release/BareYarp.dll"

# ---------------------------------------------------------------- upstream: nginx `return 200`
UPSTREAM=$BASE_PORT
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$UPSTREAM; location / { return 200 "ok\n"; } }
}
CONF
nginx -e "$WORK/nginx/startup.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX=$!

# ---------------------------------------------------------------- rows
BASE_CONFIG="$TREE/bench/configs/gateway-instructions.json"
TOKEN=$(python3 "$HERE/bearer.py" "$BASE_CONFIG")
# Issue 28's own table measured bench/configs/gateway-full.json, which has fewer features on its route than this config.
ISSUE_EDITS="-ReverseProxy:Routes:bench:AuthorizationPolicy -ReverseProxy:Routes:bench:OutputCachePolicy Logging:LogLevel:Gateway.AccessLog=\"Warning\""
# name | label | kind (yarp/gateway) | environment | config edits (variant.py) | 1 to send no token | more valgrind options
ROWS=(
  "yarp|bare YARP (bench/BareYarp)|yarp|||"
  "yarp-otel|bare YARP + OpenTelemetry tracing (BARE_YARP_TRACING=1)|yarp|BARE_YARP_TRACING=1||"
  "yarp-ratelimit|bare YARP + ASP.NET Core's rate limiter as its docs show it (BARE_YARP_RATELIMIT=1: a fixed window per client address)|yarp|BARE_YARP_RATELIMIT=1||"
  "yarp-counter|bare YARP + one prometheus-net counter of answers by route and code (BARE_YARP_METRICS=counter)|yarp|BARE_YARP_METRICS=counter||"
  "yarp-ratelimit-counter|bare YARP + that rate limiter + that counter|yarp|BARE_YARP_RATELIMIT=1 BARE_YARP_METRICS=counter||"
  "yarp-ratelimit-otel|bare YARP + that rate limiter + OpenTelemetry tracing|yarp|BARE_YARP_RATELIMIT=1 BARE_YARP_TRACING=1||"
  "yarp-ratelimit-sampled|bare YARP + that rate limiter + OpenTelemetry tracing, 1% parent-based sampling (BARE_YARP_SAMPLE_RATIO=0.01)|yarp|BARE_YARP_RATELIMIT=1 BARE_YARP_TRACING=1 BARE_YARP_SAMPLE_RATIO=0.01||"
  "yarp-metrics|bare YARP + prometheus-net's HTTP metrics as its docs show them (BARE_YARP_METRICS=1: UseHttpMetrics)|yarp|BARE_YARP_METRICS=1||"
  "full|gateway, every feature on|gateway|||"
  "no-ratelimit|gateway, rate limiting off (no RateLimiterPolicy on the route)|gateway||-ReverseProxy:Routes:bench:RateLimiterPolicy|"
  "no-overload|gateway, overload limits off (no Overload section)|gateway||-Overload|"
  "no-retries|gateway, retries off (Retries:Attempts 0)|gateway||Retries:Attempts=0|"
  "no-exemplars|gateway, exemplars off (Metrics:Exemplars false)|gateway||Metrics:Exemplars=false|"
  "no-accesslog|gateway, access log off (AccessLog:Enabled false)|gateway||AccessLog:Enabled=false|"
  "no-auth|gateway, auth off (no AuthorizationPolicy, no token sent)|gateway||-ReverseProxy:Routes:bench:AuthorizationPolicy|1"
  "no-cache|gateway, output cache off (no OutputCachePolicy on the route)|gateway||-ReverseProxy:Routes:bench:OutputCachePolicy|"
  "no-tracing|gateway, tracing off (OTEL_SDK_DISABLED=true)|gateway|OTEL_SDK_DISABLED=true||"
  "sampled|gateway, every feature, Tracing:SampleRatio 0.01|gateway||Tracing:SampleRatio=0.01|"
  "routes-10|gateway, every feature, 10 routes|gateway||+Routes=10|"
  "routes-1000|gateway, every feature, 1,000 routes|gateway||+Routes=1000|"
  "routes-10000|gateway, every feature, 10,000 routes|gateway||+Routes=10000|"
  "issue|gateway, issue 28's features (gateway-full.json: no token check, no output cache, access log filtered out)|gateway||$ISSUE_EDITS|1"
  "issue-notrace|the same, tracing off (OTEL_SDK_DISABLED=true)|gateway|OTEL_SDK_DISABLED=true|$ISSUE_EDITS|1"
  "issue-sampled|the same, Tracing:SampleRatio 0.01|gateway||$ISSUE_EDITS Tracing:SampleRatio=0.01|1"
)
# More rows, one a line in the format above (bench/instructions/steps.sh); @ISSUE_EDITS@ stands for issue 28's edits.
while IFS= read -r row; do [[ -n "$row" ]] && ROWS+=("${row//@ISSUE_EDITS@/$ISSUE_EDITS}"); done <<<"${EXTRA_ROWS:-}"
TABLE_ROWS=("${ROWS[@]}")
# Attribution: every managed method JIT-compiled (DOTNET_ReadyToRun=0) so the perf map names it, costs per address.
[[ "$ATTRIBUTE" == 1 ]] && ROWS+=("attribution|attribution run|gateway|DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_PerfMapJitDumpPath=$WORK|||--dump-instr=yes")

row_field() { local IFS="|"; read -r -a f <<<"$1"; echo "${f[$2]:-}"; }

measure() { # row index -> $WORK/result.NAME: one instructions-per-request figure per window
  local row=${ROWS[$1]} name label kind envs edits notoken more port pid k total
  name=$(row_field "$row" 0); kind=$(row_field "$row" 2); envs=$(row_field "$row" 3); edits=$(row_field "$row" 4)
  notoken=$(row_field "$row" 5); more=$(row_field "$row" 6)
  port=$((BASE_PORT + 10 + 2 * $1))
  local header=("Authorization: Bearer $TOKEN")
  [[ "$notoken" == 1 || "$kind" == yarp ]] && header=()
  # shellcheck disable=SC2086 # edits and envs are word lists
  python3 "$HERE/variant.py" "$BASE_CONFIG" "$WORK/config.$name.json" $edits
  local args=("$GATEWAY" "--Gateway:ConfigFile=$WORK/config.$name.json" "--Gateway:Urls:Public=http://127.0.0.1:$port"
    "--Gateway:Urls:Admin=http://127.0.0.1:$((port + 1))" "--ReverseProxy:Clusters:upstream:Destinations:nginx:Address=http://127.0.0.1:$UPSTREAM")
  [[ "$kind" == yarp ]] && args=("$YARP" --urls "http://127.0.0.1:$port" "--ReverseProxy:Clusters:upstream:Destinations:nginx:Address=http://127.0.0.1:$UPSTREAM")
  # From the app's folder: bare YARP reads its route from appsettings.json in the content root (the current folder).
  # shellcheck disable=SC2086
  (cd "$(dirname "${args[0]}")" && exec env $envs DOTNET_TieredCompilation=0 DOTNET_gcServer=0 DOTNET_EnableWriteXorExecute=0 \
    valgrind --tool=callgrind --instr-atstart=no $more --callgrind-out-file="$WORK/cg.$name" dotnet "${args[@]}") >"$WORK/$name.log" 2>&1 &
  pid=$!
  echo "$pid" >"$WORK/pid.$name"
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "${header[@]/#/-H}" "http://127.0.0.1:$port/bench/x" || true)" == 200 ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "$name exited: $(tail -5 "$WORK/$name.log")" >&2; return 1; }
    sleep 0.5
  done
  python3 "$HERE/load.py" "$port" /bench/x "$WARMUP" "$CONNECTIONS" "${header[@]}"
  for k in $(seq 1 "$WINDOWS"); do
    callgrind_control -z "$pid" >/dev/null 2>&1; callgrind_control -i on "$pid" >/dev/null 2>&1
    python3 "$HERE/load.py" "$port" /bench/x "$REQUESTS" "$CONNECTIONS" "${header[@]}"
    callgrind_control -i off "$pid" >/dev/null 2>&1; callgrind_control -d "$pid" >/dev/null 2>&1
    total=$(awk '/^totals:/ { print $2 }' "$WORK/cg.$name.$k")
    echo $((total / REQUESTS)) >>"$WORK/result.$name"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  log "$name: $(tr '\n' ' ' <"$WORK/result.$name")"
}

for k in "${!ROWS[@]}"; do
  name=$(row_field "${ROWS[$k]}" 0)
  [[ -n "${ONLY:-}" && " $ONLY " != *" $name "* ]] && continue
  while (($(jobs -rp | wc -l) > JOBS)); do wait -n || true; done # nginx is one of the jobs
  measure "$k" &
done
while (($(jobs -rp | wc -l) > 1)); do wait -n || true; done

# ---------------------------------------------------------------- report
{
  printf '%s\n' "${TABLE_ROWS[@]}" >"$WORK/rows"
  python3 "$HERE/report.py" "$WORK" "$COMMAND" "$COMMIT" "$WINDOWS" "$REQUESTS" "$WARMUP" "$CONNECTIONS"
  if [[ -f "$WORK/result.attribution" ]]; then
    echo "## Where the instructions go (gateway, every feature on)"
    echo
    echo "By gateway step, by method (inclusive and self cost), by assembly and by feature folder, from one more run of the"
    echo "full gateway with \`DOTNET_ReadyToRun=0\` (every managed method JIT-compiled, so the perf map from"
    echo "\`DOTNET_PerfMapEnabled=1\` names it) and callgrind's \`--dump-instr=yes\` (costs and calls per instruction address),"
    echo "last window of $REQUESTS requests, by \`bench/instructions/attribute.py\`. Its total is not the table's: without the"
    echo "framework's ReadyToRun code and without tiering it came to about twice the table's on 2026-12-04 (1,048,474), of"
    echo "which about 220,000 per request went to \`typeof\` lookups (\`RuntimeTypeHandle::GetRuntimeTypeFromHandle\` and"
    echo "its callees) made by Kestrel's feature collection. Compare steps with each other here, and what a feature costs"
    echo "with the table's rows."
    echo
    python3 "$HERE/attribute.py" "$WORK/cg.attribution.$WINDOWS" "$(ls "$WORK"/perf-*.map /tmp/perf-"$(cat "$WORK/pid.attribution")".map 2>/dev/null | head -1)" "$REQUESTS" "$TOP"
  fi
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
if [[ -n "$MEDIANS" ]]; then
  for result in "$WORK"/result.*; do # the median window, and the minimum (background work only ever adds to a window)
    echo "${result##*/result.} $(sort -n "$result" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }')"
    echo "${result##*/result.}.min $(sort -n "$result" | head -1)"
  done >"$MEDIANS"
fi
log "wrote $OUT"
