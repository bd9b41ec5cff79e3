# Sourced by the bench scripts that start the gateway and its samples as processes: a work folder, every started
# process stopped on exit, free ports, waiting for an answer, Release builds. Set BENCH_NAME before sourcing.
WORK=$(mktemp -d "/tmp/gateway-$BENCH_NAME.XXXXXX")
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "$BENCH_NAME: logs kept in $WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$BENCH_NAME: $1 did not answer within $2 s" >&2
  return 1
}

build_release() { # projects under src/
  for project in "$@"; do
    dotnet build -c Release --nologo -v quiet "$ROOT/src/$project" >"$WORK/build-$project.log"
  done
}

bin() { echo "$ROOT/src/$1/bin/Release/net10.0/$1.dll"; }
