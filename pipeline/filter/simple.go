package filter

import (
	"fmt"
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// maxAbs is the largest absolute intensity (NaN if there is a NaN, as
// math.Max would give). Four running maxima, NaNs noted apart: no
// data-dependent branch in the loop.
func maxAbs(v *volume.Volume) float64 {
	if m, ok := maxAbsFast(v.Data); ok {
		return m
	}
	return maxAbsScalar(v.Data)
}

// maxAbsScalar is maxAbs of d, in Go.
func maxAbsScalar(d []float64) float64 {
	var m [4]float64
	nan := false
	i := 0
	for ; i+4 <= len(d); i += 4 {
		x := (*[4]float64)(d[i:])
		a0, a1, a2, a3 := math.Abs(x[0]), math.Abs(x[1]), math.Abs(x[2]), math.Abs(x[3])
		nan = nan || a0 != a0 || a1 != a1 || a2 != a2 || a3 != a3
		m[0], m[1], m[2], m[3] = max(m[0], a0), max(m[1], a1), max(m[2], a2), max(m[3], a3)
	}
	for ; i < len(d); i++ {
		a := math.Abs(d[i])
		nan = nan || a != a
		m[0] = max(m[0], a)
	}
	if nan {
		return math.NaN()
	}
	return max(m[0], m[1], m[2], m[3])
}

// mapped applies f to every voxel, or only to those of region (others 0).
func mapped(v *volume.Volume, f func(float64) float64, region *volume.Box) *volume.Volume {
	box := clipBox(v, region)
	return uncrop(v, box, mappedBox(v, f, box))
}

// mappedBox is f of the voxels of box, box-sized.
func mappedBox(v *volume.Volume, f func(float64) float64, box volume.Box) []float64 {
	sz := box.Size()
	out := make([]float64, 0, sz[0]*sz[1]*sz[2])
	for k := box.Min[2]; k < box.Max[2]; k++ {
		for j := box.Min[1]; j < box.Max[1]; j++ {
			row := v.Data[v.Index(box.Min[0], j, k):][:sz[0]]
			for _, x := range row {
				out = append(out, f(x))
			}
		}
	}
	return out
}

var errFlat = fmt.Errorf("filter: the image is all zeros; the filter's scale max|x| is 0")

// pointwise is the per-voxel function of pyradiomics' square, squareroot,
// logarithm and exponential images of v (its scale from the whole image).
func pointwise(name string, v *volume.Volume) (func(float64) float64, error) {
	return pointwiseScaled(name, maxAbs(v))
}

// pointwiseScaled is pointwise with the image's max|x| given as m.
func pointwiseScaled(name string, m float64) (func(float64) float64, error) {
	if m == 0 && name != "squareroot" {
		return nil, errFlat
	}
	switch name {
	case "square":
		c := 1 / math.Sqrt(m)
		return func(x float64) float64 { y := c * x; return y * y }, nil
	case "squareroot":
		return func(x float64) float64 {
			switch {
			case x > 0:
				return math.Sqrt(x * m)
			case x < 0:
				return -math.Sqrt(-x * m)
			}
			return x
		}, nil
	case "logarithm":
		// Rescaled by max|x| / max|log(|x|+1)|; the latter is log(max|x|+1)
		// (log is monotone, and 1−x = |x|+1 exactly for x < 0).
		s := m / math.Log(m+1)
		return func(x float64) float64 {
			switch {
			case x > 0:
				x = math.Log(x + 1)
			case x < 0:
				x = -math.Log(-(x - 1))
			}
			return x * s
		}, nil
	case "exponential":
		c := math.Log(m) / m
		return func(x float64) float64 { return math.Exp(c * x) }, nil
	}
	panic("filter: no pointwise image " + name)
}

func pointwiseRegion(name string, v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	f, err := pointwise(name, v)
	if err != nil {
		return nil, err
	}
	return mapped(v, f, region), nil
}

// Square is pyradiomics' square image: (x/√max|x|)².
func Square(v *volume.Volume) (*volume.Volume, error) { return SquareRegion(v, nil) }

// SquareRegion is Square computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func SquareRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	return pointwiseRegion("square", v, region)
}

// SquareRoot is pyradiomics' square root image: sign(x)·√(|x|·max|x|).
func SquareRoot(v *volume.Volume) (*volume.Volume, error) { return SquareRootRegion(v, nil) }

// SquareRootRegion is SquareRoot computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func SquareRootRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	return pointwiseRegion("squareroot", v, region)
}

// Logarithm is pyradiomics' logarithm image: sign(x)·log(|x|+1), rescaled
// so that the largest absolute value is the original's.
func Logarithm(v *volume.Volume) (*volume.Volume, error) { return LogarithmRegion(v, nil) }

// LogarithmRegion is Logarithm computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func LogarithmRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	return pointwiseRegion("logarithm", v, region)
}

// Exponential is pyradiomics' exponential image: exp(x·log(max|x|)/max|x|).
func Exponential(v *volume.Volume) (*volume.Volume, error) { return ExponentialRegion(v, nil) }

// ExponentialRegion is Exponential computed only on region (if not nil; the scale still
// comes from the whole image), 0 elsewhere.
func ExponentialRegion(v *volume.Volume, region *volume.Box) (*volume.Volume, error) {
	return pointwiseRegion("exponential", v, region)
}

// Gradient is ITK's GradientMagnitudeImageFilter as SimpleITK runs it:
// central differences ½(x[i+1] − x[i−1]), scaled by 1/spacing when
// useSpacing, with the edge voxel repeated outside the image; the magnitude
// is computed in double and stored as float32.
func Gradient(v *volume.Volume, useSpacing bool) *volume.Volume {
	return &volume.Volume{Grid: v.Grid, Data: gradientBox(v, useSpacing, clipBox(v, nil))}
}

// gradientBox is Gradient's image inside box, box-sized (each voxel reads
// only its six neighbours).
func gradientBox(v *volume.Volume, useSpacing bool, box volume.Box) []float64 {
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
	sz := box.Size()
	out := make([]float64, 0, sz[0]*sz[1]*sz[2])
	for k := box.Min[2]; k < box.Max[2]; k++ {
		for j := box.Min[1]; j < box.Max[1]; j++ {
			for i := box.Min[0]; i < box.Max[0]; i++ {
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
				out = append(out, float64(float32(math.Sqrt(a))))
			}
		}
	}
	return out
}
