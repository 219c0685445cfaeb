#!/usr/bin/env python3
"""Regenerate the shape package's test masks and pyradiomics reference values.

Usage (from the repository root):

    python3 testdata/shape/make_testdata.py PYRADIOMICS_CHECKOUT

PYRADIOMICS_CHECKOUT is a checkout of github.com/AIM-Harvard/pyradiomics at
commit 8ed579383b44806651c463d5e691f3b2b57522ab (v3.1.0-111-g8ed5793). Its C
mesh code, radiomics/src/cshape.c, is compiled with gcc into a temporary
shared library and called through ctypes; nothing of it is copied here. The
rest of pyradiomics' RadiomicsShape (padding, voxel volume, PCA with
numpy.linalg.eigvals, the feature formulas) is restated below line by line
with numpy, because SimpleITK is not available; SimpleITK is used there only
to pad the mask by one voxel, which numpy.pad does identically.

Made with: Debian 12 python3 3.11.2, python3-numpy 1:1.24.2-1, gcc 12.2.0
(Debian 12.2.0-14+deb12u1).

Outputs (overwritten):
  testdata/shape/masks/<case>.txt   the masks, format below
  testdata/shape/pyradiomics.csv    case,feature,value (repr of the float64)
  testdata/shape/pyradiomics_shape2D.csv  the same for shape2D on single-slice masks
  testdata/shape/baseline_shape.csv brain1/breast1 columns of pyradiomics' baseline
  testdata/shape/baseline_shape2D.csv brain1/breast1 columns of its shape2D baseline

Mask format: '#' comment lines, then "dims X Y Z", "spacing SX SY SZ" (mm,
along i, j, k), then Z*Y lines, k outer, j inner, each one row of X voxels
along i as run lengths alternating outside/inside, starting with outside
("3 2 1": 3 voxels out, 2 in, 1 out).
"""
import ctypes
import gzip
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# The label maps and pyradiomics baselines, as copied into this repository.
REF = os.path.join(HERE, "..")


def build_cshape(checkout):
    src = os.path.join(checkout, "radiomics", "src", "cshape.c")
    tmp = tempfile.mkdtemp()
    lib = os.path.join(tmp, "libcshape.so")
    inc = subprocess.check_output(["python3-config", "--includes"], text=True).split()
    subprocess.check_call(["gcc", "-O2", "-fPIC", "-shared", *inc, src, "-o", lib, "-lm"])
    so = ctypes.CDLL(lib)
    so.calculate_coefficients.restype = ctypes.c_int
    return so


