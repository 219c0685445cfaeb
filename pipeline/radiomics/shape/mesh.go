package shape

import (
	"fmt"
	"math"
	"sync/atomic"
)

// grid is the ROI mask padded by one empty voxel on every side, in
// pyradiomics' (z, y, x) order: padding makes every boundary edge of the ROI
// an edge between two voxels of the array, so the surface can close.
type grid struct {
	n       [3]int     // padded sizes along z, y, x
	spacing [3]float64 // mm along z, y, x
	in      []uint8    // 1 inside the ROI, 0 outside; n[0]*n[1]*n[2] voxels, x fastest
	// rowLo, rowHi: per padded row (z, y), the first and last x of its ROI
	// voxels; rowHi = −1 for a row without any.
	rowLo, rowHi []int32
	xEdges       int // lattice edges along x joining a voxel inside to one outside
	moments
}

// moments are the exact integer moments of the ROI's voxel indices (z, y,
// x): count = N_v, sum[a] = Σ a, sum2[a][b] = Σ a·b.
type moments struct {
	count int
	sum   [3]uint64
	sum2  [3][3]uint64
}

// addRow adds the c voxels of row (z, y) whose x sum to sx, their squares
// to sxx.
func (m *moments) addRow(z, y, c, sx, sxx uint64) {
	m.count += int(c)
	m.sum[0] += c * z
	m.sum[1] += c * y
	m.sum[2] += sx
	m.sum2[0][0] += c * z * z
	m.sum2[1][1] += c * y * y
	m.sum2[2][2] += sxx
	m.sum2[0][1] += c * z * y
	m.sum2[0][2] += z * sx
	m.sum2[1][2] += y * sx
}

// maxSide bounds each side of the mask so that the exact integer arithmetic
// of the moments and of the convex hull (coordinates in half voxels,
// products of three of them) cannot overflow.
const maxSide = 1 << 16

// newGrid pads the mask (x fastest, dims and spacing in (i, j, k) order),
// accumulates the moments, and checks what depends on the data: sizes,
// spacing and the number of voxels.
func newGrid(mask []bool, dims [3]int, spacing [3]float64) (*grid, error) {
	if err := checkMask(mask, dims, spacing); err != nil {
		return nil, err
	}
	g := &grid{
		n:       [3]int{dims[2] + 2, dims[1] + 2, dims[0] + 2},
		spacing: [3]float64{spacing[2], spacing[1], spacing[0]},
	}
	g.in = make([]uint8, g.n[0]*g.n[1]*g.n[2])
	g.rowLo, g.rowHi = make([]int32, g.n[0]*g.n[1]), make([]int32, g.n[0]*g.n[1])
	for r := range g.rowHi {
		g.rowLo[r], g.rowHi[r] = math.MaxInt32, -1
	}
	src := 0
	for k := range dims[2] {
		for j := range dims[1] {
			row := g.in[g.index(k+1, j+1, 1):]
			var c, sx, sxx uint64
			first, last := -1, -1
			prev := false // the voxel before, along x
			for i, in := range mask[src : src+dims[0]] {
				if in {
					row[i] = 1
					c++
					sx += uint64(i)
					sxx += uint64(i * i)
					if first < 0 {
						first = i
					}
					last = i
				}
				if in != prev {
					g.xEdges++
					prev = in
				}
			}
			if prev {
				g.xEdges++
			}
			src += dims[0]
			if c == 0 {
				continue
			}
			r := (k+1)*g.n[1] + j + 1
			g.rowLo[r], g.rowHi[r] = int32(first+1), int32(last+1) // padded x
			g.addRow(uint64(k), uint64(j), c, sx, sxx)
		}
	}
	switch g.count {
	case 0:
		return nil, ErrEmptyROI
	case 1:
		return nil, ErrSingleVoxel
	}
	return g, nil
}

