package texture

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/scirad/scirad/pipeline/internal/bufcache"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// eps is numpy.spacing(1), the ε pyradiomics adds inside logarithms and
// denominators.
const eps = 2.220446049250313e-16

// Image is a discretised region of interest cropped to its bounding box.
// Levels holds one grey level per voxel, x fastest, then y, then z:
// 1..Ng inside the ROI, 0 outside. Ng, the largest level present, is the
// pyradiomics Ng; levels between 1 and Ng that no voxel has are allowed and
// are removed from every matrix (pyradiomics does the same), while the
// formulas keep the level values themselves (i = 1, 3, 4, 6 stay 1, 3, 4, 6).
//
// The bounding box matters: like pyradiomics, the directions are generated
// from its size, so a dimension of size 1 contributes no offsets.
type Image struct {
	Dims   [3]int // voxels along x, y, z
	Levels []int32
}

// Options are the texture settings of pyradiomics that apply to these
// families. The zero value is pyradiomics' default: distance 1, symmetric
// GLCM, 3D, gldm_a 0, features per direction averaged.
type Options struct {
	// Distances are the Chebyshev (infinity-norm) neighbour distances used
	// by GLCM, NGTDM and GLDM (pyradiomics "distances"); nil means [1].
	// GLRLM and GLSZM always use distance 1, as in pyradiomics.
	Distances []int

	// Asymmetric turns off pyradiomics' default symmetricalGLCM: true.
	Asymmetric bool

	// Force2D restricts every neighbourhood to the plane orthogonal to
	// Force2DDimension (pyradiomics force2D): 4 GLCM/GLRLM directions,
	// 8-connected zones, in-plane NGTDM and GLDM neighbourhoods.
	Force2D bool

	// Force2DDimension is the out-of-plane axis in pyradiomics' (z, y, x)
	// array terms: 0 = z (axial slices, the default), 1 = y, 2 = x.
	Force2DDimension int

	// GLDMAlpha is pyradiomics' gldm_a: a neighbour is dependent when its
	// level differs from the centre's by at most GLDMAlpha. Levels are
	// integers, so a fractional alpha acts as its floor (pyradiomics accepts
	// integers only); a negative one is an error.
	GLDMAlpha float64

	// Weighting is pyradiomics' weightingNorm for GLCM and GLRLM: "" keeps
	// one matrix per direction and averages the features over directions;
	// "no_weighting" sums the direction matrices (IBSI "merged"); "manhattan",
	// "euclidean" and "infinity" sum them with distance weights, which need
	// Spacing. Any other value is an error (pyradiomics warns and uses
	// "no_weighting").
	Weighting string

	// Spacing is the voxel size in mm along x, y, z; used only by the
	// distance-weighting norms.
	Spacing [3]float64

	// Workers is the number of goroutines that build the matrices of this
	// one image (0 or 1: the calling goroutine only; negative: GOMAXPROCS).
	// The values do not depend on it, to the bit.
	Workers int
}

func (o *Options) workers() int {
	if o.Workers < 0 {
		return defaultWorkers()
	}
	return max(1, o.Workers)
}

// Registry lists the default-enabled texture features of pyradiomics, in
// the order pyradiomics reports them: by class (glcm, glrlm, glszm, ngtdm,
// gldm), then by feature name as Python sorts the get<Name>FeatureValue
// methods (byte order).
func Registry() []feature.Def {
	var defs []feature.Def
	for _, t := range [][]feature.Def{glcmDefs(), glrlmDefs(), glszmDefs(), ngtdmDefs(), gldmDefs()} {
		defs = append(defs, t...)
	}
	return defs
}

