package texture

import (
	"fmt"
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// KernelTexture computes the texture features of one kernel of a
// voxel-based feature map (package featuremap) into dst (75 values,
// Registry order), as pyradiomics' voxel-based extraction does, preparing
// the kernel image once for every family. im is the kernel's box with the
// ROI's grey levels. want (75 flags, nil: all) selects the features; the
// others are NaN in dst, and a family without any wanted feature is not
// computed. GLRLM, GLSZM, NGTDM and GLDM are those of im; GLCM differs
// because pyradiomics keeps the whole ROI's grey levels in every kernel's
// matrix:
//
//   - ng, the ROI's largest level, is the Ng of Idmn and Idn;
//   - roiLevels is the number of levels in the ROI: a kernel with a single
//     level of a ROI with several has MCC 0 (the other eigenvalues of Q are
//     the zero rows'), and MCC is 1 only when the ROI itself is flat.
//
// It returns the kernel's GLCM (nil when no GLCM feature is wanted): its
// Angles are the directions that hold a pair (nil for the merged matrix
// under Options.Weighting, whose P is NaN without any pair), for the
// caller's per-batch rules and MCC. The matrix lives in sc (one per
// goroutine; the zero value is ready) until the next call.
func KernelTexture(sc *KernelScratch, im *Image, o Options, ng, roiLevels int, want []bool, dst []float64) (*Matrix, error) {
	if len(dst) < 75 || (want != nil && len(want) < 75) {
		return nil, fmt.Errorf("texture: KernelTexture needs 75 values, have %d", len(dst))
	}
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	wanted := func(lo, hi int) bool {
		for k := lo; k < hi; k++ {
			if want == nil || want[k] {
				return true
			}
		}
		return false
	}
	for k := range dst[:75] {
		dst[k] = math.NaN()
	}
	var m *Matrix
	if wanted(0, 24) {
		if m, err = sc.glcm(pr, &o, ng, roiLevels, want, dst[:24]); err != nil {
			return nil, err
		}
	}
	at := 24
	sizes := []int{16, 16, 5, 14}
	for i, f := range []func(*prepared, *Options) ([]feature.Value, error){glrlmValues, glszmValues, ngtdmValues, gldmValues} {
		n := sizes[i]
		if wanted(at, at+n) {
			vs, err := f(pr, &o)
			if err != nil {
				return nil, err
			}
			for k, v := range vs {
				dst[at+k] = v.Value
			}
		}
		at += n
	}
	return m, nil
}

// KernelScratch holds one goroutine's buffers for KernelTexture, so that
// the many small kernels of a map allocate little.
type KernelScratch struct {
	flat, sum []float64
	p         [][]float64
	as        [][3]int
	m         Matrix
	dims      [3]int // box dims of the cached directions
	ds        []int
	f2d       int
	dirs      [][3]int
	offs      []int
	coefs     map[[2]int]*glcmCoef
	fs        []glcmFeature
	sparse    []func(*glcmCoef, *sparseSumDiff) float64
	sp        sparseSumDiff
}

// directions returns the GLCM directions of pr's box, cached while the box
// size and options stay the same.
func (sc *KernelScratch) directions(pr *prepared) ([][3]int, []int, error) {
	if sc.dirs == nil || sc.dims != pr.g.dims || sc.f2d != pr.f2d || !slices.Equal(sc.ds, pr.ds) {
		as, offs, err := pr.offsets(pr.ds, false)
		if err != nil {
			return nil, nil, err
		}
		sc.dirs, sc.offs, sc.dims, sc.f2d, sc.ds = as, offs, pr.g.dims, pr.f2d, slices.Clone(pr.ds)
	}
	return sc.dirs, sc.offs, nil
}

// glcm is glcmMatrix (then the features, as GLCM) on sc's buffers.
func (sc *KernelScratch) glcm(pr *prepared, o *Options, ng, roiLevels int, want []bool, dst []float64) (*Matrix, error) {
	as, offs, err := sc.directions(pr)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	nn := nl * nl
	if nn*len(as) > maxMatrixElements {
		return nil, fmt.Errorf("texture: %d grey levels × %d directions make a GLCM too large; use fewer grey levels", nl, len(as))
	}
	if cap(sc.flat) < len(as)*nn {
		sc.flat = make([]float64, len(as)*nn)
	}
	flat := sc.flat[:len(as)*nn]
	clear(flat)
	lvl := g.lvl
	for _, v := range g.vox {
		row := int(lvl[v]) * nl
		for k, off := range offs {
			if j := lvl[int(v)+off]; j >= 0 {
				flat[k*nn+row+int(j)]++
			}
		}
	}
	sc.p, sc.as = sc.p[:0], sc.as[:0]
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
		sc.p = append(sc.p, p)
		sc.as = append(sc.as, as[k])
	}
	m := &sc.m
	*m = Matrix{Levels: g.levels, Cols: g.levels, NCols: nl, Angles: sc.as, P: sc.p}
	if o.Weighting != "" {
		w, err := o.weights(as, true)
		if err != nil {
			return nil, err
		}
		if cap(sc.sum) < nn {
			sc.sum = make([]float64, nn)
		}
		sum := sc.sum[:nn]
		clear(sum)
		for a, p := range m.P {
			for k, v := range p {
				sum[k] += v * w[a]
			}
		}
		sc.p = append(sc.p[:0], sum)
		m.P, m.Angles = sc.p, nil
	} else if len(m.P) >= 2 {
		n := 0
		for a, p := range m.P {
			total := 0.0
			for _, v := range p {
				total += v
			}
			if total != 0 {
				m.P[n], m.Angles[n] = p, m.Angles[a]
				n++
			}
		}
		m.P, m.Angles = m.P[:n], m.Angles[:n]
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
	if sc.fs == nil {
		sc.fs = glcmFeatures()
		sc.sparse = make([]func(*glcmCoef, *sparseSumDiff) float64, len(sc.fs))
		for k, f := range sc.fs {
			sc.sparse[k] = sparseFeatures[f.def.Name]
		}
		sc.coefs = map[[2]int]*glcmCoef{}
	}
	ngc := max(ng, maxLevel(m.Levels))
	c := sc.coefs[[2]int{nl, ngc}]
	if c == nil {
		c = newGLCMCoef(m.Levels, ngc)
		sc.coefs[[2]int{nl, ngc}] = c
	}
	c.lv = m.Levels
	var means [24]nanMean
	for _, p := range m.P {
		if math.IsNaN(p[0]) {
			continue
		}
		c.set(p)
		sc.sp.set(c)
		for k, f := range sc.fs {
			if want != nil && !want[k] {
				continue
			}
			v := 0.0
			if fn := sc.sparse[k]; fn != nil {
				v = fn(c, &sc.sp)
			} else if f.def.Name != "MCC" || c.nl >= 2 || roiLevels < 2 {
				v = f.fn(c)
			}
			means[k].add(v)
		}
	}
	for k := range sc.fs {
		if want == nil || want[k] {
			dst[k] = means[k].value()
		}
	}
	return m, nil
}

// sparseSumDiff holds the non-zero entries of p_{x+y} and p_{x-y}. With
// the ROI's Ng, a kernel's p_{x+y} and p_{x-y} have 2Ng−1 and Ng entries of
// which only a few are not zero; sparseFeatures skip the zeros, which add
// exactly 0 (0·log2(ε) included), so the values are those of the full sums
// to the bit.
type sparseSumDiff struct {
	sk, dk []int     // k of the non-zero entries (p_{x+y} at k+2)
	sv, dv []float64 // their values
}

func (sp *sparseSumDiff) set(c *glcmCoef) {
	sp.sk, sp.sv, sp.dk, sp.dv = sp.sk[:0], sp.sv[:0], sp.dk[:0], sp.dv[:0]
	for k, v := range c.sum {
		if v != 0 {
			sp.sk, sp.sv = append(sp.sk, k), append(sp.sv, v)
		}
	}
	for k, v := range c.diff {
		if v != 0 {
			sp.dk, sp.dv = append(sp.dk, k), append(sp.dv, v)
		}
	}
}

func (sp *sparseSumDiff) entropy(vs []float64) float64 {
	s := 0.0
	for _, v := range vs {
		s -= v * log2(v+eps)
	}
	return s
}

func (sp *sparseSumDiff) diffSum(term func(k, v float64) float64) float64 {
	s := 0.0
	for i, k := range sp.dk {
		s += term(float64(k), sp.dv[i])
	}
	return s
}

func (sp *sparseSumDiff) diffAverage() float64 {
	return sp.diffSum(func(k, v float64) float64 { return k * v })
}

// sparseFeatures are the GLCM features of p_{x+y} and p_{x-y}, with the
// formulas of glcm.go over the non-zero entries only.
var sparseFeatures = map[string]func(*glcmCoef, *sparseSumDiff) float64{
	"SumEntropy":        func(_ *glcmCoef, sp *sparseSumDiff) float64 { return sp.entropy(sp.sv) },
	"DifferenceEntropy": func(_ *glcmCoef, sp *sparseSumDiff) float64 { return sp.entropy(sp.dv) },
	"DifferenceAverage": func(_ *glcmCoef, sp *sparseSumDiff) float64 { return sp.diffAverage() },
	"DifferenceVariance": func(_ *glcmCoef, sp *sparseSumDiff) float64 {
		m := sp.diffAverage()
		return sp.diffSum(func(k, v float64) float64 { d := k - m; return v * d * d })
	},
	"Id": func(_ *glcmCoef, sp *sparseSumDiff) float64 {
		return sp.diffSum(func(k, v float64) float64 { return v / (1 + k) })
	},
	"Idm": func(_ *glcmCoef, sp *sparseSumDiff) float64 {
		return sp.diffSum(func(k, v float64) float64 { return v / (1 + k*k) })
	},
	"Idmn": func(c *glcmCoef, sp *sparseSumDiff) float64 {
		return sp.diffSum(func(k, v float64) float64 { return v / (1 + k*k/(c.ng*c.ng)) })
	},
	"Idn": func(c *glcmCoef, sp *sparseSumDiff) float64 {
		return sp.diffSum(func(k, v float64) float64 { return v / (1 + k/c.ng) })
	},
	"InverseVariance": func(_ *glcmCoef, sp *sparseSumDiff) float64 {
		return sp.diffSum(func(k, v float64) float64 {
			if k == 0 {
				return 0
			}
			return v / (k * k)
		})
	},
	"SumAverage": func(_ *glcmCoef, sp *sparseSumDiff) float64 {
		s := 0.0
		for i, k := range sp.sk {
			s += float64(k+2) * sp.sv[i]
		}
		return s
	},
}
