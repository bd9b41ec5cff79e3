#!/usr/bin/env python3
"""The cost of the admin /healthz with N routes, in demo mode as the demo runs it: five calls, wall time and gateway CPU.
  python3 bench/scale/healthz.py [N]        (default 10000; needs the Release builds, see run.sh)"""
import json, os, sys, time
import scalelib as s
import routes as r


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    chaos_port, _ = s.start_chaos()
    path = os.path.join(s.WORK, f"routes-{n}.json")
    s.write_config(path, r.config_with(s.base_config(chaos_port), n))
    gateway = s.Gateway(path)
    gateway.wait(lambda: gateway.status(f"/many/r{n - 1}") == 200, 1200, f"{n} routes to load")
    walls, cpus = [], []
    for _ in range(5):
        started, cpu = time.monotonic(), s.cpu_seconds(gateway.pid)
        status, _ = s.get(f"http://127.0.0.1:{gateway.admin}/healthz", timeout=60)
        walls.append(round(time.monotonic() - started, 3))
        cpus.append(round(s.cpu_seconds(gateway.pid) - cpu, 2))
        assert status == 200, f"/healthz answered {status}"
    gateway.stop()
    print(json.dumps({"routes": n, "healthz_wall_s": walls, "healthz_cpu_s": cpus}))


if __name__ == "__main__":
    main()
