package volio

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/dicom"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

// dicomSource reports whether path names a DICOM input: a folder (a
// series), a file ending .dcm, or a file starting with the DICOM preamble.
// A folder may carry a series choice after '#' ("dir#T2 SAG": a
// SeriesInstanceUID, SeriesNumber or SeriesDescription) when the folder
// holds several image series.
func dicomSource(path string) (p, series string, ok bool) {
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return path, "", true
		}
		if strings.HasSuffix(strings.ToLower(path), ".dcm") || (FormatOf(path) == Unknown && dicom.IsDICOMFile(path)) {
			return path, "", true
		}
		return "", "", false
	}
	if i := strings.LastIndexByte(path, '#'); i > 0 {
		if st, err := os.Stat(path[:i]); err == nil && st.IsDir() {
			return path[:i], path[i+1:], true
		}
	}
	return "", "", false
}

// readDICOMImage reads a DICOM series (a folder, or one multi-frame file).
func readDICOMImage(path, series string) (*volume.Volume, error) {
	return dicom.ReadSeries(&dicom.Options{Series: series}, path)
}

// asSegmentation wraps DICOM segments as a one-layer-per-segment
// segmentation, so that the name mapping of .seg.nrrd applies to them.
func asSegmentation(segs []dicom.Segment) *nrrd.Segmentation {
	s := &nrrd.Segmentation{}
	for i, sg := range segs {
		s.Layers = append(s.Layers, sg.Mask)
		s.Segments = append(s.Segments, nrrd.Segment{Name: sg.Name, Label: 1, Layer: i, ID: fmt.Sprint(sg.Number)})
	}
	if len(segs) > 0 {
		s.Labels = segs[0].Mask
	}
	return s
}