// checkMask checks what Compute's arguments must satisfy: sizes, spacing
// and the mask's length (a panic).
func checkMask(mask []bool, dims [3]int, spacing [3]float64) error {
	total := 1
	for a := range 3 {
		if dims[a] <= 0 || dims[a] > maxSide {
			return fmt.Errorf("shape: mask size %v: each side must be 1…%d voxels", dims, maxSide)
		}
		total *= dims[a]
		if !(spacing[a] > 0) || math.IsInf(spacing[a], 0) {
			return fmt.Errorf("shape: spacing %v: each value must be finite and > 0 mm", spacing)
		}
	}
	if total > maxVoxels {
		return fmt.Errorf("shape: mask size %v: more than %d voxels", dims, maxVoxels)
	}
	if len(mask) != total {
		panic(fmt.Sprintf("shape: mask has %d voxels, dims %v need %d", len(mask), dims, total))
	}
	return nil
}

// maxVoxels bounds the mask (volume.MaxVoxels) so that the moments fit in
// 64 bits: N_v · (2¹⁶)² < 2⁶⁴.
const maxVoxels = 1 << 30

func (g *grid) index(z, y, x int) int { return x + g.n[2]*(y+g.n[1]*z) }

// sweep runs marching cubes over the padded mask. It returns the area A
// (mm²) and the volume V (mm³) of the mesh,
//
//	A = Σ ½ |(a−c) × (b−c)|
//	V = Σ s a·(b×c) / 6,
//
// summed over the triangles a, b, c (mm, from the padded grid's first
// voxel), s = −1 for triangles taken from a complemented cube index; and
// the mesh vertices in half voxels (2z, 2y, 2x), each once: like
// pyradiomics, every cube reports the vertices on its three edges at corner
// p7 (e6, e7, e11), which together cover every lattice edge of the grid.
//
// The sums are regrouped by cube configuration. A triangle's area does not
// depend on where its cube is; its tetrahedron volume, with the cube at
// origin o and the triangle's corners at o + A, o + B, o + C, is
//
//	(o+A)·((o+B)×(o+C)) = A·(B×C) + o·(A×B + B×C + C×A),
//
// so the sweep only counts each configuration and sums its cube origins (in
// exact integers), and V is assembled from at most 254 terms. The result is
// pyradiomics' sum to rounding (about 1e-15 relative).
func (g *grid) sweep() (area, volume float64, verts [][3]int32) {
	sz, sy := g.n[2]*g.n[1], g.n[2]
	var count [256]int64
	var origins [256][3]int64 // Σ (z, y, x) of the cubes of each configuration
	// One vertex per boundary edge; edges along y and z cross the boundary
	// about as often as along x (up to about 1.5 times for flat ROIs).
	verts = make([][3]int32, 0, 4*g.xEdges+64)
	for z := 0; z < g.n[0]-1; z++ {
		for y := 0; y < g.n[1]-1; y++ {
			// Only cubes touching an ROI voxel of their four rows can be
			// cut by the surface: x from the first such voxel − 1 to the
			// last.
			r, r2 := z*g.n[1]+y, (z+1)*g.n[1]+y
			hi := int(max(g.rowHi[r], g.rowHi[r+1], g.rowHi[r2], g.rowHi[r2+1]))
			if hi < 0 {
				continue // every cube of this row is outside
			}
			lo := int(min(g.rowLo[r], g.rowLo[r+1], g.rowLo[r2], g.rowLo[r2+1])) - 1
			base, w := g.index(z, y, 0), g.n[2]
			r00 := g.in[base : base+w]
			r01 := g.in[base+sy : base+sy+w]
			r10 := g.in[base+sz : base+sz+w]
			r11 := g.in[base+sz+sy : base+sz+sy+w]
			for x := lo; x <= hi; x++ {
				raw := r00[x] | r00[x+1]<<1 | r01[x+1]<<2 | r01[x]<<3 |
					r10[x]<<4 | r10[x+1]<<5 | r11[x+1]<<6 | r11[x]<<7
				if raw == 0 || raw == 0xff {
					continue
				}
				count[raw]++
				origins[raw][0] += int64(z)
				origins[raw][1] += int64(y)
				origins[raw][2] += int64(x)
				// With the index complemented so that p7 is outside, an edge
				// at p7 holds a vertex when its other corner is inside.
				cube := raw
				if cube&0x80 != 0 {
					cube ^= 0xff
				}
				if cube&(1<<6) != 0 { // e6: p6–p7
					verts = append(verts, [3]int32{int32(2*z + 2), int32(2*y + 2), int32(2*x + 1)})
				}
				if cube&(1<<4) != 0 { // e7: p7–p4
					verts = append(verts, [3]int32{int32(2*z + 2), int32(2*y + 1), int32(2 * x)})
				}
				if cube&(1<<3) != 0 { // e11: p3–p7
					verts = append(verts, [3]int32{int32(2*z + 1), int32(2*y + 2), int32(2 * x)})
				}
			}
		}
	}
	area, volume = meshSums(&count, &origins, g.spacing)
	return area, volume, verts
}

