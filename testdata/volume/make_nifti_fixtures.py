#!/usr/bin/python3
"""Make small NIfTI files with unusual headers, and nibabel's reading of them.

Run from the repository root with Debian bookworm's nibabel 5.0.0 and numpy 1.24.2
(apt-get install python3-nibabel):

    /usr/bin/python3 testdata/volume/make_nifti_fixtures.py

It writes testdata/volume/nifti/*.nii[.gz] and testdata/volume/nifti_expected.json:
for each fixture and each file scirad wrote into testdata/volume/nifti_written/
(all voxels), and for each real NIfTI file under testdata/spine and
testdata/ibsi1 (summary statistics and a few voxels), nibabel's best affine
(img.affine, RAS+), shape, on-disk dtype, header codes and get_fdata() values.
The Go tests in pipeline/volume/nifti compare against that JSON; they never run this.
"""
import glob
import json
import os

import nibabel as nib
import numpy as np

OUT = "testdata/volume/nifti"
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261127)
SHAPE = (5, 4, 3)


def rot(ax, deg):
    """Rotation matrix about axis ax (0, 1, 2) by deg degrees."""
    t = np.deg2rad(deg)
    c, s = np.cos(t), np.sin(t)
    i, j = [(1, 2), (2, 0), (0, 1)][ax]
    m = np.eye(3)
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    return m


def affine(r, zooms, offset):
    a = np.eye(4)
    a[:3, :3] = r @ np.diag(zooms)
    a[:3, 3] = offset
    return a


OBLIQUE = affine(rot(0, 9.3) @ rot(2, -17.0), (0.47, 0.52, 3.3), (-64.1, -59.7, 12.5))
REFLECT = affine(rot(1, 25.0) @ np.diag([1, 1, -1]), (0.8, 0.9, 1.1), (10.0, -20.0, 30.0))
SAGITTAL = np.array([[0, 0, 1, -32.2193], [-1, 0, 0, 31.7866], [0, 1, 0, -19.3217], [0, 0, 0, 1.0]])


def data(dtype, lo=-50, hi=200):
    d = np.arange(np.prod(SHAPE)).reshape(SHAPE, order="F") * 7 % (hi - lo) + lo
    return d.astype(dtype)


def save(name, img):
    img.to_filename(os.path.join(OUT, name))


def patch(name, offset, raw_bytes):
    """Overwrite header bytes after nibabel wrote the file (nibabel's
    update_header on save would undo some header edits)."""
    p = os.path.join(OUT, name)
    raw = bytearray(open(p, "rb").read())
    raw[offset:offset + len(raw_bytes)] = raw_bytes
    open(p, "wb").write(bytes(raw))


# 1. oblique sform only (qform_code 0), float32.
img = nib.Nifti1Image(data(np.float32) + np.float32(0.25), OBLIQUE)
img.set_qform(None, code=0)
img.set_sform(OBLIQUE, code=2)
save("oblique_sform_only.nii", img)

# 2. qform only (sform_code 0), a reflection so that qfac = -1, int16.
img = nib.Nifti1Image(data(np.int16), REFLECT)
img.set_sform(None, code=0)
img.set_qform(REFLECT, code=1)
save("qform_only_qfac.nii", img)

# 3. scaled int16, gzip.
img = nib.Nifti1Image(data(np.int16, -300, 300), SAGITTAL)
img.header.set_slope_inter(0.5, -10.0)
img.set_data_dtype(np.int16)
save("scaled_int16.nii.gz", img)

# 4. float64, with a values spread over decades.
d = (rng.standard_normal(SHAPE) * 1e3).astype(np.float64)
img = nib.Nifti1Image(d, SAGITTAL)
save("float64.nii", img)

# 5. big-endian int32 and float32 with sform and qform.
hdr = nib.Nifti1Header(endianness=">")
hdr.set_data_dtype(np.int32)
img = nib.Nifti1Image(data(">i4", -100000, 100000), OBLIQUE, hdr)
img.set_qform(OBLIQUE, code=1)
save("bigendian_int32.nii", img)
hdr = nib.Nifti1Header(endianness=">")
img = nib.Nifti1Image(data(">f4") / np.float32(3), REFLECT, hdr)
save("bigendian_float32.nii.gz", img)

