#!/usr/bin/env bash
# GDP vs program-and-verify (tolerances 1,2,3,5 counts) vs one-shot under periphery errors, at equal pulse budgets.
# One 256x256 tile of Gaussian weights, seeds 0-2, PCM, MVM error over 2,048 inputs uniform in [-1, 1].
# Usage (from the repository root): docs/results/programming/periphery/run.sh [CASE...]
set -euo pipefail
out=docs/results/programming/periphery
common=(--method oneshot,verify,gdp --verify-tolerance 1,2,3,5 --weights random --rows 256 --cols 256
        --seed 0 --repeats 3 --times 1 --inputs 2048)
run() { # name, extra options...
  local name=$1; shift
  [ -e "$out/$name/program.json" ] && { echo "skip $name"; return; }
  mkdir -p "$out/$name"
  echo "== $name: ./aimc program ${common[*]} $*" | tee "$out/$name/run.log"
  OMP_NUM_THREADS=1 ./aimc program "${common[@]}" "$@" --out "$out/$name" 2>&1 | tee -a "$out/$name/run.log"
}
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(ideal adc adc-reads irdrop all)
for c in "${cases[@]}"; do
  case $c in
    ideal)     run ideal ;;
    adc)       run adc --adc-gain-std 0.05 --adc-offset-std 1 ;;
    adc-reads) run adc-reads --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04 --verify-reads-through-adc ;;
    irdrop)    run irdrop --ir-drop 1e-6 ;;
    irdrop-aihwkit) run irdrop-aihwkit --ir-drop 8.75e-6 ;;
    gain2)     run gain2 --adc-gain-std 0.02 ;;
    offset1)   run offset1 --adc-offset-std 1 ;;
    hermes-ideal) run hermes-ideal --device hermes ;;
    hermes-all) run hermes-all --device hermes --ir-drop 1e-6 --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04 \
                    --verify-reads-through-adc ;;
    all)       run all --ir-drop 1e-6 --adc-gain-std 0.05 --adc-offset-std 1 --out-noise 0.04 --verify-reads-through-adc ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done
