#!/usr/bin/env bash
# CorrectNet(+) with a VGG on CIFAR-10 (issue 15: "a VGG network on CIFAR-10"): vgg16-s, VGG-16's 13 convolutions with
# batch norm at a quarter of their widths (16-128 channels; full VGG-16 is 16x the MACs, beyond this CPU budget),
# trained plain, Lipschitz-regularised (beta 5e-4, lambda 1) and hardware-aware + Lipschitz (multiplicative weight
# noise eta 0.4, as the LeNet-5 runs), then the variation sweep on all 10,000 test images (log-normal RRAM variation
# sigma 0 ... 1.2, 10 chips, spectral norms, error amplification, compensation trained at every sigma) and the
# compensation placement (none, everywhere, greedy, RL) at SIGMA. Training runs with --resume; the later steps skip
# what exists. Run from the repository root of a clone nothing rebuilds; outputs runs/vgg/*.
# Environment: DATA (../shared/data), EPOCHS (20), SIGMA (0.4).
set -euo pipefail
DATA="${DATA:-../shared/data}"
EPOCHS="${EPOCHS:-20}"
SIGMA="${SIGMA:-0.4}"
T="--model vgg16-s --dataset cifar10 --data-dir $DATA --epochs $EPOCHS --batch 128 --optimizer sgd --lr 0.1
   --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule onecycle --no-progress --threads 1 --seed 0 --resume"
HWA="--hwa --noise-kind multiplicative --noise-eta 0.4"
mkdir -p runs/vgg/out
nice -n 15 ./aimc train $T --out runs/vgg/plain
nice -n 15 ./aimc train $T --out runs/vgg/lip --lipschitz-beta 5e-4
nice -n 15 ./aimc train $T --out runs/vgg/hwa-lip $HWA --lipschitz-beta 5e-4
# compensation after the last block's convolutions and the classifier (1x1 convolutions on 2x2 maps and a rank-4
# linear: small against the backbone), trained at every sigma (--comp-per-sigma) on 10,000 training images for up to
# 3 epochs, the state most accurate on the last 2,000 training images over 5 chips kept (as the LeNet-5 table); the
# same chips for every network. Two processes side by side (plain and lip; hwa-lip), one per core.
V="--data-dir $DATA --sigma 0,0.2,0.4,0.8,1.2 --chips 10 --spectral --amplification --threads 1
   --compensate 37,40,45 --comp-per-sigma --comp-train-limit 10000 --comp-epochs 3 --comp-val-limit 2000
   --comp-val-chips 5"
pids=()
[ -f runs/vgg/out/variation-plain-lip.json ] || { nice -n 15 ./aimc variation --checkpoint runs/vgg/plain \
  --checkpoint runs/vgg/lip $V --json runs/vgg/out/variation-plain-lip.json > runs/vgg/out/variation-plain-lip.txt & pids+=($!); }
[ -f runs/vgg/out/variation-hwa-lip.json ] || { nice -n 15 ./aimc variation --checkpoint runs/vgg/hwa-lip $V \
  --json runs/vgg/out/variation-hwa-lip.json > runs/vgg/out/variation-hwa-lip.txt & pids+=($!); }
for p in "${pids[@]}"; do wait "$p"; done
[ -f "runs/vgg/out/place-compensation-s$SIGMA.json" ] || nice -n 15 ./aimc place-compensation \
  --checkpoint runs/vgg/hwa-lip --data-dir "$DATA" --sigma "$SIGMA" --chips 10 --val-limit 1000 --episodes 40 \
  --threads 1 --json "runs/vgg/out/place-compensation-s$SIGMA.json"
