package nrrd

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

const testdata = "../../../testdata"

func readT(t *testing.T, rel string) *volume.Volume {
	t.Helper()
	v, err := ReadFile(filepath.Join(testdata, rel))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

// sitkHash is SimpleITK's sitk.Hash of an image: the SHA-1 of its pixel
// buffer, here in the pixel type pyradiomics' test harness read it as.
func sitkHash(v *volume.Volume, t Type) string {
	b := make([]byte, len(v.Data)*t.Size())
	encodeSamples(b, v.Data, t, binary.LittleEndian)
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// TestPyradiomics reads pyradiomics' brain1 and breast1 test images and
// compares with the diagnostics pyradiomics (1.3.0.post61 / 2.0.1b1,
// SimpleITK 0.9.1) wrote into testdata/pyradiomics/baseline/baseline_firstorder.csv
// (rows diagnostics_Image-original_* and diagnostics_Mask-original_*):
// the SimpleITK hash of the pixel buffer (image as int16, mask as uint32),
// size, spacing, min/max/mean, ROI voxel count, bounding box and centre of
// mass in index and LPS coordinates.
func TestPyradiomics(t *testing.T) {
	cases := []struct {
		name                  string
		imageHash, maskHash   string
		size                  [3]int
		spacing               [3]float64
		min, max, mean        float64
		voxels                int
		bbox                  volume.Box
		comIndex, comPhysical [3]float64
	}{
		{"brain1", "5c9ce3ca174f0f8324aa4d277e0fef82dc5ac566", "9dc2c3137b31fd872997d92c9a92d5178126d9d3",
			[3]int{256, 256, 25}, [3]float64{0.7812499999999999, 0.7812499999999999, 6.499999999999998},
			0, 3057, 385.6564080810547, 4137,
			volume.Box{Min: [3]int{162, 84, 11}, Max: [3]int{162 + 47, 84 + 70, 11 + 7}},
			[3]float64{186.98549673676578, 106.3562968334542, 14.38917089678511},
			[3]float64{46.47304432559825, 16.518518098863908, 15.529610829103234}},
		{"breast1", "016951a8f9e8e5de21092d9d62b77262f92e04a5", "c45601d81c387b7c809948af79ebf173738c0b02",
			[3]int{45, 120, 21}, [3]float64{0.664062, 0.664062, 2.1},
			6, 248, 63.380440917107585, 143,
			volume.Box{Min: [3]int{21, 64, 8}, Max: [3]int{21 + 9, 64 + 12, 8 + 3}},
			[3]float64{24.58041958041958, 69.27272727272727, 9.132867132867133},
			[3]float64{-100.22011741258741, -2.1432681818181933, 28.629020979021007}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := readT(t, "pyradiomics/"+c.name+"_image.nrrd")
			mask := readT(t, "pyradiomics/"+c.name+"_label.nrrd")
			if h := sitkHash(img, Int16); h != c.imageHash {
				t.Errorf("image hash %s, SimpleITK %s", h, c.imageHash)
			}
			if h := sitkHash(mask, Uint32); h != c.maskHash {
				t.Errorf("mask hash %s, SimpleITK %s", h, c.maskHash)
			}
			if img.Dims != c.size || mask.Dims != c.size {
				t.Errorf("dims %v / %v, want %v", img.Dims, mask.Dims, c.size)
			}
			for a := range 3 {
				if !close(img.Spacing[a], c.spacing[a], 1e-12) {
					t.Errorf("spacing %v, want %v", img.Spacing, c.spacing)
				}
			}
			if err := img.SameGrid(mask.Grid, 1e-9); err != nil {
				t.Error(err)
			}
			lo, hi := img.MinMax()
			sum := 0.0
			for _, x := range img.Data {
				sum += x
			}
			if lo != c.min || hi != c.max || !close(sum/float64(len(img.Data)), c.mean, 1e-12) {
				t.Errorf("min %g max %g mean %.16g, want %g %g %.16g", lo, hi, sum/float64(len(img.Data)), c.min, c.max, c.mean)
			}
			roi, n := mask.Label(1)
			if n != c.voxels {
				t.Errorf("ROI has %d voxels, want %d", n, c.voxels)
			}
			if b := roi.BoundingBox(func(x float64) bool { return x == 1 }); b != c.bbox {
				t.Errorf("bounding box %v, want %v", b, c.bbox)
			}
			var com [3]float64
			for idx, x := range roi.Data {
				if x == 1 {
					i, j, k := roi.Coords(idx)
					com[0] += float64(i)
					com[1] += float64(j)
					com[2] += float64(k)
				}
			}
			for a := range 3 {
				com[a] /= float64(n)
			}
			phys := roi.IndexToPhysical(com)
			for a := range 3 {
				if !close(com[a], c.comIndex[a], 1e-12) || !close(phys[a], c.comPhysical[a], 1e-9) {
					t.Errorf("centre of mass %v (index) %v (LPS), want %v %v", com, phys, c.comIndex, c.comPhysical)
				}
			}
		})
	}
	// brain1's header: space directions (0.78125,0,0) (0,-0.78125,0) (0,0,6.5), LPS.
	img := readT(t, "pyradiomics/brain1_image.nrrd")
	if want := [9]float64{1, 0, 0, 0, -1, 0, 0, 0, 1}; img.Direction != want {
		t.Errorf("brain1 direction %v, want %v", img.Direction, want)
	}
	if want := [3]float64{-99.609374999999986, 99.609374999999986, -77.999999999999957}; img.Origin != want {
		t.Errorf("brain1 origin %v, want %v", img.Origin, want)
	}
}

// TestPynrrd reads pynrrd's test files (testdata/volume/nrrd/pynrrd, from
// mhe/pynrrd): the same 30×30×30 int16 ball stored raw, detached, gzip with
// line skip, gzip with byte skip −1, bzip2, and detached inside a .nii.gz
// with byte skip −1; each must equal BallBinary30x30x30.raw, the raw
// little-endian buffer pynrrd's own tests compare against.
func TestPynrrd(t *testing.T) {
	dir := "volume/nrrd/pynrrd/"
	raw, err := os.ReadFile(filepath.Join(testdata, dir, "BallBinary30x30x30.raw"))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 27000)
	decodeSamples(want, raw, Int16, binary.LittleEndian)
	for _, name := range []string{
		"BallBinary30x30x30.nrrd", "BallBinary30x30x30.nhdr", "BallBinary30x30x30_gz_lineskip.nrrd",
		"BallBinary30x30x30_gz_byteskip_minus_one.nrrd", "BallBinary30x30x30_bz2.nrrd",
		"BallBinary30x30x30_byteskip_minus_one.nhdr", "BallBinary30x30x30_byteskip_minus_one_nifti.nhdr",
	} {
		v := readT(t, dir+name)
		if v.Dims != [3]int{30, 30, 30} || v.Spacing != [3]float64{1, 1, 1} || v.Direction != volume.Identity {
			t.Errorf("%s: grid %v", name, v.Grid)
			continue
		}
		for i := range want {
			if v.Data[i] != want[i] {
				t.Errorf("%s: element %d = %g, want %g", name, i, v.Data[i], want[i])
				break
			}
		}
	}
	// ASCII, 1D and 2D, values 1..27; spacings 1.0458 (and 2).
	for _, name := range []string{"test1d_ascii.nrrd", "test2d_ascii.nrrd"} {
		v := readT(t, dir+name)
		if len(v.Data) != 27 || v.Spacing[0] != 1.0458 {
			t.Fatalf("%s: grid %v", name, v.Grid)
		}
		for i, x := range v.Data {
			if x != float64(i+1) {
				t.Errorf("%s: element %d = %g, want %d", name, i, x, i+1)
			}
		}
	}
	if v := readT(t, dir+"test2d_ascii.nrrd"); v.Dims != [3]int{3, 9, 1} || v.Spacing != [3]float64{1.0458, 2, 1} {
		t.Errorf("test2d_ascii: grid %v", v.Grid)
	}
	// 4D with a trailing "none" axis of size 1, RAS space: x and y flip.
	v := readT(t, dir+"test_simple4d_raw.nrrd")
	if v.Dims != [3]int{1, 1, 1} || v.Spacing != [3]float64{1.5, 1.5, 1} ||
		v.Direction != [9]float64{-1, 0, 0, 0, -1, 0, 0, 0, 1} {
		t.Errorf("test_simple4d_raw: grid %v", v.Grid)
	}
	// Key:=value pairs keep their order and text.
	h, err := ReadHeaderFile(filepath.Join(testdata, dir, "test_customFields.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := h.Value("string"); !ok || s != " This is a long string of information that is important." {
		t.Errorf("key string = %q", s)
	}
	if len(h.KeyValues) != 10 || h.KeyValues[9].Key != "double matrix" {
		t.Errorf("key/values %v", h.KeyValues)
	}
	// byte skip −5 is invalid.
	if _, err := ReadFile(filepath.Join(testdata, dir, "BallBinary30x30x30_byteskip_minus_five.nhdr")); err == nil {
		t.Error("byte skip -5: want an error")
	}
}

// TestSlicerSegmentation reads slicerio's test segmentations (from
// lassoan/slicerio): seven segments in one label-map layer, and the same
// with an eighth, overlapping sphere in a second layer. The voxel counts
// are those asserted by slicerio's tests/test_segmentation.py
// (test_extract_segments: ribs 8487, right lung 34450, of 128×128×34).
func TestSlicerSegmentation(t *testing.T) {
	names := []string{"ribs", "cervical vertebral column", "thoracic vertebral column",
		"lumbar vertebral column", "right lung", "left lung", "tissue"}
	for _, file := range []string{"Segmentation.seg.nrrd", "SegmentationOverlapping.seg.nrrd"} {
		s, err := ReadSegmentation(filepath.Join(testdata, "volume/nrrd/slicerio", file))
		if err != nil {
			t.Fatal(err)
		}
		if s.Labels.Dims != [3]int{128, 128, 34} {
			t.Errorf("%s: dims %v", file, s.Labels.Dims)
		}
		for i, name := range names {
			seg := s.Segments[i]
			if seg.Name != name || seg.Label != i+1 || seg.Layer != 0 || seg.ID != "Segment_"+string(rune('1'+i)) {
				t.Errorf("%s: segment %d = %+v, want %q label %d layer 0", file, i, seg, name, i+1)
			}
		}
		if _, n := s.Mask(0); n != 8487 {
			t.Errorf("%s: ribs %d voxels, want 8487", file, n)
		}
		if _, n := s.Mask(4); n != 34450 {
			t.Errorf("%s: right lung %d voxels, want 34450", file, n)
		}
		if file == "Segmentation.seg.nrrd" {
			if len(s.Layers) != 1 || len(s.Segments) != 7 {
				t.Errorf("%s: %d layers %d segments", file, len(s.Layers), len(s.Segments))
			}
			continue
		}
		if len(s.Layers) != 2 || len(s.Segments) != 8 {
			t.Fatalf("%s: %d layers %d segments, want 2 and 8", file, len(s.Layers), len(s.Segments))
		}
		sphere := s.Segments[7]
		if sphere.Name != "overlapping sphere" || sphere.Layer != 1 || sphere.Label != 1 {
			t.Errorf("sphere segment %+v", sphere)
		}
		// The sphere lies within Segment7_Extent 16 64 61 109 16 30 and
		// overlaps other segments of layer 0.
		m, n := s.Mask(7)
		box := m.BoundingBox(func(x float64) bool { return x == 1 })
		if n == 0 || box.Min[0] < 16 || box.Max[0] > 65 || box.Min[1] < 61 || box.Max[1] > 110 || box.Min[2] < 16 || box.Max[2] > 31 {
			t.Errorf("sphere: %d voxels in %v, want inside extent 16..64, 61..109, 16..30", n, box)
		}
		overlap := 0
		for i, x := range m.Data {
			if x == 1 && s.Layers[0].Data[i] != 0 {
				overlap++
			}
		}
		if overlap == 0 {
			t.Error("sphere overlaps no layer-0 segment")
		}
	}
}
