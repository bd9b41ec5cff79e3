#!/usr/bin/env python3
"""Memory per open WebSocket through the gateway: N sessions to the chaos service's echo (/chaos/ws), each opened, one
message echoed, then held idle; the gateway's RSS and open fds before and after (each session is two sockets in the
gateway: the client's and the upstream's).
  python3 bench/scale/websockets.py [N]      (default 1000)"""
import base64, json, os, resource, socket, sys, time
import scalelib as s

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def open_session(port):
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /chaos/ws HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("the gateway closed a WebSocket handshake")
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:80]
    # One masked text frame "hi", and its echo back (unmasked, 4 bytes).
    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | 2]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(b"hi")))
    echo = head.split(b"\r\n\r\n", 1)[1]
    while len(echo) < 4:
        echo += sock.recv(64)
    assert echo[2:4] == b"hi", echo
    return sock


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, N * 4 + 1024)), hard))
    chaos_port, chaos = s.start_chaos()
    config = s.base_config(chaos_port)
    path = os.path.join(s.WORK, "websockets.json")
    s.write_config(path, config)
    gateway = s.Gateway(path, [f"--Kestrel:Limits:MaxConcurrentUpgradedConnections={N + 10}",
                               f"--Kestrel:Limits:MaxConcurrentConnections={N + 100}"])
    gateway.wait(lambda: gateway.status("/chaos/status/200") == 200, 180, "the gateway")
    for sock in [open_session(gateway.public) for _ in range(50)]:  # warm: JIT, pools
        sock.close()
    time.sleep(3)
    before = s.rss_kib(gateway.pid), s.fds(gateway.pid)
    held = [open_session(gateway.public) for _ in range(N)]
    time.sleep(3)
    after = s.rss_kib(gateway.pid), s.fds(gateway.pid)
    print(json.dumps({"websockets": N, "rss_before_mib": round(s.mib(before[0]), 1), "rss_after_mib": round(s.mib(after[0]), 1),
                      "per_websocket_kib": round((after[0] - before[0]) / N, 1),
                      "fds_before": before[1], "fds_after": after[1]}), flush=True)
    for sock in held:
        sock.close()


if __name__ == "__main__":
    main()
