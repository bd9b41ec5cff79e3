#!/usr/bin/env python3
"""Markdown table of run.sh's results (usage: report.py WORK COMMAND COMMIT WINDOWS REQUESTS WARMUP CONNECTIONS)."""
import datetime
import os
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
minimum = {name: min(w) for name, *_ in rows if (w := windows_of(name))}
print("# Instructions per request (callgrind)\n")
print(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on commit `{commit}` with `{command}`: each target under "
      "`valgrind --tool=callgrind --instr-atstart=no`, `DOTNET_TieredCompilation=0 DOTNET_gcServer=0 DOTNET_EnableWriteXorExecute=0`, "
      f"an nginx `return 200` upstream, {connections} keep-alive connections from `bench/instructions/load.py` (not under valgrind), "
      f"{warmup} warm-up requests, then {windows} windows of {requests} requests between `callgrind_control -z`/`-i on` and "
      "`-i off`/`-d`; each row gives the median and the minimum window. Callgrind counts user-space instructions of every thread of the "
      "process, whatever else the machine does, so rows can be compared across runs of the same commit; kernel time "
      "(sockets) is not counted, so these ratios overstate whole-CPU ratios.\n")
print("The gateway rows use `bench/configs/gateway-instructions.json`: one route, `/bench/{**rest}`, with a rate-limit "
      "policy, the `authenticated` policy (every request carries a valid HS256 bearer token, so the token check runs), "
      "output caching (`shared`; nginx sends no `Cache-Control`, so every request is a lookup and a miss), overload "
      "limits for the gateway and the cluster, one retry allowed, exemplars, the access log at Information (to a "
      "file) and tracing (no exporter). Each `off` row changes only configuration (`bench/instructions/variant.py`).\n")
print("| target | instructions per request (median) | minimum | windows | vs bare YARP (minimums) | vs bare YARP + OTel (minimums) | difference (minimums; vs every feature on unless named) |")
print("|---|---|---|---|---|---|---|")
for name, label, *_ in rows:
    if name not in median:
        if not os.environ.get("MEASURED_ONLY"):  # steps.sh: its table lists only what it ran
            print(f"| {label} | not measured | | | | | |")
        continue
    value = minimum[name]
    ratio = lambda base: f"{value / minimum[base]:.2f}x" if base in minimum else ""
    # Issue 28's config rows are compared with its own "issue" row, steps.sh's rows with that config without tracing,
    # the route-count rows with 10 routes, bare YARP with a library with bare YARP (+ OTel when fully traced).
    base = ("issue" if name.startswith("issue-") else "issue-notrace" if name.startswith("step-") else "routes-10" if name.startswith("routes-")
            else ("yarp-otel" if name.endswith("-otel") else "yarp") if name.startswith("yarp-") and name != "yarp-otel"
            else None if name in ("yarp", "yarp-otel", "full", "issue") else "full")
    saved = f"{value - minimum[base]:+,.0f} (vs {base})" if base in minimum and name != base else ""
    print(f"| {label} | {median[name]:,.0f} | {value:,} | {' / '.join(f'{w:,}' for w in windows_of(name))} | {ratio('yarp')} | {ratio('yarp-otel')} | {saved} |")
print()
# Issue 28's config has a rate-limit policy and counts every answer: its rows against bare YARP with ASP.NET Core's rate
# limiter (untraced: and one counter of answers), each traced its own way.
pairs = [("issue-notrace", "yarp-ratelimit-counter", "tracing off"), ("issue", "yarp-ratelimit-otel", "tracing on"),
         ("issue-sampled", "yarp-ratelimit-sampled", "1% sampling")]
pairs = [pair for pair in pairs if pair[0] in minimum and pair[1] in minimum]
if pairs:
    print("Issue 28's config against bare YARP with ASP.NET Core's rate limiter (and a counter of answers when untraced), each traced its "
          "own way (bare YARP with OpenTelemetry's ASP.NET Core and HttpClient instrumentation): "
          + "; ".join(f"{what} {minimum[gateway]:,} / {minimum[bare]:,} = {minimum[gateway] / minimum[bare]:.2f}x" for gateway, bare, what in pairs) + ".\n")
print("A row's difference is what that feature costs the route when on (negative: switching it off saves that many). "
      "Background work of the process (timers, a garbage collection, tiering or pool housekeeping) falls into whichever "
      "window it happens in and only ever adds instructions to it, never takes any away, so the minimum window is the "
      "closest to what the requests themselves cost; the ratios and differences use minimums. Medians of the same rows "
      "moved by up to 30,000 between runs where minimums agreed. The median is kept beside it "
      "and the windows show how much background work each row saw.\n")
print("What these rows showed, what was changed and what each change saved: [instructions-findings.md](instructions-findings.md).\n")
print("## The CI guard\n")
print("`tests/Gateway.IntegrationTests/InstructionBudgetTests.cs` runs a short version of this script (`ONLY=\"yarp full\" "
      "SOURCE=tree WARMUP=1000 WINDOWS=3 REQUESTS=300`: one Release build of the working tree, bare YARP and the gateway "
      "with every feature measured side by side) and fails when the gateway's minimum window costs more than "
      "`bench/instructions/budget.json`'s `fullOverBareYarp` times bare YARP's minimum in the same run. Instruction counts do not "
      "depend on machine load, so the guard does not flake with other work on the machine, only gets slower. A change "
      "that makes requests dearer on purpose raises the budget in the same commit and says why.\n")
