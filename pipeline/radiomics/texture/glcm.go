package texture

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// GLCMMatrix returns the grey level co-occurrence matrices: for each
// direction a (13 in 3D at distance 1, 4 with Force2D), P(i,j|a) counts the
// ROI voxel pairs (v, v+a) with levels i and j; both voxels must be in the
// ROI. Unless Options.Asymmetric, P is made symmetric (P + Pᵀ, counting each
// pair in both orders). With Options.Weighting the directions are summed
// with their weights into one matrix; otherwise directions without any pair
// are removed. Each remaining matrix is normalised to sum 1 (IBSI 3.6).
func GLCMMatrix(im *Image, o Options) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glcmMatrix(pr, &o)
}

func glcmMatrix(pr *prepared, o *Options) (*Matrix, error) {
	return glcmMatrixInto(pr, o, nil)
}

// glcmMatrixInto is glcmMatrix, with the default path's matrices in
// bufs.flat (grown as needed) when bufs is not nil: glcmValues reuses it
// (glcmBufPool). From the fused pass's counts it also writes the matrices
// four directions to a group, lane by lane, to bufs.p4 (glcmCoefs4's
// layout) and counts their non-zero entries in bufs.nnz; bufs.p4 is empty
// otherwise.
func glcmMatrixInto(pr *prepared, o *Options, bufs *glcmBufs) (*Matrix, error) {
	as, offs, err := pr.offsets(pr.ds, false)
	if err != nil {
		return nil, err
	}
	w, err := o.weights(as, true)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	nn := nl * nl
	if nn*len(as) > maxMatrixElements {
		return nil, fmt.Errorf("texture: %d grey levels × %d directions make a GLCM too large; use fewer grey levels", nl, len(as))
	}
	cnt, err := pr.scanned(famGLCM)
	if err != nil {
		return nil, err
	}
	if bufs != nil {
		bufs.p4, bufs.nnz, bufs.dnnz = bufs.p4[:0], 0, bufs.dnnz[:0]
	}
	if cnt != nil && cnt.glcm != nil && !o.Asymmetric && w == nil {
		if bufs == nil {
			return glcmFromCounts(cnt.glcm, g.levels, as, make([]float64, len(as)*nn), nil), nil
		}
		if cap(bufs.flat) < len(as)*nn {
			bufs.flat = make([]float64, len(as)*nn)
		}
		n4 := (len(as) + 3) / 4 * nn
		if cap(bufs.p4) < n4 {
			bufs.p4 = make([][4]float64, n4)
		}
		bufs.p4 = bufs.p4[:n4]
		m := glcmFromCounts(cnt.glcm, g.levels, as, bufs.flat[:len(as)*nn], bufs)
		bufs.p4 = bufs.p4[:(len(m.P)+3)/4*nn]
		return m, nil
	}
	flat := make([]float64, len(as)*nn)
	if cnt != nil && cnt.glcm != nil {
		for k, v := range cnt.glcm {
			flat[k] = float64(v)
		}
	} else {
		lvl := g.lvl
		for _, v := range g.vox {
			row := int(lvl[v]) * nl
			for k, off := range offs {
				if j := lvl[int(v)+off]; j >= 0 {
					flat[k*nn+row+int(j)]++
				}
			}
		}
	}
	m := &Matrix{Levels: g.levels, Cols: g.levels, NCols: nl, Angles: as, P: make([][]float64, len(as))}
	for k := range as {
		p := flat[k*nn : (k+1)*nn]
		if !o.Asymmetric {
			for i := range nl {
				for j := i; j < nl; j++ {
					s := p[i*nl+j] + p[j*nl+i]
					p[i*nl+j], p[j*nl+i] = s, s
				}
			}
		}
		m.P[k] = p
	}
	if w != nil {
		mergeAngles(m, w)
	} else {
		dropEmptyAngles(m)
	}
	for _, p := range m.P {
		total := 0.0
		for _, v := range p {
			total += v
		}
		if total == 0 {
			total = math.NaN() // no pair at all: every feature is NaN
		}
		for k := range p {
			p[k] /= total
		}
	}
	return m, nil
}

// glcmFromCounts is glcmMatrix's default path (symmetric, features per
// direction) from the fused pass's integer counts, in one pass per
// direction: p(i,j) = (c(i,j) + c(j,i)) / T with T the direction's total of
// symmetrised pairs. The sums are whole numbers (below 2⁵³), so each value
// is bit for bit the one of the general path, which converts, symmetrises,
// sums and divides in floating point. Directions without a pair are dropped
// when there is more than one (dropEmptyAngles); a lone empty one is NaN.
// With bufs, direction d is also written to lane d%4 of group d/4 of
// bufs.p4 (the lanes past the last direction zero), and the non-zero
// entries are counted in bufs.nnz.
func glcmFromCounts(c []uint32, levels []float64, as [][3]int, flat []float64, bufs *glcmBufs) *Matrix {
	nl := len(levels)
	nn := nl * nl
	m := &Matrix{Levels: levels, Cols: levels, NCols: nl}
	for k := range as {
		ck := c[k*nn : (k+1)*nn]
		var t uint64
		for _, v := range ck {
			t += uint64(v)
		}
		if t == 0 && len(as) > 1 {
			continue
		}
		total := float64(2 * t)
		if t == 0 {
			total = math.NaN()
		}
		// p(i,j) = p(j,i): each computed once, for j ≥ i.
		d := len(m.P)
		p := flat[d*nn : (d+1)*nn]
		if bufs == nil {
			for i := range nl {
				row, col := ck[i*nl:(i+1)*nl], ck[i:]
				for j := i; j < nl; j++ {
					v := float64(uint64(row[j])+uint64(col[j*nl])) / total
					p[i*nl+j], p[j*nl+i] = v, v
				}
			}
		} else {
			q, l, nz := bufs.p4[d/4*nn:(d/4+1)*nn], d%4, 0
			for i := range nl {
				row, col := ck[i*nl:(i+1)*nl], ck[i:]
				for j := i; j < nl; j++ {
					v := float64(uint64(row[j])+uint64(col[j*nl])) / total
					p[i*nl+j], p[j*nl+i] = v, v
					q[i*nl+j][l], q[j*nl+i][l] = v, v
					nz += b2i(v != 0) << b2i(j > i)
				}
			}
			bufs.nnz += nz
			bufs.dnnz = append(bufs.dnnz, nz)
		}
		m.P = append(m.P, p)
		m.Angles = append(m.Angles, as[k])
	}
	if d := len(m.P); bufs != nil && d%4 != 0 {
		for x := range bufs.p4[d/4*nn : (d/4+1)*nn] {
			for l := d % 4; l < 4; l++ {
				bufs.p4[d/4*nn+x][l] = 0
			}
		}
	}
	return m
}

