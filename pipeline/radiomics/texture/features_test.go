package texture

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sameBits reports whether a and b hold the same float64 values to the
// bit.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// featureTestROIs are random ROIs for comparing the fused pass's matrices
// with the families' own loops: holes, sparse voxels (directions without
// runs), one slice (the directions across it emptied) and a knight's move
// (no direction with two voxels on a line).
func featureTestROIs(r *rand.Rand) map[string]*Image {
	random := func(dims [3]int, levels []int32, keep int) *Image {
		im := &Image{Dims: dims, Levels: make([]int32, dims[0]*dims[1]*dims[2])}
		for k := range im.Levels {
			if r.IntN(10) < keep {
				im.Levels[k] = levels[r.IntN(len(levels))]
			}
		}
		return im
	}
	small := []int32{1, 2, 3, 5, 8}
	wide := make([]int32, 40)
	for k := range wide {
		wide[k] = int32(2*k + 1)
	}
	knight := &Image{Dims: [3]int{2, 3, 1}, Levels: []int32{1, 0, 0, 0, 0, 2}}
	topOnce := random([3]int{8, 7, 5}, small, 9) // the top level on one voxel
	topOnce.Levels[17] = 9
	// with Force2D one direction (x), no line with two voxels: emptied,
	// and kept as the only one
	lone := &Image{Dims: [3]int{3, 1, 2}, Levels: []int32{1, 0, 0, 0, 0, 2}}
	return map[string]*Image{
		"lone":      lone,
		"top once":  topOnce,
		"holes":     random([3]int{9, 7, 6}, small, 8),
		"sparse":    random([3]int{16, 12, 9}, small, 1),
		"wide":      random([3]int{12, 10, 8}, wide, 9),
		"one slice": random([3]int{12, 9, 1}, small, 8),
		"knight":    knight,
	}
}

// TestGLRLMFromCounts: the GLRLM matrices from the fused pass's counts
// (glrlmFromCounts) are those of the own loop's path to the bit: the same
// directions, run lengths and counts, in 3D and with Force2D.
func TestGLRLMFromCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for name, im := range featureTestROIs(r) {
		for _, o := range []Options{{}, {Force2D: true}} {
			noFusedPass = true
			want, err := GLRLMMatrix(im, o)
			noFusedPass = false
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := GLRLMMatrix(im, o)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			{
				// glrlmValues' path: the matrices in a used buffer
				pr, err := prepare(im, &o)
				if err != nil {
					t.Fatal(err)
				}
				buf := make([]float64, 5000)
				for k := range buf {
					buf[k] = 3
				}
				if got, err = glrlmMatrixInto(pr, &o, &buf); err != nil {
					t.Fatal(err)
				}
			}
			if got.NCols != want.NCols || !sameBits(got.Cols, want.Cols) || !slices.Equal(got.Angles, want.Angles) || len(got.P) != len(want.P) {
				t.Fatalf("%s %+v: columns %v, directions %v; own loop %v, %v", name, o, got.Cols, got.Angles, want.Cols, want.Angles)
			}
			for a := range want.P {
				if !sameBits(got.P[a], want.P[a]) {
					t.Errorf("%s %+v, direction %v: counts differ from the own loop's", name, o, want.Angles[a])
				}
			}
		}
	}
}

// emphasisOwnLoop is countCoef.emphasis as it was before the tables and
// the one-pass mixed sums: the reference definition.
func emphasisOwnLoop(c *countCoef, a, b int) float64 {
	pw := func(x float64, e int) float64 {
		switch e {
		case 2:
			return x * x
		case -2:
			return 1 / (x * x)
		}
		return 1
	}
	s := 0.0
	switch {
	case a == 0:
		for k, v := range c.pc {
			s += v * pw(c.j[k], b)
		}
	case b == 0:
		for r, v := range c.pg {
			s += v * pw(c.i[r], a)
		}
	default:
		for r := range c.nr {
			wi := pw(c.i[r], a)
			for k, v := range c.p[r*c.nc : (r+1)*c.nc] {
				s += v * wi * pw(c.j[k], b)
			}
		}
	}
	return s / c.n
}

// TestEmphasisOwnLoops: every emphasis (the eight of GLRLM, GLSZM and
// GLDM) equals its own loop to the bit, on random count matrices with
// zeros (and weighted, non-integer ones), after each set.
func TestEmphasisOwnLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, sz := range [][2]int{{1, 1}, {3, 5}, {17, 9}, {40, 31}} {
		rows, cols := make([]float64, sz[0]), make([]float64, sz[1])
		for k := range rows {
			rows[k] = float64(3*k + 1)
		}
		for k := range cols {
			cols[k] = float64(k + 1 + r.IntN(2))
		}
		c := newCountCoef(rows, cols)
		for trial := range 4 {
			p := make([]float64, sz[0]*sz[1])
			for k := range p {
				if r.IntN(3) == 0 {
					p[k] = float64(r.IntN(50))
					if trial%2 == 1 {
						p[k] *= r.Float64() * 1.7
					}
				}
			}
			p[0] += 1
			c.set(p)
			for _, ab := range [][2]int{{2, 0}, {-2, 0}, {0, 2}, {0, -2}, {2, 2}, {-2, 2}, {2, -2}, {-2, -2}} {
				got, want := c.emphasis(ab[0], ab[1]), emphasisOwnLoop(c, ab[0], ab[1])
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%v, emphasis%v: %v, own loop %v", sz, ab, got, want)
				}
			}
		}
	}
}

