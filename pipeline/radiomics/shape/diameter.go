package shape

import (
	"cmp"
	"math"
	"slices"
)

// Diameters.
//
// pyradiomics takes the four diameters over the mesh vertices, which are the
// midpoints of all lattice edges joining a voxel inside the ROI to one
// outside, by testing every pair of vertices: O(n²) in the number n of
// vertices. The largest distance between points of a set is attained between
// two vertices of its convex hull, and so is the largest distance within a
// plane, so here:
//
//  1. Vertices are kept as integers in half voxels (2z, 2y, 2x) of the
//     padded grid. Two vertices lie in the same plane of constant z exactly
//     when their half-voxel z are equal, which is pyradiomics' floating-point
//     test a_z == b_z, because the millimetre coordinate h/2·s_z is one
//     correctly rounded product of distinct exact values.
//  2. For each plane of constant z, y and x, the 2D convex hull of its
//     vertices (Andrew's monotone chain, on the lowest and highest vertex of
//     each lattice column, so without a comparison sort). Those extremes
//     are all the hulls need: Compute takes them from bit rows of the mask
//     without listing the vertices (lattice.go), the other callers from a
//     vertex list (lines.fromVertices). The 2D diameter is the largest
//     distance between two antipodal hull vertices of one plane (rotating
//     calipers), run only on the planes whose bounding box's diagonal
//     exceeds the largest distance found so far, largest box first.
//  3. A vertex of the 3D hull is a vertex of the 2D hull of each of its
//     three axis planes, which leaves few candidates; their 3D convex hull
//     (quickhull, exact int64 predicates) gives the h vertices whose pairs
//     are searched for the 3D diameter: O(h²) with h ≈ 90–170 for the real
//     ROIs of the tests (brain1: 5094 mesh vertices, 124 candidates, 86
//     hull vertices).
//
// Distances are computed in mm from the same coordinates and with the same
// operations as pyradiomics, so each maximum is one of pyradiomics' own
// candidate values. The tests brute-force all pairs on random masks, and
// compare Compute with the code that listed the vertices (ref_test.go).

// diameters holds the largest squared vertex distances (mm²): in a plane of
// constant z ("Slice"), constant y ("Column"), constant x ("Row"), and in 3D.
type diameters struct {
	slice, column, row, max3D float64
}

// physical converts a half-voxel vertex to mm exactly as pyradiomics does:
// (index + offset) · spacing, one rounding per coordinate.
func (g *grid) physical(p [3]int32) [3]float64 {
	return [3]float64{
		float64(p[0]) * 0.5 * g.spacing[0],
		float64(p[1]) * 0.5 * g.spacing[1],
		float64(p[2]) * 0.5 * g.spacing[2],
	}
}

// dist2 is pyradiomics' squared distance: the squared differences summed in
// z, y, x order.
func dist2(a, b [3]float64) float64 { return dist2p(&a, &b) }

// dist2p is dist2 of two points in place: the loops below pass pointers, as
// copying the points to the stack and reading them back as single floats
// stalled store forwarding (about 14 ns a pair in maxPairDist2).
func dist2p(a, b *[3]float64) float64 {
	dz, dy, dx := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dz*dz + dy*dy + dx*dx
}

// maxPairDist2 is the largest squared distance between two of the points.
func maxPairDist2(pts [][3]float64) float64 {
	best := 0.0
	for i := 1; i < len(pts); i++ {
		a := &pts[i]
		for j := range i {
			if d := dist2p(a, &pts[j]); d > best {
				best = d
			}
		}
	}
	return best
}