// GLCM computes the 24 default GLCM features of pyradiomics in Registry
// order. Each feature is computed on every direction's matrix and the
// values are averaged (IBSI "3D averaged", ITBB); directions where a
// feature is NaN are left out of its mean, as numpy.nanmean does. With
// Options.Weighting the features come from the one merged matrix (IBSI
// "3D merged", IAZD, for "no_weighting").
//
// Special cases: a ROI whose voxels have no neighbour in the ROI along any
// direction has no co-occurrence and every feature is NaN (pyradiomics gives
// NaN too); a flat ROI (one grey level) gives the values documented on each
// feature (Correlation 1, Imc1 0, Imc2 0, MCC 1, Idmn 1, …).
func GLCM(im *Image, o Options) ([]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glcmValues(pr, &o)
}

func glcmValues(pr *prepared, o *Options) ([]feature.Value, error) {
	bufs := glcmBufPool.Get().(*glcmBufs)
	defer glcmBufPool.Put(bufs)
	m, err := glcmMatrixInto(pr, o, bufs)
	if err != nil {
		return nil, err
	}
	fs := glcmFeatures()
	nl, nd := len(m.Levels), len(m.P)
	// The features of each direction, on up to pr.workers goroutines (each
	// with its own coefficients), then averaged in direction order: the
	// same values for any number of workers.
	per := make([]float64, nd*len(fs))
	// From the fused pass's counts, where the matrices are not sparse,
	// four directions at a time (glcmCoefs4: their coefficients, then
	// their MCC), else one by one, the MCC of a symmetric GLCM four
	// directions at a time first. Either gives the same values to the bit.
	lanes := useAVX2 && len(bufs.p4) > 0 && nl >= 2 && !math.IsNaN(m.P[0][0])
	var mccs []float64
	switch {
	case lanes:
		mccs = make([]float64, nd)
		bufs.levels.reset(m.Levels)
	case !o.Asymmetric:
		mccs = mccDirections(m.P, nl, pr.workers, &bufs.mcc)
	}
	unit := 1
	if lanes {
		unit = 4
	}
	nunits := (nd + unit - 1) / unit
	var next atomic.Int64
	nw := max(1, min(pr.workers, nunits))
	for len(bufs.coefs) < nw {
		bufs.coefs = append(bufs.coefs, nil)
		bufs.lanes = append(bufs.lanes, new(glcmLanes))
	}
	for len(bufs.mcc.w) < nw {
		bufs.mcc.w = append(bufs.mcc.w, new(mccWork))
	}
	ng := maxLevel(m.Levels)
	parallel(nw, func(w int) {
		bufs.mcc.w[w].pend.reset()
		c := bufs.coefs[w]
		if c == nil || c.nl != nl || c.ng != float64(ng) {
			c = newGLCMCoef(m.Levels, ng)
			bufs.coefs[w] = c
		}
		c.lv = m.Levels
		c.knownSymmetric = !o.Asymmetric
		feats := func(a int) {
			for k, f := range fs {
				if mccs != nil && f.def.Name == "MCC" {
					continue // below, once every MCC is known
				}
				per[a*len(fs)+k] = f.fn(c)
			}
		}
		for {
			u := int(next.Add(1) - 1)
			if u >= nunits {
				return
			}
			if !lanes {
				c.set(m.P[u])
				feats(u)
				continue
			}
			nn := nl * nl
			L := bufs.lanes[w]
			L.grow(nl, ng)
			p4 := bufs.p4[u*nn : (u+1)*nn]
			nz := 0
			for a := 4 * u; a < min(4*u+4, nd); a++ {
				nz += bufs.dnnz[a]
			}
			L.runsOf(p4, nl, float64(nz) < glcmSparseGroup*float64(min(4, nd-4*u)*nn))
			glcmCoefs4(p4, &bufs.levels, L.start, L.runs, L)
			bufs.mcc.w[w].group(m.P, 4*u, nl, L.px, mccs)
			for a := 4 * u; a < min(4*u+4, nd); a++ {
				c.setLane(m.P[a], L, a-4*u)
				feats(a)
			}
		}
	})
	if lanes {
		bufs.mcc.finish(nw, mccs)
	}
	for k, f := range fs {
		if mccs != nil && f.def.Name == "MCC" {
			for a := range nd {
				per[a*len(fs)+k] = mccs[a]
			}
		}
	}
	means := make([]nanMean, len(fs))
	for a := range m.P {
		for k := range fs {
			means[k].add(per[a*len(fs)+k])
		}
	}
	v := make([]float64, len(fs))
	for k := range means {
		v[k] = means[k].value()
	}
	if len(m.Levels) < 2 {
		for k, f := range fs {
			if f.def.Name == "MCC" {
				v[k] = 1 // pyradiomics returns 1 for a flat region, even without pairs
			}
		}
	}
	return values(glcmDefs(), v), nil
}

// glcmSparseGroup is the share of non-zero entries in a group's GLCMs
// below which glcmCoefs4 visits only the runs of entries where some
// direction of the group has a pair (glcmLanes.runsOf), instead of every
// entry.
const glcmSparseGroup = 0.5