// Matrix is a texture matrix as pyradiomics holds it after its
// _initCalculation: rows are the grey levels present in the ROI, columns
// the family's second index, and one slice per direction.
type Matrix struct {
	// Levels are the grey levels of the rows (ascending).
	Levels []float64
	// Cols are the values of the columns: the grey levels again for GLCM,
	// run lengths for GLRLM, zone sizes for GLSZM, dependence counts
	// (dependent neighbours + 1) for GLDM; for NGTDM the three columns are
	// n_i, s_i and i and Cols is nil. Columns that are zero in every
	// direction are removed for GLRLM, GLSZM and GLDM, as pyradiomics does.
	Cols []float64
	// Angles are the direction offsets (dx, dy, dz) of the slices of P;
	// empty directions are removed; nil when the matrix is not per direction
	// (GLSZM, NGTDM, GLDM) or the directions were merged by Options.Weighting.
	Angles [][3]int
	// P holds one row-major len(Levels)×NCols matrix per direction.
	P [][]float64
	// NCols is the number of columns of each P slice.
	NCols int
}

// At returns element (i, j) of direction a.
func (m *Matrix) At(a, i, j int) float64 { return m.P[a][i*m.NCols+j] }

// ErrEmptyROI is returned when the image has no voxel with a level above 0.
var ErrEmptyROI = errors.New("texture: the ROI has no voxels")

// ErrNoDirections is returned when no neighbour direction fits in the
// bounding box: a single voxel, or with Force2D a single voxel in the plane
// (pyradiomics raises "Error getting angle count" in the same cases).
var ErrNoDirections = errors.New("texture: no neighbour direction fits in the ROI's bounding box (one voxel, or one in-plane voxel with Force2D)")

// maxMatrixElements bounds the size of one family's matrices (1 GiB of
// float64), which grows with the square of the number of grey levels.
const maxMatrixElements = 1 << 27

// grid is the ROI padded on every side by pad voxels of "outside", so that
// neighbour look-ups need no bounds checks. lvl holds the index of the
// voxel's level in levels, or -1 outside the ROI.
type grid struct {
	dims   [3]int // unpadded
	n      [3]int // padded
	pad    int
	lvl    []int32
	vox    []int32    // padded linear index of every ROI voxel, x fastest
	runs   [][2]int32 // the ROI voxels as runs along x: [start, end)
	levels []float64  // level value of each index, ascending
	count  []int32    // ROI voxels of each level index
	ng     int        // largest level (pyradiomics Ng)
}

func (g *grid) offset(a [3]int) int { return a[0] + g.n[0]*(a[1]+g.n[1]*a[2]) }

func (g *grid) coords(p int) (x, y, z int) {
	x = p % g.n[0]
	p /= g.n[0]
	return x - g.pad, p%g.n[1] - g.pad, p/g.n[1] - g.pad
}

func (g *grid) inside(x, y, z int) bool {
	return x >= 0 && y >= 0 && z >= 0 && x < g.dims[0] && y < g.dims[1] && z < g.dims[2]
}

