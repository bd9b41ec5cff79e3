#!/usr/bin/env python3
"""Markdown table of run.sh's results (usage: report.py WORK COMMAND COMMIT WINDOWS REQUESTS WARMUP CONNECTIONS)."""
import datetime
import statistics
import sys

work, command, commit, windows, requests, warmup, connections = sys.argv[1:8]
rows = [line.rstrip("\n").split("|") for line in open(f"{work}/rows") if line.strip()]


def windows_of(name):
    try:
        return [int(line) for line in open(f"{work}/result.{name}") if line.strip()]
    except FileNotFoundError:
        return []


median = {name: statistics.median(w) for name, *_ in rows if (w := windows_of(name))}
print("# Instructions per request (callgrind)\n")
print(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on commit `{commit}` with `{command}`: each target under "
      "`valgrind --tool=callgrind --instr-atstart=no`, `DOTNET_TieredCompilation=0 DOTNET_gcServer=0 DOTNET_EnableWriteXorExecute=0`, "
      f"an nginx `return 200` upstream, {connections} keep-alive connections from `bench/instructions/load.py` (not under valgrind), "
      f"{warmup} warm-up requests, then {windows} windows of {requests} requests between `callgrind_control -z`/`-i on` and "
      "`-i off`/`-d`; the figure is the median window. Callgrind counts user-space instructions of every thread of the "
      "process, whatever else the machine does, so rows can be compared across runs of the same commit; kernel time "
      "(sockets) is not counted, so these ratios overstate whole-CPU ratios.\n")
print("The gateway rows use `bench/configs/gateway-instructions.json`: one route, `/bench/{**rest}`, with a rate-limit "
      "policy, the `authenticated` policy (every request carries a valid HS256 bearer token, so the token check runs), "
      "output caching (`shared`; nginx sends no `Cache-Control`, so every request is a lookup and a miss), overload "
      "limits for the gateway and the cluster, one retry allowed, exemplars, the access log at Information (to a "
      "file) and tracing (no exporter). Each `off` row changes only configuration (`bench/instructions/variant.py`).\n")
print("| target | instructions per request (median) | windows | vs bare YARP | vs bare YARP + OTel | difference vs every feature on |")
print("|---|---|---|---|---|---|")
for name, label, *_ in rows:
    if name not in median:
        print(f"| {label} | not measured | | | | |")
        continue
    value = median[name]
    ratio = lambda base: f"{value / median[base]:.2f}x" if base in median else ""
    saved = f"{value - median['full']:+,.0f}" if name not in ("yarp", "yarp-otel", "full") and "full" in median else ""
    print(f"| {label} | {value:,.0f} | {' / '.join(f'{w:,}' for w in windows_of(name))} | {ratio('yarp')} | {ratio('yarp-otel')} | {saved} |")
print()