// glcmBufs are glcmValues' buffers, kept between calls (glcmBufPool): the
// matrices (and their four-lane copy, with the count of non-zero
// entries), the MCC's work space, each worker's coefficients and lanes,
// and the level tables.
type glcmBufs struct {
	flat   []float64
	p4     [][4]float64
	nnz    int
	dnnz   []int // each direction's non-zero entries
	mcc    mccBufs
	coefs  []*glcmCoef
	lanes  []*glcmLanes
	levels glcmLevels
}

var glcmBufPool = sync.Pool{New: func() any { return new(glcmBufs) }}

func maxLevel(levels []float64) int { return int(levels[len(levels)-1]) }

type glcmFeature struct {
	def feature.Def
	fn  func(*glcmCoef) float64
}

// glcmFeatures lists the GLCM features in pyradiomics' order (the byte
// order of the method names).
func glcmFeatures() []glcmFeature {
	d := func(name, ibsi, summary string) feature.Def {
		return feature.Def{Class: "glcm", Name: name, IBSI: ibsi, Summary: summary}
	}
	return []glcmFeature{
		{d("Autocorrelation", "QWB0", "Σ p(i,j) i j"), glcmAutocorrelation},
		{d("ClusterProminence", "AE86", "Σ (i+j-μx-μy)⁴ p(i,j)"), glcmClusterProminence},
		{d("ClusterShade", "7NFM", "Σ (i+j-μx-μy)³ p(i,j)"), glcmClusterShade},
		{d("ClusterTendency", "DG8W", "Σ (i+j-μx-μy)² p(i,j)"), glcmClusterTendency},
		{d("Contrast", "ACUI", "Σ (i-j)² p(i,j)"), glcmContrast},
		{d("Correlation", "NI2N", "(Σ p(i,j) i j - μx μy) / (σx σy)"), glcmCorrelation},
		{d("DifferenceAverage", "TF7R", "Σ k p_{x-y}(k)"), glcmDifferenceAverage},
		{d("DifferenceEntropy", "NTRS", "-Σ p_{x-y}(k) log2 p_{x-y}(k)"), glcmDifferenceEntropy},
		{d("DifferenceVariance", "D3YU", "Σ (k-DA)² p_{x-y}(k)"), glcmDifferenceVariance},
		{d("Id", "IB1Z", "Σ p_{x-y}(k)/(1+k)"), glcmID},
		{d("Idm", "WF0Z", "Σ p_{x-y}(k)/(1+k²)"), glcmIDM},
		{d("Idmn", "1QCO", "Σ p_{x-y}(k)/(1+k²/Ng²)"), glcmIDMN},
		{d("Idn", "NDRX", "Σ p_{x-y}(k)/(1+k/Ng)"), glcmIDN},
		{d("Imc1", "R8DG", "(HXY-HXY1)/max(HX,HY)"), glcmImc1},
		{d("Imc2", "JN9H", "√(1-exp(-2(HXY2-HXY)))"), glcmImc2},
		{d("InverseVariance", "E8JP", "Σ_{k≥1} p_{x-y}(k)/k²"), glcmInverseVariance},
		{d("JointAverage", "60VM", "μx = Σ p(i,j) i"), glcmJointAverage},
		{d("JointEnergy", "8ZQL", "Σ p(i,j)²"), glcmJointEnergy},
		{d("JointEntropy", "TU9B", "-Σ p(i,j) log2 p(i,j)"), glcmJointEntropy},
		{d("MCC", "", "√(second largest eigenvalue of Q)"), glcmMCC},
		{d("MaximumProbability", "GYBY", "max p(i,j)"), glcmMaximumProbability},
		{d("SumAverage", "ZGXS", "Σ k p_{x+y}(k)"), glcmSumAverage},
		{d("SumEntropy", "P6QZ", "-Σ p_{x+y}(k) log2 p_{x+y}(k)"), glcmSumEntropy},
		{d("SumSquares", "UR99", "Σ (i-μx)² p(i,j)"), glcmSumSquares},
	}
}

func glcmDefs() []feature.Def {
	fs := glcmFeatures()
	defs := make([]feature.Def, len(fs))
	for i, f := range fs {
		defs[i] = f.def
	}
	return defs
}

// glcmCoef holds one direction's normalised matrix p and the quantities
// the features share (pyradiomics' "coefficients").
type glcmCoef struct {
	nl        int
	lv        []float64 // level value of each row/column
	ng        float64   // largest level Ng
	p         []float64 // nl×nl, sums to 1
	px, py    []float64 // marginal row and column probabilities
	ux, uy    float64   // μx = Σ p i, μy = Σ p j
	sum       []float64 // p_{x+y}(k) at k-2, k = 2..2Ng
	diff      []float64 // p_{x-y}(k), k = 0..Ng-1
	hxy       float64   // HXY = -Σ p log2(p+ε)
	hx, hy    float64   // entropies of px and py
	hxy1      float64   // HXY1 = -Σ p(i,j) log2(px(i)py(j)+ε)
	hxy2      float64   // HXY2 = -Σ px(i)py(j) log2(px(i)py(j)+ε)
	symmetric bool      // p = pᵀ
	// knownSymmetric says every p given to set is symmetric to the bit
	// (the GLCM without Options.Asymmetric), so set need not test it.
	knownSymmetric bool

	// the non-zero entries of p, row-major: p(nzI[k], nzJ[k]) = nzV[k]
	nzI, nzJ []int32
	nzV      []float64

	// MCC work space
	s, a, d, e, e2, tau []float64
	occ                 []int32

	// the sums over the non-zero entries, and those over p_{x-y},
	// computed on first use after set
	mom  glcmMoments
	dsum glcmDiffSums
	den  glcmDenominators
}

// glcmMoments are the features that are sums (or the maximum) over the
// non-zero entries of p, found in one pass instead of one per feature:
// every sum is added up in the same order, so each is the one its own loop
// would give, to the bit.
type glcmMoments struct {
	done                         bool
	auto, contrast, energy, maxP float64
	cluster2, cluster3, cluster4 float64 // Σ (i+j-μx-μy)ⁿ p(i,j)
	sx, sy, cov                  float64 // Σ p (i-μx)², (j-μy)², (i-μx)(j-μy)
}

