#!/usr/bin/env bash
# Side-by-side benchmark of the gateway (issue 7). One command, run by hand from anywhere:
#   bench/run.sh
# Options (environment):
#   ROUNDS=5 SECONDS_PER_ROUND=5 CONNECTIONS=64 WARMUP_SECONDS=15
#                     (under load the runtime keeps compiling tier-1 code for ~15 s: a shorter warm-up counts JIT
#                     time in the first rounds, more of it for the gateway, which has more code, than for bare YARP)
#   VARIANTS=1        also run the runtime-setting variants (gcServer=0, inline socket completions, both)
#                     of the full gateway and of bare YARP, and the full gateway without its rate-limit policy
#   ONLY="yarp full ..."  run only these targets (names as in the table's first column keys below)
#   SERIES=1          series bound check (1,000 then up to SERIES_REQUESTS random-path requests, at most SERIES_SECONDS)
#   SERIES_REQUESTS=1000000 SERIES_SECONDS=60
#   MICRO=1           BenchmarkDotNet hot-path benchmarks (ShortRunJob)
#   BASE_PORT=18190   ports BASE_PORT+1 .. BASE_PORT+40 on 127.0.0.1 must be free
#   OUT=docs/benchmarks.md
#   SOURCE=worktree   build the gateway from the working tree; SOURCE=HEAD builds the last commit instead (from
#                     `git archive`, with the working tree's bench/ and Directory.Packages.props), for when
#                     others are editing src/ while you measure
# Everything it starts (nginx x2, bare YARP, gateways, wrk) is stopped on exit, also on Ctrl-C or failure.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-5}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
VARIANTS=${VARIANTS:-1}
SERIES=${SERIES:-1}
SERIES_REQUESTS=${SERIES_REQUESTS:-1000000}
SERIES_SECONDS=${SERIES_SECONDS:-60}
MICRO=${MICRO:-1}
SOURCE=${SOURCE:-worktree}
BASE_PORT=${BASE_PORT:-18190}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
OUT=${OUT:-$ROOT/docs/benchmarks.md}
COMMAND="SOURCE=$SOURCE ROUNDS=$ROUNDS SECONDS_PER_ROUND=$SECONDS_PER_ROUND CONNECTIONS=$CONNECTIONS WARMUP_SECONDS=$WARMUP_SECONDS VARIANTS=$VARIANTS SERIES=$SERIES SERIES_REQUESTS=$SERIES_REQUESTS SERIES_SECONDS=$SERIES_SECONDS MICRO=$MICRO bench/run.sh"
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
PIDS=()
STARTED=$(date +%s)

log() { printf '[bench %4ss] %s\n' "$(($(date +%s) - STARTED))" "$*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() { # stop one process we started and forget it
  local target=$1 pid rest=()
  kill -TERM "$target" 2>/dev/null || true
  wait "$target" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do [[ $pid == "$target" ]] || rest+=("$pid"); done
  PIDS=("${rest[@]}")
}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk; then
  log "installing nginx and wrk (Debian packages)"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light wrk >/dev/null
fi
need nginx || { echo "nginx is missing (PATH: $PATH; Debian puts it in /usr/sbin)" >&2; exit 1; }
need python3 || { echo "python3 is needed for the report" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for offset in $(seq 1 40); do
  port_free $((BASE_PORT + offset)) || { echo "port $((BASE_PORT + offset)) is in use: set BASE_PORT" >&2; exit 1; }
done

# ---------------------------------------------------------------- build
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $SOURCE == HEAD ]]; then
  SRC="$WORK/tree"
  mkdir -p "$SRC"
  git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
  rm -rf "$SRC/bench"
  tar -C "$ROOT" --exclude=bin --exclude=obj --exclude=BenchmarkDotNet.Artifacts -cf - bench Directory.Packages.props | tar -x -C "$SRC"
  SOURCE_NOTE="commit $COMMIT (git archive HEAD), with the working tree's bench/ and Directory.Packages.props"
