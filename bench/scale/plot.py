#!/usr/bin/env python3
"""Plots the bench/scale results: python3 bench/scale/plot.py RESULTS_DIR DOCS_DIR
Reads routes.jsonl, metrics.jsonl and soak.csv from RESULTS_DIR (as bench/scale/run.sh writes them); writes
scale-routes.png and scale-soak.png into DOCS_DIR. A missing input skips its plot."""
import csv, json, os, sys
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
if routes:
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 3.8))
    n = [r["routes"] for r in routes]
    left.plot(n, [r["load_s"] for r in routes], "o-", label="load (process start to last route served)")
    left.plot(n, [r["reload_median_s"] for r in routes], "s-", label="reload (edit to new route served, minus 300 ms debounce)")
    left.plot(n, [r["bad_edit_rejected_s"] for r in routes], "^-", label="bad edit rejected")
    left.set(xscale="log", xlabel="routes", ylabel="seconds", title="Config load and reload time")
    left.legend(fontsize=7)
    middle.plot(n, [r["rss_loaded_mib"] for r in routes], "o-", label="after load")
    middle.plot(n, [r["rss_reloaded_mib"] for r in routes], "s-", label="after 3 reloads")
    middle.set(xscale="log", xlabel="routes", ylabel="RSS (MiB)", title="Gateway memory")
    middle.legend(fontsize=7)
    if metrics:
        m = [r["routes"] for r in metrics]
        right.plot(m, [r["bytes"] / 1024 for r in metrics], "o-", label="scrape size (KiB)")
        right.plot(m, [r["scrape_median_ms"] for r in metrics], "s-", label="scrape time (ms, median of 5)")
        right.set(xscale="log", yscale="log", xlabel="routes with traffic", title="/metrics")
        right.legend(fontsize=7)
    else:
        right.axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(docs, "scale-routes.png"), dpi=110)

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
