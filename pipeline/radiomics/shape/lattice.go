package shape

import (
	"encoding/binary"
	"math"
	"math/bits"
	"sync"
	"unsafe"
)

// Compute's own path: the mask as bit rows.
//
// Mesh and ConvexHullOf sweep a padded byte copy of the mask and list every
// mesh vertex (grid, mesh.go). Compute needs neither the copy nor the list:
// it packs each padded row (z, y) of the mask into 64-bit words (eight bools
// at a time: Go stores a bool as a byte 0 or 1), and
//
//   - finds the cubes cut by the surface 64 at a time (a cube is cut unless
//     its eight corners are all in or all out: a few word operations on the
//     four rows around it), so the 100³ cube's interior costs nothing; rows
//     of one word (ROIs up to 62 voxels wide) take a loop of their own;
//   - sums the moments per run of voxels in a row (closed forms);
//   - takes, for every lattice line of the half-voxel grid parallel to x or
//     to y, only its lowest and highest mesh vertex (lines): the vertices on
//     a line parallel to x are the midpoints of the boundary edges of one
//     voxel row (x edges), of two neighbouring rows (y or z edges: where the
//     rows differ), so the lowest and highest are the first and last bits of
//     a row or of an exclusive or of two rows; along y, the first and last
//     row in which a bit is set, per bit (the first found by the sweep, the
//     last by yHighest). Those extremes are all the plane hulls of the
//     diameters need (diameter.go).
//
// The configuration counts and origin sums are the old sweep's, and the area
// and volume are assembled from them by the same code (meshSums); the plane
// hulls, the candidates for the 3D hull and the distances are the old ones
// too, so all 14 features are equal to the bit: TestComputeMatchesReference
// compares them with the old code (ref_test.go). The arrays (the rows,
// about N_z·N_y·⌈(N_x+2)/64⌉ words, and the lines, about 8·N_z·(N_y+N_x)
// int32) are kept between calls in a sync.Pool.

// bitGrid is the ROI mask padded by one empty voxel on every side, in (z, y,
// x) order, as bit rows: bit x of row (z, y) is voxel (z, y, x) of the
// padded grid.
type bitGrid struct {
	n       [3]int     // padded sizes along z, y, x
	w       int        // words per row
	rows    []uint64   // row (z, y) at words [(z·n[1]+y)·w, …+w)
	spacing [3]float64 // mm along z, y, x
	moments
	lines
}

// lines holds the lowest and highest mesh vertex of every lattice line of
// the half-voxel grid (sizes nh = 2n−1) parallel to x, per (Z, Y), and
// parallel to y, per (Z, X); hi = −1 for a line without vertices. mark
// records which plane hulls the two ends are vertices of (diameters).
type lines struct {
	nh           [3]int
	xlo, xhi     []int32 // line (Z, Y) at Z·nh[1]+Y: lowest and highest X
	ylo, yhi     []int32 // line (Z, X) at Z·nh[2]+X: lowest and highest Y
	xmark, ymark []uint8
	// Work arrays of diameters and of the y extremes.
	ph           [3][]float64 // mm of each half-voxel coordinate
	polys        []planePoint // the plane hulls of one axis, back to back
	lower, upper []planePoint
	planes       []planeHull
	cand         [][3]int64 // candidates for the 3D hull
	phys, far    [][3]float64
	seen         []uint64
	// The range of the columns holding vertices in each plane: per Z of Y
	// (planes of constant Z), per Y of Z, per X of Z; lo > hi when empty.
	zSpan, ySpan, xSpan [][2]int32
}

// spanX records a vertex on the x line (Z, Y) in the column ranges.
func (l *lines) spanX(Z, Y int) {
	s, t := &l.zSpan[Z], &l.ySpan[Y]
	s[0], s[1] = min(s[0], int32(Y)), max(s[1], int32(Y))
	t[0], t[1] = min(t[0], int32(Z)), max(t[1], int32(Z))
}

