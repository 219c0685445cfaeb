package featuremap

import (
	"math"
	"slices"
)

// nbrSlider keeps, for every voxel of one worker's kernel, its neighbours
// in the kernel (at the distances, 26 at distance 1 in 3D, 8 with force2D):
// how many (NGTDM), the sum of their levels (NGTDM's Ā, an integer) and how
// many are dependent (GLDM: |i − j| ≤ gldm_a), and the GLDM matrix
// P(i, dependence+1) as a sparse counter.
//
// The per-voxel counts are sums over pairs (voxel, neighbour) with both in
// the kernel, so they slide: a leaving plane's voxels drop out (their GLDM
// cell removed) and their neighbours left in the kernel lose one; an
// entering plane's voxels get their counts and their neighbours gain one
// (their GLDM cell moved). The GLDM histogram follows exactly (integers).
// NGTDM's s_i = Σ |i − Ā| is a sum of floats, which a running update would
// round differently from a rebuild; it is summed afresh over the kernel
// (box order, as pyradiomics) from the slid integer counts.
type nbrSlider struct {
	p     *prepared
	offs  [][3]int // both of each ± pair
	lin   []int32  // their crop index offsets
	alpha float64
	gldm  bool
	ngtdm bool
	cols  int32 // GLDM columns: dependence + 1 = 1 … len(offs)+1
	dep   counter
	nDep  []int32 // per crop voxel in the window
	nCnt  []int32
	nSum  []int32
	lvOf  []float64
	slider

	cs      countScratch
	n       []float64 // NGTDM n_i, s_i per rank
	s       []float64
	touched []int32
	gdAt    gldmIndex
}

// gldmIndex is the place of each GLDM feature in the registry.
type gldmIndex struct {
	de, dn, dnn, dv, gln, glv, hgle, lde, ldhgle, ldlgle, lgle, sde, sdhgle, sdlgle int
}

func registryIndex(class string) func(string) int {
	reg := classRegistry(class)
	return func(name string) int {
		for i, d := range reg {
			if d.Name == name {
				return i
			}
		}
		panic("featuremap: no " + class + "_" + name)
	}
}

var gldmAt = func() gldmIndex {
	at := registryIndex("gldm")
	return gldmIndex{
		at("DependenceEntropy"), at("DependenceNonUniformity"), at("DependenceNonUniformityNormalized"),
		at("DependenceVariance"), at("GrayLevelNonUniformity"), at("GrayLevelVariance"),
		at("HighGrayLevelEmphasis"), at("LargeDependenceEmphasis"), at("LargeDependenceHighGrayLevelEmphasis"),
		at("LargeDependenceLowGrayLevelEmphasis"), at("LowGrayLevelEmphasis"), at("SmallDependenceEmphasis"),
		at("SmallDependenceHighGrayLevelEmphasis"), at("SmallDependenceLowGrayLevelEmphasis"),
	}
}()

// neighbourOffsets are the offsets within the distances (both signs),
// none leaving the force2D plane.
func (p *prepared) neighbourOffsets(ds []int) [][3]int {
	q := *p
	q.s.Distances = ds
	q.s.WeightingNorm = ""
	var out [][3]int
	for _, a := range q.directions() {
		out = append(out, a, [3]int{-a[0], -a[1], -a[2]})
	}
	return out
}

func newNbrSlider(p *prepared, gldm, ngtdm bool) *nbrSlider {
	ns := &nbrSlider{p: p, offs: p.neighbourOffsets(p.s.DistanceList()), alpha: p.s.GLDMAlpha, gldm: gldm, ngtdm: ngtdm, gdAt: gldmAt}
	for _, a := range ns.offs {
		ns.lin = append(ns.lin, int32(a[0]+p.n[0]*(a[1]+p.n[1]*a[2])))
	}
	ns.cols = int32(len(ns.offs) + 2)
	nv := len(p.lv)
	ns.nDep, ns.nCnt, ns.nSum = make([]int32, nv), make([]int32, nv), make([]int32, nv)
	if gldm {
		ns.dep = newCounter(p.nlev * int(ns.cols))
	}
	ns.lvOf = rankLevels(p)
	ns.n, ns.s = make([]float64, p.nlev), make([]float64, p.nlev)
	return ns
}

// rankLevels is the level of each rank.
func rankLevels(p *prepared) []float64 {
	out := make([]float64, p.nlev)
	for l, r := range p.rank {
		if r >= 0 {
			out[r] = float64(l)
		}
	}
	return out
}

func (ns *nbrSlider) moveTo(w window) {
	ns.slider.moveTo(w, ns.p.s.noSlide, ns.plane, func() { ns.dep.reset() })
}

