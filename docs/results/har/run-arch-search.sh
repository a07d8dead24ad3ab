#!/usr/bin/env bash
# Issue 16, item 3: architecture search over the hidden widths of the HAR MLP and the sign mode (+, -, bipolar) of
# every layer, on one uniform 2-bit design (har265: the first 265 of the 561 features). Two searches: energy with
# pairs subtracted in analog (ISAAC table as is), and area with pairs subtracted after the ADCs (MNSIM's Sub_Position
# 1). For each, the chosen design and the all-bipolar per-layer-tuned baseline (both trained in full by the search's
# --final-epochs) on analog tiles: ideal devices and 2-bit RRAM with sigma 0.1 (10 chips, full test set), and their
# cost under both pair readouts. About 45 min on 1 thread under load. Writes runs/nas/ and logs next to this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export AIMC_DATA=${AIMC_DATA:-/work/shared/data}
AIMC=${AIMC:-./aimc}
L=docs/results/har/logs
mkdir -p runs/nas "$L"

# search_and_evaluate NAME SEARCH-OPTIONS...
search_and_evaluate() {
  local name=$1; shift
  local R=runs/nas/$name
  if [ ! -f "$R/search.json" ]; then # a finished search is not repeated
    nice -n 10 $AIMC arch-search --dataset har265 --seed 0 --cell-bits 2 --final-epochs 30 --out "$R" "$@" \
        > "$L/arch-search-$name.log" 2>&1
  fi
  local ev=(--times 1 --compensation none --threads 1 --no-progress)
  for net in chosen baseline; do
    $AIMC evaluate --checkpoint "$R/$net" --device ideal --repeats 1 "${ev[@]}" --out "$R/eval-$net-ideal" \
        > "$L/arch-eval-$name-$net-ideal.log" 2>&1
    $AIMC evaluate --checkpoint "$R/$net" --device rram:bits=2,sigma=0.1 --repeats 10 --seed 1 "${ev[@]}" \
        --out "$R/eval-$net-rram0.1" > "$L/arch-eval-$name-$net-rram0.1.log" 2>&1
  done
  # the chosen design's sign on every 128 x 128 tile of each signed layer, e.g. --tile-signs fc1=+/+/+
  local ts
  mapfile -t ts < <(python3 - "$R/search.json" <<'PY'
import json, math, sys
widths, signs = json.load(open(sys.argv[1]))['chosen'].split()
w = [int(x) for x in widths.split('-')]
for l, c in enumerate(signs):
    if c != '0':
        rows, cols = math.ceil(w[l] / 128), math.ceil(w[l + 1] / 128)
        print('--tile-signs'); print(f'fc{l + 1}=' + '/'.join([c * cols] * rows))
PY
)
  for readout in analog digital; do
    $AIMC cost --checkpoint "$R/chosen" --tile-size 128 --weight-bits 2 --cell-bits 2 "${ts[@]}" \
        --pair-readout "$readout" --json "$R/cost-chosen-128-$readout.json" > "$L/arch-cost-$name-chosen-128-$readout.log"
    $AIMC cost --checkpoint "$R/baseline" --tile-size 128 --weight-bits 2 --cell-bits 2 --pair-readout "$readout" \
        --json "$R/cost-baseline-128-$readout.json" > "$L/arch-cost-$name-baseline-128-$readout.log"
    for net in chosen baseline; do # on 512 x 512 tiles: the signs the checkpoint records
      $AIMC cost --checkpoint "$R/$net" --tile-size 512 --weight-bits 2 --cell-bits 2 --pair-readout "$readout" \
          --json "$R/cost-$net-512-$readout.json" > "$L/arch-cost-$name-$net-512-$readout.log"
    done
  done
}

search_and_evaluate har265-s0 --budget 100 --population 16 --objective energy
search_and_evaluate har265-s0-digital-area --budget 60 --population 12 --objective area --pair-readout digital

# the baseline's network with every layer positive-only, to separate the signs from the widths
for t in 128 512; do
  if [ "$t" = 128 ]; then ts=(--tile-signs 1=+/+/+ --tile-signs 3=+ --tile-signs 5=+)
  else ts=(--tile-signs 1=+ --tile-signs 3=+ --tile-signs 5=+); fi
  for readout in analog digital; do
    $AIMC cost --model mlp-har265 --tile-size "$t" --weight-bits 2 --cell-bits 2 "${ts[@]}" --pair-readout "$readout" \
        --json "runs/nas/cost-unipolar128x64-$t-$readout.json" > "$L/arch-cost-unipolar128x64-$t-$readout.log"
  done
done
