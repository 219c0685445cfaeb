package featuremap

import "slices"

// runCounter keeps the GLRLM of one worker's kernel: per direction, the
// runs P(i, j) (rank of level i, length j) as a sparse counter.
//
// Runs are not additive over the kernel's voxels — a run crossing the
// plane that leaves the kernel is shortened, not removed — except along
// the directions that stay in a plane x = const (dx = 0: 4 of the 13 in
// 3D, 1 of 4 with force2D along z): there every run lies in one plane, so
// a kernel's runs are the sum of its planes' and slide with the kernel
// (the leaving plane's runs removed, the entering plane's added). The
// directions with dx ≠ 0 are recounted from the box at every voxel.
// Counts are integers and the features are computed from the sorted
// cells, so slid and recounted windows give the same bits.
type runCounter struct {
	p      *prepared
	dirs   [][3]int // distance-1 directions (texture's half of each ± pair)
	cols   int      // run lengths 0..cols-1 per level
	runs   []counter
	two    []int32 // slid directions: planes holding a line with two kernel voxels
	slides []bool  // direction with dx = 0
	slider

	cs    countScratch
	means [16]meanAcc
	at    runIndex
	lvOf  []float64
}

// runIndex is the place of each GLRLM feature in the registry.
type runIndex struct {
	gln, glnn, glv, hglre, lre, lrhgle, lrlgle, lglre, re, rln, rlnn, rp, rv, sre, srhgle, srlgle int
}

var runAt = func() runIndex {
	at := registryIndex("glrlm")
	return runIndex{
		at("GrayLevelNonUniformity"), at("GrayLevelNonUniformityNormalized"), at("GrayLevelVariance"),
		at("HighGrayLevelRunEmphasis"), at("LongRunEmphasis"), at("LongRunHighGrayLevelEmphasis"),
		at("LongRunLowGrayLevelEmphasis"), at("LowGrayLevelRunEmphasis"), at("RunEntropy"),
		at("RunLengthNonUniformity"), at("RunLengthNonUniformityNormalized"), at("RunPercentage"),
		at("RunVariance"), at("ShortRunEmphasis"), at("ShortRunHighGrayLevelEmphasis"), at("ShortRunLowGrayLevelEmphasis"),
	}
}()

// runsSlidable reports whether GLRLM maps are computed by runCounter:
// per-direction matrices (no weightingNorm merge) and counters that fit.
func (p *prepared) runsSlidable() bool {
	return p.s.WeightingNorm == "" && 13*p.nlev*(2*p.r+2) <= maxSliderCells
}

func newRunCounter(p *prepared) *runCounter {
	q := *p
	q.s.Distances = []int{1}
	q.s.WeightingNorm = ""
	rc := &runCounter{p: p, dirs: q.directions(), cols: 2*p.r + 2, at: runAt}
	rc.runs = make([]counter, len(rc.dirs))
	rc.two = make([]int32, len(rc.dirs))
	rc.slides = make([]bool, len(rc.dirs))
	for d, a := range rc.dirs {
		rc.runs[d] = newCounter(p.nlev * rc.cols)
		rc.slides[d] = a[0] == 0
	}
	rc.lvOf = rankLevels(p)
	return rc
}

// moveTo makes the counters those of window w: the dx = 0 directions slid
// (or rebuilt plane by plane), the others recounted from the box.
func (rc *runCounter) moveTo(w window) {
	rc.slider.moveTo(w, rc.p.s.noSlide, rc.plane, func() {
		for d := range rc.runs {
			if rc.slides[d] {
				rc.runs[d].reset()
				rc.two[d] = 0
			}
		}
	})
	for d, a := range rc.dirs {
		if !rc.slides[d] {
			rc.runs[d].reset()
			rc.two[d] = 0
			if rc.count(d, a, w, 1) {
				rc.two[d] = 1
			}
		}
	}
}

// plane adds (+1) or removes (−1) plane x's runs along the dx = 0
// directions (w's rows, y and z, bound them).
func (rc *runCounter) plane(x int, w window, delta int32) {
	pw := window{x, x, w.y0, w.y1, w.z0, w.z1}
	for d, a := range rc.dirs {
		if rc.slides[d] && rc.count(d, a, pw, delta) {
			rc.two[d] += delta
		}
	}
}

// count adds delta × the runs along a of the kernel voxels in box w to
// direction d, and reports whether a line along a through w holds two
// kernel voxels (pyradiomics keeps a direction only then).
func (rc *runCounter) count(d int, a [3]int, w window, delta int32) bool {
	p := rc.p
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	step := a[0] + n0*a[1] + n01*a[2]
	in := func(x, y, z int) bool {
		return x >= w.x0 && x <= w.x1 && y >= w.y0 && y <= w.y1 && z >= w.z0 && z <= w.z1
	}
	lv, rank := p.lv, p.rank
	c := &rc.runs[d]
	cols := int32(rc.cols)
	two := false
	for z := w.z0; z <= w.z1; z++ {
		for y := w.y0; y <= w.y1; y++ {
			for x := w.x0; x <= w.x1; x++ {
				u := x + n0*y + n01*z
				l := lv[u]
				if l == 0 {
					continue
				}
				if in(x-a[0], y-a[1], z-a[2]) && lv[u-step] == l {
					continue // not the first voxel of its run
				}
				n := 1
				xx, yy, zz, q := x+a[0], y+a[1], z+a[2], u+step
				for ; in(xx, yy, zz) && lv[q] == l; xx, yy, zz, q = xx+a[0], yy+a[1], zz+a[2], q+step {
					n++
				}
				c.add(rank[l]*cols+int32(n), delta)
				if n > 1 {
					two = true
				}
				if !two { // a kernel voxel further along the line, after a gap
					for ; in(xx, yy, zz); xx, yy, zz, q = xx+a[0], yy+a[1], zz+a[2], q+step {
						if lv[q] > 0 {
							two = true
							break
						}
					}
				}
			}
		}
	}
	return two
}

