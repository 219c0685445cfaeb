#!/bin/sh
# Regenerates testdata/dicom from tools written by others (see README.md).
# Needs: Debian bookworm's plastimatch 1.9.4, dcm2niix v1.0.20220720, dcmtk 3.6.7,
# python3-pil 9.4.0,
# python3-pydicom 2.3.1, python3-nibabel 5.0.0, python3-numpy 1.24.2; node
# with dcmjs 0.29.x (npm install dcmjs@0.29 in $DCMJS_DIR).
# Usage: testdata/dicom/make_testdata.sh IBSI_CT_PHANTOM_DIR [DCMJS_DIR]
#   IBSI_CT_PHANTOM_DIR is theibsi/data_sets' ibsi_1_ct_radiomics_phantom
#   (dicom/image, dicom/mask, nifti/image, nifti/mask).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ph=$1
dcmjs=${2:-}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The IBSI CT phantom: IBSI's DICOM series + RTSTRUCT, as they are.
(cd "$ph/dicom" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - image mask) | gzip -9n > "$here/ibsi_ct_phantom_dicom.tar.gz"
cp "$ph/nifti/mask/mask.nii.gz" "$here/ibsi_ct_phantom_mask.nii.gz"
# IBSI's NIfTI image (3.7 MB) is not copied: nibabel writes its geometry
# (LPS) and a SHA-256 of its voxels (int16, x fastest) instead.
$PY - "$ph/nifti/image/phantom.nii.gz" > "$here/ibsi_ct_phantom_image.json" <<'PYEOF'
import sys, json, hashlib, numpy as np, nibabel as nib
im = nib.load(sys.argv[1])
a = np.asarray(im.dataobj)
aff = im.affine.copy()
aff[:2, :] *= -1  # RAS -> LPS
out = {
    "source": "IBSI nifti/image/phantom.nii.gz read by nibabel " + nib.__version__,
    "dims": list(a.shape),
    "origin_lps": aff[:3, 3].tolist(),
    "axes_lps": aff[:3, :3].T.tolist(),  # row c: the LPS step of index axis c
    "min": float(a.min()), "max": float(a.max()), "sum": float(a.astype(np.float64).sum()),
    "sha256_int16_le_x_fastest": hashlib.sha256(a.astype('<i2').tobytes(order='F')).hexdigest(),
}
print(json.dumps(out, indent=1))
PYEOF

# 2. The real spine MRI (testdata/spine case B) as DICOM + RTSTRUCT by
# plastimatch: the injured cord (lesion mask) and the rest of the cord
# (cord mask minus lesion) as two structures named by their file names.
S="$root/testdata/spine/sct_testing_data/t2"
mkdir -p "$tmp/masks"
$PY - "$S" "$tmp/masks" <<'PYEOF'
import sys, numpy as np, nibabel as nib
s, out = sys.argv[1], sys.argv[2]
les = nib.load(s + "/t2_fake_lesion_lesion_seg.nii.gz")
sc = nib.load(s + "/t2_fake_lesion_sc_seg.nii.gz")
l = np.asarray(les.dataobj) > 0
c = np.asarray(sc.dataobj) > 0
nib.save(nib.Nifti1Image(l.astype(np.uint8), les.affine), out + "/injured_cord.nii.gz")
nib.save(nib.Nifti1Image((c & ~l).astype(np.uint8), les.affine), out + "/rest_of_cord.nii.gz")
PYEOF
plastimatch convert --input "$S/t2_fake_lesion.nii.gz" --input-prefix "$tmp/masks" --output-dicom "$tmp/spine" > /dev/null
# plastimatch names files by UID; the archive keeps them under spine/.
(cd "$tmp" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - spine) | gzip -9n > "$here/spine_plastimatch.tar.gz"

# 2b. DICOM-SEG by dcmjs on that same series: the masks as DICOM series by
# plastimatch (same grid), packed into SEG frames by make_seg.js.
if [ -n "$dcmjs" ]; then
	$PY - "$S" "$tmp" <<'PYEOF'
import sys, numpy as np, nibabel as nib
from scipy import ndimage
s, out = sys.argv[1], sys.argv[2]
les = nib.load(s + "/t2_fake_lesion_lesion_seg.nii.gz")
l = np.asarray(les.dataobj) > 0
c = np.asarray(nib.load(s + "/t2_fake_lesion_sc_seg.nii.gz").dataobj) > 0
ring = ndimage.binary_dilation(c) & ~c  # outside the cord: below the 0.5 threshold
frac = np.zeros(c.shape, np.int16); frac[ring] = 60; frac[c] = 200; frac[l] = 255
for name, a in (("lesion", l.astype(np.int16)), ("cord", c.astype(np.int16)), ("frac", frac)):
    nib.save(nib.Nifti1Image(a, les.affine), out + "/" + name + ".nii.gz")
