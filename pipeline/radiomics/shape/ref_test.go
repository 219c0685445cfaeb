package shape

// The shape code as it was before the bit-row rewrite (commit 5c571a3):
// Compute on the padded byte grid (newGrid, grid.sweep, still used by Mesh
// and ConvexHullOf), with the plane hulls built from the list of every mesh
// vertex (refDiameters, refPlaneHulls, refPolygonDiameter2: the old code).
// refCompute is the old Compute; the tests below check that the new Compute
// returns its 14 values to the bit.

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// refCompute is Compute as it was; it also returns the candidates for the
// 3D hull.
func refCompute(mask []bool, dims [3]int, spacing [3]float64) ([]feature.Value, [][3]int64, error) {
	g, err := newGrid(mask, dims, spacing)
	if err != nil {
		return nil, nil, err
	}
	c := &coefficients{n: g.count}
	sz, sy, sx := g.spacing[0], g.spacing[1], g.spacing[2]
	c.voxelVol = sz * sx * sy // pyradiomics' order of the product
	var verts [][3]int32
	c.area, c.volume, verts = g.sweep()
	d, cand := refDiameters(g, verts)
	c.diam = d.sqrt()
	c.lambda = g.principalMoments()
	out := make([]feature.Value, len(registry))
	for i, e := range registry {
		out[i] = feature.Value{Def: e.def, Value: e.fn(c)}
	}
	return out, cand, nil
}

// refDiameters computes the four squared diameters from the boundary
// vertices, and returns the candidates for the 3D hull.
func refDiameters(g *grid, pts [][3]int32) (diameters, [][3]int64) {
	d2, cand := refCandidates(g, pts)
	hull := cand
	if len(cand) > smallHull {
		hull = hullVertices(cand)
	}
	phys := make([][3]float64, len(hull))
	for i, p := range hull {
		phys[i] = g.physical([3]int32{int32(p[0]), int32(p[1]), int32(p[2])})
	}
	return diameters{slice: d2[0], column: d2[1], row: d2[2], max3D: farthestPair2(phys)}, cand
}

// refCandidates returns the three squared 2D diameters and the candidates
// for the 3D hull, in the order quickhull receives them.
func refCandidates(g *grid, pts [][3]int32) ([3]float64, [][3]int64) {
	// extreme[i] has bit a set when point i is a vertex of the 2D hull of its
	// plane of constant coordinate a.
	extreme := make([]uint8, len(pts))
	var d2 [3]float64
	var scratch refHullScratch
	for a := range 3 {
		d2[a] = refPlaneHulls(g, pts, a, extreme, &scratch)
	}
	var cand [][3]int64
	for i, p := range pts {
		if extreme[i] == 7 {
			cand = append(cand, [3]int64{int64(p[0]), int64(p[1]), int64(p[2])})
		}
	}
	return d2, cand
}

// planeHulls builds the 2D convex hull of the vertices in every plane of
// constant coordinate a, marks hull vertices in extreme with bit a, and
// returns the largest squared distance between two vertices of one plane.
func refPlaneHulls(g *grid, pts [][3]int32, a int, extreme []uint8, s *refHullScratch) float64 {
	// (u, v) are the other two axes, in (z, y, x) order.
	u, v := (a+1)%3, (a+2)%3
	if u > v {
		u, v = v, u
	}
	nPlane, nU := 2*g.n[a]-1, 2*g.n[u]-1
	// Lowest and highest vertex of each (plane, u) column: v coordinate and
	// point index; an empty column keeps hiV = −1. Per plane, the range of
	// u that holds vertices.
	s.reset(nPlane, nU)
	loV, hiV, loI, hiI, uMin, uMax := s.loV, s.hiV, s.loI, s.hiI, s.uMin, s.uMax
	for i, p := range pts {
		c := int(p[a])*nU + int(p[u])
		if p[v] < loV[c] {
			loV[c], loI[c] = p[v], int32(i)
		}
		if p[v] > hiV[c] {
			hiV[c], hiI[c] = p[v], int32(i)
		}
		uMin[p[a]], uMax[p[a]] = min(uMin[p[a]], p[u]), max(uMax[p[a]], p[u])
	}
	best := 0.0
	lower, upper, poly, phys := s.lower, s.upper, s.poly, s.phys
	for plane := range nPlane {
		if uMax[plane] < 0 {
			continue
		}
		lower, upper = lower[:0], upper[:0]
		for c := plane*nU + int(uMin[plane]); c <= plane*nU+int(uMax[plane]); c++ {
			if hiV[c] < 0 {
				continue
			}
			cu := int32(c - plane*nU)
			l := planePoint{cu, loV[c], loI[c]}
			for len(lower) >= 2 && turn(lower[len(lower)-2], lower[len(lower)-1], l) <= 0 {
				lower = lower[:len(lower)-1]
			}
			lower = append(lower, l)
			h := planePoint{cu, hiV[c], hiI[c]}
			for len(upper) >= 2 && turn(upper[len(upper)-2], upper[len(upper)-1], h) >= 0 {
				upper = upper[:len(upper)-1]
			}
			upper = append(upper, h)
		}
		if len(lower) == 0 {
			continue
		}
		// The hull counter-clockwise: the lower chain left to right, then
		// the upper chain right to left, without repeating shared ends.
		poly = append(poly[:0], lower...)
		for k := len(upper) - 1; k >= 0; k-- {
			q := upper[k]
			if (k == len(upper)-1 && q.id == lower[len(lower)-1].id) || (k == 0 && q.id == lower[0].id) {
				continue
			}
			poly = append(poly, q)
		}
		phys = phys[:0]
		for _, q := range poly {
			extreme[q.id] |= 1 << a
			phys = append(phys, g.physical(pts[q.id]))
		}
		if d := refPolygonDiameter2(poly, phys); d > best {
			best = d
		}
	}
	s.lower, s.upper, s.poly, s.phys = lower, upper, poly, phys
	return best
}

