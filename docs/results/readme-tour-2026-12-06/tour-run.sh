#!/usr/bin/env bash
# The README's quick tour, as a new user would type it, each command timed; logs in /work/tour-logs.
cd /work/tour
export AIMC_DATA=/work/shared/data
mkdir -p /work/tour-logs
i=0
run() {
  i=$((i+1))
  local log=/work/tour-logs/$(printf %02d $i).log
  echo "\$ $*" > "$log"
  local t0=$(date +%s.%N)
  "$@" >> "$log" 2>&1 < /dev/null
  local rc=$?
  local t1=$(date +%s.%N)
  printf '%02d rc=%d %.1f s: %s\n' $i $rc "$(echo "$t1 - $t0" | bc)" "$*" >> /work/tour-logs/summary.txt
}
date -u > /work/tour-logs/summary.txt
git -C /work/tour log -1 --format='commit %H' >> /work/tour-logs/summary.txt
run ./aimc demo
run ./aimc data list --data-dir ../shared/data
run ./aimc device stats --device pcm --g-rel 0.1,0.5,1.0 --time 0,3600,86400,31536000 --samples 100000 --seed 1
run ./aimc train --model lenet5 --dataset cifar10 --epochs 30 --out runs/lenet5
run ./aimc accuracy --checkpoint runs/lenet5
run ./aimc evaluate --checkpoint runs/lenet5 --device pcm --times 1,3600,86400,2592000,31536000 --repeats 5 --compensation gdc,none,ratio --out runs/lenet5-pcm
run ./aimc train --model lenet5 --dataset cifar10 --epochs 5 --init runs/lenet5 --out runs/lenet5-hwa --hwa --noise-kind pcm --noise-eta 1 --clip-sigma 2.5
run ./aimc mvm-error --device pcm --rows 512 --cols 512 --times 1,1h,1d,1y --compensation none,gdc,ratio
run ./aimc program --method gdp --weights random --rows 256 --cols 256 --out runs/gdp
run ./aimc evaluate --checkpoint runs/lenet5 --programming gdp --out runs/lenet5-gdp
run ./aimc run experiments/quick-mnist.yaml --quick --out runs/quick
run ./aimc bench --quick
date -u >> /work/tour-logs/summary.txt
echo done >> /work/tour-logs/summary.txt
