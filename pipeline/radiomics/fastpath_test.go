package radiomics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// randomROICase is an image and a label map of random size and shape with
// intensities of one kind (kind 0 … 6), for comparing the fast paths with
// the reference definitions (firstorder_ref_test.go).
func randomROICase(r *rand.Rand, kind int) (img, mask *volume.Volume) {
	d := [3]int{1 + r.IntN(30), 1 + r.IntN(25), 1 + r.IntN(12)}
	img = volume.New(volume.NewGrid(d, [3]float64{0.5 + r.Float64(), 1, 1.5}))
	img.Origin = [3]float64{r.Float64(), -3, 7}
	mask = volume.New(img.Grid)
	// A random box of the image, filled with probability p; other labels
	// and fractions around it.
	var lo, hi [3]int
	for a := range 3 {
		lo[a] = r.IntN(d[a])
		hi[a] = lo[a] + 1 + r.IntN(d[a]-lo[a])
		if r.IntN(4) == 0 { // the whole axis
			lo[a], hi[a] = 0, d[a]
		}
	}
	p := []float64{1, 0.9, 0.5, 0.1}[r.IntN(4)]
	for k := range d[2] {
		for j := range d[1] {
			for i := range d[0] {
				idx := img.Index(i, j, k)
				in := i >= lo[0] && i < hi[0] && j >= lo[1] && j < hi[1] && k >= lo[2] && k < hi[2]
				switch {
				case in && r.Float64() < p:
					mask.Data[idx] = []float64{1, 1.5, 1.999}[r.IntN(3)]
				case r.IntN(5) == 0:
					mask.Data[idx] = []float64{2, 0.5, -1, math.NaN(), 3}[r.IntN(5)]
				}
				var v float64
				switch kind {
				case 0: // whole numbers, as MR intensities
					v = float64(r.IntN(800))
				case 1: // continuous, both signs
					v = r.NormFloat64() * 300
				case 2: // few distinct values
					v = float64(r.IntN(4)) - 1.5
				case 3: // one outlier far above the rest
					v = r.Float64()
					if r.IntN(200) == 0 {
						v = 1e9
					}
				case 4: // a few ulps apart
					v = math.Float64frombits(math.Float64bits(100) + uint64(r.IntN(50)))
				case 5: // zeros of both signs and small numbers
					v = []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1}[r.IntN(5)]
				default: // wide magnitudes
					v = (r.Float64() - 0.3) * math.Pow(10, float64(r.IntN(20)-10))
				}
				img.Data[idx] = v
			}
		}
	}
	return img, mask
}

