package shape

import (
	"math"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// The 2D shape class (pyradiomics shape2D), computed only with force2D on a
// single-slice ROI: from a marching-squares contour of the slice, as
// pyradiomics' radiomics/shape2D.py and calculate_coefficients2D in
// radiomics/src/cshape.c build it. IBSI defines no 2D morphology, so no
// feature here has an IBSI code.

// squareMidpoint is the midpoint of edge e of a square whose corners p0…p3
// sit at (row, column) offsets (0,0), (0,1), (1,1), (1,0); edges join
// e0 p0–p1, e1 p1–p2, e2 p2–p3, e3 p3–p0.
var squareMidpoint = [4][2]float64{{0, 0.5}, {0.5, 1}, {1, 0.5}, {0.5, 0}}

// segments lists, for each square index (bit n set when corner pn is
// inside), the contour segments in it: every two digits name the edges a, b
// of one segment, oriented so that the ROI lies on a fixed side and the
// cross products a×b sum to twice the enclosed area. The ambiguous squares
// 5 and 10 separate their two inside corners. Data from pyradiomics'
// lineTable2D (radiomics/src/cshape.c at commit 8ed5793, BSD-3-Clause).
var segments = [16]string{
	"", "30", "01", "31", "12", "1230", "02", "32",
	"23", "20", "0123", "21", "13", "10", "03", "",
}

type entry2D struct {
	def feature.Def
	fn  func(*coefficients2D) float64
}

// coefficients2D are the quantities the 2D features are computed from.
type coefficients2D struct {
	n         int        // pixels in the ROI, N_p
	pixelArea float64    // area of one pixel, mm²
	surface   float64    // area enclosed by the contour, mm²
	perimeter float64    // contour length, mm
	diameter  float64    // largest contour-vertex distance, mm
	lambda    [2]float64 // covariance eigenvalues λ_minor ≤ λ_major, mm²
}

var registry2D = [...]entry2D{
	{feature.Def{Class: "shape2D", Name: "Elongation", Summary: "sqrt(λ_minor/λ_major) of the pixel-centre covariance"}, elongation2D},
	{feature.Def{Class: "shape2D", Name: "MajorAxisLength", Summary: "4 sqrt(λ_major), mm"}, majorAxisLength2D},
	{feature.Def{Class: "shape2D", Name: "MaximumDiameter", Summary: "largest distance between two contour vertices, mm"}, maximumDiameter2D},
	{feature.Def{Class: "shape2D", Name: "MeshSurface", Summary: "area enclosed by the marching-squares contour, mm²"}, meshSurface2D},
	{feature.Def{Class: "shape2D", Name: "MinorAxisLength", Summary: "4 sqrt(λ_minor), mm"}, minorAxisLength2D},
	{feature.Def{Class: "shape2D", Name: "Perimeter", Summary: "length of the marching-squares contour, mm"}, perimeter2D},
	{feature.Def{Class: "shape2D", Name: "PerimeterSurfaceRatio", Summary: "P/A, 1/mm"}, perimeterSurfaceRatio2D},
	{feature.Def{Class: "shape2D", Name: "PixelSurface", Summary: "pixel count × pixel area, mm²"}, pixelSurface2D},
	{feature.Def{Class: "shape2D", Name: "Sphericity", Summary: "2 sqrt(πA)/P"}, sphericity2D},
}

// Registry2D returns the 9 shape2D features pyradiomics enables by default,
// in the order Compute2D returns them (pyradiomics' alphabetical order).
func Registry2D() []feature.Def {
	defs := make([]feature.Def, len(registry2D))
	for i, e := range registry2D {
		defs[i] = e.def
	}
	return defs
}

// Compute2D returns the shape2D features of a single-slice ROI, in
// Registry2D order. mask is the slice, u fastest, where u and v are the two
// in-plane axes in (i, j, k) order (for force2Ddimension 0, the usual
// case, u = i and v = j), and spacing is the pixel size in mm along u and
// v. Crop the slice to the ROI's bounding box, as pyradiomics does. It
// returns ErrEmptyROI or ErrSingleVoxel for fewer than two pixels, and an
// error for non-positive sizes or spacings; it panics if len(mask) is not
// dims[0]·dims[1].
func Compute2D(mask []bool, dims [2]int, spacing [2]float64) ([]feature.Value, error) {
	// A 2D mask is a 3D grid one voxel thick: the padding, the moments and
	// the plane hull come from the 3D code, and that grid's plane of
	// constant z = 1 holds the slice.
	g, err := newGrid(mask, [3]int{dims[0], dims[1], 1}, [3]float64{spacing[0], spacing[1], 1})
	if err != nil {
		return nil, err // sizes and spacings are named as [u v 1]
	}
	c := &coefficients2D{n: g.count}
	sy, sx := g.spacing[1], g.spacing[2]
	c.pixelArea = sx * sy // pyradiomics' order of the product
	var verts [][3]int32
	c.surface, c.perimeter, verts = g.contour()
	// One plane (half-voxel z = 0) holds every vertex; its hull and
	// calipers give the diameter.
	var ln lines
	ln.fromVertices(g.n, verts)
	ln.prepare(g.spacing)
	c.diameter = math.Sqrt(ln.planeHulls(0))
	l := g.principalMoments() // λ for the constant z axis is 0
	c.lambda = [2]float64{l[1], l[2]}
	out := make([]feature.Value, len(registry2D))
	for i, e := range registry2D {
		out[i] = feature.Value{Def: e.def, Value: e.fn(c)}
	}
	return out, nil
}

// contour runs marching squares over the slice z = 1 of the padded grid
// (rows y, columns x, pyradiomics' (iy, ix)). It returns the enclosed area
// and the length of the contour, summed segment by segment in pyradiomics'
// order,
//
//	A = ½ Σ (a_y b_x − b_y a_x),   P = Σ |a − b|,
//
// a, b in mm from the padded slice's first pixel, and the contour vertices
// in half pixels as (0, 2y, 2x), each once (the vertices on the edges at
// corner p3 of every square, as pyradiomics collects them).
func (g *grid) contour() (surface, perimeter float64, verts [][3]int32) {
	sy, sx := g.spacing[1], g.spacing[2]
	for y := 0; y < g.n[1]-1; y++ {
		r0 := g.in[g.index(1, y, 0):g.index(1, y+1, 0)]
		r1 := g.in[g.index(1, y+1, 0):g.index(1, y+2, 0)]
		for x := 0; x < g.n[2]-1; x++ {
			sq := r0[x] | r0[x+1]<<1 | r1[x+1]<<2 | r1[x]<<3
			if sq == 0 || sq == 0xf {
				continue
			}
			segs := segments[sq]
			for t := 0; t+1 < len(segs); t += 2 {
				ea, eb := &squareMidpoint[segs[t]-'0'], &squareMidpoint[segs[t+1]-'0']
				a := [2]float64{(float64(y) + ea[0]) * sy, (float64(x) + ea[1]) * sx}
				b := [2]float64{(float64(y) + eb[0]) * sy, (float64(x) + eb[1]) * sx}
				surface += a[0]*b[1] - b[0]*a[1]
				dy, dx := a[0]-b[0], a[1]-b[1]
				perimeter += math.Sqrt(dy*dy + dx*dx)
			}
			// With the index complemented so that p3 is outside, an edge
			// at p3 holds a vertex when its other corner is inside.
			if sq > 7 {
				sq ^= 0xf
			}
			if sq&1 != 0 { // e3: p3–p0
				verts = append(verts, [3]int32{0, int32(2*y + 1), int32(2 * x)})
			}
			if sq&4 != 0 { // e2: p2–p3
				verts = append(verts, [3]int32{0, int32(2*y + 2), int32(2*x + 1)})
			}
		}
	}
	return surface / 2, perimeter, verts
}

// meshSurface2D is MeshSurface: the area enclosed by the contour, the sum
// over its segments of the signed areas of the triangles each forms with
// the origin O,
//
//	A = ½ Σ_i Oa_i × Ob_i.
//
// Reference: pyradiomics shape2D.getMeshSurfaceFeatureValue.
func meshSurface2D(c *coefficients2D) float64 { return c.surface }

// pixelSurface2D is PixelSurface: N_p · Δx Δy, the pixel-count area.
// Reference: pyradiomics shape2D.getPixelSurfaceFeatureValue.
func pixelSurface2D(c *coefficients2D) float64 { return float64(c.n) * c.pixelArea }

// perimeter2D is Perimeter: the length of the contour, P = Σ_i |a_i b_i|.
// Reference: pyradiomics shape2D.getPerimeterFeatureValue.
func perimeter2D(c *coefficients2D) float64 { return c.perimeter }

// perimeterSurfaceRatio2D is PerimeterSurfaceRatio, P/A in mm⁻¹.
// Reference: pyradiomics shape2D.getPerimeterSurfaceRatioFeatureValue.
func perimeterSurfaceRatio2D(c *coefficients2D) float64 { return c.perimeter / c.surface }

// sphericity2D is Sphericity: the perimeter of the circle with the ROI's
// area over the ROI's perimeter,
//
//	sphericity = 2 √(π A) / P,   0 < sphericity ≤ 1.
//
// Reference: pyradiomics shape2D.getSphericityFeatureValue.
func sphericity2D(c *coefficients2D) float64 {
	return 2 * math.Sqrt(math.Pi*c.surface) / c.perimeter
}

// maximumDiameter2D is MaximumDiameter: the largest distance between two
// contour vertices, found on their convex hull by rotating calipers.
// Reference: pyradiomics shape2D.getMaximumDiameterFeatureValue.
func maximumDiameter2D(c *coefficients2D) float64 { return c.diameter }

// majorAxisLength2D is MajorAxisLength: 4 √λ_major, λ_major the larger
// eigenvalue of the pixel-centre covariance (divided by N_p, as in 3D).
// Reference: pyradiomics shape2D.getMajorAxisLengthFeatureValue.
func majorAxisLength2D(c *coefficients2D) float64 { return 4 * math.Sqrt(c.lambda[1]) }

// minorAxisLength2D is MinorAxisLength: 4 √λ_minor; 0 when the pixel
// centres are collinear. Reference: pyradiomics
// shape2D.getMinorAxisLengthFeatureValue.
func minorAxisLength2D(c *coefficients2D) float64 { return 4 * math.Sqrt(c.lambda[0]) }

// elongation2D is Elongation, √(λ_minor/λ_major) in [0, 1]. Reference:
// pyradiomics shape2D.getElongationFeatureValue.
func elongation2D(c *coefficients2D) float64 { return math.Sqrt(c.lambda[0] / c.lambda[1]) }
