package radiomics

import (
	"errors"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// phantom returns the IBSI 1 digital phantom (testdata/ibsi1, README:
// value[z][y][x], 5×4×4 voxels of 2 mm) and its mask.
func phantom() (img, mask *volume.Volume) {
	rows := [4]string{
		"1 4 4 1 1 | 1 4 6 1 1 | 4 1 6 4 1 | 4 4 6 4 1",
		"1 4 4 1 1 | 1 1 6 1 1 | 1 1 3 1 1 | 4 4 6 1 1",
		"1 4 4 1 1 | 1 1 1 1 1 | 1 1 9 1 1 | 1 1 6 1 1",
		"1 4 4 1 1 | 1 1 1 1 1 | 1 1 1 1 1 | 1 1 6 1 1",
	}
	g := volume.NewGrid([3]int{5, 4, 4}, [3]float64{2, 2, 2})
	img, mask = volume.New(g), volume.New(g)
	for z, r := range rows {
		f := strings.Fields(strings.ReplaceAll(r, "|", ""))
		for idx, s := range f {
			x, y := idx%5, idx/5
			img.Set(x, y, z, float64(s[0]-'0'))
			mask.Set(x, y, z, 1)
		}
	}
	for _, c := range [][3]int{{0, 2, 1}, {3, 0, 2}, {4, 0, 2}, {2, 2, 2}, {3, 0, 3}, {4, 0, 3}} {
		mask.Set(c[0], c[1], c[2], 0)
	}
	return img, mask
}

func TestDiscretizePhantom(t *testing.T) {
	img, mask := phantom()
	d, err := Discretize(img, mask, Settings{BinWidth: 1})
	if err != nil {
		t.Fatal(err)
	}
	// IBSI phantom README: 74 ROI voxels with intensities {1,3,4,6}; bin width
	// 1 maps value v to bin v.
	if d.ROI.N != 74 || d.Ng != 6 || d.Dims != [3]int{5, 4, 4} {
		t.Fatalf("N %d Ng %d dims %v, want 74 6 [5 4 4]", d.ROI.N, d.Ng, d.Dims)
	}
	for i, l := range d.Levels {
		want := int32(0)
		if d.ROI.Mask[i] {
			want = int32(img.Data[i])
		}
		if l != want {
			t.Fatalf("voxel %d: level %d want %d", i, l, want)
		}
	}
}

func TestPrepareROIErrors(t *testing.T) {
	g := volume.NewGrid([3]int{4, 4, 4}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(i)
	}
	_, err := PrepareROI(img, mask, Settings{})
	if !errors.Is(err, ErrROI) || !strings.Contains(err.Error(), "not present") {
		t.Errorf("empty mask: %v", err)
	}
	mask.Set(1, 1, 1, 1)
	if _, err := PrepareROI(img, mask, Settings{}); !errors.Is(err, ErrROI) || !strings.Contains(err.Error(), "single voxel") {
		t.Errorf("one voxel: %v", err)
	}
	mask.Set(2, 1, 1, 1) // a line: 1 dimension
	if _, err := PrepareROI(img, mask, Settings{}); !errors.Is(err, ErrROI) || !strings.Contains(err.Error(), "minimumROIDimensions") {
		t.Errorf("line with default minimumROIDimensions 2: %v", err)
	}
	r, err := PrepareROI(img, mask, Settings{MinimumROIDimensions: 1})
	if err != nil || r.N != 2 || r.Box.Min != [3]int{1, 1, 1} || r.Box.Max != [3]int{3, 2, 2} {
		t.Errorf("line with minimumROIDimensions 1: %+v %v", r, err)
	}
	if _, err := PrepareROI(img, mask, Settings{MinimumROIDimensions: 1, Label: 2}); !errors.Is(err, ErrROI) || !strings.Contains(err.Error(), "[1]") {
		t.Errorf("absent label: %v", err)
	}
	// Edge-touching ROI crops without panicking.
	mask.Set(3, 3, 3, 1)
	mask.Set(0, 0, 0, 1)
	if r, err := PrepareROI(img, mask, Settings{}); err != nil || r.Box.Size() != [3]int{4, 4, 4} {
		t.Errorf("edge ROI: %v", err)
	}
}

func TestGeometryTolerance(t *testing.T) {
	g := volume.NewGrid([3]int{3, 3, 3}, [3]float64{0.8, 0.8, 0.8})
	img, mask := volume.New(g), volume.New(g)
	for i := range mask.Data {
		if x, _, _ := g.Coords(i); x < 2 {
			mask.Data[i] = 1
		}
	}
	// The spine case t2_fake_lesion: origins 2.9e-6 mm apart must load.
	mask.Origin[0] += 2.9e-6
	if _, err := PrepareROI(img, mask, Settings{}); err != nil {
		t.Errorf("2.9e-6 mm shift: %v", err)
	}
	mask.Origin[0] += 0.1
	_, err := PrepareROI(img, mask, Settings{})
	if !errors.Is(err, volume.ErrGridMismatch) || !strings.Contains(err.Error(), "origin") {
		t.Errorf("0.1 mm shift: %v", err)
	}
	// correctMask resamples by nearest neighbour: a 0.1 mm shift keeps every voxel.
	r, err := PrepareROI(img, mask, Settings{CorrectMask: true})
	if err != nil || r.N != 18 {
		t.Errorf("correctMask: %+v %v", r, err)
	}
	// A shift of a whole voxel leaves the ROI partly outside the image: error.
	mask.Origin[0] -= 0.8
	if _, err := PrepareROI(img, mask, Settings{CorrectMask: true}); !errors.Is(err, ErrROI) {
		t.Errorf("correctMask outside: %v", err)
	}
}
