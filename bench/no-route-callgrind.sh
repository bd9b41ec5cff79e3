#!/usr/bin/env bash
# Instructions per public 404 (no route), with the no-route answer's Allow scan (Routing/AllowedMethods) and without
# it, for ROUTES_LIST route counts, under valgrind callgrind (issue 26). Run by hand: bench/no-route-callgrind.sh
#   ROUTES_LIST="10 1000" REQUESTS=2000 WARMUP=300 PORT=18290
# Builds HEAD (git archive) twice: as is, and with the scan replaced by null; everything it starts is stopped on exit.
set -euo pipefail
ROUTES_LIST=${ROUTES_LIST:-"10 1000"}
REQUESTS=${REQUESTS:-2000}
WARMUP=${WARMUP:-300}
PORT=${PORT:-18290}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/no-route-callgrind.XXXXXX)
PID=
cleanup() { if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

build() { # $1 name, $2 1 to drop the scan
  mkdir -p "$WORK/$1" && git -C "$ROOT" archive HEAD | tar -x -C "$WORK/$1"
  if [[ "$2" == 1 ]]; then
    sed -i 's/AllowedMethods.AllowHeader(context, listener)/((string?)null)/' "$WORK/$1/src/Gateway/Routing/NoRouteProblem.cs"
    grep -q '((string?)null)' "$WORK/$1/src/Gateway/Routing/NoRouteProblem.cs"
  fi
  dotnet build -c Release "$WORK/$1/src/Gateway.Host" -nologo -v q >"$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log"; exit 1; }
}

config() { # $1 route count: the bench config with that many more routes (/svcK/{id}, GET), none matching /no/such/path
  python3 - "$ROOT/bench/configs/gateway-full.json" "$1" >"$WORK/routes-$1.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
for k in range(int(sys.argv[2])):
    config["ReverseProxy"]["Routes"][f"svc{k}"] = {"ClusterId": "upstream", "Match": {"Path": f"/svc{k}/{{id}}", "Methods": ["GET"]}}
print(json.dumps(config))
PY
}

measure() { # $1 build, $2 route count -> instructions per 404
  DOTNET_TieredCompilation=0 DOTNET_gcServer=0 DOTNET_EnableWriteXorExecute=0 \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/cg.$1.$2" \
    dotnet "$WORK/$1/src/Gateway.Host/bin/Release/net10.0/Gateway.Host.dll" "--Gateway:ConfigFile=$WORK/routes-$2.json" \
    "--Gateway:Urls:Public=http://127.0.0.1:$PORT" "--Gateway:Urls:Admin=http://127.0.0.1:$((PORT + 1))" >"$WORK/gw.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$PORT/no/such/path" && break; sleep 1; done
  urls() { for _ in $(seq 1 "$1"); do printf 'url = "http://127.0.0.1:%s/no/such/path"\noutput = "/dev/null"\n' "$PORT"; done; }
  urls "$WARMUP" >"$WORK/warm.cfg"; urls "$REQUESTS" >"$WORK/run.cfg"
  curl -s -K "$WORK/warm.cfg" >/dev/null
  test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/no/such/path")" = 404
  callgrind_control -z "$PID" >/dev/null 2>&1; callgrind_control -i on "$PID" >/dev/null 2>&1
  curl -s -K "$WORK/run.cfg" >/dev/null
  callgrind_control -i off "$PID" >/dev/null 2>&1; callgrind_control -d "$PID" >/dev/null 2>&1
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  local total
  total=$(cat "$WORK"/cg."$1"."$2"* | awk '/^summary:/ { s += $2 } /^totals:/ { t += $2 } END { printf "%d\n", (s ? s : t) }')
  echo $((total / REQUESTS))
}

build with-scan 0
build without-scan 1
echo "| routes | instructions per 404, with the Allow scan | without | difference |"
echo "|---|---|---|---|"
for routes in $ROUTES_LIST; do
  config "$routes"
  with=$(measure with-scan "$routes")
  without=$(measure without-scan "$routes")
  echo "| $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["ReverseProxy"]["Routes"]))' "$WORK/routes-$routes.json") | $with | $without | $((with - without)) |"
done
