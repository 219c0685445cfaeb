package preprocess

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

type golden struct {
	Dims    [3]int
	Mean3   []float64
	Box5    []float64
	Median3 []float64
	Gauss1  []float64
	Points  [][3]float64 `json:"bspline_points"`
	BSpline []float64
	Linear  []float64
}

// goldenVolume builds the formula-defined volume of testdata/preprocess/make_golden.py.
func goldenVolume(t testing.TB) (*volume.Volume, golden) {
	t.Helper()
	b, err := os.ReadFile("../../testdata/preprocess/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	v := volume.New(volume.NewGrid(g.Dims, [3]float64{1, 1, 1}))
	for k := 0; k < g.Dims[2]; k++ {
		for j := 0; j < g.Dims[1]; j++ {
			for i := 0; i < g.Dims[0]; i++ {
				x := math.Sin(0.7*float64(i)+1.3*float64(j*j)/7+0.4*float64(k)) + 0.05*float64((i*7+j*3+k*5)%11)
				v.Set(i, j, k, x)
			}
		}
	}
	return v, g
}

func assertClose(t *testing.T, what string, got, want []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > rel*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (scipy)", what, i, got[i], want[i])
		}
	}
}

// Expected values: scipy.ndimage 1.10.1 (testdata/preprocess/make_golden.py).
func TestFiltersMatchScipy(t *testing.T) {
	v, g := goldenVolume(t)
	assertClose(t, "mean3", BoxFilter(v, 3).Data, g.Mean3, 1e-12)
	assertClose(t, "box5", BoxFilter(v, 5).Data, g.Box5, 1e-12)
	assertClose(t, "median3", MedianFilter3(v).Data, g.Median3, 1e-15)
	assertClose(t, "gauss1", GaussianFilter(v, 1).Data, g.Gauss1, 1e-12)
}

// Expected values: scipy.ndimage.map_coordinates (order 3, mode "mirror";
// order 1, mode "nearest").
func TestInterpolationMatchesScipy(t *testing.T) {
	v, g := goldenVolume(t)
	c := bsplineCoefficients(v)
	var bs, lin []float64
	for _, p := range g.Points {
		bs = append(bs, bsplineAt(c, p))
		lin = append(lin, linearAt(v, p))
	}
	assertClose(t, "bspline", bs, g.BSpline, 1e-10)
	assertClose(t, "linear", lin, g.Linear, 1e-12)
}

func TestBSplineInterpolates(t *testing.T) {
	v, _ := goldenVolume(t)
	c := bsplineCoefficients(v)
	for idx := range v.Data {
		i, j, k := v.Coords(idx)
		got := bsplineAt(c, [3]float64{float64(i), float64(j), float64(k)})
		if math.Abs(got-v.Data[idx]) > 1e-10 {
			t.Fatalf("B-spline at grid point (%d,%d,%d) = %g, want %g", i, j, k, got, v.Data[idx])
		}
	}
}

func TestResampleGrid(t *testing.T) {
	g := volume.NewGrid([3]int{512, 512, 16}, [3]float64{0.46875, 0.46875, 4})
	g.Origin = [3]float64{-10, 20, 5}
	r := ResampleGrid(g, [3]float64{1, 1, 1})
	if r.Dims != [3]int{240, 240, 64} {
		t.Fatalf("dims %v, want [240 240 64]", r.Dims)
	}
	// The outer corner of voxel 0 is preserved: origin − s/2 = origin' − s'/2.
	for a := 0; a < 3; a++ {
		want := g.Origin[a] - g.Spacing[a]/2 + 0.5
		if math.Abs(r.Origin[a]-want) > 1e-12 {
			t.Fatalf("origin[%d] = %g, want %g", a, r.Origin[a], want)
		}
	}
}

// A linear ramp is reproduced exactly by linear interpolation.
func TestResampleLinearRamp(t *testing.T) {
	g := volume.NewGrid([3]int{10, 8, 6}, [3]float64{0.5, 0.5, 2})
	v := volume.New(g)
	ramp := func(p [3]float64) float64 { return 2*p[0] - 3*p[1] + 0.5*p[2] + 1 }
	for idx := range v.Data {
		i, j, k := v.Coords(idx)
		v.Data[idx] = ramp(g.IndexToPhysical([3]float64{float64(i), float64(j), float64(k)}))
	}
	out := Resample(v, ResampleGrid(g, [3]float64{1, 1, 1}), Linear)
	for idx, x := range out.Data {
		i, j, k := out.Coords(idx)
		p := out.IndexToPhysical([3]float64{float64(i), float64(j), float64(k)})
		q := v.PhysicalToIndex(p)
		inside := true
		for a := 0; a < 3; a++ {
			inside = inside && q[a] >= 0 && q[a] <= float64(g.Dims[a]-1)
		}
		if inside && math.Abs(x-ramp(p)) > 1e-9 {
			t.Fatalf("resampled ramp at %v = %g, want %g", p, x, ramp(p))
		}
	}
}

