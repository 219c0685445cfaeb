package filter

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// TestSplineAt4: splineAt4 (four samples at once, AVX2 where the CPU has
// it) equals the one-sample sum at — scipy's tap order — to the bit, inside
// the image and at its mirrored borders.
func TestSplineAt4(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := volume.New(volume.NewGrid([3]int{13, 11, 9}, [3]float64{1, 1, 1}))
	for i := range v.Data {
		v.Data[i] = math.Round(r.NormFloat64() * 500)
	}
	n := v.Dims
	c, _ := splineCoefficients(v, [3][2]int{{0, n[0]}, {0, n[1]}, {0, n[2]}})
	dims := [3]int{n[2], n[1], n[0]}
	strides := [3]int{n[0] * n[1], n[0], 1}
	for it := 0; it < 2000; it++ {
		var taps [4]splineTaps
		for q := range taps {
			for a := 0; a < 3; a++ {
				lo := 1.0
				if it%3 == 0 { // reach the borders (mirrored taps)
					lo = 0
				}
				x := lo + r.Float64()*(float64(dims[a]-1)-2*lo)
				at := prepareAxis(x, dims[a], 0, strides[a])
				taps[q].set(a, &at)
			}
		}
		got := splineAt4(c, &taps)
		for q := range taps {
			if want := taps[q].at(c); math.Float64bits(got[q]) != math.Float64bits(want) {
				t.Fatalf("sample %d of try %d: four at once %v, one %v", q, it, got[q], want)
			}
		}
	}
}

// splineLineRef is scipy's spline_filter1d (order 3, mirror init) on one
// line, written as plainly as scipy's C: the reference for
// splineCoefficients' interleaved lines.
func splineLineRef(line []float64) {
	ln := len(line)
	if ln <= 1 {
		return
	}
	z := math.Sqrt(3) - 2
	gain := (1 - z) * (1 - 1/z)
	for t := range line {
		line[t] *= gain
	}
	zi := z
	zn1 := math.Pow(z, float64(ln-1))
	line[0] = line[0] + zn1*line[ln-1]
	for i := 1; i < ln-1; i++ {
		line[0] += zi * (line[i] + zn1*line[ln-1-i])
		zi *= z
	}
	line[0] /= 1 - zn1*zn1
	for i := 1; i < ln; i++ {
		line[i] += z * line[i-1]
	}
	line[ln-1] = (z*line[ln-2] + line[ln-1]) * z / (z*z - 1)
	for i := ln - 2; i >= 0; i-- {
		line[i] = z * (line[i+1] - line[i])
	}
}

// TestSplineCoefficients: the interleaved, box-restricted prefilter equals
// scipy's axis-by-axis line filter (k, then j, then i) on the whole image,
// to the bit, inside need — odd line counts and an axis of one voxel too.
func TestSplineCoefficients(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range [][3]int{{13, 11, 9}, {7, 6, 1}} {
		v := volume.New(volume.NewGrid(n, [3]float64{1, 1, 1}))
		for i := range v.Data {
			v.Data[i] = math.Round(r.NormFloat64() * 500)
		}
		ref := append([]float64(nil), v.Data...)
		st := [3]int{1, n[0], n[0] * n[1]}
		for _, ax := range []int{2, 1, 0} {
			o1, o2 := (ax+1)%3, (ax+2)%3
			line := make([]float64, n[ax])
			for b := 0; b < n[o2]; b++ {
				for a := 0; a < n[o1]; a++ {
					base := a*st[o1] + b*st[o2]
					for q := range line {
						line[q] = ref[base+q*st[ax]]
					}
					splineLineRef(line)
					for q := range line {
						ref[base+q*st[ax]] = line[q]
					}
				}
			}
		}
		for _, need := range [][3][2]int{{{0, n[0]}, {0, n[1]}, {0, n[2]}}, {{2, 6}, {1, n[1]}, {0, n[2]}}} {
			c, cn := splineCoefficients(v, need)
			for k := 0; k < cn[2]; k++ {
				for j := 0; j < cn[1]; j++ {
					for i := 0; i < cn[0]; i++ {
						got := c[i+cn[0]*(j+cn[1]*k)]
						want := ref[v.Index(i+need[0][0], j+need[1][0], k+need[2][0])]
						if math.Float64bits(got) != math.Float64bits(want) {
							t.Fatalf("dims %v need %v coefficient (%d,%d,%d): %v, scipy's order %v", n, need, i, j, k, got, want)
						}
					}
				}
			}
		}
	}
}

// TestIntegral: integral is x == math.Trunc(x) for every voxel, with the
// value at every position of short and odd lengths (the four-lane loop and
// its tail).
func TestIntegral(t *testing.T) {
	for _, x := range []float64{0, -0.0, 2, -3, 1 << 52, 1<<52 + 1, 1e300, -1e300, math.Inf(1), math.Inf(-1), 0.5, -2.25, 1<<51 + 0.5, math.NaN(), math.SmallestNonzeroFloat64} {
		for n := 1; n <= 11; n++ {
			for at := range n {
				v := ramp([3]int{n, 1, 1})
				for i := range v.Data {
					v.Data[i] = float64(i) - 4
				}
				v.Data[at] = x
				if got, want := integral(v), x == math.Trunc(x); got != want {
					t.Fatalf("integral with %v at %d of %d: %v, want %v", x, at, n, got, want)
				}
			}
		}
	}
}

// TestLBP3DFast: LBP3D four voxels at a time (lbp3dRun.fast, AVX2 lanes)
// equals it voxel by voxel to the bit, on integer and float images, with
// the default and other icospheres and levels, for ROIs that reach the
// image's border (mirrored and outside taps) and rows of every length.
func TestLBP3DFast(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	n := [3]int{14, 9, 8}
	for it, p := range []Params{{}, {LBP3DLevels: 3, LBP3DIcosphereRadius: 1.5}, {LBP3DLevels: 2, LBP3DIcosphereSubdivision: 2}} {
		for _, isInt := range []bool{true, false} {
			img := volume.New(volume.NewGrid(n, [3]float64{1, 1, 1}))
			mask := volume.New(img.Grid)
			for i := range img.Data {
				img.Data[i] = r.NormFloat64() * 300
				if isInt {
					img.Data[i] = math.Round(img.Data[i] / 50) // many ties with the centre
				}
				if r.Float64() < 0.6 {
					mask.Data[i] = 1
				}
			}
			for _, crop := range []*volume.Box{nil, {Min: [3]int{1, 2, 0}, Max: [3]int{6, 9, 5}}, {Min: [3]int{9, 0, 3}, Max: [3]int{14, 4, 8}}} {
				want, err := lbp3DVoxels(img, mask, 1, p, crop, false)
				if err != nil {
					t.Fatal(err)
				}
				got, err := lbp3DVoxels(img, mask, 1, p, crop, true)
				if err != nil {
					t.Fatal(err)
				}
				for l := range want {
					for i, x := range want[l].Volume.Data {
						if y := got[l].Volume.Data[i]; math.Float64bits(x) != math.Float64bits(y) {
							t.Fatalf("params %d int %v crop %v %s voxel %d: four at a time %v, one %v", it, isInt, crop, want[l].Name, i, y, x)
						}
					}
				}
			}
		}
	}
}
