package texture

import (
	"fmt"
	"sync"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// GLRLMMatrix returns the grey level run length matrices: for each of the 13
// directions (4 with Force2D; distance 1 always), P(i,j|a) counts the runs
// of j consecutive ROI voxels with level i along a. A voxel outside the ROI
// ends a run. As in pyradiomics, a direction along which no line through
// the bounding box holds more than one ROI voxel is emptied (a 2D ROI has no
// runs across slices), empty directions are removed (or, with
// Options.Weighting, directions are summed with weights ‖a‖ in mm), and
// run lengths absent from every direction are removed.
func GLRLMMatrix(im *Image, o Options) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glrlmMatrix(pr, &o)
}

func glrlmMatrix(pr *prepared, o *Options) (*Matrix, error) { return glrlmMatrixInto(pr, o, nil) }

// glrlmMatrixInto is glrlmMatrix, with the matrices from the fused pass's
// counts in *buf (grown as needed) when buf is not nil: glrlmValues reuses
// it (glrlmBufPool).
func glrlmMatrixInto(pr *prepared, o *Options, buf *[]float64) (*Matrix, error) {
	as, offs, err := pr.offsets([]int{1}, false)
	if err != nil {
		return nil, err
	}
	w, err := o.weights(as, false)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	nc := max(g.dims[0], g.dims[1], g.dims[2])
	if nl*nc*len(as) > maxMatrixElements {
		return nil, fmt.Errorf("texture: %d grey levels × %d run lengths × %d directions make a GLRLM too large; use fewer grey levels", nl, nc, len(as))
	}
	cnt, err := pr.scanned(famGLRLM)
	if err != nil {
		return nil, err
	}
	if cnt == nil || cnt.glrl == nil {
		cnt = nil
	}
	if cnt != nil && w == nil {
		return glrlmFromCounts(cnt, g, as, nc, buf), nil
	}
	cc := nc // the fused pass's columns
	if cnt != nil {
		// Only the run lengths up to the longest run counted: the columns
		// beyond are empty in every direction, and removed below anyway.
		longest := 1
		for r := 0; r < len(cnt.glrl); r += nc {
			for j := nc - 1; j >= longest; j-- {
				if cnt.glrl[r+j] != 0 {
					longest = j + 1
					break
				}
			}
		}
		nc = longest
	}
	m := &Matrix{Levels: g.levels, NCols: nc, Angles: as, P: make([][]float64, len(as))}
	m.Cols = make([]float64, nc)
	for k := range m.Cols {
		m.Cols[k] = float64(k + 1)
	}
	flat := make([]float64, len(as)*nl*nc)
	lvl := g.lvl
	for k, a := range as {
		p := flat[k*nl*nc : (k+1)*nl*nc]
		off := offs[k]
		multi := false
		if cnt != nil {
			for i := range nl {
				row := cnt.glrl[(k*nl+i)*cc:]
				for j := range nc {
					p[i*nc+j] = float64(row[j])
				}
			}
			multi = cnt.multi[k]
		} else {
			for _, v := range g.vox {
				l := lvl[v]
				if lvl[int(v)-off] == l {
					continue // not the first voxel of its run
				}
				n := 1
				for q := int(v) + off; lvl[q] == l; q += off {
					n++
				}
				p[int(l)*nc+n-1]++
				multi = multi || n > 1
			}
		}
		if !multi && !g.lineHasTwo(a) {
			clear(p) // pyradiomics: "segmentation is 2D for this angle"
		}
		m.P[k] = p
	}
	if w != nil {
		mergeAngles(m, w)
	} else {
		dropEmptyAngles(m)
	}
	dropEmptyCols(m)
	return m, nil
}

// glrlmFromCounts is glrlmMatrix's path for the fused pass's counts
// without weighting (nc the counts' columns), from the integer counts in
// one pass: the directions kept (pyradiomics empties a direction whose
// lines all hold at most one ROI voxel, then drops the empty ones when
// there are several), the run lengths kept (those with a run in some kept
// direction), and only those converted to floating point. The matrices
// are those of the general path (convert, clear, dropEmptyAngles,
// dropEmptyCols), which removes the same directions and columns.
//
// With buf, the matrices are written to *buf (grown as needed).
func glrlmFromCounts(cnt *counts, g *grid, as [][3]int, nc int, buf *[]float64) *Matrix {
	nl := len(g.levels)
	keep := make([]bool, nc)
	or := make([]uint32, nc) // a direction's columns, or-ed over its rows
	var dirs []int
	emptied := make([]bool, len(as))
	for k, a := range as {
		ck := cnt.glrl[k*nl*nc : (k+1)*nl*nc]
		empty := !cnt.multi[k] && !g.lineHasTwo(a)
		emptied[k] = empty
		var any uint32
		if !empty {
			orRows(ck, or)
			for j, v := range or {
				any |= v
				keep[j] = keep[j] || v != 0
			}
		}
		if any != 0 || len(as) < 2 {
			dirs = append(dirs, k)
		}
	}
	cols := make([]float64, 0, nc)
	var idx []int
	for j, ok := range keep {
		if ok {
			cols = append(cols, float64(j+1))
			idx = append(idx, j)
		}
	}
	nk := len(cols)
	m := &Matrix{Levels: g.levels, Cols: cols, NCols: nk, Angles: make([][3]int, len(dirs)), P: make([][]float64, len(dirs))}
	var flat []float64
	if n := len(dirs) * nl * nk; buf == nil {
		flat = make([]float64, n)
	} else {
		if cap(*buf) < n {
			*buf = make([]float64, n)
		}
		flat = (*buf)[:n] // every element written below (an emptied direction is kept only alone, with no column)
	}
	for d, k := range dirs {
		m.Angles[d] = as[k]
		p := flat[d*nl*nk : (d+1)*nl*nk]
		m.P[d] = p
		if emptied[k] {
			continue // the one direction there is, emptied
		}
		for i := range nl {
			row := cnt.glrl[(k*nl+i)*nc:]
			for c, j := range idx {
				p[i*nk+c] = float64(row[j])
			}
		}
	}
	return m
}