// plane adds (+1: w ends with plane x) or removes (−1: w starts with it)
// plane x's voxels and their pairs with the rest of w.
func (ns *nbrSlider) plane(x int, w window, delta int32) {
	p := ns.p
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	lv, rank := p.lv, p.rank
	cols := ns.cols
	in := func(x, y, z int) bool {
		return x >= w.x0 && x <= w.x1 && y >= w.y0 && y <= w.y1 && z >= w.z0 && z <= w.z1
	}
	cell := func(u int32) int32 { return rank[lv[u]]*cols + ns.nDep[u] + 1 }
	// move: neighbour u (outside plane x) gains or loses voxel v.
	move := func(u int32, lvV int32) {
		if ns.gldm && math.Abs(float64(lv[u]-lvV)) <= ns.alpha {
			ns.dep.add(cell(u), -1)
			ns.nDep[u] += delta
			ns.dep.add(cell(u), +1)
		}
		ns.nCnt[u] += delta
		ns.nSum[u] += delta * lvV
	}
	for z := w.z0; z <= w.z1; z++ {
		for y := w.y0; y <= w.y1; y++ {
			v := int32(x + n0*y + n01*z)
			l := lv[v]
			if l == 0 {
				continue
			}
			if delta < 0 && ns.gldm {
				ns.dep.add(cell(v), -1)
			}
			var dep, cnt, sum int32
			for k, a := range ns.offs {
				if !in(x+a[0], y+a[1], z+a[2]) {
					continue
				}
				u := v + ns.lin[k]
				lu := lv[u]
				if lu == 0 {
					continue
				}
				if delta > 0 {
					cnt++
					sum += lu
					if math.Abs(float64(l-lu)) <= ns.alpha {
						dep++
					}
				}
				if a[0] != 0 {
					move(u, l)
				}
			}
			if delta > 0 {
				ns.nDep[v], ns.nCnt[v], ns.nSum[v] = dep, cnt, sum
			}
		}
	}
	if delta > 0 && ns.gldm {
		for z := w.z0; z <= w.z1; z++ {
			for y := w.y0; y <= w.y1; y++ {
				if v := int32(x + n0*y + n01*z); lv[v] > 0 {
					ns.dep.add(cell(v), +1)
				}
			}
		}
	}
}

// gldmFeatures writes the 14 GLDM features of the current window into dst
// (registry order).
func (ns *nbrSlider) gldmFeatures(dst []float64) {
	st := ns.cs.stats(&ns.dep, ns.cols, ns.lvOf)
	n := st.n
	ix := &ns.gdAt
	dst[ix.de] = st.entropy
	dst[ix.dn] = st.cln / n
	dst[ix.dnn] = st.cln / (n * n)
	dst[ix.dv] = st.cv
	dst[ix.gln] = st.gln / n
	dst[ix.glv] = st.glv
	dst[ix.hgle] = st.hi / n
	dst[ix.lde] = st.large / n
	dst[ix.ldhgle] = st.largeHi / n
	dst[ix.ldlgle] = st.largeLo / n
	dst[ix.lgle] = st.lo / n
	dst[ix.sde] = st.small / n
	dst[ix.sdhgle] = st.smallHi / n
	dst[ix.sdlgle] = st.smallLo / n
}

// ngtdmFeatures writes the 5 NGTDM features of the current window into
// dst (registry order: Busyness, Coarseness, Complexity, Contrast,
// Strength). Every kernel voxel counts in n_i; one without a neighbour in
// the kernel adds 0 to s_i (pyradiomics).
func (ns *nbrSlider) ngtdmFeatures(dst []float64) {
	p := ns.p
	w := ns.cur
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	ns.touched = ns.touched[:0]
	nvp := 0.0
	for z := w.z0; z <= w.z1; z++ {
		for y := w.y0; y <= w.y1; y++ {
			for x := w.x0; x <= w.x1; x++ {
				v := x + n0*y + n01*z
				l := p.lv[v]
				if l == 0 {
					continue
				}
				r := p.rank[l]
				if ns.n[r] == 0 {
					ns.touched = append(ns.touched, r)
				}
				ns.n[r]++
				nvp++
				if c := ns.nCnt[v]; c > 0 {
					ns.s[r] += math.Abs(float64(l) - float64(ns.nSum[v])/float64(c))
				}
			}
		}
	}
	slices.Sort(ns.touched)
	var num, den, complexity, contrast, strength, ss float64
	for _, a := range ns.touched {
		pa, sa, ia := ns.n[a]/nvp, ns.s[a], ns.lvOf[a]
		num += pa * sa
		ss += sa
		for _, b := range ns.touched {
			pb, sb, ib := ns.n[b]/nvp, ns.s[b], ns.lvOf[b]
			den += math.Abs(ia*pa - ib*pb)
			complexity += math.Abs(ia-ib) * (pa*sa + pb*sb) / (pa + pb)
			d2 := (ia - ib) * (ia - ib)
			contrast += pa * pb * d2
			strength += (pa + pb) * d2
		}
	}
	for _, r := range ns.touched {
		ns.n[r], ns.s[r] = 0, 0
	}
	busyness := 0.0
	if den != 0 {
		busyness = num / den
	}
	coarseness := 1e6
	if num != 0 {
		coarseness = 1 / num
	}
	if ngp := len(ns.touched); ngp < 2 {
		contrast = 0
	} else {
		contrast = contrast * ss / nvp / float64(ngp*(ngp-1))
	}
	if ss == 0 {
		strength = 0
	} else {
		strength /= ss
	}
	dst[0], dst[1], dst[2], dst[3], dst[4] = busyness, coarseness, complexity/nvp, contrast, strength
}

