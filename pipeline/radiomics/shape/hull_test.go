package shape

import (
	"math"
	"testing"
)

// TestConvexHullTwoVoxels: two voxels side by side along i have ten mesh
// vertices, the face centres; their hull is an octahedron with
// half-diagonals s/2 swept by s_x along i (a Minkowski sum), of volume
// (4/3)(s_x/2)(s_y/2)(s_z/2) + s_x · 2 (s_y/2)(s_z/2).
func TestConvexHullTwoVoxels(t *testing.T) {
	sp := [3]float64{0.5, 1, 2}
	h, err := ConvexHullOf([]bool{true, true}, [3]int{2, 1, 1}, sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Vertices) != 10 {
		t.Fatalf("%d hull vertices, want 10", len(h.Vertices))
	}
	a, b, c := sp[0]/2, sp[1]/2, sp[2]/2
	want := 4.0/3*a*b*c + sp[0]*2*b*c
	v, _, err := ConvexHull([]bool{true, true}, [3]int{2, 1, 1}, sp)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v-want) > 1e-12 || math.Abs(h.Volume()-want) > 1e-12 {
		t.Errorf("volume %.15g (mesh %.15g), want %.15g", v, h.Volume(), want)
	}
}