// orRowsFrom is orRows for the columns from j0 on, one at a time.
func orRowsFrom(ck, or []uint32, j0 int) {
	nc := len(or)
	for j := j0; j < nc; j++ {
		var acc uint32
		for r := j; r < len(ck); r += nc {
			acc |= ck[r]
		}
		or[j] = acc
	}
}

// lineHasTwo reports whether some line along a through the bounding box
// holds at least two ROI voxels (pyradiomics' multiElement test).
func (g *grid) lineHasTwo(a [3]int) bool {
	off := g.offset(a)
	for _, v := range g.vox {
		x, y, z := g.coords(int(v))
		for q := int(v) + off; ; q += off {
			x, y, z = x+a[0], y+a[1], z+a[2]
			if !g.inside(x, y, z) {
				break
			}
			if g.lvl[q] >= 0 {
				return true
			}
		}
	}
	return false
}

// GLRLM computes the 16 default GLRLM features of pyradiomics in Registry
// order, per direction then averaged over the directions (IBSI "3D
// averaged"), NaN values left out of the mean; with Options.Weighting, from
// the one merged matrix. N_r(a) is the number of runs along a, N_v the
// number of voxels the runs cover.
//
// Special case: when every direction is dropped — no line through the
// bounding box holds two ROI voxels, e.g. two voxels a knight's move apart —
// every feature is NaN, as in pyradiomics.
func GLRLM(im *Image, o Options) ([]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glrlmValues(pr, &o)
}

func glrlmValues(pr *prepared, o *Options) ([]feature.Value, error) {
	buf := glrlmBufPool.Get().(*[]float64)
	defer glrlmBufPool.Put(buf)
	m, err := glrlmMatrixInto(pr, o, buf)
	if err != nil {
		return nil, err
	}
	fs := glrlmFeatures()
	means := make([]nanMean, len(fs))
	c := newCountCoef(m.Levels, m.Cols)
	for _, p := range m.P {
		c.set(p)
		for k, f := range fs {
			means[k].add(f.fn(c))
		}
	}
	v := make([]float64, len(fs))
	for k := range means {
		v[k] = means[k].value()
	}
	return values(glrlmDefs(), v), nil
}

// glrlmBufPool holds glrlmValues' matrices between calls.
var glrlmBufPool = sync.Pool{New: func() any { return new([]float64) }}

type countFeature struct {
	def feature.Def
	fn  func(*countCoef) float64
}

func defsOf(fs []countFeature) []feature.Def {
	defs := make([]feature.Def, len(fs))
	for i, f := range fs {
		defs[i] = f.def
	}
	return defs
}

func glrlmDefs() []feature.Def { return defsOf(glrlmFeatures()) }

// glrlmFeatures lists the GLRLM features in pyradiomics' order.
func glrlmFeatures() []countFeature {
	d := func(name, ibsi, summary string) feature.Def {
		return feature.Def{Class: "glrlm", Name: name, IBSI: ibsi, Summary: summary}
	}
	return []countFeature{
		{d("GrayLevelNonUniformity", "R5YN", "Σ_i (Σ_j P(i,j))² / N_r"), glrlmGLN},
		{d("GrayLevelNonUniformityNormalized", "OVBL", "Σ_i (Σ_j P(i,j))² / N_r²"), glrlmGLNN},
		{d("GrayLevelVariance", "8CE5", "Σ p(i,j) (i-μ)²"), glrlmGLV},
		{d("HighGrayLevelRunEmphasis", "G3QZ", "Σ P(i,j) i² / N_r"), glrlmHGLRE},
		{d("LongRunEmphasis", "W4KF", "Σ P(i,j) j² / N_r"), glrlmLRE},
		{d("LongRunHighGrayLevelEmphasis", "3KUM", "Σ P(i,j) i² j² / N_r"), glrlmLRHGLE},
		{d("LongRunLowGrayLevelEmphasis", "IVPO", "Σ P(i,j) j²/i² / N_r"), glrlmLRLGLE},
		{d("LowGrayLevelRunEmphasis", "V3SW", "Σ P(i,j)/i² / N_r"), glrlmLGLRE},
		{d("RunEntropy", "HJ9O", "-Σ p(i,j) log2 p(i,j)"), glrlmRE},
		{d("RunLengthNonUniformity", "W92Y", "Σ_j (Σ_i P(i,j))² / N_r"), glrlmRLN},
		{d("RunLengthNonUniformityNormalized", "IC23", "Σ_j (Σ_i P(i,j))² / N_r²"), glrlmRLNN},
		{d("RunPercentage", "9ZK5", "N_r / N_v"), glrlmRP},
		{d("RunVariance", "SXLW", "Σ p(i,j) (j-μ)²"), glrlmRV},
		{d("ShortRunEmphasis", "22OV", "Σ P(i,j)/j² / N_r"), glrlmSRE},
		{d("ShortRunHighGrayLevelEmphasis", "GD3A", "Σ P(i,j) i²/j² / N_r"), glrlmSRHGLE},
		{d("ShortRunLowGrayLevelEmphasis", "HTZT", "Σ P(i,j)/(i² j²) / N_r"), glrlmSRLGLE},
	}
}

