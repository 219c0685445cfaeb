package volume

import (
	"math"
	"strings"
	"testing"
)

// The affine of the spine case t2.nii.gz (testdata/spine/README.md),
// [[0,0,1,-32.2193],[-1,0,0,31.7866],[0,1,0,-19.3217]] in RAS, is in LPS
// [[0,0,-1,32.2193],[1,0,0,-31.7866],[0,1,0,-19.3217]].
func spineGrid() Grid {
	return Grid{
		Dims:      [3]int{60, 55, 52},
		Spacing:   [3]float64{1, 1, 1},
		Origin:    [3]float64{32.2193, -31.7866, -19.3217},
		Direction: [9]float64{0, 0, -1, 1, 0, 0, 0, 1, 0},
	}
}

func TestIndexPhysicalRoundTrip(t *testing.T) {
	g := spineGrid()
	g.Spacing = [3]float64{0.5, 0.8, 3.3}
	// An oblique direction (rotation about z by 20°).
	c, s := math.Cos(0.349), math.Sin(0.349)
	g.Direction = [9]float64{c, -s, 0, s, c, 0, 0, 0, 1}
	for _, idx := range [][3]float64{{0, 0, 0}, {1, 2, 3}, {59.5, -1, 10.25}} {
		p := g.IndexToPhysical(idx)
		back := g.PhysicalToIndex(p)
		for a := 0; a < 3; a++ {
			if math.Abs(back[a]-idx[a]) > 1e-12 {
				t.Fatalf("index %v → %v → %v", idx, p, back)
			}
		}
	}
	// Voxel (31,44,26) of the spine case (its label 3) in LPS.
	p := spineGrid().IndexToPhysical([3]float64{31, 44, 26})
	want := [3]float64{32.2193 - 26, -31.7866 + 31, -19.3217 + 44}
	for a := 0; a < 3; a++ {
		if math.Abs(p[a]-want[a]) > 1e-12 {
			t.Fatalf("physical %v, want %v", p, want)
		}
	}
}

func TestIndexCoords(t *testing.T) {
	g := NewGrid([3]int{4, 3, 2}, [3]float64{1, 1, 1})
	for idx := 0; idx < g.Len(); idx++ {
		i, j, k := g.Coords(idx)
		if g.Index(i, j, k) != idx {
			t.Fatalf("Coords(%d) = %d,%d,%d", idx, i, j, k)
		}
	}
}

func TestSameGrid(t *testing.T) {
	g := spineGrid()
	h := g
	h.Origin[0] += 2.9e-6 // the spine fake-lesion masks differ by this much
	if err := g.SameGrid(h, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	h.Origin[0] += 0.1
	err := g.SameGrid(h, DefaultTolerance)
	if err == nil || !strings.Contains(err.Error(), "origin (32.2193") || !strings.Contains(err.Error(), "32.3193") {
		t.Fatalf("err = %v, want both grids printed", err)
	}
	h = g
	h.Dims[2] = 51
	if g.SameGrid(h, DefaultTolerance) == nil {
		t.Fatal("different dims accepted")
	}
}

func TestCropKeepsPhysicalPositions(t *testing.T) {
	v := New(spineGrid())
	for i := range v.Data {
		v.Data[i] = float64(i)
	}
	b := Box{Min: [3]int{10, 5, 19}, Max: [3]int{20, 50, 32}}
	c := v.Crop(b)
	if c.Dims != [3]int{10, 45, 13} {
		t.Fatalf("dims %v", c.Dims)
	}
	for _, ijk := range [][3]int{{0, 0, 0}, {9, 44, 12}, {3, 7, 5}} {
		src := [3]int{ijk[0] + 10, ijk[1] + 5, ijk[2] + 19}
		if c.At(ijk[0], ijk[1], ijk[2]) != v.At(src[0], src[1], src[2]) {
			t.Fatalf("value at %v differs", ijk)
		}
		p := c.IndexToPhysical([3]float64{float64(ijk[0]), float64(ijk[1]), float64(ijk[2])})
		q := v.IndexToPhysical([3]float64{float64(src[0]), float64(src[1]), float64(src[2])})
		for a := 0; a < 3; a++ {
			if math.Abs(p[a]-q[a]) > 1e-12 {
				t.Fatalf("voxel %v moved from %v to %v", ijk, q, p)
			}
		}
	}
}

func TestBoundingBoxLabelGrow(t *testing.T) {
	v := New(NewGrid([3]int{10, 10, 10}, [3]float64{1, 1, 1}))
	if !v.BoundingBox(func(x float64) bool { return x != 0 }).Empty() {
		t.Fatal("empty volume has a non-empty box")
	}
	v.Set(2, 3, 4, 1)
	v.Set(5, 3, 7, 2)
	v.Set(5, 9, 7, 2)
	b := v.BoundingBox(func(x float64) bool { return x != 0 })
	if b.Min != [3]int{2, 3, 4} || b.Max != [3]int{6, 10, 8} {
		t.Fatalf("box %+v", b)
	}
	if g := b.Grow(3, v.Grid); g.Min != [3]int{0, 0, 1} || g.Max != [3]int{9, 10, 10} {
		t.Fatalf("grown %+v", g)
	}
	m, n := v.Label(2)
	if n != 2 || m.At(5, 3, 7) != 1 || m.At(2, 3, 4) != 0 {
		t.Fatalf("label 2: n=%d", n)
	}
	labels, err := v.Labels()
	if err != nil || len(labels) != 2 || labels[0] != 1 || labels[1] != 2 {
		t.Fatalf("labels %v %v", labels, err)
	}
	v.Set(0, 0, 0, 1.5)
	if _, err := v.Labels(); err == nil {
		t.Fatal("non-integer label accepted")
	}
}

func TestCheckFinite(t *testing.T) {
	v := New(NewGrid([3]int{3, 3, 3}, [3]float64{1, 1, 1}))
	if err := v.CheckFinite(); err != nil {
		t.Fatal(err)
	}
	v.Set(1, 2, 0, math.Inf(-1))
	if err := v.CheckFinite(); err == nil || !strings.Contains(err.Error(), "(1,2,0)") {
		t.Fatalf("err = %v", err)
	}
}

func TestGridCheck(t *testing.T) {
	good := NewGrid([3]int{2, 3, 4}, [3]float64{0.5, 1, 3})
	if err := good.Check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*Grid)
		want string
	}{
		{func(g *Grid) { g.Dims[1] = 0 }, "dims"},
		{func(g *Grid) { g.Spacing[2] = 0 }, "spacing"},
		{func(g *Grid) { g.Spacing[0] = math.Inf(1) }, "spacing"},
		{func(g *Grid) { g.Origin[0] = math.NaN() }, "origin"},
		{func(g *Grid) { g.Direction[4] = math.Inf(-1) }, "direction"},
	} {
		g := good
		c.edit(&g)
		if err := g.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check() = %v, want an error about %s", err, c.want)
		}
	}
}