// spanY records a vertex on the y line (Z, X) in the column ranges.
func (l *lines) spanY(Z, X int) {
	s := &l.xSpan[X]
	s[0], s[1] = min(s[0], int32(Z)), max(s[1], int32(Z))
}

// reset sizes the lines for a padded grid of n voxels and empties them.
func (l *lines) reset(n [3]int) {
	l.nh = [3]int{2*n[0] - 1, 2*n[1] - 1, 2*n[2] - 1}
	l.xlo, l.xhi = grow(l.xlo, l.nh[0]*l.nh[1]), grow(l.xhi, l.nh[0]*l.nh[1])
	l.ylo, l.yhi = grow(l.ylo, l.nh[0]*l.nh[2]), grow(l.yhi, l.nh[0]*l.nh[2])
	for i := range l.xhi {
		l.xlo[i], l.xhi[i] = math.MaxInt32, -1
	}
	for i := range l.yhi {
		l.ylo[i], l.yhi[i] = math.MaxInt32, -1
	}
	l.zSpan, l.ySpan, l.xSpan = grow(l.zSpan, l.nh[0]), grow(l.ySpan, l.nh[1]), grow(l.xSpan, l.nh[2])
	for _, s := range [3][][2]int32{l.zSpan, l.ySpan, l.xSpan} {
		for i := range s {
			s[i] = [2]int32{math.MaxInt32, -1}
		}
	}
}

// scratchPool keeps bitGrids (their arrays) between calls.
var scratchPool = sync.Pool{New: func() any { return new(bitGrid) }}

// grow returns b resized to n elements, reallocated when too small.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// boolBits packs 8 bools (bytes 0 or 1, little-endian in v) into the low 8
// bits, byte i to bit i: the multiplier moves byte i's bit 8i to bit 56+i,
// and no two partial products meet.
func boolBits(v uint64) uint64 { return v * 0x0102040810204080 >> 56 }

// newBitGrid checks the mask as newGrid does, packs it into bit rows, sums
// the moments and sets the x extremes of the lines on voxel rows.
func newBitGrid(mask []bool, dims [3]int, spacing [3]float64) (*bitGrid, error) {
	if err := checkMask(mask, dims, spacing); err != nil {
		return nil, err
	}
	g := scratchPool.Get().(*bitGrid)
	g.n = [3]int{dims[2] + 2, dims[1] + 2, dims[0] + 2}
	g.spacing = [3]float64{spacing[2], spacing[1], spacing[0]}
	g.moments = moments{}
	g.w = (g.n[2] + 63) / 64
	w, nx := g.w, dims[0]
	g.rows = grow(g.rows, g.n[0]*g.n[1]*w)
	clear(g.rows)
	l := &g.lines
	l.reset(g.n)
	// Go stores a bool as one byte, 0 or 1.
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(mask))), len(mask))
	src := 0
	for k := range dims[2] {
		for j := range dims[1] {
			r := (k+1)*g.n[1] + j + 1
			row := g.rows[r*w : (r+1)*w]
			in := raw[src : src+nx]
			src += nx
			i := 0
			for ; i+8 <= nx; i += 8 {
				b := boolBits(binary.LittleEndian.Uint64(in[i:]))
				if b == 0 {
					continue
				}
				bit := i + 1
				row[bit>>6] |= b << (bit & 63)
				if hi := b >> (64 - bit&63); hi != 0 { // bits past the word
					row[bit>>6+1] |= hi
				}
			}
			if i < nx {
				// The last 1…7 voxels: 8 bytes read, the next row's masked
				// off, unless the mask ends first.
				var b uint64
				if src-nx+i+8 <= len(raw) {
					b = boolBits(binary.LittleEndian.Uint64(raw[src-nx+i:])) & (1<<(nx-i) - 1)
				} else {
					for t, v := range in[i:] {
						b |= uint64(v) << t
					}
				}
				bit := i + 1
				row[bit>>6] |= b << (bit & 63)
				if hi := b >> (64 - bit&63); hi != 0 { // bits past the word
					row[bit>>6+1] |= hi
				}
			}
			// Runs of voxels [s, e) in padded x; voxel index i = x − 1.
			var c, sx, sxx uint64
			first, last := -1, -1
			for s := nextSet(row, 0); s >= 0; s = nextSet(row, s) {
				e := nextClear(row, s)
				a, b := uint64(s-1), uint64(e-2)
				c += b - a + 1
				sx += (a + b) * (b - a + 1) / 2
				sxx += sumSquares(b) - sumSquares(a-1)
				if first < 0 {
					first = s
				}
				last, s = e-1, e
			}
			if c == 0 {
				continue
			}
			line := 2*(k+1)*l.nh[1] + 2*(j+1)
			l.xlo[line], l.xhi[line] = int32(2*first-1), int32(2*last+1)
			l.spanX(2*(k+1), 2*(j+1))
			g.addRow(uint64(k), uint64(j), c, sx, sxx)
		}
	}
	switch g.count {
	case 0:
		scratchPool.Put(g)
		return nil, ErrEmptyROI
	case 1:
		scratchPool.Put(g)
		return nil, ErrSingleVoxel
	}
	return g, nil
}