// diameters computes the four squared diameters from the line extremes
// (lines; n is the padded grid's size, spacing in mm along z, y, x).
func (l *lines) diameters(spacing [3]float64, n [3]int) diameters {
	l.prepare(spacing)
	var d2 [3]float64
	for a := range 3 {
		d2[a] = l.planeHulls(a)
	}
	// A vertex of the 3D hull is a vertex of the hull of each of its three
	// planes: the end of its x line marked by the planes of constant Z
	// (bits 1, 2) and Y (bits 4, 8), and the end of its y line marked by
	// the plane of constant X.
	cand := l.cand[:0]
	for Z := range l.nh[0] {
		for Y := range l.nh[1] {
			i := Z*l.nh[1] + Y
			m := l.xmark[i]
			if m&5 == 5 && l.onXHull(Z, Y, l.xlo[i]) {
				cand = append(cand, [3]int64{int64(Z), int64(Y), int64(l.xlo[i])})
			}
			if m&10 == 10 && l.xhi[i] != l.xlo[i] && l.onXHull(Z, Y, l.xhi[i]) {
				cand = append(cand, [3]int64{int64(Z), int64(Y), int64(l.xhi[i])})
			}
		}
	}
	l.cand = cand
	hull := cand
	if len(cand) > smallHull {
		l.sweepOrder(cand, n)
		hull = hullVertices(cand)
	}
	phys := grow(l.phys, len(hull))
	for i, p := range hull {
		phys[i] = [3]float64{l.ph[0][p[0]], l.ph[1][p[1]], l.ph[2][p[2]]}
	}
	l.phys = phys
	return diameters{slice: d2[0], column: d2[1], row: d2[2], max3D: farthestPair2Buf(phys, &l.far)}
}

// prepare readies planeHulls: the table ph[a][h] of the mm coordinate of
// half-voxel coordinate h along axis a, computed as grid.physical does, and
// cleared marks.
func (l *lines) prepare(spacing [3]float64) {
	for a := range 3 {
		l.ph[a] = grow(l.ph[a], l.nh[a])
		for h := range l.ph[a] {
			l.ph[a][h] = float64(int32(h)) * 0.5 * spacing[a]
		}
	}
	l.xmark, l.ymark = grow(l.xmark, len(l.xhi)), grow(l.ymark, len(l.yhi))
	clear(l.xmark)
	clear(l.ymark)
}

// fromVertices sets the lines of a padded grid of n voxels from a list of
// mesh vertices (half voxels (z, y, x)).
func (l *lines) fromVertices(n [3]int, pts [][3]int32) {
	l.reset(n)
	for _, p := range pts {
		i := int(p[0])*l.nh[1] + int(p[1])
		l.xlo[i], l.xhi[i] = min(l.xlo[i], p[2]), max(l.xhi[i], p[2])
		j := int(p[0])*l.nh[2] + int(p[2])
		l.ylo[j], l.yhi[j] = min(l.ylo[j], p[1]), max(l.yhi[j], p[1])
		l.spanX(int(p[0]), int(p[1]))
		l.spanY(int(p[0]), int(p[2]))
	}
}

// onXHull reports whether vertex (Z, Y, X) is a vertex of the hull of its
// plane of constant X: an end of its y line, marked.
func (l *lines) onXHull(Z, Y int, X int32) bool {
	j := Z*l.nh[2] + int(X)
	m := l.ymark[j]
	return (m&1 != 0 && l.ylo[j] == int32(Y)) || (m&2 != 0 && l.yhi[j] == int32(Y))
}

// sweepOrder sorts the candidates into the order in which grid.sweep lists
// the vertices (by cube z, y, x, then edges e6, e7, e11 at its corner p7),
// so that quickhull sees them as it did when it took them from that list
// and keeps the same vertices where some are coplanar.
func (l *lines) sweepOrder(cand [][3]int64, n [3]int) {
	key := func(p [3]int64) int64 {
		var c [3]int64
		var e int64
		switch {
		case p[2]%2 == 1: // e6: an x edge, (2z+2, 2y+2, 2x+1)
			c = [3]int64{(p[0] - 2) / 2, (p[1] - 2) / 2, (p[2] - 1) / 2}
		case p[1]%2 == 1: // e7: a y edge, (2z+2, 2y+1, 2x)
			c, e = [3]int64{(p[0] - 2) / 2, (p[1] - 1) / 2, p[2] / 2}, 1
		default: // e11: a z edge, (2z+1, 2y+2, 2x)
			c, e = [3]int64{(p[0] - 1) / 2, (p[1] - 2) / 2, p[2] / 2}, 2
		}
		return ((c[0]*int64(n[1])+c[1])*int64(n[2])+c[2])*3 + e
	}
	slices.SortFunc(cand, func(a, b [3]int64) int { return cmp.Compare(key(a), key(b)) })
}

