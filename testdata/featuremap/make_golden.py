#!/usr/bin/python3
"""Regenerate testdata/featuremap/golden.json.gz: voxel-based feature maps computed by
pyradiomics itself (RadiomicsFeaturesBase with voxelBased=True, the code path of
`pyradiomics --mode voxel` and RadiomicsFeatureExtractor.execute(voxelBased=True)).

Tools: pyradiomics at commit 8ed579383b44806651c463d5e691f3b2b57522ab (v3.1.0-111-g8ed5793),
its C extension _cmatrices compiled with gcc from the same commit, numpy 1.24.2 and CPython
3.11 (Debian bookworm python3-numpy). SimpleITK is replaced by a stand-in holding a numpy
array (what the feature classes use of it); the image is cropped as the extractor does for
voxel-based extraction (cropToTumorMask with padDistance = kernelRadius, clipped to the image).

Usage (from the repository root):
  git --git-dir=PATH/TO/pyradiomics/.git archive 8ed5793 radiomics | tar -x -C /tmp/pyrad
  /usr/bin/python3 testdata/featuremap/make_golden.py /tmp/pyrad     # writes golden.json.gz
  /usr/bin/python3 testdata/featuremap/make_golden.py /tmp/pyrad time  # times the benchmark ROIs
"""
import gzip
import json
import os
import struct
import subprocess
import sys
import sysconfig
import time
import types

import numpy as np

src = sys.argv[1]
ext = os.path.join(src, "radiomics", "_cmatrices" + sysconfig.get_config_var("EXT_SUFFIX"))
if not os.path.exists(ext):
    subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC",
                           "-I" + sysconfig.get_paths()["include"], "-I" + np.get_include(),
                           os.path.join(src, "radiomics", "src", "_cmatrices.c"),
                           os.path.join(src, "radiomics", "src", "cmatrices.c"), "-o", ext])
with open(os.path.join(src, "radiomics", "_version.py"), "w") as f:
    f.write('version = "3.1.0-111-g8ed5793"\n')


class StubImage:
    """What the feature classes use of a SimpleITK image (array in z, y, x order)."""

    def __init__(self, arr, spacing_xyz=(1.0, 1.0, 1.0)):
        self.arr, self.spacing = arr, tuple(spacing_xyz)

    def GetSpacing(self):
        return self.spacing

    def GetSize(self):
        return tuple(self.arr.shape[::-1])

    def CopyInformation(self, other):
        self.spacing = other.spacing


sitk = types.ModuleType("SimpleITK")
sitk.GetArrayFromImage = lambda im: im.arr
sitk.GetImageFromArray = lambda a: StubImage(a)
sys.modules["SimpleITK"] = sitk
sys.modules["pywt"] = types.ModuleType("pywt")
sys.modules["radiomics._cshape"] = types.ModuleType("radiomics._cshape")
sys.path.insert(0, src)
import radiomics  # noqa: E402
import radiomics.base  # noqa: E402
from radiomics import firstorder, glcm, gldm, glrlm, glszm, ngtdm  # noqa: E402

radiomics.setVerbosity(60)


