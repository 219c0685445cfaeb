#!/usr/bin/python3
"""Regenerate testdata/filters/golden.json: features of pyradiomics' derived
image types (LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential,
Gradient, LBP2D, LBP3D) on the real spinal-cord MRI in testdata/spine,
computed by pyradiomics itself.

Each case runs what pyradiomics' RadiomicsFeatureExtractor.execute runs for
segment-based extraction without normalisation, resampling or preCrop: for
every enabled image type, imageoperations.get<Type>Image(image, mask,
**settings) on the whole image, each yielded image cropped to the ROI's
bounding box (cropToTumorMask, no padding), then the firstorder, glcm, glrlm,
glszm, ngtdm and gldm classes with the same settings (default features).

Tools:
  - pyradiomics at commit 8ed579383b44806651c463d5e691f3b2b57522ab
    (v3.1.0-111-g8ed5793), its C extension _cmatrices built here with gcc;
  - SimpleITK is not packaged for Debian 12: the two SimpleITK filters
    pyradiomics calls (LaplacianRecursiveGaussianImageFilter with
    NormalizeAcrossScale, GradientMagnitudeImageFilter) run through ITK
    itself, Debian libinsighttoolkit5-dev 5.2.1, with SimpleITK's pixel types
    (float output): testdata/filters/itkfilters.cxx, built as its header
    says. The rest of SimpleITK that the image-type functions use
    (GetArrayFromImage, GetImageFromArray, CopyInformation, GetSize,
    GetSpacing) is a small stand-in below; images keep their file's dtype
    (int16), as sitk.ReadImage does.
  - PyWavelets 1.1.1 (Debian python3-pywt), scikit-image 0.19.3 (Debian
    python3-skimage), SciPy 1.10.1, NumPy 1.24.2, CPython 3.11 (Debian).
  - trimesh is not packaged for Debian 12: its icosphere() (the stored unit
    icosahedron of trimesh/resources/creation.json, subdivided by edge
    midpoints and pushed out to the radius after each subdivision, as
    trimesh.creation.icosphere at commit cea2b2a) is re-implemented below;
    pyradiomics uses only its vertices.

Usage (from the repository root):
  git --git-dir=PATH/TO/pyradiomics/.git archive 8ed5793 radiomics | tar -x -C /tmp/pyrad
  g++ -O2 -I/usr/include/ITK-5.2 testdata/filters/itkfilters.cxx -o /tmp/itkfilters -L/usr/lib \
      -lITKSmoothing-5.2 -lITKCommon-5.2 -litksys-5.2 -litkvnl-5.2 -litkvnl_algo-5.2 -lpthread
  /usr/bin/python3 testdata/filters/make_golden.py /tmp/pyrad /tmp/itkfilters > testdata/filters/golden.json
"""
import gzip
import json
import os
import struct
import subprocess
import sys
import sysconfig
import tempfile
import types

import numpy as np
import pywt
import scipy
import skimage
import yaml

src, itk = sys.argv[1], sys.argv[2]
ext = os.path.join(src, "radiomics", "_cmatrices" + sysconfig.get_config_var("EXT_SUFFIX"))
if not os.path.exists(ext):
    subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC",
                           "-I" + sysconfig.get_paths()["include"], "-I" + np.get_include(),
                           os.path.join(src, "radiomics", "src", "_cmatrices.c"),
                           os.path.join(src, "radiomics", "src", "cmatrices.c"), "-o", ext])
with open(os.path.join(src, "radiomics", "_version.py"), "w") as f:
    f.write('version = "3.1.0-111-g8ed5793"\n')


class Image:
    """The part of a SimpleITK image pyradiomics' image types use."""

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


def run_itk(mode, image, param):
    with tempfile.TemporaryDirectory() as d:
        i, o = os.path.join(d, "in.f64"), os.path.join(d, "out.f32")
        image.arr.astype("<f8").tofile(i)
        size = [str(n) for n in image.GetSize()]
        sp = ["%.17g" % s for s in image.spacing]
        subprocess.check_call([itk, mode] + size + sp + ["%.17g" % param, i, o])
        return Image(np.fromfile(o, dtype="<f4").reshape(image.arr.shape), image.spacing)