// smallHull is the number of candidates up to which diameters pairs them
// all (farthestPair2, which prunes) instead of building their 3D hull
// first: for a small ROI the hull costs more than the pairs it saves. The
// farthest pair of the candidates is a pair of hull vertices either way.
const smallHull = 256

// farthestPair2 is maxPairDist2 with pruning. A lower bound L is taken from
// the extreme points in 13 directions (axes, face and body diagonals); a
// point whose distance to the farthest corner of the points' bounding box
// is at most L cannot be in a pair farther apart than L, so only the others
// are paired. Each bound is computed with the same rounded operations as
// dist2, and rounding is monotone, so the result is maxPairDist2's exactly.
func farthestPair2(pts [][3]float64) float64 {
	var buf [][3]float64
	return farthestPair2Buf(pts, &buf)
}

// farthestPair2Buf is farthestPair2 with a work array, kept in *buf.
func farthestPair2Buf(pts [][3]float64, buf *[][3]float64) float64 {
	if len(pts) < 32 {
		return maxPairDist2(pts)
	}
	lo, hi := pts[0], pts[0]
	for i := range pts {
		p := &pts[i]
		for d := range 3 {
			lo[d], hi[d] = min(lo[d], p[d]), max(hi[d], p[d])
		}
	}
	best := 0.0
	for _, dir := range [13][3]float64{
		{1, 0, 0}, {0, 1, 0}, {0, 0, 1},
		{1, 1, 0}, {1, -1, 0}, {1, 0, 1}, {1, 0, -1}, {0, 1, 1}, {0, 1, -1},
		{1, 1, 1}, {1, 1, -1}, {1, -1, 1}, {-1, 1, 1},
	} {
		iMin, iMax := 0, 0
		pMin, pMax := math.Inf(1), math.Inf(-1)
		for i := range pts {
			p := &pts[i]
			pr := dir[0]*p[0] + dir[1]*p[1] + dir[2]*p[2]
			if pr < pMin {
				iMin, pMin = i, pr
			}
			if pr > pMax {
				iMax, pMax = i, pr
			}
		}
		best = max(best, dist2p(&pts[iMin], &pts[iMax]))
	}
	far := (*buf)[:0]
	for i := range pts {
		p := &pts[i]
		dz, dy, dx := max(p[0]-lo[0], hi[0]-p[0]), max(p[1]-lo[1], hi[1]-p[1]), max(p[2]-lo[2], hi[2]-p[2])
		if dz*dz+dy*dy+dx*dx > best {
			far = append(far, *p)
		}
	}
	*buf = far
	return max(best, maxPairDist2(far))
}

// planeHull is one plane's hull, polys[start:end], and an upper bound on
// its squared diameter.
type planeHull struct {
	start, end int32
	bound      float64
}

