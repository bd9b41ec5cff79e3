#!/usr/bin/env python3
"""Writes a copy of a gateway config with edits (usage: variant.py IN.json OUT.json EDIT ...), so each bench row switches
one feature off through configuration alone. EDIT is `-A:B:C` (remove that key) or `A:B:C=JSON` (set it)."""
import json
import sys

config = json.load(open(sys.argv[1]))
for edit in sys.argv[3:]:
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
