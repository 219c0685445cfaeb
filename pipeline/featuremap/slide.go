package featuremap

import (
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/radiomics/texture"
)

// window is a kernel box in crop voxels: x from x0 to x1, y from y0 to y1,
// z from z0 to z1, all inclusive.
type window struct{ x0, x1, y0, y1, z0, z1 int }

func (k *kernel) window() window {
	return window{k.lo[0], k.lo[0] + k.n[0] - 1, k.lo[1], k.lo[1] + k.n[1] - 1, k.lo[2], k.lo[2] + k.n[2] - 1}
}

// slides reports whether w follows v along x: same rows, and x moved
// forward without leaving a gap (w.x0 ≤ v.x1+1), so that w is reached from
// v by dropping the planes v.x0 … w.x0−1 and adding v.x1+1 … w.x1.
func (v window) slides(w window) bool {
	return v.y0 == w.y0 && v.y1 == w.y1 && v.z0 == w.z0 && v.z1 == w.z1 &&
		w.x0 >= v.x0 && w.x1 >= v.x1 && w.x0 <= v.x1+1
}

// counter is a sparse multiset of small integer cells: the count of every
// cell and the list of cells whose count is not zero, kept as counts are
// added and removed (O(1) each).
type counter struct {
	cnt []int32
	at  []int32 // position in nz + 1, 0 when the count is 0
	nz  []int32
}

func newCounter(cells int) counter {
	return counter{cnt: make([]int32, cells), at: make([]int32, cells)}
}

func (c *counter) add(id int32, delta int32) {
	old := c.cnt[id]
	c.cnt[id] = old + delta
	switch {
	case old == 0:
		c.nz = append(c.nz, id)
		c.at[id] = int32(len(c.nz))
	case old+delta == 0:
		i := c.at[id] - 1
		last := c.nz[len(c.nz)-1]
		c.nz[i] = last
		c.at[last] = i + 1
		c.nz = c.nz[:len(c.nz)-1]
		c.at[id] = 0
	}
}

func (c *counter) reset() {
	for _, id := range c.nz {
		c.cnt[id], c.at[id] = 0, 0
	}
	c.nz = c.nz[:0]
}

// glcmSlider keeps the GLCM pair counts of one worker's kernel, one sparse
// counter per direction over cells (rank i, rank j) of the ROI's grey
// levels, and the kernel's level histogram (for MCC's levels). As the
// kernel moves along x the pairs with a voxel in a leaving plane are
// removed and those with a voxel in an entering plane added; counts are
// integers, so a slid window holds exactly the counts a rebuilt one would,
// and the features (computed from the counts in sorted cell order) are the
// same to the bit however the window was reached.
type glcmSlider struct {
	p      *prepared
	dirs   [][3]int // offsets (dx, dy, dz), texture's half of each ±pair
	sym    bool
	nlev   int
	pairs  []counter // per direction
	levels counter   // voxels per rank in the window
	slider

	// feature scratch
	ent            []int32 // sorted cells of one direction
	px, py         []float64
	pxTouched      []int32
	sum, diff      []float64
	sumK, diffK    []int32
	means          [24]meanAcc
	denseP         [][]float64 // asymmetric MCC: kernel-level matrices
	kl             []float64   // kernel levels (values), MCC
	klRank         []int32
	rankToKernel   []int32
	glcmIdx        glcmIndex
	roiLevelValues []float64 // rank → level value

	// the logarithms only the entropy features need: HXY (JointEntropy,
	// Imc1, Imc2), HXY1, HX and HY (Imc1), HXY2 (Imc2), the entropies of
	// p_{x+y} and p_{x−y}; the values computed are the same either way
	needHXY, needImc1, needImc2, needEnt bool

	keep, parent     []int32 // MCC (mccSym) scratch
	mccS, mccD, mccE []float64
}

// meanAcc is numpy.nanmean over directions.
type meanAcc struct {
	s float64
	n int
}