func TestRunPaper(t *testing.T) {
	g := volume.NewGrid([3]int{40, 30, 8}, [3]float64{0.5, 0.5, 4})
	img, mask := volume.New(g), volume.New(g)
	for idx := range img.Data {
		i, j, k := img.Coords(idx)
		img.Data[idx] = 100 + float64(i*j) + 10*float64(k)
		if i >= 10 && i < 30 && j >= 10 && j < 20 && k >= 2 && k < 6 {
			mask.Data[idx] = 2
			if i < 16 {
				mask.Data[idx] = 1
			}
		}
	}
	r, err := Run(img, mask, Paper())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Images) != 5 || r.Image("median") == nil {
		t.Fatalf("got images %v", r.Names)
	}
	if r.Mask.Spacing != [3]float64{1, 1, 1} {
		t.Fatalf("mask spacing %v", r.Mask.Spacing)
	}
	labels, _ := r.Mask.Labels()
	if len(labels) != 2 || labels[0] != 1 || labels[1] != 2 {
		t.Fatalf("labels after resampling %v, want [1 2]", labels)
	}
	for _, im := range r.Images {
		if err := im.SameGrid(r.Mask.Grid, 1e-9); err != nil {
			t.Fatal(err)
		}
		lo, hi := im.MinMax()
		if lo < 0 || hi > 1+1e-12 {
			t.Fatalf("normalised image outside [0,1]: %g..%g", lo, hi)
		}
	}
}

func TestRunErrors(t *testing.T) {
	g := volume.NewGrid([3]int{6, 6, 6}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	if _, err := Run(img, mask, Paper()); err == nil || !strings.Contains(err.Error(), "no voxel") {
		t.Errorf("empty mask: err = %v", err)
	}
	mask.Set(2, 2, 2, 1)
	img.Set(1, 1, 1, math.NaN())
	if _, err := Run(img, mask, Paper()); err == nil || !strings.Contains(err.Error(), "voxel (1,1,1)") {
		t.Errorf("NaN: err = %v", err)
	}
	other := volume.New(volume.NewGrid([3]int{6, 6, 5}, [3]float64{1, 1, 1}))
	if _, err := Run(img, other, Paper()); err == nil || !strings.Contains(err.Error(), "dims 6x6x6") {
		t.Errorf("grid mismatch: err = %v", err)
	}
}

func BenchmarkResample512(b *testing.B) {
	g := volume.NewGrid([3]int{512, 512, 16}, [3]float64{0.47, 0.47, 4})
	v := volume.New(g)
	for i := range v.Data {
		v.Data[i] = float64(i % 977)
	}
	dst := ResampleGrid(g, [3]float64{1, 1, 1})
	for _, c := range []struct {
		name   string
		interp Interp
	}{{"linear", Linear}, {"bspline", BSpline}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Resample(v, dst, c.interp)
			}
			b.ReportMetric(float64(dst.Len())/1e6, "Mvox")
		})
	}
}

func BenchmarkFilters(b *testing.B) {
	v := volume.New(volume.NewGrid([3]int{256, 256, 72}, [3]float64{1, 1, 1}))
	for i := range v.Data {
		v.Data[i] = float64((i*7919)%1009) / 1009
	}
	mvox := float64(v.Len()) / 1e6
	for _, c := range []struct {
		name string
		f    func(*volume.Volume) *volume.Volume
	}{
		{"mean3", func(v *volume.Volume) *volume.Volume { return BoxFilter(v, 3) }},
		{"box5", func(v *volume.Volume) *volume.Volume { return BoxFilter(v, 5) }},
		{"gaussian1mm", func(v *volume.Volume) *volume.Volume { return GaussianFilter(v, 1) }},
		{"median3", MedianFilter3},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f(v)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N)/mvox, "ms/Mvox")
		})
	}
}
