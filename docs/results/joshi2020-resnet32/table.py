#!/usr/bin/env python3
"""The Joshi 2020 ResNet-32 table from pcm/results.json (aimc evaluate): accuracy per time and compensation, mean ±
sample std over the programming repeats, the loss from digital to one day with GDC + AdaBS (target <= 0.5 points) and
AdaBS's gain over GDC alone, paired by repeat (same chip, same seed), against the repeat spread.
Usage: table.py [RESULTS_JSON] (default: pcm/results.json beside this script)."""
import json
import statistics
import sys
from pathlib import Path

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("pcm") / "results.json"
d = json.loads(path.read_text())
names = {1.0: "1 s", 25.0: "25 s", 3600.0: "1 h", 86400.0: "1 day", 31536000.0: "1 year"}
times = sorted({s["timeSeconds"] for s in d["summary"]})
variants = [v for v in ["none", "gdc", "gdc+adabs"] if any(s["variant"] == v for s in d["summary"])]
summ = {(s["variant"], s["timeSeconds"]): s for s in d["summary"]}
reps = {}
for r in d["repeats"]:
    reps.setdefault((r["variant"], r["timeSeconds"]), {})[r["repeat"]] = r["accuracy"]
digital = d["digitalAccuracy"]
n = summ[(variants[0], times[0])]["n"]
model = d.get("configuration", {}).get("model", "?")
print(f"{model}: digital {100 * digital:.2f} % on {d['testSamples']:,} test images; "
      f"PCM ({d['device']}), {n} programming repeats, mean ± sample std (%)\n")
print("| compensation | " + " | ".join(names.get(t, f"{t:g} s") for t in times) + " |")
print("|---" * (len(times) + 1) + "|")
for v in variants:
    cells = [f"{100 * summ[(v, t)]['mean']:.2f} ± {100 * summ[(v, t)]['std']:.2f}" for t in times]
    print(f"| {v} | " + " | ".join(cells) + " |")
print()
if ("gdc+adabs", 86400.0) in summ:
    loss = 100 * (digital - summ[("gdc+adabs", 86400.0)]["mean"])
    print(f"digital - (GDC + AdaBS at 1 day) = {loss:.2f} points (target <= 0.5; paper: 93.87 -> > 93.5 %)")
for t in times:
    if ("gdc", t) in reps and ("gdc+adabs", t) in reps:
        a, b = reps[("gdc", t)], reps[("gdc+adabs", t)]
        diffs = [100 * (b[k] - a[k]) for k in sorted(a) if k in b]
        m = statistics.mean(diffs)
        sd = statistics.stdev(diffs) if len(diffs) > 1 else 0.0
        spread = 100 * max(summ[("gdc", t)]["std"], summ[("gdc+adabs", t)]["std"])
        wins = sum(1 for x in diffs if x > 0)
        print(f"AdaBS gain over GDC at {names.get(t, t)}: {m:+.2f} ± {sd:.2f} points paired over {len(diffs)} repeats "
              f"({wins} of {len(diffs)} positive); repeat spread (larger std) {spread:.2f}; "
              f"{'beyond' if m > spread else 'within'} the spread")
