package ibsi

import (
	"cmp"
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/scirad/scirad/pipeline/radiomics/shape"
)

// morphology adds IBSI's morphological features (manual chapter 3.1) to
// out. The mesh (marching cubes, vertices on edge midpoints), its volume,
// area and maximum diameter, the principal axes and the convex hull come
// from package shape; IBSI's PCA uses the sample covariance (N − 1), shape's
// the population one (N), so the eigenvalues are rescaled by N/(N − 1).
// The oriented minimum bounding box and the minimum-volume enclosing
// ellipsoid have no IBSI consensus value; they are computed as
// minimumBox and mvee say.
func morphology(p *Prepared, out map[string]float64) error {
	dims := [3]int{p.NX, p.NY, p.NZ}
	vals, err := shape.Compute(p.MorphMask, dims, p.Spacing)
	if err != nil {
		return fmt.Errorf("ibsi: morphology: %w", err)
	}
	sv := map[string]float64{}
	for _, v := range vals {
		sv[v.Def.Name] = v.Value
	}
	v, a := sv["MeshVolume"], sv["SurfaceArea"]
	sx, sy, sz := p.Spacing[0], p.Spacing[1], p.Spacing[2]
	box, n := boundingBox(p.MorphMask, dims)
	out["morph_volume"] = v
	out["morph_vol_approx"] = float64(n) * sx * sy * sz
	out["morph_area_mesh"] = a
	out["morph_av"] = a / v
	out["morph_comp_1"] = v / (math.Sqrt(math.Pi) * math.Pow(a, 1.5))
	out["morph_comp_2"] = 36 * math.Pi * v * v / (a * a * a)
	sph := math.Cbrt(36*math.Pi*v*v) / a
	out["morph_sph_dispr"] = 1 / sph
	out["morph_sphericity"] = sph
	out["morph_asphericity"] = 1/sph - 1
	out["morph_diam"] = sv["Maximum3DDiameter"]

	// Centre of mass shift: geometric centre of the morphological mask
	// against the intensity-weighted centre of the intensity mask.
	var gc, ic [3]float64
	var gn, isum float64
	for idx, in := range p.MorphMask {
		c := p.coords(idx)
		if in {
			for d := range 3 {
				gc[d] += c[d]
			}
			gn++
		}
		if p.IntMask[idx] {
			x := p.Image[idx]
			for d := range 3 {
				ic[d] += c[d] * x
			}
			isum += x
		}
	}
	var com float64
	for d := range 3 {
		diff := gc[d]/gn - ic[d]/isum
		com += diff * diff
	}
	out["morph_com"] = math.Sqrt(com)

	// Principal axes: shape's 4√λ with λ from the population covariance.
	scale := float64(n) / float64(n-1)
	lam := func(axis float64) float64 { return axis * axis / 16 * scale }
	lMaj, lMin, lLeast := lam(sv["MajorAxisLength"]), lam(sv["MinorAxisLength"]), lam(sv["LeastAxisLength"])
	out["morph_pca_maj_axis"] = 4 * math.Sqrt(lMaj)
	out["morph_pca_min_axis"] = 4 * math.Sqrt(lMin)
	out["morph_pca_least_axis"] = 4 * math.Sqrt(lLeast)
	out["morph_pca_elongation"] = math.Sqrt(lMin / lMaj)
	out["morph_pca_flatness"] = math.Sqrt(lLeast / lMaj)

	// Axis-aligned bounding box of the mesh: the voxels' box, whose faces
	// hold the outermost edge midpoints.
	bs := box.Size()
	ex, ey, ez := float64(bs[0])*sx, float64(bs[1])*sy, float64(bs[2])*sz
	out["morph_vol_dens_aabb"] = v / (ex * ey * ez)
	out["morph_area_dens_aabb"] = a / (2 * (ex*ey + ey*ez + ez*ex))

	// Approximate enclosing ellipsoid: semi-axes 2√λ.
	ea, eb, ec := 2*math.Sqrt(lMaj), 2*math.Sqrt(lMin), 2*math.Sqrt(lLeast)
	out["morph_vol_dens_aee"] = 3 * v / (4 * math.Pi * ea * eb * ec)
	out["morph_area_dens_aee"] = a / ellipsoidArea(ea, eb, ec)

	hull, err := shape.ConvexHullOf(p.MorphMask, dims, p.Spacing)
	if err != nil {
		return fmt.Errorf("ibsi: morphology: %w", err)
	}
	out["morph_vol_dens_conv_hull"] = v / hull.Volume()
	out["morph_area_dens_conv_hull"] = a / hull.Area()

	// Oriented minimum bounding box and minimum-volume enclosing ellipsoid
	// of the hull (no IBSI consensus values exist for either).
	bv, ba := minimumBox(hull)
	out["morph_vol_dens_ombb"] = v / bv
	out["morph_area_dens_ombb"] = a / ba
	if ax, ok := mvee(hull.Vertices); ok {
		out["morph_vol_dens_mvee"] = 3 * v / (4 * math.Pi * ax[0] * ax[1] * ax[2])
		out["morph_area_dens_mvee"] = a / ellipsoidArea(ax[0], ax[1], ax[2])
	}

	var s float64
	var ni int
	for idx, in := range p.IntMask {
		if in {
			s += p.Image[idx]
			ni++
		}
	}
	out["morph_integ_int"] = v * s / float64(ni)
	out["morph_moran_i"], out["morph_geary_c"] = p.autocorrelation()
	return nil
}

