#!/usr/bin/env bash
# Network accuracy at 1 s, 1 h, 1 day with each programming method (aimc evaluate, defaults, 1 thread).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/network
LENET=${LENET:-/tmp/prog-ck/lenet5-cifar10-conv}   # copy of /work/wt-comp/runs/antolini/lenet5-conventional (epoch 19)
REPEATS=${REPEATS:-5}
for m in oneshot verify gdp; do
  OMP_NUM_THREADS=1 ./aimc evaluate --checkpoint "$LENET" --data-dir /work/shared/data --out /tmp/prog-runs/net-$m \
    --programming $m --repeats "$REPEATS" --times 1,1h,1d --threads 1 --no-progress 2>/dev/null | tee /tmp/prog-runs/net-$m.log
  mkdir -p "$OUT/$m"
  cp /tmp/prog-runs/net-$m/results.json /tmp/prog-runs/net-$m/results.csv "$OUT/$m/"
done
