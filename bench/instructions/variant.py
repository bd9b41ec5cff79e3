#!/usr/bin/env python3
"""Writes a copy of a gateway config with edits (usage: variant.py IN.json OUT.json EDIT ...), so each bench row switches
one feature off through configuration alone. EDIT is `-A:B:C` (remove that key), `A:B:C=JSON` (set it) or `+Routes=N`
(N-1 more routes beside `bench`, each `/rK/{**rest}` with the bench route's cluster and policies: the measured request
still goes to `bench`, so the row shows what the other routes cost it)."""
import json
import sys

config = json.load(open(sys.argv[1]))
for edit in sys.argv[3:]:
    if edit.startswith("+Routes="):
        routes = config["ReverseProxy"]["Routes"]
        for k in range(1, int(edit.partition("=")[2])):
            routes[f"r{k}"] = dict(routes["bench"], Match={"Path": f"/r{k}/{{**rest}}"})
        continue
    remove = edit.startswith("-")
    path, _, value = edit.lstrip("-").partition("=")
    *parents, key = path.split(":")
    node = config
    for name in parents:
        node = node.setdefault(name, {})
    if remove:
        del node[key]
    else:
        node[key] = json.loads(value)
json.dump(config, open(sys.argv[2], "w"), indent=2)
