package dicom

import (
	"fmt"
	"math"
	"sort"

	"github.com/scirad/scirad/pipeline/volume"
)

// RTSTRUCT tags.
const (
	tRefFrameOfRefSeq = 0x30060010
	tRTRefStudySeq    = 0x30060012
	tRTRefSeriesSeq   = 0x30060014
	tStructSetROISeq  = 0x30060020
	tROINumber        = 0x30060022
	tROIName          = 0x30060026
	tROIContourSeq    = 0x30060039
	tContourSeq       = 0x30060040
	tContourType      = 0x30060042
	tNumContourPoints = 0x30060046
	tContourData      = 0x30060050
	tRefROINumber     = 0x30060084
)

// MaxContourPoints bounds the points of one RTSTRUCT (all contours).
const MaxContourPoints = 1 << 24

// Contour is one planar contour of an RTSTRUCT ROI, in LPS millimetres.
type Contour struct {
	Type   string // ContourGeometricType: CLOSED_PLANAR, POINT, OPEN_PLANAR, …
	Points [][3]float64
}

// ROI is one structure of an RTSTRUCT.
type ROI struct {
	Number   int    // ROINumber (3006,0022)
	Name     string // ROIName (3006,0026)
	Contours []Contour
}

// RTStruct is an RT Structure Set.
type RTStruct struct {
	Path string
	// SeriesUID is the image series the contours were drawn on
	// (ReferencedFrameOfReferenceSequence → RTReferencedStudySequence →
	// RTReferencedSeriesSequence → SeriesInstanceUID), "" when absent.
	SeriesUID string
	ROIs      []ROI // in StructureSetROISequence order
}

// IsRTStruct reports whether the DICOM file at path is an RT Structure Set.
func IsRTStruct(path string) bool { return sopClassOf(path) == sopRTStruct }

// IsSEG reports whether the DICOM file at path is a DICOM Segmentation.
func IsSEG(path string) bool { return sopClassOf(path) == sopSEG }

// sopClassOf parses path and returns its SOPClassUID ("" when unreadable).
func sopClassOf(path string) string {
	if !IsDICOMFile(path) {
		return ""
	}
	f, err := readFile(path)
	if err != nil {
		return ""
	}
	return f.str(tSOPClass)
}

