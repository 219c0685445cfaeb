#!/bin/sh
# make bench-radiomics: scirad's radiomics throughput beside pyradiomics, in one run.
#
#  1. Pictologics-style protocol: all five texture families of a random 98³ region
#     (BenchmarkPictologics in pipeline/radiomics/texture; values checked to 1e-9
#     relative against the families' own loops before timing, one warm-up call), in
#     three fresh processes; the median of their CPU times per call, one core. The
#     same with two workers (wall time, two cores).
#  2. The spine cases (BenchmarkSpine in pipeline/radiomics: all 107 features, one
#     core, CPU time per call) beside pyradiomics from source with its C extensions
#     (testdata/texture/time_pyradiomics107.py: CPU time, median of 7 after a
#     warm-up), with the ratio; and the two-worker speed-up (wall time).
#  3. The per-stage CPU times of one extraction (BenchmarkSpineStages and
#     BenchmarkCube, one core) and the share of shape and first order in it.
#
# The machine is shared: the load average is printed before and after, and
# every figure is a median or a ratio measured in the same run.
#
# Needs: Debian's /usr/bin/python3 with python3-numpy and python3-dev, gcc, and a git
# directory of pyradiomics (github.com/AIM-Harvard/pyradiomics) holding commit
# 8ed579383b44806651c463d5e691f3b2b57522ab, given as PYRADIOMICS_GIT.
set -eu
: "${PYRADIOMICS_GIT:?set PYRADIOMICS_GIT to a pyradiomics .git directory (github.com/AIM-Harvard/pyradiomics)}"
GO=${GO:-go}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git --git-dir="$PYRADIOMICS_GIT" archive 8ed579383b44806651c463d5e691f3b2b57522ab radiomics 2>/dev/null | tar -x -C "$work" # LFS data/ not needed
$GO test -c -o "$work/texture.test" ./pipeline/radiomics/texture
$GO test -c -o "$work/radiomics.test" ./pipeline/radiomics

# field NAME: the value before unit NAME on a benchmark line
field() { awk -v u="$1" '{for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}'; }
median3() { sort -n | sed -n 2p; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Pictologics-style protocol: 5 texture families, random 98³ region (941192 voxels), 3 fresh processes, median"
cd "$root/pipeline/radiomics/texture"
one=$(for i in 1 2 3; do "$work/texture.test" -test.run XXX -test.bench 'Pictologics/workers1$' -test.cpu 1 -test.benchtime 5x | grep '^BenchmarkPictologics' | field cpu-ns/op; done | median3)
two=$(for i in 1 2 3; do "$work/texture.test" -test.run XXX -test.bench 'Pictologics/workers2$' -test.cpu 2 -test.benchtime 5x | grep '^BenchmarkPictologics' | field ns/op; done | median3)
onew=$(for i in 1 2 3; do "$work/texture.test" -test.run XXX -test.bench 'Pictologics/workers1$' -test.cpu 2 -test.benchtime 5x | grep '^BenchmarkPictologics' | field ns/op; done | median3)
awk -v a="$one" -v b="$two" -v c="$onew" 'BEGIN { printf "one core: %.1f ms CPU per call (target 80 ms)\none worker: %.1f ms wall per call; two workers: %.1f ms wall per call (speed-up %.2fx)\n", a/1e6, c/1e6, b/1e6, c/b }'

echo "== Spine cases, all 107 features, default settings: scirad (Go, in-process) vs pyradiomics (source, C extensions)"
cd "$root/pipeline/radiomics"
"$work/radiomics.test" -test.run XXX -test.bench 'Spine/.*/workers1$' -test.cpu 1 -test.benchtime 2s > "$work/go1.txt"
"$work/radiomics.test" -test.run XXX -test.bench 'Spine/.*/workers[12]$' -test.cpu 2 -test.benchtime 2s > "$work/go2.txt"
cd "$root"
/usr/bin/python3 testdata/texture/time_pyradiomics107.py "$work" 7 > "$work/py.txt"
printf '%-18s %7s %12s %16s %8s %18s\n' case voxels "scirad ms" "pyradiomics ms" ratio "2 workers speed-up"
while read -r name n pyms _; do
	go1=$(grep "^BenchmarkSpine/$name/workers1 " "$work/go1.txt" | field cpu-ns/op)
	w1=$(grep "^BenchmarkSpine/$name/workers1-2 " "$work/go2.txt" | field ns/op)
	w2=$(grep "^BenchmarkSpine/$name/workers2-2 " "$work/go2.txt" | field ns/op)
	awk -v c="$name" -v n="$n" -v g="$go1" -v p="$pyms" -v w1="$w1" -v w2="$w2" \
		'BEGIN { printf "%-18s %7d %12.2f %16.2f %7.1fx %17.2fx\n", c, n, g/1e6, p, p/(g/1e6), w1/w2 }'
done < "$work/py.txt"

echo "== Stages, one core, CPU ms per extraction (default settings); shape + first order share of all"
cd "$root/pipeline/radiomics"
"$work/radiomics.test" -test.run XXX -test.bench 'SpineStages|Cube' -test.cpu 1 -test.benchtime 0.5s > "$work/stages.txt"
printf '%-18s' case
for st in prepare discretise firstorder shape texture all; do printf ' %10s' "$st"; done
printf ' %12s\n' "shape+fo/all"
for name in lesion cord cord_minus_lesion dilated_cord cube; do
	pre="BenchmarkSpineStages/$name"
	[ "$name" = cube ] && pre=BenchmarkCube
	printf '%-18s' "$name"
	for st in prepare discretise firstorder shape texture all; do
		v=$(grep "^$pre/$st " "$work/stages.txt" | field cpu-ns/op)
		printf ' %10.3f' "$(awk -v v="$v" 'BEGIN { print v/1e6 }')"
	done
	fo=$(grep "^$pre/firstorder " "$work/stages.txt" | field cpu-ns/op)
	sh=$(grep "^$pre/shape " "$work/stages.txt" | field cpu-ns/op)
	al=$(grep "^$pre/all " "$work/stages.txt" | field cpu-ns/op)
	awk -v a="$fo" -v b="$sh" -v c="$al" 'BEGIN { printf " %11.0f%%\n", 100*(a+b)/c }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