// coords returns the centre of voxel idx in mm from the box's first voxel.
func (p *Prepared) coords(idx int) [3]float64 {
	i, j, k := idx%p.NX, (idx/p.NX)%p.NY, idx/(p.NX*p.NY)
	return [3]float64{float64(i) * p.Spacing[0], float64(j) * p.Spacing[1], float64(k) * p.Spacing[2]}
}

// ellipsoidArea approximates the surface area of an ellipsoid with
// semi-axes a ≥ b ≥ c by IBSI's Legendre series (20 terms):
//
//	A ≈ 4π a b Σ_ν (αβ)^ν / (1 − 4ν²) P_ν((α² + β²)/(2αβ)),
//	α = √(1 − b²/a²), β = √(1 − c²/a²).
func ellipsoidArea(a, b, c float64) float64 {
	al, be := math.Sqrt(1-b*b/(a*a)), math.Sqrt(1-c*c/(a*a))
	if al*be == 0 {
		// A spheroid or a sphere: the series degenerates; use the
		// closed forms.
		switch {
		case a == c:
			return 4 * math.Pi * a * a
		case b == c: // prolate: a > b = c
			e := math.Sqrt(1 - c*c/(a*a))
			return 2 * math.Pi * c * c * (1 + a/(c*e)*math.Asin(e))
		default: // oblate: a = b > c
			e := math.Sqrt(1 - c*c/(a*a))
			return 2 * math.Pi * a * a * (1 + (1-e*e)/e*math.Atanh(e))
		}
	}
	x := (al*al + be*be) / (2 * al * be)
	pPrev, pCur := 1.0, x // P_0, P_1
	sum := 1.0            // ν = 0
	ab := al * be
	pow := 1.0
	for nu := 1; nu <= 20; nu++ {
		pow *= ab
		fn := float64(nu)
		sum += pow / (1 - 4*fn*fn) * pCur
		pPrev, pCur = pCur, ((2*fn+1)*x*pCur-fn*pPrev)/(fn+1)
	}
	return 4 * math.Pi * a * b * sum
}

