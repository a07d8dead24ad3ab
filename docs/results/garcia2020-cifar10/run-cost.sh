#!/usr/bin/env bash
# Area and energy of the LeNet-5 designs (aimc cost, ISAAC 32-nm table, 8-bit DAC and ADC): b-bit weights on one
# b-bit cell, bipolar (differential pair) vs positive-only (unipolar), pair readout analog vs digital, 512 × 512 and
# 128 × 128 tiles; the per-layer-signs checkpoint with its recorded signs (512 × 512 tiles only). Needs run.sh's checkpoints (TAG as there).
set -euo pipefail
cd "$(dirname "$0")/../../.."
AIMC=${AIMC:-./aimc}
TAG=${TAG:-qat12}
R=runs/garcia/$TAG
L=docs/results/garcia2020-cifar10/logs/$TAG
mkdir -p "$L"
for b in 4 2; do
  for t in 512 128; do
    for pr in analog digital; do
      $AIMC cost --checkpoint "$R/b$b-bipolar" --cell-bits "$b" --weight-bits "$b" --mapping differential \
          --pair-readout "$pr" --tile-size "$t" --json "$L/cost-b$b-bipolar-t$t-$pr.json" > "$L/cost-b$b-bipolar-t$t-$pr.log" 2>&1
      $AIMC cost --checkpoint "$R/b$b-positive" --cell-bits "$b" --weight-bits "$b" --mapping unipolar \
          --pair-readout "$pr" --tile-size "$t" --json "$L/cost-b$b-positive-t$t-$pr.json" > "$L/cost-b$b-positive-t$t-$pr.log" 2>&1
    done
  done
done
for t in 512; do # the recorded signs are per 512 × 512 tile (one per LeNet-5 layer)
  for pr in analog digital; do
    $AIMC cost --checkpoint "$R/b2-signs" --cell-bits 2 --weight-bits 2 --pair-readout "$pr" --tile-size "$t" \
        --json "$L/cost-b2-signs-t$t-$pr.json" > "$L/cost-b2-signs-t$t-$pr.log" 2>&1
  done
done