// planeHulls builds the 2D convex hull of the vertices in every plane of
// constant coordinate a, marks its vertices at the ends of their lines, and
// returns the largest squared distance between two vertices of one plane.
//
// A plane's columns are the lines in it parallel to its v axis (x, or y in
// the planes of constant x); a hull vertex is the lowest or highest vertex
// of its column. The hull is Andrew's monotone chain over the columns in
// order of u, on exact integers.
func (l *lines) planeHulls(a int) float64 {
	lo, hi, mark := l.xlo, l.xhi, l.xmark
	var pStride, cStride, shift, ua, va int
	var span [][2]int32
	switch a {
	case 0: // constant Z: columns Y, lines along x
		span, pStride, cStride, ua, va = l.zSpan, l.nh[1], 1, 1, 2
	case 1: // constant Y: columns Z, lines along x
		span, pStride, cStride, shift, ua, va = l.ySpan, 1, l.nh[1], 2, 0, 2
	default: // constant X: columns Z, lines along y
		lo, hi, mark = l.ylo, l.yhi, l.ymark
		span, pStride, cStride, ua, va = l.xSpan, 1, l.nh[2], 0, 1
	}
	pu, pv := l.ph[ua], l.ph[va]
	polys, planes := l.polys[:0], l.planes[:0]
	// The two chains, as stacks of at most one point per column.
	lower, upper := grow(l.lower, max(l.nh[0], l.nh[1])), grow(l.upper, max(l.nh[0], l.nh[1]))
	l.lower, l.upper = lower, upper
	for p, cols := range span {
		if cols[0] > cols[1] {
			continue
		}
		nl, nu, vMin, vMax := chains(lo, hi, p*pStride, cStride, int(cols[0]), int(cols[1]), lower, upper)
		lower, upper := lower[:nl], upper[:nu]
		// The hull counter-clockwise: the lower chain left to right, then
		// the upper chain right to left, without repeating shared ends.
		start := len(polys)
		polys = append(polys, lower...)
		for k := len(upper) - 1; k >= 0; k-- {
			q := upper[k]
			if (k == len(upper)-1 && q == lower[len(lower)-1]) || (k == 0 && q == lower[0]) {
				continue
			}
			polys = append(polys, q)
		}
		for _, q := range polys[start:] {
			if q.v == lo[q.id] {
				mark[q.id] |= 1 << shift
			}
			if q.v == hi[q.id] {
				mark[q.id] |= 2 << shift
			}
		}
		// No two vertices of the plane are farther apart than the corners
		// of its bounding box: the rounded differences and sums are
		// monotone, so this bound holds for the rounded distances too.
		du, dv := pu[lower[len(lower)-1].u]-pu[lower[0].u], pv[vMax]-pv[vMin]
		planes = append(planes, planeHull{int32(start), int32(len(polys)), du*du + dv*dv})
	}
	l.polys, l.planes = polys, planes
	if len(planes) == 0 {
		return 0
	}
	// The rotating calipers on the plane with the largest bound first, then
	// on the planes whose bound exceeds the best distance so far.
	top := 0
	for k, p := range planes {
		if p.bound > planes[top].bound {
			top = k
		}
	}
	best := polygonDiameter2(polys[planes[top].start:planes[top].end], pu, pv)
	for k, p := range planes {
		if k != top && p.bound > best {
			best = max(best, polygonDiameter2(polys[p.start:p.end], pu, pv))
		}
	}
	return best
}

// chains builds the lower and upper chains of Andrew's monotone chain over
// columns c0…c1 of a plane, column c holding the extremes lo[i], hi[i] of
// line i = base + c·cStride (hi[i] < 0: none), into lower[:nl] and
// upper[:nu]; vMin and vMax are the smallest and largest extreme.
func chains(lo, hi []int32, base, cStride, c0, c1 int, lower, upper []planePoint) (nl, nu int, vMin, vMax int32) {
	vMin, vMax = math.MaxInt32, -1
	for c := c0; c <= c1; c++ {
		i := base + c*cStride
		h := hi[i]
		if h < 0 {
			continue
		}
		lv := lo[i]
		vMin, vMax = min(vMin, lv), max(vMax, h)
		q := planePoint{int32(c), lv, int32(i)}
		for nl >= 2 && turn(lower[nl-2], lower[nl-1], q) <= 0 {
			nl--
		}
		lower[nl] = q
		nl++
		q.v = h
		for nu >= 2 && turn(upper[nu-2], upper[nu-1], q) >= 0 {
			nu--
		}
		upper[nu] = q
		nu++
	}
	return nl, nu, vMin, vMax
}

