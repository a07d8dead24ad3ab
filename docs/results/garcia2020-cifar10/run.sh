#!/usr/bin/env bash
# CIFAR-10, LeNet-5 (issue 16, CIFAR-10 part; García-Redondo et al., arXiv 1910.13850): floating-point baseline, then
# quantization-aware training with uniform scaling (one cell quantizer, DAC and ADC for every layer, convolutions as
# their unrolled matrices) on 4-bit and 2-bit cells, bipolar (differential pair) vs positive-only (one cell per weight)
# vs per-layer tile signs; each checkpoint evaluated on its recorded design's tiles (ideal device, with --cost) and on
# RRAM cells of the design's bits with programming spread sigma 0.1 and 0.2 (as docs/results/har).
# Usage: [QAT_EPOCHS=N] [TAG=name] run.sh fp | VARIANT...   (VARIANT: b4-bipolar b4-positive b2-bipolar b2-positive
# b2-signs b2-perlayer); QAT_EPOCHS (default 12) quantization-aware epochs from runs/garcia/fp; TAG (default qat12) names the
# runs folder runs/garcia/TAG/ and the logs folder logs/TAG/ of the variants; EVAL_ONLY=1 only evaluates the
# variants' checkpoints. 1 PyTorch thread per run, nice 19.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export AIMC_DATA=${AIMC_DATA:-/work/shared/data}
AIMC=${AIMC:-./aimc}
FP=runs/garcia/fp
QAT_EPOCHS=${QAT_EPOCHS:-12}
TAG=${TAG:-qat12}
R=runs/garcia/$TAG
L=docs/results/garcia2020-cifar10/logs/$TAG
mkdir -p "$R" "$L"
common=(--model lenet5 --dataset cifar10 --batch 128 --threads 1 --no-progress --seed 0)
ev=(--times 1 --compensation none --threads 1 --no-progress)

evaluate() { # NET BITS
  nice -n 19 $AIMC evaluate --checkpoint "$R/$1" --device ideal --repeats 1 --cost "${ev[@]}" \
      --out "$R/eval-$1-ideal" > "$L/eval-$1-ideal.log" 2>&1
  for sigma in 0.1 0.2; do
    nice -n 19 $AIMC evaluate --checkpoint "$R/$1" --device "rram:bits=$2,sigma=$sigma" --repeats 10 --seed 1 \
        "${ev[@]}" --out "$R/eval-$1-rram$sigma" > "$L/eval-$1-rram$sigma.log" 2>&1
  done
}

for v in "$@"; do
  case "$v" in
    fp) nice -n 19 $AIMC train "${common[@]}" --epochs 15 --out "$FP" > docs/results/garcia2020-cifar10/logs/fp.log 2>&1
        continue ;;
    b4-bipolar) bits=4; more=(--lr 0.01) ;;
    b2-bipolar) bits=2; more=(--lr 0.01) ;;
    b4-positive) bits=4; more=(--lr 0.05 --weight-polarity positive) ;;
    b2-positive) bits=2; more=(--lr 0.05 --weight-polarity positive) ;;
    b2-perlayer) bits=2; more=(--lr 0.01 --converter-design per-layer) ;; # bipolar, each layer its own W, A, R
    # bipolar first convolution, positive-only 2nd convolution and hidden layers, negative-only last layer (every
    # LeNet-5 layer is one 512 × 512 tile, so a tile's sign is its layer's): the HAR search's chosen pattern 0+-
    b2-signs) bits=2; more=(--lr 0.05 --tile-signs 3=+ --tile-signs 7=+ --tile-signs 9=+ --tile-signs 11=-) ;;
    *) echo "unknown variant $v" >&2; exit 2 ;;
  esac
  if [ -z "${EVAL_ONLY:-}" ]; then # EVAL_ONLY=1: evaluate the variant's existing checkpoint only
    nice -n 19 $AIMC train "${common[@]}" --epochs "$QAT_EPOCHS" --init "$FP" --uniform-scaling --cell-bits "$bits" \
        "${more[@]}" --out "$R/$v" > "$L/$v.log" 2>&1
  fi
  evaluate "$v" "$bits"
done
