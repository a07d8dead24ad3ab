#!/usr/bin/env bash
# HAR265, 2-bit cells, positive-only weights (issue 16 items 2-4): quantization-aware training with uniform scaling
# and --weight-polarity positive on every layer (from the floating-point checkpoints of run.sh), 3 seeds; then
# aimc evaluate of each design on analog tiles (its recorded design: weights on their cells, fixed weight scale W,
# DAC range A, ADC full scale R) with an ideal device and with 2-bit RRAM cells (Monte-Carlo over programming);
# the bipolar uniform-b2 checkpoints of run.sh evaluated the same way; aimc cost of both mappings.
# Needs runs/har/fp-s* and runs/har/uniform-b2-s* from run.sh. Writes runs/har/ and logs next to this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export AIMC_DATA=${AIMC_DATA:-/work/shared/data}
AIMC=${AIMC:-./aimc}
R=runs/har
L=docs/results/har/logs
mkdir -p "$R" "$L"
common=(--model mlp-har265 --dataset har265 --threads 1 --no-progress --overwrite)
for s in 0 1 2; do
  $AIMC train "${common[@]}" --epochs 30 --lr 0.05 --seed "$s" --init "$R/fp-s$s" --uniform-scaling --cell-bits 2 \
      --weight-polarity positive --out "$R/pos-b2-s$s" > "$L/pos-b2-s$s.log" 2>&1
done
ev=(--times 1 --compensation none --threads 1 --no-progress)
for s in 0 1 2; do
  for net in pos-b2 uniform-b2; do
    $AIMC evaluate --checkpoint "$R/$net-s$s" --device ideal --repeats 1 "${ev[@]}" --out "$R/eval-$net-s$s-ideal" \
        > "$L/eval-$net-s$s-ideal.log" 2>&1
    for sigma in 0.1 0.2; do
      $AIMC evaluate --checkpoint "$R/$net-s$s" --device "rram:bits=2,sigma=$sigma" --repeats 20 --seed 1 "${ev[@]}" \
          --out "$R/eval-$net-s$s-rram$sigma" > "$L/eval-$net-s$s-rram$sigma.log" 2>&1
    done
  done
done
for m in differential unipolar; do
  for t in 512 128; do
    $AIMC cost --checkpoint "$R/pos-b2-s0" --cell-bits 2 --weight-bits 2 --mapping "$m" --tile-size "$t" \
        --json "$L/cost-$m-t$t.json" > "$L/cost-$m-t$t.log" 2>&1
  done
done