// moments returns c's glcmMoments, computing them on the first call after
// set.
func (c *glcmCoef) moments() *glcmMoments {
	m := &c.mom
	if m.done {
		return m
	}
	*m = glcmMoments{done: true}
	ux, uy := c.ux, c.uy
	nzJ := c.nzJ[:len(c.nzV)]
	nzI := c.nzI[:len(c.nzV)]
	for k, v := range c.nzV {
		li, lj := c.lv[nzI[k]], c.lv[nzJ[k]]
		m.auto += v * li * lj
		d := li - lj
		m.contrast += v * d * d
		m.energy += v * v
		m.maxP = max(m.maxP, v)
		e := li + lj - ux - uy
		t := e * e
		m.cluster2 += v * t
		m.cluster3 += v * (t * e)
		m.cluster4 += v * (t * t)
		di, dj := li-ux, lj-uy
		m.sx += v * di * di
		m.sy += v * dj * dj
		m.cov += v * di * dj
	}
	return m
}

func newGLCMCoef(lv []float64, ng int) *glcmCoef {
	nl := len(lv)
	return &glcmCoef{
		nl: nl, lv: lv, ng: float64(ng),
		px: make([]float64, nl), py: make([]float64, nl),
		sum: make([]float64, 2*ng-1), diff: make([]float64, ng),
		s: make([]float64, nl*nl), a: make([]float64, nl*nl),
		d: make([]float64, nl), e: make([]float64, nl), e2: make([]float64, nl), tau: make([]float64, nl),
		den: newGLCMDenominators(float64(ng), ng),
	}
}

func (c *glcmCoef) set(p []float64) {
	c.p = p
	c.mom.done, c.dsum.done = false, false
	clear(c.px)
	clear(c.py)
	clear(c.sum)
	clear(c.diff)
	c.ux, c.uy, c.hxy = 0, 0, 0
	nl, lv := c.nl, c.lv
	// Every entry is added to the sums in row-major order, as numpy sums
	// them; the entries are ≥ +0, so a zero changes no sum, and the
	// loop has no branch on the data (sparse matrices would mispredict
	// it): each entry is written to the non-zero list, whose length grows
	// only past a non-zero one.
	need := nl * nl
	if cap(c.nzV) < need {
		c.nzI, c.nzJ, c.nzV = make([]int32, need), make([]int32, need), make([]float64, need)
	}
	nzI, nzJ, nzV := c.nzI[:need], c.nzJ[:need], c.nzV[:need]
	n, asym := 0, 0
	px, py, diff := c.px[:nl], c.py[:nl], c.diff
	// For p known to be pᵀ to the bit, the column sums py are the row sums
	// px (the same terms in the same order) and the test is not needed.
	known := c.knownSymmetric && !math.IsNaN(p[0])
	for i := range nl {
		row := p[i*nl : (i+1)*nl]
		li := int(lv[i])
		sum := c.sum[li-1:] // p_{x+y}(li+lj) at li+lj-2
		s := 0.0
		for j, v := range row {
			nzI[n], nzJ[n], nzV[n] = int32(i), int32(j), v
			n += b2i(v != 0)
			if !known {
				asym |= b2i(v != p[j*nl+i])
				py[j] += v
			}
			s += v
			lj := int(lv[j])
			sum[lj-1] += v
			diff[absInt(li-lj)] += v
		}
		px[i] = s
	}
	if known {
		copy(py, px)
	}
	c.nzI, c.nzJ, c.nzV = nzI[:n], nzJ[:n], nzV[:n]
	c.symmetric = asym == 0
	for k, v := range c.nzV {
		c.ux += v * lv[c.nzI[k]]
		c.uy += v * lv[c.nzJ[k]]
	}
	c.hx = entropy(c.px)
	c.hy = c.hx
	if !c.symmetric {
		c.hy = entropy(c.py)
	}
	// The entropies need one logarithm per entry; for a symmetric p (the
	// default) the terms (i,j) and (j,i) are equal and are computed once.
	c.hxy, c.hxy1, c.hxy2 = 0, 0, 0
	for k, v := range c.nzV {
		i, j := c.nzI[k], c.nzJ[k]
		w := 1.0
		if c.symmetric {
			if j < i {
				continue
			}
			if j > i {
				w = 2
			}
		}
		c.hxy -= w * v * log2(v+eps)
		c.hxy1 -= w * v * log2(c.px[i]*c.py[j]+eps)
	}
	// HXY2 = -Σ_i Σ_j px(i)py(j) log2(px(i)py(j)+ε) splits, without the
	// ε, into -Σ_i px(i) log2 px(i) · Σ_j py(j) - Σ_i px(i) · Σ_j py(j)
	// log2 py(j): 2 nl logarithms instead of nl². The ε adds
	// q log2(1+ε/q) ≈ ε/ln 2 to each of the nx·ny terms q = px(i)py(j) > 0
	// (q ≥ 1e-12 ≫ ε here), which is added back; what remains is rounding,
	// harmless unless HXY2 − HXY is small, where Imc2 =
	// √(1 − exp(−2(HXY2 − HXY))) magnifies it (and a flat or independent p
	// gives exactly 0 or NaN): there the sum is done term by term, as
	// pyradiomics does.
	var sx, sy, lx, ly float64
	nx, ny := 0, 0
	for i := range nl {
		if v := c.px[i]; v > 0 {
			sx += v
			lx += v * log2(v)
			nx++
		}
	}
	if c.symmetric {
		sy, ly, ny = sx, lx, nx // px = py
	} else {
		for i := range nl {
			if v := c.py[i]; v > 0 {
				sy += v
				ly += v * log2(v)
				ny++
			}
		}
	}
	c.setHXY2(sx, lx, nx, sy, ly, ny)
}

