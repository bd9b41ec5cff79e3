#!/usr/bin/env python3
"""Gateway CPU per request as routes grow, for a path a route matches and for one no route matches.
  python3 bench/scale/route_lookup.py [N ...]      (default 10 1000 10000; needs wrk)
Routes as in routes.py. For each N: wrk -t1 -c8 -d10s on /many/r0 (matched, upstream 200) and on /nothing/here (404),
after a 5 s warm-up of each; CPU = the gateway's utime+stime from /proc/PID/stat over the run, per request wrk counted.
Wall-clock figures on a shared 2-core machine: compare rows of one run, and read the trend, not the digits."""
import json, os, re, subprocess, sys
import scalelib as s
from routes import config_with

def load(gateway, path, seconds):
    before = s.cpu_seconds(gateway.pid)
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", gateway.url(path)], check=True, capture_output=True, text=True).stdout
    used = s.cpu_seconds(gateway.pid) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return requests, used


def main():
    counts = [int(a) for a in sys.argv[1:]] or [10, 1000, 10000]
    chaos_port, _ = s.start_chaos()
    for n in counts:
        path = os.path.join(s.WORK, f"lookup-{n}.json")
        s.write_config(path, config_with(s.base_config(chaos_port), n))
        gateway = s.Gateway(path, log_name=f"gateway-lookup-{n}.log")
        gateway.wait(lambda: gateway.status(f"/many/r{n - 1}") == 200, 1200, f"{n} routes")
        row = {"routes": n}
        for name, target in (("matched", "/many/r0"), ("unmatched", "/nothing/here")):
            load(gateway, target, 5)
            requests, used = load(gateway, target, 10)
            row[name] = {"requests_per_s": round(requests / 10), "cpu_us_per_request": round(used * 1e6 / requests, 1)}
        print(json.dumps(row), flush=True)
        gateway.stop()


if __name__ == "__main__":
    main()
