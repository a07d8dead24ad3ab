#!/usr/bin/env bash
# HAR265 (UCI HAR, first 265 of the 561 features): floating-point MLP, then 2- and 4-bit cells with uniform scaling
# and with per-layer tuned converters, 3 seeds each. Writes runs/har/ and the logs next to this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export AIMC_DATA=${AIMC_DATA:-/work/shared/data}
R=runs/har
L=docs/results/har/logs
mkdir -p "$R" "$L"
common=(--model mlp-har265 --dataset har265 --threads 1 --no-progress --overwrite)
for s in 0 1 2; do
  ./aimc train "${common[@]}" --epochs 30 --seed "$s" --out "$R/fp-s$s" > "$L/fp-s$s.log" 2>&1
  for b in 2 4; do
    for d in uniform per-layer; do
      ./aimc train "${common[@]}" --epochs 20 --lr 0.01 --seed "$s" --init "$R/fp-s$s" --uniform-scaling \
          --cell-bits "$b" --converter-design "$d" --out "$R/$d-b$b-s$s" > "$L/$d-b$b-s$s.log" 2>&1
    done
  done
done
# reference without quantization-aware training: the floating-point weights put on the same designs as they are
# (one epoch at learning rate 1e-9, so the recorded test accuracy is that of the unchanged weights)
for s in 0 1 2; do
  for b in 2 4; do
    for d in uniform per-layer; do
      ./aimc train "${common[@]}" --epochs 1 --lr 1e-9 --seed "$s" --init "$R/fp-s$s" --uniform-scaling \
          --cell-bits "$b" --converter-design "$d" --out "$R/ptq-$d-b$b-s$s" > "$L/ptq-$d-b$b-s$s.log" 2>&1
    done
  done
done