else
  SRC="$ROOT"
  SOURCE_NOTE="working tree at commit $COMMIT, $(git -C "$ROOT" status --porcelain -- src 2>/dev/null | wc -l) changed or new paths under src/"
fi
BENCH="$SRC/bench"
log "building (Release) from $SOURCE_NOTE"
dotnet build -c Release "$SRC/src/Gateway.Host" -nologo -v q >"$WORK/build-gateway.log" 2>&1 || { cat "$WORK/build-gateway.log"; exit 1; }
dotnet build -c Release "$BENCH/BareYarp" -nologo -v q >"$WORK/build-yarp.log" 2>&1 || { cat "$WORK/build-yarp.log"; exit 1; }
GATEWAY_DLL="$SRC/src/Gateway.Host/bin/Release/net10.0/Gateway.Host.dll"
YARP_DIR="$BENCH/BareYarp/bin/Release/net10.0"

# ---------------------------------------------------------------- nginx (upstream and proxy)
UPSTREAM_PORT=$((BASE_PORT + 1))
NGINX_PROXY_PORT=$((BASE_PORT + 2))
NPROC=$(nproc)

# shellcheck source=lib/nginx.sh
source "$ROOT/bench/lib/nginx.sh"

# The upstream gets one worker: it is the ceiling, and every proxy shares the same two cores with it and wrk.
nginx_conf upstream 1 "  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { return 200 \"ok\\n\"; } }"
nginx_conf proxy "$NPROC" "  upstream bench_upstream { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$NGINX_PROXY_PORT;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"

declare -A PORT PID ENVS KIND URLPATH
TARGETS=()

start_nginx() { # target name, conf name, port
  nginx -e "$WORK/nginx-$2/startup.log" -p "$WORK/nginx-$2" -c "$WORK/nginx-$2/nginx.conf" &
  PID[$1]=$!; PIDS+=("$!"); PORT[$1]=$3; KIND[$1]=nginx
}

start_yarp() { # target name, port, env...
  local name=$1 port=$2; shift 2
  (cd "$YARP_DIR" && exec env "$@" dotnet BareYarp.dll --urls "http://127.0.0.1:$port" \
    "--ReverseProxy:Clusters:upstream:Destinations:nginx:Address=http://127.0.0.1:$UPSTREAM_PORT") >"$WORK/$name.log" 2>&1 &
  PID[$name]=$!; PIDS+=("$!"); PORT[$name]=$port; KIND[$name]=dotnet; ENVS[$name]="$*"
}

start_gateway() { # target name, config, public port, env...
  local name=$1 config=$2 port=$3; shift 3
  env "$@" dotnet "$GATEWAY_DLL" "--Gateway:ConfigFile=$BENCH/configs/$config" \
    "--Gateway:Urls:Public=http://127.0.0.1:$port" "--Gateway:Urls:Admin=http://127.0.0.1:$((port + 1))" \
    --Logging:LogLevel:Default=Warning \
    "--ReverseProxy:Clusters:upstream:Destinations:nginx:Address=http://127.0.0.1:$UPSTREAM_PORT" >"$WORK/$name.log" 2>&1 &
  PID[$name]=$!; PIDS+=("$!"); PORT[$name]=$port; KIND[$name]=dotnet; ENVS[$name]="$*"
}

ONLY=${ONLY:-}
add() { TARGETS+=("$1"); }

