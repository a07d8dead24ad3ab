#!/usr/bin/env bash
# MVM-error comparison of oneshot / verify / gdp (aimc program, defaults, 1 thread). Writes json/<case>-<method>.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/json
mkdir -p "$OUT"
# committed checkpoints (the original runs used /tmp/prog-ck/lenet5-cifar10-conv, a LeNet-5 of 66.44 % that no longer
# exists; the committed conventional LeNet-5 has 66.68 %; mlp-mnist is the same checkpoint, 97.49 %)
LENET=${LENET:-docs/results/antolini2023-lenet5-cifar10/checkpoints/lenet5-conventional}
MLP=${MLP:-docs/results/analog-core/mlp-mnist-checkpoint}
run() { # case weights extra...
  local c=$1 w=$2; shift 2
  for m in oneshot verify gdp; do
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
