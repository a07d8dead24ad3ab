#!/usr/bin/env bash
# MVM-error comparison of oneshot / verify / gdp (aimc program, defaults, 1 thread). Writes json/<case>-<method>.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/json
mkdir -p "$OUT"
LENET=${LENET:-/tmp/prog-ck/lenet5-cifar10-conv}   # copy of /work/wt-comp/runs/antolini/lenet5-conventional (epoch 19)
MLP=${MLP:-/work/wt-train/runs/mlp-mnist}
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
