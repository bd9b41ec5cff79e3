#!/usr/bin/env python3
"""Whether memory levels off over many reloads: N routes loaded, then COUNT edits (each adds a route), RSS and the
gateway's own reload time (gateway_config_last_reload_duration_seconds) after each.
  python3 bench/scale/reload_memory.py [N] [COUNT]        (default 10000 30; needs the Release builds, see run.sh)
Prints one JSON line per edit, then a summary line."""
import json, os, sys, time
import scalelib as s
import routes as r


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    chaos_port, _ = s.start_chaos()
    path = os.path.join(s.WORK, f"routes-{n}.json")
    config = r.config_with(s.base_config(chaos_port), n)
    s.write_config(path, config)
    gateway = s.Gateway(path, log_name=f"gateway-{n}.log")
    gateway.wait(lambda: gateway.status(f"/many/r{n - 1}") == 200, 1200, f"{n} routes to load")
    time.sleep(1)
    loaded = s.rss_kib(gateway.pid)
    rss = []
    for edit in range(count):
        i = n + edit
        config["ReverseProxy"]["Routes"][f"r{i}"] = r.route(i)
        applied = gateway.metric("gateway_config_reloads_total", 'result="success"')
        s.write_config(path, config)
        # Polled every 0.2 s: the figure that matters is the gateway's own.
        deadline = time.monotonic() + 120
        while gateway.metric("gateway_config_reloads_total", 'result="success"') <= applied:
            if time.monotonic() > deadline:
                raise SystemExit(f"edit {edit + 1} was not applied within 120 s (logs in {s.WORK})")
            time.sleep(0.2)
        took = gateway.metric("gateway_config_last_reload_duration_seconds")
        rss.append(s.rss_kib(gateway.pid))
        print(json.dumps({"edit": edit + 1, "routes": i + 1, "reload_gateway_s": round(took, 3), "rss_mib": round(s.mib(rss[-1]), 1)}), flush=True)
    gateway.stop()
    print(json.dumps({"routes": n, "edits": count, "rss_loaded_mib": round(s.mib(loaded), 1), "rss_max_mib": round(s.mib(max(rss)), 1),
                      "rss_last_mib": round(s.mib(rss[-1]), 1), "rss_last_10_min_max_mib": [round(s.mib(min(rss[-10:])), 1), round(s.mib(max(rss[-10:])), 1)]}))


if __name__ == "__main__":
    main()
