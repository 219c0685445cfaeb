package volio

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

const testdata = "../../testdata"

func TestReadImageDispatch(t *testing.T) {
	for _, c := range []struct {
		path string
		dims [3]int
	}{
		{"spine/sct_testing_data/t2/t2.nii.gz", [3]int{60, 55, 52}},
		{"volume/nifti/float64.nii", [3]int{5, 4, 3}},
		{"pyradiomics/breast1_image.nrrd", [3]int{45, 120, 21}},
		{"volume/nrrd/pynrrd/BallBinary30x30x30.nhdr", [3]int{30, 30, 30}},
		{"volume/nrrd/slicerio/Segmentation.seg.nrrd", [3]int{128, 128, 34}},
	} {
		v, err := ReadImage(filepath.Join(testdata, c.path))
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if v.Dims != c.dims {
			t.Errorf("%s: dims %v, want %v", c.path, v.Dims, c.dims)
		}
	}
	_, err := ReadImage("scan.mha")
	if err == nil || !strings.Contains(err.Error(), "scan.mha") || !strings.Contains(err.Error(), ".nii.gz") {
		t.Errorf("unknown extension: error %v", err)
	}
}

// segFile writes a tiny .seg.nrrd: 4×1×1 voxels, one or two layers.
func segFile(t testing.TB, layers [][]uint8, segs []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("NRRD0004\ntype: unsigned char\n")
	if len(layers) == 1 {
		b.WriteString("dimension: 3\nspace: left-posterior-superior\nsizes: 4 1 1\n")
		b.WriteString("space directions: (1,0,0) (0,1,0) (0,0,1)\nkinds: domain domain domain\n")
	} else {
		fmt.Fprintf(&b, "dimension: 4\nspace: left-posterior-superior\nsizes: %d 4 1 1\n", len(layers))
		b.WriteString("space directions: none (1,0,0) (0,1,0) (0,0,1)\nkinds: list domain domain domain\n")
	}
	b.WriteString("encoding: raw\nspace origin: (0,0,0)\n")
	for i, s := range segs { // "name/label/layer"
		f := strings.Split(s, "/")
		fmt.Fprintf(&b, "Segment%d_ID:=Segment_%d\nSegment%d_Name:=%s\nSegment%d_LabelValue:=%s\nSegment%d_Layer:=%s\n",
			i, i+1, i, f[0], i, f[1], i, f[2])
	}
	b.WriteString("\n")
	for v := range 4 { // layer index fastest
		for _, l := range layers {
			b.WriteByte(l[v])
		}
	}
	p := filepath.Join(t.TempDir(), "mask.seg.nrrd")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadLabelMapSegmentation(t *testing.T) {
	oneLayer := [][]uint8{{0, 1, 2, 2}}
	twoLayers := [][]uint8{{0, 1, 1, 1}, {0, 0, 1, 0}} // cord in layer 0, lesion over it in layer 1
	for _, c := range []struct {
		name   string
		layers [][]uint8
		segs   []string
		want   []float64
	}{
		{"named, cord first", oneLayer, []string{"Spinal cord/1/0", "Lesion/2/0"}, []float64{0, 2, 1, 1}},
		{"named, lesion first", oneLayer, []string{"injury/1/0", "cord/2/0"}, []float64{0, 1, 2, 2}},
		{"paper names", oneLayer, []string{"Segmentation_2/1/0", "segmentation 1/2/0"}, []float64{0, 2, 1, 1}},
		{"edema and unnamed", oneLayer, []string{"Segment_A/1/0", "Oedema/2/0"}, []float64{0, 2, 1, 1}},
		{"file order", oneLayer, []string{"foo/1/0", "bar/2/0"}, []float64{0, 1, 2, 2}},
		{"overlapping layers", twoLayers, []string{"cord/1/0", "lesion/1/1"}, []float64{0, 2, 1, 2}},
		{"overlapping, file order", twoLayers, []string{"Segment_1/1/1", "Segment_2/1/0"}, []float64{0, 2, 1, 2}},
	} {
		v, err := ReadLabelMap(segFile(t, c.layers, c.segs))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for i, x := range c.want {
			if v.Data[i] != x {
				t.Errorf("%s: labels %v, want %v", c.name, v.Data, c.want)
				break
			}
		}
	}
	// The same file named .nrrd is still read as a segmentation.
	seg := segFile(t, twoLayers, []string{"cord/1/0", "lesion/1/1"})
	plain := strings.TrimSuffix(seg, ".seg.nrrd") + ".nrrd"
	if err := os.Rename(seg, plain); err != nil {
		t.Fatal(err)
	}
	if v, err := ReadLabelMap(plain); err != nil || fmt.Sprint(v.Data) != "[0 2 1 2]" {
		t.Errorf("segmentation named .nrrd: %v %v", v, err)
	}
	// More than two segments: the named lesion and cord are used, the rest ignored.
	three := [][]uint8{{0, 1, 2, 3}}
	v, err := ReadLabelMap(segFile(t, three, []string{"vertebra/1/0", "SCI lesion/2/0", "spinal cord/3/0"}))
	if err != nil || fmt.Sprint(v.Data) != "[0 0 1 2]" {
		t.Errorf("three segments: %v %v, want [0 0 1 2]", v, err)
	}
	// Seven unnamed segments (slicerio's chest CT): an error naming the file and field.
	p := filepath.Join(testdata, "volume/nrrd/slicerio/Segmentation.seg.nrrd")
	_, err = ReadLabelMap(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "Segment<N>_Name") || strings.Contains(err.Error(), "\n") {
		t.Errorf("seven segments: error %v", err)
	}
}

func TestReadLabelMapPlain(t *testing.T) {
	v, err := ReadLabelMap(filepath.Join(testdata, "spine/sct_testing_data/t2/t2_seg-manual_labeled.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	labels, _ := v.Labels()
	if fmt.Sprint(labels) != "[2 3 4 5]" {
		t.Errorf("labels %v, want [2 3 4 5] (testdata/spine/README.md)", labels)
	}
	p := filepath.Join(testdata, "volume/nifti/float64.nii")
	if _, err := ReadLabelMap(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("non-integer label map: error %v", err)
	}
}

func TestWriteImageRoundTrip(t *testing.T) {
	img, err := ReadImage(filepath.Join(testdata, "spine/sct_testing_data/t2/t2_fake_lesion.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := ReadLabelMap(filepath.Join(testdata, "spine/sct_testing_data/t2/t2_fake_lesion_sc_seg.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	frac := img.Clone()
	for i := range frac.Data {
		frac.Data[i] /= 4095
	}
	dir := t.TempDir()
	for _, c := range []struct {
		v    *volume.Volume
		name string
		tol  float64
	}{
		{img, "img.nii.gz", 0}, {mask, "mask.nii", 0}, {frac, "frac.nii.gz", 1e-7},
		{img, "img.nrrd", 0}, {mask, "mask.nhdr", 0}, {frac, "frac.nrrd", 1e-7},
	} {
		p := filepath.Join(dir, c.name)
		if err := WriteImage(p, c.v); err != nil {
			t.Fatal(err)
		}
		got, err := ReadImage(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.SameGrid(c.v.Grid, 1e-6); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		for i, x := range c.v.Data {
			if d := got.Data[i] - x; d > c.tol || d < -c.tol {
				t.Fatalf("%s: voxel %d = %g, wrote %g", c.name, i, got.Data[i], x)
			}
		}
	}
	// The mask is written as uint8, the image as int16, the fraction as float32.
	for name, want := range map[string]nifti.Datatype{"mask.nii": nifti.Uint8, "img.nii.gz": nifti.Int16, "frac.nii.gz": nifti.Float32} {
		h, err := nifti.ReadHeaderFile(filepath.Join(dir, name))
		if err != nil || h.Datatype != want {
			t.Errorf("%s: datatype %v (%v), want %v", name, h.Datatype, err, want)
		}
	}
}

func TestReadLabelMapOn(t *testing.T) {
	p := filepath.Join(testdata, "spine/sct_testing_data/t2/t2_seg-manual.nii.gz")
	full, err := ReadLabelMap(p)
	if err != nil {
		t.Fatal(err)
	}
	box := full.BoundingBox(func(x float64) bool { return x != 0 })
	crop := full.Crop(box.Grow(2, full.Grid))
	cp := filepath.Join(t.TempDir(), "crop.nii.gz")
	if err := WriteImage(cp, crop); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLabelMapOn(cp, full.Grid)
	if err != nil {
		t.Fatal(err)
	}
	for i := range full.Data {
		if got.Data[i] != full.Data[i] {
			t.Fatalf("padded crop differs at voxel %d", i)
		}
	}
	// A grid that is not a voxel-aligned part: an error printing both grids.
	shifted := crop.Clone()
	shifted.Origin[0] += 0.5
	if err := WriteImage(cp, shifted); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLabelMapOn(cp, full.Grid); err == nil || !strings.Contains(err.Error(), "dims 60x55x52") {
		t.Errorf("misaligned crop: error %v", err)
	}
}

func TestReadGrid(t *testing.T) {
	for _, p := range []string{
		"spine/ivadomed_data-testing/sub-unf01/anat/sub-unf01_T2w.nii.gz",
		"pyradiomics/brain1_label.nrrd",
		"volume/nrrd/slicerio/SegmentationOverlapping.seg.nrrd",
	} {
		path := filepath.Join(testdata, p)
		g, err := ReadGrid(path)
		if err != nil {
			t.Fatal(err)
		}
		var v *volume.Volume
		if FormatOf(path) == SlicerSeg {
			var s *nrrd.Segmentation
			if s, err = nrrd.ReadSegmentation(path); err == nil {
				v = s.Labels
			}
		} else {
			v, err = ReadImage(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		if v.Grid != g {
			t.Errorf("%s: ReadGrid %v, image %v", p, g, v.Grid)
		}
	}
}
