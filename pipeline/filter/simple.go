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

// mapped applies f to every voxel, or only to those of region (others 0).
func mapped(v *volume.Volume, f func(float64) float64, region *volume.Box) *volume.Volume {
	out := &volume.Volume{Grid: v.Grid, Data: make([]float64, len(v.Data))}
	if region == nil {
		for i, x := range v.Data {
			out.Data[i] = f(x)
		}
		return out
	}
	for k := max(region.Min[2], 0); k < min(region.Max[2], v.Dims[2]); k++ {
		for j := max(region.Min[1], 0); j < min(region.Max[1], v.Dims[1]); j++ {
			for i := max(region.Min[0], 0); i < min(region.Max[0], v.Dims[0]); i++ {
				idx := v.Index(i, j, k)
				out.Data[idx] = f(v.Data[idx])
			}
		}
	}
	return out
}

var errFlat = fmt.Errorf("filter: the image is all zeros; the filter's scale max|x| is 0")

// Square is pyradiomics' square image: (x/√max|x|)².
func Square(v *volume.Volume) (*volume.Volume, error) { return SquareRegion(v, nil) }

// SquareRegion is Square computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func SquareRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	m := maxAbs(v)
	if m == 0 {
		return nil, errFlat
	}
	c := 1 / math.Sqrt(m)
	return mapped(v, func(x float64) float64 { y := c * x; return y * y }, region), nil
}

// SquareRoot is pyradiomics' square root image: sign(x)·√(|x|·max|x|).
func SquareRoot(v *volume.Volume) (*volume.Volume, error) { return SquareRootRegion(v, nil) }

// SquareRootRegion is SquareRoot computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func SquareRootRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	c := maxAbs(v)
	return mapped(v, func(x float64) float64 {
		switch {
		case x > 0:
			return math.Sqrt(x * c)
		case x < 0:
			return -math.Sqrt(-x * c)
		}
		return x
	}, region), nil
}

// Logarithm is pyradiomics' logarithm image: sign(x)·log(|x|+1), rescaled
// so that the largest absolute value is the original's.
func Logarithm(v *volume.Volume) (*volume.Volume, error) { return LogarithmRegion(v, nil) }

// LogarithmRegion is Logarithm computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func LogarithmRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
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
	}, region)
	// The largest |log(|x|+1)| is that of the largest |x| (log is
	// monotone), so a region needs no pass over the whole image.
	top := math.Log(m + 1)
	if region == nil {
		top = maxAbs(out)
	}
	s := m / top
	for i := range out.Data {
		out.Data[i] *= s
	}
	return out, nil
}

// Exponential is pyradiomics' exponential image: exp(x·log(max|x|)/max|x|).
func Exponential(v *volume.Volume) (*volume.Volume, error) { return ExponentialRegion(v, nil) }

// ExponentialRegion is Exponential computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func ExponentialRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	m := maxAbs(v)
	if m == 0 {
		return nil, errFlat
	}
	c := math.Log(m) / m
	return mapped(v, func(x float64) float64 { return math.Exp(c * x) }, region), nil
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
