package shape

import (
	"errors"
	"math"
	"math/bits"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// Errors for ROIs on which shape features are not defined. pyradiomics
// refuses both too (imageoperations.checkMask: "Cannot extract features for
// a single voxel").
var (
	ErrEmptyROI    = errors.New("shape: the ROI has no voxels")
	ErrSingleVoxel = errors.New("shape: the ROI has one voxel; shape features need at least two")
)

// coefficients are the quantities every feature is computed from.
type coefficients struct {
	n        int        // voxels in the ROI, N_v
	voxelVol float64    // volume of one voxel, mm³
	area     float64    // mesh surface area A, mm²
	volume   float64    // mesh volume V, mm³
	diam     diameters  // squared diameters, mm²
	lambda   [3]float64 // covariance eigenvalues λ_least ≤ λ_minor ≤ λ_major, mm²
}

type entry struct {
	def feature.Def
	fn  func(*coefficients) float64
}

// registry lists the features in the order pyradiomics writes them (by
// name, as its feature classes enumerate getters alphabetically).
var registry = [...]entry{
	{feature.Def{Class: "shape", Name: "Elongation", IBSI: "Q3CK", Summary: "sqrt(λ_minor/λ_major) of the voxel-centre covariance"}, elongation},
	{feature.Def{Class: "shape", Name: "Flatness", IBSI: "N17B", Summary: "sqrt(λ_least/λ_major) of the voxel-centre covariance"}, flatness},
	{feature.Def{Class: "shape", Name: "LeastAxisLength", IBSI: "7J51", Summary: "4 sqrt(λ_least), mm"}, leastAxisLength},
	{feature.Def{Class: "shape", Name: "MajorAxisLength", IBSI: "TDIC", Summary: "4 sqrt(λ_major), mm"}, majorAxisLength},
	{feature.Def{Class: "shape", Name: "Maximum2DDiameterColumn", Summary: "largest mesh-vertex distance within one plane of constant j (row-slice plane), mm"}, maximum2DDiameterColumn},
	{feature.Def{Class: "shape", Name: "Maximum2DDiameterRow", Summary: "largest mesh-vertex distance within one plane of constant i (column-slice plane), mm"}, maximum2DDiameterRow},
	{feature.Def{Class: "shape", Name: "Maximum2DDiameterSlice", Summary: "largest mesh-vertex distance within one plane of constant k (the image slice), mm"}, maximum2DDiameterSlice},
	{feature.Def{Class: "shape", Name: "Maximum3DDiameter", IBSI: "L0JK", Summary: "largest distance between two mesh vertices, mm"}, maximum3DDiameter},
	{feature.Def{Class: "shape", Name: "MeshVolume", IBSI: "RNU0", Summary: "volume enclosed by the marching-cubes mesh, mm³"}, meshVolume},
	{feature.Def{Class: "shape", Name: "MinorAxisLength", IBSI: "P9VJ", Summary: "4 sqrt(λ_minor), mm"}, minorAxisLength},
	{feature.Def{Class: "shape", Name: "Sphericity", IBSI: "QCFX", Summary: "(36πV²)^(1/3)/A"}, sphericity},
	{feature.Def{Class: "shape", Name: "SurfaceArea", IBSI: "C0JK", Summary: "area of the marching-cubes mesh, mm²"}, surfaceArea},
	{feature.Def{Class: "shape", Name: "SurfaceVolumeRatio", IBSI: "2PR5", Summary: "A/V, 1/mm"}, surfaceVolumeRatio},
	{feature.Def{Class: "shape", Name: "VoxelVolume", IBSI: "YEKZ", Summary: "voxel count × voxel volume, mm³"}, voxelVolume},
}

// Registry returns the 14 shape features pyradiomics enables by default, in
// the order Compute returns them.
func Registry() []feature.Def {
	defs := make([]feature.Def, len(registry))
	for i, e := range registry {
		defs[i] = e.def
	}
	return defs
}

// Compute returns the 14 shape features of the ROI, in Registry order.
//
// mask is x fastest on a grid of size dims and spacing is the voxel size in
// mm along i, j, k. Crop the mask to the ROI's bounding box, as pyradiomics'
// featureextractor does before building the mesh: where the mesh is open
// (package doc, deviation 2) a margin changes MeshVolume slightly. It returns
// ErrEmptyROI or ErrSingleVoxel for ROIs with fewer than two voxels, and an
// error for non-positive sizes or spacings. It panics if len(mask) is not
// dims[0]·dims[1]·dims[2].
func Compute(mask []bool, dims [3]int, spacing [3]float64) ([]feature.Value, error) {
	g, err := newBitGrid(mask, dims, spacing)
	if err != nil {
		return nil, err
	}
	defer scratchPool.Put(g)
	c := &coefficients{n: g.count}
	sz, sy, sx := g.spacing[0], g.spacing[1], g.spacing[2]
	c.voxelVol = sz * sx * sy // pyradiomics' order of the product
	c.area, c.volume = g.sweep()
	g.yHighest()
	c.diam = g.lines.diameters(g.spacing, g.n).sqrt()
	c.lambda = g.principal(g.spacing)
	out := make([]feature.Value, len(registry))
	for i, e := range registry {
		out[i] = feature.Value{Def: e.def, Value: e.fn(c)}
	}
	return out, nil
}

// principalMoments returns the eigenvalues, ascending, of the covariance
// matrix of the physical voxel-centre coordinates of the ROI,
//
//	C_ab = (1/N_v) Σ_k (a_k − ā)(b_k − b̄) Δa Δb = (N_v Σab − Σa Σb) Δa Δb / N_v²,
//
// normalised by N_v as pyradiomics does (IBSI's consensus values use
// N_v − 1). The numerator is exact (128-bit integer arithmetic on the
// voxel indices), so a coordinate shared by every voxel (a flat ROI) gives
// exact zeros. Eigenvalues that rounding leaves slightly negative are set
// to 0 (pyradiomics does so above −1e-10; a covariance matrix has no
// negative eigenvalues).
func (g *grid) principalMoments() [3]float64 { return g.principal(g.spacing) }

// principal is principalMoments for voxels of the given spacing (mm along
// z, y, x).
func (m *moments) principal(spacing [3]float64) [3]float64 {
	nv := uint64(m.count)
	cov := mat.NewSymDense(3, nil)
	for a := range 3 {
		for b := a; b < 3; b++ {
			num := diff128(nv, m.sum2[a][b], m.sum[a], m.sum[b])
			cov.SetSym(a, b, num/(float64(nv)*float64(nv))*spacing[a]*spacing[b])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, false) {
		// The symmetric QR iteration on a 3×3 matrix of finite values
		// converges; failure would be a bug.
		panic("shape: eigen-decomposition of the 3×3 covariance failed")
	}
	vals := eig.Values(nil)
	slices.Sort(vals)
	var lambda [3]float64
	for i, v := range vals {
		lambda[i] = max(v, 0)
	}
	return lambda
}

// diff128 returns p·q − r·s, exact in 128 bits, rounded to float64.
func diff128(p, q, r, s uint64) float64 {
	hi1, lo1 := bits.Mul64(p, q)
	hi2, lo2 := bits.Mul64(r, s)
	sign := 1.0
	if hi1 < hi2 || (hi1 == hi2 && lo1 < lo2) {
		hi1, lo1, hi2, lo2 = hi2, lo2, hi1, lo1
		sign = -1
	}
	lo, borrow := bits.Sub64(lo1, lo2, 0)
	hi, _ := bits.Sub64(hi1, hi2, borrow)
	return sign * (float64(hi)*(1<<64) + float64(lo))
}

// meshVolume is MeshVolume (IBSI RNU0, "volume"): the volume enclosed by the
// triangle mesh, the sum over its N_f faces of the signed volumes of the
// tetrahedra each face a_i b_i c_i forms with the origin O,
//
//	V = Σ_{i=1}^{N_f} Oa_i · (Ob_i × Oc_i) / 6.
//
// Faces are oriented with outward normals, so the sum counts the ROI once.
// Special cases: a single voxel is refused (ErrSingleVoxel); a flat
// one-slice ROI still encloses volume, as the mesh vertices lie half a voxel
// above and below it. Reference: IBSI reference manual (Zwanenburg et al.,
// arXiv:1612.07003), morphological features; pyradiomics
// shape.getMeshVolumeFeatureValue.
func meshVolume(c *coefficients) float64 { return c.volume }

// voxelVolume is VoxelVolume (IBSI YEKZ, "approximate volume"): the number
// of voxels times the volume of one voxel,
//
//	V_voxel = N_v · Δz Δy Δx.
//
// Reference: IBSI morphological features; pyradiomics shape.getVoxelVolumeFeatureValue.
func voxelVolume(c *coefficients) float64 { return float64(c.n) * c.voxelVol }

// surfaceArea is SurfaceArea (IBSI C0JK, "surface area"): the summed area of
// the mesh's triangles,
//
//	A = Σ_{i=1}^{N_f} ½ |a_i b_i × a_i c_i|.
//
// The triangulation is pyradiomics' marching-cubes table (tables.go), so the
// area is pyradiomics' to rounding. Reference: IBSI morphological features; pyradiomics
// shape.getSurfaceAreaFeatureValue.
func surfaceArea(c *coefficients) float64 { return c.area }

// surfaceVolumeRatio is SurfaceVolumeRatio (IBSI 2PR5, "surface to volume
// ratio"), A/V in mm⁻¹; not dimensionless, so it falls as the ROI grows.
// Reference: IBSI morphological features; pyradiomics shape.getSurfaceVolumeRatioFeatureValue.
func surfaceVolumeRatio(c *coefficients) float64 { return c.area / c.volume }

// sphericity is Sphericity (IBSI QCFX): the area of the sphere with the
// ROI's volume over the ROI's area,
//
//	sphericity = (36 π V²)^(1/3) / A,   0 < sphericity ≤ 1.
//
// Reference: IBSI morphological features; pyradiomics shape.getSphericityFeatureValue.
func sphericity(c *coefficients) float64 {
	return math.Pow(36*math.Pi*c.volume*c.volume, 1.0/3.0) / c.area
}

// maximum3DDiameter is Maximum3DDiameter (IBSI L0JK, "maximum 3D diameter",
// the Feret diameter): the largest Euclidean distance between two mesh
// vertices. It is found among the vertices of their convex hull
// (diameter.go). Reference: IBSI morphological features; pyradiomics
// shape.getMaximum3DDiameterFeatureValue.
func maximum3DDiameter(c *coefficients) float64 { return c.diam.max3D }

// maximum2DDiameterSlice is Maximum2DDiameterSlice (no IBSI feature): the
// largest distance between two mesh vertices lying in the same plane of
// constant k (pyradiomics' z, the first array axis): the image's own slice
// plane, axial for an axial acquisition and sagittal for the paper's
// sagittal T2 stacks. Reference: pyradiomics
// shape.getMaximum2DDiameterSliceFeatureValue.
func maximum2DDiameterSlice(c *coefficients) float64 { return c.diam.slice }

// maximum2DDiameterColumn is Maximum2DDiameterColumn (no IBSI feature): the
// largest distance between two mesh vertices in the same plane of constant j
// (pyradiomics' y; coronal for an axial acquisition). Reference: pyradiomics
// shape.getMaximum2DDiameterColumnFeatureValue.
func maximum2DDiameterColumn(c *coefficients) float64 { return c.diam.column }

// maximum2DDiameterRow is Maximum2DDiameterRow (no IBSI feature): the
// largest distance between two mesh vertices in the same plane of constant i
// (pyradiomics' x; sagittal for an axial acquisition). Reference:
// pyradiomics shape.getMaximum2DDiameterRowFeatureValue.
func maximum2DDiameterRow(c *coefficients) float64 { return c.diam.row }

// majorAxisLength is MajorAxisLength (IBSI TDIC): 4 √λ_major, with λ_major
// the largest eigenvalue of the voxel-centre covariance (principalMoments).
// The covariance is divided by N_v, as in pyradiomics; the IBSI consensus
// values of the digital phantom match a division by N_v − 1 instead, so the
// three axis lengths here are IBSI's times √((N_v−1)/N_v) (0.993 for its 74
// voxels; Elongation and Flatness agree). Reference: IBSI morphological
// features; pyradiomics shape.getMajorAxisLengthFeatureValue.
func majorAxisLength(c *coefficients) float64 { return 4 * math.Sqrt(c.lambda[2]) }

// minorAxisLength is MinorAxisLength (IBSI P9VJ): 4 √λ_minor, λ_minor the
// second-largest eigenvalue; 0 for an ROI whose voxel centres are collinear.
// Same N_v normalisation as majorAxisLength. Reference: IBSI morphological features;
// pyradiomics shape.getMinorAxisLengthFeatureValue.
func minorAxisLength(c *coefficients) float64 { return 4 * math.Sqrt(c.lambda[1]) }

// leastAxisLength is LeastAxisLength (IBSI 7J51): 4 √λ_least, λ_least the
// smallest eigenvalue; 0 for a flat ROI (voxel centres in one plane). Same
// N_v normalisation as majorAxisLength. Reference: IBSI morphological features;
// pyradiomics shape.getLeastAxisLengthFeatureValue.
func leastAxisLength(c *coefficients) float64 { return 4 * math.Sqrt(c.lambda[0]) }

// elongation is Elongation (IBSI Q3CK), √(λ_minor/λ_major) in [0, 1]: 1 for
// a cross-section through the two largest axes that is circle-like, 0 for
// collinear voxel centres. λ_major > 0 for any ROI of two or more voxels.
// Reference: IBSI morphological features; pyradiomics shape.getElongationFeatureValue.
func elongation(c *coefficients) float64 { return math.Sqrt(c.lambda[1] / c.lambda[2]) }

// flatness is Flatness (IBSI N17B), √(λ_least/λ_major) in [0, 1]: 1 for a
// sphere-like ROI, 0 for a flat (single-slice) one. Reference: IBSI
// morphological features; pyradiomics shape.getFlatnessFeatureValue.
func flatness(c *coefficients) float64 { return math.Sqrt(c.lambda[0] / c.lambda[2]) }
