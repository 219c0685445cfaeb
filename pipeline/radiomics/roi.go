package radiomics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/scirad/scirad/pipeline/volume"
)

// ErrROI is wrapped by every error about the region of interest itself
// (label absent, one voxel, too few dimensions, too small), so callers can
// tell a bad ROI from a bad file.
var ErrROI = errors.New("invalid ROI")

// ROI is an image and its region of interest, cropped to the ROI's bounding
// box as pyradiomics' cropToTumorMask does (no padding).
type ROI struct {
	// Image holds the cropped intensities; its grid keeps the physical
	// position of every voxel. When the box is one run of the image's
	// array (whole rows and planes, as for an image already cropped to the
	// ROI), PrepareROI does not copy it: Image.Data is that part of the
	// image's array. The package does not change either.
	Image *volume.Volume
	// Mask is true inside the ROI, on Image's grid (x fastest).
	Mask []bool
	// Box is the bounding box in the original image's voxel indices.
	Box volume.Box
	// N is the number of ROI voxels.
	N int
	// idx lists the ROI voxels' indices in Image.Data and Mask, ascending,
	// when PrepareROI made the ROI (nil otherwise: voxels scans Mask). It
	// describes Mask, so ROIs that share Mask share it; Image and Mask are
	// not to be changed after PrepareROI.
	idx []int32
	// lo and hi are the smallest and largest ROI intensity in Image when
	// PrepareROI made the ROI (spanOK), for Bin.
	lo, hi float64
	spanOK bool
	whole  bool // with spanOK: every ROI intensity is a whole number
}

// Spacing is the voxel spacing in mm.
func (r *ROI) Spacing() [3]float64 { return r.Image.Spacing }

// Values returns the ROI intensities in grid order (x fastest).
func (r *ROI) Values() []float64 { return r.gather(make([]float64, 0, r.N)) }

// voxels returns the ROI voxels' indices in Image.Data, ascending.
func (r *ROI) voxels() []int32 {
	if r.idx != nil && len(r.idx) == r.N {
		return r.idx
	}
	out := make([]int32, 0, r.N)
	for i, in := range r.Mask {
		if in {
			out = append(out, int32(i))
		}
	}
	return out
}

// gather appends the ROI intensities, in grid order, to out.
func (r *ROI) gather(out []float64) []float64 {
	idx, data := r.voxels(), r.Image.Data
	n := len(out)
	out = slices.Grow(out, len(idx))[:n+len(idx)]
	dst := out[n:]
	for k, i := range idx {
		dst[k] = data[i]
	}
	return out
}

// maskLabel is pyradiomics' reading of a label-map voxel: the mask is cast
// to UInt32 (getMask), which truncates fractions, so 1.0 and 1.2 both count
// as label 1. Negative and non-finite values are no label.
func maskLabel(x float64) int64 {
	if !(x >= 0) || math.IsInf(x, 1) || x >= 1<<32 {
		return 0
	}
	return int64(x)
}

// PrepareROI checks the mask against the image and crops both to the ROI, as
// pyradiomics' checkMask and cropToTumorMask do:
//
//   - the grids must agree within GeometryTolerance (origin and spacing
//     within tol × the image's first spacing, direction within tol);
//     otherwise, with CorrectMask, the mask is resampled onto the image grid
//     by nearest neighbour after checking that the ROI lies inside the image,
//     and without it the error prints both grids;
//   - the label must be present (the error lists the labels that are);
//   - the ROI must span more than one voxel along at least
//     MinimumROIDimensions axes; a one-voxel ROI is always an error;
//   - with MinimumROISize, the ROI must have more voxels than that.
//
// Image intensities inside the ROI must be finite.
func PrepareROI(img, mask *volume.Volume, s Settings) (*ROI, error) {
	return prepareROI(img, mask, s, nil)
}