// planePoint is a vertex in a plane: its two in-plane coordinates (half
// voxels) and the index of its line (lines.planeHulls; in the old code kept
// by the tests, of the vertex list).
type planePoint struct{ u, v, id int32 }

// turn is the z-component of (q−o) × (r−o): > 0 when o, q, r turn
// counter-clockwise, 0 when they are collinear.
func turn(o, q, r planePoint) int64 {
	return int64(q.u-o.u)*int64(r.v-o.v) - int64(q.v-o.v)*int64(r.u-o.u)
}

// polygonDiameter2 is the largest squared distance between vertices of a
// convex polygon (counter-clockwise, no three vertices collinear), found
// among its antipodal pairs by rotating calipers (Shamos 1978; Preparata &
// Shamos, Computational Geometry, 1985, §4.2.3) in O(h) instead of O(h²).
// Antipodality is decided exactly on the integer coordinates; an axis
// scaling maps parallel supporting lines to parallel supporting lines, so
// the pairs are antipodal in millimetres too, where the distances are
// measured: pu[u], pv[v] are the mm of the half-voxel coordinates.
func polygonDiameter2(poly []planePoint, pu, pv []float64) float64 {
	h := len(poly)
	if h <= 3 {
		best := 0.0
		for i := 1; i < h; i++ {
			for j := range i {
				best = max(best, planeDist2(poly[i], poly[j], pu, pv))
			}
		}
		return best
	}
	best := 0.0
	j := 1
	next := func(k int) int { // (k + 1) mod h
		if k+1 == h {
			return 0
		}
		return k + 1
	}
	for i := range h {
		ni := next(i)
		// Move j to the vertex farthest from edge i→ni (the area of the
		// triangle on the edge grows, then shrinks, around the polygon).
		tj := turn(poly[i], poly[ni], poly[j])
		nj := next(j)
		tn := turn(poly[i], poly[ni], poly[nj])
		for tn > tj {
			j, tj = nj, tn
			nj = next(j)
			tn = turn(poly[i], poly[ni], poly[nj])
		}
		best = max(best, planeDist2(poly[i], poly[j], pu, pv), planeDist2(poly[ni], poly[j], pu, pv))
		// An edge parallel to edge i→ni: its other end is antipodal too.
		if tn == tj {
			best = max(best, planeDist2(poly[i], poly[nj], pu, pv), planeDist2(poly[ni], poly[nj], pu, pv))
		}
	}
	return best
}

// planeDist2 is dist2 of two vertices of one plane: their coordinate across
// the plane is equal, its difference 0, and adding 0 changes no sum, so
// du² + dv² is dist2's value to the bit (u before v in z, y, x order).
func planeDist2(p, q planePoint, pu, pv []float64) float64 {
	du, dv := pu[p.u]-pu[q.u], pv[p.v]-pv[q.v]
	return du*du + dv*dv
}

// hullVertices returns the vertices of the 3D convex hull of distinct
// integer points, found by quickhull (Barber, Dobkin & Huhdanpaa 1996) with
// exact predicates. If the points are coplanar it returns them all.
func hullVertices(pts [][3]int64) [][3]int64 {
	h := newQuickhull(pts)
	if h == nil {
		return pts
	}
	h.run()
	seen := make([]bool, len(pts))
	var out [][3]int64
	for _, f := range h.faces {
		if f.dead {
			continue
		}
		for _, i := range f.v {
			if !seen[i] {
				seen[i] = true
				out = append(out, pts[i])
			}
		}
	}
	return out
}

