#!/usr/bin/env bash
# Every bench/scale measurement in one go, results into a folder (default /tmp/gateway-scale-results), plots into docs/.
#   bash bench/scale/run.sh [RESULTS_DIR]        (from the repository root; not part of CI; about 45 minutes)
# SOAK_SECONDS (default 1800) and RATE (default 400) set the soak. Needs wrk, redis-server, python3-matplotlib.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-/tmp/gateway-scale-results}
mkdir -p "$OUT"
for project in Gateway.Host Samples.Chaos Samples.UsersApi Samples.Traffic; do
  dotnet build -c Release --nologo -v quiet "$ROOT/src/$project" >/dev/null
done
dotnet build -c Release --nologo -v quiet "$ROOT/bench/BareYarp" >/dev/null
cd "$ROOT/bench/scale"
python3 routes.py 10 1000 10000 | tee "$OUT/routes.jsonl"
python3 bare_yarp_routes.py 10 10000 | tee "$OUT/bare-yarp-routes.jsonl"
python3 metrics_scrape.py 10 1000 | tee "$OUT/metrics.jsonl"
python3 route_lookup.py 10 1000 10000 | tee "$OUT/lookup.jsonl"
python3 ratelimit_clients.py 100000 | tee "$OUT/ratelimit.jsonl"
python3 websockets.py 1000 | tee "$OUT/websockets.jsonl"
bash "$ROOT/bench/idle-connections.sh" 10000 | tee "$OUT/idle-connections.txt"
USERS_PORT=${USERS_PORT:-18710} SOAK_SECONDS=${SOAK_SECONDS:-1800} RATE=${RATE:-400} SOAK_CSV="$OUT/soak.csv" bash "$ROOT/bench/soak.sh" | tee "$OUT/soak.txt"
# Debian's python3-matplotlib is for the system python, not a pyenv one.
/usr/bin/python3 plot.py "$OUT" "$ROOT/docs"
