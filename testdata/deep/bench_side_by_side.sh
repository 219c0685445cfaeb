#!/bin/bash
# ResNet18, batch 8: scirad (pure-Go backend) and PyTorch (bench_torch.py) interleaved,
# 1 and 2 threads, ROUNDS rounds (default 2); img/s per line, uptime before each block.
#   testdata/deep/bench_side_by_side.sh > bench.txt
# Environment:
#   BASE=<git revision>  also build and run this revision's benchmarks in the same loop
#                        (its source comes from git archive; the working tree is not touched)
#   PARALLEL=1           also run the unbounded-parallel op schedule (go:ops_parallel,parallelism=-1) at T=2
#   SIZES="64 224"       sizes (224: training only, -benchtime 2x)
set -e
cd "$(dirname "$0")/../.."
export GOEXPERIMENT=simd
ROUNDS=${ROUNDS:-2}
SIZES=${SIZES:-"64 224"}
go test -c -o /tmp/deep-side-by-side.test ./pipeline/deep
bins="new=/tmp/deep-side-by-side.test"
if [ -n "$BASE" ]; then
  src=$(mktemp -d)
  git archive "$BASE" | tar -x -C "$src"
  (cd "$src" && go test -c -o /tmp/deep-side-by-side-base.test ./pipeline/deep)
  rm -rf "$src"
  bins="base=/tmp/deep-side-by-side-base.test $bins"
fi
cd pipeline/deep
for rep in $(seq "$ROUNDS"); do
 for T in 1 2; do
  uptime
  for cfg in go:ops_sequential "go:ops_parallel,parallelism=-1"; do
   [ "$cfg" != go:ops_sequential ] && { [ $T = 1 ] || [ -z "$PARALLEL" ]; } && continue
   for b in $bins; do
    name=${b%%=*} bin=${b#*=}
    for size in $SIZES; do
     if [ "$size" = 64 ]; then bench='(Forward|Train)/resnet18/64/lowered' n=6x; else bench="Train/resnet18/$size/lowered" n=2x; fi
     GOMAXPROCS=$T GOMLX_BACKEND=$cfg "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime $n 2>&1 | grep img/s | sed "s|^|rep$rep T=$T $name $cfg |"
    done
   done
  done
  OMP_NUM_THREADS=$T /usr/bin/python3 ../../testdata/deep/bench_torch.py resnet18 $SIZES 2>&1 | sed "s|^|rep$rep T=$T torch |"
 done
done
uptime
