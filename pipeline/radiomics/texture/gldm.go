package texture

import (
	"math"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// GLDMMatrix returns the grey level dependence matrix: P(i,j) counts the ROI
// voxels of level i with j-1 dependent neighbours, a neighbour (at the
// Options.Distances, in the ROI, centre excluded; 26 at distance 1 in 3D, 8
// with Force2D) being dependent when |i - level| ≤ Options.GLDMAlpha. j
// therefore counts the voxel itself, as IBSI's NGLDM does. Dependence counts
// absent from the ROI are removed.
func GLDMMatrix(im *Image, o Options) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return gldmMatrix(pr, &o)
}

func gldmMatrix(pr *prepared, o *Options) (*Matrix, error) {
	_, offs, err := pr.offsets(pr.ds, true)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	nc := len(offs) + 1
	p := make([]float64, nl*nc)
	lvl, lv := g.lvl, g.levels
	alpha := o.GLDMAlpha
	cnt, err := pr.scanned(famGLDM)
	if err != nil {
		return nil, err
	}
	vox := g.vox
	if cnt != nil && cnt.gldm != nil {
		for k, v := range cnt.gldm {
			p[k] = float64(v)
		}
		vox = nil // counted by the fused pass
	}
	for _, v := range vox {
		i := lvl[v]
		dep := 0
		if alpha < 1 { // distinct levels differ by at least 1
			for _, off := range offs {
				if lvl[int(v)+off] == i {
					dep++
				}
			}
		} else {
			for _, off := range offs {
				if j := lvl[int(v)+off]; j >= 0 && math.Abs(lv[i]-lv[j]) <= alpha {
					dep++
				}
			}
		}
		p[int(i)*nc+dep]++
	}
	m := &Matrix{Levels: lv, NCols: nc, P: [][]float64{p}}
	m.Cols = make([]float64, nc)
	for k := range m.Cols {
		m.Cols[k] = float64(k + 1)
	}
	dropEmptyCols(m)
	return m, nil
}

// GLDM computes the 14 default GLDM features of pyradiomics in Registry
// order. N_z is the number of dependence entries, which is the number of
// ROI voxels.
func GLDM(im *Image, o Options) ([]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return gldmValues(pr, &o)
}

func gldmValues(pr *prepared, o *Options) ([]feature.Value, error) {
	m, err := gldmMatrix(pr, o)
	if err != nil {
		return nil, err
	}
	fs := gldmFeatures()
	c := newCountCoef(m.Levels, m.Cols)
	c.set(m.P[0])
	v := make([]float64, len(fs))
	for k, f := range fs {
		v[k] = f.fn(c)
	}
	return values(gldmDefs(), v), nil
}

func gldmDefs() []feature.Def { return defsOf(gldmFeatures()) }

// gldmFeatures lists the GLDM features in pyradiomics' order.
func gldmFeatures() []countFeature {
	d := func(name, ibsi, summary string) feature.Def {
		return feature.Def{Class: "gldm", Name: name, IBSI: ibsi, Summary: summary}
	}
	return []countFeature{
		{d("DependenceEntropy", "FCBV", "-Σ p(i,j) log2 p(i,j)"), gldmDE},
		{d("DependenceNonUniformity", "Z87G", "Σ_j (Σ_i P(i,j))² / N_z"), gldmDN},
		{d("DependenceNonUniformityNormalized", "OKJI", "Σ_j (Σ_i P(i,j))² / N_z²"), gldmDNN},
		{d("DependenceVariance", "DNX2", "Σ p(i,j) (j-μ)²"), gldmDV},
		{d("GrayLevelNonUniformity", "FP8K", "Σ_i (Σ_j P(i,j))² / N_z"), gldmGLN},
		{d("GrayLevelVariance", "1PFV", "Σ p(i,j) (i-μ)²"), gldmGLV},
		{d("HighGrayLevelEmphasis", "OAE7", "Σ P(i,j) i² / N_z"), gldmHGLE},
		{d("LargeDependenceEmphasis", "IMOQ", "Σ P(i,j) j² / N_z"), gldmLDE},
		{d("LargeDependenceHighGrayLevelEmphasis", "9QMG", "Σ P(i,j) i² j² / N_z"), gldmLDHGLE},
		{d("LargeDependenceLowGrayLevelEmphasis", "NBZI", "Σ P(i,j) j²/i² / N_z"), gldmLDLGLE},
		{d("LowGrayLevelEmphasis", "TL9H", "Σ P(i,j)/i² / N_z"), gldmLGLE},
		{d("SmallDependenceEmphasis", "SODN", "Σ P(i,j)/j² / N_z"), gldmSDE},
		{d("SmallDependenceHighGrayLevelEmphasis", "JA6D", "Σ P(i,j) i²/j² / N_z"), gldmSDHGLE},
		{d("SmallDependenceLowGrayLevelEmphasis", "EQ3F", "Σ P(i,j)/(i² j²) / N_z"), gldmSDLGLE},
	}
}