class _Progress:
    """_calculateVoxels calls the progress reporter with total= and uses update(); the dummy
    reporter of this commit takes neither (a pyradiomics bug), so give it one that does."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def update(self, n=1):
        pass


radiomics.base.getProgressReporter = _Progress
CLASSES = [("firstorder", firstorder.RadiomicsFirstOrder), ("glcm", glcm.RadiomicsGLCM),
           ("glrlm", glrlm.RadiomicsGLRLM), ("glszm", glszm.RadiomicsGLSZM),
           ("ngtdm", ngtdm.RadiomicsNGTDM), ("gldm", gldm.RadiomicsGLDM)]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read_nifti(path):
    """Data (z, y, x) as float64 and pixdim (x, y, z) as SimpleITK reports it (float32 widened)."""
    b = gzip.open(path).read()
    dims = struct.unpack("<8h", b[40:56])
    dtype = {2: "<u1", 4: "<i2", 8: "<i4", 16: "<f4", 64: "<f8", 512: "<u2"}[struct.unpack("<h", b[70:72])[0]]
    pix = struct.unpack("<8f", b[76:108])
    off = int(struct.unpack("<f", b[108:112])[0])
    n = dims[1] * dims[2] * dims[3]
    a = np.frombuffer(b[off:off + n * np.dtype(dtype).itemsize], dtype=dtype).astype(np.float64)
    return a.reshape(dims[3], dims[2], dims[1]), (float(pix[1]), float(pix[2]), float(pix[3]))


SP = os.path.join(ROOT, "spine", "sct_testing_data", "t2")


def roi(name):
    """(image path, image zyx, mask zyx bool, spacing xyz, label-map path, label)."""
    if name == "lesion":
        img, sp = read_nifti(os.path.join(SP, "t2_fake_lesion.nii.gz"))
        m, _ = read_nifti(os.path.join(SP, "t2_fake_lesion_lesion_seg.nii.gz"))
        return img, m == 1, sp
    if name == "cord":
        img, sp = read_nifti(os.path.join(SP, "t2.nii.gz"))
        m, _ = read_nifti(os.path.join(SP, "t2_seg-manual.nii.gz"))
        return img, m == 1, sp
    if name == "cordpatch":  # the cord of t2.nii.gz within voxel rows j = 20..22 (SI)
        img, sp = read_nifti(os.path.join(SP, "t2.nii.gz"))
        m, _ = read_nifti(os.path.join(SP, "t2_seg-manual.nii.gz"))
        keep = np.zeros_like(m, dtype=bool)
        keep[:, 20:23, :] = True
        return img, (m == 1) & keep, sp
    if name == "unf01lesion":  # ivadomed sub-unf01: float32 T2w, manual lesion (mask > 0.5)
        d = os.path.join(ROOT, "spine", "ivadomed_data-testing")
        img, sp = read_nifti(os.path.join(d, "sub-unf01", "anat", "sub-unf01_T2w.nii.gz"))
        m, _ = read_nifti(os.path.join(d, "derivatives", "labels", "sub-unf01", "anat", "sub-unf01_T2w_lesion-manual.nii.gz"))
        return img, m > 0.5, sp
    raise KeyError(name)


def crop(image, mask, r):
    """pyradiomics' cropToTumorMask with padDistance = kernelRadius: the ROI's box grown by r,
    clipped to the image. Returns the crops and the lower corner (z, y, x)."""
    idx = np.where(mask)
    lo = [max(int(i.min()) - r, 0) for i in idx]
    hi = [min(int(i.max()) + r + 1, s) for i, s in zip(idx, mask.shape)]
    sl = tuple(slice(a, b) for a, b in zip(lo, hi))
    return image[sl], mask[sl].astype(np.int64), lo


def voxel_maps(image, mask, sp, settings, classes):
    """Run each class voxel-based; returns {class_Feature: map (z, y, x) on the crop}, crop corner."""
    r = settings.get("kernelRadius", 1)
    im, m, lo = crop(image, mask, r)
    out = {}
    for cname, F in CLASSES:
        if cname not in classes:
            continue
        f = F(StubImage(im, sp), StubImage(m, sp), voxelBased=True, label=1, **settings)
        f.enableAllFeatures()
        vals = f.execute()
        for k in sorted(vals):
            out[cname + "_" + k] = vals[k].arr
    return out, lo


ALL = [c for c, _ in CLASSES]
CASES = [
    # name, roi, settings, classes
    ("lesion_r1", "lesion", {"binWidth": 25}, ALL),
    ("cordpatch_r1", "cordpatch", {"binWidth": 25}, ALL),
    ("cordpatch_r2", "cordpatch", {"binWidth": 25, "kernelRadius": 2}, ALL),
    ("cordpatch_unmasked", "cordpatch", {"binWidth": 25, "maskedKernel": False}, ALL),
    ("cordpatch_bc16", "cordpatch", {"binCount": 16}, ["firstorder", "glcm", "glszm"]),
    ("cordpatch_d12", "cordpatch", {"binWidth": 25, "distances": [1, 2], "gldm_a": 1,
                                    "symmetricalGLCM": False}, ["glcm", "ngtdm", "gldm"]),
    ("cordpatch_2d", "cordpatch", {"binWidth": 25, "force2D": True, "force2Ddimension": 0},
     ["glcm", "glrlm", "glszm", "ngtdm", "gldm"]),
    ("lesion_batch7", "lesion", {"binWidth": 25, "voxelBatch": 7, "initValue": -1},
     ["glcm"]),
    ("lesion_nw", "lesion", {"binWidth": 25, "weightingNorm": "no_weighting"}, ["glcm", "glrlm"]),
    ("unf01lesion_r1", "unf01lesion", {"binWidth": 25}, ALL),
]


def golden():
    cases = []
    for name, rname, settings, classes in CASES:
        image, mask, sp = roi(rname)
        maps, lo = voxel_maps(image, mask, sp, settings, classes)
        r = settings.get("kernelRadius", 1)
        _, m, _ = crop(image, mask, r)
        z, y, x = np.where(m > 0)
        feats = {}
        for k, a in maps.items():
            v = a[z, y, x]
            feats[k] = [None if np.isnan(t) else float(t) for t in v]
            # outside the ROI the crop holds initValue
            outside = a[m == 0]
            assert np.all((outside == settings.get("initValue", 0)) | np.isnan(outside)), k
        cases.append({
            "name": name, "roi": rname, "settings": settings, "classes": classes,
            # voxel indices (i, j, k) on the image grid, x fastest, in pyradiomics' order (z slowest)
            "ijk": [[int(a + lo[2]), int(b + lo[1]), int(c + lo[0])] for a, b, c in zip(x, y, z)],
            "features": feats,
        })
        print(name, len(z), "voxels,", len(feats), "maps", file=sys.stderr)
    doc = {"tool": "pyradiomics 8ed579383b44806651c463d5e691f3b2b57522ab voxel-based, numpy " + np.__version__,
           "cases": cases}
    with gzip.open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json.gz"), "wt") as f:
        json.dump(doc, f, separators=(",", ":"))


def timing():
    """CPU time of all 93 first-order and texture maps (kernelRadius 1), one thread, median and best of 3."""
    for rname in ("lesion", "cord"):
        image, mask, sp = roi(rname)
        ts = []
        for _ in range(3):
            t = time.process_time()
            voxel_maps(image, mask, sp, {"binWidth": 25}, ALL)
            ts.append(time.process_time() - t)
        ts.sort()
        print(f"{rname:8s} {int(mask.sum()):5d} voxels: pyradiomics voxel-based 93 maps {ts[1]:.3f} s CPU median of 3 (best {ts[0]:.3f} s)")


if len(sys.argv) > 2 and sys.argv[2] == "time":
    timing()
else:
    golden()
