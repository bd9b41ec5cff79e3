#!/usr/bin/env bash
# HTTP/2 rows (issue 27): the gateway and bare YARP over TLS h2, plain GETs to nginx `return 200` (as bench/run.sh)
# and gRPC unary calls to the gRPC sample (src/Samples.Grpc), all in one run, driven by h2load (Debian nghttp2-client).
#   bench/h2load.sh
# Options (environment): ROUNDS=3 SECONDS_PER_ROUND=10 WARMUP_SECONDS=10 CLIENTS=32 STREAMS=10 BASE_PORT=18400
#   (ports BASE_PORT+1 .. BASE_PORT+20 on 127.0.0.1), OUT=docs/benchmarks-http2.md
# Everything it starts is stopped on exit, also on Ctrl-C or failure.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
CLIENTS=${CLIENTS:-32}
STREAMS=${STREAMS:-10}
BASE_PORT=${BASE_PORT:-18400}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$ROOT/docs/benchmarks-http2.md}
COMMAND="ROUNDS=$ROUNDS SECONDS_PER_ROUND=$SECONDS_PER_ROUND WARMUP_SECONDS=$WARMUP_SECONDS CLIENTS=$CLIENTS STREAMS=$STREAMS bench/h2load.sh"
BENCH_NAME=h2load
# shellcheck source=lib/processes.sh
source "$ROOT/bench/lib/processes.sh"
# shellcheck source=lib/nginx.sh
source "$ROOT/bench/lib/nginx.sh"

for tool in h2load nginx openssl python3; do
  command -v "$tool" >/dev/null || { echo "h2load.sh: $tool is missing (apt-get install nghttp2-client nginx-light openssl)" >&2; exit 1; }
done

UPSTREAM_PORT=$((BASE_PORT + 1)) GRPC_PORT=$((BASE_PORT + 2)) GRPC_HEALTH_PORT=$((BASE_PORT + 3))
YARP_PORT=$((BASE_PORT + 4)) GATEWAY_PORT=$((BASE_PORT + 5)) GATEWAY_TLS_PORT=$((BASE_PORT + 6)) ADMIN_PORT=$((BASE_PORT + 7))

echo "h2load.sh: building (Release)" >&2
build_release Gateway.Host Samples.Grpc
dotnet build -c Release --nologo -v quiet "$ROOT/bench/BareYarp" >"$WORK/build-BareYarp.log"

# One self-signed certificate for both proxies (h2load does not verify it), as the demo's is.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>"$WORK/openssl.log"

nginx_conf upstream 1 "  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { return 200 \"ok\\n\"; } }"
nginx -e "$WORK/nginx-upstream/startup.log" -p "$WORK/nginx-upstream" -c "$WORK/nginx-upstream/nginx.conf" &
PIDS+=("$!")

dotnet "$(bin Samples.Grpc)" --GrpcUrls "http://127.0.0.1:$GRPC_PORT" --HealthUrls "http://127.0.0.1:$GRPC_HEALTH_PORT" \
  --Logging:LogLevel:Default=Warning >"$WORK/grpc.log" 2>&1 &
PIDS+=("$!")

# The same gRPC route and HTTP/2 cluster for both proxies.
GRPC_ROUTE=(--ReverseProxy:Routes:grpc:ClusterId=grpc "--ReverseProxy:Routes:grpc:Match:Path=/samples.v1.Sample/{**rest}"
  --ReverseProxy:Clusters:grpc:HttpRequest:Version=2.0 --ReverseProxy:Clusters:grpc:HttpRequest:VersionPolicy=RequestVersionExact
  "--ReverseProxy:Clusters:grpc:Destinations:g:Address=http://127.0.0.1:$GRPC_PORT"
  "--ReverseProxy:Clusters:upstream:Destinations:nginx:Address=http://127.0.0.1:$UPSTREAM_PORT")

(cd "$ROOT/bench/BareYarp/bin/Release/net10.0" && exec dotnet BareYarp.dll --urls "https://127.0.0.1:$YARP_PORT" \
  "--Kestrel:Certificates:Default:Path=$WORK/cert.pem" "--Kestrel:Certificates:Default:KeyPath=$WORK/key.pem" \
  "${GRPC_ROUTE[@]}") >"$WORK/yarp.log" 2>&1 &
PIDS+=("$!")

dotnet "$(bin Gateway.Host)" "--Gateway:ConfigFile=$ROOT/bench/configs/gateway-full.json" \
  "--Gateway:Urls:Public=http://127.0.0.1:$GATEWAY_PORT" "--Gateway:Urls:Admin=http://127.0.0.1:$ADMIN_PORT" \
  "--Gateway:Urls:PublicTls=https://127.0.0.1:$GATEWAY_TLS_PORT" \
  "--Gateway:Tls:CertificateFile=$WORK/cert.pem" "--Gateway:Tls:KeyFile=$WORK/key.pem" \
  --Logging:LogLevel:Default=Warning "${GRPC_ROUTE[@]}" >"$WORK/gateway.log" 2>&1 &
