#!/usr/bin/env python3
"""Summary table of docs/results/programming/periphery/CASE/program.json (aimc program, one row per case).

Verify at GDP's pulse budget: linear interpolation of the verify mean MVM error in pulses/device between the two
tolerances whose mean pulses bracket GDP's (blank when GDP's budget is outside the verify range)."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
cases = sys.argv[1:] or ["ideal", "irdrop", "irdrop-aihwkit", "gain2", "offset1", "adc", "adc-reads", "all",
                         "hermes-ideal", "hermes-all"]
print("| case | oneshot ε | verify ±5: ε (pulses) | verify ±1: ε (pulses) | GDP: ε (pulses) "
      "| verify at GDP's pulses (interp.) | GDP vs verify ±1 | GDP vs verify at equal pulses |")
print("|---|---|---|---|---|---|---|---|")
for c in cases:
    f = os.path.join(here, c, "program.json")
    if not os.path.exists(f):
        continue
    rows = json.load(open(f))["rows"]
    one = [r for r in rows if r["method"] == "oneshot"][0]
    gdp = [r for r in rows if r["method"] == "gdp"][0]
    ver = sorted([r for r in rows if r["method"] == "verify"], key=lambda r: r["pulses_per_device"])
    v = {r["verify_tolerance_counts"]: r for r in ver}
    p = gdp["pulses_per_device"]
    interp = None
    for a, b in zip(ver, ver[1:]):
        if a["pulses_per_device"] <= p <= b["pulses_per_device"]:
            t = (p - a["pulses_per_device"]) / (b["pulses_per_device"] - a["pulses_per_device"])
            interp = a["mvm_error"] + t * (b["mvm_error"] - a["mvm_error"])
    fmt = lambda r: "%.4f ± %.4f (%.2f)" % (r["mvm_error"], r["mvm_error_std"], r["pulses_per_device"])
    rel = lambda x, y: "%+.1f %%" % (100 * (x / y - 1))
    print("| %s | %.4f | %s | %s | %s | %s | %s | %s |" % (
        c, one["mvm_error"], fmt(v[5.0]), fmt(v[1.0]), fmt(gdp),
        "%.4f" % interp if interp else "–", rel(gdp["mvm_error"], v[1.0]["mvm_error"]),
        rel(gdp["mvm_error"], interp) if interp else "– (beyond ±1's budget)"))