// extractBufs are the arrays of one extraction that ExtractWorkers reuses
// for the next one (extractPool): the ROI's mask and voxel list and the
// grey levels.
type extractBufs struct {
	mask   []bool
	idx    []int32
	levels []int32
}

var extractPool = sync.Pool{New: func() any { return new(extractBufs) }}

// boolsFrom returns n cleared bools, in buf's array when it is large
// enough (buf nil: a new array).
func boolsFrom(buf *[]bool, n int) []bool {
	if buf == nil || cap(*buf) < n {
		return make([]bool, n)
	}
	b := (*buf)[:n]
	clear(b)
	return b
}

// int32sFrom returns n int32s, cleared when clr, in buf's array when it
// is large enough (buf nil: a new array).
func int32sFrom(buf *[]int32, n int, clr bool) []int32 {
	if buf == nil || cap(*buf) < n {
		return make([]int32, n)
	}
	b := (*buf)[:n]
	if clr {
		clear(b)
	}
	return b
}

// prepareROI is PrepareROI with the ROI's mask and voxel list in the
// arrays of bufs when it is not nil.
func prepareROI(img, mask *volume.Volume, s Settings, bufs *extractBufs) (*ROI, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if img == nil || mask == nil {
		return nil, errors.New("radiomics: nil image or mask")
	}
	if len(img.Data) != img.Len() || len(mask.Data) != mask.Len() {
		return nil, errors.New("radiomics: volume data length does not match its dims")
	}
	if err := checkGeometry(img.Grid, mask.Grid, s.geometryTolerance()); err != nil {
		if !s.CorrectMask {
			return nil, fmt.Errorf("radiomics: image/mask geometry mismatch (set correctMask or geometryTolerance): %w", err)
		}
		mask, err = correctMask(img, mask, s.label())
		if err != nil {
			return nil, err
		}
	}
	label := int64(s.label())
	lo, hi := float64(label), float64(label+1) // truncation: x in [label, label+1)
	// One pass over the mask: the ROI voxels' indices in the image
	// (ascending, in a reused buffer) and their bounding box, row by row.
	sp := scratchIdx.Get().(*[]int)
	defer scratchIdx.Put(sp)
	at := (*sp)[:0]
	dims := img.Dims
	box := volume.Box{Min: dims, Max: [3]int{}}
	base := 0
	for k := range dims[2] {
		for j := range dims[1] {
			row := mask.Data[base : base+dims[0]]
			n0 := len(at)
			for i, x := range row {
				if x >= lo && x < hi {
					at = append(at, base+i)
				}
			}
			if len(at) > n0 {
				box.Min[0] = min(box.Min[0], at[n0]-base)
				box.Max[0] = max(box.Max[0], at[len(at)-1]-base+1)
				box.Min[1], box.Max[1] = min(box.Min[1], j), max(box.Max[1], j+1)
				box.Min[2], box.Max[2] = min(box.Min[2], k), k+1
			}
			base += dims[0]
		}
	}
	*sp = at
	n := len(at)
	if n == 0 {
		return nil, fmt.Errorf("radiomics: %w: label %d not present in mask (labels present: %v)", ErrROI, label, presentLabels(mask))
	}
	ndims := 0
	for _, sz := range box.Size() {
		if sz > 1 {
			ndims++
		}
	}
	if ndims == 0 {
		return nil, fmt.Errorf("radiomics: %w: label %d is a single voxel; features cannot be computed for one voxel", ErrROI, label)
	}
	if ndims < s.minDims() {
		return nil, fmt.Errorf("radiomics: %w: label %d spans %d dimension(s), minimumROIDimensions is %d", ErrROI, label, ndims, s.minDims())
	}
	if s.MinimumROISize > 0 && n <= s.MinimumROISize {
		return nil, fmt.Errorf("radiomics: %w: label %d has %d voxels, minimumROISize is %d", ErrROI, label, n, s.MinimumROISize)
	}
	sz := box.Size()
	if float64(sz[0])*float64(sz[1])*float64(sz[2]) > math.MaxInt32 {
		return nil, fmt.Errorf("radiomics: %w: label %d's bounding box %v has 2³¹ voxels or more", ErrROI, label, sz)
	}
	crop := cropImage(img, box)
	roi := &ROI{Image: crop, Box: box, N: n}
	if bufs != nil {
		roi.Mask, roi.idx = boolsFrom(&bufs.mask, crop.Len()), int32sFrom(&bufs.idx, n, false)
	} else {
		roi.Mask, roi.idx = make([]bool, crop.Len()), make([]int32, n)
	}
	vlo, vhi := math.Inf(1), math.Inf(-1) // the intensities' range
	var frac uint64                       // 0: whole numbers (fracBits)
	// The image indices as box indices, a row at a time: off takes the
	// image row (j, k) starting at rowStart to the box row.
	j, k := -1, 0
	rowStart, rowEnd, off := -dims[0], 0, 0
	for t, g := range at {
		for g >= rowEnd {
			rowStart, rowEnd = rowEnd, rowEnd+dims[0]
			if j++; j == dims[1] {
				j, k = 0, k+1
			}
			off = (j-box.Min[1])*sz[0] + (k-box.Min[2])*sz[0]*sz[1] - box.Min[0] - rowStart
		}
		b := g + off
		roi.idx[t] = int32(b)
		roi.Mask[b] = true
		x := crop.Data[b]
		if x-x != 0 {
			return nil, fmt.Errorf("radiomics: image voxel (%d,%d,%d) inside the ROI is %g: intensities must be finite",
				g-rowStart, j, k, x)
		}
		frac |= fracBits(x)
		if x < vlo {
			vlo = x
		}
		if x > vhi {
			vhi = x
		}
	}
	roi.lo, roi.hi, roi.spanOK, roi.whole = vlo, vhi, true, frac == 0
	return roi, nil
}

