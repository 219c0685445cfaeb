package ibsi

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/scirad/scirad/pipeline/radiomics/shape"
)

// morphology adds IBSI's morphological features (manual chapter 3.1) to
// out. The mesh (marching cubes, vertices on edge midpoints), its volume,
// area and maximum diameter, the principal axes and the convex hull come
// from package shape; IBSI's PCA uses the sample covariance (N − 1), shape's
// the population one (N), so the eigenvalues are rescaled by N/(N − 1).
// The oriented minimum bounding box and the minimum-volume enclosing
// ellipsoid (no IBSI consensus value) are not computed.
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

	hv, ha, err := shape.ConvexHull(p.MorphMask, dims, p.Spacing)
	if err != nil {
		return fmt.Errorf("ibsi: morphology: %w", err)
	}
	out["morph_vol_dens_conv_hull"] = v / hv
	out["morph_area_dens_conv_hull"] = a / ha

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
