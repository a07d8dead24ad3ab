#!/usr/bin/env bash
# CorrectNet(+) on CIFAR-10 (issue 15: "CIFAR-10 LeNet-5"), LeNet-5 on the exact binary CIFAR-10, 15 epochs (the
# CPU budget of one session; the Antolini runs use the same), plain vs hardware-aware + Lipschitz-regularised
# (beta 5e-4, lambda 1; multiplicative weight noise eta 0.4, as the full-MNIST run), then the variation sweep
# (log-normal RRAM variation sigma 0 ... 1.6, 10 chips, spectral norms, error amplification) and the quantization
# search at sigma 0.4. Run from the repository root of a clone nothing rebuilds; outputs runs/cifar/*.
set -euo pipefail
DATA="${DATA:-../shared/data}"
T="--model lenet5 --dataset cifar10 --data-dir $DATA --epochs 15 --batch 128 --lr 0.05 --no-progress --threads 1 --seed 0"
HWA="--hwa --noise-kind multiplicative --noise-eta 0.4"
mkdir -p runs/cifar/out
[ -f runs/cifar/plain/model.json ] || nice -n 15 ./aimc train $T --out runs/cifar/plain
[ -f runs/cifar/hwa-lip/model.json ] || nice -n 15 ./aimc train $T --out runs/cifar/hwa-lip $HWA --lipschitz-beta 5e-4
V="--data-dir $DATA --sigma 0,0.2,0.4,0.8,1.2,1.6 --chips 10 --spectral --amplification --test-limit 2000 --threads 1"
nice -n 15 ./aimc variation --checkpoint runs/cifar/plain --checkpoint runs/cifar/hwa-lip $V \
  --json runs/cifar/out/variation-plain-hwa-lip.json
nice -n 15 ./aimc quant-search --checkpoint runs/cifar/hwa-lip --data-dir "$DATA" --sigma 0.4 --chips 10 \
  --val-limit 1000 --max-evaluations 40 --test-limit 2000 --threads 1 --json runs/cifar/out/quant-search-hwa-lip.json
