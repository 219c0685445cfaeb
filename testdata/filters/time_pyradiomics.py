#!/usr/bin/python3
"""Time pyradiomics on every image type of the spine cord ROI (case A), the
"all" params of make_golden.py: the same code path as the golden values
(pyradiomics' image-type functions and feature classes; LoG and gradient via
ITK's itkfilters, one process each). Prints the median of N runs in seconds:
wall time, and CPU time (this process plus the itkfilters children, user +
system), each run after one untimed warm-up run.

Usage: /usr/bin/python3 testdata/filters/time_pyradiomics.py /tmp/pyrad /tmp/itkfilters [N]
Compare: make bench-imagetypes (testdata/filters/bench_imagetypes.sh), or
GOEXPERIMENT=simd GOMAXPROCS=1 go test ./pipeline/radiomics/ -run '^$' -bench ImageTypesCord -benchtime 5x
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "make_golden.py")).read()
exec(src[:src.index("cases = []")])
image, spacing = read_nifti(os.path.join(ROOT, "spine", ROIS["cord"][0]))
mask, _ = read_nifti(os.path.join(ROOT, "spine", ROIS["cord"][1]))


def cpu():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


extract(image, mask, spacing, PARAMS["all"])  # warm-up: lazy imports, caches
walls, cpus = [], []
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3):
    t, c = time.perf_counter(), cpu()
    n = len(extract(image, mask, spacing, PARAMS["all"]))
    walls.append(time.perf_counter() - t)
    cpus.append(cpu() - c)
med = lambda x: sorted(x)[len(x) // 2]
print("pyradiomics: %d features, median wall %.3f s, median CPU %.3f s of %d runs; wall %s CPU %s" % (
    n, med(walls), med(cpus), len(walls), ["%.3f" % x for x in walls], ["%.3f" % x for x in cpus]))
