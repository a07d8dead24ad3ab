#!/usr/bin/env bash
# MVM-error comparison of oneshot / verify / gdp (aimc program, defaults, 1 thread). Writes json/<case>-<method>.json.
# CASES=REGEX runs only the cases whose name matches (e.g. CASES=lenet: the LeNet-5 layers); default all.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/json
mkdir -p "$OUT"
# committed checkpoints: the conventional LeNet-5 retrained on the exact CIFAR-10 (68.40 %; the LeNet-5 rows were
# re-run with it on 2026-12-07), mlp-mnist 97.49 %
LENET=${LENET:-docs/results/antolini2023-lenet5-cifar10/checkpoints/lenet5-conventional}
MLP=${MLP:-docs/results/analog-core/mlp-mnist-checkpoint}
CASES=${CASES:-.}
mkdir -p /tmp/prog-runs
run() { # case weights extra...
  local c=$1 w=$2; shift 2
  [[ $c =~ $CASES ]] || return 0
  for m in oneshot verify gdp; do
    rm -rf /tmp/prog-runs/$c-$m
    OMP_NUM_THREADS=1 ./aimc program --method $m --weights "$w" --out /tmp/prog-runs/$c-$m --times 1,3600,86400 "$@" \
      2>/dev/null | grep -E "mvm error right|pulses" | tr '\n' ' ' | sed "s/^/$c $m: /"; echo
    cp /tmp/prog-runs/$c-$m/program.json "$OUT/$c-$m.json"
  done
}
for s in 0 1 2; do run gauss256-s$s random --rows 256 --cols 256 --seed $s; done
run gauss512-s0 random --rows 512 --cols 512 --seed 0
run uniform512-s3 uniform --rows 512 --cols 512 --seed 3
for l in 0 3 7 9 11; do run lenet5-cifar10-L$l "$LENET:$l"; done
for l in 1 3 5; do run mlp-mnist-L$l "$MLP:$l"; done
