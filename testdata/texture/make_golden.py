#!/usr/bin/python3
"""Regenerate testdata/texture/golden.json: texture feature values computed by
pyradiomics itself, for options and ROIs that pyradiomics' own baselines do not
cover (distances, asymmetric GLCM, gldm_a, distance-weighting norms,
force2Ddimension 1 and 2, the real spine ROIs).

Tools: pyradiomics at commit 8ed579383b44806651c463d5e691f3b2b57522ab
(v3.1.0-111-g8ed5793; its C extension _cmatrices built here with gcc from the
same commit), numpy 1.24.2 (Debian python3-numpy), CPython 3.11 (Debian).
SimpleITK and PyWavelets are not needed by the texture classes and are stubbed;
the images are read with the small readers below and cropped to the ROI's
bounding box as pyradiomics' extractor does (cropToTumorMask, no padding).

Usage (from the repository root):
  git --git-dir=PATH/TO/pyradiomics/.git archive 8ed5793 radiomics | tar -x -C /tmp/pyrad
  /usr/bin/python3 testdata/texture/make_golden.py /tmp/pyrad > testdata/texture/golden.json
"""
import gzip
import json
import os
import struct
import subprocess
import sys
import sysconfig
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
    """What the texture classes use of a SimpleITK image."""

    def __init__(self, arr, spacing_xyz):
        self.arr, self.spacing = arr, tuple(spacing_xyz)

    def GetSpacing(self):
        return self.spacing


sitk = types.ModuleType("SimpleITK")
sitk.GetArrayFromImage = lambda im: im.arr
sys.modules["SimpleITK"] = sitk
sys.modules["pywt"] = types.ModuleType("pywt")
sys.modules["radiomics._cshape"] = types.ModuleType("radiomics._cshape")
sys.path.insert(0, src)
import radiomics  # noqa: E402
from radiomics import glcm, gldm, glrlm, glszm, ngtdm  # noqa: E402

radiomics.setVerbosity(60)
CLASSES = [("glcm", glcm.RadiomicsGLCM), ("glrlm", glrlm.RadiomicsGLRLM), ("glszm", glszm.RadiomicsGLSZM),
           ("ngtdm", ngtdm.RadiomicsNGTDM), ("gldm", gldm.RadiomicsGLDM)]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read_nifti(path):
    b = gzip.open(path).read()
    dims = struct.unpack("<8h", b[40:56])
    dtype = {2: "<u1", 4: "<i2", 8: "<i4", 16: "<f4", 64: "<f8", 512: "<u2"}[struct.unpack("<h", b[70:72])[0]]
    off = int(struct.unpack("<f", b[108:112])[0])
    n = dims[1] * dims[2] * dims[3]
    a = np.frombuffer(b[off:off + n * np.dtype(dtype).itemsize], dtype=dtype).astype(np.float64)
    return a.reshape(dims[3], dims[2], dims[1])  # (z, y, x)


def read_nrrd(path):
    raw = open(path, "rb").read()
    head, body = raw.split(b"\n\n", 1)
    fields = dict(l.split(":", 1) for l in head.decode().splitlines()[1:] if ":" in l and not l.startswith("#"))
    fields = {k.strip(): v.strip().lstrip("=").strip() for k, v in fields.items()}
    sizes = [int(s) for s in fields["sizes"].split()]
    if fields["encoding"] in ("gzip", "gz"):
        body = gzip.decompress(body)
    dtype = {"short": "<i2", "int": "<i4"}[fields["type"]]
    return np.frombuffer(body, dtype=dtype).astype(np.float64).reshape(sizes[2], sizes[1], sizes[0])


def crop(image, roi):
    idx = np.where(roi)
    sl = tuple(slice(i.min(), i.max() + 1) for i in idx)
    return image[sl], roi[sl].astype(np.int64)