// refHullScratch holds planeHulls' buffers, reused across the three axes.
type refHullScratch struct {
	loV, hiV, loI, hiI []int32 // per (plane, u) column
	uMin, uMax         []int32 // per plane
	lower, upper, poly []planePoint
	phys               [][3]float64
}

// reset sizes and clears the buffers for nPlane planes of nU columns.
func (s *refHullScratch) reset(nPlane, nU int) {
	grow := func(b []int32, n int) []int32 {
		if cap(b) < n {
			return make([]int32, n)
		}
		return b[:n]
	}
	n := nPlane * nU
	s.loV, s.hiV, s.loI, s.hiI = grow(s.loV, n), grow(s.hiV, n), grow(s.loI, n), grow(s.hiI, n)
	for c := range n {
		s.loV[c], s.hiV[c] = math.MaxInt32, -1
	}
	s.uMin, s.uMax = grow(s.uMin, nPlane), grow(s.uMax, nPlane)
	for p := range nPlane {
		s.uMin[p], s.uMax[p] = math.MaxInt32, -1
	}
}

// polygonDiameter2 is the largest squared distance between vertices of a
// convex polygon (counter-clockwise, no three vertices collinear), found
// among its antipodal pairs by rotating calipers (Shamos 1978; Preparata &
// Shamos, Computational Geometry, 1985, §4.2.3) in O(h) instead of O(h²).
// Antipodality is decided exactly on the integer coordinates; an axis
// scaling maps parallel supporting lines to parallel supporting lines, so
// the pairs are antipodal in millimetres too, where the distances phys are
// measured.
func refPolygonDiameter2(poly []planePoint, phys [][3]float64) float64 {
	h := len(poly)
	if h <= 3 {
		return maxPairDist2(phys)
	}
	best := 0.0
	j := 1
	for i := range h {
		ni := (i + 1) % h
		// Move j to the vertex farthest from edge i→ni (the area of the
		// triangle on the edge grows, then shrinks, around the polygon).
		for turn(poly[i], poly[ni], poly[(j+1)%h]) > turn(poly[i], poly[ni], poly[j]) {
			j = (j + 1) % h
		}
		best = max(best, dist2(phys[i], phys[j]), dist2(phys[ni], phys[j]))
		// An edge parallel to edge i→ni: its other end is antipodal too.
		if nj := (j + 1) % h; turn(poly[i], poly[ni], poly[nj]) == turn(poly[i], poly[ni], poly[j]) {
			best = max(best, dist2(phys[i], phys[nj]), dist2(phys[ni], phys[nj]))
		}
	}
	return best
}

