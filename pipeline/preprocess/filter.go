package preprocess

import (
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// BoxFilter returns the normalised w×w×w mean of v (w odd): the paper's
// "average" filter at w = 3 and its "box" filter at w = 5. Borders replicate
// the edge voxel. It runs as three 1D running sums, so its cost does not
// grow with w.
func BoxFilter(v *volume.Volume, w int) *volume.Volume {
	if w < 1 || w%2 == 0 {
		panic("preprocess: box width must be odd and positive")
	}
	kernel := make([]float64, w)
	for i := range kernel {
		kernel[i] = 1 / float64(w)
	}
	return separable(v, func(int) []float64 { return kernel }, true)
}

// GaussianFilter returns v smoothed by a Gaussian of standard deviation
// sigma millimetres: per axis a sampled kernel exp(−x²/2σ²) with x in mm,
// truncated at ⌈3σ/spacing⌉ voxels and renormalised to sum 1. Borders
// replicate the edge voxel.
func GaussianFilter(v *volume.Volume, sigma float64) *volume.Volume {
	kernels := [3][]float64{}
	for a := 0; a < 3; a++ {
		r := int(math.Ceil(3 * sigma / v.Spacing[a]))
		k := make([]float64, 2*r+1)
		sum := 0.0
		for i := range k {
			x := float64(i-r) * v.Spacing[a]
			k[i] = math.Exp(-x * x / (2 * sigma * sigma))
			sum += k[i]
		}
		for i := range k {
			k[i] /= sum
		}
		kernels[a] = k
	}
	return separable(v, func(a int) []float64 { return kernels[a] }, false)
}

// separable convolves v along each axis with kernel(a) (odd length, centred).
// With box set, the kernel is constant and a running sum replaces the
// multiply-adds.
func separable(v *volume.Volume, kernel func(axis int) []float64, box bool) *volume.Volume {
	cur := v.Clone()
	strides := [3]int{1, v.Dims[0], v.Dims[0] * v.Dims[1]}
	maxN := max(v.Dims[0], v.Dims[1], v.Dims[2])
	line := make([]float64, maxN)
	out := make([]float64, maxN)
	for a := 0; a < 3; a++ {
		n, stride, k := v.Dims[a], strides[a], kernel(a)
		r := len(k) / 2
		if n == 1 {
			continue // replicate border: every tap reads the one voxel, weights sum to 1
		}
		forEachLine(v.Grid, a, func(start int) {
			for t := 0; t < n; t++ {
				line[t] = cur.Data[start+t*stride]
			}
			at := func(t int) float64 { return line[min(max(t, 0), n-1)] }
			if box {
				sum := 0.0
				for t := -r; t <= r; t++ {
					sum += at(t)
				}
				for t := 0; t < n; t++ {
					out[t] = sum * k[0]
					sum += at(t+r+1) - at(t-r)
				}
			} else {
				for t := 0; t < n; t++ {
					s := 0.0
					if t >= r && t+r < n {
						for q, w := range k {
							s += w * line[t-r+q]
						}
					} else {
						for q, w := range k {
							s += w * at(t-r+q)
						}
					}
					out[t] = s
				}
			}
			for t := 0; t < n; t++ {
				cur.Data[start+t*stride] = out[t]
			}
		})
	}
	return cur
}

// MedianFilter3 returns the 3×3×3 median of v. Borders replicate the edge
// voxel. Each 3×3 cross-section (a fixed i, the nine (j, k) neighbours) is
// sorted once by a sorting network and shared by the three windows that
// contain it; the median of a window is then the 14th smallest of three
// sorted columns of nine, found by a partial merge.
func MedianFilter3(v *volume.Volume) *volume.Volume {
	out := volume.New(v.Grid)
	nx, ny, nz := v.Dims[0], v.Dims[1], v.Dims[2]
	cols := make([][9]float64, nx)
	for k := 0; k < nz; k++ {
		for j := 0; j < ny; j++ {
			var rows [9]int // offsets of the nine (j', k') rows, replicated at borders
			n := 0
			for dk := -1; dk <= 1; dk++ {
				kk := min(max(k+dk, 0), nz-1)
				for dj := -1; dj <= 1; dj++ {
					jj := min(max(j+dj, 0), ny-1)
					rows[n] = nx * (jj + ny*kk)
					n++
				}
			}
			for i := 0; i < nx; i++ {
				c := &cols[i]
				for q, r := range rows {
					c[q] = v.Data[r+i]
				}
				sort9(c)
			}
			base := nx * (j + ny*k)
			for i := 0; i < nx; i++ {
				out.Data[base+i] = median27(&cols[max(i-1, 0)], &cols[i], &cols[min(i+1, nx-1)])
			}
		}
	}
	return out
}

// sort9 sorts nine values with Paeth's 25-comparator network.
func sort9(p *[9]float64) {
	cs := func(a, b int) {
		if p[a] > p[b] {
			p[a], p[b] = p[b], p[a]
		}
	}
	cs(0, 1)
	cs(3, 4)
	cs(6, 7)
	cs(1, 2)
	cs(4, 5)
	cs(7, 8)
	cs(0, 1)
	cs(3, 4)
	cs(6, 7)
	cs(0, 3)
	cs(3, 6)
	cs(0, 3)
	cs(1, 4)
	cs(4, 7)
	cs(1, 4)
	cs(2, 5)
	cs(5, 8)
	cs(2, 5)
	cs(1, 3)
	cs(5, 7)
	cs(2, 6)
	cs(4, 6)
	cs(2, 4)
	cs(2, 3)
	cs(5, 6)
}

// median27 returns the 14th smallest of the 27 values in three sorted
// columns.
func median27(a, b, c *[9]float64) float64 {
	ia, ib, ic := 0, 0, 0
	var x float64
	for n := 0; n < 14; n++ {
		va, vb, vc := math.Inf(1), math.Inf(1), math.Inf(1)
		if ia < 9 {
			va = a[ia]
		}
		if ib < 9 {
			vb = b[ib]
		}
		if ic < 9 {
			vc = c[ic]
		}
		switch {
		case va <= vb && va <= vc:
			x = va
			ia++
		case vb <= vc:
			x = vb
			ib++
		default:
			x = vc
			ic++
		}
	}
	return x
}
