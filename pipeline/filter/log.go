package filter

import (
	"fmt"
	"math"
	"sync"

	"github.com/scirad/scirad/pipeline/volume"
)

// recursiveGaussian holds the coefficients of ITK's RecursiveGaussianImageFilter
// (Deriche's fourth-order recursive approximation, as ITK 5 sets it up).
type recursiveGaussian struct {
	n0, n1, n2, n3     float64
	m1, m2, m3, m4     float64
	d1, d2, d3, d4     float64
	bn1, bn2, bn3, bn4 float64
	bm1, bm2, bm3, bm4 float64
}

// newRecursiveGaussian sets up order 0 (smoothing) or 2 (second derivative)
// for sigma in mm on an axis of the given spacing (ITK's SetUp).
func newRecursiveGaussian(order int, sigma, spacing float64, normalize bool) recursiveGaussian {
	var g recursiveGaussian
	sigmad := sigma / spacing
	acrossScale := 1.0
	const (
		w1, l1 = 0.6681, -1.3932
		w2, l2 = 2.0787, -1.3732
	)
	a1 := [3]float64{1.3530, -0.6724, -1.3563}
	b1 := [3]float64{1.8151, -3.4327, 5.2318}
	a2 := [3]float64{-0.3531, 0.6724, 0.3446}
	b2 := [3]float64{0.0902, 0.6100, -2.2355}

	// D coefficients.
	cos1, cos2 := math.Cos(w1/sigmad), math.Cos(w2/sigmad)
	exp1, exp2 := math.Exp(l1/sigmad), math.Exp(l2/sigmad)
	g.d4 = exp1 * exp1 * exp2 * exp2
	g.d3 = -2 * cos1 * exp1 * exp2 * exp2
	g.d3 += -2 * cos2 * exp2 * exp1 * exp1
	g.d2 = 4 * cos2 * cos1 * exp1 * exp2
	g.d2 += exp1*exp1 + exp2*exp2
	g.d1 = -2 * (exp2*cos2 + exp1*cos1)
	sd := 1.0 + g.d1 + g.d2 + g.d3 + g.d4
	dd := g.d1 + 2*g.d2 + 3*g.d3 + 4*g.d4
	ed := g.d1 + 4*g.d2 + 9*g.d3 + 16*g.d4

	ncoef := func(A1, B1, A2, B2 float64) (n0, n1, n2, n3, sn, dn, en float64) {
		sin1, sin2 := math.Sin(w1/sigmad), math.Sin(w2/sigmad)
		n0 = A1 + A2
		n1 = exp2 * (B2*sin2 - (A2+2*A1)*cos2)
		n1 += exp1 * (B1*sin1 - (A1+2*A2)*cos1)
		n2 = (A1 + A2) * cos2 * cos1
		n2 -= B1*cos2*sin1 + B2*cos1*sin2
		n2 *= 2 * exp1 * exp2
		n2 += A2*exp1*exp1 + A1*exp2*exp2
		n3 = exp2 * exp1 * exp1 * (B2*sin2 - A2*cos2)
		n3 += exp1 * exp2 * exp2 * (B1*sin1 - A1*cos1)
		sn = n0 + n1 + n2 + n3
		dn = n1 + 2*n2 + 3*n3
		en = n1 + 4*n2 + 9*n3
		return
	}
	switch order {
	case 0:
		var sn float64
		g.n0, g.n1, g.n2, g.n3, sn, _, _ = ncoef(a1[0], b1[0], a2[0], b2[0])
		alpha0 := 2*sn/sd - g.n0
		g.n0 *= acrossScale / alpha0
		g.n1 *= acrossScale / alpha0
		g.n2 *= acrossScale / alpha0
		g.n3 *= acrossScale / alpha0
	case 2:
		if normalize {
			acrossScale = sigma * sigma
		}
		n00, n10, n20, n30, sn0, dn0, en0 := ncoef(a1[0], b1[0], a2[0], b2[0])
		n02, n12, n22, n32, sn2, dn2, en2 := ncoef(a1[2], b1[2], a2[2], b2[2])
		beta := -(2*sn2 - sd*n02) / (2*sn0 - sd*n00)
		g.n0 = n02 + beta*n00
		g.n1 = n12 + beta*n10
		g.n2 = n22 + beta*n20
		g.n3 = n32 + beta*n30
		sn := sn2 + beta*sn0
		dn := dn2 + beta*dn0
		en := en2 + beta*en0
		alpha2 := en*sd*sd - ed*sn*sd - 2*dn*dd*sd + 2*dd*dd*sn
		alpha2 /= sd * sd * sd
		g.n0 *= acrossScale / alpha2
		g.n1 *= acrossScale / alpha2
		g.n2 *= acrossScale / alpha2
		g.n3 *= acrossScale / alpha2
	default:
		panic("filter: recursive Gaussian order must be 0 or 2")
	}
	// Symmetric (orders 0 and 2) remaining coefficients.
	g.m1 = g.n1 - g.d1*g.n0
	g.m2 = g.n2 - g.d2*g.n0
	g.m3 = g.n3 - g.d3*g.n0
	g.m4 = -g.d4 * g.n0
	sn := g.n0 + g.n1 + g.n2 + g.n3
	sm := g.m1 + g.m2 + g.m3 + g.m4
	sd = 1.0 + g.d1 + g.d2 + g.d3 + g.d4
	g.bn1, g.bn2, g.bn3, g.bn4 = g.d1*sn/sd, g.d2*sn/sd, g.d3*sn/sd, g.d4*sn/sd
	g.bm1, g.bm2, g.bm3, g.bm4 = g.d1*sm/sd, g.d2*sm/sd, g.d3*sm/sd, g.d4*sm/sd
	return g
}