// TestPrepareAndBinMatchReference: PrepareROI's one pass over the mask and
// Bin over the ROI voxel list give the crop, mask, box, levels and bin
// edges of the definitions that scanned the whole box
// (refPrepareROI, refBin), to the bit, and the same error for a
// non-finite intensity inside the ROI.
func TestPrepareAndBinMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 1))
	checked := 0
	for it := range 300 {
		img, mask := randomROICase(r, it%7)
		s := Settings{MinimumROIDimensions: 1}
		if it%3 == 0 {
			s.BinCount = 1 + r.IntN(40)
		} else {
			s.BinWidth = []float64{0.25, 25, 1e8}[r.IntN(3)]
		}
		if it%11 == 0 {
			s.Label = 2
		}
		want, werr := refPrepareROI(img, mask, s)
		got, gerr := PrepareROI(img, mask, s)
		if werr != nil || want.N < 2 {
			if gerr == nil {
				t.Fatalf("case %d: PrepareROI gave no error, the reference %v", it, werr)
			}
			continue
		}
		if gerr != nil {
			t.Fatalf("case %d: %v", it, gerr)
		}
		if got.Box != want.Box || got.N != want.N || got.Image.Grid != want.Image.Grid ||
			!slices.Equal(got.Mask, want.Mask) || !slices.Equal(f64bits(got.Image.Data), f64bits(want.Image.Data)) {
			t.Fatalf("case %d: ROI differs from the reference (box %v / %v, N %d / %d)", it, got.Box, want.Box, got.N, want.N)
		}
		var scan []int32
		for i, in := range want.Mask {
			if in {
				scan = append(scan, int32(i))
			}
		}
		if !slices.Equal(got.idx, scan) {
			t.Fatalf("case %d: voxel list differs from the mask's voxels", it)
		}
		wd, werr := refBin(want, s)
		gd, gerr := got.Bin(s)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("case %d: Bin error %v, reference %v", it, gerr, werr)
		}
		if werr != nil {
			continue
		}
		if gd.Ng != wd.Ng || !slices.Equal(gd.Levels, wd.Levels) || !slices.Equal(gd.Edges, wd.Edges) || gd.Dims != wd.Dims {
			t.Fatalf("case %d: discretisation differs from the reference (Ng %d / %d)", it, gd.Ng, wd.Ng)
		}
		counts := make([]int, wd.Ng+1)
		for i, in := range want.Mask {
			if in {
				counts[wd.Levels[i]]++
			}
		}
		if !slices.Equal(gd.hist, counts) || levelsPresent(gd) != levelsPresent(wd) {
			t.Fatalf("case %d: level counts %v, want %v", it, gd.hist, counts)
		}
		// A NaN or an infinity inside the ROI: the same error.
		bad := img.Clone()
		vi := want.Box.Min
		for i := range want.Mask {
			if want.Mask[i] {
				x, y, z := want.Image.Coords(i)
				vi = [3]int{want.Box.Min[0] + x, want.Box.Min[1] + y, want.Box.Min[2] + z}
				if r.IntN(3) == 0 {
					break
				}
			}
		}
		bad.Set(vi[0], vi[1], vi[2], []float64{math.NaN(), math.Inf(-1)}[it%2])
		_, werr = refPrepareROI(bad, mask, s)
		_, gerr = PrepareROI(bad, mask, s)
		if werr == nil || gerr == nil || werr.Error() != gerr.Error() {
			t.Fatalf("case %d: non-finite intensity: error %v, want %v", it, gerr, werr)
		}
		checked++
	}
	if checked < 150 {
		t.Fatalf("only %d cases had an ROI", checked)
	}
}

func f64bits(x []float64) []uint64 {
	out := make([]uint64, len(x))
	for i, v := range x {
		out[i] = math.Float64bits(v)
	}
	return out
}

// firstOrderExact are the first-order features that read order
// statistics or level counts only: equal to the sorting definition to the
// bit. The others are sums, now added in grid order instead of ascending
// order: equal within a few ulps of their scale.
var firstOrderExact = []string{"10Percentile", "90Percentile", "InterquartileRange", "Maximum", "Minimum", "Median", "Range", "Entropy", "Uniformity"}

// compareFirstOrder compares FirstOrder with refFirstOrder on d.
// With ulps only between the intensities (noise), the moments about the
// mean are rounding noise in either order and only the exact features are
// compared.
func compareFirstOrder(t *testing.T, name string, d *Discretized, s Settings, whole, noise bool) {
	t.Helper()
	vals, err := FirstOrder(d, s)
	if err != nil {
		t.Fatal(err)
	}
	want := refFirstOrder(d, s)
	if len(vals) != len(want) {
		t.Fatalf("%s: %d features, want %d", name, len(vals), len(want))
	}
	x := d.ROI.Values()
	var amax float64
	for _, v := range x {
		amax = max(amax, math.Abs(v))
	}
	rng := want["Range"]
	for _, v := range vals {
		w := v.Value
		g := v.Value
		w = want[v.Name]
		exact := slices.Contains(firstOrderExact, v.Name) ||
			(whole && (v.Name == "Mean" || v.Name == "Energy" || v.Name == "TotalEnergy" || v.Name == "RootMeanSquared"))
		if exact {
			if g != w {
				t.Errorf("%s: %s = %v, the sorting definition gives %v", name, v.Name, g, w)
			}
			continue
		}
		if noise {
			continue
		}
		scale := map[string]float64{"Mean": amax, "Variance": rng * rng, "MeanAbsoluteDeviation": rng,
			"RobustMeanAbsoluteDeviation": rng, "Skewness": max(1, math.Abs(w)), "Kurtosis": max(1, math.Abs(w))}[v.Name]
		if scale == 0 {
			scale = math.Abs(w)
		}
		if math.Abs(g-w) > 1e-10*scale {
			t.Errorf("%s: %s = %v, the sorting definition gives %v (scale %g)", name, v.Name, g, w, scale)
		}
	}
}