// zoneCounter finds the GLSZM zones of one worker's kernel: connected
// voxels of one level (26-connected in 3D, 8 in the force2D plane). Zones
// are not additive — a voxel entering the kernel can join two zones, one
// leaving can split one — so they are found afresh in every kernel's box
// (a flood fill over its few voxels, no allocation).
type zoneCounter struct {
	p     *prepared
	offs  [][3]int
	cols  int32 // zone sizes 0 … box voxels
	zones counter
	seen  []bool // per box voxel
	stack []int32
	lvOf  []float64
	cs    countScratch
	at    func(string) int
	idx   [16]int
}

func newZoneCounter(p *prepared) *zoneCounter {
	side := 2*p.r + 1
	box := side * side * side
	zc := &zoneCounter{p: p, offs: p.neighbourOffsets([]int{1}), cols: int32(box + 1), seen: make([]bool, box), lvOf: rankLevels(p)}
	zc.zones = newCounter(p.nlev * int(zc.cols))
	at := registryIndex("glszm")
	for i, name := range []string{
		"GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance", "HighGrayLevelZoneEmphasis",
		"LargeAreaEmphasis", "LargeAreaHighGrayLevelEmphasis", "LargeAreaLowGrayLevelEmphasis", "LowGrayLevelZoneEmphasis",
		"SizeZoneNonUniformity", "SizeZoneNonUniformityNormalized", "SmallAreaEmphasis", "SmallAreaHighGrayLevelEmphasis",
		"SmallAreaLowGrayLevelEmphasis", "ZoneEntropy", "ZonePercentage", "ZoneVariance",
	} {
		zc.idx[i] = at(name)
	}
	return zc
}

// features finds the zones of box w and writes the 16 GLSZM features into
// dst (registry order).
func (zc *zoneCounter) features(w window, dst []float64) {
	p := zc.p
	n0, n01 := p.n[0], p.n[0]*p.n[1]
	bx, by := w.x1-w.x0+1, w.y1-w.y0+1
	nb := bx * by * (w.z1 - w.z0 + 1)
	seen := zc.seen[:nb]
	clear(seen)
	zc.zones.reset()
	for b := range nb {
		x, y, z := w.x0+b%bx, w.y0+b/bx%by, w.z0+b/(bx*by)
		v := x + n0*y + n01*z
		l := p.lv[v]
		if l == 0 || seen[b] {
			continue
		}
		seen[b] = true
		zc.stack = append(zc.stack[:0], int32(b))
		size := int32(0)
		for len(zc.stack) > 0 {
			c := int(zc.stack[len(zc.stack)-1])
			zc.stack = zc.stack[:len(zc.stack)-1]
			size++
			cx, cy, cz := c%bx, c/bx%by, c/(bx*by)
			for _, a := range zc.offs {
				ux, uy, uz := cx+a[0], cy+a[1], cz+a[2]
				if ux < 0 || uy < 0 || uz < 0 || ux >= bx || uy >= by || w.z0+uz > w.z1 {
					continue
				}
				u := ux + bx*(uy+by*uz)
				if !seen[u] && p.lv[w.x0+ux+n0*(w.y0+uy)+n01*(w.z0+uz)] == l {
					seen[u] = true
					zc.stack = append(zc.stack, int32(u))
				}
			}
		}
		zc.zones.add(p.rank[l]*zc.cols+size, 1)
	}
	st := zc.cs.stats(&zc.zones, zc.cols, zc.lvOf)
	n := st.n
	for i, v := range [16]float64{
		st.gln / n, st.gln / (n * n), st.glv, st.hi / n,
		st.large / n, st.largeHi / n, st.largeLo / n, st.lo / n,
		st.cln / n, st.cln / (n * n), st.small / n, st.smallHi / n,
		st.smallLo / n, st.entropy, n / st.np, st.cv,
	} {
		dst[zc.idx[i]] = v
	}
}