PYEOF
	for m in lesion cord frac; do
		plastimatch convert --input "$tmp/$m.nii.gz" --output-dicom "$tmp/dcm_$m" > /dev/null
	done
	mkdir -p "$tmp/spine_img" "$here/seg"
	cp "$tmp"/spine/image*.dcm "$tmp/spine_img/"
	node "$here/make_seg.js" "$dcmjs" "$tmp/spine_img" "$tmp/dcm_lesion" "$tmp/dcm_cord" "$tmp/dcm_frac" "$here/seg"
fi

# 2b'. An Enhanced (Legacy Converted) MR multi-frame file by dcmjs's
# normalizer, from 8 middle slices of the spine MRI written by plastimatch
# as an MR series.
if [ -n "$dcmjs" ]; then
	plastimatch convert --input "$S/t2_fake_lesion.nii.gz" --modality MR --output-dicom "$tmp/mr" > /dev/null
	mkdir -p "$tmp/mr8"
	ls "$tmp/mr" | sort | sed -n 11,18p | while read -r f; do cp "$tmp/mr/$f" "$tmp/mr8/"; done
	node "$here/make_enhanced.js" "$dcmjs" "$tmp/mr8" "$tmp/enhanced_mr.dcm"
	gzip -9n -c "$tmp/enhanced_mr.dcm" > "$here/enhanced_mr.dcm.gz"
fi

# 2b''. Signed voxels: a small int16 NIfTI (nibabel; values from -32768 to
# 32767, negative ones included) as a DICOM series by plastimatch.
$PY - "$tmp/signed.nii.gz" <<'PYEOF'
import sys, numpy as np, nibabel as nib
rng = np.random.default_rng(7)
a = rng.integers(-32768, 32768, size=(6, 5, 4)).astype(np.int16)
a[0, 0, 0], a[1, 0, 0], a[2, 0, 0] = -32768, 32767, -1
aff = np.diag([0.7, 0.9, 2.5, 1.0]); aff[:3, 3] = [-10, 5, 30]
nib.save(nib.Nifti1Image(a, aff), sys.argv[1])
PYEOF
plastimatch convert --input "$tmp/signed.nii.gz" --output-dicom "$tmp/signed" > /dev/null
cp "$tmp/signed.nii.gz" "$tmp/signed/"
(cd "$tmp" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - signed) | gzip -9n > "$here/signed_plastimatch.tar.gz"

# 2d. An oblique real MRI: testdata/spine's ivadomed sub-unf01 (axial T2w,
# tilted 9.3 degrees) with its lesion and cord-minus-lesion masks, as a
# DICOM series + RTSTRUCT by plastimatch.
I="$root/testdata/spine/ivadomed_data-testing"
mkdir -p "$tmp/imasks"
$PY - "$I/derivatives/labels/sub-unf01/anat" "$tmp/imasks" <<'PYEOF'
import sys, numpy as np, nibabel as nib
d, out = sys.argv[1], sys.argv[2]
# The lesion file's sform is the image's rounded to two decimals (0.13 of a
# slice off): both masks take the cord file's, which is the image's.
l = np.asarray(nib.load(d + "/sub-unf01_T2w_lesion-manual.nii.gz").dataobj) > 0
sc = nib.load(d + "/sub-unf01_T2w_seg-manual.nii.gz")
c = np.asarray(sc.dataobj) > 0
nib.save(nib.Nifti1Image(l.astype(np.uint8), sc.affine), out + "/lesion.nii.gz")
nib.save(nib.Nifti1Image((c & ~l).astype(np.uint8), sc.affine), out + "/cord.nii.gz")
PYEOF
plastimatch convert --input "$I/sub-unf01/anat/sub-unf01_T2w.nii.gz" --input-prefix "$tmp/imasks" --output-dicom "$tmp/oblique" > /dev/null
(cd "$tmp" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - oblique) | gzip -9n > "$here/oblique_plastimatch.tar.gz"

# 2e. A structure that crosses the image's edge: testdata/spine case A
# (sagittal T2w) and its manual cord mask, which spans every row of the
# sagittal slices, as a DICOM series + RTSTRUCT by plastimatch (which
# writes such a structure as open curves from edge to edge).
mkdir -p "$tmp/emasks"
cp "$S/t2_seg-manual.nii.gz" "$tmp/emasks/spinal_cord.nii.gz"
plastimatch convert --input "$S/t2.nii.gz" --input-prefix "$tmp/emasks" --output-dicom "$tmp/edge" > /dev/null
(cd "$tmp" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - edge) | gzip -9n > "$here/edge_plastimatch.tar.gz"

