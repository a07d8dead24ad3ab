#!/usr/bin/env bash
# Joshi et al., Nat. Commun. 11, 2473 (2020): ResNet-32 (resnet32-joshi, 361,722 weights) on CIFAR-10.
# Stage 1 digital training (one-cycle), stage 2 hardware-aware fine-tune (additive noise 3.8 % of max|W|, clip 2.5 sigma_W),
# stage 3 PCM evaluation (25 s, 1 h, 1 day, 1 year; none, GDC, GDC + AdaBS; 10 repeats; all 10,000 test images).
# Every training stage runs with --resume: after a crash, a reboot or a kill, run the same command again and it
# continues after the last completed epoch (checkpoints are written after every epoch). See README.md here.
#
#   experiments/joshi2020/train.sh start    # run all stages in the background (nohup), log to $RUN/train.log
#   experiments/joshi2020/train.sh status   # is it running, last log lines, epochs done per stage
#   experiments/joshi2020/train.sh stop     # stop the background run (its process group); resume with start
#   experiments/joshi2020/train.sh run      # all stages in the foreground
#   experiments/joshi2020/train.sh digital|hwa|evaluate   # one stage in the foreground
#
# Environment (defaults): RUN=docs/results/joshi2020-resnet32  AIMC_DATA=../shared/data  THREADS=1
#   DIGITAL_EPOCHS=60  HWA_EPOCHS=15  CLIP_SIGMA=2.5  REPEATS=10
#   EXTRA_TRAIN, EXTRA_EVAL: more options for every train / the evaluate call, e.g. a smoke test of the pipeline:
#   RUN=/tmp/j DIGITAL_EPOCHS=1 HWA_EPOCHS=1 REPEATS=1 EXTRA_TRAIN="--train-limit 256" EXTRA_EVAL="--test-limit 100" \
#       experiments/joshi2020/train.sh run
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$SELF")/../.."
RUN=${RUN:-docs/results/joshi2020-resnet32}
export AIMC_DATA=${AIMC_DATA:-../shared/data}
THREADS=${THREADS:-1}
DIGITAL_EPOCHS=${DIGITAL_EPOCHS:-60}
HWA_EPOCHS=${HWA_EPOCHS:-15}
CLIP_SIGMA=${CLIP_SIGMA:-2.5}
REPEATS=${REPEATS:-10}
EXTRA_TRAIN=${EXTRA_TRAIN:-}
EXTRA_EVAL=${EXTRA_EVAL:-}
LOG="$RUN/train.log"
PIDFILE="$RUN/train.pid"

# say, cmd
source "$(dirname "$SELF")/../lib.sh"

digital() {
    cmd ./aimc train --model resnet32-joshi --dataset cifar10 --epochs "$DIGITAL_EPOCHS" --batch 128 \
        --optimizer sgd --lr 0.2 --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule onecycle \
        --label-smoothing 0.1 --seed 0 --threads "$THREADS" --no-progress \
        --out "$RUN/checkpoints/digital" --resume $EXTRA_TRAIN
}

hwa() {
    # --init starts the fine-tune from the digital weights; once the fine-tune has a checkpoint, --resume continues
    # it and aimc refuses --init beside it
    local init=(--init "$RUN/checkpoints/digital")
    [ -f "$RUN/checkpoints/hwa/model.json" ] && init=()
    cmd ./aimc train --model resnet32-joshi --dataset cifar10 --epochs "$HWA_EPOCHS" --batch 128 \
        --optimizer sgd --lr 0.01 --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule cosine \
        --label-smoothing 0.1 --seed 1 --threads "$THREADS" --no-progress \
        "${init[@]}" \
        --hwa --noise-kind additive --noise-eta 0.038 --clip-sigma "$CLIP_SIGMA" \
        --out "$RUN/checkpoints/hwa" --resume $EXTRA_TRAIN
}

evaluate() {
    if [ -e "$RUN/pcm/results.json" ]; then
        say "$RUN/pcm/results.json exists; evaluation done (move it away to redo it)"
        return 0
    fi
    cmd ./aimc accuracy --checkpoint "$RUN/checkpoints/hwa" --threads "$THREADS"
    cmd ./aimc evaluate --checkpoint "$RUN/checkpoints/hwa" --device pcm --times 25,3600,86400,31536000 \
        --repeats "$REPEATS" --compensation none,gdc,gdc+adabs --seed 1 --threads "$THREADS" --no-progress \
        --out "$RUN/pcm" $EXTRA_EVAL
}

all() { digital && hwa && evaluate && say "all stages done"; }

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

case "${1:-}" in
    start|run|digital|hwa|evaluate) mkdir -p "$RUN/checkpoints" ;;
esac
case "${1:-}" in
    start)
        if running; then echo "already running (pid $(cat "$PIDFILE")); log: $LOG"; exit 0; fi
        # setsid: its own process group, so stop can end the run and the JVMs it started, nothing else
        nohup setsid "$SELF" run >> "$LOG" 2>&1 < /dev/null &
        echo $! > "$PIDFILE"
        echo "started (pid $!); log: $LOG; progress: $0 status"
        ;;
    status)
        if running; then echo "running (pid $(cat "$PIDFILE"))"; else echo "not running"; fi
        for s in digital hwa; do
            f="$RUN/checkpoints/$s/model.json"
            [ ! -f "$f" ] || echo "$s: $(grep -o '"epoch" *: *[0-9]*' "$f" | tail -1), $(grep -o '"testAccuracy" *: *[0-9.]*' "$f" | tail -1)"
        done
        if [ -f "$LOG" ]; then tail -n 5 "$LOG"; fi
        ;;
    stop)
        if running; then kill -- -"$(cat "$PIDFILE")" && echo "stopped; '$0 start' resumes after the last epoch"; else echo "not running"; fi
        ;;
    run) all ;;
    digital|hwa|evaluate) "$1" ;;
    *) sed -n '2,20p' "$SELF"; exit 2 ;;
esac
