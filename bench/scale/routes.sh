#!/usr/bin/env bash
# Time and memory to load and to reload N routes (issue 28), and a bad edit of that size rejected naming its key while
# the last good config keeps serving. Usage: bench/scale/routes.sh [N ...]   (default: 10 1000 10000)
# Builds Release Gateway.Host, writes the root config plus N routes (each with a timeout, a rate-limit policy, a method
# match and a path transform) to a temp file, starts the host on 127.0.0.1:18790 (admin 18791), and reads
#   load:   process start -> the admin port's /healthz answers 200 (wall) and VmRSS then;
#   reload: file written -> /admin/routes counts it applied (moves one route), VmHWM/VmRSS after;
#   reject: file written with one route's RateLimiterPolicy unknown -> counted rejected, its message, and a route still served.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PUBLIC=18790 ADMIN=18791
WORK=$(mktemp -d /tmp/scale-routes.XXXXXX)
PID=
cleanup() { if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
dotnet build -c Release "$ROOT/src/Gateway.Host" -nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
DLL="$ROOT/src/Gateway.Host/bin/Release/net10.0/Gateway.Host.dll"
now() { date +%s.%N; }
rss() { awk -v k="$2:" '$1 == k { print int($2 / 1024) }' "/proc/$1/status"; }
reloads() { curl -s -H 'X-Admin-Key: demo-admin-key' "http://127.0.0.1:$ADMIN/admin/routes" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["configReloads"]["applied"], r["configReloads"]["rejected"])'; }
write() { # $1 count, $2 edit: none | move | bad
  python3 - "$ROOT/appsettings.json" "$1" "$2" >"$WORK/next.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
routes, n, edit = config["ReverseProxy"]["Routes"], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    routes[f"r{i}"] = {"ClusterId": "chaos", "Timeout": "00:00:05", "RateLimiterPolicy": "search",
                       "Match": {"Path": f"/r{i}/{{**rest}}", "Methods": ["GET", "HEAD"]},
                       "Transforms": [{"PathPattern": "/chaos/{**rest}"}]}
if edit == "move": routes[f"r{n // 2}"]["Match"]["Path"] = "/moved/{**rest}"
if edit == "bad": routes[f"r{n // 2}"]["RateLimiterPolicy"] = "no-such-policy"
json.dump(config, sys.stdout, indent=2)
PY
  mv "$WORK/next.json" "$WORK/config.json"
}
routed() { # the path reaches a route (the chaos upstream need not run: 502 is the route's answer, 404 no_route is not)
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PUBLIC$1")" != 404 ]
}
wait_for() { # $1 description, $2.. command that succeeds when done
  local what=$1; shift
  for _ in $(seq 1 6000); do "$@" && return 0; sleep 0.05; done
  echo "timed out waiting for $what" >&2; exit 1
}
printf '%s\n' "routes,file_bytes,load_s,load_rss_mb,reload_s,reload_rss_mb,peak_rss_mb,reject_s,rejected_message"
for n in ${@:-10 1000 10000}; do
  write "$n" none
  start=$(now)
  dotnet "$DLL" --Gateway:ConfigFile="$WORK/config.json" --Gateway:DemoMode=true \
    --Gateway:Urls:Public="http://127.0.0.1:$PUBLIC" --Gateway:Urls:Admin="http://127.0.0.1:$ADMIN" \
    --Logging:LogLevel:Default=Warning --AccessLog:Enabled=false >"$WORK/host-$n.log" 2>&1 &
  PID=$!
  wait_for "the host to start" curl -sf -o /dev/null "http://127.0.0.1:$ADMIN/healthz"
  load=$(echo "$(now) - $start" | bc); load_rss=$(rss "$PID" VmRSS)
  read -r applied rejected < <(reloads)
  write "$n" move; start=$(now)
  wait_for "the reload" bash -c "[ \"\$(curl -s -H 'X-Admin-Key: demo-admin-key' http://127.0.0.1:$ADMIN/admin/routes | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"configReloads\"][\"applied\"])')\" -gt $applied ]"
  reload=$(echo "$(now) - $start" | bc); reload_rss=$(rss "$PID" VmRSS)
  routed /moved/headers || { echo "the moved route is not served" >&2; exit 1; }
  write "$n" bad; start=$(now)
  wait_for "the rejection" bash -c "[ \"\$(curl -s -H 'X-Admin-Key: demo-admin-key' http://127.0.0.1:$ADMIN/admin/routes | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"configReloads\"][\"rejected\"])')\" -gt $rejected ]"
  reject=$(echo "$(now) - $start" | bc)
  message=$(curl -s -H 'X-Admin-Key: demo-admin-key' "http://127.0.0.1:$ADMIN/admin/routes" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["lastConfigReload"])[:160])')
  routed /moved/headers || { echo "the last good config stopped serving" >&2; exit 1; }
  printf '%s,%s,%.2f,%s,%.2f,%s,%s,%.2f,"%s"\n' "$n" "$(stat -c %s "$WORK/config.json")" "$load" "$load_rss" "$reload" "$reload_rss" "$(rss "$PID" VmHWM)" "$reject" "${message//\"/\'}"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
