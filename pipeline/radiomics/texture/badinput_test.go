package texture

import (
	"math"
	"strings"
	"testing"
)

// TestBadInputMessages: the errors TestBadInput only counts say what is
// wrong, in one line; a spacing that is not a positive finite number is
// refused by the weighted families instead of weighting by NaN.
func TestBadInputMessages(t *testing.T) {
	two := &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, 2}}
	for _, c := range []struct {
		name string
		fn   func(*Image, Options) (*Matrix, error)
		im   *Image
		o    Options
		want string
	}{
		{"nil image", GLSZMMatrix, nil, Options{}, "texture: nil image"},
		{"zero dimension", GLCMMatrix, &Image{Dims: [3]int{0, 1, 1}}, Options{}, "texture: image dimension 0 is 0"},
		{"size mismatch", NGTDMMatrix, &Image{Dims: [3]int{2, 2, 1}, Levels: []int32{1}}, Options{}, "texture: 1 levels for dims [2 2 1] (4 voxels)"},
		{"negative level", GLDMMatrix, &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, -1}}, Options{}, "texture: negative grey level -1"},
		{"distance 0", GLCMMatrix, two, Options{Distances: []int{0}}, "texture: distance 0 < 1"},
		{"force2D axis", GLRLMMatrix, two, Options{Force2D: true, Force2DDimension: 3}, "texture: Force2DDimension 3 not in 0..2"},
		{"GLDM alpha NaN", GLDMMatrix, two, Options{GLDMAlpha: math.NaN()}, "texture: GLDMAlpha NaN < 0"},
		{"unknown weighting", GLCMMatrix, two, Options{Weighting: "bogus", Spacing: [3]float64{1, 1, 1}}, `texture: unknown weighting "bogus"`},
		{"weighting without spacing", GLRLMMatrix, two, Options{Weighting: "euclidean"}, `texture: weighting "euclidean" needs a positive Spacing, have [0 0 0]`},
		{"weighting with NaN spacing", GLCMMatrix, two, Options{Weighting: "manhattan", Spacing: [3]float64{1, math.NaN(), 1}}, `texture: weighting "manhattan" needs a positive Spacing, have [1 NaN 1]`},
		{"weighting with Inf spacing", GLRLMMatrix, two, Options{Weighting: "infinity", Spacing: [3]float64{1, 1, math.Inf(1)}}, `texture: weighting "infinity" needs a positive Spacing, have [1 1 +Inf]`},
	} {
		_, err := c.fn(c.im, c.o)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v\nwant one line starting %s", c.name, err, c.want)
		}
	}
}
