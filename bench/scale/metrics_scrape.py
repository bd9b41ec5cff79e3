#!/usr/bin/env python3
"""/metrics with N routes that all had traffic: scrape size, time and series per route.
  python3 bench/scale/metrics_scrape.py [N ...]      (default 10 1000)
Routes as in routes.py; each route gets GET x2 answered 200 and one GET answered 503 by the upstream (two codes per
route, as a live route has). Then five scrapes of the admin /metrics: bytes, series (sample lines), series naming a
route r<i>, the median scrape time. Series per route = the growth in series from the smallest N, over the added routes."""
import json, os, statistics, sys, time
import scalelib as s


def main():
    counts = [int(a) for a in sys.argv[1:]] or [10, 1000]
    chaos_port, _ = s.start_chaos()
    rows = []
    for n in counts:
        config = s.base_config(chaos_port)
        for i in range(n):
            config["ReverseProxy"]["Routes"][f"r{i}"] = {
                "ClusterId": "chaos", "Match": {"Path": f"/many/r{i}/{{code}}"}, "Transforms": [{"PathPattern": "/chaos/status/{code}"}]}
        path = os.path.join(s.WORK, f"metrics-{n}.json")
        s.write_config(path, config)
        gateway = s.Gateway(path, log_name=f"gateway-metrics-{n}.log")
        gateway.wait(lambda: gateway.status(f"/many/r{n - 1}/200") == 200, 600, f"{n} routes")
        for i in range(n):
            for code in (200, 200, 503):
                assert gateway.status(f"/many/r{i}/{code}") == code
        text = gateway.metrics()
        times = []
        for _ in range(5):
            started = time.monotonic()
            text = gateway.metrics()
            times.append(time.monotonic() - started)
        samples = [line for line in text.splitlines() if line and not line.startswith("#")]
        per_route = [line for line in samples if 'route="r' in line]
        families = {line.split("{")[0].split(" ")[0] for line in per_route}
        first_route = {}
        for line in per_route:
            if 'route="r0"' in line:
                family = line.split("{")[0]
                first_route[family] = first_route.get(family, 0) + 1
        row = {"routes": n, "bytes": len(text.encode()), "series": len(samples), "route_series": len(per_route),
               "route_families": sorted(families), "series_of_r0": first_route, "scrape_median_ms": round(statistics.median(times) * 1000, 1),
               "scrape_ms": [round(t * 1000, 1) for t in times], "rss_mib": round(s.mib(s.rss_kib(gateway.pid)), 1)}
        rows.append(row)
        print(json.dumps(row), flush=True)
        gateway.stop()
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        added = last["routes"] - first["routes"]
        print(json.dumps({"series_per_route": round((last["series"] - first["series"]) / added, 2),
                          "bytes_per_route": round((last["bytes"] - first["bytes"]) / added)}), flush=True)


if __name__ == "__main__":
    main()
