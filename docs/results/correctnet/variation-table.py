#!/usr/bin/env python3
"""Markdown tables from an `aimc variation` JSON: accuracy (mean ± sample std over the chips, %) per σ for every
network and its compensated version, the fraction of each network's digital accuracy, and, with selection
(--comp-val-limit), the epoch kept at each σ (0 = the zero initialization, i.e. no compensation).
Usage: variation-table.py FILE.json [FILE.json ...] (several runs over the same σ and chips, side by side)"""
import json
import os
import sys

docs = [json.load(open(f)) for f in sys.argv[1:]]
d = docs[0]
if any(x["sigmas"] != d["sigmas"] or x["chips"] != d["chips"] or x["seed"] != d["seed"] for x in docs):
    sys.exit("variation-table.py: the files differ in σ, chips or seed")
rows = [r for x in docs for r in x["results"]]
name = lambda r: os.path.basename(r["checkpoint"].rstrip("/"))
sig = [str(float(s)) for s in d["sigmas"]]
cols = []
for r in rows:
    cols.append((name(r), r["digitalAccuracy"], r["accuracy"]))
    if "compensation" in r:
        cols.append((name(r) + " + comp", r["digitalAccuracy"], r["compensation"]["accuracy"]))
print("| σ | " + " | ".join(c[0] for c in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
print("| digital | " + " | ".join(f"{100 * c[1]:.2f}" for c in cols) + " |")
for s in sig:
    print(f"| {s} | " + " | ".join(f"{100 * c[2][s]['mean']:.2f} ± {100 * c[2][s]['std']:.2f}" for c in cols) + " |")
print("\nFraction of the network's digital accuracy (mean / digital):\n")
print("| σ | " + " | ".join(c[0] for c in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for s in sig:
    print(f"| {s} | " + " | ".join(f"{100 * c[2][s]['mean'] / c[1]:.1f} %" for c in cols) + " |")
sel = [(name(r), r["compensation"].get("selection")) for r in rows if "compensation" in r]
if any(s for _, s in sel):
    print("\nCompensation kept (epoch; 0 = zero initialization) and its held-out accuracy against none, per σ:\n")
    for n, s in [(n, s) for n, s in sel if s]:
        print(f"- {n}: " + "; ".join(
            f"σ {x['trainSigma']}: epoch {x['keptEpoch']} ({100 * x['validationAccuracy'][x['keptEpoch']]:.2f} vs "
            f"{100 * x['validationAccuracy'][0]:.2f} %)" for x in s))
c0 = next((r["compensation"] for r in rows if "compensation" in r), None)
if c0:
    o = c0["overhead"]
    print(f"\nCompensation after {c0['paths']} (rank {c0['rank']}): {o['parameters']:,} parameters "
          f"({100 * o['parameters'] / o['backboneParameters']:.2f} % of {o['backboneParameters']:,}), {o['macs']:,} MACs "
          f"({100 * o['macs'] / o['backboneMacs']:.2f} % of {o['backboneMacs']:,}); trained at {c0['trainSigma']}"
          + (f"; {c0['training']}" if "training" in c0 else ""))
