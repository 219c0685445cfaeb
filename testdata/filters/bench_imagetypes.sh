#!/bin/sh
# make bench-imagetypes: every pyradiomics image type on the spine cord ROI (case A, the
# "all" params of make_golden.py: Original, LoG 1/2/3 mm, coif1 wavelet, Square, SquareRoot,
# Logarithm, Exponential, Gradient, LBP2D, LBP3D; 1953 features), scirad beside pyradiomics,
# one core each, run alternately in one command:
#   scirad:      BenchmarkImageTypesCord (pipeline/radiomics), GOMAXPROCS=1, 5 calls per
#                process; CPU time per call (cpu-ns/op) and wall time per call;
#   pyradiomics: testdata/filters/time_pyradiomics.py from source (its C extension built
#                here), ITK's LoG and gradient through itkfilters with one thread; CPU time
#                of the process and its itkfilters children per call, and wall time.
# Prints each repetition, the medians, the ratios and the load average before and after
# (the machine is shared: CPU time is the steadier figure).
#
# Needs: Debian's /usr/bin/python3 with python3-numpy, python3-scipy, python3-pywt,
# python3-skimage, python3-yaml, python3-dev, gcc, g++ and libinsighttoolkit5-dev, and a git
# directory of pyradiomics (github.com/AIM-Harvard/pyradiomics) holding commit
# 8ed579383b44806651c463d5e691f3b2b57522ab, given as PYRADIOMICS_GIT. REPS (default 5).
set -eu
: "${PYRADIOMICS_GIT:?set PYRADIOMICS_GIT to a pyradiomics .git directory (github.com/AIM-Harvard/pyradiomics)}"
GO=${GO:-go}
REPS=${REPS:-5}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git --git-dir="$PYRADIOMICS_GIT" archive 8ed579383b44806651c463d5e691f3b2b57522ab radiomics 2>/dev/null | tar -x -C "$work" # LFS data/ not needed
g++ -O2 -I/usr/include/ITK-5.2 testdata/filters/itkfilters.cxx -o "$work/itkfilters" -L/usr/lib \
	-lITKSmoothing-5.2 -lITKCommon-5.2 -litksys-5.2 -litkvnl-5.2 -litkvnl_algo-5.2 -lpthread
$GO test -c -o "$work/radiomics.test" ./pipeline/radiomics

# field NAME: the value before unit NAME on a benchmark line
field() { awk -v u="$1" '{for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}'; }
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$REPS"); do
	(cd "$root/pipeline/radiomics" && GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 "$work/radiomics.test" -test.run '^$' \
		-test.bench 'ImageTypesCord$' -test.benchtime 5x) | grep '^BenchmarkImageTypesCord' > "$work/go.txt"
	gc=$(field cpu-ns/op < "$work/go.txt")
	gw=$(field ns/op < "$work/go.txt")
	ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
		/usr/bin/python3 testdata/filters/time_pyradiomics.py "$work" "$work/itkfilters" 1 > "$work/py.txt"
	pw=$(sed -n 's/.*median wall \([0-9.]*\) s.*/\1/p' "$work/py.txt")
	pc=$(sed -n 's/.*median CPU \([0-9.]*\) s.*/\1/p' "$work/py.txt")
	echo "$gc $gw $pc $pw" >> "$work/all.txt"
	awk -v r="$r" -v gc="$gc" -v gw="$gw" -v pc="$pc" -v pw="$pw" 'BEGIN { printf "run %d: scirad CPU %.1f ms, wall %.1f ms; pyradiomics CPU %.0f ms, wall %.0f ms; CPU ratio %.1fx\n", r, gc/1e6, gw/1e6, pc*1e3, pw*1e3, pc*1e9/gc }'
done
gc=$(cut -d' ' -f1 "$work/all.txt" | median)
gw=$(cut -d' ' -f2 "$work/all.txt" | median)
pc=$(cut -d' ' -f3 "$work/all.txt" | median)
pw=$(cut -d' ' -f4 "$work/all.txt" | median)
awk -v n="$REPS" -v gc="$gc" -v gw="$gw" -v pc="$pc" -v pw="$pw" 'BEGIN {
	printf "medians of %d: scirad CPU %.1f ms, wall %.1f ms; pyradiomics CPU %.0f ms, wall %.0f ms\n", n, gc/1e6, gw/1e6, pc*1e3, pw*1e3
	printf "scirad is %.1fx faster by CPU time (one core each), %.1fx by wall time\n", pc*1e9/gc, pw*1e9/gw }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