// ema is a1·b1 + a2·b2 + a3·b3 + a4·b4 evaluated left to right with every
// product rounded (no fused multiply-add), as ITK's MathEMAMAMAM.
func ema(a1, b1, a2, b2, a3, b3, a4, b4 float64) float64 {
	return float64(a1*b1) + float64(a2*b2) + float64(a3*b3) + float64(a4*b4)
}

// line filters one line (len ≥ 4) in place of out, as ITK's
// RecursiveSeparableImageFilter::FilterDataArray.
func (g *recursiveGaussian) line(out, data, scratch []float64) {
	ln := len(data)
	s1 := out
	v1 := data[0]
	s1[0] = ema(v1, g.n0, v1, g.n1, v1, g.n2, v1, g.n3)
	s1[1] = ema(data[1], g.n0, v1, g.n1, v1, g.n2, v1, g.n3)
	s1[2] = ema(data[2], g.n0, data[1], g.n1, v1, g.n2, v1, g.n3)
	s1[3] = ema(data[3], g.n0, data[2], g.n1, data[1], g.n2, v1, g.n3)
	s1[0] -= ema(v1, g.bn1, v1, g.bn2, v1, g.bn3, v1, g.bn4)
	s1[1] -= ema(s1[0], g.d1, v1, g.bn2, v1, g.bn3, v1, g.bn4)
	s1[2] -= ema(s1[1], g.d1, s1[0], g.d2, v1, g.bn3, v1, g.bn4)
	s1[3] -= ema(s1[2], g.d1, s1[1], g.d2, s1[0], g.d3, v1, g.bn4)
	for i := 4; i < ln; i++ {
		s1[i] = ema(data[i], g.n0, data[i-1], g.n1, data[i-2], g.n2, data[i-3], g.n3)
		s1[i] -= ema(s1[i-1], g.d1, s1[i-2], g.d2, s1[i-3], g.d3, s1[i-4], g.d4)
	}
	s2 := scratch
	v2 := data[ln-1]
	s2[ln-1] = ema(v2, g.m1, v2, g.m2, v2, g.m3, v2, g.m4)
	s2[ln-2] = ema(data[ln-1], g.m1, v2, g.m2, v2, g.m3, v2, g.m4)
	s2[ln-3] = ema(data[ln-2], g.m1, data[ln-1], g.m2, v2, g.m3, v2, g.m4)
	s2[ln-4] = ema(data[ln-3], g.m1, data[ln-2], g.m2, data[ln-1], g.m3, v2, g.m4)
	s2[ln-1] -= ema(v2, g.bm1, v2, g.bm2, v2, g.bm3, v2, g.bm4)
	s2[ln-2] -= ema(s2[ln-1], g.d1, v2, g.bm2, v2, g.bm3, v2, g.bm4)
	s2[ln-3] -= ema(s2[ln-2], g.d1, s2[ln-1], g.d2, v2, g.bm3, v2, g.bm4)
	s2[ln-4] -= ema(s2[ln-3], g.d1, s2[ln-2], g.d2, s2[ln-1], g.d3, v2, g.bm4)
	for i := ln - 4; i > 0; i-- {
		s2[i-1] = ema(data[i], g.m1, data[i+1], g.m2, data[i+2], g.m3, data[i+3], g.m4)
		s2[i-1] -= ema(s2[i], g.d1, s2[i+1], g.d2, s2[i+2], g.d3, s2[i+3], g.d4)
	}
	for i := range out {
		out[i] += s2[i]
	}
}