func (m *meanAcc) add(v float64) {
	if !math.IsNaN(v) {
		m.s += v
		m.n++
	}
}

func (m *meanAcc) value() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.s / float64(m.n)
}

// glcmIndex holds the place of each GLCM feature in the registry.
type glcmIndex struct {
	autocorrelation, clusterProminence, clusterShade, clusterTendency, contrast, correlation,
	differenceAverage, differenceEntropy, differenceVariance, id, idm, idmn, idn, imc1, imc2,
	inverseVariance, jointAverage, jointEnergy, jointEntropy, mcc, maximumProbability,
	sumAverage, sumEntropy, sumSquares int
}

var glcmAt = func() glcmIndex {
	at := registryIndex("glcm")
	return glcmIndex{
		at("Autocorrelation"), at("ClusterProminence"), at("ClusterShade"), at("ClusterTendency"), at("Contrast"), at("Correlation"),
		at("DifferenceAverage"), at("DifferenceEntropy"), at("DifferenceVariance"), at("Id"), at("Idm"), at("Idmn"), at("Idn"), at("Imc1"), at("Imc2"),
		at("InverseVariance"), at("JointAverage"), at("JointEnergy"), at("JointEntropy"), at("MCC"), at("MaximumProbability"),
		at("SumAverage"), at("SumEntropy"), at("SumSquares"),
	}
}()

// maxSliderCells bounds each of one worker's sparse counters (cells of
// GLCM: directions × levels², GLRLM, GLSZM, GLDM); a family whose counter
// would be larger is computed by package texture from each box instead.
// A variable so that a test can send every family there.
var maxSliderCells = 4 << 20

// slidable reports whether the GLCM maps of p are computed by glcmSlider:
// per-direction matrices (no weightingNorm merge) and counters that fit.
func (p *prepared) slidable() bool {
	return p.s.WeightingNorm == "" && len(p.directions())*p.nlev*p.nlev <= maxSliderCells
}

// zonesSlidable and neighboursSlidable: GLSZM and GLDM/NGTDM by
// zoneCounter and nbrSlider (counters that fit).
func (p *prepared) zonesSlidable() bool {
	side := 2*p.r + 1
	return p.nlev*(side*side*side+1) <= maxSliderCells
}

func (p *prepared) neighboursSlidable() bool {
	return p.nlev*(len(p.neighbourOffsets(p.s.DistanceList()))+2) <= maxSliderCells
}

// counterBytes bounds one worker's texture counters: the cells of the
// families computed here (8 bytes each; GLCM, GLRLM, GLSZM, GLDM) and,
// for GLDM/NGTDM, three int32 neighbour counts per crop voxel.
func (p *prepared) counterBytes() float64 {
	side := 2*p.r + 1
	nl := float64(p.nlev)
	var cells, perVoxel float64
	if p.slidable() {
		cells += float64(len(p.directions())) * nl * nl
	}
	if p.runsSlidable() {
		cells += 13 * nl * float64(side+1)
	}
	if p.zonesSlidable() {
		cells += nl * float64(side*side*side+1)
	}
	if p.neighboursSlidable() {
		cells += nl * float64(len(p.neighbourOffsets(p.s.DistanceList()))+2)
		perVoxel = 12 * float64(len(p.lv))
	}
	return 8*cells + perVoxel
}

// newGLCMSlider: want flags the 24 GLCM features (nil: all).
func newGLCMSlider(p *prepared, want []bool) *glcmSlider {
	g := &glcmSlider{p: p, dirs: p.directions(), sym: !p.s.AsymmetricalGLCM, nlev: p.nlev, glcmIdx: glcmAt}
	w := func(i int) bool { return want == nil || want[i] }
	ix := &g.glcmIdx
	g.needImc1, g.needImc2 = w(ix.imc1), w(ix.imc2)
	g.needHXY = w(ix.jointEntropy) || g.needImc1 || g.needImc2
	g.needEnt = w(ix.sumEntropy) || w(ix.differenceEntropy)
	cells := p.nlev * p.nlev
	g.pairs = make([]counter, len(g.dirs))
	for d := range g.pairs {
		g.pairs[d] = newCounter(cells)
	}
	g.levels = newCounter(p.nlev)
	g.px, g.py = make([]float64, p.nlev), make([]float64, p.nlev)
	g.sum, g.diff = make([]float64, 2*p.ng+1), make([]float64, p.ng+1)
	g.roiLevelValues = rankLevels(p)
	g.rankToKernel = make([]int32, p.nlev)
	return g
}

