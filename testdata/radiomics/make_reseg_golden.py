#!/usr/bin/python3
"""Regenerate testdata/radiomics/reseg_golden.json: pyradiomics' features with
resegmentation (resegmentRange, resegmentMode absolute|relative|sigma,
resegmentShape) on the real spinal-cord MRI in testdata/spine, computed by
pyradiomics itself.

Each case runs what pyradiomics' RadiomicsFeatureExtractor.execute (at
8ed5793, radiomics/featureextractor.py) runs for segment-based extraction
without normalisation or resampling: imageoperations.resegmentMask on the
whole image and mask; the bounding box of the re-segmented mask; shape
(RadiomicsShape) from the original mask, or with resegmentShape the
re-segmented one, cropped to that box (computeShape); every image type's
get<Type>Image(image, resegmented mask) cropped to the box with the
re-segmented mask, and the firstorder, glcm, glrlm, glszm, ngtdm, gldm
classes with the case's settings (default features). With preCrop, image and
mask are first cropped to the original ROI's box plus padDistance, as
loadImage does.

Tools: pyradiomics at commit 8ed579383b44806651c463d5e691f3b2b57522ab
(v3.1.0-111-g8ed5793) with its C extensions _cmatrices and _cshape built here
with gcc; PyWavelets 1.1.1 (Debian python3-pywt), numpy 1.24.2, CPython 3.11
(Debian 12). SimpleITK is not packaged for
Debian 12: the part of it these steps use (GetArrayFromImage,
GetImageFromArray, CopyInformation, GetSpacing, GetSize, GetDimension,
ConstantPadImageFilter with a 1-voxel zero pad) is the small stand-in below;
images keep their file's dtype (int16), as sitk.ReadImage does.

Usage (from the repository root):
  git --git-dir=PATH/TO/pyradiomics/.git archive 8ed5793 radiomics | tar -x -C /tmp/pyrad
  /usr/bin/python3 testdata/radiomics/make_reseg_golden.py /tmp/pyrad > testdata/radiomics/reseg_golden.json
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
import pywt
import yaml

src = sys.argv[1]
for name, files in (("_cmatrices", ["_cmatrices.c", "cmatrices.c"]), ("_cshape", ["_cshape.c", "cshape.c"])):
    ext = os.path.join(src, "radiomics", name + sysconfig.get_config_var("EXT_SUFFIX"))
    if not os.path.exists(ext):
        subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC",
                               "-I" + sysconfig.get_paths()["include"], "-I" + np.get_include(),
                               *[os.path.join(src, "radiomics", "src", f) for f in files], "-o", ext, "-lm"])
with open(os.path.join(src, "radiomics", "_version.py"), "w") as f:
    f.write('version = "3.1.0-111-g8ed5793"\n')


class Image:
    """The part of a SimpleITK image these steps use."""

    def __init__(self, arr, spacing_xyz=None):
        self.arr, self.spacing = arr, spacing_xyz

    def GetSpacing(self):
        return self.spacing

    def GetSize(self):
        return tuple(self.arr.shape[::-1])

    def GetDimension(self):
        return self.arr.ndim

    def CopyInformation(self, other):
        self.spacing = other.spacing


class ConstantPadImageFilter:
    def SetPadLowerBound(self, b):
        self.lo = list(b)

    def SetPadUpperBound(self, b):
        self.hi = list(b)

    def Execute(self, image):
        pad = [(lo, hi) for lo, hi in zip(self.lo[::-1], self.hi[::-1])]
        return Image(np.pad(image.arr, pad), image.spacing)


sitk = types.ModuleType("SimpleITK")
sitk.GetArrayFromImage = lambda im: im.arr
sitk.GetImageFromArray = lambda a: Image(a)
sitk.ConstantPadImageFilter = ConstantPadImageFilter
sys.modules["SimpleITK"] = sitk
sys.path.insert(0, src)
import radiomics  # noqa: E402
from radiomics import firstorder, glcm, gldm, glrlm, glszm, imageoperations, ngtdm, shape  # noqa: E402

radiomics.setVerbosity(60)
CLASSES = [("firstorder", firstorder.RadiomicsFirstOrder), ("glcm", glcm.RadiomicsGLCM),
           ("glrlm", glrlm.RadiomicsGLRLM), ("glszm", glszm.RadiomicsGLSZM),
           ("ngtdm", ngtdm.RadiomicsNGTDM), ("gldm", gldm.RadiomicsGLDM)]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read_nifti(path):
    b = gzip.open(path).read()
    dims = struct.unpack("<8h", b[40:56])
    dtype = {2: "<u1", 4: "<i2", 8: "<i4", 16: "<f4", 64: "<f8", 512: "<u2"}[struct.unpack("<h", b[70:72])[0]]
    pixdim = struct.unpack("<8f", b[76:108])
    off = int(struct.unpack("<f", b[108:112])[0])
    n = dims[1] * dims[2] * dims[3]
    a = np.frombuffer(b[off:off + n * np.dtype(dtype).itemsize], dtype=dtype).astype(np.dtype(dtype).newbyteorder("="))
    return a.reshape(dims[3], dims[2], dims[1]), tuple(float(p) for p in pixdim[1:4])


IMAGE, MASK = "sct_testing_data/t2/t2.nii.gz", "sct_testing_data/t2/t2_seg-manual.nii.gz"
# name -> params YAML; each is parsed by yaml.safe_load here and by scirad's ParseParams.
# The cord ROI's intensities: 4275 voxels, 87..550, mean 276.3, SD 64.7.
PARAMS = {
    "absolute": "setting:\n  binWidth: 25\n  resegmentRange: [200, 350]\n",
    "absoluteLower": "setting:\n  binWidth: 25\n  resegmentRange: [250]\n  resegmentMode: absolute\n",
    "relative": "setting:\n  binWidth: 10\n  resegmentRange: [0.8, 0.4]\n  resegmentMode: relative\n",
    "sigmaShape": "setting:\n  binWidth: 25\n  resegmentRange: [-1.5, 1]\n  resegmentMode: sigma\n"
                  "  resegmentShape: true\n",
    "sigmaBinCount": "setting:\n  binCount: 16\n  resegmentRange: [-2, 2]\n  resegmentMode: sigma\n"
                     "imageType:\n  Original: {binCount: 8}\n  Square: {}\n",
    # mean + 2.684947 SD is 449.990 with numpy.std (population SD) and 450.010
    # with the sample SD: the two voxels of 450 tell the two apart.
    "sigmaEdge": "setting:\n  binWidth: 25\n  resegmentRange: [-3, 2.684947]\n  resegmentMode: sigma\n",
    # preCrop crops around the original ROI (loadImage) before resegmentation;
    # the wavelet's decomposition depends on that crop. The re-segmented box
    # (118 voxels) starts 2 slices, 4 rows and 1 column inside the original.
    "preCropWavelet": "setting:\n  binWidth: 25\n  resegmentRange: [0, 150]\n"
                      "  preCrop: true\n  padDistance: 2\n"
                      "imageType:\n  Original: {}\n  Wavelet: {wavelet: coif1}\n",
}


def extract(image, mask, spacing, params):
    p = yaml.safe_load(params)
    setting = dict(p.get("setting") or {})
    setting.setdefault("label", 1)
    if setting.get("preCrop", False):
        # loadImage: cropToTumorMask(image, mask, checkMask's box, padDistance).
        pad = setting.get("padDistance", 5)
        idx = np.where(mask == setting["label"])
        crop = tuple(slice(max(i.min() - pad, 0), i.max() + pad + 1) for i in idx)
        image, mask = image[crop], mask[crop]
    im = Image(image, spacing)
    ma = Image(mask, spacing)
    rm = imageoperations.resegmentMask(im, ma, **setting)
    rm.spacing = spacing
    idx = np.where(rm.arr == setting["label"])
    box = tuple(slice(i.min(), i.max() + 1) for i in idx)
    values = {}
    smask = rm.arr if setting.get("resegmentShape", False) else mask
    f = shape.RadiomicsShape(Image(image[box], spacing), Image((smask[box] == setting["label"]).astype(np.int64), spacing))
    f.enableAllFeatures()
    for k, v in f.execute().items():
        values["original_shape_%s" % k] = float(v)
    for typ, custom in (p.get("imageType") or {"Original": {}}).items():
        args = dict(setting)
        args.update(custom or {})
        for out, name, kw in getattr(imageoperations, "get%sImage" % typ)(im, rm, **args):
            arr = sitk.GetArrayFromImage(out)[box]
            cm = Image((rm.arr[box] == setting["label"]).astype(np.int64), spacing)
            for cls, F in CLASSES:
                f = F(Image(arr, spacing), cm, **kw)
                f.enableAllFeatures()
                for k, v in f.execute().items():
                    v = float(np.real(np.asarray(v).reshape(-1)[0]))
                    values["%s_%s_%s" % (name, cls, k)] = None if np.isnan(v) else v
    return values


imageoperations.getOriginalImage = lambda image, mask, **kw: iter([(image, "original", kw)])

image, spacing = read_nifti(os.path.join(ROOT, "spine", IMAGE))
mask, _ = read_nifti(os.path.join(ROOT, "spine", MASK))
cases = [{"image": "spine/" + IMAGE, "mask": "spine/" + MASK, "params_name": name, "params": params,
          "values": extract(image, mask, spacing, params)} for name, params in PARAMS.items()]
json.dump({"tool": "pyradiomics 8ed5793 (v3.1.0-111), PyWavelets " + pywt.__version__ + ", NumPy " + np.__version__ + ", " + sys.version.split()[0],
           "cases": cases}, sys.stdout, indent=1, sort_keys=True)
print()
