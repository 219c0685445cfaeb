package nifti

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

const testdata = "../../../testdata"

// nibabelFile is one entry of testdata/volume/nifti_expected.json, written
// by nibabel 5.0.0 / numpy 1.24.2 (Debian bookworm python3-nibabel) with
//
//	/usr/bin/python3 testdata/volume/make_nifti_fixtures.py
type nibabelFile struct {
	Version   int
	Endian    string
	Dtype     string
	Shape     []int
	Affine    [4][4]float64
	QformCode int `json:"qform_code"`
	SformCode int `json:"sform_code"`
	Qfac      float64
	Qform     *[4][4]float64 `json:"qform_affine"` // nibabel's get_qform(), when qform_code > 0
	Sum       float64
	Min       float64
	Max       float64
	Nonzero   int
	Data      []float64 `json:"data_fortran"`
	Samples   []struct {
		IJK   [3]int
		Value float64
	}
}

func loadExpected(t *testing.T) map[string]nibabelFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, "volume", "nifti_expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Tool  string
		Files map[string]nibabelFile
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	if len(e.Files) < 25 {
		t.Fatalf("nifti_expected.json lists %d files, want ≥ 25", len(e.Files))
	}
	return e.Files
}

// close reports whether got is within rel of want, relative to max(1, |want|).
func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

var dtypeCodes = map[string]Datatype{
	"uint8": Uint8, "int8": Int8, "int16": Int16, "uint16": Uint16, "int32": Int32,
	"uint32": Uint32, "int64": Int64, "uint64": Uint64, "float32": Float32, "float64": Float64,
}

// TestNibabel reads every fixture and every real NIfTI file in testdata and
// compares header, affine and voxels with nibabel's reading of them.
func TestNibabel(t *testing.T) {
	for name, want := range loadExpected(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(testdata, name)
			h, err := ReadHeaderFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if h.Version != want.Version || h.Datatype != dtypeCodes[want.Dtype] ||
				int(h.QformCode) != want.QformCode || int(h.SformCode) != want.SformCode {
				t.Errorf("header: version %d datatype %v qform %d sform %d, nibabel: %d %s %d %d",
					h.Version, h.Datatype, h.QformCode, h.SformCode, want.Version, want.Dtype, want.QformCode, want.SformCode)
			}
			if big := h.ByteOrder.String() == "BigEndian"; big != (want.Endian == ">") {
				t.Errorf("byte order %v, nibabel %q", h.ByteOrder, want.Endian)
			}
			// nibabel computes the qform's quaternion real part in float32, hence 1e-6.
			A := h.Affine()
			for r := range 4 {
				for c := range 4 {
					if !close(A[r][c], want.Affine[r][c], 1e-6) {
						t.Fatalf("affine[%d][%d] = %.9g, nibabel %.9g\n got %v\nwant %v", r, c, A[r][c], want.Affine[r][c], A, want.Affine)
					}
				}
			}
			if want.Qform != nil {
				Q := h.QformAffine()
				for r := range 4 {
					for c := range 4 {
						if !close(Q[r][c], want.Qform[r][c], 1e-6) {
							t.Fatalf("qform[%d][%d] = %.9g, nibabel %.9g", r, c, Q[r][c], want.Qform[r][c])
						}
					}
				}
			}
			v, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Dims; got[0] != want.Shape[0] || got[1] != want.Shape[1] || got[2] != want.Shape[2] {
				t.Fatalf("dims %v, nibabel shape %v", got, want.Shape)
			}
			// The grid maps back to nibabel's affine (LPS → RAS).
			G := gridAffine(v.Grid)
			for r := range 3 {
				for c := range 4 {
					if !close(G[r][c], want.Affine[r][c], 1e-6) {
						t.Fatalf("grid affine[%d][%d] = %.9g, nibabel %.9g", r, c, G[r][c], want.Affine[r][c])
					}
				}
			}
			if want.Data != nil {
				if len(want.Data) != len(v.Data) {
					t.Fatalf("%d voxels, nibabel %d", len(v.Data), len(want.Data))
				}
				for i, x := range want.Data {
					if !close(v.Data[i], x, 1e-12) {
						t.Fatalf("voxel %d = %g, nibabel %g", i, v.Data[i], x)
					}
				}
			}
			sum, nz := 0.0, 0
			for _, x := range v.Data {
				sum += x
				if x != 0 {
					nz++
				}
			}
			lo, hi := v.MinMax()
			if !close(sum, want.Sum, 1e-12) || lo != want.Min || hi != want.Max || nz != want.Nonzero {
				t.Errorf("sum %.17g min %g max %g nonzero %d, nibabel %.17g %g %g %d", sum, lo, hi, nz, want.Sum, want.Min, want.Max, want.Nonzero)
			}
			for _, s := range want.Samples {
				if got := v.At(s.IJK[0], s.IJK[1], s.IJK[2]); got != s.Value {
					t.Errorf("voxel %v = %g, nibabel %g", s.IJK, got, s.Value)
				}
			}
		})
	}
}