// ReadRTStruct reads an RT Structure Set's ROIs and contours.
func ReadRTStruct(path string) (*RTStruct, error) {
	f, err := readFile(path)
	if err != nil {
		return nil, err
	}
	s, err := rtstructOf(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.Path = path
	return s, nil
}

func rtstructOf(f *file) (*RTStruct, error) {
	if sc := f.str(tSOPClass); sc != sopRTStruct {
		return nil, fmt.Errorf("(0008,0016) SOPClassUID %q: not an RT Structure Set (%s)", sc, sopRTStruct)
	}
	s := &RTStruct{}
	for _, fr := range f.seq(tRefFrameOfRefSeq) {
		for _, st := range fr.seq(tRTRefStudySeq) {
			for _, se := range st.seq(tRTRefSeriesSeq) {
				if u := se.str(tSeriesUID); u != "" && s.SeriesUID == "" {
					s.SeriesUID = u
				}
			}
		}
	}
	index := map[int]int{}
	for i, it := range f.seq(tStructSetROISeq) {
		n, err := it.int1(tROINumber, "ROINumber", -1)
		if err != nil {
			return nil, fmt.Errorf("StructureSetROISequence item %d: %w", i+1, err)
		}
		if _, dup := index[n]; dup {
			return nil, fmt.Errorf("StructureSetROISequence item %d: (3006,0022) ROINumber %d repeated", i+1, n)
		}
		index[n] = len(s.ROIs)
		s.ROIs = append(s.ROIs, ROI{Number: n, Name: it.str(tROIName)})
	}
	if len(s.ROIs) == 0 {
		return nil, fmt.Errorf("(3006,0020) StructureSetROISequence: no ROI")
	}
	total := 0
	for i, it := range f.seq(tROIContourSeq) {
		ref, err := it.int1(tRefROINumber, "ReferencedROINumber", -1)
		if err != nil {
			return nil, fmt.Errorf("ROIContourSequence item %d: %w", i+1, err)
		}
		ri, ok := index[ref]
		if !ok {
			return nil, fmt.Errorf("ROIContourSequence item %d: (3006,0084) ReferencedROINumber %d names no ROI of StructureSetROISequence", i+1, ref)
		}
		for j, c := range it.seq(tContourSeq) {
			v, err := c.floats(tContourData)
			if err != nil {
				return nil, fmt.Errorf("ROI %q contour %d: ContourData %w", s.ROIs[ri].Name, j+1, err)
			}
			if len(v)%3 != 0 {
				return nil, fmt.Errorf("ROI %q contour %d: (3006,0050) ContourData has %d values, not a multiple of 3", s.ROIs[ri].Name, j+1, len(v))
			}
			if np, _ := c.int1(tNumContourPoints, "NumberOfContourPoints", len(v)/3); np != len(v)/3 {
				return nil, fmt.Errorf("ROI %q contour %d: (3006,0046) NumberOfContourPoints %d, ContourData holds %d", s.ROIs[ri].Name, j+1, np, len(v)/3)
			}
			total += len(v) / 3
			if total > MaxContourPoints {
				return nil, fmt.Errorf("over %d contour points", MaxContourPoints)
			}
			ct := Contour{Type: c.str(tContourType), Points: make([][3]float64, len(v)/3)}
			for k := range ct.Points {
				ct.Points[k] = [3]float64{v[3*k], v[3*k+1], v[3*k+2]}
			}
			s.ROIs[ri].Contours = append(s.ROIs[ri].Contours, ct)
		}
	}
	return s, nil
}

// SliceTolerance is how far (in voxels along the slice axis) a contour's
// points may lie from the nearest slice of the grid.
const SliceTolerance = 0.1

// Rasterize returns the binary mask (1 inside) of ROI i on grid g, by the
// rule in the package doc, and its voxel count.
func (s *RTStruct) Rasterize(i int, g volume.Grid) (*volume.Volume, int, error) {
	if err := g.Check(); err != nil {
		return nil, 0, err
	}
	roi := s.ROIs[i]
	out := volume.New(g)
	nx, ny := g.Dims[0], g.Dims[1]
	slices := map[int][]polygon{}
	for ci, c := range roi.Contours {
		switch c.Type {
		case "CLOSED_PLANAR", "":
		case "POINT", "OPEN_PLANAR", "OPEN_NONPLANAR":
			continue // no area: ignored (see the package doc)
		default:
			return nil, 0, fmt.Errorf("%s: ROI %q contour %d: (3006,0042) ContourGeometricType %q: want CLOSED_PLANAR", s.Path, roi.Name, ci+1, c.Type)
		}
		if len(c.Points) < 3 {
			continue
		}
		xs := make([]float64, len(c.Points))
		ys := make([]float64, len(c.Points))
		kmin, kmax := math.Inf(1), math.Inf(-1)
		for p, pt := range c.Points {
			idx := g.PhysicalToIndex(pt)
			xs[p], ys[p] = idx[0], idx[1]
			kmin, kmax = math.Min(kmin, idx[2]), math.Max(kmax, idx[2])
		}
		k := math.Round((kmin + kmax) / 2)
		if kmax-kmin > 2*SliceTolerance || math.Abs(kmin-k) > SliceTolerance || math.Abs(kmax-k) > SliceTolerance {
			return nil, 0, fmt.Errorf("%s: ROI %q contour %d lies at slice index %.3g to %.3g of the image grid: not on one image slice", s.Path, roi.Name, ci+1, kmin, kmax)
		}
		if k < 0 || int(k) >= g.Dims[2] {
			return nil, 0, fmt.Errorf("%s: ROI %q contour %d is on slice index %g, outside the image's %d slices", s.Path, roi.Name, ci+1, k, g.Dims[2])
		}
		slices[int(k)] = append(slices[int(k)], polygon{xs, ys})
	}
	// Per slice, the contours' scanline fills are XORed: even–odd holes.
	for k, ps := range slices {
		plane := out.Data[k*nx*ny : (k+1)*nx*ny]
		for _, p := range joinOpen(ps, nx, ny) {
			fillXOR(plane, nx, ny, p.xs, p.ys)
		}
	}
	n := 0
	for _, x := range out.Data {
		if x != 0 {
			n++
		}
	}
	return out, n, nil
}

// polygon is a contour in voxel indices of its slice.
type polygon struct{ xs, ys []float64 }

// joinOpen joins the open contours of one slice: a contour whose two ends
// lie within half a voxel of the edge of the nx×ny image and more than 1.5
// voxels apart is a structure crossing the image's edge, written as a curve
// from edge to edge (plastimatch 1.9.4 writes them so; closing each with a
// straight line would cut the structure). Each is continued by the open
// contour that starts nearest its end, until its own start is nearest, so
// that the joined polygon runs along the image's edge between them, and
// its points on the edge voxels' centres move half a voxel out, so that the
// edge voxels count as inside. Closed contours pass unchanged.
func joinOpen(ps []polygon, nx, ny int) []polygon {
	onEdge := func(x, y float64) bool {
		return x <= 0.5 || y <= 0.5 || x >= float64(nx)-1.5 || y >= float64(ny)-1.5
	}
	var out, open []polygon
	for _, p := range ps {
		n := len(p.xs) - 1
		if onEdge(p.xs[0], p.ys[0]) && onEdge(p.xs[n], p.ys[n]) && math.Hypot(p.xs[n]-p.xs[0], p.ys[n]-p.ys[0]) > 1.5 {
			open = append(open, p)
		} else {
			out = append(out, p)
		}
	}
	for len(open) > 0 {
		cur := polygon{append([]float64(nil), open[0].xs...), append([]float64(nil), open[0].ys...)}
		open = open[1:]
		for len(open) > 0 {
			n := len(cur.xs) - 1
			best, bestD := -1, math.Hypot(cur.xs[n]-cur.xs[0], cur.ys[n]-cur.ys[0])
			for j, q := range open {
				if d := math.Hypot(cur.xs[n]-q.xs[0], cur.ys[n]-q.ys[0]); d < bestD {
					best, bestD = j, d
				}
			}
			if best < 0 {
				break // its own start is nearest: closed
			}
			cur.xs = append(cur.xs, open[best].xs...)
			cur.ys = append(cur.ys, open[best].ys...)
			open = append(open[:best], open[best+1:]...)
		}
		// The curves run through the centres of the edge voxels they
		// include; the crossing rule would leave out those on the right
		// and bottom edges: points on an edge move half a voxel out.
		for p := range cur.xs {
			cur.xs[p] = outward(cur.xs[p], nx)
			cur.ys[p] = outward(cur.ys[p], ny)
		}
		out = append(out, cur)
	}
	return out
}

// outward moves a coordinate on the first or last voxel centre of an axis
// of n voxels (within 1e-3) half a voxel out of the image.
func outward(x float64, n int) float64 {
	switch {
	case math.Abs(x) < 1e-3:
		return -0.5
	case math.Abs(x-float64(n-1)) < 1e-3:
		return float64(n) - 0.5
	}
	return x
}

// fillXOR toggles, in the nx×ny plane, every voxel centre (i, j) inside the
// polygon (xs, ys) by the crossing rule: on row j, the edges that cross
// y = j (half-open: one end strictly above) are cut at x; the centre i is
// inside when an odd number of cuts lie at x > i.
func fillXOR(plane []float64, nx, ny int, xs, ys []float64) {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	j0 := clampIndex(math.Ceil(ymin), ny)
	j1 := clampIndex(math.Floor(ymax), ny) // j0 > j1: nothing to fill
	if ymax < 0 || ymin > float64(ny-1) {
		return
	}
	var cuts []float64
	n := len(xs)
	for j := j0; j <= j1; j++ {
		y := float64(j)
		cuts = cuts[:0]
		for a := range n {
			b := (a + 1) % n
			if (ys[a] > y) != (ys[b] > y) {
				cuts = append(cuts, xs[a]+(y-ys[a])*(xs[b]-xs[a])/(ys[b]-ys[a]))
			}
		}
		sort.Float64s(cuts)
		row := plane[j*nx : (j+1)*nx]
		for c := 0; c+1 < len(cuts); c += 2 {
			// inside: cuts[c] <= i < cuts[c+1]
			i0 := clampIndex(math.Ceil(cuts[c]), nx+1)
			i1 := clampIndex(math.Ceil(cuts[c+1]), nx+1)
			for i := i0; i < i1; i++ {
				row[i] = 1 - row[i]
			}
		}
	}
}

// clampIndex converts x to an int in [0, n-1] (x need not be finite).
func clampIndex(x float64, n int) int {
	switch {
	case !(x > 0):
		return 0
	case x >= float64(n-1):
		return n - 1
	}
	return int(x)
}

// Segments rasterises every ROI on g (see Rasterize).
func (s *RTStruct) Segments(g volume.Grid) ([]Segment, error) {
	out := make([]Segment, len(s.ROIs))
	if err := budgetCheck(fmt.Sprintf("dicom: %d ROIs on %v", len(s.ROIs), g.Dims), 8*float64(len(s.ROIs))*float64(g.Len())); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Path, err)
	}
	for i, r := range s.ROIs {
		m, n, err := s.Rasterize(i, g)
		if err != nil {
			return nil, err
		}
		out[i] = Segment{Number: r.Number, Name: r.Name, Mask: m, Voxels: n}
	}
	return out, nil
}
