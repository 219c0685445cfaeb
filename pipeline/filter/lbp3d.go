package filter

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/scirad/scirad/pipeline/volume"
)

// icosphere is trimesh's icosphere(subdivisions, radius): its stored unit
// icosahedron, each subdivision adding edge midpoints and pushing every
// vertex out to the radius. Only the vertex set matters here.
func icosphere(subdivisions int, radius float64) [][3]float64 {
	const a, b = 0.5257311121191336, 0.85065080835204
	v := [][3]float64{{-a, b, 0}, {a, b, 0}, {-a, -b, 0}, {a, -b, 0}, {0, -a, b}, {0, a, b},
		{0, -a, -b}, {0, a, -b}, {b, 0, -a}, {b, 0, a}, {-b, 0, -a}, {-b, 0, a}}
	f := [][3]int{{0, 11, 5}, {0, 5, 1}, {0, 1, 7}, {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
		{11, 10, 2}, {10, 7, 6}, {7, 1, 8}, {3, 9, 4}, {3, 4, 2}, {3, 2, 6}, {3, 6, 8}, {3, 8, 9},
		{4, 9, 5}, {2, 4, 11}, {6, 2, 10}, {8, 6, 7}, {9, 8, 1}}
	project := func() {
		for i, p := range v {
			s := math.Sqrt(p[0]*p[0] + p[1]*p[1] + p[2]*p[2])
			for c := 0; c < 3; c++ {
				v[i][c] += p[c] / s * (radius - s)
			}
		}
	}
	for range subdivisions {
		mid := map[[2]int]int{}
		midpoint := func(x, y int) int {
			k := [2]int{min(x, y), max(x, y)}
			if m, ok := mid[k]; ok {
				return m
			}
			p, q := v[k[0]], v[k[1]]
			v = append(v, [3]float64{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2})
			mid[k] = len(v) - 1
			return len(v) - 1
		}
		var nf [][3]int
		for _, t := range f {
			m0, m1, m2 := midpoint(t[0], t[1]), midpoint(t[1], t[2]), midpoint(t[2], t[0])
			nf = append(nf, [3]int{t[0], m0, m2}, [3]int{m0, t[1], m1}, [3]int{m2, m1, t[2]}, [3]int{m0, m1, m2})
		}
		f = nf
		project()
	}
	if subdivisions <= 0 {
		project()
	}
	return v
}

// sphHarm is scipy.special.sph_harm(m, n, theta, phi) (theta azimuthal,
// phi polar), with the Condon–Shortley phase in the Legendre function.
func sphHarm(m, n int, theta, phi float64) complex128 {
	am := m
	if am < 0 {
		am = -am
	}
	x := math.Cos(phi)
	p := assocLegendre(am, n, x)
	// factorial ratio (n−|m|)!/(n+|m|)!
	r := 1.0
	for k := n - am + 1; k <= n+am; k++ {
		r /= float64(k)
	}
	y := math.Sqrt(float64(2*n+1)/(4*math.Pi)*r) * p
	if m < 0 {
		// Y_n^{−m} = (−1)^m conj(Y_n^m)
		c := cmplx.Conj(complex(y, 0) * cmplx.Exp(complex(0, float64(am)*theta)))
		if am%2 == 1 {
			c = -c
		}
		return c
	}
	return complex(y, 0) * cmplx.Exp(complex(0, float64(m)*theta))
}

// assocLegendre is P_n^m(x) for m ≥ 0 with the Condon–Shortley phase.
func assocLegendre(m, n int, x float64) float64 {
	pmm := 1.0
	if m > 0 {
		s := math.Sqrt((1 - x) * (1 + x))
		f := 1.0
		for i := 1; i <= m; i++ {
			pmm *= -f * s
			f += 2
		}
	}
	if n == m {
		return pmm
	}
	pmm1 := x * float64(2*m+1) * pmm
	if n == m+1 {
		return pmm1
	}
	var pnm float64
	for l := m + 2; l <= n; l++ {
		pnm = (x*float64(2*l-1)*pmm1 - float64(l+m-1)*pmm) / float64(l-m)
		pmm, pmm1 = pmm1, pnm
	}
	return pnm
}

// splineCoefficients is scipy.ndimage.spline_filter(order 3, mode
// "constant"): cubic B-spline coefficients of the whole image with
// mirror-symmetric boundary initialisation, axes in numpy order (k, j, i).
//
// It returns only the coefficients inside need (per axis, [lo, hi)), as an
// array of dims cn (x fastest): each pass filters every line the later
// passes read, whole, and keeps only its part inside need.
func splineCoefficients(v *volume.Volume, need [3][2]int) (c []float64, cn [3]int) {
	src, sn := v.Data, v.Dims
	for _, ax := range []int{2, 1, 0} {
		ln := sn[ax]
		dn := sn
		dn[ax] = need[ax][1] - need[ax][0]
		dst := make([]float64, dn[0]*dn[1]*dn[2])
		// Four lines at a time, interleaved (lines[t*4+q]: sample t of
		// line q), neighbours along o1 (x, or y for lines along x, as LoG's
		// passes group them): the same operations per line, four
		// recursions in flight. Four whole lines along y or z are four
		// adjacent voxels per sample, copied as one.
		ss, ds, o1, o2 := passAxes(sn, ax, need[ax][0], need[ax][1])
		lines := make([]float64, 4*ln)
		zs := splinePowers(ln)
		lo, hi := need[ax][0], need[ax][1]
		for bb := 0; bb < sn[o2]; bb++ {
			for a0 := 0; a0 < sn[o1]; a0 += 4 {
				w := min(4, sn[o1]-a0)
				if w == 4 && o1 == 0 {
					sbase := a0 + bb*ss[o2]
					for t := range ln {
						*(*[4]float64)(lines[t*4:]) = *(*[4]float64)(src[sbase+t*ss[ax]:])
					}
				} else {
					for q := range 4 {
						aa := a0 + min(q, w-1) // a short group repeats its last line
						sbase := aa*ss[o1] + bb*ss[o2]
						for t := range ln {
							lines[t*4+q] = src[sbase+t*ss[ax]]
						}
					}
				}
				if ln > 1 { // scipy leaves an axis of one voxel as it is
					splineLines4(lines, zs)
				}
				if w == 4 && o1 == 0 {
					dbase := a0 + bb*ds[o2]
					for t := lo; t < hi; t++ {
						*(*[4]float64)(dst[dbase+(t-lo)*ds[ax]:]) = *(*[4]float64)(lines[t*4:])
					}
					continue
				}
				for q := range w {
					dbase := (a0+q)*ds[o1] + bb*ds[o2]
					for t := lo; t < hi; t++ {
						dst[dbase+(t-lo)*ds[ax]] = lines[t*4+q]
					}
				}
			}
		}
		src, sn = dst, dn
	}
	return src, sn
}

// splinePowers are the constants of splineLines4 for lines of ln ≥ 2
// samples: z^(ln−1), then z^i for i = 1 … ln−2 as scipy's loop forms them
// (z, z·z, (z·z)·z, …).
func splinePowers(ln int) []float64 {
	z := math.Sqrt(3) - 2
	zs := make([]float64, max(ln-1, 1))
	zs[0] = math.Pow(z, float64(ln-1))
	zi := z
	for i := 1; i < ln-1; i++ {
		zs[i] = zi
		zi *= z
	}
	return zs
}

// splineLines4Scalar is scipy's spline_filter1d (order 3, mirror
// initialisation) on four interleaved lines of ln = len(lines)/4 ≥ 2
// samples (lines[t*4+q]: sample t of line q), in place; zs is
// splinePowers(ln). splineLines4 is this, or its AVX2 form.
func splineLines4Scalar(lines, zs []float64) {
	z := math.Sqrt(3) - 2
	gain := (1 - z) * (1 - 1/z)
	ln := len(lines) / 4
	zn1 := zs[0]
	for i := range lines {
		lines[i] *= gain
	}
	// causal init (mirror)
	e := (ln - 1) * 4
	var l0 [4]float64
	for q := range 4 {
		l0[q] = lines[q] + zn1*lines[e+q]
	}
	for i := 1; i < ln-1; i++ {
		zi := zs[i]
		for q := range 4 {
			l0[q] += zi * (lines[i*4+q] + zn1*lines[(ln-1-i)*4+q])
		}
	}
	for q := range 4 {
		lines[q] = l0[q] / (1 - zn1*zn1)
	}
	for i := 4; i < 4*ln; i++ {
		lines[i] += z * lines[i-4]
	}
	for q := range 4 {
		lines[e+q] = (z*lines[e-4+q] + lines[e+q]) * z / (z*z - 1)
	}
	for i := e - 1; i >= 0; i-- {
		lines[i] = z * (lines[i+4] - lines[i])
	}
}

// mirrorIndex is scipy's map_coordinate for an integer index in mode
// "mirror".
func mirrorIndex(in, ln int) int {
	if ln <= 1 {
		return 0
	}
	sz2 := 2*ln - 2
	if in < 0 {
		in = sz2*(-in/sz2) + in
		if in <= 1-ln {
			return in + sz2
		}
		return -in
	}
	if in > ln-1 {
		in -= sz2 * (in / sz2)
		if in >= ln {
			in = sz2 - in
		}
	}
	return in
}

// splineTaps are the coefficient offsets and weights of one cubic
// B-spline sample: idx[a][l] along numpy axis a (already times its stride).
type splineTaps struct {
	idx [3][4]int
	w   [3][4]float64
}

// axisTaps are the taps of one cubic B-spline sample along one axis.
type axisTaps struct {
	idx [4]int
	w   [4]float64
	ok  bool // false: the coordinate is outside the image (sample 0)
}

// prepareAxis sets the taps of scipy's map_coordinates(order 3, mode
// "constant", cval 0) at coordinate cc of an axis of dims voxels, for
// coefficients stored from coordinate lo on with the given stride.
func prepareAxis(cc float64, dims, lo, stride int) (s axisTaps) {
	if cc < 0 || cc > float64(dims-1) {
		return s
	}
	s.ok = true
	start := int(math.Floor(cc)) - 1
	if start >= 0 && start+3 < dims {
		for l := 0; l < 4; l++ {
			s.idx[l] = (start + l - lo) * stride
		}
	} else {
		for l := 0; l < 4; l++ {
			s.idx[l] = (mirrorIndex(start+l, dims) - lo) * stride
		}
	}
	x := cc - math.Floor(cc)
	y, z := x, 1-x
	w := &s.w
	w[1] = (y*y*(y-2.0)*3.0 + 4.0) / 6.0
	w[2] = (z*z*(z-2.0)*3.0 + 4.0) / 6.0
	w[0] = z * z * z / 6.0
	w[3] = 1.0
	for l := 0; l < 3; l++ {
		w[3] -= w[l]
	}
	return s
}

// set fills the sample's taps of numpy axis a from t; false if t is
// outside the image.
func (s *splineTaps) set(a int, t *axisTaps) bool {
	s.idx[a], s.w[a] = t.idx, t.w
	return t.ok
}

// at is the sample: scipy's sum over the 64 taps, in its order, each
// coefficient multiplied by the weights of axes 0, 1, 2 in turn.
func (s *splineTaps) at(c []float64) float64 {
	t := 0.0
	for a0 := 0; a0 < 4; a0++ {
		for a1 := 0; a1 < 4; a1++ {
			i01 := s.idx[0][a0] + s.idx[1][a1]
			for a2 := 0; a2 < 4; a2++ {
				coeff := c[i01+s.idx[2][a2]]
				coeff *= s.w[0][a0]
				coeff *= s.w[1][a1]
				coeff *= s.w[2][a2]
				t += coeff
			}
		}
	}
	return t
}

// contig4 reports whether each of the four samples' taps along axis 2
// (stride 1) are adjacent (they are unless mirrored at the border).
func contig4(s *[4]splineTaps) bool {
	contig := true
	for q := range s {
		x := s[q].idx[2]
		contig = contig && x[1] == x[0]+1 && x[2] == x[0]+2 && x[3] == x[0]+3
	}
	return contig
}

// splineAt4Scalar is at for four samples at once: the same operations per
// sample, interleaved so that the four serial sums overlap. With contig,
// a row of four taps is one slice (one bounds check). splineAt4 is this,
// or its AVX2 form (lbp3d_simd.go).
func splineAt4Scalar(c []float64, s *[4]splineTaps, contig bool) (t [4]float64) {
	for a0 := 0; a0 < 4; a0++ {
		for a1 := 0; a1 < 4; a1++ {
			w0 := [4]float64{s[0].w[0][a0], s[1].w[0][a0], s[2].w[0][a0], s[3].w[0][a0]}
			w1 := [4]float64{s[0].w[1][a1], s[1].w[1][a1], s[2].w[1][a1], s[3].w[1][a1]}
			if contig {
				r0 := (*[4]float64)(c[s[0].idx[0][a0]+s[0].idx[1][a1]+s[0].idx[2][0]:])
				r1 := (*[4]float64)(c[s[1].idx[0][a0]+s[1].idx[1][a1]+s[1].idx[2][0]:])
				r2 := (*[4]float64)(c[s[2].idx[0][a0]+s[2].idx[1][a1]+s[2].idx[2][0]:])
				r3 := (*[4]float64)(c[s[3].idx[0][a0]+s[3].idx[1][a1]+s[3].idx[2][0]:])
				for a2 := 0; a2 < 4; a2++ {
					c0, c1, c2, c3 := r0[a2], r1[a2], r2[a2], r3[a2]
					c0 *= w0[0]
					c1 *= w0[1]
					c2 *= w0[2]
					c3 *= w0[3]
					c0 *= w1[0]
					c1 *= w1[1]
					c2 *= w1[2]
					c3 *= w1[3]
					c0 *= s[0].w[2][a2]
					c1 *= s[1].w[2][a2]
					c2 *= s[2].w[2][a2]
					c3 *= s[3].w[2][a2]
					t[0] += c0
					t[1] += c1
					t[2] += c2
					t[3] += c3
				}
				continue
			}
			i0 := s[0].idx[0][a0] + s[0].idx[1][a1]
			i1 := s[1].idx[0][a0] + s[1].idx[1][a1]
			i2 := s[2].idx[0][a0] + s[2].idx[1][a1]
			i3 := s[3].idx[0][a0] + s[3].idx[1][a1]
			for a2 := 0; a2 < 4; a2++ {
				c0 := c[i0+s[0].idx[2][a2]]
				c1 := c[i1+s[1].idx[2][a2]]
				c2 := c[i2+s[2].idx[2][a2]]
				c3 := c[i3+s[3].idx[2][a2]]
				c0 *= w0[0]
				c1 *= w0[1]
				c2 *= w0[2]
				c3 *= w0[3]
				c0 *= w1[0]
				c1 *= w1[1]
				c2 *= w1[2]
				c3 *= w1[3]
				c0 *= s[0].w[2][a2]
				c1 *= s[1].w[2][a2]
				c2 *= s[2].w[2][a2]
				c3 *= s[3].w[2][a2]
				t[0] += c0
				t[1] += c1
				t[2] += c2
				t[3] += c3
			}
		}
	}
	return t
}

// integral reports whether every voxel is a whole number (the image is
// taken to be of an integer pixel type, as an int16 NIfTI read by
// SimpleITK is).
func integral(v *volume.Volume) bool {
	if whole, ok := integralFast(v.Data); ok {
		return whole
	}
	return integralScalar(v.Data)
}

// integralScalar is integral of d, in Go.
func integralScalar(d []float64) bool {
	for _, x := range d {
		// x == Trunc(x), without a call: below 2^52 through int64, above
		// every finite float (and ±Inf) is whole; NaN is not.
		if math.Abs(x) < 1<<52 {
			if x != float64(int64(x)) {
				return false
			}
		} else if x != x {
			return false
		}
	}
	return true
}

// LBP3D is pyradiomics' getLBP3DImage: for every ROI voxel, the image is
// sampled on an icosphere around it by cubic B-spline interpolation
// (scipy's map_coordinates; samples of an integer image rounded half away
// from zero, of a float image rounded to float32, as scipy writes them into
// an array of the input's type), the samples' kurtosis gives lbp-3D-k, and
// the binarised samples (≥ the voxel) projected on spherical harmonics of
// degree 0 … levels−1 give lbp-3D-m1 … (pyradiomics' complex "L2 norm",
// real part). Voxels outside the ROI are 0.
//
// pyradiomics adds the icosphere's (x, y, z) vertex components to the
// voxel's numpy (k, j, i) index; that is kept.
func LBP3D(img, mask *volume.Volume, label int, p Params) ([]Image, error) {
	return lbp3D(img, mask, label, p, nil)
}

// lbp3D is LBP3D, its images cropped to crop if not nil (ROI voxels
// outside it are skipped).
func lbp3D(img, mask *volume.Volume, label int, p Params, crop *volume.Box) ([]Image, error) {
	return lbp3DVoxels(img, mask, label, p, crop, true)
}

// lbp3DVoxels is lbp3D, four voxels at a time (lbp3dRun.fast) if
// fast, else voxel by voxel.
func lbp3DVoxels(img, mask *volume.Volume, label int, p Params, crop *volume.Box, fast bool) ([]Image, error) {
	if mask == nil || mask.Dims != img.Dims {
		return nil, fmt.Errorf("filter: LBP3D needs a mask on the image grid")
	}
	levels, radius, sub := p.LBP3DLevels, p.LBP3DIcosphereRadius, p.LBP3DIcosphereSubdivision
	if levels == 0 {
		levels = 2
	}
	if radius == 0 {
		radius = 1
	}
	if sub == 0 {
		sub = 1
	}
	if label == 0 {
		label = 1
	}
	verts := icosphere(sub, radius)
	exact := sub == 1 && radius == 1 && levels <= 5
	if exact {
		verts = defaultSphere // trimesh's vertex order: sums in pyradiomics' order
	}
	nv := len(verts)
	type col struct{ n, m int }
	var cols []col
	cols = append(cols, col{0, 0})
	for n := 1; n < levels; n++ {
		for m := -n; m <= n; m++ {
			cols = append(cols, col{n, m})
		}
	}
	Y := make([][]complex128, nv)
	for vi, q := range verts {
		theta := math.Acos(q[2] / radius)
		phi := math.Atan2(q[1], q[0])
		Y[vi] = make([]complex128, len(cols))
		for ci, c := range cols {
			if exact {
				Y[vi][ci] = defaultSphereY[vi][c.n*c.n+c.n+c.m]
			} else {
				Y[vi][ci] = sphHarm(c.m, c.n, theta, phi)
			}
		}
	}
	isInt := integral(img)
	// Coefficients the samples read: the ROI box ± (radius + 2) along each
	// axis (cubic support), or the whole axis where mirroring reaches in.
	n3 := img.Dims
	need := [3][2]int{{0, n3[0]}, {0, n3[1]}, {0, n3[2]}}
	obox := clipBox(img, crop)
	bs := obox.Size()
	// The ROI's box: with crop, crop itself (the ROI voxels read lie in
	// it; coefficients inside need do not depend on need).
	box, ok := obox, !obox.Empty()
	if crop == nil {
		box, ok = roiBox(mask, label)
	}
	if ok {
		m := int(math.Ceil(radius)) + 2
		for a := 0; a < 3; a++ {
			if lo, hi := box.Min[a]-m, box.Max[a]+m; lo >= 0 && hi <= n3[a] {
				need[a] = [2]int{lo, hi}
			}
		}
	}
	coef, cn := splineCoefficients(img, need)
	n := img.Dims
	outs := make([]*volume.Volume, levels+1)
	for l := range outs {
		outs[l] = cropped(img, obox, make([]float64, bs[0]*bs[1]*bs[2]))
	}
	// tab[v][a][c]: the taps along numpy axis a (k, j, i) of vertex v's
	// sample for a voxel at coordinate obox.Min + c along that axis: the
	// same coordinate (voxel index + vertex component) for every voxel, so
	// computed once.
	tab := make([][3][]axisTaps, nv)
	{
		dims := [3]int{n[2], n[1], n[0]}
		strides := [3]int{cn[0] * cn[1], cn[0], 1} // coef's, numpy order
		clo := [3]int{need[2][0], need[1][0], need[0][0]}
		lo := [3]int{obox.Min[2], obox.Min[1], obox.Min[0]}
		ext := [3]int{bs[2], bs[1], bs[0]}
		for vi, q := range verts {
			for a := 0; a < 3; a++ {
				tab[vi][a] = make([]axisTaps, ext[a])
				for c := range ext[a] {
					tab[vi][a][c] = prepareAxis(float64(lo[a]+c)+q[a], dims[a], clo[a], strides[a])
				}
			}
		}
	}
	r := &lbp3dRun{img: img, coef: coef, tab: tab, Y: Y, levels: levels, isInt: isInt, outs: outs, obox: obox,
		samples: make([]float64, nv), bin: make([]float64, nv), c: make([]complex128, len(cols))}
	if !fast || !r.fast(mask, label) {
		// The ROI voxels inside obox, in memory order.
		for oidx := range bs[0] * bs[1] * bs[2] {
			i, j, k := obox.Min[0]+oidx%bs[0], obox.Min[1]+oidx/bs[0]%bs[1], obox.Min[2]+oidx/(bs[0]*bs[1])
			if inLabel(mask.Data[img.Index(i, j, k)], label) {
				r.voxel(oidx, i, j, k)
			}
		}
	}
	var res []Image
	for lev := 0; lev < levels; lev++ {
		res = append(res, Image{Name: fmt.Sprintf("lbp-3D-m%d", lev+1), Volume: outs[lev]})
	}
	res = append(res, Image{Name: "lbp-3D-k", Volume: outs[levels]})
	return res, nil
}

// lbp3dRun is what LBP3D's voxels share: the spline coefficients, the
// samples' taps per vertex and coordinate (tab), the spherical harmonics
// Y[vertex][column], and the output images over obox; samples, bin and c
// are one voxel's scratch.
type lbp3dRun struct {
	img     *volume.Volume
	coef    []float64
	tab     [][3][]axisTaps
	Y       [][]complex128
	levels  int
	isInt   bool
	outs    []*volume.Volume
	obox    volume.Box
	samples []float64
	bin     []float64
	c       []complex128
}

// inLabel reports whether a mask value is the label (a whole number).
func inLabel(lab float64, label int) bool { return int(lab) == label && lab == math.Trunc(lab) }

// round is a sample as scipy writes it into an array of the input's type:
// rounded half away from zero for an integer image, to float32 otherwise.
func (r *lbp3dRun) round(x float64) float64 {
	if r.isInt {
		if x > 0 {
			return math.Trunc(x + 0.5)
		}
		return math.Trunc(x - 0.5)
	}
	return float64(float32(x))
}

// sample is vertex v's spline sample (unrounded) for the voxel (i, j, k),
// 0 outside the image: at, one sample at a time.
func (r *lbp3dRun) sample(v, i, j, k int) float64 {
	var s splineTaps
	t := &r.tab[v]
	if s.set(0, &t[0][k-r.obox.Min[2]]) && s.set(1, &t[1][j-r.obox.Min[1]]) && s.set(2, &t[2][i-r.obox.Min[0]]) {
		return s.at(r.coef)
	}
	return 0
}

// voxel computes the outputs of the ROI voxel (i, j, k), obox index oidx.
func (r *lbp3dRun) voxel(oidx, i, j, k int) {
	mean := 0.0
	// Samples four at a time (splineAt4) where all four are inside.
	for v0 := 0; v0 < len(r.tab); v0 += 4 {
		var taps [4]splineTaps
		var ok [4]bool
		var t [4]float64
		m := min(4, len(r.tab)-v0)
		all := m == 4
		for q := 0; q < m; q++ {
			tq := &r.tab[v0+q]
			ok[q] = taps[q].set(0, &tq[0][k-r.obox.Min[2]]) && taps[q].set(1, &tq[1][j-r.obox.Min[1]]) && taps[q].set(2, &tq[2][i-r.obox.Min[0]])
			all = all && ok[q]
		}
		if all {
			t = splineAt4(r.coef, &taps)
		} else {
			for q := 0; q < m; q++ {
				if ok[q] {
					t[q] = taps[q].at(r.coef)
				}
			}
		}
		for q := 0; q < m; q++ {
			x := r.round(t[q])
			r.samples[v0+q] = x
			mean += x
		}
	}
	mean /= float64(len(r.tab))
	var m2, m4 float64
	for _, s := range r.samples {
		d := s - mean
		dd := d * d
		m2 += dd
		m4 += dd * dd
	}
	m2 /= float64(len(r.tab))
	m4 /= float64(len(r.tab))
	kurt := math.NaN()
	if res := 1e-15 * mean; !(m2 <= res*res) {
		kurt = m4/(m2*m2) - 3
	}
	centre := r.img.Data[r.img.Index(i, j, k)]
	for vi, s := range r.samples {
		r.bin[vi] = 0
		if s >= centre {
			r.bin[vi] = 1
		}
	}
	// c[ci] = Σ_v bin[v]·Y[v][ci], v in order; bin is 0 or 1, so
	// complex(bin, 0)·Y adds Y or a zero.
	clear(r.c)
	for vi := range r.tab {
		if r.bin[vi] != 0 {
			for ci, y := range r.Y[vi] {
				r.c[ci] += y
			}
		}
	}
	for lev := 0; lev < r.levels; lev++ {
		var acc complex128
		// cols of degree lev are lev², …, (lev+1)² − 1.
		cl := r.c[lev*lev : (lev+1)*(lev+1)]
		for vi := range r.tab {
			var f complex128
			for ci, x := range cl {
				f += x * r.Y[vi][lev*lev+ci]
			}
			acc += f * f
		}
		r.outs[lev].Data[oidx] = real(cmplx.Sqrt(acc))
	}
	r.outs[r.levels].Data[oidx] = kurt
}

// roiBox is the bounding box of the voxels labelled label.
func roiBox(mask *volume.Volume, label int) (volume.Box, bool) {
	b := volume.Box{Min: mask.Dims}
	found := false
	for idx, x := range mask.Data {
		if x != float64(label) {
			continue
		}
		found = true
		i, j, k := mask.Coords(idx)
		c := [3]int{i, j, k}
		for a := 0; a < 3; a++ {
			b.Min[a] = min(b.Min[a], c[a])
			b.Max[a] = max(b.Max[a], c[a]+1)
		}
	}
	return b, found
}