// TestFirstOrderMatchesSorting: first order by selection (keySelector)
// gives the percentiles, median, minimum and maximum of the sorted
// intensities to the bit, on random ROIs of many kinds of intensities and
// on the spine cord and dilated cord; the sums, added in grid order, stay
// within 1e-10 of their scale (and are exact for whole numbers).
func TestFirstOrderMatchesSorting(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 2))
	for it := range 400 {
		kind := it % 7
		img, mask := randomROICase(r, kind)
		s := Settings{MinimumROIDimensions: 1, VoxelArrayShift: []float64{0, 0, 1000}[it%3]}
		roi, err := PrepareROI(img, mask, s)
		if err != nil {
			continue
		}
		d, err := roi.Bin(s)
		if err != nil {
			continue
		}
		compareFirstOrder(t, "random case", d, s, kind == 0 || kind == 2 && s.VoxelArrayShift == 0, kind == 4)
	}
	// Sizes around a few thousand voxels, where the old sort switched
	// from slices.Sort to its radix sort, and larger.
	for _, n := range []int{2, 3, 4, 5, 1000, 4095, 4096, 20000} {
		for kind := range 7 {
			img := volume.New(volume.NewGrid([3]int{n, 1, 1}, [3]float64{1, 1, 1}))
			mask := volume.New(img.Grid)
			im2, _ := randomROICase(r, kind)
			for i := range n {
				img.Data[i] = im2.Data[r.IntN(len(im2.Data))]
				mask.Data[i] = 1
			}
			s := Settings{MinimumROIDimensions: 1, BinCount: 16}
			roi, err := PrepareROI(img, mask, s)
			if err != nil {
				t.Fatal(err)
			}
			d, err := roi.Bin(s)
			if err != nil {
				t.Fatal(err)
			}
			compareFirstOrder(t, "line", d, s, kind == 0 || kind == 2, kind == 4)
		}
	}
	// Consecutive whole numbers, shuffled, some repeated: the
	// percentiles fall between two present values (first order's path
	// for whole numbers counts each value).
	for n := 5; n < 60; n++ {
		img := volume.New(volume.NewGrid([3]int{n, 1, 1}, [3]float64{1, 1, 1}))
		mask := volume.New(img.Grid)
		for i := range n {
			img.Data[i] = float64(i - 20 + r.IntN(2))
			mask.Data[i] = 1
		}
		r.Shuffle(n, func(i, j int) { img.Data[i], img.Data[j] = img.Data[j], img.Data[i] })
		s := Settings{MinimumROIDimensions: 1}
		d, err := Discretize(img, mask, s)
		if err != nil {
			t.Fatal(err)
		}
		compareFirstOrder(t, "consecutive", d, s, true, false)
	}
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	t2 := readTestNIfTI(t, dir+"t2.nii.gz")
	cord := readTestNIfTI(t, dir+"t2_seg-manual.nii.gz")
	for _, m := range []*volume.Volume{cord, dilate(cord, 4)} {
		d, err := Discretize(t2, m, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		compareFirstOrder(t, "spine", d, Settings{}, true, false)
	}
}

// TestExtractReusesArrays: Extract hands the ROI's mask, voxel list and
// levels of one extraction to the next (extractPool); extractions of
// ROIs larger and smaller in between give each ROI the values of
// Discretize and ExtractDiscretized, which use new arrays, to the bit.
func TestExtractReusesArrays(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 3))
	type roiCase struct {
		img, mask *volume.Volume
		want      []uint64
	}
	var cases []roiCase
	for len(cases) < 5 {
		img, mask := randomROICase(r, 0)
		d, err := Discretize(img, mask, Settings{})
		if err != nil {
			continue
		}
		vals, err := ExtractDiscretized(d, Settings{})
		if err != nil {
			continue
		}
		want := make([]uint64, len(vals))
		for i, v := range vals {
			want[i] = math.Float64bits(v.Value)
		}
		cases = append(cases, roiCase{img, mask, want})
	}
	for round := range 3 {
		for k, c := range cases {
			vals, err := Extract(c.img, c.mask, Settings{})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if math.Float64bits(v.Value) != c.want[i] {
					t.Fatalf("round %d, ROI %d: %s = %v, with new arrays %v", round, k, v.Key(), v.Value, math.Float64frombits(c.want[i]))
				}
			}
		}
		slices.Reverse(cases)
	}
}