// TestLog2x4: the four-lane log2 rounds each lane as log2 (math.Log / ln
// 2) does, on the inputs the entropies give it (p + ε, px·py + ε, px:
// from 1 down to about 1e-300) and at the edges of its argument reduction
// (mantissas at and around √2/2, powers of two).
func TestLog2x4(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	var xs []float64
	for range 200000 {
		xs = append(xs, r.Float64(), r.Float64()*r.Float64()+eps, math.Ldexp(r.Float64()+0.5, -r.IntN(1000)))
	}
	h := 7.07106781186547524401e-01
	for _, x := range []float64{h, math.Nextafter(h, 0), math.Nextafter(h, 1)} {
		for e := -60; e <= 2; e++ {
			xs = append(xs, math.Ldexp(x, e))
		}
	}
	for e := -1000; e <= 10; e++ {
		xs = append(xs, math.Ldexp(1, e), math.Ldexp(1, e)+eps)
	}
	xs = append(xs, 1, 1+eps, eps, 0.5, 0.75, 1.5, 1e-300)
	for len(xs)%4 != 0 {
		xs = append(xs, 1)
	}
	for k := 0; k < len(xs); k += 4 {
		got := log2Lanes([4]float64(xs[k : k+4]))
		for l, g := range got {
			if want := log2(xs[k+l]); math.Float64bits(g) != math.Float64bits(want) {
				t.Fatalf("log2(%v) = %v, four lanes %v", xs[k+l], want, g)
			}
		}
	}
}

// TestGLCMCoefs4: from random integer counts, the matrices of
// glcmFromCounts (with their four-lane copy) and the coefficients found
// four directions at a time (glcmCoefs4, then setLane) are those of set
// and moments for each direction to the bit — marginals, p_{x+y},
// p_{x-y}, means, entropies, HXY2, every moment and so every feature —
// with one to 13 directions (the last group's other lanes left as they
// were: the lanes are independent), an empty direction (dropped), levels
// missing from a direction (zero rows) and level values with gaps; and
// each group's MCC from those marginals is glcmMCC's.
func TestGLCMCoefs4(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	fs := glcmFeatures()
	for _, c := range []struct{ nl, n, step, big int }{{2, 1, 1, 5}, {3, 4, 2, 40}, {7, 3, 1, 3}, {20, 5, 3, 400}, {51, 13, 1, 60}, {33, 4, 1, 2}} {
		lv := make([]float64, c.nl)
		for i := range lv {
			lv[i] = float64(c.step*i + 1 + b2i(i > c.nl/2))
		}
		ng := int(lv[c.nl-1])
		nn := c.nl * c.nl
		cnt := make([]uint32, c.n*nn)
		as := make([][3]int, c.n)
		for a := range c.n {
			as[a] = [3]int{a, 1, 0}
			if a == 1 && c.n > 2 {
				continue // an empty direction
			}
			ck := cnt[a*nn : (a+1)*nn]
			for k := range ck {
				if r.IntN(3) > 0 {
					ck[k] = uint32(r.IntN(c.big))
				}
			}
			if a%2 == 0 {
				for range 2 {
					i := r.IntN(c.nl)
					for j := range c.nl {
						ck[i*c.nl+j], ck[j*c.nl+i] = 0, 0
					}
				}
			}
			ck[0]++
		}
		bufs := new(glcmBufs)
		bufs.p4 = make([][4]float64, (c.n+3)/4*nn)
		for k := range bufs.p4 {
			bufs.p4[k] = [4]float64{7, 7, 7, 7}
		}
		m := glcmFromCounts(cnt, lv, as, make([]float64, c.n*nn), bufs)
		ps := m.P
		var lt glcmLevels
		lt.reset(lv)
		L := new(glcmLanes)
		L.grow(c.nl, ng)
		mcc := make([]float64, len(ps))
		mb := &mccBufs{w: []*mccWork{new(mccWork)}}
		for a := 0; a < len(ps); a += 4 {
			L.runsOf(bufs.p4[a/4*nn:(a/4+1)*nn], c.nl, a%8 == 0)
			glcmCoefs4(bufs.p4[a/4*nn:(a/4+1)*nn], &lt, L.start, L.runs, L)
			mb.w[0].group(ps, a, c.nl, L.px, mcc)
		}
		mb.finish(1, mcc)
		got, want := newGLCMCoef(lv, ng), newGLCMCoef(lv, ng)
		want.knownSymmetric = true
		nnz := 0
		for a, p := range ps {
			if a%4 == 0 {
				L.runsOf(bufs.p4[a/4*nn:(a/4+1)*nn], c.nl, a%8 == 0)
				glcmCoefs4(bufs.p4[a/4*nn:(a/4+1)*nn], &lt, L.start, L.runs, L)
			}
			got.setLane(p, L, a%4)
			want.set(p)
			nnz += len(want.nzV)
			scalars := func(c *glcmCoef) []float64 {
				m := c.moments()
				return []float64{c.ux, c.uy, c.hx, c.hy, c.hxy, c.hxy1, c.hxy2, m.auto, m.contrast, m.energy, m.maxP,
					m.cluster2, m.cluster3, m.cluster4, m.sx, m.sy, m.cov}
			}
			if !sameBits(got.px, want.px) || !sameBits(got.py, want.py) || !sameBits(got.sum, want.sum) || !sameBits(got.diff, want.diff) ||
				!sameBits(scalars(got), scalars(want)) || got.symmetric != want.symmetric {
				t.Errorf("%d levels, direction %d of %d: coefficients %v, set's %v", c.nl, a, len(ps), scalars(got), scalars(want))
			}
			for _, f := range fs {
				if g, w := f.fn(got), f.fn(want); math.Float64bits(g) != math.Float64bits(w) {
					t.Errorf("%d levels, direction %d: %s %v, set's %v", c.nl, a, f.def.Name, g, w)
				}
			}
			if w := glcmMCC(want); math.Float64bits(mcc[a]) != math.Float64bits(w) {
				t.Errorf("%d levels, direction %d: MCC %v, glcmMCC %v", c.nl, a, mcc[a], w)
			}
		}
		if nnz != bufs.nnz || len(ps) != c.n-b2i(c.n > 2) {
			t.Errorf("%d levels: %d directions, %d non-zero entries; want %d, %d", c.nl, len(ps), bufs.nnz, c.n-b2i(c.n > 2), nnz)
		}
	}
}

