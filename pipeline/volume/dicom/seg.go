package dicom

import (
	"fmt"
	"math"
	"sort"

	"github.com/scirad/scirad/pipeline/volume"
)

// DICOM-SEG tags.
const (
	tSegType       = 0x00620001
	tSegmentSeq    = 0x00620002
	tSegmentNumber = 0x00620004
	tSegmentLabel  = 0x00620005
	tSegIdentSeq   = 0x0062000A
	tRefSegNumber  = 0x0062000B
	tMaxFractional = 0x0062000E
)

// Segment is one segment of a DICOM-SEG, or one ROI of an RTSTRUCT, as a
// binary mask (1 inside, 0 outside).
type Segment struct {
	Number int    // SegmentNumber (0062,0004) or ROINumber (3006,0022)
	Name   string // SegmentLabel (0062,0005) or ROIName (3006,0026)
	Mask   *volume.Volume
	Voxels int // voxels inside
}

// FractionalThreshold: a FRACTIONAL segment covers a voxel whose value is
// at least this fraction of MaximumFractionalValue.
const FractionalThreshold = 0.5

// ReadSEG reads a DICOM Segmentation's segments as binary masks. With ref
// nil the masks are on the grid the SEG's frames span (its planes, pixel
// spacing and slice positions; SpacingBetweenSlices when given, else the
// smallest gap between frames); with ref set they are placed on ref, which
// must share the frames' orientation and pixel spacing and have a slice at
// every frame's position.
func ReadSEG(path string, ref *volume.Grid) ([]Segment, error) {
	f, err := readFile(path)
	if err != nil {
		return nil, err
	}
	segs, err := segOf(f, ref)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return segs, nil
}

