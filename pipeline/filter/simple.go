package filter

import (
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// maxAbs is the largest absolute intensity.
func maxAbs(v *volume.Volume) float64 {
	m := 0.0
	for _, x := range v.Data {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func mapped(v *volume.Volume, f func(float64) float64) *volume.Volume {
	out := &volume.Volume{Grid: v.Grid, Data: make([]float64, len(v.Data))}
	for i, x := range v.Data {
		out.Data[i] = f(x)
	}
	return out
}

var errFlat = fmt.Errorf("filter: the image is all zeros; the filter's scale max|x| is 0")

// Square is pyradiomics' square image: (x/√max|x|)².
func Square(v *volume.Volume) (*volume.Volume, error) {
	m := maxAbs(v)
	if m == 0 {
		return nil, errFlat
	}
	c := 1 / math.Sqrt(m)
	return mapped(v, func(x float64) float64 { y := c * x; return y * y }), nil
}

// SquareRoot is pyradiomics' square root image: sign(x)·√(|x|·max|x|).
func SquareRoot(v *volume.Volume) (*volume.Volume, error) {
	c := maxAbs(v)
	return mapped(v, func(x float64) float64 {
		switch {
		case x > 0:
			return math.Sqrt(x * c)
		case x < 0:
			return -math.Sqrt(-x * c)
		}
		return x
	}), nil
}

// Logarithm is pyradiomics' logarithm image: sign(x)·log(|x|+1), rescaled
// so that the largest absolute value is the original's.
func Logarithm(v *volume.Volume) (*volume.Volume, error) {
	m := maxAbs(v)
	if m == 0 {
		return nil, errFlat
	}
	out := mapped(v, func(x float64) float64 {
		switch {
		case x > 0:
			return math.Log(x + 1)
		case x < 0:
			return -math.Log(-(x - 1))
		}
		return x
	})
	s := m / maxAbs(out)
	for i := range out.Data {
		out.Data[i] *= s
	}
	return out, nil
}

// Exponential is pyradiomics' exponential image: exp(x·log(max|x|)/max|x|).
func Exponential(v *volume.Volume) (*volume.Volume, error) {
	m := maxAbs(v)
	if m == 0 {
		return nil, errFlat
	}
	c := math.Log(m) / m
	return mapped(v, func(x float64) float64 { return math.Exp(c * x) }), nil
}

// Gradient is ITK's GradientMagnitudeImageFilter as SimpleITK runs it:
// central differences ½(x[i+1] − x[i−1]), scaled by 1/spacing when
// useSpacing, with the edge voxel repeated outside the image; the magnitude
// is computed in double and stored as float32.
func Gradient(v *volume.Volume, useSpacing bool) *volume.Volume {
	var c0, c2 [3]float64
	for a := 0; a < 3; a++ {
		c0[a], c2[a] = 0.5, -0.5
		if useSpacing {
			s := 1.0 / v.Spacing[a]
			c0[a], c2[a] = 0.5*s, -0.5*s
		}
	}
	n := v.Dims
	stride := [3]int{1, n[0], n[0] * n[1]}
	out := &volume.Volume{Grid: v.Grid, Data: make([]float64, len(v.Data))}
	for k := 0; k < n[2]; k++ {
		for j := 0; j < n[1]; j++ {
			for i := 0; i < n[0]; i++ {
				idx := i + n[0]*(j+n[1]*k)
				pos := [3]int{i, j, k}
				a := 0.0
				for ax := 0; ax < 3; ax++ {
					lo, hi := idx-stride[ax], idx+stride[ax]
					if pos[ax] == 0 {
						lo = idx
					}
					if pos[ax] == n[ax]-1 {
						hi = idx
					}
					g := float64(c0[ax]*v.Data[lo]) + float64(0*v.Data[idx])
					g += float64(c2[ax] * v.Data[hi])
					a += float64(g * g)
				}
				out.Data[i+n[0]*(j+n[1]*k)] = float64(float32(math.Sqrt(a)))
			}
		}
	}
	return out
}