// features writes the 16 GLRLM features of the current window into dst
// (registry order): per direction that keeps its runs (one with a line of
// two kernel voxels), then numpy.nanmean over those; NaN without any.
func (rc *runCounter) features(dst []float64) {
	for i := range rc.means {
		rc.means[i] = meanAcc{}
	}
	ix := &rc.at
	for d := range rc.runs {
		c := &rc.runs[d]
		if rc.two[d] == 0 || len(c.nz) == 0 {
			continue
		}
		st := rc.cs.stats(c, int32(rc.cols), rc.lvOf)
		n := st.n
		m := &rc.means
		m[ix.gln].add(st.gln / n)
		m[ix.glnn].add(st.gln / (n * n))
		m[ix.glv].add(st.glv)
		m[ix.hglre].add(st.hi / n)
		m[ix.lre].add(st.large / n)
		m[ix.lrhgle].add(st.largeHi / n)
		m[ix.lrlgle].add(st.largeLo / n)
		m[ix.lglre].add(st.lo / n)
		m[ix.re].add(st.entropy)
		m[ix.rln].add(st.cln / n)
		m[ix.rlnn].add(st.cln / (n * n))
		m[ix.rp].add(n / st.np)
		m[ix.rv].add(st.cv)
		m[ix.sre].add(st.small / n)
		m[ix.srhgle].add(st.smallHi / n)
		m[ix.srlgle].add(st.smallLo / n)
	}
	for i := range dst[:16] {
		dst[i] = rc.means[i].value()
	}
}

// countStats are the sums the features of a count matrix P(i, j) — GLRLM
// (j: run length), GLSZM (zone size), GLDM (dependence + 1) — are made
// of, with N = Σ P (runs, zones or voxels):
type countStats struct {
	n, np    float64 // N; Σ_j j Σ_i P(i,j)
	gln, cln float64 // Σ_i (Σ_j P)²; Σ_j (Σ_i P)²
	glv, cv  float64 // variances of i and of j under P/N
	hi, lo   float64 // Σ P i²; Σ P / i²
	large    float64 // Σ P j²
	small    float64 // Σ P / j²
	largeHi  float64 // Σ P i² j²
	largeLo  float64 // Σ P j² / i²
	smallHi  float64 // Σ P i² / j²
	smallLo  float64 // Σ P / (i² j²)
	entropy  float64 // −Σ (P/N) log2(P/N + ε)
}

// countScratch is one worker's scratch for countStats.
type countScratch struct {
	ent     []int32
	pg      []float64 // row sums, per rank
	pgTouch []int32
	pc      []float64 // column sums
}

// stats computes the sums of counter c, whose cells are rank·cols + j,
// with lvOf the level of each rank; cells in sorted order, so the sums do
// not depend on how the counter was filled.
func (cs *countScratch) stats(c *counter, cols int32, lvOf []float64) countStats {
	if len(cs.pg) < len(lvOf) {
		cs.pg = make([]float64, len(lvOf))
	}
	if len(cs.pc) < int(cols) {
		cs.pc = make([]float64, cols)
	}
	pc := cs.pc[:cols]
	clear(pc)
	cs.ent = append(cs.ent[:0], c.nz...)
	slices.Sort(cs.ent)
	cs.pgTouch = cs.pgTouch[:0]
	var st countStats
	for _, id := range cs.ent {
		v := float64(c.cnt[id])
		r, j := id/cols, float64(id%cols)
		if cs.pg[r] == 0 {
			cs.pgTouch = append(cs.pgTouch, r)
		}
		cs.pg[r] += v
		pc[id%cols] += v
		st.n += v
		i := lvOf[r]
		i2, j2 := i*i, j*j
		st.largeHi += v * i2 * j2
		st.largeLo += v * j2 / i2
		st.smallHi += v * i2 / j2
		st.smallLo += v / (i2 * j2)
	}
	n := st.n
	for _, id := range cs.ent {
		q := float64(c.cnt[id]) / n
		st.entropy -= q * lg2(q+eps)
	}
	var mui float64
	for _, r := range cs.pgTouch {
		v, i := cs.pg[r], lvOf[r]
		st.gln += v * v
		st.hi += v * i * i
		st.lo += v / (i * i)
		mui += v / n * i
	}
	for _, r := range cs.pgTouch {
		d := lvOf[r] - mui
		st.glv += cs.pg[r] / n * d * d
		cs.pg[r] = 0
	}
	var muj float64
	for k, v := range pc {
		if v == 0 {
			continue
		}
		j := float64(k)
		st.cln += v * v
		st.large += v * j * j
		st.small += v / (j * j)
		muj += v / n * j
		st.np += v * j
	}
	for k, v := range pc {
		if v != 0 {
			d := float64(k) - muj
			st.cv += v / n * d * d
		}
	}
	return st
}
