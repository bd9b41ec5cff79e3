#!/usr/bin/env bash
# Soak: the gateway at steady load for SOAK_SECONDS (default 300) with periodic chaos, on loopback only.
#   bash bench/soak.sh            (from the repository root; not part of CI or `dotnet test`)
# Starts the Release builds of Gateway.Host, the users API and the chaos service on free ports (never the demo's
# fixed 8080/8081/5001/5002), drives them with src/Samples.Traffic (default scenario, incidents on), and every
# 60 s kills the users API for 10 s and writes a broken config for 5 s. Samples the gateway's RSS, open file
# descriptors and threads from /proc every 10 s (samples.csv). At the end prints their growth, the per-origin counts
# from /metrics, and exits non-zero when RSS grew 10 % or more, fds or threads grew 50 % or more, the gateway died,
# or any error came from an unexpected origin. SOAK_CSV=path copies samples.csv there.
set -euo pipefail

SOAK_SECONDS=${SOAK_SECONDS:-300}
RATE=${RATE:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_NAME=soak
# shellcheck source=../lib/processes.sh
source "$ROOT/bench/lib/processes.sh"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
sample() { echo "$1,$(rss_kb "$GATEWAY_PID"),$(fds "$GATEWAY_PID"),$(threads "$GATEWAY_PID")" >>"$WORK/samples.csv"; }

echo "soak: building Release"
build_release Gateway.Host Samples.UsersApi Samples.Chaos Samples.Traffic

# USERS_PORT: the users API is killed and restarted on its port; a port from the ephemeral range (what free_port gives)
# can be taken by another process's outgoing connection meanwhile, so a fixed port below that range is safer there.
PUBLIC=$(free_port); ADMIN=$(free_port); USERS=${USERS_PORT:-$(free_port)}; CHAOS=$(free_port); NOWHERE=$(free_port)
CONFIG="$WORK/appsettings.json"
sed -e "s#http://127.0.0.1:5001#http://127.0.0.1:$USERS#" \
    -e "s#http://127.0.0.1:5002#http://127.0.0.1:$CHAOS#" \
    -e "s#http://127.0.0.1:5009#http://127.0.0.1:$NOWHERE#" "$ROOT/appsettings.json" >"$CONFIG"
cp "$CONFIG" "$WORK/appsettings.good.json"

start_users() {
  dotnet "$(bin Samples.UsersApi)" --urls "http://127.0.0.1:$USERS" >>"$WORK/users.log" 2>&1 &
  USERS_PID=$!
  PIDS+=("$USERS_PID")
}
start_users
dotnet "$(bin Samples.Chaos)" --urls "http://127.0.0.1:$CHAOS" >"$WORK/chaos.log" 2>&1 &
PIDS+=($!)
# Run from $WORK so the gateway finds no appsettings.json of its own: everything comes from the copy.
(cd "$WORK" && exec dotnet "$(bin Gateway.Host)" "--Gateway:ConfigFile=$CONFIG" --Gateway:DemoMode=true \
  "--Gateway:Urls:Public=http://127.0.0.1:$PUBLIC" "--Gateway:Urls:Admin=http://127.0.0.1:$ADMIN") >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
wait_http "http://127.0.0.1:$USERS/healthz" 30
wait_http "http://127.0.0.1:$CHAOS/healthz" 30
wait_http "http://127.0.0.1:$ADMIN/healthz" 30
echo "soak: gateway pid $GATEWAY_PID public :$PUBLIC admin :$ADMIN, users :$USERS, chaos :$CHAOS; $SOAK_SECONDS s at $RATE/s"

dotnet "$(bin Samples.Traffic)" --Gateway "http://127.0.0.1:$PUBLIC" --Rate "$RATE" --Duration "${SOAK_SECONDS}s" \
  --SummaryInterval 30 >"$WORK/traffic.log" 2>&1 &
TRAFFIC_PID=$!
PIDS+=("$TRAFFIC_PID")

echo "second,rss_kb,fds,threads" >"$WORK/samples.csv"
START=$(date +%s)
for (( t = 0; t < SOAK_SECONDS; t++ )); do
  if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
    echo "soak: FAIL the gateway died at $t s" >&2
    tail -20 "$WORK/gateway.log" >&2
    exit 1
  fi
  (( t % 10 == 0 )) && sample "$t"
  case $(( t % 60 )) in
    20) kill -9 "$USERS_PID" 2>/dev/null || echo "soak: $t s the users API had already exited (see users.log)"; echo "soak: $t s users API killed" ;;
    30) start_users; echo "soak: $t s users API restarted" ;;
    45) echo '{ "ReverseProxy": { "Routes": {' >"$CONFIG"; echo "soak: $t s config broken" ;;
    50) cp "$WORK/appsettings.good.json" "$CONFIG"; echo "soak: $t s config restored" ;;
  esac
  # Keep the loop on wall-clock seconds.
  sleep "$(awk -v s="$START" -v t="$t" 'BEGIN { srand(); d = s + t + 1 - srand(); print (d > 0 ? d : 0) }')"
