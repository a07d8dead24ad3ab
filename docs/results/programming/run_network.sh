#!/usr/bin/env bash
# Network accuracy at 1 s, 1 h, 1 day with each programming method, raw and with global drift compensation
# (aimc evaluate, defaults, 1 thread, all 10,000 CIFAR-10 test images). Writes network/METHOD/results.{json,csv}
# and network/evaluate.log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/network
LENET=${LENET:-docs/results/antolini2023-lenet5-cifar10/checkpoints/lenet5-conventional}   # exact CIFAR-10, 68.40 %
DATA=${DATA:-/work/shared/data}
REPEATS=${REPEATS:-5}
TMP=${TMP_RUNS:-/tmp/prog-runs}
mkdir -p "$TMP"
: > "$OUT/evaluate.log"
for m in oneshot verify gdp; do
  rm -rf "$TMP/net-$m"   # --out must not exist
  echo "== $m: aimc evaluate --checkpoint $LENET --programming $m --repeats $REPEATS --times 1,1h,1d --compensation none,gdc --seed 1 --threads 1" \
    | tee -a "$OUT/evaluate.log"
  OMP_NUM_THREADS=1 ./aimc evaluate --checkpoint "$LENET" --data-dir "$DATA" --out "$TMP/net-$m" \
    --programming $m --repeats "$REPEATS" --times 1,1h,1d --compensation none,gdc --seed 1 --threads 1 --no-progress \
    2>/dev/null | tee -a "$OUT/evaluate.log"
  mkdir -p "$OUT/$m"
  cp "$TMP/net-$m/results.json" "$TMP/net-$m/results.csv" "$OUT/$m/"
done
