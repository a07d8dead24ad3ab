#!/usr/bin/env bash
# The full-MNIST CorrectNet(+) run of docs/results/correctnet/README.md ("Full MNIST"), as it was run on
# 2026-12-07 (there through a frozen copy of the jar, runs/bin2/aimc, so that edits did not rebuild it mid-run;
# the two training chains and the later commands ran two at a time). Run from the repository root; needs
# the full MNIST files in $DATA (default ../shared/data). Outputs: runs/full/*, runs/full/out/*.json and *.html.
set -euo pipefail
DATA="${DATA:-../shared/data}"
T="--model lenet5-mnist --dataset mnist --data-dir $DATA --epochs 8 --train-limit 59000 --no-progress --threads 1 --seed 0"
HWA="--hwa --noise-kind multiplicative --noise-eta 0.4"
mkdir -p runs/full/out
nice -n 10 ./aimc train $T --out runs/full/plain
nice -n 10 ./aimc train $T --out runs/full/lip --lipschitz-beta 5e-4
nice -n 10 ./aimc train $T --out runs/full/hwa $HWA
nice -n 10 ./aimc train $T --out runs/full/hwa-lip $HWA --lipschitz-beta 5e-4
V="--data-dir $DATA --sigma 0,0.4,0.8,1.2,1.6 --chips 10 --spectral --compensate 7,9,11 --comp-sigma 0.8 --comp-train-limit 20000 --threads 1"
nice -n 10 ./aimc variation --checkpoint runs/full/plain --checkpoint runs/full/lip $V \
  --json runs/full/out/variation-plain-lip.json
nice -n 10 ./aimc variation --checkpoint runs/full/hwa-lip $V --json runs/full/out/variation-hwa-lip.json
nice -n 10 ./aimc quant-search --checkpoint runs/full/hwa-lip --data-dir "$DATA" --sigma 0.4 --chips 10 \
  --val-limit 1000 --max-evaluations 40 --test-limit -1 --threads 1 --json runs/full/out/quant-search-hwa-lip.json
nice -n 10 ./aimc place-compensation --checkpoint runs/full/hwa-lip --data-dir "$DATA" --sigma 0.8 --chips 10 \
  --val-limit 1000 --episodes 40 --comp-train-limit 2000 --overhead-weight 0.1 --threads 1 \
  --json runs/full/out/place-compensation-hwa-lip.json
