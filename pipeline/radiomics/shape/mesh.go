package shape

import (
	"fmt"
	"math"
)

// grid is the ROI mask padded by one empty voxel on every side, in
// pyradiomics' (z, y, x) order: padding makes every boundary edge of the ROI
// an edge between two voxels of the array, so the surface is closed.
type grid struct {
	n       [3]int     // padded sizes along z, y, x
	spacing [3]float64 // mm along z, y, x
	in      []bool     // n[0]*n[1]*n[2] voxels, x fastest
	count   int        // voxels in the ROI
}

// newGrid pads the mask (x fastest, dims and spacing in (i, j, k) order) and
// checks what depends on the data: sizes, spacing and the number of voxels.
func newGrid(mask []bool, dims [3]int, spacing [3]float64) (*grid, error) {
	total := 1
	for a := range 3 {
		if dims[a] <= 0 || dims[a] > maxSide {
			return nil, fmt.Errorf("shape: mask size %v: each side must be 1…%d voxels", dims, maxSide)
		}
		total *= dims[a]
		if !(spacing[a] > 0) || math.IsInf(spacing[a], 0) {
			return nil, fmt.Errorf("shape: spacing %v: each value must be finite and > 0 mm", spacing)
		}
	}
	if len(mask) != total {
		panic(fmt.Sprintf("shape: mask has %d voxels, dims %v need %d", len(mask), dims, total))
	}
	g := &grid{
		n:       [3]int{dims[2] + 2, dims[1] + 2, dims[0] + 2},
		spacing: [3]float64{spacing[2], spacing[1], spacing[0]},
	}
	g.in = make([]bool, g.n[0]*g.n[1]*g.n[2])
	src := 0
	for k := range dims[2] {
		for j := range dims[1] {
			row := g.in[g.index(k+1, j+1, 1):]
			for i := range dims[0] {
				if mask[src] {
					row[i] = true
					g.count++
				}
				src++
			}
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

// maxSide bounds each side of the mask so that the exact integer arithmetic
// of the convex hull (coordinates in half voxels, products of three of them)
// cannot overflow int64.
const maxSide = 1 << 16

func (g *grid) index(z, y, x int) int { return x + g.n[2]*(y+g.n[1]*z) }

// surface returns the area A (mm²) and the volume V (mm³) of the
// marching-cubes mesh, summed triangle by triangle in pyradiomics' order:
//
//	A = Σ ½ |(a−c) × (b−c)|
//	V = Σ s a·(b×c) / 6
//
// where a, b, c are a triangle's vertices in mm from the padded grid's first
// voxel and s = −1 for triangles taken from a complemented cube index.
func (g *grid) surface() (area, volume float64) {
	sz, sy := g.n[2]*g.n[1], g.n[2]
	sp := g.spacing
	for z := 0; z < g.n[0]-1; z++ {
		for y := 0; y < g.n[1]-1; y++ {
			r00 := g.in[g.index(z, y, 0):]
			r01 := r00[sy:]
			r10 := r00[sz:]
			r11 := r10[sy:]
			for x := 0; x < g.n[2]-1; x++ {
				cube := bit(r00[x], 0) | bit(r00[x+1], 1) | bit(r01[x+1], 2) | bit(r01[x], 3) |
					bit(r10[x], 4) | bit(r10[x+1], 5) | bit(r11[x+1], 6) | bit(r11[x], 7)
				sign := 1.0
				if cube&0x80 != 0 {
					cube ^= 0xff
					sign = -1
				}
				tris := triangles[cube]
				for t := 0; t+2 < len(tris); t += 3 {
					var a, b, c [3]float64
					ea, eb, ec := &edgeMidpoint[hexDigit(tris[t])], &edgeMidpoint[hexDigit(tris[t+1])], &edgeMidpoint[hexDigit(tris[t+2])]
					origin := [3]float64{float64(z), float64(y), float64(x)}
					for d := range 3 {
						a[d] = (origin[d] + ea[d]) * sp[d]
						b[d] = (origin[d] + eb[d]) * sp[d]
						c[d] = (origin[d] + ec[d]) * sp[d]
					}
					volume += sign * dot(cross(a, b), c)
					area += 0.5 * math.Sqrt(norm2(cross(sub(a, c), sub(b, c))))
				}
			}
		}
	}
	return area, volume / 6
}

func bit(in bool, n uint) uint8 {
	if in {
		return 1 << n
	}
	return 0
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
				cube := bit(r00[x], 0) | bit(r00[x+1], 1) | bit(r01[x+1], 2) | bit(r01[x], 3) |
					bit(r10[x], 4) | bit(r10[x+1], 5) | bit(r11[x+1], 6) | bit(r11[x], 7)
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
// a·(b×c)/6 of the tetrahedra each triangle forms with the origin.
func (m *TriangleMesh) Volume() float64 {
	var s float64
	for _, t := range m.Triangles {
		s += dot(cross(m.Vertices[t[0]], m.Vertices[t[1]]), m.Vertices[t[2]])
	}
	return s / 6
}