// lines4One filters four lines at once, interleaved (in[t*4+l] is sample t
// of line l, len(in) = 4·ln, ln ≥ 4), writing out[t*4+l] for t in [lo, hi)
// only: the causal pass runs up to hi, the anti-causal one down to lo. Each
// lane's arithmetic is line's, operation for operation (products rounded,
// sums left to right), so every output equals line's to the bit; the four
// independent recursions keep the floating-point units busy where one
// line's recursion is latency-bound (about twice line's speed). s1 and s2
// are scratch of len(in). Under GOEXPERIMENT=simd on AVX2, pass runs the
// same operations in registers instead, twelve lines at a time (passFast,
// log_simd.go).
func (g *recursiveGaussian) lines4One(out, in, s1, s2 []float64, lo, hi int) {
	ln := len(in) / 4
	for l := 0; l < 4; l++ {
		v1 := in[l]
		s1[l] = ema(v1, g.n0, v1, g.n1, v1, g.n2, v1, g.n3)
		s1[4+l] = ema(in[4+l], g.n0, v1, g.n1, v1, g.n2, v1, g.n3)
		s1[8+l] = ema(in[8+l], g.n0, in[4+l], g.n1, v1, g.n2, v1, g.n3)
		s1[12+l] = ema(in[12+l], g.n0, in[8+l], g.n1, in[4+l], g.n2, v1, g.n3)
		s1[l] -= ema(v1, g.bn1, v1, g.bn2, v1, g.bn3, v1, g.bn4)
		s1[4+l] -= ema(s1[l], g.d1, v1, g.bn2, v1, g.bn3, v1, g.bn4)
		s1[8+l] -= ema(s1[4+l], g.d1, s1[l], g.d2, v1, g.bn3, v1, g.bn4)
		s1[12+l] -= ema(s1[8+l], g.d1, s1[4+l], g.d2, s1[l], g.d3, v1, g.bn4)
	}
	for i := 4; i < hi; i++ {
		for l := 0; l < 4; l++ {
			x := ema(in[i*4+l], g.n0, in[(i-1)*4+l], g.n1, in[(i-2)*4+l], g.n2, in[(i-3)*4+l], g.n3)
			s1[i*4+l] = x - ema(s1[(i-1)*4+l], g.d1, s1[(i-2)*4+l], g.d2, s1[(i-3)*4+l], g.d3, s1[(i-4)*4+l], g.d4)
		}
	}
	e := ln - 1
	for l := 0; l < 4; l++ {
		v2 := in[e*4+l]
		s2[e*4+l] = ema(v2, g.m1, v2, g.m2, v2, g.m3, v2, g.m4)
		s2[(e-1)*4+l] = ema(in[e*4+l], g.m1, v2, g.m2, v2, g.m3, v2, g.m4)
		s2[(e-2)*4+l] = ema(in[(e-1)*4+l], g.m1, in[e*4+l], g.m2, v2, g.m3, v2, g.m4)
		s2[(e-3)*4+l] = ema(in[(e-2)*4+l], g.m1, in[(e-1)*4+l], g.m2, in[e*4+l], g.m3, v2, g.m4)
		s2[e*4+l] -= ema(v2, g.bm1, v2, g.bm2, v2, g.bm3, v2, g.bm4)
		s2[(e-1)*4+l] -= ema(s2[e*4+l], g.d1, v2, g.bm2, v2, g.bm3, v2, g.bm4)
		s2[(e-2)*4+l] -= ema(s2[(e-1)*4+l], g.d1, s2[e*4+l], g.d2, v2, g.bm3, v2, g.bm4)
		s2[(e-3)*4+l] -= ema(s2[(e-2)*4+l], g.d1, s2[(e-1)*4+l], g.d2, s2[e*4+l], g.d3, v2, g.bm4)
	}
	for i := ln - 4; i > lo; i-- {
		for l := 0; l < 4; l++ {
			x := ema(in[i*4+l], g.m1, in[(i+1)*4+l], g.m2, in[(i+2)*4+l], g.m3, in[(i+3)*4+l], g.m4)
			s2[(i-1)*4+l] = x - ema(s2[i*4+l], g.d1, s2[(i+1)*4+l], g.d2, s2[(i+2)*4+l], g.d3, s2[(i+3)*4+l], g.d4)
		}
	}
	for t := lo * 4; t < hi*4; t++ {
		out[t] = s1[t] + s2[t]
	}
}

