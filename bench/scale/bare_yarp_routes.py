#!/usr/bin/env python3
"""Load N routes: the gateway against bare YARP, both ways bare YARP loads them.
  python3 bench/scale/bare_yarp_routes.py [N ...]     (default 10 10000; RUNS=3 runs, each starting the three in turn)
The routes are routes.py's ("/many/r<i>" to the chaos service). Load is timed as routes.py times it: process start until
the last route answers 200; RSS is read a second later, as routes.py reads it. Three processes, one after the other:
  gateway      Gateway.Host with routes.py's config (GATEWAY_HOST_DIR for a published one, as routes.py)
  yarp-config  bench/BareYarp as YARP's docs show it: LoadFromConfig over appsettings.json (ReverseProxy section)
  yarp-memory  bench/BareYarp with BARE_YARP_ROUTES_FILE and an empty content root: the same routes deserialized into
               RouteConfig and ClusterConfig and given to LoadFromMemory, no configuration file read; the time it took
               to read the routes file (the process prints it) is reported and taken off: what is left is what the
               host, YARP's apply and ASP.NET Core's route matcher take
BARE_YARP_DIR: a published bench/BareYarp (publish it as the gateway was, ReverseProxy's ReadyToRun for ReadyToRun).
Prints one JSON line per N and process: load seconds of each run (yarp-memory: also less its file read), CPU seconds,
RSS after load."""
import json, os, re, statistics, sys, time
import scalelib as s
import routes as r

RUNS = int(os.environ.get("RUNS", "3"))


def bare_yarp_dll():
    folder = os.environ.get("BARE_YARP_DIR") or f"{s.ROOT}/bench/BareYarp/bin/Release/net10.0"
    return os.path.join(folder, "BareYarp.dll")


def write_inputs(n, chaos_port):
    """The gateway's config file, bare YARP's appsettings.json folder, and the same routes as RouteConfig JSON."""
    config = r.config_with(s.base_config(chaos_port), n)
    gateway_path = os.path.join(s.WORK, f"routes-{n}.json")
    s.write_config(gateway_path, config)
    routes = {f"r{i}": r.route(i) for i in range(n)}
    clusters = {"chaos": config["ReverseProxy"]["Clusters"]["chaos"]}
    content_root = os.path.join(s.WORK, f"yarp-{n}")
    os.makedirs(content_root, exist_ok=True)
    s.write_config(os.path.join(content_root, "appsettings.json"), {"ReverseProxy": {"Routes": routes, "Clusters": clusters}})
    memory_path = os.path.join(s.WORK, f"yarp-memory-{n}.json")
    s.write_config(memory_path, {
        "Routes": [{"RouteId": key, **value} for key, value in routes.items()],
        "Clusters": [{"ClusterId": key, **value} for key, value in clusters.items()],
    })
    empty_root = os.path.join(s.WORK, "yarp-empty")
    os.makedirs(empty_root, exist_ok=True)
    return gateway_path, content_root, memory_path, empty_root


def time_bare_yarp(n, content_root, env, name):
    """(load, CPU, RSS, seconds spent reading BARE_YARP_ROUTES_FILE or 0)."""
    port = s.free_port()
    log = f"{name}-{n}.log"
    # Only this row's BARE_YARP_* settings: none inherited from the caller's environment.
    clean = {key: value for key, value in os.environ.items() if not key.startswith("BARE_YARP_")}
    started = time.monotonic()
    proc = s.start(["dotnet", bare_yarp_dll(), "--urls", f"http://127.0.0.1:{port}", "--contentRoot", content_root],
                   log, cwd=content_root, env=env, base_env=clean)
    last = f"http://127.0.0.1:{port}/many/r{n - 1}"
    s.wait_until(lambda: s.get(last, timeout=30)[0] == 200, 1200, f"bare YARP ({name}) to load {n} routes", proc)
    load = time.monotonic() - started
    cpu = s.cpu_seconds(proc.pid)
    time.sleep(1)
    rss = s.rss_kib(proc.pid)
    s.stop(proc)
    with open(os.path.join(s.WORK, log)) as f:
        read = re.search(r"routes file read in ([0-9.]+) s", f.read())
    return load, cpu, rss, float(read.group(1)) if read else 0.0


def time_gateway(n, path):
    gateway = s.Gateway(path, log_name=f"gateway-{n}.log")
    gateway.wait(lambda: gateway.status(f"/many/r{n - 1}") == 200, 1200, f"{n} routes to load")
    load = time.monotonic() - gateway.started
    cpu = s.cpu_seconds(gateway.pid)
    time.sleep(1)
    rss = s.rss_kib(gateway.pid)
    gateway.stop()
    return load, cpu, rss, 0.0


def main():
    counts = [int(a) for a in sys.argv[1:]] or [10, 10000]
    chaos_port, _ = s.start_chaos()
    for n in counts:
        gateway_path, content_root, memory_path, empty_root = write_inputs(n, chaos_port)
        runs = {"gateway": [], "yarp-config": [], "yarp-memory": []}
        for _ in range(RUNS):
            runs["gateway"].append(time_gateway(n, gateway_path))
            runs["yarp-config"].append(time_bare_yarp(n, content_root, {}, "yarp-config"))
            runs["yarp-memory"].append(time_bare_yarp(n, empty_root, {"BARE_YARP_ROUTES_FILE": memory_path}, "yarp-memory"))
        for name, results in runs.items():
            line = {
                "routes": n, "process": name, "load_s": [round(load, 3) for load, *_ in results],
                "load_median_s": round(statistics.median(load for load, *_ in results), 3),
                "cpu_s": [round(cpu, 2) for _, cpu, *_ in results],
                "rss_mib": [round(s.mib(rss), 1) for _, _, rss, _ in results],
            }
            if name == "yarp-memory":
                line["file_read_s"] = [round(read, 3) for *_, read in results]
                line["load_less_file_read_s"] = [round(load - read, 3) for load, *_, read in results]
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
