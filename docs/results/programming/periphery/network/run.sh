#!/usr/bin/env bash
# LeNet-5 on CIFAR-10 (NOT the paper's ResNet-9): accuracy after oneshot / verify ±5 / verify ±1 / GDP programming,
# ideal periphery vs. all periphery errors; the first LIMIT (default 2,000; 0 = all 10,000) CIFAR-10 test images,
# 3 repeats, t = 1 s. Logs: network/CASE.log (LIMIT 2000) or network/CASE-LIMIT.log. Run from the repository root after `mvn -o test-compile -pl aimc-core`.
set -euo pipefail
out=docs/results/programming/periphery/network
snap=$(mktemp -d) # a copy of the compiled classes, so that a rebuild during the run cannot pull them away
cp -r aimc-core/target/classes aimc-core/target/test-classes "$snap"/
CP=$snap/classes:$snap/test-classes:$(cd aimc-core && mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
ck=docs/results/antolini2023-lenet5-cifar10/checkpoints/lenet5-conventional
limit=${LIMIT:-2000}
suffix=$([ "$limit" = 2000 ] && echo "" || echo "-$limit")
for c in "ideal 0,0,0,0,false" "all 1e-6,0.05,1,0.04,true"; do
  set -- $c
  echo "== $1: ProgramNetworkBench $ck /work/shared/data 3 $limit oneshot,verify,verify@1,gdp $2 1" | tee "$out/$1$suffix.log"
  OMP_NUM_THREADS=1 java -cp "$CP" dev.aimc.program.ProgramNetworkBench $ck /work/shared/data 3 "$limit" \
      oneshot,verify,verify@1,gdp "$2" 1 2>&1 | grep -v DEBUG | tee -a "$out/$1$suffix.log"
done