def rois():
    ph = os.path.join(ROOT, "ibsi1", "ibsi_1_digital_phantom", "nifti")
    img, m = read_nifti(os.path.join(ph, "image", "phantom.nii.gz")), read_nifti(os.path.join(ph, "mask", "mask.nii.gz"))
    yield "phantom", img, m > 0, (2.0, 2.0, 2.0)
    pr = os.path.join(ROOT, "pyradiomics")
    img, m = read_nrrd(os.path.join(pr, "brain1_image.nrrd")), read_nrrd(os.path.join(pr, "brain1_label.nrrd"))
    yield "brain1", img, m == 1, (0.78125, 0.78125, 6.5)
    sp = os.path.join(ROOT, "spine", "sct_testing_data", "t2")
    img, m = read_nifti(os.path.join(sp, "t2.nii.gz")), read_nifti(os.path.join(sp, "t2_seg-manual.nii.gz"))
    yield "cord", img, m == 1, (1.0, 1.0, 1.0)
    img = read_nifti(os.path.join(sp, "t2_fake_lesion.nii.gz"))
    cord = read_nifti(os.path.join(sp, "t2_fake_lesion_sc_seg.nii.gz"))
    lesion = read_nifti(os.path.join(sp, "t2_fake_lesion_lesion_seg.nii.gz"))
    yield "cordMinusLesion", img, (cord > 0) & (lesion == 0), (0.8, 0.8, 0.8)
    yield "lesion", img, lesion > 0, (0.8, 0.8, 0.8)
    # Small synthetic ROIs (z, y, x) for pyradiomics' special cases; grey values are levels.
    for name, a in SYNTHETIC.items():
        a = np.array(a, dtype=np.float64)
        yield name, a, a > 0, (1.0, 1.0, 1.0)


SYNTHETIC = {
    "gap": [[[1, 0, 2]]],  # two voxels that are not neighbours
    "knight": [[[1, 0, 0], [0, 0, 2]]],  # no line in any direction holds both: every GLRLM direction dropped
    "diagonal": [[[1, 0], [0, 2]]],  # only the diagonal line holds two voxels
    "line": [[[1]], [[1]], [[2]], [[2]], [[2]]],  # five voxels along z
    "flat": [[[3, 3], [3, 3]], [[3, 3], [3, 3]]],  # one grey level
    "checker": [[[1 + (x + y + z) % 2 for x in range(3)] for y in range(3)] for z in range(3)],
    "slab": [[[1, 2, 2, 4], [4, 4, 1, 1], [2, 1, 4, 2]]],  # one slice: 4 in-plane directions only
}


# name -> settings (pyradiomics keywords); binWidth 1 for the phantom, 25 otherwise
OPTIONS = {
    "default": {},
    "distances12": {"distances": [1, 2]},
    "asymmetric": {"symmetricalGLCM": False},
    "gldm_a1": {"gldm_a": 1},
    "manhattan": {"weightingNorm": "manhattan"},
    "euclidean": {"weightingNorm": "euclidean"},
    "infinity": {"weightingNorm": "infinity"},
    "force2D_dim1": {"force2D": True, "force2Ddimension": 1},
    "force2D_dim2": {"force2D": True, "force2Ddimension": 2},
}
PER_ROI = {"phantom": list(OPTIONS), "brain1": ["default", "distances12", "euclidean", "force2D_dim1"],
           "cord": ["default"], "cordMinusLesion": ["default"], "lesion": ["default"],
           "gap": ["default"], "knight": ["default"], "diagonal": ["default"], "line": ["default"], "flat": ["default"],
           "checker": ["default", "distances12"], "slab": ["default", "manhattan"]}

cases = []
for name, image, roi, spacing in rois():
    im, mask = crop(image, roi)
    # A fake anisotropic spacing for the phantom makes the weighting norms differ.
    sp = (0.8, 1.0, 3.0) if name == "phantom" else spacing
    for opt in PER_ROI[name]:
        settings = dict(OPTIONS[opt], binWidth=25 if name in ("brain1", "cord", "cordMinusLesion", "lesion") else 1,
                        label=1)
        values = {}
        for cls, F in CLASSES:
            f = F(StubImage(im, sp), StubImage(mask, sp), **settings)
            f.enableAllFeatures()
            for k, v in f.execute().items():
                v = float(np.real(np.asarray(v).reshape(-1)[0]))
                values[cls + "_" + k] = None if np.isnan(v) else v  # null: pyradiomics gives NaN
        case = {"roi": name, "options": opt, "settings": settings, "spacing_xyz": sp,
                "voxels": int(mask.sum()), "values": values}
        if name in SYNTHETIC:
            case["array_zyx"] = SYNTHETIC[name]
        cases.append(case)

json.dump({"tool": "pyradiomics 8ed5793 (v3.1.0-111), numpy " + np.__version__ + ", " + sys.version.split()[0],
           "cases": cases}, sys.stdout, indent=1, sort_keys=True)
print()
