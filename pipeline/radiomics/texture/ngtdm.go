package texture

import (
	"math"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// NGTDMMatrix returns the neighbouring grey tone difference matrix as
// pyradiomics builds it: one row per grey level i present, with columns
// n_i (ROI voxels of level i), s_i = Σ |i - Ā| over those voxels, and i. Ā
// is the mean level of the voxel's neighbours at the Options.Distances
// (26 at distance 1 in 3D, 8 with Force2D), the centre excluded and only
// ROI voxels counted. A voxel with no neighbour in the ROI is still counted
// in n_i and adds 0 to s_i (pyradiomics; IBSI instead leaves such voxels
// out of n_i, which changes nothing on ROIs where every voxel has a
// neighbour).
func NGTDMMatrix(im *Image, o Options) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return ngtdmMatrix(pr)
}

func ngtdmMatrix(pr *prepared) (*Matrix, error) {
	_, offs, err := pr.offsets(pr.ds, true)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	p := make([]float64, nl*3)
	lvl, lv := g.lvl, g.levels
	cnt, err := pr.scanned(famNGTDM)
	if err != nil {
		return nil, err
	}
	vox := g.vox
	if cnt != nil && cnt.ngN != nil {
		// Counted by the fused pass; s_i added up in voxel order as
		// pyradiomics does, whatever the pass's workers.
		for i, n := range cnt.ngN {
			p[3*i] = float64(n)
			p[3*i+1] = cnt.ngS[i]
		}
		vox = nil
	}
	for _, v := range vox {
		count, sum := 0, 0.0
		for _, off := range offs {
			if j := lvl[int(v)+off]; j >= 0 {
				count++
				sum += lv[j]
			}
		}
		i := lvl[v]
		diff := 0.0
		if count > 0 {
			diff = math.Abs(lv[i] - sum/float64(count))
		}
		p[3*i]++
		p[3*i+1] += diff
	}
	for i, l := range lv {
		p[3*i+2] = l
	}
	return &Matrix{Levels: lv, NCols: 3, P: [][]float64{p}}, nil
}

// ngtdmCoef holds the NGTDM quantities the features share.
type ngtdmCoef struct {
	p, s, i []float64 // p_i = n_i / N_vp, s_i, grey level i
	nvp     float64   // N_vp = Σ n_i
	ngp     int       // grey levels present
}

// NGTDM computes the 5 default NGTDM features of pyradiomics in Registry
// order.
func NGTDM(im *Image, o Options) ([]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return ngtdmValues(pr, &o)
}

func ngtdmValues(pr *prepared, _ *Options) ([]feature.Value, error) {
	m, err := ngtdmMatrix(pr)
	if err != nil {
		return nil, err
	}
	nl := len(m.Levels)
	c := &ngtdmCoef{p: make([]float64, nl), s: make([]float64, nl), i: make([]float64, nl), ngp: nl}
	for r := range nl {
		c.nvp += m.P[0][3*r]
	}
	for r := range nl {
		c.p[r] = m.P[0][3*r] / c.nvp
		c.s[r] = m.P[0][3*r+1]
		c.i[r] = m.P[0][3*r+2]
	}
	fs := ngtdmFeatures()
	v := make([]float64, len(fs))
	defs := make([]feature.Def, len(fs))
	for k, f := range fs {
		v[k] = f.fn(c)
		defs[k] = f.def
	}
	return values(defs, v), nil
}

type ngtdmFeature struct {
	def feature.Def
	fn  func(*ngtdmCoef) float64
}

func ngtdmDefs() []feature.Def {
	fs := ngtdmFeatures()
	defs := make([]feature.Def, len(fs))
	for k, f := range fs {
		defs[k] = f.def
	}
	return defs
}