// sumSquares is 0² + 1² + … + n², 0 for n = −1 (as uint64, wrapped).
func sumSquares(n uint64) uint64 {
	if n == math.MaxUint64 {
		return 0
	}
	return n * (n + 1) * (2*n + 1) / 6
}

// nextSet returns the index of the first set bit at or after from, or −1.
func nextSet(row []uint64, from int) int {
	k := from >> 6
	if k >= len(row) {
		return -1
	}
	if v := row[k] >> (from & 63); v != 0 {
		return from + bits.TrailingZeros64(v)
	}
	for k++; k < len(row); k++ {
		if row[k] != 0 {
			return k<<6 + bits.TrailingZeros64(row[k])
		}
	}
	return -1
}

// nextClear returns the index of the first clear bit at or after from; the
// padding guarantees one before the row's end.
func nextClear(row []uint64, from int) int {
	k := from >> 6
	if v := ^row[k] >> (from & 63); v != 0 {
		return from + bits.TrailingZeros64(v)
	}
	for k++; ; k++ {
		if row[k] != math.MaxUint64 {
			return k<<6 + bits.TrailingZeros64(^row[k])
		}
	}
}

// firstLast returns the lowest and highest set bit of a ^ b, or −1, −1.
func firstLast(a, b []uint64) (int, int) {
	lo := -1
	for k := range a {
		if v := a[k] ^ b[k]; v != 0 {
			lo = k<<6 + bits.TrailingZeros64(v)
			break
		}
	}
	if lo < 0 {
		return -1, -1
	}
	for k := len(a) - 1; ; k-- {
		if v := a[k] ^ b[k]; v != 0 {
			return lo, k<<6 + 63 - bits.LeadingZeros64(v)
		}
	}
}

// row returns the bits of padded row (z, y).
func (g *bitGrid) row(z, y int) []uint64 {
	r := (z*g.n[1] + y) * g.w
	return g.rows[r : r+g.w]
}

// occupied reports whether padded row (z, y) holds an ROI voxel.
func (g *bitGrid) occupied(z, y int) bool { return g.xhi[2*z*g.nh[1]+2*y] >= 0 }

