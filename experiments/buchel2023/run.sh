#!/usr/bin/env bash
# Büchel et al., IEEE JETCAS 2023 (gradient-descent programming, GDP): the network-level comparison on CIFAR-10.
# resnet9-s (Page's ResNet-9 at a quarter of its widths, see dev.aimc.models.ResNet9), trained digitally (one-cycle),
# fine-tuned with noise injection as in Joshi et al. 2020, then programmed onto 256x256 HERMES-PCM tiles by one-shot,
# program-and-verify (+-5 and +-1 counts) and GDP, with an ideal periphery ("ideal"), with every periphery error
# ("errors": IR drop 1e-6 r*g_max, ADC gain 5 %, offset 1 LSB, output noise 0.04, verify reads through the column ADC)
# and with the same errors at aihwkit's default wire resistance ("errors-ir": 0.35 ohm per cell, 8.75e-6 r*g_max),
# read 1 s after programming with global drift compensation (calibrated through the periphery); all 10,000 test images.
# Each evaluation's console output (with the pulses per device) goes to $RUN/pcm/CASE-METHOD.log.
# Training stages run with --resume: run the same command again after an interruption.
#
#   experiments/buchel2023/run.sh start             # every stage in the background, log in $RUN/run.log
#   experiments/buchel2023/run.sh run|digital|hwa|evaluate   # in the foreground
#
# Environment (defaults): RUN=docs/results/buchel2023-resnet9  AIMC_DATA=../shared/data  THREADS=1
#   DIGITAL_EPOCHS=24  HWA_EPOCHS=4  REPEATS=10  EXTRA_TRAIN, EXTRA_EVAL (more options, e.g. for a smoke test)
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$SELF")/../.."
RUN=${RUN:-docs/results/buchel2023-resnet9}
export AIMC_DATA=${AIMC_DATA:-../shared/data}
THREADS=${THREADS:-1}
DIGITAL_EPOCHS=${DIGITAL_EPOCHS:-24}
HWA_EPOCHS=${HWA_EPOCHS:-4}
REPEATS=${REPEATS:-10}
EXTRA_TRAIN=${EXTRA_TRAIN:-}
EXTRA_EVAL=${EXTRA_EVAL:-}

# say, cmd
source "$(dirname "$SELF")/../lib.sh"

digital() {
    cmd ./aimc train --model resnet9-s --dataset cifar10 --epochs "$DIGITAL_EPOCHS" --batch 128 \
        --optimizer sgd --lr 0.2 --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule onecycle \
        --label-smoothing 0.1 --seed 0 --threads "$THREADS" --no-progress \
        --out "$RUN/checkpoints/digital" --resume $EXTRA_TRAIN
}

hwa() {
    cmd ./aimc train --model resnet9-s --dataset cifar10 --epochs "$HWA_EPOCHS" --batch 128 \
        --optimizer sgd --lr 0.01 --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule cosine \
        --label-smoothing 0.1 --seed 1 --threads "$THREADS" --no-progress \
        --init "$RUN/checkpoints/digital" --hwa --noise-kind additive --noise-eta 0.038 --clip-sigma 2.5 \
        --out "$RUN/checkpoints/hwa" --resume $EXTRA_TRAIN
}

# one evaluation: CASE (ideal|errors|errors-ir), PROGRAMMING (oneshot|verify|gdp), verify tolerance in counts
evaluate_one() {
    local case=$1 prog=$2 tol=$3 errors=()
    local out="$RUN/pcm/$case-$prog$([ "$prog" = verify ] && echo "$tol")"
    case $case in
        errors) errors=(--ir-drop 1e-6 --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04 --verify-reads-through-adc) ;;
        errors-ir) errors=(--ir-drop 8.75e-6 --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04
                           --verify-reads-through-adc) ;;
    esac
    if [ -e "$out/results.json" ]; then say "$out done"; return 0; fi
    cmd ./aimc evaluate --checkpoint "$RUN/checkpoints/hwa" --device hermes --tile-size 256 --times 1 \
        --repeats "$REPEATS" --compensation gdc --programming "$prog" --verify-tolerance "$tol" "${errors[@]}" \
        --seed 1 --threads "$THREADS" --no-progress --out "$out" $EXTRA_EVAL 2>&1 | tee "$out.log"
}

evaluate() {
    for c in ideal errors errors-ir; do
        evaluate_one "$c" oneshot 5
        evaluate_one "$c" verify 5
        evaluate_one "$c" verify 1
        evaluate_one "$c" gdp 5
    done
}

all() { digital && hwa && evaluate && say "all stages done"; }

case "${1:-}" in
    start|run|digital|hwa|evaluate) mkdir -p "$RUN/checkpoints" "$RUN/pcm" ;;
esac
case "${1:-}" in
    start) nohup setsid "$SELF" run >> "$RUN/run.log" 2>&1 < /dev/null & echo "started (pid $!); log: $RUN/run.log" ;;
    run) all ;;
    digital|hwa|evaluate) "$1" ;;
    *) sed -n '2,15p' "$SELF"; exit 2 ;;
esac
