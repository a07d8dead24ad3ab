#!/usr/bin/env python3
"""Markdown table of the aimc program JSON files in json/ (run_matrices.sh)."""
import json, os, sys
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "json")
cases = []
for f in sorted(os.listdir(d)):
    c = f.rsplit("-", 1)[0]
    if c not in cases:
        cases.append(c)
order = ["gauss256-s0", "gauss256-s1", "gauss256-s2", "gauss512-s0", "uniform512-s3"]
import re
nat = lambda c: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", c)]
cases = [c for c in order if c in cases] + sorted([c for c in cases if c not in order], key=nat)
print("| matrix | shape [out×in] (tiles) | method | ε t=0 | Δ vs verify | ε 1 h (GDC) | ε 1 d (GDC) | pulses/device (max) | ADC sat. t=0 | s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for c in cases:
    js = {m: json.load(open(os.path.join(d, f"{c}-{m}.json"))) for m in ("oneshot", "verify", "gdp")
          if os.path.exists(os.path.join(d, f"{c}-{m}.json"))}
    v = js["verify"]["mvm_error"]
    for m, j in js.items():
        p = j["parameters"]
        later = {int(e["time_s"]): e for e in j["later"]}
        shape = f'{p["cols"]}×{p["rows"]} ({j["tiles"][0]}×{j["tiles"][1]})'
        name = c + (f' `{p["layer"]}`' if "layer" in p else "")
        pulses = "–" if m == "oneshot" else f'{j["pulses_per_device"]:.2f} ({j["pulses_per_device_max"]:.0f})'
        print(f'| {name} | {shape} | {m} | {j["mvm_error"]:.4f} | {100 * (j["mvm_error"] / v - 1):+.1f}% | '
              f'{later[3600]["mvm_error_gdc"]:.4f} | {later[86400]["mvm_error_gdc"]:.4f} | {pulses} | '
              f'{100 * j["adc_saturated_fraction"]:.2f}% | {j["seconds"]:.2f} |')
