package volume

import (
	"errors"
	"fmt"
	"math"
)

// MaxVoxels is the largest voxel count a decoder will allocate. Headers that
// declare more are refused before any allocation (2³⁰ voxels = 8 GiB as
// float64), so a corrupt or hostile header cannot exhaust memory.
const MaxVoxels = 1 << 30

// Grid is the geometry of a volume: how voxel indices map to millimetres.
type Grid struct {
	Dims      [3]int     // voxels along i, j, k
	Spacing   [3]float64 // mm between voxel centres along i, j, k
	Origin    [3]float64 // physical position (LPS, mm) of voxel (0,0,0)
	Direction [9]float64 // row-major 3×3; column c is the direction of axis c
}

// Volume is a 3D scalar image on a Grid.
type Volume struct {
	Grid
	Data []float64 // len = Dims[0]*Dims[1]*Dims[2], x fastest
}

// Identity is the identity direction matrix.
var Identity = [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}

// NewGrid returns a grid with the given dims and spacing, origin 0 and
// identity direction. It panics if a dimension is not positive.
func NewGrid(dims [3]int, spacing [3]float64) Grid {
	for _, d := range dims {
		if d <= 0 {
			panic(fmt.Sprintf("volume: non-positive dimension in %v", dims))
		}
	}
	return Grid{Dims: dims, Spacing: spacing, Direction: Identity}
}

// New returns a zero-filled volume on g.
func New(g Grid) *Volume {
	return &Volume{Grid: g, Data: make([]float64, g.Len())}
}

// Len is the number of voxels.
func (g Grid) Len() int { return g.Dims[0] * g.Dims[1] * g.Dims[2] }

// Index is the offset of voxel (i, j, k) in Data.
func (g Grid) Index(i, j, k int) int { return i + g.Dims[0]*(j+g.Dims[1]*k) }

// Coords is the inverse of Index.
func (g Grid) Coords(idx int) (i, j, k int) {
	i = idx % g.Dims[0]
	idx /= g.Dims[0]
	return i, idx % g.Dims[1], idx / g.Dims[1]
}

// Contains reports whether (i, j, k) lies inside the grid.
func (g Grid) Contains(i, j, k int) bool {
	return i >= 0 && j >= 0 && k >= 0 && i < g.Dims[0] && j < g.Dims[1] && k < g.Dims[2]
}

// At returns the voxel (i, j, k).
func (v *Volume) At(i, j, k int) float64 { return v.Data[v.Index(i, j, k)] }

// Set sets the voxel (i, j, k).
func (v *Volume) Set(i, j, k int, x float64) { v.Data[v.Index(i, j, k)] = x }

// Clone returns a deep copy.
func (v *Volume) Clone() *Volume {
	return &Volume{Grid: v.Grid, Data: append([]float64(nil), v.Data...)}
}

// IndexToPhysical maps a (continuous) voxel index to LPS millimetres.
func (g Grid) IndexToPhysical(idx [3]float64) [3]float64 {
	var p [3]float64
	for r := 0; r < 3; r++ {
		p[r] = g.Origin[r]
		for c := 0; c < 3; c++ {
			p[r] += g.Direction[3*r+c] * g.Spacing[c] * idx[c]
		}
	}
	return p
}

// PhysicalToIndex maps LPS millimetres to a continuous voxel index. The
// direction matrix is inverted in full, so it need not be orthonormal.
func (g Grid) PhysicalToIndex(p [3]float64) [3]float64 {
	var m [9]float64 // D·diag(S)
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			m[3*r+c] = g.Direction[3*r+c] * g.Spacing[c]
		}
	}
	inv, ok := invert3(m)
	if !ok {
		panic("volume: singular grid matrix")
	}
	d := [3]float64{p[0] - g.Origin[0], p[1] - g.Origin[1], p[2] - g.Origin[2]}
	var idx [3]float64
	for r := 0; r < 3; r++ {
		idx[r] = inv[3*r]*d[0] + inv[3*r+1]*d[1] + inv[3*r+2]*d[2]
	}
	return idx
}

func invert3(m [9]float64) ([9]float64, bool) {
	a, b, c := m[0], m[1], m[2]
	d, e, f := m[3], m[4], m[5]
	g, h, i := m[6], m[7], m[8]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	if det == 0 || math.IsNaN(det) {
		return [9]float64{}, false
	}
	inv := [9]float64{
		A, -(b*i - c*h), b*f - c*e,
		B, a*i - c*g, -(a*f - c*d),
		C, -(a*h - b*g), a*e - b*d,
	}
	for k := range inv {
		inv[k] /= det
	}
	return inv, true
}

