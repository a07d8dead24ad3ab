#!/usr/bin/env python3
"""Table of the garcia2020-cifar10 runs: python3 summary.py RUNS LOGS (e.g. runs/garcia/qat12 docs/.../logs/qat12)."""
import json
import os
import re
import sys

runs, logs = sys.argv[1], sys.argv[2]
fp_log = os.path.join(os.path.dirname(logs.rstrip('/')), 'fp.log')
NAMES = [('b4-bipolar', '4-bit', 'bipolar (pair)'), ('b4-positive', '4-bit', 'positive-only (one cell)'),
         ('b2-bipolar', '2-bit', 'bipolar (pair)'), ('b2-positive', '2-bit', 'positive-only (one cell)'),
         ('b2-signs', '2-bit', 'per-layer signs `0+++-`'), ('b2-perlayer', '2-bit', 'bipolar, per-layer ranges')]


def final(log):
    """The final test accuracy, or the last epoch's with '(N of E epochs)' when the run was stopped."""
    if not os.path.exists(log):
        return None
    text = open(log).read()
    m = re.search(r'final test accuracy ([0-9.]+)%', text)
    if m:
        return m.group(1)
    ep = re.findall(r'epoch (\d+)/(\d+):.*test acc ([0-9.]+)%', text)
    return f'{ep[-1][2]} (stopped after {ep[-1][0]} of {ep[-1][1]} epochs)' if ep else None


def ev(name):
    p = os.path.join(runs, name, 'results.json')
    return json.load(open(p)) if os.path.exists(p) else None


print('| network | cells | weights | QAT test acc. (%) | evaluate, ideal device (%) | RRAM σ = 0.1, 10 chips (%) '
      '| RRAM σ = 0.2, 10 chips (%) | cells on tiles | energy (nJ/inference) | area (mm²) |')
print('|---|---|---|---|---|---|---|---|---|---|')
f = final(fp_log)
print(f'| LeNet-5, floating point (digital) | — | float | {f} | — | — | — | — | — | — |' if f else '| fp | missing |')
for v, bits, pol in NAMES:
    acc = final(os.path.join(logs, v + '.log'))
    ideal = ev(f'eval-{v}-ideal')
    cols = []
    for s in ('0.1', '0.2'):
        r = ev(f'eval-{v}-rram{s}')
        cols.append(f"{100 * r['summary'][0]['mean']:.2f} ± {100 * r['summary'][0]['std']:.2f}" if r else '—')
    if ideal:
        c = ideal['cost']
        cost = f"{c['cells']:,} | {c['energyPj'] / 1e3:.1f} | {c['areaUm2'] / 1e6:.3f}"
        idl = f"{100 * ideal['summary'][0]['mean']:.2f}"
    else:
        cost, idl = '— | — | —', '—'
    a = acc if acc is not None else '(running)'
    design = 'per-layer design' if 'per-layer ranges' in pol else 'uniform design'
    print(f'| LeNet-5, {design} | {bits} | {pol} | {a} | {idl} | {cols[0]} | {cols[1]} | {cost} |')