// moveTo makes the counters those of window w: slid from the current
// window when w follows it along x, rebuilt otherwise.
func (g *glcmSlider) moveTo(w window) {
	g.slider.moveTo(w, g.p.s.noSlide, g.plane, func() {
		for d := range g.pairs {
			g.pairs[d].reset()
		}
		g.levels.reset()
	})
}

// slider is the window bookkeeping shared by the sliding kernels.
type slider struct {
	cur   window
	valid bool

	rebuilt, slid int // windows built from scratch, and slid
}

// moveTo moves the window to w. When w follows the current window along x
// (and rebuild is false) the leaving planes are removed (plane(x, v, −1),
// v the window still holding x and the planes after it) and the entering
// ones added (plane(x, v, +1), v holding x and the planes before it);
// otherwise reset empties the counts and every plane of w is added.
func (s *slider) moveTo(w window, rebuild bool, plane func(x int, v window, delta int32), reset func()) {
	if s.valid && !rebuild && s.cur.slides(w) {
		s.slid++
		v := s.cur
		for x := v.x0; x < w.x0; x++ {
			plane(x, window{x, v.x1, w.y0, w.y1, w.z0, w.z1}, -1)
		}
		for x := v.x1 + 1; x <= w.x1; x++ {
			plane(x, window{w.x0, x, w.y0, w.y1, w.z0, w.z1}, +1)
		}
	} else {
		s.rebuilt++
		reset()
		for x := w.x0; x <= w.x1; x++ {
			plane(x, window{w.x0, x, w.y0, w.y1, w.z0, w.z1}, +1)
		}
	}
	s.cur, s.valid = w, true
}

// plane adds (delta +1) or removes (−1) the contributions of plane x to
// window w, which holds it and, for a removal, the planes after it, for an
// addition the planes before it: its voxels' levels and every pair with a
// voxel in the plane and both voxels in w.
func (g *glcmSlider) plane(x int, w window, delta int32) {
	p := g.p
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	lv, rank := p.lv, p.rank
	nl := int32(g.nlev)
	in := func(x, y, z int) bool {
		return x >= w.x0 && x <= w.x1 && y >= w.y0 && y <= w.y1 && z >= w.z0 && z <= w.z1
	}
	pair := func(d int, a, b int32) {
		ra, rb := rank[lv[a]], rank[lv[b]]
		g.pairs[d].add(ra*nl+rb, delta)
		if g.sym {
			g.pairs[d].add(rb*nl+ra, delta)
		}
	}
	for z := w.z0; z <= w.z1; z++ {
		for y := w.y0; y <= w.y1; y++ {
			u := int32(x + n0*y + n01*z)
			if lv[u] == 0 {
				continue
			}
			g.levels.add(rank[lv[u]], delta)
			for d, a := range g.dirs {
				if in(x+a[0], y+a[1], z+a[2]) {
					if v := u + int32(a[0]+n0*a[1]+n01*a[2]); lv[v] > 0 {
						pair(d, u, v)
					}
				}
				// the pair whose second voxel is u; when its first voxel
				// is in the plane too, the forward check above counts it.
				if a[0] != 0 && in(x-a[0], y-a[1], z-a[2]) {
					if v := u - int32(a[0]+n0*a[1]+n01*a[2]); lv[v] > 0 {
						pair(d, v, u)
					}
				}
			}
		}
	}
}

