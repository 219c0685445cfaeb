#!/bin/sh
# Makes a DICOM copy of a scirad cohort with plastimatch (an independent
# writer): each image becomes a DICOM series folder and each mask an
# RTSTRUCT with ROIs "injured_cord" (label 1) and "rest_of_cord" (label 2);
# clinical.csv is copied and manifest.csv points at the DICOM files.
# Needs plastimatch 1.9.4, python3-nibabel and python3-pydicom (Debian bookworm).
# Usage: testdata/dicom/toy_cohort_dicom.sh COHORT_DIR OUT_DIR [N]
#   e.g. bin/scirad synth -out out/toy -size small
#        testdata/dicom/toy_cohort_dicom.sh out/toy out/toy_dicom
#        bin/scirad run -cohort out/toy_dicom -out out/run_dicom -profile quick
# N limits the copy to the first N patients of the manifest.
set -eu
src=$1
dst=$2
n=${3:-0}
PY=/usr/bin/python3
mkdir -p "$dst"
cp "$src/clinical.csv" "$dst/clinical.csv"
$PY - "$src" "$dst" "$n" <<'PYEOF'
import csv, os, shutil, subprocess, sys, tempfile
import numpy as np, nibabel as nib
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.DictReader(open(os.path.join(src, "manifest.csv"))))
if n > 0:
    rows = rows[:n]
    keep = {r["patient_id"] for r in rows}
    clin = list(csv.DictReader(open(os.path.join(src, "clinical.csv"))))
    with open(os.path.join(dst, "clinical.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(clin[0].keys()))
        w.writeheader()
        w.writerows([c for c in clin if c["patient_id"] in keep])
out = []
for r in rows:
    pid = r["patient_id"]
    o = dict(r)
    for col, sub in (("mask", "rater1"), ("mask_rater2", "rater2")):
        if not r.get(col):
            continue
        lab = nib.load(os.path.join(src, r[col]))
        a = np.asarray(lab.dataobj)
        with tempfile.TemporaryDirectory() as tmp:
            for name, v in (("injured_cord", 1), ("rest_of_cord", 2)):
                nib.save(nib.Nifti1Image((a == v).astype(np.uint8), lab.affine), os.path.join(tmp, name + ".nii.gz"))
            folder = os.path.join(dst, "dicom", sub, pid)
            subprocess.run(["plastimatch", "convert", "--input", os.path.join(src, r["image"]),
                            "--input-prefix", tmp, "--output-dicom", folder],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rt = [f for f in os.listdir(folder) if f.startswith("rtss")]
        # the image series goes to images/<id>/, the RTSTRUCT to masks/
        if sub == "rater1":
            img = os.path.join(dst, "images", pid)
            os.makedirs(img, exist_ok=True)
            for f in os.listdir(folder):
                if f.startswith("image"):
                    os.rename(os.path.join(folder, f), os.path.join(img, f))
            o["image"] = os.path.join("images", pid)
        os.makedirs(os.path.join(dst, "masks"), exist_ok=True)
        m = os.path.join("masks", pid + ("" if sub == "rater1" else "_rater2") + "_rtstruct.dcm")
        os.rename(os.path.join(folder, rt[0]), os.path.join(dst, m))
        if sub == "rater2":
            # plastimatch wrote a second copy of the image series for rater 2
            # (same grid, new UIDs): point the RTSTRUCT at rater 1's series
            # (pydicom) and drop the copy.
            import pydicom
            first = os.path.join(dst, "images", pid)
            uid = pydicom.dcmread(os.path.join(first, sorted(os.listdir(first))[0]), stop_before_pixels=True).SeriesInstanceUID
            ds = pydicom.dcmread(os.path.join(dst, m))
            ds.ReferencedFrameOfReferenceSequence[0].RTReferencedStudySequence[0].RTReferencedSeriesSequence[0].SeriesInstanceUID = uid
            ds.save_as(os.path.join(dst, m))
        shutil.rmtree(folder)
        o[col] = m
    out.append(o)
import shutil
shutil.rmtree(os.path.join(dst, "dicom"), ignore_errors=True)
with open(os.path.join(dst, "manifest.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(out)
print("wrote", dst, len(out), "patients")
PYEOF