// sweep is grid.sweep on bit rows, without the vertex list: it counts the
// cube configurations and sums their origins, returns the mesh's area and
// volume (meshSums), and sets the x extremes of the lines between two
// voxel rows and the lowest y extremes.
func (g *bitGrid) sweep() (area, volume float64) {
	var cc cubeCounts
	w, l := g.w, &g.lines
	l.seen = grow(l.seen, 3*w)
	seen := l.seen
	if w == 1 {
		// One word a row (ROIs up to 62 voxels wide): the rows as words.
		n1 := g.n[1]
		for z := 0; z < g.n[0]-1; z++ {
			clear(seen)
			s0, s1 := g.rows[z*n1:(z+1)*n1], g.rows[(z+1)*n1:(z+2)*n1]
			for y := 0; y < n1-1; y++ {
				a, b, c, d := s0[y], s0[y+1], s1[y], s1[y+1]
				if a|b|c|d == 0 {
					continue
				}
				if v := a ^ b; v != 0 { // y edges between the rows (z, y), (z, y+1)
					l.setX(2*z, 2*y+1, bits.TrailingZeros64(v), 63-bits.LeadingZeros64(v))
				}
				if v := a ^ c; v != 0 { // z edges between the rows (z, y), (z+1, y)
					l.setX(2*z+1, 2*y, bits.TrailingZeros64(v), 63-bits.LeadingZeros64(v))
				}
				a1 := a >> 1
				if v1, v2 := a^a1, a^c; a&^seen[0]|v1&^seen[1]|v2&^seen[2] != 0 {
					l.firstSeen(l.ylo, seen, 1, 0, z, y, -1, a, v1, v2)
				}
				cc.add(a, b, c, d, a1, b>>1, c>>1, d>>1, z, y, 0)
			}
		}
		return meshSums(&cc.count, &cc.origins, g.spacing)
	}
	for z := 0; z < g.n[0]-1; z++ {
		clear(seen)
		for y := 0; y < g.n[1]-1; y++ {
			o00, o01, o10, o11 := g.occupied(z, y), g.occupied(z, y+1), g.occupied(z+1, y), g.occupied(z+1, y+1)
			if !(o00 || o01 || o10 || o11) {
				continue
			}
			r00, r01, r10, r11 := g.row(z, y), g.row(z, y+1), g.row(z+1, y), g.row(z+1, y+1)
			if lo, hi := firstLast(r00, r01); lo >= 0 {
				l.setX(2*z, 2*y+1, lo, hi)
			}
			if lo, hi := firstLast(r00, r10); lo >= 0 {
				l.setX(2*z+1, 2*y, lo, hi)
			}
			for k := range w {
				a, b, c, d := r00[k], r01[k], r10[k], r11[k]
				a1, b1, c1, d1 := a>>1, b>>1, c>>1, d>>1
				if k+1 < w {
					a1 |= r00[k+1] << 63
					b1 |= r01[k+1] << 63
					c1 |= r10[k+1] << 63
					d1 |= r11[k+1] << 63
				}
				if v1, v2 := a^a1, a^c; a&^seen[k]|v1&^seen[w+k]|v2&^seen[2*w+k] != 0 {
					l.firstSeen(l.ylo, seen, w, k, z, y, -1, a, v1, v2)
				}
				cc.add(a, b, c, d, a1, b1, c1, d1, z, y, k<<6)
			}
		}
	}
	return meshSums(&cc.count, &cc.origins, g.spacing)
}

// setX sets the x extremes of the line (Z, Y) between two voxel rows from
// the first and last bit at which the rows differ.
func (l *lines) setX(Z, Y, lo, hi int) {
	i := Z*l.nh[1] + Y
	l.xlo[i], l.xhi[i] = int32(2*lo), int32(2*hi)
	l.spanX(Z, Y)
}

// cubeCounts are the sweep's counts of the cubes of each configuration and
// the sums of their origins (z, y, x).
type cubeCounts struct {
	count   [256]int64
	origins [256][3]int64
}