// hullFace is a triangle of the hull; its vertices run counter-clockwise
// seen from outside, and adj[e] is the face across edge v[e]→v[(e+1)%3].
type hullFace struct {
	v       [3]int32
	adj     [3]int32
	n       [3]int64 // outward normal (v1−v0)×(v2−v0)
	d       int64    // n·v0: a point p is strictly outside when n·p > d
	outside []int32  // points strictly outside, assigned to this face
	dead    bool
}

type quickhull struct {
	pts   [][3]int64
	faces []hullFace
	// scratch, indexed by point: the new face whose horizon edge starts or
	// ends at that point.
	startAt, endAt []int32
}

func (h *quickhull) height(f *hullFace, p int32) int64 {
	q := h.pts[p]
	return f.n[0]*q[0] + f.n[1]*q[1] + f.n[2]*q[2] - f.d
}

func (h *quickhull) addFace(a, b, c int32) int32 {
	pa, pb, pc := h.pts[a], h.pts[b], h.pts[c]
	e1 := [3]int64{pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]}
	e2 := [3]int64{pc[0] - pa[0], pc[1] - pa[1], pc[2] - pa[2]}
	n := [3]int64{e1[1]*e2[2] - e1[2]*e2[1], e1[2]*e2[0] - e1[0]*e2[2], e1[0]*e2[1] - e1[1]*e2[0]}
	h.faces = append(h.faces, hullFace{
		v: [3]int32{a, b, c}, adj: [3]int32{-1, -1, -1},
		n: n, d: n[0]*pa[0] + n[1]*pa[1] + n[2]*pa[2],
	})
	return int32(len(h.faces) - 1)
}

