#!/usr/bin/env bash
# Per-layer MVM error of LeNet-5 layers 3 and 7 (the conventional checkpoint), ideal periphery and all errors of
# periphery.md's `all` case; 3 seeds. Writes lenet-layers/LAYER-CASE/program.json and lenet-layers/run.log.
set -euo pipefail
cd "$(dirname "$0")/../../../../.."
out=docs/results/programming/periphery/lenet-layers
ck=docs/results/antolini2023-lenet5-cifar10/checkpoints/lenet5-conventional
T=/tmp/prog-runs/lenet-layers
mkdir -p "$T"
: > "$out/run.log"
for l in 3 7; do
  for c in "ideal" "all --ir-drop 1e-6 --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04 --verify-reads-through-adc"; do
    set -- $c; name=$1; shift
    args="--method oneshot,verify,gdp --verify-tolerance 1,5 --weights $ck:$l --seed 0 --repeats 3 --times 1 $*"
    echo "== L$l $name: aimc program $args" | tee -a "$out/run.log"
    rm -rf "$T/L$l-$name"
    OMP_NUM_THREADS=1 ./aimc program $args --out "$T/L$l-$name" 2>/dev/null | tee -a "$out/run.log"
    mkdir -p "$out/L$l-$name"
    cp "$T/L$l-$name/program.json" "$out/L$l-$name/"
  done
done