done
sample "$SOAK_SECONDS"
[[ -n ${SOAK_CSV:-} ]] && cp "$WORK/samples.csv" "$SOAK_CSV"
wait "$TRAFFIC_PID" || true

curl -fsS "http://127.0.0.1:$ADMIN/metrics" >"$WORK/metrics.txt"
curl -sS "http://127.0.0.1:$ADMIN/healthz" >"$WORK/healthz.json"

echo
echo "== RSS (kB), fds, threads every 10 s: $WORK/samples.csv"
# Baseline: the sample at 60 s (after JIT, pools and caches have warmed up); growth = last against it.
growth() { # column, name, limit in percent
  awk -F, -v c="$1" -v name="$2" -v limit="$3" 'NR > 1 { v = $c; if (!first) first = v; if ($1 == 60) base = v; if (v > max) max = v; last = v }
    END { if (!base) base = first;
          printf "%-8s first %d  baseline(60 s) %d  max %d  last %d  growth vs baseline %.1f %%\n", name, first, base, max, last, (last - base) * 100 / base;
          exit ((last - base) * 100 / base >= limit) }' "$WORK/samples.csv"
}
FLAT_OK=1
growth 2 rss_kb 10 || FLAT_OK=0
growth 3 fds 50 || FLAT_OK=0
growth 4 threads 50 || FLAT_OK=0

echo "== gateway_responses_total by origin and class"
awk '/^gateway_responses_total\{/ {
       match($0, /origin="[^"]*"/); o = substr($0, RSTART + 8, RLENGTH - 9);
       match($0, /class="[^"]*"/); c = substr($0, RSTART + 7, RLENGTH - 8);
       n[o " " c] += $NF; total += $NF }
     END { for (k in n) printf "  %-24s %d\n", k, n[k]; printf "  total %d\n", total }' "$WORK/metrics.txt" | sort
echo "== config reloads"
grep -E '^gateway_config_reloads_total' "$WORK/metrics.txt" || true
echo "== traffic generator (client side)"
tail -4 "$WORK/traffic.log"
echo "== gateway health at the end: $(cat "$WORK/healthz.json")"

# Errors from an origin nobody expects: "gateway" is the gateway's own failure (an escaped exception, a request it
# could not build). Every other origin is a decision the soak provokes on purpose.
UNEXPECTED=$(awk '/^gateway_responses_total\{/ && /origin="gateway"/ && /class="5xx"/ { n += $NF } END { print n + 0 }' "$WORK/metrics.txt")
echo "== 5xx with origin=gateway (unexpected): $UNEXPECTED"
ERRORS=$(grep -cE '^(fail|crit)|Unhandled exception' "$WORK/gateway.log" || true)
echo "== fail/crit lines in the gateway log: $ERRORS"
# Every request the generator sent got one answer and was counted once (no other client talks to the public port).
SENT=$(awk '/^total / { for (i = 1; i < NF; i++) if ($i == "sent") print $(i + 1) }' "$WORK/traffic.log")
FAILED=$(awk '/^total / { for (i = 1; i < NF; i++) if ($i == "failed") print $(i + 1) }' "$WORK/traffic.log")
COUNTED=$(awk '/^gateway_responses_total\{/ { n += $NF } END { print n + 0 }' "$WORK/metrics.txt")
echo "== client sent $SENT (failed $FAILED), gateway counted $COUNTED"
# Why the failed ones got no answer (the generator's reasons: timeout, connection_refused, connection_reset, ...).
grep '^failed ' "$WORK/traffic.log" | sed 's/^failed /== failures by reason: /' || true
if [[ $FLAT_OK == 1 && $UNEXPECTED == 0 && $SENT == "$COUNTED" && $FAILED == 0 ]]; then echo "soak: PASS"; else echo "soak: FAIL"; exit 1; fi