func newGrid(im *Image, pad, workers int) (*grid, error) {
	if im == nil {
		return nil, errors.New("texture: nil image")
	}
	nvox := 1
	for d, n := range im.Dims {
		if n < 1 {
			return nil, fmt.Errorf("texture: image dimension %d is %d", d, n)
		}
		nvox *= n
	}
	if len(im.Levels) != nvox {
		return nil, fmt.Errorf("texture: %d levels for dims %v (%d voxels)", len(im.Levels), im.Dims, nvox)
	}
	// One pass over the box counts the voxels of each level; a second
	// writes each voxel's row index (-1 outside) into the padded grid, the
	// padding included, and lists the ROI voxels and their runs along x.
	// With workers > 1 and a large box, each pass is split into slabs of
	// slices, one per worker.
	nx, ny, nz := im.Dims[0], im.Dims[1], im.Dims[2]
	parts := 1
	if workers > 1 && nvox >= 1<<16 {
		parts = min(workers, nz)
	}
	hists := make([][]int32, parts)
	errs := make([]error, parts)
	parallel(parts, func(p int) {
		hist := make([]int32, 64)
		slab := im.Levels[p*nz/parts*nx*ny : (p+1)*nz/parts*nx*ny]
		// The voxels outside the ROI (level 0) are counted as the rest:
		// counting them one by one would chain every increment on the
		// one counter.
		in := int32(0)
		for _, v := range slab {
			if v == 0 {
				continue
			}
			if uint32(v) >= uint32(len(hist)) {
				if v < 0 {
					errs[p] = fmt.Errorf("texture: negative grey level %d", v)
					return
				}
				hist = append(hist, make([]int32, int(v)+1-len(hist))...)
			}
			hist[v]++
			in++
		}
		hist[0] = int32(len(slab)) - in
		hists[p] = hist
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	hist := slices.Clone(hists[0])
	first := make([]int, parts+1) // the slab's first voxel in g.vox
	for p, h := range hists {
		if len(h) > len(hist) {
			hist = append(hist, make([]int32, len(h)-len(hist))...)
		}
		if p > 0 {
			for l, c := range h {
				hist[l] += c
			}
		}
		first[p+1] = first[p] + ((p+1)*nz/parts-p*nz/parts)*nx*ny - int(h[0])
	}
	n := nvox - int(hist[0])
	if n == 0 {
		return nil, ErrEmptyROI
	}
	g := &grid{dims: im.Dims, pad: pad}
	index := make([]int32, len(hist)) // level -> row index; -1 when absent
	for l, c := range hist {
		index[l] = -1
		if l > 0 && c > 0 {
			index[l] = int32(len(g.levels))
			g.levels = append(g.levels, float64(l))
			g.count = append(g.count, c)
			g.ng = l
		}
	}
	for d := range 3 {
		g.n[d] = im.Dims[d] + 2*pad
	}
	plane := g.n[0] * g.n[1]
	g.lvl = int32Bufs.Get(plane * g.n[2])
	g.vox = int32Bufs.Get(n)
	fill(g.lvl[:pad*plane], -1)
	fill(g.lvl[(pad+nz)*plane:], -1)
	runs := make([][][2]int32, parts)
	parallel(parts, func(p int) {
		vox := g.vox[first[p]:first[p]:first[p+1]]
		runs[p] = g.fillSlab(im, index, p*nz/parts, (p+1)*nz/parts, vox)
	})
	if parts == 1 {
		g.runs = runs[0]
	} else {
		g.runs = slices.Concat(runs...)
	}
	return g, nil
}

// fillSlab writes slices z0 … z1-1 of the padded grid (their padding
// included) from im, each voxel's level index (index[level]; -1 outside),
// appends their ROI voxels to vox (which has room for them) and returns
// their runs along x.
func (g *grid) fillSlab(im *Image, index []int32, z0, z1 int, vox []int32) [][2]int32 {
	nx, ny := im.Dims[0], im.Dims[1]
	n0, pad := g.n[0], g.pad
	plane := n0 * g.n[1]
	rs := make([][2]int32, 0, (z1-z0)*ny) // about a run a row
	// With every level from 1 to Ng in the ROI the index of level v is
	// v − 1 (and 0, outside, gives −1).
	dense := len(g.levels) == g.ng
	rv := make([]int32, nx+1)
	for z := z0; z < z1; z++ {
		base := (z + pad) * plane
		fill(g.lvl[base:base+pad*n0], -1)
		fill(g.lvl[base+(pad+ny)*n0:base+plane], -1)
		for y := range ny {
			row := base + n0*(y+pad)
			fill(g.lvl[row:row+pad], -1)
			fill(g.lvl[row+pad+nx:row+n0], -1)
			src := im.Levels[(z*ny+y)*nx : (z*ny+y+1)*nx]
			dst := g.lvl[row+pad : row+pad+nx]
			if dense {
				for x, v := range src {
					dst[x] = v - 1
				}
			} else {
				for x, v := range src {
					dst[x] = index[v]
				}
			}
			// The row's ROI voxels (listed in rv without a branch), then
			// their runs: where a voxel does not follow the one before.
			p0 := int32(row + pad)
			k := 0
			for x, v := range src {
				rv[k] = p0 + int32(x)
				k += b2i(v != 0)
			}
			if k == 0 {
				continue
			}
			vox = append(vox, rv[:k]...)
			rv := rv[:k]
			start := rv[0]
			for k := 1; k < len(rv); k++ {
				if rv[k] != rv[k-1]+1 {
					rs = append(rs, [2]int32{start, rv[k-1] + 1})
					start = rv[k]
				}
			}
			rs = append(rs, [2]int32{start, rv[len(rv)-1] + 1})
		}
	}
	return rs
}

// fill sets every element of s to v.
func fill(s []int32, v int32) {
	for k := range s {
		s[k] = v
	}
}

// release hands the grid's arrays back for reuse (int32Bufs); g must not
// be used after.
func (g *grid) release() {
	int32Bufs.Put(g.lvl)
	int32Bufs.Put(g.vox)
	g.lvl, g.vox = nil, nil
}

// int32Bufs, uint8Bufs and uint32Bufs keep the grid's, the GLSZM's union-find, the
// GLDM's dependence counts' and the fused pass's arrays between calls
// (package bufcache).
var (
	int32Bufs  bufcache.Cache[int32]
	uint8Bufs  bufcache.Cache[uint8]
	uint32Bufs bufcache.Cache[uint32] // the fused pass's counts, the NGTDM's box sums
	uint64Bufs bufcache.Cache[uint64] // the NGTDM's box sums of large levels
)

// prepared is an image checked against the options and padded once for
// every family.
type prepared struct {
	g     *grid
	ds    []int   // distances, ascending
	f2d   int     // out-of-plane axis in pyradiomics' terms, -1 for 3D
	alpha float64 // Options.GLDMAlpha

	// The fused pass (scanned): the families it counts for (0: only the
	// one that asks first), its workers, and its result once run.
	fams    famSet
	workers int
	cnt     *counts
	cntErr  error
}

func prepare(im *Image, o *Options) (*prepared, error) {
	ds, err := o.distances()
	if err != nil {
		return nil, err
	}
	f2d, err := o.force2DAxis()
	if err != nil {
		return nil, err
	}
	if o.GLDMAlpha < 0 || math.IsNaN(o.GLDMAlpha) {
		return nil, fmt.Errorf("texture: GLDMAlpha %v < 0", o.GLDMAlpha)
	}
	g, err := newGrid(im, ds[len(ds)-1], o.workers())
	if err != nil {
		return nil, err
	}
	return &prepared{g: g, ds: ds, f2d: f2d, alpha: o.GLDMAlpha, workers: o.workers()}, nil
}

// offsets returns the neighbour directions at the given distances (both
// signs when bidirectional) and their linear offsets in the padded grid.
func (pr *prepared) offsets(ds []int, bidirectional bool) ([][3]int, []int, error) {
	as := angles(pr.g.dims, ds, pr.f2d, bidirectional)
	if len(as) == 0 {
		return nil, nil, ErrNoDirections
	}
	offs := make([]int, len(as))
	for k, a := range as {
		offs[k] = pr.g.offset(a)
	}
	return as, offs, nil
}

// All computes the five families on one image — GLCM, GLRLM, GLSZM,
// NGTDM, GLDM, 75 values in Registry order — sharing the preparation work.
func All(im *Image, o Options) ([]feature.Value, error) {
	fs, err := Families(im, o, []string{"glcm", "glrlm", "glszm", "ngtdm", "gldm"})
	if err != nil {
		return nil, err
	}
	out := make([]feature.Value, 0, 75)
	for _, f := range fs {
		out = append(out, f...)
	}
	return out, nil
}

// Families computes the named families ("glcm", "glrlm", "glszm", "ngtdm",
// "gldm"; any subset, any order) on one image, each in Registry order,
// with one preparation and, at distance 1, one fused pass over the ROI for
// all of them. With Options.Workers > 1 the pass is split over the workers
// and the GLSZM's zones are found meanwhile; the values are the same to
// the bit.
func Families(im *Image, o Options, classes []string) ([][]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	fns := map[string]struct {
		fam famSet
		fn  func(*prepared, *Options) ([]feature.Value, error)
	}{
		"glcm": {famGLCM, glcmValues}, "glrlm": {famGLRLM, glrlmValues}, "glszm": {famGLSZM, glszmValues},
		"ngtdm": {famNGTDM, ngtdmValues}, "gldm": {famGLDM, gldmValues},
	}
	for _, c := range classes {
		f, ok := fns[c]
		if !ok {
			return nil, fmt.Errorf("texture: unknown family %q", c)
		}
		pr.fams |= f.fam
	}
	out := make([][]feature.Value, len(classes))
	errs := make([]error, len(classes))
	var wg sync.WaitGroup
	for k, c := range classes {
		// The fused pass finds the GLSZM on its workers; otherwise it is
		// found beside the other families.
		if c == "glszm" && pr.workers > 1 && !pr.fusable() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[k], errs[k] = glszmValues(pr, &o)
			}()
		}
	}
	if pr.workers <= 1 {
		for k, c := range classes {
			out[k], errs[k] = fns[c].fn(pr, &o)
		}
	} else {
		// The fused pass first (on the workers), then the GLCM's features
		// (per direction, on the workers) beside the other families'.
		if _, err := pr.scanned(pr.fams); err != nil {
			wg.Wait()
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k, c := range classes {
				if c != "glcm" && (c != "glszm" || pr.fusable()) {
					out[k], errs[k] = fns[c].fn(pr, &o)
				}
			}
		}()
		for k, c := range classes {
			if c == "glcm" {
				out[k], errs[k] = fns[c].fn(pr, &o)
			}
		}
	}
	wg.Wait()
	pr.g.release()
	if pr.cnt != nil {
		pr.cnt.release()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// distances validates and de-duplicates Options.Distances.
func (o *Options) distances() ([]int, error) {
	if len(o.Distances) == 0 {
		return []int{1}, nil
	}
	ds := slices.Clone(o.Distances)
	slices.Sort(ds)
	ds = slices.Compact(ds)
	if ds[0] < 1 {
		return nil, fmt.Errorf("texture: distance %d < 1", ds[0])
	}
	return ds, nil
}

func (o *Options) force2DAxis() (int, error) {
	if !o.Force2D {
		return -1, nil
	}
	if o.Force2DDimension < 0 || o.Force2DDimension > 2 {
		return 0, fmt.Errorf("texture: Force2DDimension %d not in 0..2", o.Force2DDimension)
	}
	return o.Force2DDimension, nil
}

// angles returns the neighbour offsets (dx, dy, dz) pyradiomics'
// build_angles generates for a bounding box of size dims: every offset
// whose largest component (in absolute value) is one of distances, that
// fits inside the box and, with force2D, does not leave the plane. The order
// is pyradiomics': z slowest, y, then x, each running from +max to -max.
// Without bidirectional only the first half is kept, which holds one of
// each pair ±a (13 directions in 3D at distance 1).
func angles(dims [3]int, distances []int, f2d int, bidirectional bool) [][3]int {
	maxd := distances[len(distances)-1]
	n := 2*maxd + 1
	size := [3]int{dims[2], dims[1], dims[0]} // pyradiomics (z, y, x)
	var out [][3]int
	for idx := range n * n * n {
		var off [3]int // z, y, x
		off[0] = maxd - idx/(n*n)%n
		off[1] = maxd - idx/n%n
		off[2] = maxd - idx%n
		dist, ok := 0, true
		for d, v := range off {
			if (d == f2d && v != 0) || v >= size[d] || v <= -size[d] {
				ok = false
				break
			}
			dist = max(dist, v, -v)
		}
		if ok && dist > 0 && slices.Contains(distances, dist) {
			out = append(out, [3]int{off[2], off[1], off[0]})
		}
	}
	if !bidirectional {
		out = out[:len(out)/2]
	}
	return out
}

// weights returns one weight per direction for Options.Weighting, or nil
// when the directions stay separate. glcm selects the GLCM weights
// exp(-‖d‖²); GLRLM uses ‖d‖ itself.
func (o *Options) weights(as [][3]int, glcm bool) ([]float64, error) {
	if o.Weighting == "" {
		return nil, nil
	}
	w := make([]float64, len(as))
	if o.Weighting == "no_weighting" {
		for i := range w {
			w[i] = 1
		}
		return w, nil
	}
	for _, sp := range o.Spacing {
		if !(sp > 0) || math.IsInf(sp, 0) {
			return nil, fmt.Errorf("texture: weighting %q needs a positive Spacing, have %v", o.Weighting, o.Spacing)
		}
	}
	for i, a := range as {
		var norm float64 // the distance ‖d‖ in mm
		switch o.Weighting {
		case "infinity":
			for d := range 3 {
				norm = max(norm, math.Abs(float64(a[d]))*o.Spacing[d])
			}
		case "euclidean":
			for d := range 3 {
				v := float64(a[d]) * o.Spacing[d]
				norm += v * v
			}
			norm = math.Sqrt(norm)
		case "manhattan":
			for d := range 3 {
				norm += math.Abs(float64(a[d])) * o.Spacing[d]
			}
		default:
			return nil, fmt.Errorf("texture: unknown weighting %q (want no_weighting, manhattan, euclidean or infinity)", o.Weighting)
		}
		if glcm {
			w[i] = math.Exp(-norm * norm)
		} else {
			w[i] = norm
		}
	}
	return w, nil
}

// nanMean is numpy.nanmean: the mean of the values that are not NaN, NaN
// when there are none.
type nanMean struct {
	sum float64
	n   int
}

func (m *nanMean) add(v float64) {
	if !math.IsNaN(v) {
		m.sum += v
		m.n++
	}
}

func (m *nanMean) value() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.sum / float64(m.n)
}

// dropEmptyCols removes the columns that are zero in every slice of m.
func dropEmptyCols(m *Matrix) {
	nr := len(m.Levels)
	keep := make([]bool, m.NCols)
	nk := 0
	for _, p := range m.P {
		for i := range nr {
			for j, v := range p[i*m.NCols : (i+1)*m.NCols] {
				if v != 0 && !keep[j] {
					keep[j] = true
					nk++
				}
			}
		}
	}
	if nk == m.NCols {
		return
	}
	cols := make([]float64, 0, nk)
	for j, k := range keep {
		if k {
			cols = append(cols, m.Cols[j])
		}
	}
	for a, p := range m.P {
		q := make([]float64, nr*nk)
		for i := range nr {
			c := 0
			for j, k := range keep {
				if k {
					q[i*nk+c] = p[i*m.NCols+j]
					c++
				}
			}
		}
		m.P[a] = q
	}
	m.Cols, m.NCols = cols, nk
}

// mergeAngles replaces the direction slices of m by their weighted sum.
func mergeAngles(m *Matrix, w []float64) {
	sum := make([]float64, len(m.P[0]))
	for a, p := range m.P {
		for k, v := range p {
			sum[k] += v * w[a]
		}
	}
	m.P, m.Angles = [][]float64{sum}, nil
}

// dropEmptyAngles removes the directions whose matrix sums to 0, as
// pyradiomics does when more than one direction is kept.
func dropEmptyAngles(m *Matrix) {
	if len(m.P) < 2 {
		return
	}
	var p [][]float64
	var as [][3]int
	for a, s := range m.P {
		total := 0.0
		for _, v := range s {
			total += v
		}
		if total != 0 {
			p = append(p, s)
			as = append(as, m.Angles[a])
		}
	}
	m.P, m.Angles = p, as
}

func values(defs []feature.Def, v []float64) []feature.Value {
	out := make([]feature.Value, len(defs))
	for i, d := range defs {
		out[i] = feature.Value{Def: d, Value: v[i]}
	}
	return out
}

// log2 is log(x)/ln 2. Unlike math.Log2 it keeps full relative precision
// near 1, where pyradiomics' flat-region entropies -log2(1+ε) ≈ -3.2e-16
// live (math.Log2 gives -3.3e-16 there).
func log2(x float64) float64 { return math.Log(x) / math.Ln2 }