// Check refuses a grid that no reader or transform could use: dims below 1,
// spacing not positive and finite, origin or direction not finite, and a
// degenerate geometry — a spacing or origin beyond the limits below, a
// direction matrix whose columns are not unit vectors or that is singular
// or nearly so. Every reader calls it, so no command meets such a grid.
func (g Grid) Check() error {
	for a := range 3 {
		if g.Dims[a] < 1 {
			return fmt.Errorf("dims %v: want at least 1 voxel per axis", g.Dims)
		}
		if s := g.Spacing[a]; !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("spacing %v: want positive finite values", g.Spacing)
		}
		if o := g.Origin[a]; math.IsNaN(o) || math.IsInf(o, 0) {
			return fmt.Errorf("origin %v: want finite values", g.Origin)
		}
	}
	for _, d := range g.Direction {
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("direction %v: want finite values", g.Direction)
		}
	}
	for a := range 3 {
		if s := g.Spacing[a]; s < MinSpacing || s > MaxSpacing {
			return fmt.Errorf("spacing %v: want values between %g and %g mm", g.Spacing, MinSpacing, MaxSpacing)
		}
		if o := g.Origin[a]; math.Abs(o) > MaxOrigin {
			return fmt.Errorf("origin %v: want values within ±%g mm", g.Origin, MaxOrigin)
		}
		c := [3]float64{g.Direction[a], g.Direction[3+a], g.Direction[6+a]}
		if n := math.Sqrt(c[0]*c[0] + c[1]*c[1] + c[2]*c[2]); math.Abs(n-1) > 1e-3 {
			return fmt.Errorf("direction %v: column %d has length %g, want unit axes", g.Direction, a, n)
		}
	}
	d := g.Direction
	det := d[0]*(d[4]*d[8]-d[5]*d[7]) - d[1]*(d[3]*d[8]-d[5]*d[6]) + d[2]*(d[3]*d[7]-d[4]*d[6])
	if !(math.Abs(det) >= MinDirectionDet) {
		return fmt.Errorf("direction %v: singular or nearly so (determinant %.3g): the voxel axes must span 3D space", g.Direction, det)
	}
	return nil
}

// Limits of a usable grid (Grid.Check): spacing between MinSpacing and
// MaxSpacing mm, origin within ±MaxOrigin mm, and a direction matrix of
// unit columns whose determinant is at least MinDirectionDet in absolute
// value (axes at least about 0.06° away from a common plane), so that
// every index↔physical mapping is finite and invertible.
const (
	MinSpacing      = 1e-6
	MaxSpacing      = 1e6
	MaxOrigin       = 1e12
	MinDirectionDet = 1e-3
)

// String prints the grid on one line, for error messages.
func (g Grid) String() string {
	return fmt.Sprintf("dims %dx%dx%d spacing (%g, %g, %g) origin (%g, %g, %g) direction %v",
		g.Dims[0], g.Dims[1], g.Dims[2], g.Spacing[0], g.Spacing[1], g.Spacing[2],
		g.Origin[0], g.Origin[1], g.Origin[2], g.Direction)
}

// DefaultTolerance is the default same-grid tolerance, relative to the
// spacing, as pyradiomics' geometryTolerance (1e-3 of a voxel by default in
// SimpleITK's comparisons is too strict for masks re-saved by other tools;
// pyradiomics uses the same order of magnitude).
const DefaultTolerance = 1e-3

// ErrGridMismatch is wrapped by SameGrid's errors.
var ErrGridMismatch = errors.New("grids differ")

