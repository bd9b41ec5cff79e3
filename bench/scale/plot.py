#!/usr/bin/python3
"""Plots the bench/scale results: python3 bench/scale/plot.py RESULTS_DIR DOCS_DIR
Reads routes.jsonl, bare-yarp-routes.jsonl, lookup.jsonl, metrics.jsonl and soak.csv from RESULTS_DIR (as bench/scale/run.sh writes them); writes
scale-routes.png and scale-soak.png into DOCS_DIR. A missing input skips its plot."""
import csv, json, os, statistics, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

results, docs = sys.argv[1], sys.argv[2]


def rows(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


routes = [r for r in rows("routes.jsonl") if "routes" in r]
metrics = [r for r in rows("metrics.jsonl") if "routes" in r]
lookup = [r for r in rows("lookup.jsonl") if "routes" in r]
if routes:
    fig, (config, memory, per_request, scrape) = plt.subplots(1, 4, figsize=(17, 5.2))
    n = [r["routes"] for r in routes]
    for key, wall, label in (("load_cpu_s", "load_s", "load"), ("reload_cpu_median_s", "reload_median_s", "reload (median of 3)"),
                             ("bad_edit_cpu_s", "bad_edit_rejected_s", "bad edit rejected")):
        line, = config.plot(n, [r[key] for r in routes], "o-", label=f"{label}: gateway CPU s")
        config.plot(n, [r[wall] for r in routes], "--", color=line.get_color(), alpha=0.5, label=f"{label}: wall s")
    if all("reload_gateway_median_s" in r for r in routes):
        config.plot(n, [r["reload_gateway_median_s"] for r in routes], "k^-", label="reload: as the gateway measures it, s")
    # bare_yarp_routes.py: bare YARP loading the same routes (its LoadFromConfig, and LoadFromMemory), wall medians.
    for process, style, label in (("yarp-config", "x:", "bare YARP load, LoadFromConfig: wall s"),
                                  ("yarp-memory", "+:", "bare YARP load, LoadFromMemory less its file read: wall s")):
        bare = [r for r in rows("bare-yarp-routes.jsonl") if r.get("process") == process]
        if bare:
            loads = [statistics.median(r.get("load_less_file_read_s") or r["load_s"]) for r in bare]
            config.plot([r["routes"] for r in bare], loads, style, color="purple" if process == "yarp-config" else "brown", label=label)
    config.axhline(1, color="grey", linewidth=0.8)
    config.set(xscale="log", yscale="log", xlabel="routes", ylabel="seconds", title="Config load, reload, rejection")
    config.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)  # below: the lines fill the panel
    memory.plot(n, [r["rss_loaded_mib"] for r in routes], "o-", label="after load")
    memory.plot(n, [r["rss_reloaded_mib"] for r in routes], "s-", label="after 3 reloads")
    memory.set(xscale="log", xlabel="routes", ylabel="RSS (MiB)", title="Gateway memory")
    memory.legend(fontsize=7)
    if lookup:
        m = [r["routes"] for r in lookup]
        per_request.plot(m, [r["matched"]["cpu_us_per_request"] for r in lookup], "o-", label="matched path")
        per_request.plot(m, [r["unmatched"]["cpu_us_per_request"] for r in lookup], "s-", label="no route matches (404)")
        per_request.set(xscale="log", yscale="log", xlabel="routes", ylabel="gateway CPU µs per request", title="Per-request cost")
        per_request.legend(fontsize=7)
    else:
        per_request.axis("off")
    if metrics:
        m = [r["routes"] for r in metrics]
        scrape.plot(m, [r["bytes"] / 1024 for r in metrics], "o-", label="scrape size (KiB)")
        scrape.plot(m, [r["series"] for r in metrics], "^-", label="series")
        scrape.plot(m, [r["scrape_median_ms"] for r in metrics], "s-", label="scrape time (ms, median of 5)")
        scrape.set(xscale="log", yscale="log", xlabel="routes with traffic", title="/metrics")
        scrape.legend(fontsize=7)
    else:
        scrape.axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(docs, "scale-routes.png"), dpi=100)

soak = os.path.join(results, "soak.csv")
if os.path.exists(soak):
    with open(soak) as f:
        data = list(csv.DictReader(f))
    minutes = [int(r["second"]) / 60 for r in data]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
    for axis, key, label in zip(axes, ("rss_kb", "fds", "threads"), ("RSS (MiB)", "open file descriptors", "threads")):
        values = [int(r[key]) / (1024 if key == "rss_kb" else 1) for r in data]
        axis.plot(minutes, values)
        axis.set(xlabel="minutes", ylabel=label, ylim=(0, max(values) * 1.2), title=f"Soak: {label}")
    fig.tight_layout()
    fig.savefig(os.path.join(docs, "scale-soak.png"), dpi=110)