func countLabel(v *volume.Volume, l float64) int {
	n := 0
	for _, x := range v.Data {
		if x == l {
			n++
		}
	}
	return n
}

func readT(t *testing.T, rel string) *volume.Volume {
	t.Helper()
	v, err := ReadFile(filepath.Join(testdata, rel))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSpineREADME checks the facts stated in testdata/spine/README.md
// (headers read there with nibabel 5.0 and checked against raw bytes).
func TestSpineREADME(t *testing.T) {
	const dirA = "spine/sct_testing_data/t2/"
	// Case A: 60×55×52, 1 mm, PSR: i → posterior, j → superior, k → right.
	// In LPS those are +y, +z and −x.
	psr := [9]float64{0, 0, -1, 1, 0, 0, 0, 1, 0}
	img := readT(t, dirA+"t2.nii.gz")
	if img.Dims != [3]int{60, 55, 52} {
		t.Fatalf("t2 dims %v", img.Dims)
	}
	for a := range 3 {
		if !close(img.Spacing[a], 1, 1e-6) {
			t.Errorf("t2 spacing %v, want 1 mm", img.Spacing)
		}
	}
	for k := range 9 {
		if !close(img.Direction[k], psr[k], 1e-6) {
			t.Fatalf("t2 direction %v, want PSR %v", img.Direction, psr)
		}
	}
	// README affine translation (−32.2193, 31.7866, −19.3217) RAS → LPS.
	for a, o := range [3]float64{32.2193, -31.7866, -19.3217} {
		if math.Abs(img.Origin[a]-o) > 1e-4 {
			t.Errorf("t2 origin %v, want %v", img.Origin, o)
		}
	}
	if lo, hi := img.MinMax(); lo != 0 || hi != 1257 {
		t.Errorf("t2 range %g..%g, want 0..1257", lo, hi)
	}
	seg := readT(t, dirA+"t2_seg-manual.nii.gz")
	if n := countLabel(seg, 1); n != 4275 {
		t.Errorf("cord mask: %d voxels, want 4275", n)
	}
	if err := img.SameGrid(seg.Grid, volume.DefaultTolerance); err != nil {
		t.Error(err)
	}
	lab := readT(t, dirA+"t2_seg-manual_labeled.nii.gz")
	for l, n := range map[float64]int{2: 1318, 3: 1461, 4: 1036, 5: 209} {
		if got := countLabel(lab, l); got != n {
			t.Errorf("labelled cord: level %g has %d voxels, want %d", l, got, n)
		}
	}
	pts := readT(t, dirA+"labels.nii.gz") // scl_slope = 0: no scaling
	if pts.At(31, 44, 26) != 3 || pts.At(32, 9, 26) != 5 || countLabel(pts, 0) != pts.Len()-2 {
		t.Errorf("labels.nii.gz: want 3 at (31,44,26) and 5 at (32,9,26) only")
	}

	// Case B: 99×99×29, 0.8 mm.
	les := readT(t, dirA+"t2_fake_lesion.nii.gz")
	if les.Dims != [3]int{99, 99, 29} || !close(les.Spacing[0], 0.8, 1e-5) || !close(les.Spacing[2], 0.8, 1e-5) {
		t.Errorf("fake lesion grid %v", les.Grid)
	}
	cord := readT(t, dirA+"t2_fake_lesion_sc_seg.nii.gz")
	lmask := readT(t, dirA+"t2_fake_lesion_lesion_seg.nii.gz")
	if n := countLabel(cord, 1); n != 7335 {
		t.Errorf("case B cord: %d voxels, want 7335", n)
	}
	if n := countLabel(lmask, 1); n != 163 {
		t.Errorf("case B lesion: %d voxels, want 163", n)
	}
	box := lmask.BoundingBox(func(x float64) bool { return x == 1 })
	if want := (volume.Box{Min: [3]int{61, 16, 12}, Max: [3]int{69, 28, 17}}); box != want {
		t.Errorf("lesion bbox %v, want %v", box, want)
	}
	before := readT(t, dirA+"t2_hyperintensity.nii.gz")
	diff, sumA, sumB := 0, 0.0, 0.0
	for i := range les.Data {
		if les.Data[i] != before.Data[i] {
			diff++
		}
		if lmask.Data[i] == 1 {
			sumA += les.Data[i]
			sumB += before.Data[i]
		}
	}
	if diff != 119 {
		t.Errorf("painted voxels: %d, want 119", diff)
	}
	if math.Round(sumA/163) != 1694 || math.Round(sumB/163) != 615 {
		t.Errorf("lesion mean %g after, %g before painting; want ≈1694, ≈615", sumA/163, sumB/163)
	}

	// Case C: oblique float32 slab, sform only.
	const dirC = "spine/ivadomed_data-testing/"
	c := readT(t, dirC+"sub-unf01/anat/sub-unf01_T2w.nii.gz")
	cseg := readT(t, dirC+"derivatives/labels/sub-unf01/anat/sub-unf01_T2w_seg-manual.nii.gz")
	clesion := readT(t, dirC+"derivatives/labels/sub-unf01/anat/sub-unf01_T2w_lesion-manual.nii.gz")
	if c.Dims != [3]int{131, 141, 16} || countLabel(cseg, 1) != 1227 || countLabel(clesion, 1) != 141 {
		t.Errorf("case C: dims %v, cord %d (want 1227), lesion %d (want 141)", c.Dims, countLabel(cseg, 1), countLabel(clesion, 1))
	}
	// About 9.3° about x: the k axis in RAS is (0.0001, 0.1616, 0.9869).
	if tilt := math.Acos(c.Direction[8]) * 180 / math.Pi; math.Abs(tilt-9.3) > 0.05 {
		t.Errorf("case C tilt %.3f°, want ≈9.3°", tilt)
	}
	if err := c.SameGrid(cseg.Grid, volume.DefaultTolerance); err != nil {
		t.Error(err)
	}
	// The dummy lesion's rounded affine is ~0.13 mm off: a strict check rejects it.
	if err := c.SameGrid(clesion.Grid, volume.DefaultTolerance); err == nil {
		t.Error("case C lesion mask: want a grid mismatch (rounded affine), got none")
	}
}

// TestIBSIPhantom checks the digital phantom's voxels against the array in
// testdata/ibsi1/README.md (IBSI reference manual, arXiv:1612.07003).
func TestIBSIPhantom(t *testing.T) {
	img := readT(t, "ibsi1/ibsi_1_digital_phantom/nifti/image/phantom.nii.gz")
	mask := readT(t, "ibsi1/ibsi_1_digital_phantom/nifti/mask/mask.nii.gz")
	want := [4][4][5]float64{
		{{1, 4, 4, 1, 1}, {1, 4, 6, 1, 1}, {4, 1, 6, 4, 1}, {4, 4, 6, 4, 1}},
		{{1, 4, 4, 1, 1}, {1, 1, 6, 1, 1}, {1, 1, 3, 1, 1}, {4, 4, 6, 1, 1}},
		{{1, 4, 4, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 9, 1, 1}, {1, 1, 6, 1, 1}},
		{{1, 4, 4, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 6, 1, 1}},
	}
	if img.Dims != [3]int{5, 4, 4} || img.Spacing != [3]float64{2, 2, 2} {
		t.Fatalf("phantom grid %v", img.Grid)
	}
	n, sum, sq := 0, 0.0, 0.0
	for z := range 4 {
		for y := range 4 {
			for x := range 5 {
				if got := img.At(x, y, z); got != want[z][y][x] {
					t.Errorf("phantom (%d,%d,%d) = %g, want %g", x, y, z, got, want[z][y][x])
				}
				if mask.At(x, y, z) == 1 {
					n++
					sum += img.At(x, y, z)
					sq += img.At(x, y, z) * img.At(x, y, z)
				}
			}
		}
	}
	if n != 74 || sq != 567 || !close(sum/74, 2.1486, 1e-4) {
		t.Errorf("ROI: N %d, energy %g, mean %g; want 74, 567, 2.1486", n, sq, sum/74)
	}
}
