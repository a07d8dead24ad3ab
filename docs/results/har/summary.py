#!/usr/bin/env python3
"""Table of the HAR265 runs: final test accuracy (mean ± sample std over seeds) from runs/har/*/model.json."""
import json, pathlib, statistics, sys
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/har")
rows = {}
for f in sorted(root.glob("*/model.json")):
    name, seed = f.parent.name.rsplit("-s", 1)
    rows.setdefault(name, []).append((int(seed), 100 * json.loads(f.read_text())["testAccuracy"]))
print("| run | seeds | test accuracy per seed (%) | mean ± std (%) |")
print("|---|---|---|---|")
for name, v in rows.items():
    acc = [a for _, a in sorted(v)]
    sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
    print(f"| {name} | {len(acc)} | {', '.join(f'{a:.2f}' for a in acc)} | {statistics.mean(acc):.2f} ± {sd:.2f} |")
