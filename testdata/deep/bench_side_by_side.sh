#!/bin/bash
# ResNet18, batch 8: scirad (pure-Go backend, default and unbounded-parallel ops) and
# PyTorch (bench_torch.py) interleaved, 1 and 2 threads, two rounds; img/s per line.
#   testdata/deep/bench_side_by_side.sh > bench.txt
set -e
cd "$(dirname "$0")/../.."
export GOEXPERIMENT=simd
go test -c -o /tmp/deep-side-by-side.test ./pipeline/deep
cd pipeline/deep
for rep in 1 2; do
 for T in 1 2; do
  uptime
  for cfg in go:ops_sequential "go:ops_parallel,parallelism=-1"; do
   [ $T = 1 ] && [ "$cfg" != go:ops_sequential ] && continue
   GOMAXPROCS=$T GOMLX_BACKEND=$cfg /tmp/deep-side-by-side.test -test.run '^$' -test.bench '(Forward|Train)/resnet18/64/lowered' -test.benchtime 6x 2>&1 | grep img/s | sed "s|^|rep$rep T=$T $cfg |"
   GOMAXPROCS=$T GOMLX_BACKEND=$cfg /tmp/deep-side-by-side.test -test.run '^$' -test.bench 'Train/resnet18/224/lowered' -test.benchtime 2x 2>&1 | grep img/s | sed "s|^|rep$rep T=$T $cfg |"
  done
  OMP_NUM_THREADS=$T /usr/bin/python3 ../../testdata/deep/bench_torch.py resnet18 64 224 2>&1 | sed "s|^|rep$rep T=$T torch |"
 done
done
uptime