// setHXY2 sets HXY2 from Σ px, Σ px log2 px and the number of px > 0 (sx,
// lx, nx) and the same of py, once HXY is known (set).
func (c *glcmCoef) setHXY2(sx, lx float64, nx int, sy, ly float64, ny int) {
	c.hxy2 = -(lx*sy + sx*ly) - float64(nx*ny)*(eps/math.Ln2)
	if !(c.hxy2-c.hxy > hxy2Exact) {
		c.hxy2 = c.hxy2Terms()
	}
}

// glcmLevels are the per-level tables of glcmCoefs4, made once per call:
// each level as an int and broadcast to four lanes.
type glcmLevels struct {
	li  []int
	lv4 [][4]float64
}

func (lt *glcmLevels) reset(lv []float64) {
	lt.li, lt.lv4 = lt.li[:0], lt.lv4[:0]
	for _, v := range lv {
		lt.li = append(lt.li, int(v))
		lt.lv4 = append(lt.lv4, [4]float64{v, v, v, v})
	}
}

// glcmLanes are glcmCoefs4's results, lane L for direction L of the
// group: what glcmCoef.set and glcmCoef.moments find for a symmetric p,
// and the sums HXY2 is made of (sx, lx and the count nx of px > 0).
type glcmLanes struct {
	start, runs                              []int32 // glcmCoefs4's runs of entries (runsOf)
	px, sum, diff                            [][4]float64
	ux, uy, hx, hxy, hxy1, sx, lx, nx        [4]float64
	auto, contrast, energy, maxP, c2, c3, c4 [4]float64
	msx, msy, cov                            [4]float64
}

// grow sizes the lanes for nl levels, the largest Ng.
func (L *glcmLanes) grow(nl, ng int) {
	if cap(L.px) < nl {
		L.px = make([][4]float64, nl)
	}
	if cap(L.sum) < 2*ng-1 {
		L.sum, L.diff = make([][4]float64, 2*ng-1), make([][4]float64, ng)
	}
	L.px, L.sum, L.diff = L.px[:nl], L.sum[:2*ng-1], L.diff[:ng]
}

// runsOf sets L.start and L.runs to the entries of the group p4 (nl × nl)
// that glcmCoefs4 visits: row i's runs are L.runs[2r] (first column) to
// L.runs[2r+1] (past the last) for r from L.start[i] to L.start[i+1]. With
// sparse, the runs of entries where some lane is not zero (the others add
// ±0 to every sum, which leaves it as it is); else every entry, one run a
// row.
func (L *glcmLanes) runsOf(p4 [][4]float64, nl int, sparse bool) {
	L.start, L.runs = L.start[:0], L.runs[:0]
	for i := range nl {
		L.start = append(L.start, int32(len(L.runs)/2))
		if !sparse {
			L.runs = append(L.runs, 0, int32(nl))
			continue
		}
		row := p4[i*nl : (i+1)*nl]
		for j := 0; j < nl; j++ {
			if row[j] == [4]float64{} {
				continue
			}
			j0 := j
			for j < nl && row[j] != [4]float64{} {
				j++
			}
			L.runs = append(L.runs, int32(j0), int32(j))
		}
	}
	L.start = append(L.start, int32(len(L.runs)/2))
}