// pass filters every line of src (dims sn, x fastest) along axis ax with
// g and writes the samples [lo, hi) of each line, rounded to float32 as
// ITK's float images store them, into dst: dims sn except hi−lo along ax,
// sample t at position t−lo. Lines go four at a time (lines4), neighbours
// along x (along y for ax = 0).
func (g *recursiveGaussian) pass(dst, src []float64, sn [3]int, ax, lo, hi int) {
	if g.passFast(dst, src, sn, ax, lo, hi) {
		return
	}
	g.passLines4(dst, src, sn, ax, lo, hi)
}

// passLines4 is pass through lines4, the lines gathered into groups of
// four interleaved lines and the outputs scattered back (passFast's
// reference, which TestPassFast compares with it).
func (g *recursiveGaussian) passLines4(dst, src []float64, sn [3]int, ax, lo, hi int) {
	ss, ds, l, o := passAxes(sn, ax, lo, hi)
	ln := sn[ax]
	// Groups of four lines go to lines4 in batches of up to batch groups.
	const batch = 16
	in, out := make([]float64, batch*4*ln), make([]float64, batch*4*ln)
	s1, s2 := make([]float64, 4*ln), make([]float64, 4*ln)
	type group struct{ a, b, w int }
	groups := make([]group, 0, batch)
	flush := func() {
		m := len(groups) * 4 * ln
		g.lines4(out[:m], in[:m], s1, s2, ln, lo, hi)
		for gi, gr := range groups {
			out := out[gi*4*ln : (gi+1)*4*ln]
			dbase := gr.a*ds[l] + gr.b*ds[o]
			if gr.w == 4 && l == 0 {
				for t := lo; t < hi; t++ {
					o := (*[4]float64)(out[t*4:])
					*(*[4]float64)(dst[dbase+(t-lo)*ds[ax]:]) = [4]float64{
						float64(float32(o[0])), float64(float32(o[1])), float64(float32(o[2])), float64(float32(o[3]))}
				}
				continue
			}
			for q := 0; q < gr.w; q++ {
				for t := lo; t < hi; t++ {
					dst[dbase+q*ds[l]+(t-lo)*ds[ax]] = float64(float32(out[t*4+q]))
				}
			}
		}
		groups = groups[:0]
	}
	for b := 0; b < sn[o]; b++ {
		for a := 0; a < sn[l]; a += 4 {
			w := min(4, sn[l]-a)
			sbase := a*ss[l] + b*ss[o]
			in := in[len(groups)*4*ln : (len(groups)+1)*4*ln]
			switch {
			case w == 4 && l == 0: // four adjacent voxels per sample
				for t := 0; t < ln; t++ {
					*(*[4]float64)(in[t*4:]) = *(*[4]float64)(src[sbase+t*ss[ax]:])
				}
			case w == 4: // four rows, lines along x
				r0, r1, r2, r3 := src[sbase:][:ln], src[sbase+ss[l]:][:ln], src[sbase+2*ss[l]:][:ln], src[sbase+3*ss[l]:][:ln]
				for t := range ln {
					*(*[4]float64)(in[t*4:]) = [4]float64{r0[t], r1[t], r2[t], r3[t]}
				}
			default:
				for q := 0; q < 4; q++ {
					for t := 0; t < ln; t++ {
						in[t*4+q] = 0
						if q < w {
							in[t*4+q] = src[sbase+q*ss[l]+t*ss[ax]]
						}
					}
				}
			}
			groups = append(groups, group{a, b, w})
			if len(groups) == batch {
				flush()
			}
		}
	}
	if len(groups) > 0 {
		flush()
	}
}

