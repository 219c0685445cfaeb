#!/usr/bin/python3
"""Time pyradiomics' 107 default features (first order, shape, GLCM, GLRLM, GLSZM,
NGTDM, GLDM; binning included) on the spine cases of BenchmarkSpine in
pipeline/radiomics/bench_test.go: t2 cord, t2_fake_lesion lesion, its cord minus
lesion, and the t2 cord dilated by 4 voxels (9x9x9 box). One thread, CPU time,
median of REPS runs after one warm-up, file reading and cropping excluded.

Same pyradiomics build and readers as make_golden.py; shape's C extension
_cshape is compiled here with gcc, and the only SimpleITK call shape makes
(ConstantPadImageFilter, a 1-voxel zero pad) is stood in by numpy.pad.

  /usr/bin/python3 testdata/texture/time_pyradiomics107.py /tmp/pyrad [REPS]
Prints one line per case: name voxels milliseconds.
"""
import os
import subprocess
import sys
import sysconfig
import time

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
pyrad = sys.argv[1]
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 7
ext = os.path.join(pyrad, "radiomics", "_cshape" + sysconfig.get_config_var("EXT_SUFFIX"))
if not os.path.exists(ext):
    subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC",
                           "-I" + sysconfig.get_paths()["include"], "-I" + np.get_include(),
                           os.path.join(pyrad, "radiomics", "src", "_cshape.c"),
                           os.path.join(pyrad, "radiomics", "src", "cshape.c"), "-o", ext])
src = open(os.path.join(here, "make_golden.py")).read().split("\ncases = []")[0]
# make_golden stubs radiomics._cshape; the real one is built above.
src = src.replace('sys.modules["radiomics._cshape"] = types.ModuleType("radiomics._cshape")\n', "")
g = {"__name__": "make_golden", "__file__": os.path.join(here, "make_golden.py")}
sys.argv = [sys.argv[0], pyrad]
exec(compile(src, "make_golden.py", "exec"), g)  # readers, stubs and ROIs, without the case loop

StubImage, sitk = g["StubImage"], sys.modules["SimpleITK"]
StubImage.GetDimension = lambda self: self.arr.ndim


class ConstantPadImageFilter:
    def SetPadLowerBound(self, b):
        self.lo = list(b)

    def SetPadUpperBound(self, b):
        self.hi = list(b)

    def Execute(self, im):
        return StubImage(np.pad(im.arr, list(zip(self.lo[::-1], self.hi[::-1]))), im.spacing)


sitk.ConstantPadImageFilter = ConstantPadImageFilter
from radiomics import firstorder, shape  # noqa: E402

CLASSES = [firstorder.RadiomicsFirstOrder, shape.RadiomicsShape] + [F for _, F in g["CLASSES"]]


def dilate(m, r):
    out = np.zeros_like(m)
    idx = np.argwhere(m)
    for dz in range(-r, r + 1):
        for dy in range(-r, r + 1):
            for dx in range(-r, r + 1):
                q = idx + (dz, dy, dx)
                ok = np.all((q >= 0) & (q < m.shape), axis=1)
                q = q[ok]
                out[q[:, 0], q[:, 1], q[:, 2]] = True
    return out


def cases():
    for name, image, roi, sp in g["rois"]():
        if name == "cord":
            yield "cord", image, roi, sp
            yield "dilated_cord", image, dilate(roi, 4), sp
        elif name in ("lesion",):
            yield name, image, roi, sp
        elif name == "cordMinusLesion":
            yield "cord_minus_lesion", image, roi, sp


def extract(im, mask, sp):
    n = 0
    for F in CLASSES:
        f = F(StubImage(im, sp), StubImage(mask, sp), binWidth=25, label=1)
        f.enableAllFeatures()
        for k in list(f.enabledFeatures):
            if getattr(f, "get%sFeatureValue" % k).__doc__ and "deprecated" in getattr(f, "get%sFeatureValue" % k).__doc__.lower():
                f.enabledFeatures[k] = False
        f.execute()
        n += sum(1 for k, v in f.enabledFeatures.items() if v)
    return n


for name, image, roi, sp in cases():
    im, mask = g["crop"](image, roi)
    n = extract(im, mask, sp)  # warm-up
    times = []
    for _ in range(reps):
        t = time.process_time()
        extract(im, mask, sp)
        times.append(time.process_time() - t)
    print(f"{name} {int(mask.sum())} {np.median(times) * 1e3:.2f} features={n}")
