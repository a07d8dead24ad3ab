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
stats = {}
chips = {}  # (case, method) -> {chip seed: accuracy %}
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
        stats[(case, key)] = (100 * s["mean"], 100 * s["std"], s["n"])
        chips[(case, key)] = {r["seed"]: 100 * r["accuracy"] for r in j["repeats"] if r["variant"] == "gdc"}
        cells += [pulses, f"{100 * s['mean']:.2f} ± {100 * s['std']:.2f} (n = {s['n']})"]
    print(f"| {label} | " + " | ".join(cells) + " |")
print("\nGDP minus each verify, in points: difference ± its standard error sqrt(s1²/n1 + s2²/n2) (Welch), and the mean"
      " ± standard error of the per-chip differences where the runs share chip seeds")
for case in cases:
    for v in ("verify1", "verify5"):
        if (case, "gdp") in stats and (case, v) in stats:
            (m1, s1, n1), (m2, s2, n2) = stats[(case, "gdp")], stats[(case, v)]
            se = (s1 ** 2 / n1 + s2 ** 2 / n2) ** 0.5
            line = f"- {case}: GDP − {v}: {m1 - m2:+.2f} ± {se:.2f} (t = {(m1 - m2) / se:.1f})"
            a, b = chips[(case, "gdp")], chips[(case, v)]
            common = sorted(set(a) & set(b))
            if len(common) > 1:  # the same chip seed: the same ADC mismatch, drift and read-noise draws
                d = [a[k] - b[k] for k in common]
                md = sum(d) / len(d)
                sd = (sum((x - md) ** 2 for x in d) / (len(d) - 1)) ** 0.5
                sed = sd / len(d) ** 0.5
                line += (f"; paired by chip seed ({len(d)} chips): {md:+.2f} ± {sed:.2f} (t = {md / sed:.1f}), "
                         f"GDP ahead on {sum(x > 0 for x in d)} of {len(d)}")
            print(line)
if digital is not None:
    print(f"\ndigital accuracy of the evaluated checkpoint on the same images: {100 * digital:.2f} %")