// newQuickhull builds the initial tetrahedron and assigns every other point
// to a face it lies strictly outside of; nil if the points are coplanar.
func newQuickhull(pts [][3]int64) *quickhull {
	if len(pts) < 4 {
		return nil
	}
	sub := func(a, b [3]int64) [3]int64 { return [3]int64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
	crs := func(a, b [3]int64) [3]int64 {
		return [3]int64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
	}
	dt := func(a, b [3]int64) int64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
	i0 := 0
	i1, best := -1, int64(0)
	for i, p := range pts {
		if d := dt(sub(p, pts[i0]), sub(p, pts[i0])); d > best {
			i1, best = i, d
		}
	}
	if i1 < 0 {
		return nil
	}
	e := sub(pts[i1], pts[i0])
	i2, best := -1, int64(0)
	for i, p := range pts {
		// The largest component of the cross product (its square could
		// overflow for sides near maxSide) picks a point off the line.
		c := crs(e, sub(p, pts[i0]))
		if d := max(c[0], -c[0], c[1], -c[1], c[2], -c[2]); d > best {
			i2, best = i, d
		}
	}
	if i2 < 0 {
		return nil
	}
	n := crs(e, sub(pts[i2], pts[i0]))
	i3, best := -1, int64(0)
	for i, p := range pts {
		d := dt(n, sub(p, pts[i0]))
		if d < 0 {
			d = -d
		}
		if d > best {
			i3, best = i, d
		}
	}
	if i3 < 0 {
		return nil
	}
	h := &quickhull{pts: pts, startAt: make([]int32, len(pts)), endAt: make([]int32, len(pts))}
	h.faces = make([]hullFace, 0, 4*len(pts)+16) // about 4 per candidate on the test ROIs
	a, b, c, d := int32(i0), int32(i1), int32(i2), int32(i3)
	if dt(n, sub(pts[i3], pts[i0])) > 0 {
		b, c = c, b // make face a, b, c face away from d
	}
	// Faces of the tetrahedron, each counter-clockwise from outside.
	f := [4]int32{h.addFace(a, b, c), h.addFace(a, d, b), h.addFace(b, d, c), h.addFace(c, d, a)}
	h.link(f[:])
	for i := range pts {
		p := int32(i)
		if p == a || p == b || p == c || p == d {
			continue
		}
		for _, fi := range f {
			if h.height(&h.faces[fi], p) > 0 {
				h.faces[fi].outside = append(h.faces[fi].outside, p)
				break
			}
		}
	}
	return h
}

// link sets the adjacency of the given faces among themselves by matching
// each directed edge with its reverse.
func (h *quickhull) link(fs []int32) {
	for _, fi := range fs {
		for e := range 3 {
			a, b := h.faces[fi].v[e], h.faces[fi].v[(e+1)%3]
			for _, gi := range fs {
				for k := range 3 {
					if h.faces[gi].v[k] == b && h.faces[gi].v[(k+1)%3] == a {
						h.faces[fi].adj[e] = gi
					}
				}
			}
		}
	}
}

func (h *quickhull) run() {
	var stack []int32
	for i := range h.faces {
		stack = append(stack, int32(i))
	}
	var visible, pending, horizonFace []int32
	var horizonEdge [][2]int32
	mark := []bool{}
	for len(stack) > 0 {
		fi := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if h.faces[fi].dead || len(h.faces[fi].outside) == 0 {
			continue
		}
		// The farthest outside point of this face becomes a hull vertex.
		f := &h.faces[fi]
		apex, top := int32(-1), int64(0)
		for _, p := range f.outside {
			if ht := h.height(f, p); ht > top {
				apex, top = p, ht
			}
		}
		// Faces that see the apex form a disc; its rim is the horizon.
		for len(mark) < len(h.faces) {
			mark = append(mark, false)
		}
		visible, pending = visible[:0], append(pending[:0], fi)
		horizonEdge, horizonFace = horizonEdge[:0], horizonFace[:0]
		mark[fi] = true
		for len(pending) > 0 {
			vi := pending[len(pending)-1]
			pending = pending[:len(pending)-1]
			visible = append(visible, vi)
			for e := range 3 {
				ni := h.faces[vi].adj[e]
				if mark[ni] {
					continue
				}
				if h.height(&h.faces[ni], apex) > 0 {
					mark[ni] = true
					pending = append(pending, ni)
				} else {
					horizonEdge = append(horizonEdge, [2]int32{h.faces[vi].v[e], h.faces[vi].v[(e+1)%3]})
					horizonFace = append(horizonFace, ni)
				}
			}
		}
		// A cone of new faces joins the horizon to the apex.
		first := int32(len(h.faces))
		for k, edge := range horizonEdge {
			ni := h.addFace(edge[0], edge[1], apex)
			h.startAt[edge[0]], h.endAt[edge[1]] = ni, ni
			out := &h.faces[horizonFace[k]]
			for e := range 3 {
				if out.v[e] == edge[1] && out.v[(e+1)%3] == edge[0] {
					out.adj[e] = ni
				}
			}
			h.faces[ni].adj[0] = horizonFace[k]
		}
		last := int32(len(h.faces))
		for ni := first; ni < last; ni++ {
			nf := &h.faces[ni]
			nf.adj[1] = h.startAt[nf.v[1]] // across v1 → apex
			nf.adj[2] = h.endAt[nf.v[0]]   // across apex → v0
		}
		// Points that saw the removed faces go to a new face they see.
		for _, vi := range visible {
			vf := &h.faces[vi]
			vf.dead = true
			for _, p := range vf.outside {
				if p == apex {
					continue
				}
				for ni := first; ni < last; ni++ {
					if h.height(&h.faces[ni], p) > 0 {
						h.faces[ni].outside = append(h.faces[ni].outside, p)
						break
					}
				}
			}
			vf.outside = nil
		}
		for ni := first; ni < last; ni++ {
			if len(h.faces[ni].outside) > 0 {
				stack = append(stack, ni)
			}
		}
		for _, vi := range visible {
			mark[vi] = false
		}
	}
}

// sqrtDiameters converts squared diameters to mm.
func (d diameters) sqrt() diameters {
	return diameters{math.Sqrt(d.slice), math.Sqrt(d.column), math.Sqrt(d.row), math.Sqrt(d.max3D)}
}