// scratchIdx holds PrepareROI's list of ROI voxels in image indices
// between calls.
var scratchIdx = sync.Pool{New: func() any { return new([]int) }}

// cropImage is img.Crop(box), or, when the box is one run of the image's
// array (whole rows and planes, as for an image already cropped to the
// ROI), that part of img's own array on the box's grid.
func cropImage(img *volume.Volume, box volume.Box) *volume.Volume {
	sz, d := box.Size(), img.Dims
	if sz[0] != d[0] || (sz[1] != d[1] && sz[2] != 1) {
		return img.Crop(box)
	}
	g := img.Grid
	g.Dims = sz
	g.Origin = img.IndexToPhysical([3]float64{float64(box.Min[0]), float64(box.Min[1]), float64(box.Min[2])})
	start := img.Index(box.Min[0], box.Min[1], box.Min[2])
	return &volume.Volume{Grid: g, Data: img.Data[start : start+g.Len() : start+g.Len()]}
}

func presentLabels(mask *volume.Volume) []int64 {
	seen := map[int64]bool{}
	for _, x := range mask.Data {
		if l := maskLabel(x); l != 0 {
			seen[l] = true
		}
	}
	out := make([]int64, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// checkGeometry is SimpleITK's same-physical-space test with pyradiomics'
// geometryTolerance: equal sizes; origins and spacings equal within
// tol × |first spacing of the image|; direction cosines within tol.
func checkGeometry(img, mask volume.Grid, tol float64) error {
	coordTol := math.Abs(tol * img.Spacing[0])
	bad := img.Dims != mask.Dims
	for a := 0; a < 3 && !bad; a++ {
		bad = math.Abs(img.Origin[a]-mask.Origin[a]) > coordTol ||
			math.Abs(img.Spacing[a]-mask.Spacing[a]) > coordTol
	}
	for a := 0; a < 9 && !bad; a++ {
		bad = math.Abs(img.Direction[a]-mask.Direction[a]) > tol
	}
	if bad {
		return fmt.Errorf("%w (tolerance %g): image %v; mask %v", volume.ErrGridMismatch, tol, img, mask)
	}
	return nil
}

// correctMask resamples mask onto img's grid by nearest neighbour, as
// pyradiomics' _correctMask: first the ROI's bounding box, corners included,
// must lie inside the image's physical extent (tolerance 1e-3 voxel); then
// each image voxel centre takes the label of the mask voxel nearest to it
// (index rounded half up, as ITK), or 0 outside the mask.
func correctMask(img, mask *volume.Volume, label int) (*volume.Volume, error) {
	box := volume.Box{Min: mask.Dims, Max: [3]int{}}
	found := false
	for idx, x := range mask.Data {
		if maskLabel(x) != int64(label) {
			continue
		}
		found = true
		i, j, k := mask.Coords(idx)
		c := [3]int{i, j, k}
		for a := 0; a < 3; a++ {
			box.Min[a] = min(box.Min[a], c[a])
			box.Max[a] = max(box.Max[a], c[a]+1)
		}
	}
	if !found {
		return nil, fmt.Errorf("radiomics: %w: label %d not present in mask (labels present: %v)", ErrROI, label, presentLabels(mask))
	}
	const tol = 1e-3
	for _, corner := range [2][3]float64{
		{float64(box.Min[0]) - 0.5, float64(box.Min[1]) - 0.5, float64(box.Min[2]) - 0.5},
		{float64(box.Max[0]) - 0.5, float64(box.Max[1]) - 0.5, float64(box.Max[2]) - 0.5},
	} {
		p := img.PhysicalToIndex(mask.IndexToPhysical(corner))
		for a := 0; a < 3; a++ {
			if p[a] < -0.5-tol || p[a] > float64(img.Dims[a])-0.5+tol {
				return nil, fmt.Errorf("radiomics: %w: with correctMask, the ROI's bounding box reaches outside the image (image index %v, image size %v)", ErrROI, p, img.Dims)
			}
		}
	}
	out := volume.New(img.Grid)
	idx := 0
	for k := 0; k < img.Dims[2]; k++ {
		for j := 0; j < img.Dims[1]; j++ {
			for i := 0; i < img.Dims[0]; i++ {
				q := mask.PhysicalToIndex(img.IndexToPhysical([3]float64{float64(i), float64(j), float64(k)}))
				mi, mj, mk := int(math.Floor(q[0]+0.5)), int(math.Floor(q[1]+0.5)), int(math.Floor(q[2]+0.5))
				if mask.Contains(mi, mj, mk) {
					out.Data[idx] = mask.At(mi, mj, mk)
				}
				idx++
			}
		}
	}
	return out, nil
}

// normalizeImage is pyradiomics' normalizeImage: z-score over all voxels
// with SimpleITK's sample standard deviation, optional clipping to
// ±removeOutliers, then scaling.
func normalizeImage(img *volume.Volume, s Settings) (*volume.Volume, error) {
	n := float64(len(img.Data))
	if n < 2 {
		return nil, errors.New("radiomics: normalize needs at least two voxels")
	}
	var sum float64
	for _, x := range img.Data {
		sum += x
	}
	mean := sum / n
	var ss float64
	for _, x := range img.Data {
		d := x - mean
		ss += d * d
	}
	sd := math.Sqrt(ss / (n - 1))
	if sd == 0 || math.IsNaN(sd) {
		return nil, errors.New("radiomics: normalize: the image is constant (standard deviation 0)")
	}
	scale := s.NormalizeScale
	if scale == 0 {
		scale = 1
	}
	out := img.Clone()
	for i, x := range out.Data {
		z := (x - mean) / sd
		if s.RemoveOutliers > 0 {
			z = math.Max(-s.RemoveOutliers, math.Min(s.RemoveOutliers, z))
		}
		out.Data[i] = z * scale
	}
	return out, nil
}