# 2c. A DICOM cohort: three toy patients (scirad synth -n 6 -seed 1 -size
# small, the first three) as plastimatch DICOM series + RTSTRUCTs
# (toy_cohort_dicom.sh), with the NIfTI originals beside them.
if [ -x "$root/bin/scirad" ]; then
	"$root/bin/scirad" synth -out "$tmp/toy6" -n 6 -seed 1 -size small > /dev/null
	"$here/toy_cohort_dicom.sh" "$tmp/toy6" "$tmp/toy3/dicom" 3 > /dev/null
	mkdir -p "$tmp/toy3/nifti/images" "$tmp/toy3/nifti/masks"
	for p in SCI001 SCI002 SCI003; do
		cp "$tmp/toy6/images/$p.nii.gz" "$tmp/toy3/nifti/images/"
		cp "$tmp/toy6/masks/$p.nii.gz" "$tmp/toy6/masks/${p}_rater2.nii.gz" "$tmp/toy3/nifti/masks/"
	done
	(cd "$tmp/toy3" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - dicom nifti) | gzip -9n > "$here/toy3_dicom.tar.gz"
fi

# 3. pydicom's test files (python3-pydicom) and what pydicom decodes them to.
P=$($PY -c 'import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files"))')
mkdir -p "$here/pydicom"
for f in MR_small.dcm MR_small_implicit.dcm MR_small_bigendian.dcm MR_small_expb.dcm MR_small_RLE.dcm \
	MR_small_padded.dcm MR_small_jp2klossless.dcm MR_small_jpeg_ls_lossless.dcm MR_truncated.dcm CT_small.dcm \
	rtstruct.dcm image_dfl.dcm liver_1frame.dcm rtplan_truncated.dcm no_meta.dcm ExplVR_BigEnd.dcm; do
	cp "$P/$f" "$here/pydicom/$f"
done
# An 8-bit JPEG Baseline file: MR_small scaled to 0..255 and saved as JPEG
# (quality 90) by Pillow, wrapped by dcmtk's img2dcm with a position.
$PY - "$P/MR_small.dcm" "$tmp/mr8.jpg" <<'PYEOF'
import sys, numpy as np, pydicom
from PIL import Image
a = pydicom.dcmread(sys.argv[1]).pixel_array.astype(np.float64)
a = np.round(255 * (a - a.min()) / (a.max() - a.min())).astype(np.uint8)
Image.fromarray(a, mode="L").save(sys.argv[2], quality=90)
PYEOF
img2dcm -i JPEG "$tmp/mr8.jpg" "$here/pydicom/dcmtk_jpeg_baseline.dcm" -k "Modality=MR" \
	-k "SeriesInstanceUID=1.2.826.0.1.3680043.9.7133.1.1" -k "ImagePositionPatient=-10\\5\\3" \
	-k "ImageOrientationPatient=1\\0\\0\\0\\1\\0" -k "PixelSpacing=0.5\\0.5"
$PY - "$here/pydicom" > "$here/pydicom_reference.json" <<'PYEOF'
import sys, os, json, hashlib, numpy as np, pydicom
d = sys.argv[1]
out = {"pydicom": pydicom.__version__, "files": {}}
for f in sorted(os.listdir(d)):
    r = {}
    try:
        ds = pydicom.dcmread(os.path.join(d, f))
        r["transfer_syntax"] = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in ds.file_meta else ""
        r["sop_class"] = str(ds.get("SOPClassUID", ""))
        a = ds.pixel_array.astype(np.float64)
        if "RescaleSlope" in ds:
            a = a * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        r["shape"] = list(a.shape)
        r["sum"] = float(a.sum())
        r["min"] = float(a.min())
        r["max"] = float(a.max())
        r["sha256_float64_le"] = hashlib.sha256(a.astype("<f8").tobytes()).hexdigest()
        if r["transfer_syntax"] == "1.2.840.10008.1.2.4.50":
            # lossy: decoders may differ by 1 (ITU T.81's IDCT accuracy), so all values
            r["values"] = [int(x) for x in a.ravel()]
        for k in ("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing"):
            if k in ds:
                r[k] = [float(x) for x in ds[k].value]
    except Exception as e:
        r["pydicom_error"] = type(e).__name__ + ": " + str(e).split("\n")[0][:200]
    out["files"][f] = r
print(json.dumps(out, indent=1, sort_keys=True))
PYEOF

echo "tool versions:"
plastimatch --version | head -1
dcm2niix -v 2>&1 | head -1 || true
$PY -c 'import pydicom, nibabel, numpy; print("pydicom", pydicom.__version__, "nibabel", nibabel.__version__, "numpy", numpy.__version__)'