// autocorrelation returns Moran's I and Geary's C over the intensity mask,
// with weights 1/distance (mm) between voxel centres over every pair of
// distinct voxels. The pair sums are exact correlations, computed in the
// Fourier domain: with m the mask, z = m·(x − x̄) and w(o) = 1/|o|,
//
//	Σ_pairs w = Σ_o w(o) (m ⋆ m)(o),  Σ_pairs w z_a z_b = Σ_o w(o) (z ⋆ z)(o),
//	Σ_pairs w (z_a − z_b)² = 2 Σ_o w(o) [(m ⋆ z²)(o) − (z ⋆ z)(o)],
//
// and Σ_o w(o) (a ⋆ b)(o) = (1/M) Σ_k Ŵ(k) conj(Â(k)) B̂(k) on a grid of
// M ≥ 2n − 1 voxels per axis (no wrap-around).
func (p *Prepared) autocorrelation() (moran, geary float64) {
	box, n := boundingBox(p.IntMask, [3]int{p.NX, p.NY, p.NZ})
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	var mean float64
	for idx, in := range p.IntMask {
		if in {
			mean += p.Image[idx]
		}
	}
	mean /= float64(n)
	sz := box.Size()
	var m [3]int
	for a := range 3 {
		m[a] = smoothSize(2*sz[a] - 1)
	}
	total := m[0] * m[1] * m[2]
	// Ŵ: the transform of the weights (real and even, so Ŵ is real).
	work := make([]complex128, total)
	for k := range m[2] {
		dz := float64(wrap(k, m[2])) * p.Spacing[2]
		for j := range m[1] {
			dy := float64(wrap(j, m[1])) * p.Spacing[1]
			for i := range m[0] {
				dx := float64(wrap(i, m[0])) * p.Spacing[0]
				if d := math.Sqrt(dx*dx + dy*dy + dz*dz); d > 0 {
					work[i+m[0]*(j+m[1]*k)] = complex(1/d, 0)
				}
			}
		}
	}
	fft3(work, m)
	w := make([]float64, total)
	for i, v := range work {
		w[i] = real(v)
	}
	fill := func(f func(x float64) float64) []complex128 {
		out := make([]complex128, total)
		for k := range sz[2] {
			for j := range sz[1] {
				for i := range sz[0] {
					src := box.Min[0] + i + p.NX*(box.Min[1]+j+p.NY*(box.Min[2]+k))
					if p.IntMask[src] {
						out[i+m[0]*(j+m[1]*k)] = complex(f(p.Image[src]-mean), 0)
					}
				}
			}
		}
		fft3(out, m)
		return out
	}
	fm := fill(func(float64) float64 { return 1 })
	var sw, ss float64
	for i, v := range fm {
		sw += w[i] * (real(v)*real(v) + imag(v)*imag(v))
	}
	fz := fill(func(z float64) float64 { return z })
	var sm float64
	for i, v := range fz {
		sm += w[i] * (real(v)*real(v) + imag(v)*imag(v))
	}
	fz2 := fill(func(z float64) float64 { return z * z })
	var smz2 float64
	for i, v := range fz2 {
		smz2 += w[i] * real(cmplx.Conj(fm[i])*v)
	}
	for idx, in := range p.IntMask {
		if in {
			d := p.Image[idx] - mean
			ss += d * d
		}
	}
	scale := 1 / float64(total)
	sw, sm, smz2 = sw*scale, sm*scale, smz2*scale
	sg := 2 * (smz2 - sm)
	if ss == 0 {
		return math.NaN(), math.NaN()
	}
	moran = float64(n) / sw * sm / ss
	geary = float64(n-1) / (2 * sw) * sg / ss
	return moran, geary
}

// wrap is the signed offset of index i on a circular axis of m samples.
func wrap(i, m int) int {
	if i > m/2 {
		return i - m
	}
	return i
}

// smoothSize is the smallest n' ≥ n whose only prime factors are 2, 3, 5.
func smoothSize(n int) int {
	for ; ; n++ {
		r := n
		for _, f := range []int{2, 3, 5} {
			for r%f == 0 {
				r /= f
			}
		}
		if r == 1 {
			return n
		}
	}
}

// fft3 is the forward discrete Fourier transform of a volume (x fastest),
// in place, axis by axis.
func fft3(data []complex128, n [3]int) {
	stride := [3]int{1, n[0], n[0] * n[1]}
	for a := range 3 {
		if n[a] < 2 {
			continue
		}
		t := fourier.NewCmplxFFT(n[a])
		line, res := make([]complex128, n[a]), make([]complex128, n[a])
		b, c := (a+1)%3, (a+2)%3
		for v := range n[c] {
			for u := range n[b] {
				base := u*stride[b] + v*stride[c]
				for i := range line {
					line[i] = data[base+i*stride[a]]
				}
				t.Coefficients(res, line)
				for i, x := range res {
					data[base+i*stride[a]] = x
				}
			}
		}
	}
}