// spineMasks are the ROIs of the radiomics spine benchmarks (testdata/spine;
// pipeline/radiomics' spineCases), cropped to their bounding boxes: the
// lesion, the cord, the cord minus the lesion, and the cord dilated by four
// voxels; and the 98³ cube of BenchmarkCube.
func spineMasks(t testing.TB) []testMask {
	const dir = "../../../testdata/spine/sct_testing_data/t2/"
	read := func(name string) *volume.Volume {
		v, err := nifti.ReadFile(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cord, lesion, sc := read("t2_seg-manual.nii.gz"), read("t2_fake_lesion_lesion_seg.nii.gz"), read("t2_fake_lesion_sc_seg.nii.gz")
	for i, x := range lesion.Data {
		if x != 0 {
			sc.Data[i] = 0
		}
	}
	// The cord dilated by a 9×9×9 box.
	dil := volume.New(cord.Grid)
	d := cord.Dims
	for i, x := range cord.Data {
		if x != 1 {
			continue
		}
		x0, y0, z0 := cord.Coords(i)
		for z := max(0, z0-4); z <= min(d[2]-1, z0+4); z++ {
			for y := max(0, y0-4); y <= min(d[1]-1, y0+4); y++ {
				for x := max(0, x0-4); x <= min(d[0]-1, x0+4); x++ {
					dil.Data[cord.Index(x, y, z)] = 1
				}
			}
		}
	}
	var out []testMask
	for _, v := range []*volume.Volume{lesion, cord, sc, dil} {
		roi := v.Crop(v.BoundingBox(func(x float64) bool { return x != 0 }))
		m := testMask{mask: make([]bool, len(roi.Data)), dims: roi.Dims, spacing: roi.Spacing}
		for i, x := range roi.Data {
			m.mask[i] = x == 1
		}
		out = append(out, m)
	}
	cube := testMask{mask: make([]bool, 98*98*98), dims: [3]int{98, 98, 98}, spacing: [3]float64{1, 1, 1}}
	for i := range cube.mask {
		cube.mask[i] = true
	}
	return append(out, cube)
}

// randomMasks are masks of random voxels and random ellipsoids, some wider
// than one 64-bit row word, with random spacings.
func randomMasks(n int) []testMask {
	rng := rand.New(rand.NewPCG(11, 12))
	var out []testMask
	for trial := range n {
		var dims [3]int
		for a := range 3 {
			dims[a] = 1 + rng.IntN(12)
		}
		switch trial % 10 {
		case 4, 9:
			dims[0] = 60 + rng.IntN(80) // rows of two or three words
		case 7:
			dims = [3]int{20 + rng.IntN(30), 20 + rng.IntN(30), 20 + rng.IntN(30)} // large hulls
		}
		mask := make([]bool, dims[0]*dims[1]*dims[2])
		switch trial % 3 {
		case 0:
			p := rng.Float64()
			for i := range mask {
				mask[i] = rng.Float64() < p
			}
		default:
			var c, r [3]float64
			for a := range 3 {
				c[a] = rng.Float64() * float64(dims[a]-1)
				r[a] = 0.5 + rng.Float64()*float64(dims[a])/1.5
				if trial%10 == 7 { // most of the box, smooth
					c[a] = float64(dims[a]-1) / 2
					r[a] = float64(dims[a]) * (0.3 + 0.2*rng.Float64())
				}
			}
			noise := 50
			if trial%10 == 7 {
				noise = 1 << 30
			}
			mask = ellipsoidMask(dims, c, r, func() bool { return rng.IntN(noise) == 0 })
		}
		sp := [3]float64{0.3 + 3*rng.Float64(), 0.3 + 3*rng.Float64(), 0.3 + 3*rng.Float64()}
		if trial%4 == 0 {
			sp = [3]float64{1, 1, 1} // many ties
		}
		out = append(out, testMask{mask, dims, sp})
	}
	return out
}

// TestComputeMatchesReference: Compute returns the old code's 14 values to
// the bit (or its error) on the spine ROIs, the cube, and random masks; the
// candidates for the 3D hull are the old code's, in the old order once
// sorted (sweepOrder).
func TestComputeMatchesReference(t *testing.T) {
	big := 0
	for k, m := range append(spineMasks(t), randomMasks(600)...) {
		got, err := Compute(m.mask, m.dims, m.spacing)
		want, wantCand, werr := refCompute(m.mask, m.dims, m.spacing)
		if err != nil || werr != nil {
			if !errors.Is(err, werr) {
				t.Fatalf("mask %d dims %v: error %v, the old code %v", k, m.dims, err, werr)
			}
			continue
		}
		for i := range want {
			if math.Float64bits(got[i].Value) != math.Float64bits(want[i].Value) {
				t.Errorf("mask %d dims %v spacing %v: %s = %.17g, the old code %.17g", k, m.dims, m.spacing, want[i].Name, got[i].Value, want[i].Value)
			}
		}
		g, err := newBitGrid(m.mask, m.dims, m.spacing)
		if err != nil {
			t.Fatal(err)
		}
		g.sweep()
		g.yHighest()
		g.lines.diameters(g.spacing, g.n)
		cand := slices.Clone(g.cand)
		g.sweepOrder(cand, g.n)
		scratchPool.Put(g)
		if !slices.Equal(cand, wantCand) {
			t.Fatalf("mask %d dims %v: %d candidates, the old code %d (or another order)", k, m.dims, len(cand), len(wantCand))
		}
		if len(cand) > smallHull {
			big++
		}
	}
	if big < 10 {
		t.Errorf("%d masks with more than smallHull candidates: the quickhull path is not tested", big)
	}
}