func segOf(f *file, ref *volume.Grid) ([]Segment, error) {
	if sc := f.str(tSOPClass); sc != sopSEG {
		return nil, fmt.Errorf("(0008,0016) SOPClassUID %q: not a DICOM Segmentation (%s)", sc, sopSEG)
	}
	typ := f.str(tSegType)
	if typ != "BINARY" && typ != "FRACTIONAL" {
		return nil, fmt.Errorf("(0062,0001) SegmentationType %q: want BINARY or FRACTIONAL", typ)
	}
	maxFrac := 1.0
	if typ == "FRACTIONAL" {
		m, err := f.int1(tMaxFractional, "MaximumFractionalValue", 255)
		if err != nil {
			return nil, err
		}
		if m < 1 {
			return nil, fmt.Errorf("(0062,000E) MaximumFractionalValue %d: want at least 1", m)
		}
		maxFrac = float64(m)
	}
	var segs []Segment
	index := map[int]int{}
	for i, it := range f.seq(tSegmentSeq) {
		n, err := it.int1(tSegmentNumber, "SegmentNumber", -1)
		if err != nil {
			return nil, fmt.Errorf("SegmentSequence item %d: %w", i+1, err)
		}
		if _, dup := index[n]; dup {
			return nil, fmt.Errorf("SegmentSequence item %d: (0062,0004) SegmentNumber %d repeated", i+1, n)
		}
		index[n] = len(segs)
		segs = append(segs, Segment{Number: n, Name: it.str(tSegmentLabel)})
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("(0062,0002) SegmentSequence: no segment")
	}
	p, err := readPixelFormat(f)
	if err != nil {
		return nil, err
	}
	if typ == "BINARY" && p.bitsAlloc != 1 && p.bitsAlloc != 8 {
		return nil, fmt.Errorf("(0028,0100) BitsAllocated %d for a BINARY segmentation: want 1", p.bitsAlloc)
	}
	dec, err := frameDecoder(f, p)
	if err != nil {
		return nil, err
	}
	ss, err := slices(f)
	if err != nil {
		return nil, err
	}
	segOfFrame := make([]int, len(ss))
	for i := range ss {
		it := frameGroup(f, i, tSegIdentSeq)
		n, err := it.int1(tRefSegNumber, "ReferencedSegmentNumber", -1)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
		si, ok := index[n]
		if !ok {
			return nil, fmt.Errorf("frame %d: (0062,000B) ReferencedSegmentNumber %d names no segment of SegmentSequence", i+1, n)
		}
		segOfFrame[i] = si
	}
	r, c, nrm, err := normal(ss[0].iop)
	if err != nil {
		return nil, err
	}
	for _, s := range ss[1:] {
		for a := range 6 {
			if math.Abs(s.iop[a]-ss[0].iop[a]) > 1e-4 {
				return nil, fmt.Errorf("frames with different ImageOrientationPatient: %v and %v", ss[0].iop, s.iop)
			}
		}
	}
	var g volume.Grid
	if ref != nil {
		g = *ref
		for a := range 3 {
			if math.Abs(g.Direction[3*a]-r[a]) > 1e-3 || math.Abs(g.Direction[3*a+1]-c[a]) > 1e-3 {
				return nil, fmt.Errorf("frames oriented %v, the image grid's rows and columns are not: %v", ss[0].iop, g)
			}
		}
		if math.Abs(g.Spacing[0]-ss[0].ps[1]) > 1e-3*g.Spacing[0] || math.Abs(g.Spacing[1]-ss[0].ps[0]) > 1e-3*g.Spacing[1] {
			return nil, fmt.Errorf("(0028,0030) PixelSpacing %v differs from the image grid's %v", ss[0].ps, g.Spacing)
		}
	} else {
		g, err = segGrid(ss, p, r, c, nrm)
		if err != nil {
			return nil, err
		}
	}
	if err := g.Check(); err != nil {
		return nil, err
	}
	if int64(len(segs))*int64(g.Len()) > volume.MaxVoxels {
		return nil, fmt.Errorf("%d segments of %d voxels: over %d voxels", len(segs), g.Len(), volume.MaxVoxels)
	}
	if err := budgetCheck(fmt.Sprintf("dicom: %d segments on %v", len(segs), g.Dims), 8*float64(len(segs))*float64(g.Len())); err != nil {
		return nil, err
	}
	for i := range segs {
		segs[i].Mask = volume.New(g)
	}
	buf := make([]float64, p.rows*p.cols)
	for i, s := range ss {
		idx := g.PhysicalToIndex(s.ipp)
		var off [3]int
		for a := range 3 {
			rd := math.Round(idx[a])
			if math.Abs(idx[a]-rd) > SliceTolerance || math.Abs(rd) > 1<<30 {
				return nil, fmt.Errorf("frame %d at %v is not on a voxel of the grid %v (index %.3g, %.3g, %.3g)", i+1, s.ipp, g, idx[0], idx[1], idx[2])
			}
			off[a] = int(rd)
		}
		if off[2] < 0 || off[2] >= g.Dims[2] {
			return nil, fmt.Errorf("frame %d at %v is on slice index %d, outside the grid's %d slices", i+1, s.ipp, off[2], g.Dims[2])
		}
		if err := dec(i, buf); err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
		m := segs[segOfFrame[i]].Mask
		for y := range p.rows {
			for x := range p.cols {
				v := buf[y*p.cols+x]
				if v == 0 || (typ == "FRACTIONAL" && v < FractionalThreshold*maxFrac) {
					continue
				}
				ii, jj := off[0]+x, off[1]+y
				if ii < 0 || jj < 0 || ii >= g.Dims[0] || jj >= g.Dims[1] {
					return nil, fmt.Errorf("frame %d: pixel (%d,%d) lies outside the image grid", i+1, x, y)
				}
				m.Data[m.Index(ii, jj, off[2])] = 1
			}
		}
	}
	for i := range segs {
		for _, x := range segs[i].Mask.Data {
			if x != 0 {
				segs[i].Voxels++
			}
		}
	}
	return segs, nil
}

// segGrid is the grid a SEG's frames span.
func segGrid(ss []slice, p pixelFormat, r, c, n [3]float64) (volume.Grid, error) {
	var g volume.Grid
	pos := make([]float64, len(ss))
	for i := range ss {
		pos[i] = dot(ss[i].ipp, n)
	}
	sorted := append([]float64(nil), pos...)
	sort.Float64s(sorted)
	dz := ss[0].between
	if !(dz > 0) {
		dz = math.Inf(1)
		for i := 1; i < len(sorted); i++ {
			if d := sorted[i] - sorted[i-1]; d > 1e-4 && d < dz {
				dz = d
			}
		}
		if math.IsInf(dz, 1) {
			dz = ss[0].thick
			if !(dz > 0) {
				dz = 1
			}
		}
	}
	lo := 0
	for i := range pos {
		if pos[i] < pos[lo] {
			lo = i
		}
	}
	nk := int(math.Round((sorted[len(sorted)-1]-sorted[0])/dz)) + 1
	if nk < 1 || nk > volume.MaxVoxels/(p.rows*p.cols) {
		return g, fmt.Errorf("frames span %d slices of %.4g mm: over %d voxels", nk, dz, volume.MaxVoxels)
	}
	g.Dims = [3]int{p.cols, p.rows, nk}
	g.Spacing = [3]float64{ss[0].ps[1], ss[0].ps[0], dz}
	g.Origin = ss[lo].ipp
	for a := range 3 {
		g.Direction[3*a] = r[a]
		g.Direction[3*a+1] = c[a]
		g.Direction[3*a+2] = n[a]
	}
	return g, nil
}
