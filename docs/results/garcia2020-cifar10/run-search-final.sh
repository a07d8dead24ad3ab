#!/usr/bin/env bash
# CIFAR-10, LeNet-5 architecture search of issue 16 with the final trainings and the RRAM Monte-Carlo evaluation
# (García-Redondo et al., arXiv 1910.13850; the CNN search is ours): the search of arch-search-b24/ (same settings,
# seed 0), then the chosen design, the all-bipolar per-layer-tuned baseline and the most accurate design with a
# one-signed layer trained in full (15 floating-point + 15 quantization-aware epochs on the whole training split), each
# evaluated on ideal 2-bit cells with --cost and on 2-bit RRAM with programming spread sigma 0.1 and 0.2, 10 chips,
# all 10,000 test images (as run.sh does for the hand-set designs). Outputs runs/garcia/search-final/, logs in
# docs/results/garcia2020-cifar10/logs/search-final/. Steps that have their output are skipped. 1 thread, nice 15.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export AIMC_DATA=${AIMC_DATA:-../shared/data}
AIMC=${AIMC:-./aimc}
R=runs/garcia/search-final
L=docs/results/garcia2020-cifar10/logs/search-final
mkdir -p "$R" "$L"
if [ ! -f "$R/search/one-signed/model.json" ]; then
  nice -n 15 $AIMC arch-search --network lenet5 --dataset cifar10 --seed 0 --cell-bits 2 --objective energy \
    --conv-widths 4,6,8,12,16,24,32 --fc-widths 32,48,64,84,120,160,240 --budget 24 --population 8 \
    --train-limit 10000 --val-limit 5000 --proxy-fp-epochs 3 --proxy-qat-epochs 3 --proxy-fp-lr 0.02 \
    --proxy-qat-lr 0.02 --final-epochs 15 --final-fp-lr 0.05 --final-qat-lr 0.02 --final-one-signed \
    --out "$R/search" --threads 1 > "$L/search.log" 2>&1
fi
ev=(--times 1 --compensation none --threads 1 --no-progress)
for d in baseline chosen one-signed; do
  [ -d "$R/eval-$d-ideal" ] || nice -n 15 $AIMC evaluate --checkpoint "$R/search/$d" --device ideal --repeats 1 \
      --cost "${ev[@]}" --out "$R/eval-$d-ideal" > "$L/eval-$d-ideal.log" 2>&1
  for sigma in 0.1 0.2; do
    [ -d "$R/eval-$d-rram$sigma" ] || nice -n 15 $AIMC evaluate --checkpoint "$R/search/$d" \
        --device "rram:bits=2,sigma=$sigma" --repeats 10 --seed 1 "${ev[@]}" --out "$R/eval-$d-rram$sigma" \
        > "$L/eval-$d-rram$sigma.log" 2>&1
  done
done
echo "done: $R"