log "starting targets"
start_nginx upstream upstream "$UPSTREAM_PORT"; add upstream
start_nginx nginx proxy "$NGINX_PROXY_PORT"; add nginx
start_yarp yarp $((BASE_PORT + 3)) DOTNET_NOTHING=; add yarp
# Like for like for tracing: the gateway always makes spans (trace ids in problems and logs, traceparent upstream).
start_yarp yarp-otel $((BASE_PORT + 5)) BARE_YARP_TRACING=1; add yarp-otel
start_gateway full gateway-full.json $((BASE_PORT + 10)) DOTNET_NOTHING=; add full
start_gateway 429 gateway-429.json $((BASE_PORT + 12)) DOTNET_NOTHING=; add 429
if [[ $VARIANTS == 1 ]]; then
  start_gateway full-norl gateway-norl.json $((BASE_PORT + 14)) DOTNET_NOTHING=; add full-norl
  start_gateway full-noov gateway-noov.json $((BASE_PORT + 26)) DOTNET_NOTHING=; add full-noov
  start_gateway full-noretry gateway-noretry.json $((BASE_PORT + 28)) DOTNET_NOTHING=; add full-noretry
  # What trace-id exemplars on the duration histogram cost (issue 19): the same gateway with them off.
  start_gateway full-noexemplar gateway-noexemplar.json $((BASE_PORT + 32)) DOTNET_NOTHING=; add full-noexemplar
  start_gateway full-wks gateway-full.json $((BASE_PORT + 16)) DOTNET_gcServer=0; add full-wks
  start_gateway full-inline gateway-full.json $((BASE_PORT + 18)) DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; add full-inline
  start_gateway full-both gateway-full.json $((BASE_PORT + 20)) DOTNET_gcServer=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; add full-both
  start_yarp yarp-both $((BASE_PORT + 4)) DOTNET_gcServer=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; add yarp-both
  # What tracing costs: spans made but dropped by the sampler, and the OpenTelemetry SDK off altogether.
  start_gateway full-sampler-off gateway-full.json $((BASE_PORT + 22)) OTEL_TRACES_SAMPLER=always_off; add full-sampler-off
  start_gateway full-otel-off gateway-full.json $((BASE_PORT + 24)) OTEL_SDK_DISABLED=true; add full-otel-off
fi
if [[ -n $ONLY ]]; then # keep the upstream running; stop the targets not asked for
  kept=()
  for t in "${TARGETS[@]}"; do
    if [[ $t == upstream || " $ONLY " == *" $t "* ]]; then
      [[ $t != upstream || " $ONLY " == *" upstream "* ]] && kept+=("$t")
    else
      stop_pid "${PID[$t]}"
    fi
  done
  TARGETS=("${kept[@]}")
fi

expect_status() { # target, expected status (a regex)
  local url="http://127.0.0.1:${PORT[$1]}/bench/hello?x=1" code="" i
  for i in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [[ $code =~ ^($2)$ ]] && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || break
    sleep 0.2
  done
  echo "target $1 answered '$code', expected $2; its log:" >&2
  cat "$WORK/$1.log" "$WORK"/nginx-*/startup.log 2>/dev/null | tail -40 >&2
  exit 1
}
for t in "${TARGETS[@]}"; do
  if [[ $t == 429 ]]; then
    expect_status "$t" "200|429"
    expect_status "$t" 429
  else
    expect_status "$t" 200
  fi
done