// SameGrid reports whether g and h describe the same voxels within tol:
// equal dims; spacing and origin equal within tol times the smaller spacing
// of the axis (origin: within tol times the smallest spacing); directions
// equal within tol. The error prints both grids.
func (g Grid) SameGrid(h Grid, tol float64) error {
	bad := g.Dims != h.Dims
	minSp := math.Inf(1)
	for a := 0; a < 3 && !bad; a++ {
		sp := math.Min(math.Abs(g.Spacing[a]), math.Abs(h.Spacing[a]))
		minSp = math.Min(minSp, sp)
		if math.Abs(g.Spacing[a]-h.Spacing[a]) > tol*sp {
			bad = true
		}
	}
	for a := 0; a < 3 && !bad; a++ {
		if math.Abs(g.Origin[a]-h.Origin[a]) > tol*minSp {
			bad = true
		}
	}
	for a := 0; a < 9 && !bad; a++ {
		if math.Abs(g.Direction[a]-h.Direction[a]) > tol {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%w: %v vs %v", ErrGridMismatch, g, h)
	}
	return nil
}

// Box is an inclusive-exclusive voxel box [Min, Max).
type Box struct{ Min, Max [3]int }

// Empty reports whether the box holds no voxel.
func (b Box) Empty() bool {
	return b.Max[0] <= b.Min[0] || b.Max[1] <= b.Min[1] || b.Max[2] <= b.Min[2]
}

// Size is the box's extent in voxels.
func (b Box) Size() [3]int {
	return [3]int{b.Max[0] - b.Min[0], b.Max[1] - b.Min[1], b.Max[2] - b.Min[2]}
}

// Grow widens the box by margin voxels on every side, clipped to g.
func (b Box) Grow(margin int, g Grid) Box {
	for a := 0; a < 3; a++ {
		b.Min[a] = max(0, b.Min[a]-margin)
		b.Max[a] = min(g.Dims[a], b.Max[a]+margin)
	}
	return b
}

// BoundingBox is the smallest box holding every voxel where keep is true;
// it is Empty when there is none.
func (v *Volume) BoundingBox(keep func(x float64) bool) Box {
	b := Box{Min: v.Dims, Max: [3]int{}}
	i, j, k := 0, 0, 0
	for _, x := range v.Data {
		if keep(x) {
			c := [3]int{i, j, k}
			for a := 0; a < 3; a++ {
				b.Min[a] = min(b.Min[a], c[a])
				b.Max[a] = max(b.Max[a], c[a]+1)
			}
		}
		if i++; i == v.Dims[0] {
			i = 0
			if j++; j == v.Dims[1] {
				j = 0
				k++
			}
		}
	}
	return b
}

// Crop returns the sub-volume in b, with the origin moved so that every
// voxel keeps its physical position. It panics if b is empty or outside v.
func (v *Volume) Crop(b Box) *Volume {
	if b.Empty() || !v.Contains(b.Min[0], b.Min[1], b.Min[2]) || !v.Contains(b.Max[0]-1, b.Max[1]-1, b.Max[2]-1) {
		panic(fmt.Sprintf("volume: crop box %v outside %v", b, v.Dims))
	}
	g := v.Grid
	g.Dims = b.Size()
	g.Origin = v.IndexToPhysical([3]float64{float64(b.Min[0]), float64(b.Min[1]), float64(b.Min[2])})
	out := New(g)
	for k := 0; k < g.Dims[2]; k++ {
		for j := 0; j < g.Dims[1]; j++ {
			src := v.Index(b.Min[0], b.Min[1]+j, b.Min[2]+k)
			copy(out.Data[g.Index(0, j, k):g.Index(0, j, k)+g.Dims[0]], v.Data[src:src+g.Dims[0]])
		}
	}
	return out
}

// Label returns a binary mask (1 where the label map equals label, else 0)
// and the number of voxels set.
func (v *Volume) Label(label int) (*Volume, int) {
	out := New(v.Grid)
	n := 0
	l := float64(label)
	for i, x := range v.Data {
		if x == l {
			out.Data[i] = 1
			n++
		}
	}
	return out, n
}

// Labels lists the distinct non-zero values of a label map in ascending
// order. It is an error for a label to be non-integral.
func (v *Volume) Labels() ([]int, error) {
	seen := map[int]bool{}
	for _, x := range v.Data {
		if x == 0 {
			continue
		}
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("volume: label map holds non-integer value %g", x)
		}
		seen[int(x)] = true
	}
	out := make([]int, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && out[b] < out[b-1]; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out, nil
}

// CheckFinite returns an error naming the first voxel that is NaN or ±Inf.
func (v *Volume) CheckFinite() error {
	for idx, x := range v.Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			i, j, k := v.Coords(idx)
			return fmt.Errorf("voxel (%d,%d,%d) is %g: intensities must be finite", i, j, k, x)
		}
	}
	return nil
}

// CheckSampleRange reports the first voxel that a file's sample type cannot
// hold: for an integer type (integer true) a value that is not a whole
// number in [lo, end); for float32 a finite value beyond its range. Other
// types hold everything. The error names the voxel and the value.
func (v *Volume) CheckSampleRange(integer bool, lo, end float64, float32 bool) error {
	for idx, x := range v.Data {
		var bad bool
		switch {
		case integer:
			bad = x != math.Trunc(x) || x < lo || x >= end
		case float32:
			bad = !math.IsNaN(x) && !math.IsInf(x, 0) && math.Abs(x) > math.MaxFloat32
		}
		if bad {
			i, j, k := v.Coords(idx)
			return fmt.Errorf("voxel (%d,%d,%d) = %g", i, j, k, x)
		}
	}
	return nil
}

// MinMax returns the smallest and largest voxel values.
func (v *Volume) MinMax() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v.Data {
		lo = math.Min(lo, x)
		hi = math.Max(hi, x)
	}
	return lo, hi
}