// minimumBox returns the volume and surface area of the smallest-volume
// box found that encloses the hull: for every hull face direction (and the
// three axes), the box with one side normal to it whose cross-section is
// the exact minimum-area rectangle of the vertices projected on the plane
// (rotating calipers). A minimum box has a face flush with a hull face in
// most configurations (O'Rourke 1985: at least two edges flush in general),
// so this is IBSI's oriented minimum bounding box or slightly above it.
func minimumBox(h *shape.TriangleMesh) (volume, area float64) {
	volume, area = math.Inf(1), math.NaN()
	if len(h.Triangles) == 0 {
		return volume, area
	}
	normals := [][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for _, f := range h.Triangles {
		a, b, c := h.Vertices[f[0]], h.Vertices[f[1]], h.Vertices[f[2]]
		n := cross3(sub3(b, a), sub3(c, a))
		if l := math.Sqrt(dot3(n, n)); l > 0 {
			normals = append(normals, [3]float64{n[0] / l, n[1] / l, n[2] / l})
		}
	}
	pts := make([][2]float64, len(h.Vertices))
	for _, n := range normals {
		// An orthonormal basis (u, w) of the plane normal to n.
		ref := [3]float64{1, 0, 0}
		if math.Abs(n[0]) > 0.9 {
			ref = [3]float64{0, 1, 0}
		}
		u := cross3(n, ref)
		lu := math.Sqrt(dot3(u, u))
		u = [3]float64{u[0] / lu, u[1] / lu, u[2] / lu}
		w := cross3(n, u)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, p := range h.Vertices {
			d := dot3(p, n)
			lo, hi = min(lo, d), max(hi, d)
			pts[i] = [2]float64{dot3(p, u), dot3(p, w)}
		}
		depth := hi - lo
		rw, rh := minRectangle(pts)
		if vol := rw * rh * depth; vol < volume {
			volume, area = vol, 2*(rw*rh+rh*depth+depth*rw)
		}
	}
	return volume, area
}

// minRectangle returns the sides of the minimum-area rectangle enclosing
// the points: one side is collinear with an edge of their convex hull
// (Freeman & Shapira 1975), so every hull edge direction is tried.
func minRectangle(pts [][2]float64) (w, h float64) {
	hull := hull2D(pts)
	best := math.Inf(1)
	for i := range hull {
		p, q := hull[i], hull[(i+1)%len(hull)]
		ex, ey := q[0]-p[0], q[1]-p[1]
		l := math.Hypot(ex, ey)
		if l == 0 {
			continue
		}
		ex, ey = ex/l, ey/l
		alo, ahi, blo, bhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, r := range hull {
			a, b := r[0]*ex+r[1]*ey, -r[0]*ey+r[1]*ex
			alo, ahi = min(alo, a), max(ahi, a)
			blo, bhi = min(blo, b), max(bhi, b)
		}
		if ar := (ahi - alo) * (bhi - blo); ar < best {
			best, w, h = ar, ahi-alo, bhi-blo
		}
	}
	return w, h
}

// hull2D is the convex hull of 2D points, counter-clockwise (Andrew's
// monotone chain).
func hull2D(pts [][2]float64) [][2]float64 {
	p := slices.Clone(pts)
	slices.SortFunc(p, func(a, b [2]float64) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	turn := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	var lower, upper [][2]float64
	for _, q := range p {
		for len(lower) >= 2 && turn(lower[len(lower)-2], lower[len(lower)-1], q) <= 0 {
			lower = lower[:len(lower)-1]
		}
		lower = append(lower, q)
	}
	for i := len(p) - 1; i >= 0; i-- {
		q := p[i]
		for len(upper) >= 2 && turn(upper[len(upper)-2], upper[len(upper)-1], q) <= 0 {
			upper = upper[:len(upper)-1]
		}
		upper = append(upper, q)
	}
	return append(lower[:len(lower)-1], upper[:len(upper)-1]...)
}

// mvee returns the semi-axes, descending, of the minimum-volume ellipsoid
// enclosing the points: Khachiyan's algorithm (as MIRP uses) with the
// Todd–Yıldırım away steps, stopped when the ellipsoid enlarged by a factor
// 1 + 1e-6 (in its squared norm) holds every point; false if that takes
// more than 100,000 steps or the points are flat.
func mvee(pts [][3]float64) ([3]float64, bool) {
	n := len(pts)
	if n < 4 {
		return [3]float64{}, false
	}
	var c0 [3]float64 // centre the points for conditioning
	for _, p := range pts {
		for d := range 3 {
			c0[d] += p[d] / float64(n)
		}
	}
	q := make([][4]float64, n)
	for i, p := range pts {
		q[i] = [4]float64{p[0] - c0[0], p[1] - c0[1], p[2] - c0[2], 1}
	}
	u := make([]float64, n)
	for i := range u {
		u[i] = 1 / float64(n)
	}
	// X = Σ u q qᵀ, kept up to date by rank-one steps.
	x := mat.NewSymDense(4, nil)
	for i, qi := range q {
		for a := range 4 {
			for b := a; b < 4; b++ {
				x.SetSym(a, b, x.At(a, b)+u[i]*qi[a]*qi[b])
			}
		}
	}
	const eps, dim1 = 1e-6, 4.0
	var xi mat.Dense
	converged := false
	for iter := 0; iter < 100000; iter++ {
		if err := xi.Inverse(x); err != nil {
			return [3]float64{}, false
		}
		var inv [4][4]float64
		for a := range 4 {
			for b := range 4 {
				inv[a][b] = xi.At(a, b)
			}
		}
		j, mj := 0, math.Inf(-1) // farthest point
		k, mk := -1, math.Inf(1) // nearest point with weight
		for i, qi := range q {
			var m float64
			for a := range 4 {
				r := inv[a]
				m += qi[a] * (r[0]*qi[0] + r[1]*qi[1] + r[2]*qi[2] + r[3]*qi[3])
			}
			if m > mj {
				j, mj = i, m
			}
			if u[i] > 0 && m < mk {
				k, mk = i, m
			}
		}
		up, down := mj/dim1-1, 1-mk/dim1
		if max(up, down) <= eps {
			converged = true
			break
		}
		var t int
		var beta float64
		if up > down {
			t, beta = j, (mj-dim1)/(dim1*(mj-1))
			scaleRankOne(x, 1-beta, beta, q[t])
			for i := range u {
				u[i] *= 1 - beta
			}
			u[t] += beta
		} else {
			t, beta = k, min((dim1-mk)/(dim1*(mk-1)), u[k]/(1-u[k]))
			scaleRankOne(x, 1+beta, -beta, q[t])
			for i := range u {
				u[i] *= 1 + beta
			}
			u[t] -= beta
			if u[t] < 1e-300 {
				u[t] = 0
			}
		}
	}
	if !converged {
		return [3]float64{}, false
	}
	// Centre c = Σ u p; shape A = (Σ u p pᵀ − c cᵀ)⁻¹ / 3.
	var c [3]float64
	for i, qi := range q {
		for d := range 3 {
			c[d] += u[i] * qi[d]
		}
	}
	cov := mat.NewSymDense(3, nil)
	for a := range 3 {
		for b := a; b < 3; b++ {
			var s float64
			for i, qi := range q {
				s += u[i] * qi[a] * qi[b]
			}
			cov.SetSym(a, b, s-c[a]*c[b])
		}
	}
	// A's eigenvalues are 1/(3 λ) for the eigenvalues λ of cov, so the
	// semi-axes 1/√(eig A) are √(3 λ).
	var eig mat.EigenSym
	if !eig.Factorize(cov, false) {
		return [3]float64{}, false
	}
	l := eig.Values(nil) // ascending
	if l[0] <= 0 {
		return [3]float64{}, false
	}
	return [3]float64{math.Sqrt(3 * l[2]), math.Sqrt(3 * l[1]), math.Sqrt(3 * l[0])}, true
}

// scaleRankOne sets x to s·x + w·q qᵀ.
func scaleRankOne(x *mat.SymDense, s, w float64, q [4]float64) {
	for a := range 4 {
		for b := a; b < 4; b++ {
			x.SetSym(a, b, s*x.At(a, b)+w*q[a]*q[b])
		}
	}
}

func sub3(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot3(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