def cshape_coefficients(so, mask_zyx, spacing_zyx):
    """radiomics.cShape.calculate_coefficients(mask, spacing) via ctypes."""
    m = np.ascontiguousarray(mask_zyx, dtype=np.int8)
    sp = np.ascontiguousarray(spacing_zyx, dtype=np.float64)
    size = (ctypes.c_int * 3)(*m.shape)
    strides = (ctypes.c_int * 3)(*[s // m.itemsize for s in m.strides])
    sa, vol = ctypes.c_double(), ctypes.c_double()
    diam = (ctypes.c_double * 4)()
    rc = so.calculate_coefficients(
        m.ctypes.data_as(ctypes.c_char_p), size, strides,
        sp.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        ctypes.byref(sa), ctypes.byref(vol), diam)
    assert rc == 0
    return sa.value, vol.value, list(diam)


def pyradiomics_shape(so, mask_zyx, spacing_zyx):
    """RadiomicsShape._initSegmentBasedCalculation and the 14 default getters."""
    mask = np.pad(mask_zyx.astype(bool), 1)  # sitk.ConstantPadImageFilter, 1 voxel
    coords = np.where(mask != 0)
    pixelSpacing = np.asarray(spacing_zyx, dtype=np.float64)
    SurfaceArea, Volume, diameters = cshape_coefficients(so, mask, pixelSpacing)
    Np = len(coords[0])
    coordinates = np.array(coords, dtype="int").transpose((1, 0))
    physicalCoordinates = coordinates * pixelSpacing[None, :]
    physicalCoordinates -= np.mean(physicalCoordinates, axis=0)
    physicalCoordinates /= np.sqrt(Np)
    covariance = np.dot(physicalCoordinates.T.copy(), physicalCoordinates)
    ev = np.linalg.eigvals(covariance)
    machine_errors = np.bitwise_and(ev < 0, ev > -1e-10)
    ev[machine_errors] = 0
    ev.sort()
    z, y, x = pixelSpacing
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "Elongation": np.sqrt(ev[1] / ev[2]),
            "Flatness": np.sqrt(ev[0] / ev[2]),
            "LeastAxisLength": np.sqrt(ev[0]) * 4,
            "MajorAxisLength": np.sqrt(ev[2]) * 4,
            "Maximum2DDiameterColumn": diameters[1],
            "Maximum2DDiameterRow": diameters[2],
            "Maximum2DDiameterSlice": diameters[0],
            "Maximum3DDiameter": diameters[3],
            "MeshVolume": Volume,
            "MinorAxisLength": np.sqrt(ev[1]) * 4,
            "Sphericity": (36 * np.pi * Volume ** 2) ** (1.0 / 3.0) / SurfaceArea,
            "SurfaceArea": SurfaceArea,
            "SurfaceVolumeRatio": SurfaceArea / Volume,
            "VoxelVolume": Np * (z * x * y),
        }


def cshape_coefficients2D(so, mask_yx, spacing_yx):
    """radiomics.cShape.calculate_coefficients2D(mask, spacing) via ctypes."""
    m = np.ascontiguousarray(mask_yx, dtype=np.int8)
    sp = np.ascontiguousarray(spacing_yx, dtype=np.float64)
    size = (ctypes.c_int * 2)(*m.shape)
    strides = (ctypes.c_int * 2)(*[s // m.itemsize for s in m.strides])
    per, surf, diam = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    rc = so.calculate_coefficients2D(
        m.ctypes.data_as(ctypes.c_char_p), size, strides,
        sp.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        ctypes.byref(per), ctypes.byref(surf), ctypes.byref(diam))
    assert rc == 0
    return per.value, surf.value, diam.value


def pyradiomics_shape2D(so, mask_yx, spacing_yx):
    """RadiomicsShape2D._initSegmentBasedCalculation (force2D, slice squeezed) and its 9 default getters."""
    mask = np.pad(mask_yx.astype(bool), pad_width=1, mode="constant", constant_values=0)
    coords = np.where(mask != 0)
    pixelSpacing = np.asarray(spacing_yx, dtype=np.float64)
    Perimeter, Surface, Diameter = cshape_coefficients2D(so, mask, pixelSpacing)
    Np = len(coords[0])
    coordinates = np.array(coords, dtype="int").transpose((1, 0))
    physicalCoordinates = coordinates * pixelSpacing[None, :]
    physicalCoordinates -= np.mean(physicalCoordinates, axis=0)
    physicalCoordinates /= np.sqrt(Np)
    covariance = np.dot(physicalCoordinates.T.copy(), physicalCoordinates)
    ev = np.linalg.eigvals(covariance)
    machine_errors = np.bitwise_and(ev < 0, ev > -1e-10)
    ev[machine_errors] = 0
    ev.sort()
    y, x = pixelSpacing
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "Elongation": np.sqrt(ev[0] / ev[1]),
            "MajorAxisLength": np.sqrt(ev[1]) * 4,
            "MaximumDiameter": Diameter,
            "MeshSurface": Surface,
            "MinorAxisLength": np.sqrt(ev[0]) * 4,
            "Perimeter": Perimeter,
            "PerimeterSurfaceRatio": Perimeter / Surface,
            "PixelSurface": Np * (x * y),
            "Sphericity": (2 * np.sqrt(np.pi * Surface)) / Perimeter,
        }


def cases2D():
    """Single-slice ROIs for shape2D: (name, mask (1, y, x), spacing (x, y, z), comment)."""
    out = []
    for name, z in (("brain1", 16), ("breast1", 9)):
        m, sp = read_nrrd_label(os.path.join(REF, "pyradiomics", name + "_label.nrrd"))
        sl = np.zeros_like(m)
        sl[z] = m[z]
        out.append(("%s_slice%d" % (name, z), crop(sl), sp,
                    "%s_label.nrrd, label 1, slice k = %d only (the ROI of pyradiomics' %s_shape2D\n"
                    "baseline), cropped to its bounding box; BSD-3-Clause" % (name, z, name)))
    rng = np.random.default_rng(20251128)
    for n in range(6):
        dims = (1, int(rng.integers(2, 25)), int(rng.integers(2, 25)))
        m = rng.random(dims) < rng.uniform(0.2, 0.8)
        m.flat[0] = m.flat[-1] = True
        sp = [float(s) for s in np.round(rng.uniform(0.3, 3.0, size=2), 4)] + [1.0]
        out.append(("slice_random%d" % n, m, sp, "uniform random slice, numpy default_rng(20251128), draw %d" % n))
    ring = np.ones((1, 7, 9), dtype=bool)
    ring[0, 2:5, 3:6] = False
    out.append(("slice_ring", ring, [0.5, 0.75, 3.0], "a 9x7 rectangle with a 3x3 hole"))
    row = np.ones((1, 1, 6), dtype=bool)
    out.append(("slice_row", row, [0.8, 0.8, 3.0], "6 pixels in a row (MinorAxisLength 0)"))
    return out


def read_nrrd_label(path, label=1):
    """Minimal reader for the two pyradiomics label maps (gzip, little endian)."""
    raw = open(path, "rb").read()
    head, _, body = raw.partition(b"\n\n")
    fields = {}
    for line in head.decode().splitlines()[1:]:
        if line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        fields[k.strip()] = v.strip()
    assert fields["encoding"] == "gzip" and fields["endian"] == "little"
    dtype = {"int": "<i4", "short": "<i2"}[fields["type"]]
    sizes = [int(s) for s in fields["sizes"].split()]
    dirs = [np.array([float(c) for c in d.strip("()").split(",")])
            for d in fields["space directions"].split()]
    spacing = [float(np.sqrt(np.sum(d * d))) for d in dirs]  # as SimpleITK
    data = np.frombuffer(gzip.decompress(body), dtype=dtype)
    vol = data.reshape(sizes[2], sizes[1], sizes[0])  # (z, y, x)
    return vol == label, spacing


def read_nifti_mask(path):
    """Minimal NIfTI-1 reader for the uint8 spine masks: (mask (z, y, x) != 0, pixdim x y z)."""
    import struct
    raw = gzip.decompress(open(path, "rb").read())
    assert struct.unpack("<i", raw[0:4])[0] == 348
    dim = struct.unpack("<8h", raw[40:56])
    datatype = struct.unpack("<h", raw[70:72])[0]
    pixdim = struct.unpack("<8f", raw[76:108])
    off = int(struct.unpack("<f", raw[108:112])[0])
    assert datatype == 2 and dim[0] == 3  # uint8, 3D
    n = dim[1] * dim[2] * dim[3]
    data = np.frombuffer(raw[off:off + n], dtype=np.uint8).reshape(dim[3], dim[2], dim[1])
    return data != 0, [float(pixdim[1]), float(pixdim[2]), float(pixdim[3])]


def crop(mask_zyx, pad=0):
    """Bounding box grown by pad voxels and clipped at the array's edges, as
    imageoperations.cropToTumorMask(padDistance=pad) crops."""
    nz = np.nonzero(mask_zyx)
    lo = [max(int(a.min()) - pad, 0) for a in nz]
    hi = [min(int(a.max()) + 1 + pad, n) for a, n in zip(nz, mask_zyx.shape)]
    return mask_zyx[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]


def write_mask(name, mask_zyx, spacing_xyz, comment):
    Z, Y, X = mask_zyx.shape
    with open(os.path.join(HERE, "masks", name + ".txt"), "w") as f:
        for c in comment.strip().splitlines():
            f.write("# " + c + "\n")
        f.write("dims %d %d %d\n" % (X, Y, Z))
        f.write("spacing %r %r %r\n" % tuple(float(s) for s in spacing_xyz))
        for k in range(Z):
            for j in range(Y):
                runs, cur, n = [], False, 0
                for v in mask_zyx[k, j]:
                    if bool(v) != cur:
                        runs.append(n)
                        cur, n = bool(v), 0
                    n += 1
                runs.append(n)
                f.write(" ".join(str(r) for r in runs) + "\n")


def cases():
    """(name, mask (z, y, x), spacing (x, y, z), comment)."""
    out = []
    for name in ("brain1", "breast1"):
        m, sp = read_nrrd_label(os.path.join(REF, "pyradiomics", name + "_label.nrrd"))
        out.append((name, crop(m), sp,
                    "%s_label.nrrd, label 1, cropped to its bounding box\n"
                    "(pyradiomics data/, BSD-3-Clause, see testdata/pyradiomics)" % name))
    t2 = os.path.join(REF, "spine", "sct_testing_data", "t2")
    cord, sp = read_nifti_mask(os.path.join(t2, "t2_seg-manual.nii.gz"))
    out.append(("spine_cord", crop(cord), sp,
                "sct_testing_data t2/t2_seg-manual.nii.gz (4275 voxels), MIT, Copyright (c) 2014 NeuroPoly"))
    sc, sp = read_nifti_mask(os.path.join(t2, "t2_fake_lesion_sc_seg.nii.gz"))
    les, _ = read_nifti_mask(os.path.join(t2, "t2_fake_lesion_lesion_seg.nii.gz"))
    out.append(("spine_lesion", crop(les), sp,
                "sct_testing_data t2/t2_fake_lesion_lesion_seg.nii.gz (163 voxels), MIT, Copyright (c) 2014 NeuroPoly"))
    out.append(("spine_cord_minus_lesion", crop(sc & ~les), sp,
                "sct_testing_data t2/t2_fake_lesion_sc_seg.nii.gz minus t2_fake_lesion_lesion_seg.nii.gz\n"
                "(7172 voxels), MIT, Copyright (c) 2014 NeuroPoly"))
    out.append(("spine_cord_minus_lesion_pad5", crop(sc & ~les, 5), sp,
                "spine_cord_minus_lesion cropped with a margin of 5 voxels (cropToTumorMask with\n"
                "padDistance 5, clipped at the image edge); its mesh is open, so MeshVolume\n"
                "differs from the bounding-box crop's (which featureextractor.computeShape uses)"))
    # IBSI digital phantom mask (ibsi_1_digital_phantom/nifti/mask/mask.nii.gz, CC BY 4.0):
    # 5x4x4 voxels of 2 mm, all in the ROI but six (testdata/ibsi1/README.md).
    ph = np.ones((4, 4, 5), dtype=bool)
    ph[1, 2, 0] = False
    ph[2, 0, 3] = ph[2, 0, 4] = ph[2, 2, 2] = False
    ph[3, 0, 3] = ph[3, 0, 4] = False
    out.append(("ibsi_phantom", ph, [2.0, 2.0, 2.0],
                "IBSI 1 digital phantom ROI (mask.nii.gz; 74 voxels), CC BY 4.0"))
    # Analytic shapes.
    out.append(("cube", np.ones((4, 4, 4), dtype=bool), [1.0, 1.0, 1.0], "4x4x4 cube, 1 mm"))
    zz, yy, xx = np.mgrid[0:21, 0:21, 0:21]
    ball = (xx - 10) ** 2 + (yy - 10) ** 2 + (zz - 10) ** 2 <= 100
    out.append(("sphere", ball, [1.0, 1.0, 1.0], "ball of radius 10 voxels, 1 mm"))
    flat = np.zeros((1, 6, 9), dtype=bool)
    flat[0, 1:5, 2:8] = True
    flat[0, 0, 0] = True
    out.append(("flat", crop(flat), [0.7, 0.8, 3.0], "one-slice ROI (LeastAxisLength 0)"))
    line = np.zeros((1, 1, 5), dtype=bool)
    line[0, 0, :] = True
    out.append(("line", line, [0.5, 0.5, 2.0], "5 voxels along i (MinorAxisLength 0)"))
    diag = np.zeros((4, 4, 4), dtype=bool)
    for t in range(4):
        diag[t, t, t] = True
    out.append(("diagonal", diag, [1.0, 1.0, 1.0], "4 voxels touching at corners along the diagonal"))
    two = np.zeros((1, 1, 2), dtype=bool)
    two[:] = True
    out.append(("two_voxels", two, [1.0, 2.0, 3.0], "two voxels side by side"))
    rng = np.random.default_rng(20251127)
    for n in range(6):
        dims = rng.integers(3, 10, size=3)
        m = rng.random(tuple(dims)) < rng.uniform(0.25, 0.75)
        if m.sum() < 2:
            m.flat[:2] = True
        sp = [float(s) for s in np.round(rng.uniform(0.4, 3.0, size=3), 4)]
        out.append(("random%d" % n, m, sp, "uniform random mask, numpy default_rng(20251127), draw %d" % n))
    for n in range(3):
        dims = (rng.integers(6, 12), rng.integers(10, 20), rng.integers(10, 20))
        noise = rng.random(dims)
        # 3x3x3 box smoothing, thresholded: blob-like ROIs with real-looking boundaries
        p = np.pad(noise, 1, mode="edge")
        s = sum(p[a:a + dims[0], b:b + dims[1], c:c + dims[2]]
                for a in range(3) for b in range(3) for c in range(3)) / 27
        m = s > np.quantile(s, 0.55)
        sp = [float(s) for s in np.round(rng.uniform(0.4, 3.0, size=3), 4)]
        out.append(("blob%d" % n, m, sp, "smoothed random blob, numpy default_rng(20251127), draw %d" % n))
    return out


def baseline_columns():
    """brain1 and breast1 shape rows of pyradiomics' data/baseline/baseline_shape.csv, verbatim."""
    import csv
    src = os.path.join(REF, "pyradiomics", "baseline", "baseline_shape.csv")
    with open(src) as f:
        rows = list(csv.reader(f))
    head = rows[0]
    ib, ibr = head.index("brain1"), head.index("breast1")
    with open(os.path.join(HERE, "baseline_shape.csv"), "w") as f:
        f.write("# brain1 and breast1 columns of pyradiomics data/baseline/baseline_shape.csv (commit 8ed5793),\n"
                "# values copied verbatim; BSD-3-Clause, Copyright 2017 Harvard Medical School\n")
        f.write("featureName,brain1,breast1\n")
        for r in rows[1:]:
            if r[0].startswith("original_shape_"):
                f.write("%s,%s,%s\n" % (r[0], r[ib], r[ibr]))
    src = os.path.join(REF, "pyradiomics", "baseline", "baseline_shape2D.csv")
    with open(src) as f:
        rows = list(csv.reader(f))
    head = rows[0]
    ib, ibr = head.index("brain1_shape2D"), head.index("breast1_shape2D")
    with open(os.path.join(HERE, "baseline_shape2D.csv"), "w") as f:
        f.write("# brain1_shape2D and breast1_shape2D columns of pyradiomics data/baseline/baseline_shape2D.csv\n"
                "# (commit 8ed5793; force2D, slices k = 16 and 9 of the labels), values copied verbatim;\n"
                "# BSD-3-Clause, Copyright 2017 Harvard Medical School\n")
        f.write("featureName,brain1,breast1\n")
        for r in rows[1:]:
            if r[0].startswith("original_shape2D_"):
                f.write("%s,%s,%s\n" % (r[0], r[ib], r[ibr]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    so = build_cshape(sys.argv[1])
    baseline_columns()
    os.makedirs(os.path.join(HERE, "masks"), exist_ok=True)
    rows = []
    for name, mask, sp_xyz, comment in cases():
        write_mask(name, mask, sp_xyz, comment)
        feats = pyradiomics_shape(so, mask, sp_xyz[::-1])
        for k, v in feats.items():
            rows.append("%s,%s,%r" % (name, k, float(v)))
    rows2D = []
    for name, mask, sp_xyz, comment in cases2D():
        write_mask(name, mask, sp_xyz, comment)
        feats = pyradiomics_shape2D(so, mask[0], [sp_xyz[1], sp_xyz[0]])
        for k, v in feats.items():
            rows2D.append("%s,%s,%r" % (name, k, float(v)))
    with open(os.path.join(HERE, "pyradiomics_shape2D.csv"), "w") as f:
        f.write("# pyradiomics 8ed5793 shape2D features, force2D on single-slice masks (cshape.c via ctypes + numpy %s); "
                "regenerate with testdata/shape/make_testdata.py\n" % np.__version__)
        f.write("case,feature,value\n")
        f.write("\n".join(rows2D) + "\n")
    with open(os.path.join(HERE, "pyradiomics.csv"), "w") as f:
        f.write("# pyradiomics 8ed5793 shape features (cshape.c via ctypes + numpy %s); "
                "regenerate with testdata/shape/make_testdata.py\n" % np.__version__)
        f.write("case,feature,value\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