class LaplacianRecursiveGaussianImageFilter:
    def SetNormalizeAcrossScale(self, on):
        assert on

    def SetSigma(self, s):
        self.sigma = s

    def Execute(self, image):
        return run_itk("log", image, self.sigma)


class GradientMagnitudeImageFilter:
    def SetUseImageSpacing(self, on):
        self.use = on

    def Execute(self, image):
        return run_itk("gradient", image, 1 if self.use else 0)


sitk = types.ModuleType("SimpleITK")
sitk.GetArrayFromImage = lambda im: im.arr.copy()  # SimpleITK returns a copy (LBP2D writes into it)
sitk.GetImageFromArray = lambda a: Image(a)
sitk.LaplacianRecursiveGaussianImageFilter = LaplacianRecursiveGaussianImageFilter
sitk.GradientMagnitudeImageFilter = GradientMagnitudeImageFilter
sys.modules["SimpleITK"] = sitk

ICOSAHEDRON = (
    [[-0.5257311121191336, 0.85065080835204, 0.0], [0.5257311121191336, 0.85065080835204, 0.0],
     [-0.5257311121191336, -0.85065080835204, 0.0], [0.5257311121191336, -0.85065080835204, 0.0],
     [0.0, -0.5257311121191336, 0.85065080835204], [0.0, 0.5257311121191336, 0.85065080835204],
     [0.0, -0.5257311121191336, -0.85065080835204], [0.0, 0.5257311121191336, -0.85065080835204],
     [0.85065080835204, 0.0, -0.5257311121191336], [0.85065080835204, 0.0, 0.5257311121191336],
     [-0.85065080835204, 0.0, -0.5257311121191336], [-0.85065080835204, 0.0, 0.5257311121191336]],
    [[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2],
     [10, 7, 6], [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11],
     [6, 2, 10], [8, 6, 7], [9, 8, 1]])


def icosphere(subdivisions=3, radius=1.0):
    v = np.array(ICOSAHEDRON[0], dtype=np.float64)
    faces = np.array(ICOSAHEDRON[1], dtype=np.int64)

    def project(v):
        scalar = np.sqrt(np.dot(v ** 2, [1, 1, 1]))
        return v + v / scalar.reshape((-1, 1)) * (radius - scalar).reshape((-1, 1))

    for _ in range(int(subdivisions)):
        edges = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape((-1, 2)), axis=1)
        unique, inverse = np.unique(edges, axis=0, return_inverse=True)
        mid = v[unique].mean(axis=1)
        m = inverse.reshape((-1, 3)) + len(v)
        faces = np.column_stack([faces[:, 0], m[:, 0], m[:, 2], m[:, 0], faces[:, 1], m[:, 1],
                                 m[:, 2], m[:, 1], faces[:, 2], m[:, 0], m[:, 1], m[:, 2]]).reshape((-1, 3))
        v = project(np.vstack((v, mid)))
    if subdivisions <= 0:
        v = project(v)
    return types.SimpleNamespace(vertices=v, faces=faces)


trimesh = types.ModuleType("trimesh")
trimesh.creation = types.ModuleType("trimesh.creation")
trimesh.creation.icosphere = icosphere
sys.modules["trimesh"] = trimesh
sys.modules["trimesh.creation"] = trimesh.creation
sys.modules["radiomics._cshape"] = types.ModuleType("radiomics._cshape")
sys.path.insert(0, src)
import radiomics  # noqa: E402
from radiomics import firstorder, glcm, gldm, glrlm, glszm, imageoperations, ngtdm  # noqa: E402

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