// gldmDE is IBSI dependence count entropy (FCBV), with p = P/N_z:
//
//	-Σ_i Σ_j p(i,j) log2(p(i,j) + ε)
func gldmDE(c *countCoef) float64 { return c.entropy() }

// gldmDN is IBSI dependence count non-uniformity (Z87G):
//
//	Σ_j (Σ_i P(i,j))² / N_z
func gldmDN(c *countCoef) float64 { return c.nonUniformity(false, false) }

// gldmDNN is IBSI normalised dependence count non-uniformity (OKJI):
//
//	Σ_j (Σ_i P(i,j))² / N_z²
func gldmDNN(c *countCoef) float64 { return c.nonUniformity(false, true) }

// gldmDV is IBSI dependence count variance (DNX2), with p = P/N_z:
//
//	Σ_i Σ_j p(i,j) (j-μ)²,  μ = Σ_i Σ_j p(i,j) j
func gldmDV(c *countCoef) float64 { return c.variance(false) }

// gldmGLN is IBSI grey level non-uniformity (FP8K):
//
//	Σ_i (Σ_j P(i,j))² / N_z
func gldmGLN(c *countCoef) float64 { return c.nonUniformity(true, false) }

// gldmGLV is IBSI grey level variance (1PFV), with p = P/N_z:
//
//	Σ_i Σ_j p(i,j) (i-μ)²,  μ = Σ_i Σ_j p(i,j) i
func gldmGLV(c *countCoef) float64 { return c.variance(true) }

// gldmHGLE is IBSI high grey level count emphasis (OAE7):
//
//	Σ_i Σ_j P(i,j) i² / N_z
func gldmHGLE(c *countCoef) float64 { return c.emphasis(2, 0) }

// gldmLDE is IBSI high dependence emphasis (IMOQ):
//
//	Σ_i Σ_j P(i,j) j² / N_z
func gldmLDE(c *countCoef) float64 { return c.emphasis(0, 2) }

// gldmLDHGLE is IBSI high dependence high grey level emphasis (9QMG):
//
//	Σ_i Σ_j P(i,j) i² j² / N_z
func gldmLDHGLE(c *countCoef) float64 { return c.emphasis(2, 2) }

// gldmLDLGLE is IBSI high dependence low grey level emphasis (NBZI):
//
//	Σ_i Σ_j P(i,j) j² / i² / N_z
func gldmLDLGLE(c *countCoef) float64 { return c.emphasis(-2, 2) }

// gldmLGLE is IBSI low grey level count emphasis (TL9H):
//
//	Σ_i Σ_j P(i,j) / i² / N_z
func gldmLGLE(c *countCoef) float64 { return c.emphasis(-2, 0) }

// gldmSDE is IBSI low dependence emphasis (SODN):
//
//	Σ_i Σ_j P(i,j) / j² / N_z
func gldmSDE(c *countCoef) float64 { return c.emphasis(0, -2) }

// gldmSDHGLE is IBSI low dependence high grey level emphasis (JA6D):
//
//	Σ_i Σ_j P(i,j) i² / j² / N_z
func gldmSDHGLE(c *countCoef) float64 { return c.emphasis(2, -2) }

// gldmSDLGLE is IBSI low dependence low grey level emphasis (EQ3F):
//
//	Σ_i Σ_j P(i,j) / (i² j²) / N_z
func gldmSDLGLE(c *countCoef) float64 { return c.emphasis(-2, -2) }