// features writes the 24 GLCM features of the current window into dst
// (registry order): each direction with a pair gives one value per
// feature, averaged over directions as numpy.nanmean (pyradiomics'
// default, no weightingNorm); no direction with a pair leaves NaN. MCC is
// left to the caller (k.mcc on m, which features fills when mcc is true).
func (g *glcmSlider) features(dst []float64, mcc bool, m *texture.Matrix) {
	ix := &g.glcmIdx
	for i := range g.means {
		g.means[i] = meanAcc{}
	}
	ng := float64(g.p.ng)
	lvOf := g.roiLevelValues
	nl := int32(g.nlev)
	if mcc {
		g.kernelLevels()
		m.Levels, m.P, m.Angles = g.kl, m.P[:0], m.Angles[:0]
	}
	for d := range g.pairs {
		c := &g.pairs[d]
		if len(c.nz) == 0 {
			continue
		}
		g.ent = append(g.ent[:0], c.nz...)
		slices.Sort(g.ent)
		total := 0.0
		for _, id := range g.ent {
			total += float64(c.cnt[id])
		}
		var ux, uy, autoc, contrast, energy, maxp, hxy float64
		g.pxTouched = g.pxTouched[:0]
		g.sumK, g.diffK = g.sumK[:0], g.diffK[:0]
		for _, id := range g.ent {
			v := float64(c.cnt[id]) / total
			ri, rj := id/nl, id%nl
			li, lj := lvOf[ri], lvOf[rj]
			if g.px[ri] == 0 && g.py[ri] == 0 {
				g.pxTouched = append(g.pxTouched, ri)
			}
			g.px[ri] += v
			if g.px[rj] == 0 && g.py[rj] == 0 {
				g.pxTouched = append(g.pxTouched, rj)
			}
			g.py[rj] += v
			ux += v * li
			uy += v * lj
			s := int(li + lj)
			if g.sum[s] == 0 {
				g.sumK = append(g.sumK, int32(s))
			}
			g.sum[s] += v
			dk := int(math.Abs(li - lj))
			if g.diff[dk] == 0 {
				g.diffK = append(g.diffK, int32(dk))
			}
			g.diff[dk] += v
			autoc += v * li * lj
			dd := li - lj
			contrast += v * dd * dd
			energy += v * v
			maxp = max(maxp, v)
			if g.needHXY && (!g.sym || rj >= ri) {
				w := 1.0
				if g.sym && rj > ri {
					w = 2
				}
				hxy -= w * v * lg2(v+eps)
			}
		}
		// g.pxTouched is in the order of the sorted cells: the same for
		// every way the counts were reached.
		var ct, cs, cp, sx, sy, cov, hxy1 float64
		for _, id := range g.ent {
			v := float64(c.cnt[id]) / total
			ri, rj := id/nl, id%nl
			li, lj := lvOf[ri], lvOf[rj]
			t := li + lj - ux - uy
			t2 := t * t
			ct += v * t2
			cs += v * t2 * t
			cp += v * t2 * t2
			di, dj := li-ux, lj-uy
			sx += v * di * di
			sy += v * dj * dj
			cov += v * di * dj
			if g.needImc1 && (!g.sym || rj >= ri) {
				w := 1.0
				if g.sym && rj > ri {
					w = 2
				}
				hxy1 -= w * v * lg2(g.px[ri]*g.py[rj]+eps)
			}
		}
		var hx, hy, hxy2, sumSq float64
		for a, ri := range g.pxTouched {
			if pi := g.px[ri]; pi > 0 {
				d := lvOf[ri] - ux
				sumSq += pi * d * d
				if g.needImc1 {
					hx -= pi * lg2(pi+eps)
				}
				if g.needImc2 {
					b0 := 0
					if g.sym {
						b0 = a
					}
					for _, rj := range g.pxTouched[b0:] {
						if q := pi * g.py[rj]; q != 0 {
							t := q * lg2(q+eps)
							if g.sym && rj != ri {
								t *= 2
							}
							hxy2 -= t
						}
					}
				}
			}
			if qj := g.py[ri]; qj > 0 && g.needImc1 {
				hy -= qj * lg2(qj+eps)
			}
		}
		var sumAvg, sumEnt float64
		for _, s := range g.sumK {
			v := g.sum[s]
			sumAvg += float64(s) * v
			if g.needEnt {
				sumEnt -= v * lg2(v+eps)
			}
			g.sum[s] = 0
		}
		var da, de, id, idm, idmn, idn, iv float64
		for _, k := range g.diffK {
			v, fk := g.diff[k], float64(k)
			da += fk * v
			if g.needEnt {
				de -= v * lg2(v+eps)
			}
			id += v / (1 + fk)
			idm += v / (1 + fk*fk)
			idmn += v / (1 + fk*fk/(ng*ng))
			idn += v / (1 + fk/ng)
			if k > 0 {
				iv += v / (fk * fk)
			}
		}
		var dv float64
		for _, k := range g.diffK {
			d := float64(k) - da
			dv += g.diff[k] * d * d
			g.diff[k] = 0
		}
		corr := 1.0
		if den := math.Sqrt(sx) * math.Sqrt(sy); den != 0 {
			corr = cov / (den + eps)
		}
		imc1 := 0.0
		if div := max(hx, hy); div != 0 {
			imc1 = (hxy - hxy1) / div
		}
		imc2 := 0.0
		if hxy2 != hxy {
			imc2 = math.Sqrt(1 - math.Exp(-2*(hxy2-hxy)))
		}
		if mcc && g.sym {
			g.means[ix.mcc].add(g.mccSym(total, c))
		} else if mcc {
			g.denseMatrix(c, total, m)
		}
		for _, ri := range g.pxTouched {
			g.px[ri], g.py[ri] = 0, 0
		}
		mm := &g.means
		mm[ix.autocorrelation].add(autoc)
		mm[ix.clusterProminence].add(cp)
		mm[ix.clusterShade].add(cs)
		mm[ix.clusterTendency].add(ct)
		mm[ix.contrast].add(contrast)
		mm[ix.correlation].add(corr)
		mm[ix.differenceAverage].add(da)
		mm[ix.differenceEntropy].add(de)
		mm[ix.differenceVariance].add(dv)
		mm[ix.id].add(id)
		mm[ix.idm].add(idm)
		mm[ix.idmn].add(idmn)
		mm[ix.idn].add(idn)
		mm[ix.imc1].add(imc1)
		mm[ix.imc2].add(imc2)
		mm[ix.inverseVariance].add(iv)
		mm[ix.jointAverage].add(ux)
		mm[ix.jointEnergy].add(energy)
		mm[ix.jointEntropy].add(hxy)
		mm[ix.maximumProbability].add(maxp)
		mm[ix.sumAverage].add(sumAvg)
		mm[ix.sumEntropy].add(sumEnt)
		mm[ix.sumSquares].add(sumSq)
	}
	for i := range dst[:24] {
		dst[i] = g.means[i].value()
	}
	if !mcc || !g.sym {
		dst[ix.mcc] = math.NaN()
	}
}

