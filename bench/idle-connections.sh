#!/usr/bin/env bash
# Memory one idle keep-alive connection costs the gateway: start Gateway.Host on the root config, open N sockets
# that each send one request and then stay idle, and read the host's RSS (/proc/<pid>/status VmRSS) before and after.
# Usage: bench/idle-connections.sh [N]   (default 2000; needs python3 and a built src/Gateway.Host)
set -euo pipefail
n=${1:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/src/Gateway.Host/bin/Release/net10.0/Gateway.Host.dll"
[ -f "$dll" ] || dotnet build -c Release "$root/src/Gateway.Host" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
want=$((n + 1024)) hard=$(ulimit -Hn)
# Each process holds one side of each connection; stay within the hard limit (20,000 in some containers).
if [[ $hard == unlimited || $want -lt $hard ]]; then ulimit -n "$want"; else ulimit -n "$hard"; fi
dotnet "$dll" --Gateway:ConfigFile="$root/appsettings.json" --Gateway:DemoMode=true \
  --Gateway:Urls:Public="http://127.0.0.1:$port" --Gateway:Urls:Admin=http://127.0.0.1:0 \
  --Kestrel:Limits:MaxConcurrentConnections=$((n + 10)) --Logging:LogLevel:Default=Warning --AccessLog:Enabled=false >/dev/null 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true' EXIT
python3 - "$port" "$n" "$gateway" <<'PY'
import socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
def request(s):
    s.sendall(b"GET /no-such-route HTTP/1.1\r\nHost: bench\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    return data
for _ in range(100):
    try:
        warm = socket.create_connection(("127.0.0.1", port)); request(warm); warm.close(); break
    except OSError:
        time.sleep(0.1)
for _ in range(200):  # warm the path: JIT, pools
    w = socket.create_connection(("127.0.0.1", port)); request(w); w.close()
time.sleep(2)
before = rss_kib()
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port)); request(s); held.append(s)
time.sleep(2)  # idle, well inside the 30 s keep-alive
after = rss_kib()
print(f"{n} idle keep-alive connections: RSS {before} KiB -> {after} KiB, {(after - before) / n:.1f} KiB per connection")
for s in held:
    s.close()
PY
