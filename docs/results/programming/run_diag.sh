#!/usr/bin/env bash
# Saturation diagnosis on the uniform 512² matrix (seed 3) and the Gaussian 512² matrix (seed 0) with ADC range 24
# (aimc program, defaults otherwise, 1 thread). Writes json-diag/<case>-<method>.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=docs/results/programming/json-diag
T=/tmp/prog-runs/diag
mkdir -p "$OUT" "$T"
run() { # name method args...
  local c=$1 m=$2; shift 2
  rm -rf "$T/$c-$m"
  OMP_NUM_THREADS=1 ./aimc program --method $m --out "$T/$c-$m" "$@" 2>/dev/null \
    | grep -E "mvm error right|pulses" | tr '\n' ' ' | sed "s/^/$c $m: /"; echo
  cp "$T/$c-$m/program.json" "$OUT/$c-$m.json"
}
U="--weights uniform --rows 512 --cols 512 --seed 3"
run uniform512-s3-ideal oneshot $U --device ideal                    # periphery floor
for m in oneshot verify gdp; do run uniform512-s3 $m $U; done       # the plain case (as json/uniform512-s3-*)
run uniform512-s3-nomask gdp $U --gdp-no-saturation-mask
for m in oneshot verify gdp; do run uniform512-s3-adc24 $m $U --adc-range 24; done
G="--weights random --rows 512 --cols 512 --seed 0"
run gauss512-s0 gdp $G                                               # the saturation mask on a Gaussian matrix
run gauss512-s0-nomask gdp $G --gdp-no-saturation-mask
for m in oneshot verify gdp; do
  run gauss512-s0-adc24 $m $G --adc-range 24 --times 1
done