# 6. NIfTI-2, little- and big-endian.
img = nib.Nifti2Image(data(np.float32) * np.float32(1.5), OBLIQUE)
save("nifti2.nii", img)
hdr = nib.Nifti2Header(endianness=">")
hdr.set_data_dtype(np.int16)
img = nib.Nifti2Image(data(">i2"), REFLECT, hdr)
img.set_qform(REFLECT, code=1)
save("nifti2_bigendian.nii.gz", img)

# 7. no transform at all: both codes 0, nibabel's centred base affine.
img = nib.Nifti1Image(data(np.uint8, 0, 250), None)
img.set_qform(None, code=0)
img.set_sform(None, code=0)
img.header.set_zooms((0.5, 2.0, 3.0))
save("no_transform.nii", img)
patch("no_transform.nii", 252, np.array([0, 0], "<i2").tobytes())

# 8. sform and qform disagree: nibabel takes the sform.
img = nib.Nifti1Image(data(np.int16), OBLIQUE)
img.set_qform(REFLECT, code=1)
img.set_sform(OBLIQUE, code=1)
save("sform_over_qform.nii", img)

# 9. every other datatype.
for dt, lo, hi in [(np.int8, -100, 100), (np.uint16, 0, 60000), (np.uint32, 0, 4000000000),
                   (np.int64, -(2**40), 2**40), (np.uint8, 0, 255)]:
    img = nib.Nifti1Image(data(dt, lo, hi), SAGITTAL, dtype=dt)
    save("dtype_%s.nii" % np.dtype(dt).name, img)

# 10. a header extension (vox_offset > 352) and a 4D file with one volume.
img = nib.Nifti1Image(data(np.int16), SAGITTAL)
img.header.extensions.append(nib.nifti1.Nifti1Extension("comment", b"scirad test extension"))
save("extension.nii", img)
img = nib.Nifti1Image(data(np.float32)[..., None], SAGITTAL)
save("one_volume_4d.nii", img)

# 11. scl_slope 0 (no scaling) with a non-zero intercept that must be ignored.
img = nib.Nifti1Image(data(np.int16), SAGITTAL)
img.set_data_dtype(np.int16)
save("slope_zero.nii", img)
patch("slope_zero.nii", 112, np.array([0, 7], "<f4").tobytes())


def describe(path, full):
    img = nib.load(path)
    h = img.header
    d = img.get_fdata()
    e = {
        "version": 2 if isinstance(img, nib.Nifti2Image) else 1,
        "endian": h.endianness,
        "dtype": str(img.get_data_dtype().newbyteorder("=")),
        "shape": [int(x) for x in img.shape],
        "affine": img.affine.tolist(),
        "qform_code": int(h["qform_code"]),
        "sform_code": int(h["sform_code"]),
        "qfac": float(h["pixdim"][0]),
        "qform_affine": h.get_qform().tolist() if h["qform_code"] > 0 else None,
        "sum": float(d.sum()),
        "min": float(d.min()),
        "max": float(d.max()),
        "nonzero": int(np.count_nonzero(d)),
    }
    if full:
        e["data_fortran"] = d.flatten(order="F").tolist()
    else:
        idx = [tuple(int(v) for v in np.unravel_index(k, d.shape[:3]))
               for k in np.linspace(0, d[..., 0].size - 1, 7).astype(int)]
        e["samples"] = [{"ijk": list(i), "value": float(d[i])} for i in idx]
    return e


expected = {"tool": "nibabel %s, numpy %s" % (nib.__version__, np.__version__), "files": {}}
# Files written by scirad's own encoder (go test -run TestWrittenGolden
# ./pipeline/volume/nifti -args -update): nibabel's reading checks the writer.
for p in sorted(glob.glob(OUT + "/*.nii*") + glob.glob("testdata/volume/nifti_written/*.nii*")):
    expected["files"][os.path.relpath(p, "testdata")] = describe(p, True)
for p in sorted(glob.glob("testdata/spine/**/*.nii.gz", recursive=True) +
                glob.glob("testdata/ibsi1/**/*.nii.gz", recursive=True)):
    expected["files"][os.path.relpath(p, "testdata")] = describe(p, False)
with open("testdata/volume/nifti_expected.json", "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
