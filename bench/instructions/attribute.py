#!/usr/bin/env python3
"""Instructions per request by assembly, by gateway feature folder and by method (usage: attribute.py CALLGRIND_OUT
PERF_MAP REQUESTS [TOP]): self cost (instructions executed inside each method, not in its callees), from a callgrind
dump made with --dump-instr=yes (a cost per instruction address: callgrind's own function boundaries are wrong for JIT
code) and the runtime's perf map (DOTNET_PerfMapEnabled=1), which names every JIT-compiled method and stub by address.
Native code (the runtime, libc) keeps callgrind's symbol names. Prints markdown."""
import bisect
import collections
import re
import sys

dump, perf_map, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25

# ---- perf map: sorted (start, end, name)
spans = []
for line in open(perf_map, errors="replace"):
    address, size, name = line.rstrip("\n").split(" ", 2)
    spans.append((int(address, 16), int(address, 16) + int(size, 16), name))
spans.sort()
starts = [span[0] for span in spans]
METHOD = re.compile(r"\[([^\]]+)\]\s*([^\s()]+?)::([^(\s]+)\(")


def managed(address):
    k = bisect.bisect_right(starts, address) - 1
    if k >= 0 and address < spans[k][1]:
        return spans[k][2]
    return None


def describe(name):
    """(assembly, feature, short method name) for a perf-map name."""
    if name.startswith("stub "):
        return "stubs (runtime-generated)", None, name
    match = METHOD.search(name)
    if not match:
        return "other managed", None, name
    assembly, type_name, method = match.groups()
    type_name = re.sub(r"\[[^\]]*\]", "", type_name)
    feature = None
    if assembly == "Gateway":
        parts = type_name.split(".")
        feature = parts[1] if len(parts) > 2 else type_name
    return assembly, feature, f"{type_name}::{method} [{assembly}]"


# ---- callgrind dump: self cost lines ("addr line cost" with position compression), calls= lines skipped with their next line
names = {"ob": {}, "fn": {}}
current = {"ob": "", "fn": ""}
by_native = collections.Counter()
by_address = collections.Counter()
total = 0
skip_next = False
last = 0
positions = 1
NAME = re.compile(r"^(c?)(ob|fn|fl|fi|fe)=(?:\((\d+)\))?\s*(.*)$")
for line in open(dump, errors="replace"):
    line = line.rstrip("\n")
    if not line or line[0] in "#":
        continue
    if line.startswith("positions:"):
        positions = len(line.split()) - 1
        continue
    if line.startswith("calls="):
        skip_next = True
        continue
    match = NAME.match(line)
    if match:
        called, kind, ident, text = match.groups()
        if kind in ("ob", "fn"):
            table = names[kind]
            if ident and text:
                table[ident] = text
            value = table.get(ident, text) if ident else text
            if not called:
                current[kind] = value
        continue
    if not (line[0].isdigit() or line[0] in "+-*"):
        continue
    fields = line.split()
    position = fields[0]
    if position.startswith("0x"):
        address = int(position, 16)
    elif position[0] == "+":
        address = last + int(position[1:], 16 if position[1:].startswith("0x") else 10)
    elif position[0] == "-":
        address = last - int(position[1:], 16 if position[1:].startswith("0x") else 10)
    elif position == "*":
        address = last
    else:
        address = int(position)
    last = address
    if skip_next:
        skip_next = False
        continue
    cost = int(fields[positions]) if len(fields) > positions else 0
    total += cost
    obj = current["ob"].rsplit("/", 1)[-1]
    if obj in ("???", "") or current["fn"].startswith("0x"):
        by_address[(address, obj)] += cost
    else:
        by_native[(obj, current["fn"])] += cost

by_assembly = collections.Counter()
by_feature = collections.Counter()
by_method = collections.Counter()
for (address, obj), cost in by_address.items():
    name = managed(address)
    if name is None:
        # ReadyToRun code of a framework assembly (mapped from its file) is not in the perf map: counted by file only.
        by_assembly[f"{obj} (ReadyToRun, unnamed)" if obj.endswith(".dll") else "unnamed code (not in the perf map)"] += cost
        continue
    assembly, feature, method = describe(name)
    by_assembly[assembly] += cost
    by_method[method] += cost
    if feature:
        by_feature[feature] += cost
for (obj, fn), cost in by_native.items():
    group = "memset/memcpy (libc: zeroing allocations, copies)" if obj.startswith("libc") and re.search(r"mem(set|cpy|move)", fn) else f"native: {obj}"
    by_assembly[group] += cost
    by_method[f"{fn} [{obj}]"] += cost


def table(title, counter, limit):
    print(f"| {title} | instructions per request | share |")
    print("|---|---|---|")
    for key, cost in counter.most_common(limit):
        print(f"| {key} | {cost / requests:,.0f} | {100 * cost / total:.1f}% |")
    print()


print(f"Total: {total / requests:,.0f} instructions per request (self cost summed over {requests} requests).\n")
table("assembly or native object", by_assembly, top)
table("gateway feature folder (src/Gateway/*, own code only)", by_feature, top)
table(f"method (top {top})", by_method, top)