// mccSym is k.mcc's value for one direction of a symmetric GLCM, from the
// sorted cells (g.ent, counts in c) and the marginals g.px instead of the
// dense kernel matrix: the same sums in the same order, so the same bits.
// The levels linked by a pair form blocks, each with eigenvalue 1: two
// blocks give MCC 1. Otherwise the levels with a pair carry the non-zero
// eigenvalues of M = D^-½ P D^-½ (λ(Q) = μ²).
func (g *glcmSlider) mccSym(total float64, c *counter) float64 {
	n := len(g.levels.nz) // the kernel's levels
	switch {
	case n < 2 && g.nlev < 2:
		return 1
	case n < 2:
		return 0
	}
	nl := int32(g.nlev)
	g.keep = append(g.keep[:0], g.pxTouched...)
	slices.Sort(g.keep)
	for a, r := range g.keep {
		g.rankToKernel[r] = int32(a)
		g.parent = append(g.parent[:a], int32(a))
	}
	find := func(i int32) int32 {
		for g.parent[i] != i {
			g.parent[i] = g.parent[g.parent[i]]
			i = g.parent[i]
		}
		return i
	}
	for _, id := range g.ent {
		if ri, rj := id/nl, id%nl; ri < rj {
			if a, b := find(g.rankToKernel[ri]), find(g.rankToKernel[rj]); a != b {
				g.parent[a] = b
			}
		}
	}
	m := len(g.keep)
	root := find(0)
	for a := 1; a < m; a++ {
		if find(int32(a)) != root {
			return 1
		}
	}
	if m < 2 {
		return 0
	}
	if cap(g.mccS) < m*m {
		g.mccS = make([]float64, m*m)
		g.mccD, g.mccE = make([]float64, m), make([]float64, m)
	}
	sm := g.mccS[:m*m]
	clear(sm)
	for _, id := range g.ent {
		ri, rj := id/nl, id%nl
		if ri > rj {
			continue
		}
		v := float64(c.cnt[id]) / total / math.Sqrt(g.px[ri]*g.px[rj])
		a, b := g.rankToKernel[ri], g.rankToKernel[rj]
		sm[int(a)*m+int(b)], sm[int(b)*m+int(a)] = v, v
	}
	d, e := g.mccD[:m], g.mccE[:m]
	if !symEigenvalues(sm, m, d, e) {
		return math.NaN()
	}
	slices.Sort(d)
	return math.Sqrt(max(d[m-2]*d[m-2], d[0]*d[0]))
}