// ngtdmFeatures lists the NGTDM features in pyradiomics' order.
func ngtdmFeatures() []ngtdmFeature {
	d := func(name, ibsi, summary string) feature.Def {
		return feature.Def{Class: "ngtdm", Name: name, IBSI: ibsi, Summary: summary}
	}
	return []ngtdmFeature{
		{d("Busyness", "NQ30", "Σ p_i s_i / Σ_i Σ_j |i p_i - j p_j|"), ngtdmBusyness},
		{d("Coarseness", "QCDE", "1 / Σ p_i s_i"), ngtdmCoarseness},
		{d("Complexity", "HDEZ", "Σ_i Σ_j |i-j| (p_i s_i + p_j s_j)/(p_i + p_j) / N_vp"), ngtdmComplexity},
		{d("Contrast", "65HE", "Σ_i Σ_j p_i p_j (i-j)² / (N_gp(N_gp-1)) · Σ s_i / N_vp"), ngtdmContrast},
		{d("Strength", "1X9X", "Σ_i Σ_j (p_i + p_j)(i-j)² / Σ s_i"), ngtdmStrength},
	}
}

// ngtdmBusyness is IBSI busyness (NQ30):
//
//	Σ_i p_i s_i / Σ_i Σ_j |i p_i - j p_j|
//
// Special case: 0 when the denominator is 0 (one grey level), as in
// pyradiomics.
func ngtdmBusyness(c *ngtdmCoef) float64 {
	num, den := 0.0, 0.0
	for a := range c.p {
		num += c.p[a] * c.s[a]
		for b := range c.p {
			den += math.Abs(c.i[a]*c.p[a] - c.i[b]*c.p[b])
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// ngtdmCoarseness is IBSI coarseness (QCDE):
//
//	1 / Σ_i p_i s_i
//
// Special case: 10⁶ when the sum is 0 (a flat region), as in pyradiomics.
func ngtdmCoarseness(c *ngtdmCoef) float64 {
	s := 0.0
	for a := range c.p {
		s += c.p[a] * c.s[a]
	}
	if s == 0 {
		return 1e6
	}
	return 1 / s
}

// ngtdmComplexity is IBSI complexity (HDEZ):
//
//	Σ_i Σ_j |i-j| (p_i s_i + p_j s_j) / (p_i + p_j) / N_vp
func ngtdmComplexity(c *ngtdmCoef) float64 {
	s := 0.0
	for a := range c.p {
		for b := range c.p {
			s += math.Abs(c.i[a]-c.i[b]) * (c.p[a]*c.s[a] + c.p[b]*c.s[b]) / (c.p[a] + c.p[b])
		}
	}
	return s / c.nvp
}

// ngtdmContrast is IBSI contrast (65HE):
//
//	[Σ_i Σ_j p_i p_j (i-j)² / (N_gp (N_gp - 1))] · [Σ_i s_i / N_vp]
//
// Special case: 0 when N_gp = 1 (one grey level), as in pyradiomics.
func ngtdmContrast(c *ngtdmCoef) float64 {
	if c.ngp < 2 {
		return 0
	}
	s, ss := 0.0, 0.0
	for a := range c.p {
		ss += c.s[a]
		for b := range c.p {
			d := c.i[a] - c.i[b]
			s += c.p[a] * c.p[b] * d * d
		}
	}
	return s * ss / c.nvp / float64(c.ngp*(c.ngp-1))
}

// ngtdmStrength is IBSI strength (1X9X):
//
//	Σ_i Σ_j (p_i + p_j)(i-j)² / Σ_i s_i
//
// Special case: 0 when Σ s_i = 0 (a flat region), as in pyradiomics.
func ngtdmStrength(c *ngtdmCoef) float64 {
	s, ss := 0.0, 0.0
	for a := range c.p {
		ss += c.s[a]
		for b := range c.p {
			d := c.i[a] - c.i[b]
			s += (c.p[a] + c.p[b]) * d * d
		}
	}
	if ss == 0 {
		return 0
	}
	return s / ss
}
