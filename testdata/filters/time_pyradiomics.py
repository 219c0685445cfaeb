#!/usr/bin/python3
"""Time pyradiomics on every image type of the spine cord ROI (case A), the
"all" params of make_golden.py: the same code path as the golden values
(pyradiomics' image-type functions and feature classes; LoG and gradient via
ITK's itkfilters, one process each). Prints the median of N runs in seconds.

Usage: /usr/bin/python3 testdata/filters/time_pyradiomics.py /tmp/pyrad /tmp/itkfilters [N]
Compare: GOEXPERIMENT=simd go test ./pipeline/radiomics/ -run '^$' -bench ImageTypesCord -benchtime 5x
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "make_golden.py")).read()
exec(src[:src.index("cases = []")])
image, spacing = read_nifti(os.path.join(ROOT, "spine", ROIS["cord"][0]))
mask, _ = read_nifti(os.path.join(ROOT, "spine", ROIS["cord"][1]))
times = []
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3):
    t = time.perf_counter()
    n = len(extract(image, mask, spacing, PARAMS["all"]))
    times.append(time.perf_counter() - t)
times.sort()
print("pyradiomics: %d features, median %.3f s of %d runs %s" % (n, times[len(times) // 2], len(times), ["%.3f" % x for x in times]))