# Workstation GC really is in force where asked (the env var overrides runtimeconfig's System.GC.Server=true):
# server GC starts one ".NET SVR GC" thread per core.
gc_threads() { { grep -l "SVR GC\|Server GC" /proc/"$1"/task/*/comm 2>/dev/null || true; } | wc -l; }
GC_NOTE=""
for t in "${TARGETS[@]}"; do
  [[ ${KIND[$t]} == dotnet ]] && GC_NOTE+="$t: $(gc_threads "${PID[$t]}") server-GC threads; "
done
log "$GC_NOTE"

# ---------------------------------------------------------------- load
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # user+system CPU ticks of a target's processes (nginx: master and workers)
  local p sum=0
  for p in ${PID[$1]} $(pgrep -P "${PID[$1]}" || true); do
    sum=$((sum + $(awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null || echo 0)))
  done
  echo "$sum"
}
run_wrk() { # target, seconds, round
  local out="$WORK/wrk-$1-$3.txt" before after
  before=$(cpu_ticks "$1")
  wrk -t1 -c"$CONNECTIONS" -d"$2"s --latency "http://127.0.0.1:${PORT[$1]}/bench/hello?x=1" >"$out" 2>&1 || true
  after=$(cpu_ticks "$1")
  python3 - "$1" "$3" "$out" "$((after - before))" "$CLK_TCK" >>"$RESULTS" <<'EOF'
import re, sys
target, rnd, path, ticks, clk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
text = open(path).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n if u == "ms" else n * 1000 if u == "s" else n * 60000
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
cpu_us = ticks * 1e6 / clk / max(total, 1)
print(f"{target}\t{rnd}\t{rps}\t{p50}\t{p99}\t{total}\t{bad.group(1) if bad else 0}\t{errors.group(0) if errors else ''}\t{cpu_us}")
EOF
}

log "warm-up: ${WARMUP_SECONDS}s per target"
for t in "${TARGETS[@]}"; do run_wrk "$t" "$WARMUP_SECONDS" warmup; done
for r in $(seq 1 "$ROUNDS"); do
  log "round $r/$ROUNDS: ${TARGETS[*]}"
  for t in "${TARGETS[@]}"; do run_wrk "$t" "$SECONDS_PER_ROUND" "$r"; done
done

RSS="$WORK/rss.tsv"
: >"$RSS"
for t in "${TARGETS[@]}"; do
  [[ $t == upstream ]] && continue
  if [[ ${KIND[$t]} == nginx ]]; then
    # master and workers: the sum of their peaks (an upper bound of the peak of the sum)
    kb=0
    for p in ${PID[$t]} $(pgrep -P "${PID[$t]}" || true); do
      kb=$((kb + $(awk '/VmHWM/{print $2}' /proc/"$p"/status)))
    done
  else
    kb=$(awk '/VmHWM/{print $2}' /proc/"${PID[$t]}"/status)
  fi
  printf '%s\t%s\n' "$t" "$kb" >>"$RSS"
done
for t in "${TARGETS[@]}"; do
  [[ $t == upstream ]] || stop_pid "${PID[$t]}"
done

# ---------------------------------------------------------------- series bound check
SERIES_TSV="$WORK/series.tsv"
: >"$SERIES_TSV"
if [[ $SERIES == 1 ]]; then
  sp=$((BASE_PORT + 30))
  start_gateway series gateway-full.json "$sp" DOTNET_NOTHING=
  expect_status series 200
  count_series() {
    curl -s "http://127.0.0.1:$((sp + 1))/metrics" >"$WORK/metrics-$1.txt"
    python3 - "$WORK/metrics-$1.txt" <<'EOF'
import sys
lines = [l for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
responses = [l for l in lines if l.startswith("gateway_responses_total{")]
total = sum(float(l.rsplit(" ", 1)[1]) for l in responses)
print(f"{len(lines)}\t{len(responses)}\t{int(total)}")
EOF
  }
  log "series check: 1,000 random-path requests"
  (cd "$BENCH" && STOP_AFTER=1000 wrk -t1 -c1 -d5s -s random-paths.lua "http://127.0.0.1:$sp" >"$WORK/series-1k.txt" 2>&1)
  printf 'after_1k\t%s\t%s\n' "$(grep -Eo '[0-9]+ requests in' "$WORK/series-1k.txt" | cut -d' ' -f1)" "$(count_series 1k)" >>"$SERIES_TSV"
  log "series check: up to $SERIES_REQUESTS random-path requests, at most ${SERIES_SECONDS}s"
  (cd "$BENCH" && STOP_AFTER=$SERIES_REQUESTS wrk -t1 -c"$CONNECTIONS" -d"$SERIES_SECONDS"s -s random-paths.lua "http://127.0.0.1:$sp" >"$WORK/series-1m.txt" 2>&1)
  printf 'after_many\t%s\t%s\n' "$(grep -Eo '[0-9]+ requests in' "$WORK/series-1m.txt" | cut -d' ' -f1)" "$(count_series many)" >>"$SERIES_TSV"
  printf 'rss_kb\t%s\n' "$(awk '/VmHWM/{print $2}' /proc/"${PID[series]}"/status)" >>"$SERIES_TSV"
  grep -E '^gateway_responses_total' "$WORK/metrics-many.txt" | sed -E 's/ [0-9.e+]+$//' >"$WORK/series-labels.txt" || true
fi
cleanup

# ---------------------------------------------------------------- BenchmarkDotNet
MICRO_MD=""
if [[ $MICRO == 1 ]]; then
  log "BenchmarkDotNet (ShortRunJob)"
  dotnet build -c Release "$BENCH/Gateway.Benchmarks" -nologo -v q >"$WORK/build-micro.log" 2>&1 || { cat "$WORK/build-micro.log"; exit 1; }
  # BenchmarkDotNet looks for the project from the working directory.
  dotnet "$BENCH/Gateway.Benchmarks/bin/Release/net10.0/Gateway.Benchmarks.dll" --filter '*' \
    --artifacts "$WORK/bdn" --exporters github >"$WORK/bdn.log" 2>&1 || { tail -40 "$WORK/bdn.log"; exit 1; }
  MICRO_MD=$(ls "$WORK"/bdn/results/*-report-github.md)
fi

# ---------------------------------------------------------------- report
DOTNET_VERSION=$(dotnet --version)
ASPNET_VERSION=$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/{v=$2} END{print v}')
YARP_VERSION=$(grep -Eo 'Yarp.ReverseProxy" Version="[^"]+' "$ROOT/Directory.Packages.props" | sed 's/.*Version="//')
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/.*nginx\///')
WRK_VERSION=$( (wrk -v 2>&1 || true) | awk 'NR==1{print $2}')
CPU_MODEL=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
MEM_TOTAL=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)
ELAPSED=$(($(date +%s) - STARTED))

python3 - "$RESULTS" "$RSS" "$SERIES_TSV" "$MICRO_MD" "$OUT" "$ROOT/bench/FINDINGS.md" <<EOF
import statistics, sys, collections, os
results, rss_path, series_path, micro_path, out, findings = sys.argv[1:7]
rows = collections.defaultdict(list)
for line in open(results):
    t, rnd, rps, p50, p99, total, bad, err, cpu = line.rstrip("\n").split("\t")
    if rnd != "warmup":
        rows[t].append((float(rps), float(p50), float(p99), int(total), int(bad), err, float(cpu)))
rss = dict(line.split() for line in open(rss_path))
order = [t for t in "${TARGETS[*]}".split()]
what = {
  "upstream": "upstream directly (nginx return 200, 1 worker): the ceiling",
  "nginx": "nginx ${NGINX_VERSION} proxy_pass, keepalive 64, ${NPROC} workers",
  "yarp": "bare YARP ${YARP_VERSION} (bench/BareYarp), runtime defaults",
  "yarp-otel": "bare YARP + OpenTelemetry tracing as its docs show (ASP.NET Core + HttpClient instrumentation, no exporter)",
  "full": "**gateway, every feature on** (gateway-full.json), runtime defaults",
  "429": "gateway, rate limiter rejecting ~all (gateway-429.json)",
  "full-norl": "gateway, every feature but no rate-limit policy on the route (gateway-norl.json)",
  "full-noov": "gateway, every feature but no overload limits (gateway-noov.json)",
  "full-noretry": "gateway, every feature but retries off (gateway-noretry.json)",
  "full-noexemplar": "gateway, every feature but no trace-id exemplars (gateway-noexemplar.json)",
  "full-wks": "gateway full + DOTNET_gcServer=0",
  "full-inline": "gateway full + DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1",
  "full-both": "gateway full + both settings",
  "yarp-both": "bare YARP + both settings",
  "full-sampler-off": "gateway full + OTEL_TRACES_SAMPLER=always_off (spans dropped)",
  "full-otel-off": "gateway full + OTEL_SDK_DISABLED=true (no tracing at all)",
}
med = {t: tuple(statistics.median(r[i] for r in rows[t]) for i in (0, 1, 2, 6)) for t in order if rows[t]}
def ratio(a, b): return f"{a / b:.2f}x" if b else "-"
lines = []
lines.append("| target | req/s (median) | p50 ms | p99 ms | req/s vs bare YARP | p99 vs bare YARP | req/s vs nginx | p99 vs nginx | CPU µs/req | CPU vs bare YARP | peak RSS MB | non-2xx | req/s per round |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
y, n = med.get("yarp"), med.get("nginx")
for t in order:
    if t not in med: continue
    rps, p50, p99, cpu = med[t]
    bad = sum(r[4] for r in rows[t]); tot = sum(r[3] for r in rows[t])
    per = " / ".join(f"{r[0]/1000:.1f}k" for r in rows[t])
    r_mb = f"{int(rss[t]) / 1024:.0f}" if t in rss else "-"
    lines.append(f"| {what.get(t, t)} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {ratio(rps, y[0] if y else 0)} | {ratio(p99, y[2] if y else 0)} | {ratio(rps, n[0] if n else 0)} | {ratio(p99, n[2] if n else 0)} | {cpu:.1f} | {ratio(cpu, y[3] if y else 0)} | {r_mb} | {100 * bad / max(tot, 1):.1f}% | {per} |")
table = "\n".join(lines)
like = []
if "full-both" in med and "yarp-both" in med:
    like.append(f"Like for like with both runtime settings: gateway {med['full-both'][0]:,.0f} req/s vs bare YARP {med['yarp-both'][0]:,.0f} "
                f"= **{med['full-both'][0] / med['yarp-both'][0]:.2f}x**, p99 {med['full-both'][2]:.2f} vs {med['yarp-both'][2]:.2f} ms = **{med['full-both'][2] / med['yarp-both'][2]:.2f}x**.")
if "full" in med and "yarp-otel" in med:
    like.append(f"Against bare YARP with tracing on as well: CPU {med['full'][3]:.1f} vs {med['yarp-otel'][3]:.1f} µs per request "
                f"= **{med['full'][3] / med['yarp-otel'][3]:.2f}x**, req/s **{med['full'][0] / med['yarp-otel'][0]:.2f}x**.")
errs = sorted({r[5] for t in order for r in rows[t] if r[5]})

series_md = "Not run (SERIES=0)."
if os.path.getsize(series_path):
    s = {}
    for line in open(series_path):
        parts = line.rstrip("\n").split("\t"); s[parts[0]] = parts[1:]
    a, b = s["after_1k"], s["after_many"]
    same = "**the same**" if a[1] == b[1] else "**different**"
    def series(path): return {l.rsplit(" ", 1)[0] for l in open(path) if l.strip() and not l.startswith("#")}
    added = sorted(l for l in series(os.path.join(os.path.dirname(series_path), "metrics-many.txt")) - series(os.path.join(os.path.dirname(series_path), "metrics-1k.txt")) if l.startswith("gateway_responses_total"))
    series_md = (f"| after | requests sent (wrk) | gateway_responses_total counted | series in /metrics | of them gateway_responses_total |\n|---|---:|---:|---:|---:|\n"
                 f"| the first batch | {int(a[0]):,} | {int(a[3]):,} | {a[1]} | {a[2]} |\n"
                 f"| the second batch (cumulative) | {int(a[0]) + int(b[0]):,} | {int(b[3]):,} | {b[1]} | {b[2]} |\n\n"
                 f"Series count {same} after both batches. Peak RSS of that gateway: {int(s['rss_kb'][0]) / 1024:.0f} MB."
                 + ("" if not added else "\n\nNew gateway_responses_total series in the second batch (each with its histogram's series):\n" + "\n".join(f"- \`{l}\`" for l in added)))

micro_md = "Not run (MICRO=0)."
if micro_path:
    # One report per benchmark class (ls gives one path per line): a table each, the environment once.
    paths = micro_path.split("\n")
    tables = []
    for path in paths:
        raw = [l.rstrip("\n") for l in open(path) if l.startswith("|")]
        head = [c.strip() for c in raw[0].strip("|").split("|")]
        keep = [head.index(c) for c in ("Method", "Mean", "Allocated") if c in head]
        def pick(l):
            cells = [c.strip() for c in l.strip("|").split("|")]
            return "| " + " | ".join(cells[i] for i in keep) + " |"
        name = os.path.basename(path).split("-report")[0].rsplit(".", 1)[-1]
        tables.append(f"{name}:\n\n" + "\n".join([pick(raw[0]), "|---|---:|---:|"] + [pick(l) for l in raw[2:]]))
    env = [l.rstrip() for l in open(paths[0]) if l.startswith(("BenchmarkDotNet", "  [Host]", "  ShortRun", "AMD", "Intel", "Unknown processor"))]
    micro_md = "\`\`\`\n" + "\n".join(env) + "\n\`\`\`\n\n" + "\n\n".join(tables)

doc = f"""# Benchmarks

Written by \`bench/run.sh\` (issue 7); every number below comes from one run on one machine. Re-run it rather
than edit the tables. The machine is shared and noisy: compare only numbers of the same run.

These are wall-clock figures. What a request costs counted in instructions (callgrind: bare YARP, bare YARP with the
libraries the gateway uses, the gateway with every feature and with each one off; issue 28) is in
[benchmarks-instructions.md](benchmarks-instructions.md) (\`bench/instructions/run.sh\`), what it showed and where issue
28's targets stand in [instructions-findings.md](instructions-findings.md).

## Machine and versions

| what | value |
|---|---|
| CPU | ${NPROC} cores, {"${CPU_MODEL}"} |
| memory | ${MEM_TOTAL} |
| .NET SDK / ASP.NET Core runtime | ${DOTNET_VERSION} / ${ASPNET_VERSION} |
| YARP | ${YARP_VERSION} |
| nginx | ${NGINX_VERSION} |
| wrk | ${WRK_VERSION} |
| date | $(date -u +%Y-%m-%dT%H:%MZ) (the run took ${ELAPSED} s) |
| gateway source | ${SOURCE_NOTE} |
| command | \`${COMMAND}\` |

## Throughput and latency through each proxy

\`wrk -t1 -c${CONNECTIONS} -d${SECONDS_PER_ROUND}s --latency http://127.0.0.1:PORT/bench/hello?x=1\`, all on 127.0.0.1, the same
nginx \`return 200 "ok\\\\n"\` upstream behind every proxy. One ${WARMUP_SECONDS} s warm-up per target, then ${ROUNDS} rounds
interleaved (every target once per round, in the order of the table), so noise hits all alike. Medians over the
rounds; ratios are of medians. Peak RSS is VmHWM of the process after all rounds (nginx: master + workers summed).
All proxies ran at the same time (idle when not under load). Non-2xx is the share of answers that were not 2xx/3xx.
CPU µs/req is the proxy process's user+system CPU time during a round (\`/proc/PID/stat\`; nginx: master and workers)
divided by the requests wrk counted, median over rounds: what each request costs, steadier than req/s on a
machine whose two cores also run wrk and the upstream.

{table}

{chr(10).join(like)}

{("Socket errors reported by wrk: " + "; ".join(errs)) if errs else "wrk reported no socket errors."}

Server-GC threads seen per .NET process (checks that \`DOTNET_gcServer=0\` took effect): ${GC_NOTE}

## Metric series stay bounded

The full gateway, started fresh, gets 1,000 requests and then as many as fit in ${SERIES_SECONDS} s (at most ${SERIES_REQUESTS}), each with a
random path and query and one of GET/POST/DELETE/PURGE, under \`/bench/\` (proxied), \`/private/\` (401) and an unrouted
prefix (404) (\`bench/random-paths.lua\`). Series are the non-comment lines of the admin port's \`/metrics\`.

{series_md}

## Hot-path pieces (BenchmarkDotNet)

\`bench/Gateway.Benchmarks\`, \`[MemoryDiagnoser]\`, BenchmarkDotNet's ShortRun job (3 warm-ups, 3 iterations) in process:
read the means as rough, the allocations as exact. \`-\` in *Allocated* means 0 B.

{micro_md}
"""
if os.path.exists(findings):
    doc += "\n" + open(findings).read()
open(out, "w").write(doc)
print(table)
print()
print("\n".join(like))
print()
print(series_md)
print()
print(micro_md)
EOF
log "wrote $OUT"
rm -rf "$WORK"
