package volio

import (
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

// onGrid resamples v onto g by voxel identity in world space: every voxel
// centre of g must be a voxel centre of v (within 1e-3 voxel), else an
// error names the first that is not.
func onGrid(v *volume.Volume, g volume.Grid) (*volume.Volume, error) {
	out := volume.New(g)
	for k := range g.Dims[2] {
		for j := range g.Dims[1] {
			for i := range g.Dims[0] {
				idx := v.PhysicalToIndex(g.IndexToPhysical([3]float64{float64(i), float64(j), float64(k)}))
				var c [3]int
				for a := range 3 {
					r := math.Round(idx[a])
					if math.Abs(idx[a]-r) > 1e-3 || r < 0 || int(r) >= v.Dims[a] {
						return nil, fmt.Errorf("voxel (%d,%d,%d) of the DICOM grid is at index %v of the NIfTI", i, j, k, idx)
					}
					c[a] = int(r)
				}
				out.Set(i, j, k, v.At(c[0], c[1], c[2]))
			}
		}
	}
	return out, nil
}

// TestDICOMSpinePlastimatch: plastimatch's DICOM copy of the real spine
// MRI (testdata/dicom/spine_plastimatch.tar.gz) reads, through ReadImage on
// the folder, as the same image in world space, voxel for voxel; its
// RTSTRUCT, through ReadLabelMap (the referenced series found on its own)
// and ReadLabelMapOn, gives labels 1 (injured_cord) and 2 (rest_of_cord)
// with Dice ≥ 0.98 each against the NIfTI masks.
func TestDICOMSpinePlastimatch(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, testdata+"/dicom/spine_plastimatch.tar.gz"), "spine")
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := testdata + "/spine/sct_testing_data/t2/"
	orig, err := ReadImage(s + "t2_fake_lesion.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	same, err := onGrid(orig, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	for i := range img.Data {
		if img.Data[i] != same.Data[i] {
			x, y, z := img.Coords(i)
			t.Fatalf("voxel (%d,%d,%d): DICOM %g, NIfTI %g", x, y, z, img.Data[i], same.Data[i])
		}
	}
	var rt string
	files, _ := filepath.Glob(filepath.Join(dir, "rtss*.dcm"))
	if len(files) != 1 {
		t.Fatalf("RTSTRUCT files %v", files)
	}
	rt = files[0]
	lesion, err := ReadImage(s + "t2_fake_lesion_lesion_seg.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	cord, err := ReadImage(s + "t2_fake_lesion_sc_seg.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	want := volume.New(orig.Grid)
	for i := range want.Data {
		switch {
		case lesion.Data[i] > 0:
			want.Data[i] = 1
		case cord.Data[i] > 0:
			want.Data[i] = 2
		}
	}
	want, err = onGrid(want, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() (*volume.Volume, error){
		func() (*volume.Volume, error) { return ReadLabelMap(rt) },
		func() (*volume.Volume, error) { return ReadLabelMapOn(rt, img.Grid) },
	} {
		lm, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if err := lm.SameGrid(img.Grid, 1e-6); err != nil {
			t.Fatal(err)
		}
		for l := 1; l <= 2; l++ {
			a, _ := lm.Label(l)
			b, _ := want.Label(l)
			if d := diceOf(a, b); d < 0.98 {
				t.Errorf("label %d: Dice %.4f against the NIfTI mask, want ≥ 0.98", l, d)
			} else {
				t.Logf("label %d: Dice %.4f", l, d)
			}
		}
	}
	// The NIfTI masks, whose grid runs k the other way, land on the DICOM
	// grid voxel for voxel through ReadLabelMapOn.
	onDICOM, err := ReadLabelMapOn(s+"t2_fake_lesion_lesion_seg.nii.gz", img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	w1, _ := want.Label(1)
	for i := range w1.Data {
		if w1.Data[i] != onDICOM.Data[i] {
			t.Fatalf("NIfTI lesion mask reordered onto the DICOM grid differs at voxel %d", i)
		}
	}
	segs, err := ReadSegments(rt, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 || segs[0].Label != 1 || segs[0].Name != "injured_cord" || segs[1].Label != 2 || segs[1].Name != "rest_of_cord" {
		t.Errorf("segments %v %q, %v %q: want 1 injured_cord, 2 rest_of_cord", segs[0].Label, segs[0].Name, segs[1].Label, segs[1].Name)
	}
}

func diceOf(a, b *volume.Volume) float64 {
	na, nb, both := 0, 0, 0
	for i := range a.Data {
		x, y := a.Data[i] != 0, b.Data[i] != 0
		if x {
			na++
		}
		if y {
			nb++
		}
		if x && y {
			both++
		}
	}
	return 2 * float64(both) / float64(na+nb)
}

// TestDICOMSEGDcmjs: dcmjs's DICOM-SEG files (testdata/dicom/seg) on the
// spine series. The BINARY one holds two overlapping segments, "Injured
// cord" (the lesion mask) and "Spinal cord" (the whole cord mask): each
// read on its own equals its NIfTI mask voxel for voxel, and as a label map
// the lesion is 1 and the cord minus the lesion 2. The FRACTIONAL one
// (255 lesion, 200 cord, 60 a ring around the cord) thresholded at half its
// maximum is the cord mask.
func TestDICOMSEGDcmjs(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, testdata+"/dicom/spine_plastimatch.tar.gz"), "spine")
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := testdata + "/spine/sct_testing_data/t2/"
	read := func(name string) *volume.Volume {
		v, err := ReadImage(s + name)
		if err != nil {
			t.Fatal(err)
		}
		v, err = onGrid(v, img.Grid)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	lesion, cord := read("t2_fake_lesion_lesion_seg.nii.gz"), read("t2_fake_lesion_sc_seg.nii.gz")
	equal := func(what string, got, want *volume.Volume) {
		for i := range got.Data {
			if (got.Data[i] != 0) != (want.Data[i] != 0) {
				x, y, z := got.Coords(i)
				t.Errorf("%s: voxel (%d,%d,%d) is %g, the NIfTI mask %g", what, x, y, z, got.Data[i], want.Data[i])
				return
			}
		}
	}
	bin := testdata + "/dicom/seg/seg_binary.dcm"
	segs, err := ReadSegments(bin, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 || segs[0].Name != "Injured cord" || segs[0].Label != 1 || segs[1].Name != "Spinal cord" || segs[1].Label != 2 {
		t.Fatalf("%d segments: want Injured cord (1), Spinal cord (2)", len(segs))
	}
	equal("Injured cord", segs[0].Mask, lesion)
	equal("Spinal cord", segs[1].Mask, cord)
	lm, err := ReadLabelMapOn(bin, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	rest := volume.New(img.Grid)
	for i := range rest.Data {
		if cord.Data[i] != 0 && lesion.Data[i] == 0 {
			rest.Data[i] = 1
		}
	}
	l1, _ := lm.Label(1)
	l2, _ := lm.Label(2)
	equal("label 1", l1, lesion)
	equal("label 2", l2, rest)
	// Without the image grid: the frames' own grid, padded by ReadLabelMapOn's caller.
	own, err := ReadLabelMap(bin)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := subBox(own.Grid, img.Grid); !ok {
		t.Errorf("SEG grid %v is not a voxel-aligned part of the image %v", own.Grid, img.Grid)
	}
	frac, err := ReadSegments(testdata+"/dicom/seg/seg_fractional.dcm", img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	if len(frac) != 1 {
		t.Fatalf("fractional: %d segments", len(frac))
	}
	equal("fractional Spinal cord", frac[0].Mask, cord)
}

// TestDICOMEnhancedMR: dcmjs's Enhanced (Legacy Converted) MR file of 8
// spine slices (testdata/dicom/enhanced_mr.dcm.gz) reads, as one file,
// with every frame placed by its functional groups: each voxel is the
// NIfTI original's voxel at the same place.
func TestDICOMEnhancedMR(t *testing.T) {
	f, err := os.Open(testdata + "/dicom/enhanced_mr.dcm.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "enhanced_mr.dcm")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := ReadImage(p)
	if err != nil {
		t.Fatal(err)
	}
	if v.Dims != [3]int{99, 99, 8} {
		t.Fatalf("dims %v, want 99×99×8", v.Dims)
	}
	orig, err := ReadImage(testdata + "/spine/sct_testing_data/t2/t2_fake_lesion.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	same, err := onGrid(orig, v.Grid)
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.Data {
		if v.Data[i] != same.Data[i] {
			x, y, z := v.Coords(i)
			t.Fatalf("voxel (%d,%d,%d): enhanced MR %g, NIfTI %g", x, y, z, v.Data[i], same.Data[i])
		}
	}
}

// TestDICOMSigned: plastimatch's DICOM copy of a small signed int16 NIfTI
// (values from −32768 to 32767) reads back voxel for voxel.
func TestDICOMSigned(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, testdata+"/dicom/signed_plastimatch.tar.gz"), "signed")
	orig, err := ReadImage(filepath.Join(dir, "signed.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ReadImage(dir) // the NIfTI beside the series is not DICOM: skipped
	if err != nil {
		t.Fatal(err)
	}
	same, err := onGrid(orig, v.Grid)
	if err != nil {
		t.Fatal(err)
	}
	neg := 0
	for i := range v.Data {
		if v.Data[i] != same.Data[i] {
			t.Fatalf("voxel %d: DICOM %g, NIfTI %g", i, v.Data[i], same.Data[i])
		}
		if v.Data[i] < 0 {
			neg++
		}
	}
	if neg == 0 {
		t.Fatal("no negative voxel")
	}
}

// TestDICOMObliquePlastimatch: plastimatch's DICOM + RTSTRUCT copy of an
// oblique real MRI (testdata/spine's ivadomed sub-unf01, axial, tilted
// 9.3°) reads as the NIfTI image in world space, voxel for voxel within
// plastimatch's int16 quantisation, and its
// RTSTRUCT gives the lesion and the rest of the cord with Dice ≥ 0.99 (the
// masks are compared by voxel index: the lesion file's own sform is the
// image's rounded to two decimals).
func TestDICOMObliquePlastimatch(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, testdata+"/dicom/oblique_plastimatch.tar.gz"), "oblique")
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := testdata + "/spine/ivadomed_data-testing/"
	orig, err := ReadImage(b + "sub-unf01/anat/sub-unf01_T2w.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	same, err := onGrid(orig, img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	// The NIfTI is float32; plastimatch stores int16 with RescaleSlope
	// 0.096913 (six digits) and intercept −144, so values agree to within
	// one quantisation step.
	worst := 0.0
	for i := range img.Data {
		worst = math.Max(worst, math.Abs(img.Data[i]-same.Data[i]))
	}
	if worst > 0.097 {
		t.Errorf("DICOM differs from the NIfTI by up to %g, more than one step of plastimatch's rescale", worst)
	}
	t.Logf("largest difference from the float32 NIfTI: %g", worst)
	rts, _ := filepath.Glob(filepath.Join(dir, "rtss*.dcm"))
	if len(rts) != 1 {
		t.Fatalf("RTSTRUCT %v", rts)
	}
	lm, err := ReadLabelMap(rts[0])
	if err != nil {
		t.Fatal(err)
	}
	les, err := ReadImage(b + "derivatives/labels/sub-unf01/anat/sub-unf01_T2w_lesion-manual.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	cord, err := ReadImage(b + "derivatives/labels/sub-unf01/anat/sub-unf01_T2w_seg-manual.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	les.Grid, cord.Grid = orig.Grid, orig.Grid // the image's voxels, by index
	if les, err = onGrid(les, img.Grid); err != nil {
		t.Fatal(err)
	}
	if cord, err = onGrid(cord, img.Grid); err != nil {
		t.Fatal(err)
	}
	rest := volume.New(img.Grid)
	for i := range rest.Data {
		if cord.Data[i] != 0 && les.Data[i] == 0 {
			rest.Data[i] = 1
		}
	}
	l1, _ := lm.Label(1)
	l2, _ := lm.Label(2)
	for _, c := range []struct {
		name      string
		got, want *volume.Volume
	}{{"lesion", l1, les}, {"rest of the cord", l2, rest}} {
		if d := diceOf(c.got, c.want); d < 0.99 {
			t.Errorf("%s: Dice %.4f, want ≥ 0.99", c.name, d)
		} else {
			t.Logf("%s: Dice %.4f", c.name, d)
		}
	}
}

// TestDICOMStructureAcrossEdge: plastimatch writes a cord that spans every
// row of the sagittal slices (testdata/spine case A) as two open curves
// from the top edge to the bottom edge, through the centres of the edge
// voxels; joined along the image's edge, edge points moved half a voxel
// out, they give the cord exactly (closed each by a straight line, as
// plastimatch itself reads them back, Dice 0.29).
func TestDICOMStructureAcrossEdge(t *testing.T) {
	dir := filepath.Join(dicomtest.Extract(t, testdata+"/dicom/edge_plastimatch.tar.gz"), "edge")
	img, err := ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	rts, _ := filepath.Glob(filepath.Join(dir, "rtss*.dcm"))
	if len(rts) != 1 {
		t.Fatalf("RTSTRUCT %v", rts)
	}
	lm, err := ReadLabelMapOn(rts[0], img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadLabelMapOn(testdata+"/spine/sct_testing_data/t2/t2_seg-manual.nii.gz", img.Grid)
	if err != nil {
		t.Fatal(err)
	}
	cord, n := lm.Label(2)
	if d := diceOf(cord, want); d < 0.999 {
		t.Errorf("cord: Dice %.4f (%d voxels), want 1", d, n)
	} else {
		t.Logf("cord: Dice %.4f (%d voxels)", d, n)
	}
}