// passAxes are a pass's source and destination strides (src dims sn,
// dst dims sn with hi−lo along ax), its lane axis l (x, or y for lines
// along x) and the remaining axis o.
func passAxes(sn [3]int, ax, lo, hi int) (ss, ds [3]int, l, o int) {
	dn := sn
	dn[ax] = hi - lo
	ss = [3]int{1, sn[0], sn[0] * sn[1]}
	ds = [3]int{1, dn[0], dn[0] * dn[1]}
	l, o = 0, 1
	switch ax {
	case 0:
		l, o = 1, 2
	case 1:
		o = 2
	}
	return ss, ds, l, o
}

// lines4 runs lines4One on every group of four lines of in (groups of
// 4·ln samples, out alike); s1 and s2 are scratch of 4·ln.
func (g *recursiveGaussian) lines4(out, in, s1, s2 []float64, ln, lo, hi int) {
	for o := 0; o < len(in); o += 4 * ln {
		g.lines4One(out[o:o+4*ln], in[o:o+4*ln], s1, s2, lo, hi)
	}
}

// LoG is SimpleITK's LaplacianRecursiveGaussianImageFilter with
// NormalizeAcrossScale on, as pyradiomics' getLoGImage runs it: for each
// axis d, the second-order recursive Gaussian along d then zero-order along
// the other two axes (in increasing order), accumulated in float32 as
// acc + L_d/spacing_d². sigma is in mm. pyradiomics' conditions are errors
// here: every dimension at least 4 voxels and at least ⌈sigma/spacing⌉+1.
func LoG(v *volume.Volume, sigma float64) (*volume.Volume, error) {
	return LoGRegion(v, sigma, nil)
}

// LoGRegion is LoG computed only where region (if not nil) needs it: its
// voxels equal LoG's to the bit, voxels outside it are 0. Every line a
// voxel of the region depends on is still filtered whole.
func LoGRegion(v *volume.Volume, sigma float64, region *volume.Box) (*volume.Volume, error) {
	box, err := logBox(v, sigma, region)
	if err != nil {
		return nil, err
	}
	return uncrop(v, box, logCropped(v, sigma, box)), nil
}

// logRegionCropped is LoGRegion cropped to the (clipped) region.
func logRegionCropped(v *volume.Volume, sigma float64, region *volume.Box) (*volume.Volume, error) {
	box, err := logBox(v, sigma, region)
	if err != nil {
		return nil, err
	}
	if box.Empty() {
		return nil, fmt.Errorf("filter: empty region")
	}
	return cropped(v, box, logCropped(v, sigma, box)), nil
}

