package radiomics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestExtractWorkersBitIdentical: one region extracted with 2, 3 and 8
// workers gives the one-worker values to the bit (the texture pass is cut
// into chunks that the workers share; the counts are merged exactly and
// NGTDM's s_i is summed in voxel order), on the spine cord and on a random
// 40³ region large enough for several chunks, with the default settings
// and with a bin count of 64.
func TestExtractWorkersBitIdentical(t *testing.T) {
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	g := volume.NewGrid([3]int{42, 42, 42}, [3]float64{1, 1, 2})
	img, mask := volume.New(g), volume.New(g)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range img.Data {
		img.Data[i] = float64(r.IntN(300))
		x, y, z := g.Coords(i)
		if x > 0 && y > 0 && z > 0 && x < 41 && y < 41 && z < 41 && r.IntN(10) > 0 {
			mask.Data[i] = 1
		}
	}
	cases := []struct {
		name      string
		img, mask *volume.Volume
	}{
		{"cord", readTestNIfTI(t, dir+"t2.nii.gz"), readTestNIfTI(t, dir+"t2_seg-manual.nii.gz")},
		{"random40", img, mask},
	}
	for _, c := range cases {
		for _, s := range []Settings{{}, {BinCount: 64}} {
			one, err := ExtractWorkers(c.img, c.mask, s, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []int{2, 3, 8} {
				got, err := ExtractWorkers(c.img, c.mask, s, w)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(one) {
					t.Fatalf("%s: %d workers: %d values, one worker %d", c.name, w, len(got), len(one))
				}
				for k := range one {
					a, b := one[k].Value, got[k].Value
					if math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
						t.Errorf("%s binCount %d: %d workers: %s = %v, one worker %v", c.name, s.BinCount, w, got[k].Key(), b, a)
					}
				}
			}
		}
	}
}