// kernelLevels sets g.kl to the kernel's grey levels (ascending), the rows
// and columns of package texture's kernel matrix, and g.rankToKernel.
func (g *glcmSlider) kernelLevels() {
	g.klRank = append(g.klRank[:0], g.levels.nz...)
	slices.Sort(g.klRank)
	g.kl = g.kl[:0]
	for k, r := range g.klRank {
		g.kl = append(g.kl, g.roiLevelValues[r])
		g.rankToKernel[r] = int32(k)
	}
}

// denseMatrix appends direction c's normalised matrix over the kernel's
// levels to m (for MCC).
func (g *glcmSlider) denseMatrix(c *counter, total float64, m *texture.Matrix) {
	n := len(g.kl)
	d := len(m.P)
	if len(g.denseP) <= d {
		g.denseP = append(g.denseP, nil)
	}
	buf := g.denseP[d]
	if cap(buf) < n*n {
		buf = make([]float64, n*n)
	}
	buf = buf[:n*n]
	clear(buf)
	nl := int32(g.nlev)
	for _, id := range g.ent {
		i, j := g.rankToKernel[id/nl], g.rankToKernel[id%nl]
		buf[int(i)*n+int(j)] = float64(c.cnt[id]) / total
	}
	g.denseP[d] = buf
	m.P = append(m.P, buf)
}

// fits reports whether, for each of the kernel's own texture counters, a
// direction fits in its box (package texture refuses a box where none
// does).
func (k *kernel) fits() bool {
	fit := func(dirs [][3]int) bool {
		for _, a := range dirs {
			if abs(a[0]) < k.n[0] && abs(a[1]) < k.n[1] && abs(a[2]) < k.n[2] {
				return true
			}
		}
		return false
	}
	return (k.gl == nil || fit(k.gl.dirs)) && (k.rc == nil || fit(k.rc.dirs)) &&
		(k.zc == nil || fit(k.zc.offs)) && (k.ns == nil || fit(k.ns.offs))
}

// lg2 is log2 as numpy computes it near 1 (math.Log2 loses the last bits
// there: log2(1+ε) is 3.33e-16 instead of 3.20e-16, and the entropy of a
// one-entry p_{x−y} is −log2(1+ε)).
func lg2(x float64) float64 { return math.Log(x) / math.Ln2 }
