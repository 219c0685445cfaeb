package preprocess

import (
	"math"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestRunBadInput: bad data and bad settings (which come from a user's
// params file) are errors of one line, never a panic or a huge allocation.
func TestRunBadInput(t *testing.T) {
	g := volume.NewGrid([3]int{6, 6, 6}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(i % 7)
	}
	mask.Set(2, 2, 2, 1)
	nanMask := mask.Clone()
	nanMask.Set(4, 4, 4, math.NaN())
	with := func(f func(*Settings)) Settings {
		s := Paper()
		f(&s)
		return s
	}
	for _, c := range []struct {
		name string
		mask *volume.Volume
		s    Settings
		want string
	}{
		{"NaN in the mask", nanMask, Paper(), "mask: voxel (4,4,4) is NaN"},
		{"NaN clip percentile", mask, with(func(s *Settings) { s.ClipPercentile = math.NaN() }), "preprocess: clip percentile NaN must be in [0, 50)"},
		{"infinite sigma", mask, with(func(s *Settings) { s.GaussianSigma = math.Inf(1) }), "preprocess: Gaussian sigma +Inf must be positive and finite"},
		{"negative sigma", mask, with(func(s *Settings) { s.GaussianSigma = -1 }), "preprocess: Gaussian sigma -1 must be positive and finite"},
		{"infinite spacing", mask, with(func(s *Settings) { s.Spacing[1] = math.Inf(1) }), "preprocess: target spacing [1 +Inf 1] must be positive and finite"},
		{"one spacing zero", mask, with(func(s *Settings) { s.Spacing[2] = 0 }), "preprocess: target spacing [1 1 0] must be positive and finite"},
		{"negative margin", mask, with(func(s *Settings) { s.Margin = -3 }), "preprocess: margin -3 mm must be non-negative and finite"},
		{"NaN margin", mask, with(func(s *Settings) { s.Margin = math.NaN() }), "preprocess: margin NaN mm must be non-negative and finite"},
		{"even box", mask, with(func(s *Settings) { s.BoxSize = 4 }), "preprocess: filter width 4 must be odd and positive"},
		{"median 5", mask, with(func(s *Settings) { s.MedianSize = 5 }), "preprocess: median width 5: only 3 is supported"},
		{"absurd resampling", mask, with(func(s *Settings) { s.Spacing = [3]float64{1e-4, 1e-4, 1e-4} }), "preprocess: resampling to [0.0001 0.0001 0.0001] mm gives "},
	} {
		_, err := Run(img, c.mask, c.s)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v\nwant one line starting %s", c.name, err, c.want)
		}
	}
}