// logBox checks LoG's conditions and clips region (nil: the whole image).
func logBox(v *volume.Volume, sigma float64, region *volume.Box) (volume.Box, error) {
	if !(sigma > 0) || math.IsInf(sigma, 0) {
		return volume.Box{}, fmt.Errorf("filter: LoG sigma %g must be a positive number of mm", sigma)
	}
	n := v.Dims
	for a := 0; a < 3; a++ {
		if n[a] < 4 {
			return volume.Box{}, fmt.Errorf("filter: LoG needs at least 4 voxels along every axis; the image is %d×%d×%d", n[0], n[1], n[2])
		}
		if float64(n[a]) < math.Ceil(sigma/v.Spacing[a])+1 {
			return volume.Box{}, fmt.Errorf("filter: LoG sigma %g mm is too large for the image (%d voxels of %g mm along axis %d; pyradiomics skips it)", sigma, n[a], v.Spacing[a], a)
		}
	}
	return clipBox(v, region), nil
}

// clipBox is region clipped to v's grid, or the whole grid for nil.
func clipBox(v *volume.Volume, region *volume.Box) volume.Box {
	b := volume.Box{Max: v.Dims}
	if region != nil {
		for a := 0; a < 3; a++ {
			b.Min[a] = min(max(region.Min[a], 0), v.Dims[a])
			b.Max[a] = max(min(region.Max[a], v.Dims[a]), b.Min[a])
		}
	}
	return b
}

// uncrop places the box-sized data c at box in a volume on v's grid (0
// elsewhere); the whole box is c itself.
func uncrop(v *volume.Volume, box volume.Box, c []float64) *volume.Volume {
	if box.Min == [3]int{} && box.Max == v.Dims {
		return &volume.Volume{Grid: v.Grid, Data: c}
	}
	out := &volume.Volume{Grid: v.Grid, Data: make([]float64, len(v.Data))}
	sz := box.Size()
	for k := 0; k < sz[2]; k++ {
		for j := 0; j < sz[1]; j++ {
			copy(out.Data[v.Index(box.Min[0], box.Min[1]+j, box.Min[2]+k):][:sz[0]], c[(k*sz[1]+j)*sz[0]:][:sz[0]])
		}
	}
	return out
}

// cropped wraps box-sized data c as the volume v.Crop(box) would be.
func cropped(v *volume.Volume, box volume.Box, c []float64) *volume.Volume {
	g := v.Grid
	g.Dims = box.Size()
	g.Origin = v.IndexToPhysical([3]float64{float64(box.Min[0]), float64(box.Min[1]), float64(box.Min[2])})
	return &volume.Volume{Grid: g, Data: c}
}

var logBufs = sync.Pool{New: func() any { return new([2][]float64) }}

// logCropped is LoG's image inside box (not empty), box-sized, x fastest.
// For each axis d the three passes store only what later ones read: the
// derivative along d (every line, whole) keeps the box's range along d,
// the first smoothing pass the box's range along its axis too, and the
// last only the box.
func logCropped(v *volume.Volume, sigma float64, box volume.Box) []float64 {
	sz := box.Size()
	nb := sz[0] * sz[1] * sz[2]
	acc := make([]float32, nb)
	// The passes' intermediate images, reused between calls (each is fully
	// written before it is read).
	bp := logBufs.Get().(*[2][]float64)
	defer logBufs.Put(bp)
	bufs := bp
	for d := 0; d < 3; d++ {
		src, sn := v.Data, v.Dims
		deriv := newRecursiveGaussian(2, sigma, v.Spacing[d], true)
		order := []int{d}
		for a := 0; a < 3; a++ {
			if a != d {
				order = append(order, a)
			}
		}
		for p, a := range order {
			g := deriv
			if p > 0 {
				g = newRecursiveGaussian(0, sigma, v.Spacing[a], true)
			}
			dn := sn
			dn[a] = sz[a]
			m := dn[0] * dn[1] * dn[2]
			if cap(bufs[p%2]) < m {
				bufs[p%2] = make([]float64, m)
			}
			dst := bufs[p%2][:m]
			g.pass(dst, src, sn, a, box.Min[a], box.Max[a])
			src, sn = dst, dn
		}
		// src is now box-sized.
		inv := 1.0 / (v.Spacing[d] * v.Spacing[d])
		for i, x := range src {
			acc[i] = float32(float64(acc[i]) + float64(x*inv))
		}
	}
	out := make([]float64, nb)
	for i, x := range acc {
		out[i] = float64(x)
	}
	return out
}