// meshSums assembles the mesh's area and volume (sweep) from the number of
// cubes of each configuration and the sums of their origins.
func meshSums(count *[256]int64, origins *[256][3]int64, sp [3]float64) (area, volume float64) {
	t := termsFor(sp)
	for raw := 1; raw < 0xff; raw++ {
		if count[raw] == 0 {
			continue
		}
		cube, sign := raw, 1.0
		if cube&0x80 != 0 {
			cube ^= 0xff
			sign = -1
		}
		a0, v0, n := t.a0[cube], t.v0[cube], &t.n[cube]
		cnt := float64(count[raw])
		area += cnt * a0
		volume += sign * (cnt*v0 + float64(origins[raw][0])*sp[0]*n[0] +
			float64(origins[raw][1])*sp[1]*n[1] + float64(origins[raw][2])*sp[2]*n[2])
	}
	return area, volume / 6
}

// configTerms are, for one spacing and each cube index below 128, the sums
// over the index's triangles a, b, c (mm, from the cube's origin) that
// meshSums weighs: the area a0, v0 = Σ a·(b×c) and n = Σ (a×b + b×c + c×a).
type configTerms struct {
	sp     [3]float64
	a0, v0 [128]float64
	n      [128][3]float64
}

func newConfigTerms(sp [3]float64) *configTerms {
	t := &configTerms{sp: sp}
	for cube := 1; cube < 128; cube++ {
		var a0, v0 float64
		var n [3]float64
		tris := triangles[cube]
		for k := 0; k+2 < len(tris); k += 3 {
			var a, b, c [3]float64
			ea, eb, ec := &edgeMidpoint[hexDigit(tris[k])], &edgeMidpoint[hexDigit(tris[k+1])], &edgeMidpoint[hexDigit(tris[k+2])]
			for d := range 3 {
				a[d], b[d], c[d] = ea[d]*sp[d], eb[d]*sp[d], ec[d]*sp[d]
			}
			ab, bc, ca := cross(a, b), cross(b, c), cross(c, a)
			v0 += dot(ab, c)
			for d := range 3 {
				n[d] += ab[d] + bc[d] + ca[d]
			}
			a0 += 0.5 * math.Sqrt(norm2(cross(sub(a, c), sub(b, c))))
		}
		t.a0[cube], t.v0[cube], t.n[cube] = a0, v0, n
	}
	return t
}

// recentTerms holds the configTerms of the last keptTerms spacings, newest
// first (the ROIs of one study mostly share a spacing); the slice is never
// modified, only replaced.
var recentTerms atomic.Pointer[[]*configTerms]

const keptTerms = 8

// termsFor returns the configTerms of spacing sp, from recentTerms or new.
func termsFor(sp [3]float64) *configTerms {
	if p := recentTerms.Load(); p != nil {
		for _, t := range *p {
			if t.sp == sp {
				return t
			}
		}
	}
	t := newConfigTerms(sp)
	for {
		old := recentTerms.Load()
		next := []*configTerms{t}
		if old != nil {
			next = append(next, (*old)[:min(len(*old), keptTerms-1)]...)
		}
		if recentTerms.CompareAndSwap(old, &next) {
			return t
		}
	}
}

func hexDigit(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c-'a') + 10
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - b[1]*a[2], a[2]*b[0] - b[2]*a[0], a[0]*b[1] - b[0]*a[1]}
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func norm2(a [3]float64) float64 { return a[0]*a[0] + a[1]*a[1] + a[2]*a[2] }

