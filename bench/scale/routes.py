#!/usr/bin/env python3
"""Time and memory to load and to reload N routes, and a bad edit of N routes rejected while the last good config serves.
  python3 bench/scale/routes.py [N ...]        (default 10 1000 10000; needs the Release builds, see bench/scale/run.sh)
Each route is r<i>: "/many/r<i>" to the chaos service's /chaos/status/200. Load: process start until the last route
answers (the 10-route row is the start-up floor). Reload: an edit adding one route, written aside and renamed in, until
gateway_config_reloads_total{result="success"} counts it (then that route must answer), three times, median; the file
watcher's 300 ms debounce is subtracted. The gateway's own figure for each (gateway_config_last_reload_duration_seconds:
from reading the file to applied or rejected) is reported beside it: the wall time also carries this script's polling. Bad edit: route r<N/2> names
an unknown RateLimiterPolicy; time until /healthz reports the rejection, which must name the route, while the old routes
and the last added one keep answering. RSS from /proc (VmRSS); CPU = the gateway's user+system time over each step (all its
threads, the metric polling included), steadier than wall time on a shared machine. Prints one JSON line per N."""
import json, os, statistics, sys, time
import scalelib as s

DEBOUNCE = 0.3


def config_with(base, n):
    config = json.loads(json.dumps(base))
    routes = config["ReverseProxy"]["Routes"]
    for i in range(n):
        routes[f"r{i}"] = route(i)
    return config


def route(i):
    return {"ClusterId": "chaos", "Match": {"Path": f"/many/r{i}"}, "Transforms": [{"PathSet": "/chaos/status/200"}]}


def measure(n, chaos_port):
    path = os.path.join(s.WORK, f"routes-{n}.json")
    config = config_with(s.base_config(chaos_port), n)
    s.write_config(path, config)
    size = os.path.getsize(path)
    gateway = s.Gateway(path, log_name=f"gateway-{n}.log")
    last = f"/many/r{n - 1}"
    gateway.wait(lambda: gateway.status(last) == 200, 1200, f"{n} routes to load")
    load = time.monotonic() - gateway.started
    load_cpu = s.cpu_seconds(gateway.pid)
    time.sleep(1)
    rss_loaded = s.rss_kib(gateway.pid)

    reloads, reload_cpu, reload_own = [], [], []
    for extra in range(3):
        i = n + extra
        config["ReverseProxy"]["Routes"][f"r{i}"] = route(i)
        applied = gateway.metric("gateway_config_reloads_total", 'result="success"')
        written, cpu = time.monotonic(), s.cpu_seconds(gateway.pid)
        s.write_config(path, config)
        # Poll the counter, not the new route: an unmatched path costs the gateway a scan of every route (the 405 check).
        gateway.wait(lambda: gateway.metric("gateway_config_reloads_total", 'result="success"') > applied, 1200, f"reload {extra + 1} of {n} routes")
        reloads.append(time.monotonic() - written - DEBOUNCE)
        reload_cpu.append(s.cpu_seconds(gateway.pid) - cpu)
        reload_own.append(gateway.metric("gateway_config_last_reload_duration_seconds"))
        assert gateway.status(f"/many/r{i}") == 200, f"r{i} is not served after its reload was applied"
    time.sleep(1)
    rss_reloaded = s.rss_kib(gateway.pid)

    bad = json.loads(json.dumps(config))
    victim = f"r{n // 2}"
    bad["ReverseProxy"]["Routes"][victim]["RateLimiterPolicy"] = "no-such-policy"
    failures = gateway.metric("gateway_config_reloads_total", 'result="failure"')
    written, cpu = time.monotonic(), s.cpu_seconds(gateway.pid)
    s.write_config(path, bad)
    s.wait_until(lambda: gateway.metric("gateway_config_reloads_total", 'result="failure"') > failures, 1200, "the bad edit's rejection")
    rejected = time.monotonic() - written - DEBOUNCE
    rejected_cpu = s.cpu_seconds(gateway.pid) - cpu
    rejected_own = gateway.metric("gateway_config_last_reload_duration_seconds")
    health = gateway.health()
    text = json.dumps(health)
    named = f"Route '{victim}'" in text and "RateLimiterPolicy" in text
    serving = all(gateway.status(p) == 200 for p in ("/many/r0", f"/many/{victim}", f"/many/r{n + 2}"))
    descriptions = [check.get("description") or "" for check in health.get("checks", {}).values()]
    error = next((d[max(0, d.find(f"Route '{victim}'") - 40):][:240] for d in descriptions if f"Route '{victim}'" in d), "not named")
    gateway.stop()
    return {
        "routes": n, "file_bytes": size, "load_s": round(load, 3), "load_cpu_s": round(load_cpu, 2),
        "rss_loaded_mib": round(s.mib(rss_loaded), 1),
        "reload_s": [round(r, 3) for r in reloads], "reload_median_s": round(statistics.median(reloads), 3),
        "reload_cpu_median_s": round(statistics.median(reload_cpu), 2),
        "reload_gateway_s": [round(r, 3) for r in reload_own], "reload_gateway_median_s": round(statistics.median(reload_own), 3),
        "rss_reloaded_mib": round(s.mib(rss_reloaded), 1),
        "bad_edit_rejected_s": round(rejected, 3), "bad_edit_cpu_s": round(rejected_cpu, 2), "bad_edit_gateway_s": round(rejected_own, 3), "bad_edit_named": named, "last_good_serving": serving,
        "health": health.get("status"), "error": error,
    }


def main():
    counts = [int(a) for a in sys.argv[1:]] or [10, 1000, 10000]
    chaos_port, _ = s.start_chaos()
    for n in counts:
        print(json.dumps(measure(n, chaos_port)), flush=True)


if __name__ == "__main__":
    main()
