#!/usr/bin/env bash
# CorrectNet(+) reproduction table on CIFAR-10 LeNet-5 (issue 15): plain, Lipschitz-regularised (beta 5e-4, lambda 1),
# and hardware-aware + Lipschitz networks (the 15-epoch settings of run-cifar10.sh; the plain and hwa-lip networks are
# that script's runs/cifar/plain and runs/cifar/hwa-lip), each under log-normal RRAM variation sigma 0 ... 1.6 with and
# without error compensation after the fully connected layers 7, 9, 11 (trained at every sigma, at that sigma:
# --comp-per-sigma; on 20,000 training images, a new chip per batch, backbone frozen; one epoch without selection,
# then three epochs with selection on held-out images), 10 chips per sigma, all 10,000 test images. Networks missing
# in runs/cifar are trained first. Run from the repository root of a clone nothing rebuilds; outputs
# runs/cifar/out/table{-noselect,}.{json,html,txt}.
set -euo pipefail
DATA="${DATA:-../shared/data}"
T="--model lenet5 --dataset cifar10 --data-dir $DATA --epochs 15 --batch 128 --lr 0.05 --no-progress --threads 1 --seed 0"
HWA="--hwa --noise-kind multiplicative --noise-eta 0.4"
mkdir -p runs/cifar/out
[ -f runs/cifar/plain/model.json ] || nice -n 12 ./aimc train $T --out runs/cifar/plain
[ -f runs/cifar/lip/model.json ] || nice -n 12 ./aimc train $T --out runs/cifar/lip --lipschitz-beta 5e-4
[ -f runs/cifar/hwa-lip/model.json ] || nice -n 12 ./aimc train $T --out runs/cifar/hwa-lip $HWA --lipschitz-beta 5e-4
V="--data-dir $DATA --sigma 0,0.2,0.4,0.8,1.2,1.6 --chips 10 --spectral --compensate 7,9,11 --comp-per-sigma
   --comp-train-limit 20000 --threads 1"
# first run: one epoch, the last epoch kept (no selection)
[ -f runs/cifar/out/table-noselect.json ] || nice -n 12 ./aimc variation --checkpoint runs/cifar/plain \
  --checkpoint runs/cifar/lip --checkpoint runs/cifar/hwa-lip $V --json runs/cifar/out/table-noselect.json \
  | tee runs/cifar/out/table-noselect.txt
# second run: three epochs, the state most accurate on the last 2,000 training images (5 validation chips) kept
[ -f runs/cifar/out/table.json ] || nice -n 12 ./aimc variation --checkpoint runs/cifar/plain \
  --checkpoint runs/cifar/lip --checkpoint runs/cifar/hwa-lip $V --comp-epochs 3 --comp-val-limit 2000 \
  --comp-val-chips 5 --json runs/cifar/out/table.json | tee runs/cifar/out/table.txt