// TriangleMesh is the ROI's marching-cubes surface as pyradiomics builds it,
// with shared vertices, for display and checks.
type TriangleMesh struct {
	// Vertices are edge midpoints in mm along (i, j, k), measured from the
	// centre of voxel (0, 0, 0) of the mask passed to Mesh.
	Vertices [][3]float64
	// Triangles index Vertices; seen from outside the ROI each triangle's
	// vertices run counter-clockwise (normals point outward).
	Triangles [][3]int32
}

// Mesh builds the marching-cubes surface of the ROI: the same triangles
// whose areas and signed volumes Compute sums. The mask is x fastest on a
// grid of size dims with the given spacing (mm along i, j, k).
func Mesh(mask []bool, dims [3]int, spacing [3]float64) (*TriangleMesh, error) {
	g, err := newGrid(mask, dims, spacing)
	if err != nil {
		return nil, err
	}
	m := &TriangleMesh{}
	ids := make(map[[3]int32]int32) // vertex position in half voxels (z, y, x) → index
	vertex := func(z, y, x int, e int) int32 {
		var h [3]int32
		origin := [3]int{z, y, x}
		for d := range 3 {
			h[d] = int32(2*origin[d]) + int32(2*edgeMidpoint[e][d])
		}
		if id, ok := ids[h]; ok {
			return id
		}
		id := int32(len(m.Vertices))
		ids[h] = id
		// Back to (i, j, k), minus the one-voxel padding.
		m.Vertices = append(m.Vertices, [3]float64{
			(float64(h[2])/2 - 1) * spacing[0],
			(float64(h[1])/2 - 1) * spacing[1],
			(float64(h[0])/2 - 1) * spacing[2],
		})
		return id
	}
	sz, sy := g.n[2]*g.n[1], g.n[2]
	for z := 0; z < g.n[0]-1; z++ {
		for y := 0; y < g.n[1]-1; y++ {
			r00 := g.in[g.index(z, y, 0):]
			r01, r10 := r00[sy:], r00[sz:]
			r11 := r10[sy:]
			for x := 0; x < g.n[2]-1; x++ {
				cube := r00[x] | r00[x+1]<<1 | r01[x+1]<<2 | r01[x]<<3 |
					r10[x]<<4 | r10[x+1]<<5 | r11[x+1]<<6 | r11[x]<<7
				flipped := cube&0x80 != 0
				if flipped {
					cube ^= 0xff
				}
				tris := triangles[cube]
				for t := 0; t+2 < len(tris); t += 3 {
					a := vertex(z, y, x, hexDigit(tris[t]))
					b := vertex(z, y, x, hexDigit(tris[t+1]))
					c := vertex(z, y, x, hexDigit(tris[t+2]))
					// Reversing the axis order (z, y, x) → (x, y, z) flips
					// orientation, so an unflipped triangle is emitted a, c, b.
					if flipped {
						m.Triangles = append(m.Triangles, [3]int32{a, b, c})
					} else {
						m.Triangles = append(m.Triangles, [3]int32{a, c, b})
					}
				}
			}
		}
	}
	return m, nil
}

// Area is the sum of the triangles' areas, mm².
func (m *TriangleMesh) Area() float64 {
	var s float64
	for _, t := range m.Triangles {
		a, b, c := m.Vertices[t[0]], m.Vertices[t[1]], m.Vertices[t[2]]
		s += 0.5 * math.Sqrt(norm2(cross(sub(b, a), sub(c, a))))
	}
	return s
}

// Volume is the enclosed volume, mm³: the sum of the signed volumes
// a·(b×c)/6 of the tetrahedra each triangle forms with the origin. Where
// the mesh is open (package doc, deviation 2) the sum depends on the
// origin, here the centre of voxel (0, 0, 0); Compute's MeshVolume, like
// pyradiomics, measures from one voxel before it (the padding).
func (m *TriangleMesh) Volume() float64 {
	var s float64
	for _, t := range m.Triangles {
		s += dot(cross(m.Vertices[t[0]], m.Vertices[t[1]]), m.Vertices[t[2]])
	}
	return s / 6
}
