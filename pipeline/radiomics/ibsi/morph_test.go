package ibsi

import (
	"math"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics/shape"
)

// rotate applies a fixed rotation (Euler angles 0.3, 0.7, 1.1 rad) and a
// shift to p.
func rotate(p [3]float64) [3]float64 {
	rot := func(p [3]float64, a, b int, t float64) [3]float64 {
		c, s := math.Cos(t), math.Sin(t)
		p[a], p[b] = c*p[a]-s*p[b], s*p[a]+c*p[b]
		return p
	}
	p = rot(rot(rot(p, 0, 1, 0.3), 1, 2, 0.7), 0, 1, 1.1)
	return [3]float64{p[0] + 10, p[1] - 4, p[2] + 2.5}
}

// TestMVEEEllipsoid: the minimum-volume enclosing ellipsoid of points
// spread over an ellipsoid's surface is that ellipsoid.
func TestMVEEEllipsoid(t *testing.T) {
	var pts [][3]float64
	for i := 0; i <= 12; i++ {
		th := math.Pi * float64(i) / 12
		for j := 0; j < 24; j++ {
			ph := 2 * math.Pi * float64(j) / 24
			pts = append(pts, rotate([3]float64{5 * math.Sin(th) * math.Cos(ph), 3 * math.Sin(th) * math.Sin(ph), 2 * math.Cos(th)}))
		}
	}
	ax, ok := mvee(pts)
	if !ok {
		t.Fatal("no convergence")
	}
	for d, want := range []float64{5, 3, 2} {
		if math.Abs(ax[d]-want) > 1e-4*want {
			t.Errorf("semi-axis %d: %.8g, want %g", d, ax[d], want)
		}
	}
}

// boxHull is the hull of a box with sides a, b, c, rotated and shifted.
func boxHull(a, b, c float64) *shape.TriangleMesh {
	h := &shape.TriangleMesh{}
	for k := range 8 {
		h.Vertices = append(h.Vertices, rotate([3]float64{a * float64(k&1), b * float64(k>>1&1), c * float64(k>>2&1)}))
	}
	// Two triangles per face (orientation does not matter to minimumBox).
	for _, f := range [][4]int32{{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}} {
		h.Triangles = append(h.Triangles, [3]int32{f[0], f[1], f[2]}, [3]int32{f[0], f[2], f[3]})
	}
	return h
}

// TestMinimumBox: the minimum bounding box of a rotated box is the box; of
// an axis-aligned block of voxels, its axis-aligned box.
func TestMinimumBox(t *testing.T) {
	v, a := minimumBox(boxHull(4, 2.5, 1.5))
	if math.Abs(v-15) > 1e-9 || math.Abs(a-2*(10+3.75+6)) > 1e-9 {
		t.Errorf("rotated box: volume %.12g area %.12g, want 15 and 39.5", v, a)
	}
	dims := [3]int{8, 6, 5}
	mask := make([]bool, 8*6*5)
	for k := 1; k < 4; k++ {
		for j := 1; j < 5; j++ {
			for i := 1; i < 7; i++ {
				mask[i+8*(j+6*k)] = true
			}
		}
	}
	h, err := shape.ConvexHullOf(mask, dims, [3]float64{0.5, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := minimumBox(h); math.Abs(v-3*4*6) > 1e-9 {
		t.Errorf("voxel block: volume %.12g, want 72 (3 × 4 × 6 mm)", v)
	}
	if ax, ok := mvee(h.Vertices); !ok || ax[0] < ax[1] || ax[1] < ax[2] {
		t.Errorf("voxel block: MVEE semi-axes %v, ok %v", ax, ok)
	}
}
