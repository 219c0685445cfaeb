#!/usr/bin/python3
"""Time pyradiomics' five texture classes (GLCM, GLRLM, GLSZM, NGTDM, GLDM; binning
included, as each class bins in its constructor) on the benchmark ROIs of
pipeline/radiomics/texture/bench_test.go, single-threaded, best of 7, CPU time.
Same pyradiomics build and readers as make_golden.py.

  /usr/bin/python3 testdata/texture/time_pyradiomics.py /tmp/pyrad
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "make_golden.py")).read().split("\ncases = []")[0]
g = {"__name__": "make_golden", "__file__": os.path.join(here, "make_golden.py")}
exec(compile(src, "make_golden.py", "exec"), g)  # readers, stubs and ROIs, without the case loop

for name, image, roi, sp in g["rois"]():
    if name not in ("brain1", "cord", "cordMinusLesion", "lesion"):
        continue
    im, mask = g["crop"](image, roi)
    best = float("inf")
    for _ in range(7):
        t = time.process_time()
        for _, F in g["CLASSES"]:
            f = F(g["StubImage"](im, sp), g["StubImage"](mask, sp), binWidth=25, label=1)
            f.enableAllFeatures()
            f.execute()
        best = min(best, time.process_time() - t)
    print(f"{name:16s} {int(mask.sum()):5d} voxels: pyradiomics texture {best * 1e3:.1f} ms CPU (best of 7)")
