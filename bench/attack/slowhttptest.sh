#!/usr/bin/env bash
# Slow-client attacks with Debian's slowhttptest against a gateway started like the native demo (root appsettings.json,
# shipped Kestrel limits), while a well-behaved client keeps sending GET /api/users/1 one request after another.
#   bash bench/attack/slowhttptest.sh          (from the repository root; needs: apt-get install slowhttptest curl python3)
# For each attack (slow headers -H, slow body -B, slow read -X): ATTACK_SECONDS (default 30) of ATTACK_CONNECTIONS
# (default 500) connections, and prints the good client's success share and p50/p99, and slowhttptest's own count of
# connections the gateway closed and whether it ever saw the service unavailable. Loopback only, free ports only
# (never the demo's 8080/8081/5001/5002). Figures go into docs/security/attacks.md; not part of CI.
set -euo pipefail

ATTACK_SECONDS=${ATTACK_SECONDS:-30}
ATTACK_CONNECTIONS=${ATTACK_CONNECTIONS:-500}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_NAME=slowhttptest
# shellcheck source=../lib/processes.sh
source "$ROOT/bench/lib/processes.sh"

command -v slowhttptest >/dev/null || { echo "slowhttptest is not installed (apt-get install slowhttptest)" >&2; exit 1; }

build_release Gateway.Host Samples.UsersApi Samples.Chaos

PUBLIC=$(free_port); ADMIN=$(free_port); USERS=$(free_port); CHAOS=$(free_port); NOWHERE=$(free_port)
CONFIG="$WORK/appsettings.json"
sed -e "s#http://127.0.0.1:5001#http://127.0.0.1:$USERS#" -e "s#http://127.0.0.1:5003#http://127.0.0.1:$USERS#" \
    -e "s#http://127.0.0.1:5002#http://127.0.0.1:$CHAOS#" \
    -e "s#http://127.0.0.1:5009#http://127.0.0.1:$NOWHERE#" "$ROOT/appsettings.json" >"$CONFIG"
dotnet "$(bin Samples.UsersApi)" --urls "http://127.0.0.1:$USERS" >"$WORK/users.log" 2>&1 &
PIDS+=($!)
dotnet "$(bin Samples.Chaos)" --urls "http://127.0.0.1:$CHAOS" >"$WORK/chaos.log" 2>&1 &
PIDS+=($!)
# Demo mode, as the native demo: the root config's shipped secrets may serve.
(cd "$WORK" && exec dotnet "$(bin Gateway.Host)" "--Gateway:ConfigFile=$CONFIG" --Gateway:DemoMode=true \
  "--Gateway:Urls:Public=http://127.0.0.1:$PUBLIC" "--Gateway:Urls:Admin=http://127.0.0.1:$ADMIN") >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
URL="http://127.0.0.1:$PUBLIC"
wait_http "http://127.0.0.1:$USERS/api/users/1" 30
wait_http "$URL/api/users/1" 30
echo "gateway on $URL; Kestrel limits: $(python3 -c "import json;print(json.load(open('$CONFIG'))['Kestrel']['Limits'])")"

# One request after another for as long as the marker file exists: "status seconds" per line.
good_client() {
  while [ -e "$WORK/running" ]; do
    curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' "$URL/api/users/1" || true
  done >"$1"
}

summary() {
  python3 - "$1" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
times = sorted(float(t) for _, t in rows)
ok = sum(1 for code, _ in rows if code == "200")
pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else float("nan")
print(f"good client: {ok}/{len(rows)} = {100 * ok / max(1, len(rows)):.2f} % 200, p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, max {times[-1] * 1000 if times else 0:.1f} ms")
PY
}

run() { # name, slowhttptest mode flags...
  local name=$1; shift
  touch "$WORK/running"
  good_client "$WORK/$name.good" &
  local good=$!
  slowhttptest "$@" -c "$ATTACK_CONNECTIONS" -r 100 -l "$ATTACK_SECONDS" -p 3 -g -o "$WORK/$name" -u "$URL/api/users/1" >"$WORK/$name.out" 2>&1 || true
  rm -f "$WORK/running"
  wait "$good"
  echo "== $name: slowhttptest $* -c $ATTACK_CONNECTIONS -r 100 -l $ATTACK_SECONDS -p 3 -u $URL/api/users/1"
  summary "$WORK/$name.good"
  # CSV: seconds, closed, pending, connected, service available (the last row is the end of the run).
  python3 - "$WORK/$name.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
closed = max(int(r[1]) for r in rows)
peak = max(int(r[3]) for r in rows)
unavailable = sum(1 for r in rows if r[4].strip() == "0")  # the column holds 0 when its probe got no answer
last = rows[-1]
print(f"attack: at most {peak} connections open at once, {closed} closed by the gateway, {last[3]} still open at the end; "
      f"probe saw the service unavailable in {unavailable} of {len(rows)} seconds")
PY
  grep -E "^\s*(exit status|Test ended)" "$WORK/$name.out" | tail -1 || true
}

run slow-headers -H -i 2
run slow-body -B -i 2 -s 100000 -t POST
run slow-read -X -w 10 -y 20 -n 5 -z 32 -k 3
