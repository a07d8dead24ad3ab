#!/usr/bin/env python3
"""Table of experiments/buchel2023/run.sh: accuracy (mean ± sample std over chips) and pulses per device per
programming method, ideal periphery and all periphery errors. Usage: buchel-table.py [RUN] (default
docs/results/buchel2023-resnet9)."""
import json, os, re, sys

run = sys.argv[1] if len(sys.argv) > 1 else "docs/results/buchel2023-resnet9"
methods = [("oneshot", "one-shot (statistical model)"), ("verify5", "verify ±5 counts"),
           ("verify1", "verify ±1 count"), ("gdp", "GDP")]
cases = ("ideal", "errors", "errors-ir")
print("| programming | " + " | ".join(f"{c}: pulses/device | {c}: accuracy %" for c in cases) + " |")
print("|---|" + "---|---|" * len(cases))
digital = None
for key, label in methods:
    cells = []
    for case in cases:
        base = os.path.join(run, "pcm", f"{case}-{key}")
        try:
            j = json.load(open(os.path.join(base, "results.json")))
        except FileNotFoundError:
            cells += ["–", "–"]
            continue
        digital = j["digitalAccuracy"]
        s = [x for x in j["summary"] if x["variant"] == "gdc"][0]
        pulses = "1.000"
        if key != "oneshot" and os.path.exists(base + ".log"):
            m = re.search(r"programming \w+: \d+ tiles, ([0-9.]+) pulses per device", open(base + ".log").read())
            pulses = m.group(1) if m else "?"
        cells += [pulses, f"{100 * s['mean']:.2f} ± {100 * s['std']:.2f} (n = {s['n']})"]
    print(f"| {label} | " + " | ".join(cells) + " |")
if digital is not None:
    print(f"\ndigital accuracy of the evaluated checkpoint on the same images: {100 * digital:.2f} %")