PIDS+=("$!")

wait_http "http://127.0.0.1:$UPSTREAM_PORT/" 20
wait_http "http://127.0.0.1:$GRPC_HEALTH_PORT/healthz" 60
wait_http "http://127.0.0.1:$GATEWAY_PORT/bench/x" 60
for _ in $(seq 1 600); do curl -ksf -o /dev/null "https://127.0.0.1:$YARP_PORT/bench/x" && break; sleep 0.1; done

# samples.v1.Sample/Get with GetRequest{id: 1}: the gRPC frame (no compression, 4-byte length 2) then 08 01.
printf '\x00\x00\x00\x00\x02\x08\x01' >"$WORK/get.grpc"
GRPC_ARGS=(-d "$WORK/get.grpc" -H 'content-type: application/grpc' -H 'te: trailers')

run_h2load() { # label, url, extra args...
  local label=$1 url=$2; shift 2
  h2load -c "$CLIENTS" -m "$STREAMS" -D "$SECONDS_PER_ROUND" --warm-up-time=1 "$@" "$url" >"$WORK/$label.txt" 2>&1 || true
  python3 - "$label" "$WORK/$label.txt" >>"$WORK/results.tsv" <<'EOF'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
rps = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text)
lat = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text)
codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
ok = codes and int(codes.group(2)) + int(codes.group(3)) + int(codes.group(4)) == 0 and int(codes.group(1)) > 0
print("\t".join([label, rps.group(1) if rps and ok else "0", lat.group(3) if lat else "-", "ok" if ok else "FAILED (see log)"]))
EOF
}

TARGETS=("yarp h2 https://127.0.0.1:$YARP_PORT/bench/x" "gateway h2 https://127.0.0.1:$GATEWAY_TLS_PORT/bench/x"
  "yarp grpc https://127.0.0.1:$YARP_PORT/samples.v1.Sample/Get" "gateway grpc https://127.0.0.1:$GATEWAY_TLS_PORT/samples.v1.Sample/Get")
echo "h2load.sh: warming up ${WARMUP_SECONDS}s each" >&2
for target in "${TARGETS[@]}"; do
  read -r who kind url <<<"$target"
  extra=(); [[ $kind == grpc ]] && extra=("${GRPC_ARGS[@]}")
  h2load -c "$CLIENTS" -m "$STREAMS" -D "$WARMUP_SECONDS" "${extra[@]}" "$url" >/dev/null 2>&1 || true
done
: >"$WORK/results.tsv"
for round in $(seq 1 "$ROUNDS"); do # interleaved, so a change in machine load hits every target alike
  for target in "${TARGETS[@]}"; do
    read -r who kind url <<<"$target"
    extra=(); [[ $kind == grpc ]] && extra=("${GRPC_ARGS[@]}")
    echo "h2load.sh: round $round $who $kind" >&2
    run_h2load "$who-$kind-$round" "$url" "${extra[@]}"
  done
done

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$WORK/results.tsv" "$OUT" "$COMMAND" "$LOAD" "$(nproc)" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'EOF'
import statistics, sys, collections
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
out, command, load, cpus, commit = sys.argv[2:]
by = collections.defaultdict(list)
for label, rps, mean, state in rows:
    who, kind, _ = label.split("-")
    by[(who, kind)].append((float(rps), mean, state))
def median(key): return statistics.median(r for r, _, _ in by[key]) if by[key] else 0
lines = ["# HTTP/2 benchmarks (h2load)", "",
  "Generated by `bench/h2load.sh`; read as context, not a promise: wall-clock figures on this shared machine move by about 15% between runs.", "",
  f"Command: `{command}`  ", f"Commit {commit}, {cpus} CPUs, load average at the end {load} (other work may share the machine).", "",
  "| target | protocol | req/s (median of rounds) | rounds (req/s) | mean latency per round | gateway / YARP |", "|---|---|---|---|---|---|"]
for kind, name in (("h2", "TLS h2, GET to nginx return 200"), ("grpc", "TLS h2, gRPC unary samples.v1.Sample/Get")):
    for who in ("yarp", "gateway"):
        rounds = by[(who, kind)]
        ratio = f"{median(('gateway', kind)) / median(('yarp', kind)):.2f}" if who == "gateway" and median(("yarp", kind)) else ""
        lines.append(f"| {'bare YARP' if who == 'yarp' else 'gateway'} | {name} | {median((who, kind)):,.0f} | "
                     f"{', '.join(f'{r:,.0f}' if s == 'ok' else s for r, _, s in rounds)} | {', '.join(m for _, m, _ in rounds)} | {ratio} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