// glrlmGLN is IBSI grey level non-uniformity (R5YN):
//
//	Σ_i (Σ_j P(i,j))² / N_r
func glrlmGLN(c *countCoef) float64 { return c.nonUniformity(true, false) }

// glrlmGLNN is IBSI normalised grey level non-uniformity (OVBL):
//
//	Σ_i (Σ_j P(i,j))² / N_r²
func glrlmGLNN(c *countCoef) float64 { return c.nonUniformity(true, true) }

// glrlmGLV is IBSI grey level variance (8CE5), with p = P/N_r:
//
//	Σ_i Σ_j p(i,j) (i-μ)²,  μ = Σ_i Σ_j p(i,j) i
func glrlmGLV(c *countCoef) float64 { return c.variance(true) }

// glrlmHGLRE is IBSI high grey level run emphasis (G3QZ):
//
//	Σ_i Σ_j P(i,j) i² / N_r
func glrlmHGLRE(c *countCoef) float64 { return c.emphasis(2, 0) }

// glrlmLRE is IBSI long runs emphasis (W4KF):
//
//	Σ_i Σ_j P(i,j) j² / N_r
func glrlmLRE(c *countCoef) float64 { return c.emphasis(0, 2) }

// glrlmLRHGLE is IBSI long run high grey level emphasis (3KUM):
//
//	Σ_i Σ_j P(i,j) i² j² / N_r
func glrlmLRHGLE(c *countCoef) float64 { return c.emphasis(2, 2) }

// glrlmLRLGLE is IBSI long run low grey level emphasis (IVPO):
//
//	Σ_i Σ_j P(i,j) j² / i² / N_r
func glrlmLRLGLE(c *countCoef) float64 { return c.emphasis(-2, 2) }

// glrlmLGLRE is IBSI low grey level run emphasis (V3SW):
//
//	Σ_i Σ_j P(i,j) / i² / N_r
func glrlmLGLRE(c *countCoef) float64 { return c.emphasis(-2, 0) }

// glrlmRE is IBSI run entropy (HJ9O), with p = P/N_r:
//
//	-Σ_i Σ_j p(i,j) log2(p(i,j) + ε)
func glrlmRE(c *countCoef) float64 { return c.entropy() }

// glrlmRLN is IBSI run length non-uniformity (W92Y):
//
//	Σ_j (Σ_i P(i,j))² / N_r
func glrlmRLN(c *countCoef) float64 { return c.nonUniformity(false, false) }

// glrlmRLNN is IBSI normalised run length non-uniformity (IC23):
//
//	Σ_j (Σ_i P(i,j))² / N_r²
func glrlmRLNN(c *countCoef) float64 { return c.nonUniformity(false, true) }

// glrlmRP is IBSI run percentage (9ZK5):
//
//	N_r / N_v,  N_v = Σ_i Σ_j j P(i,j)
//
// N_v is counted from the matrix, so with Options.Weighting it is the
// weighted voxel count and RP stays in (0, 1] (pyradiomics does the same).
func glrlmRP(c *countCoef) float64 { return c.n / c.np }

// glrlmRV is IBSI run length variance (SXLW), with p = P/N_r:
//
//	Σ_i Σ_j p(i,j) (j-μ)²,  μ = Σ_i Σ_j p(i,j) j
func glrlmRV(c *countCoef) float64 { return c.variance(false) }

// glrlmSRE is IBSI short runs emphasis (22OV):
//
//	Σ_i Σ_j P(i,j) / j² / N_r
func glrlmSRE(c *countCoef) float64 { return c.emphasis(0, -2) }

// glrlmSRHGLE is IBSI short run high grey level emphasis (GD3A):
//
//	Σ_i Σ_j P(i,j) i² / j² / N_r
func glrlmSRHGLE(c *countCoef) float64 { return c.emphasis(2, -2) }

// glrlmSRLGLE is IBSI short run low grey level emphasis (HTZT):
//
//	Σ_i Σ_j P(i,j) / (i² j²) / N_r
func glrlmSRLGLE(c *countCoef) float64 { return c.emphasis(-2, -2) }