// add counts the cubes cut by the surface among those at x = x0 + t, t < 64,
// of the rows y, y+1 of slices z, z+1: bit t of a, b, c, d is their corner
// at x of rows (z, y), (z, y+1), (z+1, y), (z+1, y+1), bit t of a1…d1 the
// corner at x+1. A cube is cut unless its eight corners are all in or all
// out.
func (cc *cubeCounts) add(a, b, c, d, a1, b1, c1, d1 uint64, z, y, x0 int) {
	cut := (a | a1 | b | b1 | c | c1 | d | d1) &^ (a & a1 & b & b1 & c & c1 & d & d1)
	for cut != 0 {
		t := uint(bits.TrailingZeros64(cut))
		cut &= cut - 1
		var raw uint64
		if t < 63 { // corners x and x+1 in one word
			raw = a>>t&3 | swap2[b>>t&3]<<2 | (c>>t&3)<<4 | swap2[d>>t&3]<<6
		} else {
			raw = a>>t&1 | a1>>t&1<<1 | b1>>t&1<<2 | b>>t&1<<3 |
				c>>t&1<<4 | c1>>t&1<<5 | d1>>t&1<<6 | d>>t&1<<7
		}
		cc.count[raw]++
		o := &cc.origins[raw]
		o[0] += int64(z)
		o[1] += int64(y)
		o[2] += int64(x0) + int64(t)
	}
}

// swap2 swaps two bits: corners p2, p3 and p6, p7 run against x.
var swap2 = [4]uint64{0, 2, 1, 3}

// The y extremes of the lines parallel to y: in the plane Z = 2z, on X =
// 2x the y edges of column x of slice z (its first and last voxel), on X =
// 2x+1 the x edges between columns x and x+1; in Z = 2z+1 the z edges
// between slices z and z+1, on X = 2x. Each comes from a stream of rows
// whose bit x is set when line X has a vertex at that row's Y: the rows of
// slice z, their exclusive or with themselves shifted by one voxel, and
// their exclusive or with the rows of slice z+1. The first row in which a
// bit is set gives the lowest Y (sweep, y ascending), the last the highest
// (yHighest, y descending).

// firstSeen records the bits of word k of row y of the three streams of
// slice z (v0, v1, v2) that no earlier row of the pass set (seen, three
// rows of w words): dst gets their Y, 2y + yv on a voxel's y edge (yv = ∓1
// for the lowest and highest), 2y on an x or z edge.
func (l *lines) firstSeen(dst []int32, seen []uint64, w, k, z, y, yv int, v0, v1, v2 uint64) {
	s0, s1, s2 := v0&^seen[k], v1&^seen[w+k], v2&^seen[2*w+k]
	seen[k] |= v0
	seen[w+k] |= v1
	seen[2*w+k] |= v2
	b0, b2, x0 := 2*z*l.nh[2], (2*z+1)*l.nh[2], k<<6
	for s0 != 0 {
		X := 2 * (x0 + bits.TrailingZeros64(s0))
		s0 &= s0 - 1
		dst[b0+X] = int32(2*y + yv)
		l.spanY(2*z, X)
	}
	for s1 != 0 {
		X := 2*(x0+bits.TrailingZeros64(s1)) + 1
		s1 &= s1 - 1
		dst[b0+X] = int32(2 * y)
		l.spanY(2*z, X)
	}
	for s2 != 0 {
		X := 2 * (x0 + bits.TrailingZeros64(s2))
		s2 &= s2 - 1
		dst[b2+X] = int32(2 * y)
		l.spanY(2*z+1, X)
	}
}

// yHighest sets the highest y extremes: the streams' rows, y descending.
func (g *bitGrid) yHighest() {
	w, l := g.w, &g.lines
	seen := l.seen
	for z := 0; z < g.n[0]-1; z++ {
		clear(seen)
		for y := g.n[1] - 1; y >= 0; y-- {
			if !g.occupied(z, y) && !g.occupied(z+1, y) {
				continue
			}
			r, r2 := g.row(z, y), g.row(z+1, y)
			for k, v := range r {
				v1 := v >> 1
				if k+1 < w {
					v1 |= r[k+1] << 63
				}
				v1 ^= v
				v2 := v ^ r2[k]
				if v&^seen[k]|v1&^seen[w+k]|v2&^seen[2*w+k] != 0 {
					l.firstSeen(l.yhi, seen, w, k, z, y, 1, v, v1, v2)
				}
			}
		}
	}
}
