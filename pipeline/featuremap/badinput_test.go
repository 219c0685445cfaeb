package featuremap

import (
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// Bad settings and inputs are one-line errors naming the problem, never a
// panic, a huge allocation or a hang.
func TestBadInput(t *testing.T) {
	g := volume.NewGrid([3]int{6, 6, 6}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(i % 7)
	}
	for _, ijk := range [][3]int{{2, 2, 2}, {3, 2, 2}, {2, 3, 2}, {3, 3, 3}} {
		mask.Set(ijk[0], ijk[1], ijk[2], 1)
	}
	set := func(f func(*Settings)) Settings {
		var s Settings
		f(&s)
		return s
	}
	other := volume.New(volume.NewGrid([3]int{5, 6, 6}, [3]float64{1, 1, 1}))
	bigGrid := volume.NewGrid([3]int{120, 120, 10}, [3]float64{1, 1, 1})
	big, bigMask := volume.New(bigGrid), volume.New(bigGrid)
	for i := range bigMask.Data {
		bigMask.Data[i] = 1
	}
	nan := img.Clone()
	nan.Set(2, 2, 2, math.NaN())
	for _, c := range []struct {
		name      string
		img, mask *volume.Volume
		s         Settings
		want      string
	}{
		{"radius -1", img, mask, set(func(s *Settings) { s.KernelRadius = -1 }), "kernelRadius -1"},
		{"radius huge", img, mask, set(func(s *Settings) { s.KernelRadius = 1 << 30 }), "kernelRadius"},
		{"batch -7", img, mask, set(func(s *Settings) { s.VoxelBatch = -7 }), "voxelBatch -7"},
		{"workers", img, mask, set(func(s *Settings) { s.Workers = -2 }), "workers -2"},
		{"init inf", img, mask, set(func(s *Settings) { s.InitValue = math.Inf(1) }), "initValue"},
		{"normalize", img, mask, set(func(s *Settings) { s.Normalize = true }), "normalize"},
		{"resample", img, mask, set(func(s *Settings) { s.ResampledPixelSpacing = []float64{2, 2, 2} }), "resampledPixelSpacing"},
		{"shape", img, mask, set(func(s *Settings) { s.Classes = []string{"shape"} }), "shape has no voxel-based maps"},
		{"distance", img, mask, set(func(s *Settings) { s.Distances = []int{200} }), "distance 200 is larger than any kernel"},
		{"nil", nil, mask, Settings{}, "nil image"},
		{"grid", img, other, Settings{}, "mask on the image grid"},
		{"label", img, mask, set(func(s *Settings) { s.Label = 3 }), "label 3 not present"},
		{"nan", nan, mask, Settings{}, "intensities must be finite"},
		{"work", big, bigMask, set(func(s *Settings) { s.KernelRadius = 10 }), "kernel voxels, more than"},
	} {
		_, err := Compute(c.img, c.mask, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct{ yaml, want string }{
		{"voxelSetting:\n  kernelRadius: 0\n", "kernelRadius: must be at least 1"},
		{"voxelSetting:\n  voxelBatch: 0\n", "voxelBatch: must be positive or -1"},
		{"voxelSetting:\n  voxelBatch: 1e300\n", "want an integer"},
		{"voxelSetting:\n  kernelRadius: 99999999\n", "kernelRadius 99999999 must be 1..10"},
		{"voxelSetting:\n  kernel: 1\n", "voxelSetting.kernel: unknown key"},
		{"voxelSetting: [1]\n", "voxelSetting must be a mapping"},
	} {
		_, err := ParseParams(strings.NewReader(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
		}
	}
	s, err := ParseParams(strings.NewReader("setting:\n  binWidth: 2\nvoxelSetting:\n  kernelRadius: 2\n  maskedKernel: false\n  initValue: nan\n  voxelBatch: 10\n"))
	if err != nil || s.KernelRadius != 2 || !s.Unmasked || !math.IsNaN(s.InitValue) || s.VoxelBatch != 10 || s.BinWidth != 2 {
		t.Errorf("voxelSetting parsed as %+v, %v", s, err)
	}
	if err := SelectFeatures(&s, "glcm_Foo"); err == nil || !strings.Contains(err.Error(), `unknown glcm feature "Foo"`) {
		t.Errorf("unknown feature: %v", err)
	}
}