func TestCheckSampleRange(t *testing.T) {
	v := New(NewGrid([3]int{2, 2, 1}, [3]float64{1, 1, 1}))
	copy(v.Data, []float64{0, 255, 3, 7})
	if err := v.CheckSampleRange(true, 0, 256, false); err != nil {
		t.Fatal(err)
	}
	v.Data[3] = 256
	if err := v.CheckSampleRange(true, 0, 256, false); err == nil || err.Error() != "voxel (1,1,0) = 256" {
		t.Fatalf("err = %v", err)
	}
	v.Data[3] = 2.5
	if err := v.CheckSampleRange(true, -128, 256, false); err == nil || err.Error() != "voxel (1,1,0) = 2.5" {
		t.Fatalf("fraction: err = %v", err)
	}
	v.Data[3] = math.Inf(1)
	if err := v.CheckSampleRange(false, 0, 0, true); err != nil {
		t.Fatalf("Inf fits float32: %v", err)
	}
	v.Data[3] = 1e39
	if err := v.CheckSampleRange(false, 0, 0, true); err == nil {
		t.Fatal("1e39 fits float32")
	}
	if err := v.CheckSampleRange(false, 0, 0, false); err != nil {
		t.Fatalf("float64 holds everything: %v", err)
	}
}

func TestSliceGeometry(t *testing.T) {
	// synth's PSR layout (i posterior, j superior, k right): k is sagittal,
	// whatever the spacing; the identity (i left) slices along i.
	psr := [9]float64{0, 0, -1, 1, 0, 0, 0, 1, 0}
	g := NewGrid([3]int{4, 3, 5}, [3]float64{3, 1, 1})
	g.Direction = psr
	if a := SagittalAxis(g); a != 2 {
		t.Errorf("PSR: sagittal axis %d, want 2", a)
	}
	if a := SliceAxis(NewGrid([3]int{4, 3, 5}, [3]float64{1, 1, 3}), -1); a != 0 {
		t.Errorf("identity: sagittal axis %d, want 0", a)
	}
	if a := SliceAxis(g, 1); a != 1 {
		t.Errorf("explicit axis 1: got %d", a)
	}
	// Oblique: k 30° off left–right still wins over i and j.
	c, s := math.Cos(math.Pi/6), math.Sin(math.Pi/6)
	g.Direction = [9]float64{0, 0, c, 1, 0, 0, 0, 1, s}
	if a := SagittalAxis(g); a != 2 {
		t.Errorf("oblique: sagittal axis %d, want 2", a)
	}

	m := New(g)
	m.Set(0, 0, 1, 2)
	m.Set(1, 0, 3, 1)
	m.Set(2, 0, 3, 2)
	m.Set(3, 2, 4, 7) // not an ROI label
	if k, err := LargestROISlice(m, 2); err != nil || k != 3 {
		t.Errorf("largest ROI slice %d, %v; want 3", k, err)
	}
	m.Set(3, 1, 1, 1) // a tie: the lowest index wins
	if k, err := LargestROISlice(m, 2); err != nil || k != 1 {
		t.Errorf("tie: slice %d, %v; want 1", k, err)
	}
	if _, err := LargestROISlice(New(g), 2); err == nil {
		t.Error("empty mask: no error")
	}

	m.Set(1, 2, 3, 9)
	w, h, data := m.Plane(2, 3)
	if w != 4 || h != 3 || data[1] != 1 || data[2] != 2 || data[2*w+1] != 9 {
		t.Errorf("plane k=3: %d×%d %v", w, h, data)
	}
	if ca, ra := PlaneAxes(0); ca != 1 || ra != 2 {
		t.Errorf("PlaneAxes(0) = %d, %d", ca, ra)
	}
}
