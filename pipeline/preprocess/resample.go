package preprocess

import (
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// ResampleGrid returns the grid with the given spacing that covers g: same
// direction, ⌈n·s/s'⌉ voxels per axis, and the outer corner of voxel 0 where
// g's is, so the new voxel centres sit at corner + s'/2 + i·s'.
func ResampleGrid(g volume.Grid, spacing [3]float64) volume.Grid {
	out := g
	out.Spacing = spacing
	var shift [3]float64
	for a := 0; a < 3; a++ {
		out.Dims[a] = max(1, int(math.Ceil(float64(g.Dims[a])*g.Spacing[a]/spacing[a]-1e-9)))
		// Continuous index (in g) of the new voxel 0: corner −½ plus half a new voxel.
		shift[a] = -0.5 + 0.5*spacing[a]/g.Spacing[a]
	}
	out.Origin = g.IndexToPhysical(shift)
	return out
}

// Resample interpolates v onto grid g. Points of g outside v take the value
// at the nearest edge of v.
func Resample(v *volume.Volume, g volume.Grid, interp Interp) *volume.Volume {
	out := volume.New(g)
	// The continuous index in v of voxel (i,j,k) of g is base + i·c0 + j·c1 + k·c2.
	base := v.PhysicalToIndex(g.Origin)
	var step [3][3]float64
	for a := 0; a < 3; a++ {
		var e [3]float64
		e[a] = 1
		p := g.IndexToPhysical(e)
		q := v.PhysicalToIndex(p)
		for b := 0; b < 3; b++ {
			step[a][b] = q[b] - base[b]
		}
	}
	src := v
	if interp == BSpline {
		src = bsplineCoefficients(v)
	}
	n := 0
	for k := 0; k < g.Dims[2]; k++ {
		for j := 0; j < g.Dims[1]; j++ {
			var x [3]float64
			for b := 0; b < 3; b++ {
				x[b] = base[b] + float64(j)*step[1][b] + float64(k)*step[2][b]
			}
			for i := 0; i < g.Dims[0]; i++ {
				var p [3]float64
				for b := 0; b < 3; b++ {
					p[b] = x[b] + float64(i)*step[0][b]
				}
				switch interp {
				case Nearest:
					out.Data[n] = nearestAt(v, p)
				case BSpline:
					out.Data[n] = bsplineAt(src, p)
				default:
					out.Data[n] = linearAt(v, p)
				}
				n++
			}
		}
	}
	return out
}

func clampIndex(x float64, n int) float64 {
	return math.Min(math.Max(x, 0), float64(n-1))
}

func nearestAt(v *volume.Volume, p [3]float64) float64 {
	var c [3]int
	for a := 0; a < 3; a++ {
		// Round half up, as ITK's NearestNeighborInterpolateImageFunction.
		c[a] = int(math.Floor(clampIndex(p[a], v.Dims[a]) + 0.5))
	}
	return v.Data[v.Index(c[0], c[1], c[2])]
}

func linearAt(v *volume.Volume, p [3]float64) float64 {
	var i0, i1 [3]int
	var w [3]float64
	for a := 0; a < 3; a++ {
		x := clampIndex(p[a], v.Dims[a])
		f := math.Floor(x)
		i0[a] = int(f)
		i1[a] = min(i0[a]+1, v.Dims[a]-1)
		w[a] = x - f
	}
	nx, nxy := v.Dims[0], v.Dims[0]*v.Dims[1]
	at := func(i, j, k int) float64 { return v.Data[i+nx*j+nxy*k] }
	c00 := at(i0[0], i0[1], i0[2])*(1-w[0]) + at(i1[0], i0[1], i0[2])*w[0]
	c10 := at(i0[0], i1[1], i0[2])*(1-w[0]) + at(i1[0], i1[1], i0[2])*w[0]
	c01 := at(i0[0], i0[1], i1[2])*(1-w[0]) + at(i1[0], i0[1], i1[2])*w[0]
	c11 := at(i0[0], i1[1], i1[2])*(1-w[0]) + at(i1[0], i1[1], i1[2])*w[0]
	c0 := c00*(1-w[1]) + c10*w[1]
	c1 := c01*(1-w[1]) + c11*w[1]
	return c0*(1-w[2]) + c1*w[2]
}

// bsplineCoefficients returns the cubic B-spline coefficients of v: the
// image passed through the recursive prefilter of Unser (1993) along each
// axis, with mirror boundaries (pole z = √3 − 2, gain 6), as ITK's
// BSplineDecompositionImageFilter.
func bsplineCoefficients(v *volume.Volume) *volume.Volume {
	c := v.Clone()
	for a := 0; a < 3; a++ {
		n := v.Dims[a]
		if n < 2 {
			continue
		}
		stride := [3]int{1, v.Dims[0], v.Dims[0] * v.Dims[1]}[a]
		line := make([]float64, n)
		forEachLine(v.Grid, a, func(start int) {
			for t := 0; t < n; t++ {
				line[t] = c.Data[start+t*stride]
			}
			prefilterLine(line)
			for t := 0; t < n; t++ {
				c.Data[start+t*stride] = line[t]
			}
		})
	}
	return c
}

// forEachLine calls f with the offset of the first voxel of every line of g
// along axis a.
func forEachLine(g volume.Grid, a int, f func(start int)) {
	d := g.Dims
	switch a {
	case 0:
		for k := 0; k < d[2]; k++ {
			for j := 0; j < d[1]; j++ {
				f(g.Index(0, j, k))
			}
		}
	case 1:
		for k := 0; k < d[2]; k++ {
			for i := 0; i < d[0]; i++ {
				f(g.Index(i, 0, k))
			}
		}
	default:
		for j := 0; j < d[1]; j++ {
			for i := 0; i < d[0]; i++ {
				f(g.Index(i, j, 0))
			}
		}
	}
}

func prefilterLine(c []float64) {
	z := math.Sqrt(3) - 2
	n := len(c)
	for i := range c {
		c[i] *= 6 // (1 − z)(1 − 1/z)
	}
	// Causal initialisation for mirror boundaries: truncated where z^k is
	// negligible, exact (the whole mirrored line) for short lines.
	horizon := int(math.Ceil(math.Log(1e-15) / math.Log(math.Abs(z))))
	var sum float64
	if horizon < n {
		zk := 1.0
		for k := 0; k < horizon; k++ {
			sum += zk * c[k]
			zk *= z
		}
	} else {
		zn := math.Pow(z, float64(n-1))
		z2n := zn * zn
		sum = c[0] + zn*c[n-1]
		for k := 1; k < n-1; k++ {
			sum += (math.Pow(z, float64(k)) + z2n/math.Pow(z, float64(k))) * c[k]
		}
		sum /= 1 - z2n
	}
	c[0] = sum
	for k := 1; k < n; k++ {
		c[k] += z * c[k-1]
	}
	c[n-1] = (z / (z*z - 1)) * (z*c[n-2] + c[n-1])
	for k := n - 2; k >= 0; k-- {
		c[k] = z * (c[k+1] - c[k])
	}
}

// mirror folds index i into [0, n) by whole-sample mirror reflection.
func mirror(i, n int) int {
	if n == 1 {
		return 0
	}
	period := 2 * (n - 1)
	i %= period
	if i < 0 {
		i += period
	}
	if i >= n {
		i = period - i
	}
	return i
}

func bsplineWeights(x float64) (int, [4]float64) {
	f := math.Floor(x)
	t := x - f
	var w [4]float64
	w[3] = t * t * t / 6
	w[0] = (1 - t) * (1 - t) * (1 - t) / 6
	w[2] = (1 + 3*t + 3*t*t - 3*t*t*t) / 6
	w[1] = 1 - w[0] - w[2] - w[3]
	return int(f) - 1, w
}

func bsplineAt(c *volume.Volume, p [3]float64) float64 {
	var start [3]int
	var w [3][4]float64
	for a := 0; a < 3; a++ {
		start[a], w[a] = bsplineWeights(clampIndex(p[a], c.Dims[a]))
	}
	sum := 0.0
	for dk := 0; dk < 4; dk++ {
		k := mirror(start[2]+dk, c.Dims[2])
		for dj := 0; dj < 4; dj++ {
			j := mirror(start[1]+dj, c.Dims[1])
			wjk := w[2][dk] * w[1][dj]
			row := c.Index(0, j, k)
			for di := 0; di < 4; di++ {
				sum += wjk * w[0][di] * c.Data[row+mirror(start[0]+di, c.Dims[0])]
			}
		}
	}
	return sum
}
