package texture

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFusedMatchesOwnLoops: the fused pass (direction tasks, box sums,
// any number of workers) gives each family's own-loop values to the bit,
// on random ROIs with holes or sparse (the NGTDM's box sums over the grid,
// or voxel by voxel), in 3D and with Force2D along each axis, for
// gldm_a 0 and 1, and with grey levels so large that the NGTDM's box sums
// need 64-bit integers (26 neighbours sum to 2²⁷ or more) and just
// small enough for 32; and on a ROI large enough for the workers to split
// the pass's last count.
func TestFusedMatchesOwnLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// random fills the box with levels, a fifth of it left outside the ROI
	// (none with full).
	random := func(dims [3]int, levels []int32, full ...bool) *Image {
		im := &Image{Dims: dims, Levels: make([]int32, dims[0]*dims[1]*dims[2])}
		for k := range im.Levels {
			if r.IntN(5) > 0 || len(full) > 0 {
				im.Levels[k] = levels[r.IntN(len(levels))]
			}
		}
		return im
	}
	small := []int32{1, 2, 3, 5, 8}
	sparse := random([3]int{16, 12, 9}, small) // a tenth of the box in the ROI
	for k := range sparse.Levels {
		if r.IntN(8) > 0 {
			sparse.Levels[k] = 0
		}
	}
	big32 := []int32{4_900_000, 4_900_001, 4_900_003} // 27 × Ng < 2²⁷
	big64 := []int32{5_200_000, 5_200_002, 5_199_999} // 26 × Ng ≥ 2²⁷
	cases := []struct {
		name string
		im   *Image
		o    Options
		fams []string
	}{
		{"3D", random([3]int{9, 7, 6}, small), Options{}, nil},
		{"3D gldm_a 1", random([3]int{9, 7, 6}, small), Options{GLDMAlpha: 1}, nil},
		{"force2D z", random([3]int{9, 7, 6}, small), Options{Force2D: true}, nil},
		{"force2D y", random([3]int{9, 7, 6}, small), Options{Force2D: true, Force2DDimension: 1}, nil},
		{"force2D x", random([3]int{9, 7, 6}, small), Options{Force2D: true, Force2DDimension: 2}, nil},
		{"sparse", sparse, Options{}, nil},
		{"sparse force2D", sparse, Options{Force2D: true}, nil},
		{"one slice", random([3]int{12, 9, 1}, small), Options{}, nil},
		// 68,000 ROI voxels: enough for the workers to split the last
		// counting pass (GLSZM zones, GLDM dependences) between them.
		{"large", random([3]int{50, 50, 34}, small), Options{}, nil},
		{"ngtdm 32-bit sums", random([3]int{8, 8, 8}, big32, true), Options{}, []string{"ngtdm", "gldm"}},
		{"ngtdm 64-bit sums", random([3]int{8, 8, 8}, big64, true), Options{}, []string{"ngtdm", "gldm"}},
	}
	for _, c := range cases {
		fams := c.fams
		if fams == nil {
			fams = []string{"glcm", "glrlm", "glszm", "ngtdm", "gldm"}
		}
		noFusedPass = true
		want, err := Families(c.im, c.o, fams)
		noFusedPass = false
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, w := range []int{1, 2, 3} {
			o := c.o
			o.Workers = w
			got, err := Families(c.im, o, fams)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for f := range want {
				for k, v := range want[f] {
					g := got[f][k].Value
					if math.Float64bits(g) != math.Float64bits(v.Value) && !(math.IsNaN(g) && math.IsNaN(v.Value)) {
						t.Errorf("%s, %d workers: %s = %v, own loop %v", c.name, w, v.Key(), g, v.Value)
					}
				}
			}
		}
	}
}

// TestPairSpans: pairSpans (through pointers) counts the same table and
// lists the same equal pairs as pairSpansRef, a plain loop with its bounds
// checks, on random levels with voxels outside the ROI (-1) and spans of
// every length from 1 to 20, for offsets both ways; and refuses spans or
// arrays it would overrun.
func TestPairSpans(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const nl, w = 5, 6
	lvl := make([]int32, 4000)
	for k := range lvl {
		lvl[k] = int32(r.IntN(nl+1)) - 1 // -1 … nl-1, some equal runs
		if k > 0 && r.IntN(3) == 0 {
			lvl[k] = lvl[k-1]
		}
	}
	var spans [][2]int32
	for s := int32(100); s < 3800; {
		n := 1 + int32(r.IntN(20))
		spans = append(spans, [2]int32{s, s + n})
		s += n + int32(r.IntN(4))
	}
	for _, off := range []int32{1, 37, -41, 90} {
		for _, withTab := range []bool{true, false} {
			var tabA, tabB []uint32
			if withTab {
				tabA, tabB = make([]uint32, w*w), make([]uint32, w*w)
			}
			eqA, eqB := make([]int32, 4000), make([]int32, 4000)
			na := pairSpans(tabA, w, lvl, spans, off, eqA)
			nb := pairSpansRef(tabB, w, lvl, spans, off, eqB)
			if na != nb || !slices.Equal(eqA[:na], eqB[:nb]) || !slices.Equal(tabA, tabB) {
				t.Fatalf("off %d, table %v: %d pairs %v…, table %v; plain loop %d pairs %v…, table %v",
					off, withTab, na, eqA[:min(na, 8)], tabA, nb, eqB[:min(nb, 8)], tabB)
			}
			if nb == 0 {
				t.Fatalf("off %d: no equal pairs to compare", off)
			}
		}
	}
	for _, c := range []struct {
		spans [][2]int32
		off   int32
		eqv   int
	}{
		{[][2]int32{{3990, 4001}}, 0, 100},  // past the grid
		{[][2]int32{{10, 20}}, -11, 100},    // neighbours before it
		{[][2]int32{{3980, 3990}}, 11, 100}, // neighbours after it
		{[][2]int32{{10, 20}}, 1, 9},        // eqv too short
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("spans %v, offset %d, eqv of %d: no panic", c.spans, c.off, c.eqv)
				}
			}()
			pairSpans(make([]uint32, w*w), w, lvl, c.spans, c.off, make([]int32, c.eqv))
		}()
	}
}

// pairSpansRef is pairSpans as a plain loop with bounds checks.
func pairSpansRef(tab []uint32, w int, lvl []int32, spans [][2]int32, off int32, eqv []int32) int {
	n := 0
	for _, r := range spans {
		for v := r[0]; v < r[1]; v++ {
			i, j := lvl[v], lvl[v+off]
			if tab != nil {
				tab[int(i+1)*w+int(j+1)]++
			}
			if i == j && i >= 0 {
				eqv[n] = v
				n++
			}
		}
	}
	return n
}