// readDICOMLabelMap reads an RTSTRUCT or DICOM-SEG as a data-contract
// label map, on ref when it is not nil.
func readDICOMLabelMap(path string, ref *volume.Grid) (*volume.Volume, error) {
	segs, err := dicom.ReadMasks(path, ref)
	if err != nil {
		return nil, err
	}
	v, err := contractLabels(asSegmentation(segs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// Segment is one ROI of a mask file, as a binary mask (1 inside).
type Segment struct {
	// Label is the data-contract label: the voxel value of a label map,
	// or for a segmentation (Slicer .seg.nrrd, RTSTRUCT, DICOM-SEG) the
	// label its name maps to (package doc); segments neither name nor order
	// maps to 1 or 2 take 3, 4, … in file order.
	Label int
	// Name is the segment's name ("" for a label map).
	Name string
	Mask *volume.Volume
}

// ReadSegments reads every ROI of a mask on the image grid ref, each on
// its own: the distinct non-zero values of a NIfTI/NRRD label map, or the
// segments of a .seg.nrrd, RTSTRUCT or DICOM-SEG, overlapping ones
// included. Label maps come in increasing label order, segmentations in
// file order.
func ReadSegments(path string, ref volume.Grid) ([]Segment, error) {
	var seg *nrrd.Segmentation
	if p, _, ok := dicomSource(path); ok {
		segs, err := dicom.ReadMasks(p, &ref)
		if err != nil {
			return nil, err
		}
		seg = asSegmentation(segs)
	} else if isSegmentation(path) {
		s, err := nrrd.ReadSegmentation(path)
		if err != nil {
			return nil, err
		}
		seg = s
	}
	if seg == nil {
		lm, err := ReadLabelMapOn(path, ref)
		if err != nil {
			return nil, err
		}
		labels := map[int]bool{}
		for _, x := range lm.Data {
			if x != 0 {
				labels[int(x)] = true
			}
		}
		var ls []int
		for l := range labels {
			ls = append(ls, l)
		}
		sort.Ints(ls)
		var out []Segment
		for _, l := range ls {
			m, _ := lm.Label(l)
			out = append(out, Segment{Label: l, Mask: m})
		}
		return out, nil
	}
	labels := segmentLabels(seg)
	out := make([]Segment, len(seg.Segments))
	for i, s := range seg.Segments {
		m, _ := seg.Mask(i)
		if m.SameGrid(ref, volume.DefaultTolerance) != nil {
			off, ok := subBox(m.Grid, ref)
			if !ok {
				return nil, fmt.Errorf("%s: segment %q grid is not the image grid nor a voxel-aligned part of it: %v vs image %v", path, s.Name, m.Grid, ref)
			}
			m = padTo(m, ref, off)
		}
		m.Grid = ref
		out[i] = Segment{Label: labels[i], Name: s.Name, Mask: m}
	}
	return out, nil
}

// segmentLabels assigns each segment its data-contract label: by name
// (nameLabel), the first unnamed ones taking 1 and 2 where free, then 3, 4,
// … for the rest; a second lesion or cord segment also takes 3, 4, ….
func segmentLabels(s *nrrd.Segmentation) []int {
	out := make([]int, len(s.Segments))
	used := map[int]bool{}
	for i, sg := range s.Segments {
		if l := nameLabel(sg.Name); l != 0 && !used[l] {
			out[i] = l
			used[l] = true
		}
	}
	next := 1
	for i := range out {
		if out[i] != 0 {
			continue
		}
		for used[next] {
			next++
		}
		out[i] = next
		used[next] = true
	}
	return out
}

// padTo copies v into a zero volume on ref at voxel offset off.
func padTo(v *volume.Volume, ref volume.Grid, off [3]int) *volume.Volume {
	out := volume.New(ref)
	for k := 0; k < v.Dims[2]; k++ {
		for j := 0; j < v.Dims[1]; j++ {
			src := v.Index(0, j, k)
			dst := ref.Index(off[0], off[1]+j, off[2]+k)
			copy(out.Data[dst:dst+v.Dims[0]], v.Data[src:src+v.Dims[0]])
		}
	}
	return out
}

// sameVoxels reports whether g holds the voxel centres of ref in another
// index order — axes permuted or reversed, as when a left-handed NIfTI
// grid is written as a DICOM series, whose slices always run along the
// normal — and returns, for ref's voxel (i, j, k), g's index
// perm·(i, j, k) + off.
func sameVoxels(g, ref volume.Grid) (perm [3][3]int, off [3]int, ok bool) {
	if g.Len() != ref.Len() {
		return perm, off, false
	}
	tol := volume.DefaultTolerance
	o := g.PhysicalToIndex(ref.Origin)
	for a := range 3 {
		r := math.Round(o[a])
		if math.Abs(o[a]-r) > tol {
			return perm, off, false
		}
		off[a] = int(r)
	}
	for c := range 3 { // the step of ref's axis c, in g's indices
		var e [3]float64
		e[c] = 1
		p := g.PhysicalToIndex(ref.IndexToPhysical(e))
		for a := range 3 {
			d := p[a] - o[a]
			r := math.Round(d)
			if math.Abs(d-r) > tol || math.Abs(r) > 1 {
				return perm, off, false
			}
			perm[a][c] = int(r)
		}
	}
	for a := range 3 { // a signed permutation with matching extents
		n := 0
		for c := range 3 {
			if perm[a][c] != 0 {
				n++
				if g.Dims[a] != ref.Dims[c] {
					return perm, off, false
				}
			}
		}
		if n != 1 {
			return perm, off, false
		}
	}
	return perm, off, true
}

// reorderTo copies v (whose grid holds ref's voxels in another order, see
// sameVoxels) onto ref.
func reorderTo(v *volume.Volume, ref volume.Grid, perm [3][3]int, off [3]int) (*volume.Volume, bool) {
	out := volume.New(ref)
	for k := range ref.Dims[2] {
		for j := range ref.Dims[1] {
			for i := range ref.Dims[0] {
				var s [3]int
				for a := range 3 {
					s[a] = off[a] + perm[a][0]*i + perm[a][1]*j + perm[a][2]*k
				}
				if !v.Contains(s[0], s[1], s[2]) {
					return nil, false
				}
				out.Data[ref.Index(i, j, k)] = v.At(s[0], s[1], s[2])
			}
		}
	}
	return out, true
}