// setLane sets c to lane l of glcmCoefs4's results for p (symmetric, no
// NaN): the coefficients and moments set and moments would find.
func (c *glcmCoef) setLane(p []float64, L *glcmLanes, l int) {
	c.p = p
	c.dsum.done = false
	c.symmetric = true
	for i := range c.px {
		c.px[i] = L.px[i][l]
	}
	copy(c.py, c.px)
	for k := range c.sum {
		c.sum[k] = L.sum[k][l]
	}
	for k := range c.diff {
		c.diff[k] = L.diff[k][l]
	}
	c.nzI, c.nzJ, c.nzV = c.nzI[:0], c.nzJ[:0], c.nzV[:0]
	c.ux, c.uy = L.ux[l], L.uy[l]
	c.hx, c.hy = L.hx[l], L.hx[l]
	c.hxy, c.hxy1 = L.hxy[l], L.hxy1[l]
	nx := int(L.nx[l])
	c.setHXY2(L.sx[l], L.lx[l], nx, L.sx[l], L.lx[l], nx)
	c.mom = glcmMoments{
		done: true, auto: L.auto[l], contrast: L.contrast[l], energy: L.energy[l], maxP: L.maxP[l],
		cluster2: L.c2[l], cluster3: L.c3[l], cluster4: L.c4[l], sx: L.msx[l], sy: L.msy[l], cov: L.cov[l],
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func absInt(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

// hxy2Exact is the HXY2 − HXY below which HXY2 is summed term by term
// (glcmCoef.set): with an error of about 1e-15 in the split sum, Imc2 is
// then still within 1e-13 relative.
const hxy2Exact = 0.01

// hxy2Terms is HXY2 = -Σ_i Σ_j px(i)py(j) log2(px(i)py(j)+ε), one term at a
// time (for a symmetric p, the equal terms (i,j) and (j,i) once, doubled).
func (c *glcmCoef) hxy2Terms() float64 {
	h := 0.0
	nl := c.nl
	for i := range nl {
		if c.px[i] == 0 {
			continue
		}
		j0 := 0
		if c.symmetric {
			j0 = i
		}
		for j := j0; j < nl; j++ {
			if q := c.px[i] * c.py[j]; q != 0 {
				t := q * log2(q+eps)
				if c.symmetric && j > i {
					t *= 2
				}
				h -= t
			}
		}
	}
	return h
}

// glcmAutocorrelation is IBSI autocorrelation (QWB0):
//
//	Σ_i Σ_j p(i,j) i j
func glcmAutocorrelation(c *glcmCoef) float64 { return c.moments().auto }

// glcmCluster returns Σ_i Σ_j (i+j-μx-μy)^n p(i,j).
func glcmCluster(c *glcmCoef, n int) float64 {
	m := c.moments()
	switch n {
	case 3:
		return m.cluster3
	case 4:
		return m.cluster4
	}
	return m.cluster2
}

// glcmClusterProminence is IBSI cluster prominence (AE86):
//
//	Σ_i Σ_j (i+j-μx-μy)⁴ p(i,j)
func glcmClusterProminence(c *glcmCoef) float64 { return glcmCluster(c, 4) }

// glcmClusterShade is IBSI cluster shade (7NFM):
//
//	Σ_i Σ_j (i+j-μx-μy)³ p(i,j)
func glcmClusterShade(c *glcmCoef) float64 { return glcmCluster(c, 3) }

// glcmClusterTendency is IBSI cluster tendency (DG8W), equal to sum
// variance:
//
//	Σ_i Σ_j (i+j-μx-μy)² p(i,j)
func glcmClusterTendency(c *glcmCoef) float64 { return glcmCluster(c, 2) }

// glcmContrast is IBSI contrast (ACUI):
//
//	Σ_i Σ_j (i-j)² p(i,j)
func glcmContrast(c *glcmCoef) float64 { return c.moments().contrast }

// glcmCorrelation is IBSI correlation (NI2N):
//
//	Σ_i Σ_j p(i,j)(i-μx)(j-μy) / (σx σy + ε)
//
// with σx² = Σ p(i,j)(i-μx)², σy² = Σ p(i,j)(j-μy)². Special case: when
// σx σy = 0 (one grey level along the direction) the value is 1, as in
// pyradiomics.
func glcmCorrelation(c *glcmCoef) float64 {
	m := c.moments()
	sx, sy, cov := m.sx, m.sy, m.cov
	den := math.Sqrt(sx) * math.Sqrt(sy)
	if den == 0 {
		return 1
	}
	return cov / (den + eps)
}

// glcmDifferenceAverage is IBSI difference average (TF7R):
//
//	DA = Σ_{k=0}^{Ng-1} k p_{x-y}(k)
func glcmDifferenceAverage(c *glcmCoef) float64 { return c.diffSums().da }

// glcmDifferenceEntropy is IBSI difference entropy (NTRS):
//
//	-Σ_k p_{x-y}(k) log2(p_{x-y}(k) + ε)
func glcmDifferenceEntropy(c *glcmCoef) float64 { return entropy(c.diff) }

// glcmDifferenceVariance is IBSI difference variance (D3YU):
//
//	Σ_k (k-DA)² p_{x-y}(k)
func glcmDifferenceVariance(c *glcmCoef) float64 { return c.diffSums().dv }

// glcmID is IBSI inverse difference (IB1Z):
//
//	Σ_k p_{x-y}(k) / (1+k)
func glcmID(c *glcmCoef) float64 { return c.diffSums().id }

// glcmIDM is IBSI inverse difference moment (WF0Z):
//
//	Σ_k p_{x-y}(k) / (1+k²)
func glcmIDM(c *glcmCoef) float64 { return c.diffSums().idm }

// glcmIDMN is IBSI normalised inverse difference moment (1QCO):
//
//	Σ_k p_{x-y}(k) / (1 + k²/Ng²)
//
// with Ng the largest grey level (pyradiomics' Ng), not the number of
// levels present.
func glcmIDMN(c *glcmCoef) float64 { return c.diffSums().idmn }

// glcmIDN is IBSI normalised inverse difference (NDRX):
//
//	Σ_k p_{x-y}(k) / (1 + k/Ng)
func glcmIDN(c *glcmCoef) float64 { return c.diffSums().idn }

// glcmImc1 is IBSI information correlation 1 (R8DG):
//
//	(HXY - HXY1) / max(HX, HY)
//
// Special case: 0 when HX = HY = 0 (flat region), as in pyradiomics.
func glcmImc1(c *glcmCoef) float64 {
	div := max(c.hx, c.hy)
	if div == 0 {
		return 0
	}
	return (c.hxy - c.hxy1) / div
}

// glcmImc2 is IBSI information correlation 2 (JN9H):
//
//	√(1 - exp(-2 (HXY2 - HXY)))
//
// Special cases (pyradiomics): 0 when HXY2 = HXY; NaN when rounding makes
// HXY > HXY2 (the square root of a negative number), which leaves the
// direction out of the mean as numpy.nanmean does.
func glcmImc2(c *glcmCoef) float64 {
	if c.hxy2 == c.hxy {
		return 0
	}
	return math.Sqrt(1 - math.Exp(-2*(c.hxy2-c.hxy)))
}

// glcmInverseVariance is IBSI inverse variance (E8JP):
//
//	Σ_{k=1}^{Ng-1} p_{x-y}(k) / k²
func glcmInverseVariance(c *glcmCoef) float64 { return c.diffSums().iv }

// glcmDiffSums are the features that are sums over p_{x-y}, found in one
// pass (two for DV, which needs DA) over its non-zero entries (a zero adds
// exactly 0) with the denominators of newGLCMCoef's tables: each sum is
// added up in the same order, of the same terms, as its own loop adds it
// (TestGLCMDiffSumsOwnLoops).
type glcmDiffSums struct {
	done                           bool
	da, dv, id, idm, idmn, idn, iv float64
}

// diffSums returns c's glcmDiffSums, computing them on the first call
// after set.
func (c *glcmCoef) diffSums() *glcmDiffSums {
	m := &c.dsum
	if m.done {
		return m
	}
	*m = glcmDiffSums{done: true}
	t := &c.den
	diff := c.diff[:len(t.k)]
	for k, v := range diff {
		if v == 0 {
			continue
		}
		m.da += t.k[k] * v
		m.id += v / t.id[k]
		m.idm += v / t.idm[k]
		m.idmn += v / t.idmn[k]
		m.idn += v / t.idn[k]
		if k > 0 {
			m.iv += v / t.iv[k]
		}
	}
	for k, v := range diff {
		if v != 0 {
			d := t.k[k] - m.da
			m.dv += v * d * d
		}
	}
	return m
}

// glcmDenominators are the features' denominators of each k in p_{x-y}(k)
// (as the features' formulas round them), made once per glcmCoef.
type glcmDenominators struct {
	k, id, idm, idmn, idn, iv []float64
}

func newGLCMDenominators(ng float64, n int) glcmDenominators {
	t := glcmDenominators{k: make([]float64, n), id: make([]float64, n), idm: make([]float64, n),
		idmn: make([]float64, n), idn: make([]float64, n), iv: make([]float64, n)}
	for k := range n {
		t.k[k] = float64(k)
		t.id[k] = 1 + float64(k)
		t.idm[k] = 1 + float64(k*k)
		t.idmn[k] = 1 + float64(k*k)/(ng*ng)
		t.idn[k] = 1 + float64(k)/ng
		t.iv[k] = float64(k * k)
	}
	return t
}

// glcmJointAverage is IBSI joint average (60VM):
//
//	μx = Σ_i Σ_j p(i,j) i
//
// (equal to μy for the default symmetric GLCM).
func glcmJointAverage(c *glcmCoef) float64 { return c.ux }

// glcmJointEnergy is IBSI angular second moment (8ZQL):
//
//	Σ_i Σ_j p(i,j)²
func glcmJointEnergy(c *glcmCoef) float64 { return c.moments().energy }

// glcmJointEntropy is IBSI joint entropy (TU9B):
//
//	HXY = -Σ_i Σ_j p(i,j) log2(p(i,j) + ε)
func glcmJointEntropy(c *glcmCoef) float64 { return c.hxy }

// glcmMCC is the maximal correlation coefficient (Haralick 1973; not in
// IBSI):
//
//	MCC = √λ₂,  λ₂ the second largest eigenvalue of
//	Q(i,j) = Σ_k p(i,k) p(j,k) / (px(i) py(k))
//
// Q = A Aᵀ D with A(i,k) = p(i,k)/√(px(i)py(k)) is similar to the symmetric
// A Aᵀ; for the default symmetric GLCM A itself is symmetric and
// λ(Q) = λ(A)². Rows and columns with zero marginal are zero in A and add
// only eigenvalues 0, so the matrix is built on the occupied levels only;
// it is reduced to tridiagonal form (Householder, tridiagonalize) and only
// the eigenvalues needed are found by multisection on Sturm counts.
// pyradiomics adds ε to the denominator and uses a general eigen solver,
// which differs by rounding only. Special cases: λ₂ < 0 from rounding
// gives NaN, left out of the mean (pyradiomics: the square root of a
// negative number, also NaN); a flat region (one grey level, one
// eigenvalue) gives 1; one occupied level among several gives 0.
func glcmMCC(c *glcmCoef) float64 {
	n := c.nl
	if n < 2 {
		return 1
	}
	if math.IsNaN(c.p[0]) {
		return math.NaN()
	}
	occ := c.occ[:0]
	for i := range n {
		if c.px[i] > 0 {
			occ = append(occ, int32(i))
		}
	}
	c.occ = occ
	m := len(occ)
	if m < 2 {
		return 0 // eigenvalues 1 (or the one row's) and zeros
	}
	r := c.e2[:n] // 1/√px, then 1/√py
	for _, i := range occ {
		r[i] = 1 / math.Sqrt(c.px[i])
	}
	s := c.s[:m*m]
	if c.symmetric {
		// Q = D⁻¹ P D⁻¹ P with D = diag(px) has the eigenvalues μ² of the
		// symmetric M = D^-½ P D^-½: no product needed. Lower triangle.
		for a, i := range occ {
			row := c.p[int(i)*n:]
			ri := r[i]
			for b, k := range occ[:a+1] {
				s[a*m+b] = row[k] * ri * r[k]
			}
		}
	} else {
		rc := c.tau[:n]
		for k := range n {
			rc[k] = 0
			if c.py[k] > 0 {
				rc[k] = 1 / math.Sqrt(c.py[k])
			}
		}
		for a, i := range occ {
			ai := c.a[a*n : (a+1)*n]
			row := c.p[int(i)*n : (int(i)+1)*n]
			for k, v := range row {
				ai[k] = v * r[i] * rc[k]
			}
		}
		for a := range m {
			ai := c.a[a*n : (a+1)*n]
			for b := range a + 1 {
				bj := c.a[b*n : (b+1)*n]
				v := 0.0
				for k, x := range ai {
					v += x * bj[k]
				}
				s[a*m+b] = v
			}
		}
	}
	d, e2 := c.d[:m], c.e2[:m]
	tridiagonalize(s, m, d, e2, c.e[:m])
	e2 = e2[:m-1]
	if !c.symmetric {
		return math.Sqrt(tridiagEigen(d, e2, m-2)) // NaN when negative
	}
	// λ(Q) = μ², and the largest μ is 1 (M is similar to the stochastic
	// matrix D⁻¹P), so λ₂ is the larger square of the second largest and
	// the smallest μ; the smallest is needed only when some μ lies below
	// minus the second largest.
	hi := tridiagEigen(d, e2, m-2)
	if hi >= 0 && sturmCount(d, e2, -hi) == 0 {
		return math.Sqrt(hi * hi)
	}
	lo := tridiagEigen(d, e2, 0)
	return math.Sqrt(max(hi*hi, lo*lo))
}

// tridiagonalize reduces the symmetric m×m matrix a (lower triangle,
// row-major; overwritten) to tridiagonal form by Householder reflections
// (Numerical Recipes' tred2 without the eigenvectors): on return d holds
// the diagonal and e2[0:m-1] the squared off-diagonal. u (m values) is work
// space.
func tridiagonalize(a []float64, m int, d, e2, u []float64) {
	for i := m - 1; i > 0; i-- {
		l := i - 1
		ai := a[i*m : i*m+i]
		if l == 0 {
			e2[0] = ai[0] * ai[0]
			continue
		}
		scale := 0.0
		for _, v := range ai {
			scale += math.Abs(v)
		}
		if scale == 0 {
			e2[l] = 0
			continue
		}
		h := 0.0
		for k := range ai {
			ai[k] /= scale
			h += ai[k] * ai[k]
		}
		f := ai[l]
		g := math.Sqrt(h)
		if f >= 0 {
			g = -g
		}
		e2[l] = scale * g * scale * g
		h -= f * g
		ai[l] = f - g
		// u = A ai / h (A the leading i×i block, lower triangle), one
		// pass over each row: its dot with ai and its share of the
		// columns above.
		u = u[:i]
		clear(u)
		for j := range i {
			row := a[j*m : j*m+j]
			x := ai[j]
			// two partial dot products, for the adds' latency
			d0, d1 := 0.0, 0.0
			aj, uj := ai[:len(row)], u[:len(row)]
			k := 0
			for ; k+1 < len(row); k += 2 {
				v0, v1 := row[k], row[k+1]
				d0 += v0 * aj[k]
				d1 += v1 * aj[k+1]
				uj[k] += v0 * x
				uj[k+1] += v1 * x
			}
			if k < len(row) {
				d0 += row[k] * aj[k]
				uj[k] += row[k] * x
			}
			u[j] += d0 + d1 + a[j*m+j]*x
		}
		f = 0
		for j := range i {
			u[j] /= h
			f += u[j] * ai[j]
		}
		hh := f / (h + h)
		for j := range i {
			u[j] -= hh * ai[j]
		}
		// A -= ai uᵀ + u aiᵀ
		for j := range i {
			row := a[j*m : j*m+j+1]
			fj, gj := ai[j], u[j]
			for k := range row {
				row[k] -= fj*u[k] + gj*ai[k]
			}
		}
	}
	for i := range m {
		d[i] = a[i*m+i]
	}
}

// sturmCount returns the number of eigenvalues below x of the symmetric
// tridiagonal matrix with diagonal d and squared off-diagonal e2: the
// negative pivots of the LDLᵀ factorisation of T − x I.
func sturmCount(d, e2 []float64, x float64) int {
	const pivmin = 1e-290
	count := 0
	q := d[0] - x
	for i := 0; ; i++ {
		if math.Abs(q) < pivmin {
			q = -pivmin
		}
		if q < 0 {
			count++
		}
		if i == len(d)-1 {
			return count
		}
		q = d[i+1] - x - e2[i]/q
	}
}

// tridiagEigen returns the k-th smallest eigenvalue (k from 0) of the
// symmetric tridiagonal matrix with diagonal d and squared off-diagonal e2,
// to within a few ulps, by multisection on Sturm counts (Wilkinson 1965,
// §5.38; Demmel 1997, §5.3.4): three counts per step, whose recurrences
// are independent and run side by side, quarter the interval.
func tridiagEigen(d, e2 []float64, k int) float64 {
	n := len(d)
	lo, hi := gershgorin(d, e2)
	const pivmin = 1e-290
	for range 120 {
		w := hi - lo
		x1, x2, x3 := lo+w/4, lo+w/2, lo+3*w/4
		if !(lo < x1 && x1 < x2 && x2 < x3 && x3 < hi) || w <= 2*eps*max(math.Abs(lo), math.Abs(hi)) {
			break
		}
		c1, c2, c3 := 0, 0, 0
		q1, q2, q3 := d[0]-x1, d[0]-x2, d[0]-x3
		for i := 0; ; i++ {
			if math.Abs(q1) < pivmin {
				q1 = -pivmin
			}
			if math.Abs(q2) < pivmin {
				q2 = -pivmin
			}
			if math.Abs(q3) < pivmin {
				q3 = -pivmin
			}
			if q1 < 0 {
				c1++
			}
			if q2 < 0 {
				c2++
			}
			if q3 < 0 {
				c3++
			}
			if i == n-1 {
				break
			}
			di, ei := d[i+1], e2[i]
			q1 = di - x1 - ei/q1
			q2 = di - x2 - ei/q2
			q3 = di - x3 - ei/q3
		}
		switch {
		case c1 > k:
			hi = x1
		case c2 > k:
			lo, hi = x1, x2
		case c3 > k:
			lo, hi = x2, x3
		default:
			lo = x3
		}
	}
	return lo + (hi-lo)/2
}

// gershgorin returns an interval holding every eigenvalue of the symmetric
// tridiagonal matrix with diagonal d and squared off-diagonal e2.
func gershgorin(d, e2 []float64) (lo, hi float64) {
	n := len(d)
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range n {
		r := 0.0
		if i > 0 {
			r += math.Sqrt(e2[i-1])
		}
		if i < n-1 {
			r += math.Sqrt(e2[i])
		}
		lo, hi = min(lo, d[i]-r), max(hi, d[i]+r)
	}
	return lo, hi
}

// glcmMaximumProbability is IBSI joint maximum (GYBY):
//
//	max p(i,j)
func glcmMaximumProbability(c *glcmCoef) float64 { return c.moments().maxP }

// glcmSumAverage is IBSI sum average (ZGXS):
//
//	Σ_{k=2}^{2Ng} k p_{x+y}(k)
func glcmSumAverage(c *glcmCoef) float64 {
	s := 0.0
	for k, v := range c.sum {
		s += float64(k+2) * v
	}
	return s
}

// glcmSumEntropy is IBSI sum entropy (P6QZ):
//
//	-Σ_k p_{x+y}(k) log2(p_{x+y}(k) + ε)
func glcmSumEntropy(c *glcmCoef) float64 { return entropy(c.sum) }

// glcmSumSquares is IBSI joint variance (UR99):
//
//	Σ_i Σ_j (i-μx)² p(i,j)
func glcmSumSquares(c *glcmCoef) float64 {
	s := 0.0
	for i := range c.nl {
		d := c.lv[i] - c.ux
		s += c.px[i] * d * d
	}
	return s
}

// entropy is -Σ p log2(p + ε), pyradiomics' entropy with its ε. A zero p
// adds exactly 0 and is skipped (p_{x+y} and p_{x-y} of a small ROI are
// mostly zeros).
func entropy(p []float64) float64 {
	s := 0.0
	for _, v := range p {
		if v != 0 {
			s -= v * log2(v+eps)
		}
	}
	return s
}
