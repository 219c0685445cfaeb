package shape

import (
	"math/rand/v2"
	"testing"
)

// diameters computes the four squared diameters from a list of mesh
// vertices (half voxels, as grid.sweep lists them): the line extremes taken
// from the list, then the same hulls as Compute. The tests that compare the
// diameters with the all-pairs search call it.
func (g *grid) diameters(pts [][3]int32) diameters {
	var l lines
	l.fromVertices(g.n, pts)
	return l.diameters(g.spacing, g.n)
}

// TestPolygonDiameterAllPairs: the rotating calipers on the plane hulls
// find the largest distance between their vertices, on random lattice
// polygons with many parallel edges; integer spacings keep every distance
// exact.
func TestPolygonDiameterAllPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := range 3000 {
		n := 1 + rng.IntN(8)
		var l lines
		l.reset([3]int{2, 1 + n, 1 + n}) // one plane Z = 0, columns Y, lines along x
		for range 1 + rng.IntN(3*n) {
			y, x := rng.Int32N(int32(l.nh[1])), rng.Int32N(int32(l.nh[2]))
			l.xlo[y], l.xhi[y] = min(l.xlo[y], x), max(l.xhi[y], x)
			l.spanX(0, int(y))
		}
		sp := [3]float64{1, float64(1 + rng.IntN(3)), float64(1 + rng.IntN(3))}
		l.prepare(sp)
		got := l.planeHulls(0)
		poly := l.polys[l.planes[0].start:l.planes[0].end]
		want := 0.0
		for _, p := range poly {
			for _, q := range poly {
				want = max(want, planeDist2(p, q, l.ph[1], l.ph[2]))
			}
		}
		if got != want {
			t.Fatalf("trial %d: calipers %v, all pairs of the %d hull vertices %v", trial, got, len(poly), want)
		}
	}
}

// TestTermsFor: the per-spacing configuration terms kept between calls are
// those computed afresh, also once more spacings than are kept have come.
func TestTermsFor(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	var sps [][3]float64
	for range keptTerms {
		// Spacings that share components.
		a, b, c := 0.2+rng.Float64(), 0.2+rng.Float64(), 0.2+rng.Float64()
		sps = append(sps, [3]float64{a, b, c}, [3]float64{a, c, b}, [3]float64{a, b, a})
	}
	for range 3 {
		for _, k := range rng.Perm(len(sps)) {
			if got, want := termsFor(sps[k]), newConfigTerms(sps[k]); *got != *want {
				t.Fatalf("spacing %v: kept terms differ from fresh ones", sps[k])
			}
		}
	}
}