# name -> (image, mask) under testdata/spine
ROIS = {
    "cord": ("sct_testing_data/t2/t2.nii.gz", "sct_testing_data/t2/t2_seg-manual.nii.gz"),
    "fakeLesionCord": ("sct_testing_data/t2/t2_fake_lesion.nii.gz", "sct_testing_data/t2/t2_fake_lesion_sc_seg.nii.gz"),
}
# name -> params YAML (pyradiomics' layout); each is parsed by yaml.safe_load here and by scirad's ParseParams.
PARAMS = {
    "all": """setting:
  binWidth: 25
imageType:
  Original: {}
  LoG: {sigma: [1.0, 2, 3.0]}
  Wavelet: {}
  Square: {}
  SquareRoot: {}
  Logarithm: {}
  Exponential: {}
  Gradient: {}
  LBP2D: {}
  LBP3D: {}
""",
    "custom": """setting:
  binWidth: 5
imageType:
  LoG: {sigma: [0.5, 1.5], binCount: 16}
  Wavelet: {wavelet: haar, start_level: 1, level: 2}
  Gradient: {gradientUseSpacing: false, binWidth: 10}
  LBP2D: {lbp2DRadius: 2, lbp2DSamples: 12, force2Ddimension: 1, binWidth: 1}
  LBP3D: {lbp3DLevels: 3, binWidth: 0.5}
""",
}
PER_ROI = {"cord": ["all", "custom"], "fakeLesionCord": ["all"]}


def extract(image, mask, spacing, params):
    p = yaml.safe_load(params)
    setting = dict(p.get("setting") or {})
    setting.setdefault("label", 1)
    im = Image(image, spacing)
    ma = Image(mask, spacing)
    roi = mask == setting["label"]
    idx = np.where(roi)
    box = tuple(slice(i.min(), i.max() + 1) for i in idx)
    values = {}
    for typ, custom in p["imageType"].items():
        args = dict(setting)
        args.update(custom or {})
        for out, name, kw in getattr(imageoperations, "get%sImage" % typ)(im, ma, **args):
            arr = sitk.GetArrayFromImage(out)[box]
            cm = Image((mask[box] == setting["label"]).astype(np.int64), spacing)
            for cls, F in CLASSES:
                f = F(Image(arr, spacing), cm, **kw)
                f.enableAllFeatures()
                for k, v in f.execute().items():
                    v = float(np.real(np.asarray(v).reshape(-1)[0]))
                    values["%s_%s_%s" % (name, cls, k)] = None if np.isnan(v) else v
    return values



imageoperations.getOriginalImage = lambda image, mask, **kw: iter([(image, "original", kw)])

cases = []
for roi, (img, msk) in ROIS.items():
    image, spacing = read_nifti(os.path.join(ROOT, "spine", img))
    mask, _ = read_nifti(os.path.join(ROOT, "spine", msk))
    for name in PER_ROI[roi]:
        cases.append({"roi": roi, "image": "spine/" + img, "mask": "spine/" + msk, "params_name": name,
                      "params": PARAMS[name], "values": extract(image, mask, spacing, PARAMS[name])})

# ITK's filters voxel by voxel on a 16³ crop of case B (0.8 mm voxels), for
# package filter's bit-level test: LoG sigma 1.5 mm and gradient magnitude.
image, spacing = read_nifti(os.path.join(ROOT, "spine", ROIS["fakeLesionCord"][0]))
crop = Image(np.ascontiguousarray(image[5:21, 40:56, 40:56]), spacing)
with open(os.path.join(ROOT, "filters", "itk_crop.json"), "w") as f:
    json.dump({"tool": "ITK 5.2.1 (itkfilters.cxx)", "image": "spine/" + ROIS["fakeLesionCord"][0],
               "crop_zyx": [[5, 21], [40, 56], [40, 56]], "spacing_xyz": spacing,
               "log_sigma_1_5": [float(x) for x in run_itk("log", crop, 1.5).arr.reshape(-1)],
               "gradient": [float(x) for x in run_itk("gradient", crop, 1).arr.reshape(-1)]}, f)
    f.write("\n")

json.dump({"tool": "pyradiomics 8ed5793 (v3.1.0-111), ITK 5.2.1 (itkfilters.cxx), PyWavelets " + pywt.__version__
           + ", scikit-image " + skimage.__version__ + ", SciPy " + scipy.__version__ + ", NumPy " + np.__version__
           + ", " + sys.version.split()[0], "cases": cases}, sys.stdout, indent=1, sort_keys=True)
print()