// TestGLCMDiffSumsOwnLoops: the p_{x-y} features of glcmDiffSums (one
// pass, zeros skipped, denominators from tables) equal their own loops
// (the definitions as they were) to the bit, on random GLCMs whose levels
// have gaps (so p_{x-y} has zeros), after each set.
func TestGLCMDiffSumsOwnLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	for _, nl := range []int{2, 9, 31, 60} {
		lv := make([]float64, nl)
		for i := range lv {
			lv[i] = float64(3*i + 1 + r.IntN(2))
		}
		c := newGLCMCoef(lv, int(lv[nl-1]))
		for _, p := range randomGLCMs(r, 30, nl) {
			c.set(p)
			var da, dv, id, idm, idmn, idn, iv float64
			for k, v := range c.diff {
				da += float64(k) * v
			}
			for k, v := range c.diff {
				d := float64(k) - da
				dv += v * d * d
				id += v / (1 + float64(k))
				idm += v / (1 + float64(k*k))
				idmn += v / (1 + float64(k*k)/(c.ng*c.ng))
				idn += v / (1 + float64(k)/c.ng)
				if k > 0 {
					iv += v / float64(k*k)
				}
			}
			got := []float64{glcmDifferenceAverage(c), glcmDifferenceVariance(c), glcmID(c), glcmIDM(c), glcmIDMN(c), glcmIDN(c), glcmInverseVariance(c)}
			if want := []float64{da, dv, id, idm, idmn, idn, iv}; !sameBits(got, want) {
				t.Errorf("%d levels: DA, DV, ID, IDM, IDMN, IDN, IV %v, own loops %v", nl, got, want)
			}
		}
	}
}

// TestCountEntropyOwnLoop: countCoef.entropy, with the terms of small
// whole counts found once, equals its own loop to the bit on count
// matrices (whole counts below and above the cache, weighted ones, zeros)
// after each set.
func TestCountEntropyOwnLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	rows, cols := make([]float64, 13), make([]float64, 9)
	for k := range rows {
		rows[k] = float64(k + 1)
	}
	for k := range cols {
		cols[k] = float64(k + 1)
	}
	c := newCountCoef(rows, cols)
	for trial := range 20 {
		p := make([]float64, len(rows)*len(cols))
		for k := range p {
			switch r.IntN(4) {
			case 0:
				p[k] = float64(r.IntN(8))
			case 1:
				p[k] = float64(r.IntN(200))
			case 2:
				if trial%2 == 1 {
					p[k] = r.Float64() * 70
				}
			}
		}
		p[0]++
		c.set(p)
		want := 0.0
		for _, v := range p {
			if v != 0 {
				q := v / c.n
				want -= q * log2(q+eps)
			}
		}
		if got := c.entropy(); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("trial %d: entropy %v, own loop %v", trial, got, want)
		}
	}
}
