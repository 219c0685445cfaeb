package volio

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

// Format is a file format known by its extension.
type Format int

// The formats volio dispatches to.
const (
	Unknown Format = iota
	NIfTI
	NRRD
	SlicerSeg
)

// FormatOf returns the format of path from its extension.
func FormatOf(path string) Format {
	p := strings.ToLower(path)
	switch {
	case strings.HasSuffix(p, ".seg.nrrd"):
		return SlicerSeg
	case strings.HasSuffix(p, ".nii"), strings.HasSuffix(p, ".nii.gz"):
		return NIfTI
	case strings.HasSuffix(p, ".nrrd"), strings.HasSuffix(p, ".nhdr"):
		return NRRD
	}
	return Unknown
}

func unknown(path string) error {
	return fmt.Errorf("%s: unknown image format %q: want .nii, .nii.gz, .nrrd, .nhdr, .seg.nrrd, a DICOM folder or a DICOM file", path, filepath.Ext(path))
}

// ReadImage reads the image at path. A .seg.nrrd is read as a plain NRRD
// (its label-map layer); use ReadLabelMap for segmentations.
func ReadImage(path string) (*volume.Volume, error) {
	if p, series, ok := dicomSource(path); ok {
		return readDICOMImage(p, series)
	}
	if FormatOf(path) == Unknown && filepath.Ext(path) == "" {
		if _, err := os.Stat(path); err != nil {
			return nil, err // a missing folder or file, not an unknown format
		}
	}
	switch FormatOf(path) {
	case NIfTI:
		return nifti.ReadFile(path)
	case NRRD, SlicerSeg:
		return nrrd.ReadFile(path)
	}
	return nil, unknown(path)
}

// ReadLabelMap reads a label map: a NIfTI or NRRD mask as is (its values
// must be whole numbers), or a Slicer .seg.nrrd mapped to the data
// contract's labels 1 (lesion) and 2 (rest of cord) as the package doc
// describes.
func ReadLabelMap(path string) (*volume.Volume, error) {
	if p, _, ok := dicomSource(path); ok {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return readDICOMLabelMap(p, nil) // RTSTRUCT, SEG
		}
	}
	if isSegmentation(path) {
		s, err := nrrd.ReadSegmentation(path)
		if err != nil {
			return nil, err
		}
		v, err := contractLabels(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return v, nil
	}
	v, err := ReadImage(path)
	if err != nil {
		return nil, err
	}
	for idx, x := range v.Data {
		if x != math.Trunc(x) || x < 0 || x > math.MaxInt32 {
			i, j, k := v.Coords(idx)
			return nil, fmt.Errorf("%s: label map voxel (%d,%d,%d) is %g: labels must be non-negative whole numbers", path, i, j, k, x)
		}
	}
	return v, nil
}

// isSegmentation reports whether path is a Slicer segmentation: named
// .seg.nrrd, or a .nrrd/.nhdr whose header has Segment0_* pairs (Slicer
// files renamed, or saved with a plain extension).
func isSegmentation(path string) bool {
	switch FormatOf(path) {
	case SlicerSeg:
		return true
	case NRRD:
		h, err := nrrd.ReadHeaderFile(path)
		if err != nil {
			return false // ReadImage reports it
		}
		for _, kv := range h.KeyValues {
			if strings.HasPrefix(kv.Key, "Segment0_") {
				return true
			}
		}
	}
	return false
}

// nameLabel is the data-contract label a segment name implies, or 0.
func nameLabel(name string) int {
	n := strings.ToLower(name)
	n = strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(n)), " ")
	switch {
	case n == "segmentation 1" || n == "segment 1",
		strings.Contains(n, "lesion"), strings.Contains(n, "injur"),
		strings.Contains(n, "oedema"), strings.Contains(n, "edema"):
		return 1
	case n == "segmentation 2" || n == "segment 2", strings.Contains(n, "cord"):
		return 2
	}
	return 0
}

// contractLabels maps a segmentation to labels 1 and 2.
func contractLabels(s *nrrd.Segmentation) (*volume.Volume, error) {
	names := make([]string, len(s.Segments))
	for i, seg := range s.Segments {
		names[i] = fmt.Sprintf("%q", seg.Name)
	}
	assign := make([]int, len(s.Segments)) // data-contract label per segment
	count := map[int]int{}
	for i, seg := range s.Segments {
		assign[i] = nameLabel(seg.Name)
		count[assign[i]]++
	}
	switch {
	case count[1] == 1 && count[2] == 1:
		// Both named; any other segment is ignored.
	case count[1] <= 1 && count[2] <= 1 && len(s.Segments) <= 2:
		// Names are consistent; unnamed segments take the missing labels in
		// file order.
		missing := []int{}
		for _, l := range []int{1, 2} {
			if count[l] == 0 {
				missing = append(missing, l)
			}
		}
		for i := range assign {
			if assign[i] == 0 {
				assign[i], missing = missing[0], missing[1:]
			}
		}
	case len(s.Segments) <= 2:
		for i := range assign {
			assign[i] = i + 1
		}
	default:
		return nil, fmt.Errorf("Segment<N>_Name: %d segments [%s]: with more than two segments, name exactly one lesion and one cord segment",
			len(s.Segments), strings.Join(names, ", "))
	}
	out := volume.New(s.Labels.Grid)
	for _, want := range []int{2, 1} { // lesion last: it wins where they overlap
		for i := range s.Segments {
			if assign[i] != want {
				continue
			}
			m, _ := s.Mask(i)
			for k, x := range m.Data {
				if x == 1 {
					out.Data[k] = float64(want)
				}
			}
		}
	}
	return out, nil
}

// WriteImage writes v to path (.nii, .nii.gz, .nrrd or .nhdr) in the
// narrowest exact datatype (see the package doc).
func WriteImage(path string, v *volume.Volume) error {
	kind := narrowest(v)
	switch FormatOf(path) {
	case NIfTI:
		dt := map[int]nifti.Datatype{8: nifti.Uint8, 16: nifti.Int16, 32: nifti.Float32}[kind]
		return nifti.WriteFile(path, v, &nifti.Options{Datatype: dt})
	case NRRD:
		t := map[int]nrrd.Type{8: nrrd.Uint8, 16: nrrd.Int16, 32: nrrd.Float32}[kind]
		return nrrd.WriteFile(path, v, &nrrd.Options{Type: t})
	case SlicerSeg:
		return fmt.Errorf("%s: writing Slicer segmentations is not supported: write the label map as .nii.gz or .nrrd", path)
	}
	return unknown(path)
}

// narrowest returns 8 (uint8), 16 (int16) or 32 (float32).
func narrowest(v *volume.Volume) int {
	kind := 8
	for _, x := range v.Data {
		if x != math.Trunc(x) || x < math.MinInt16 || x > math.MaxInt16 {
			return 32
		}
		if x < 0 || x > math.MaxUint8 {
			kind = 16
		}
	}
	return kind
}

// ReadLabelMapOn reads a label map as ReadLabelMap does and places it on
// the grid ref. A map already on ref (within volume.DefaultTolerance) is
// returned as is. A map on a sub-box of ref — same spacing and direction,
// origin a whole number of voxels inside ref, as 3D Slicer writes a
// segmentation cropped to its extent — is padded with zeros to ref. A map
// holding ref's voxel centres in another index order (axes reversed or
// permuted: a NIfTI mask whose image became a DICOM series, whose slices
// always run along the normal) is reordered onto ref. Any other grid is an
// error that prints both grids.
func ReadLabelMapOn(path string, ref volume.Grid) (*volume.Volume, error) {
	if p, _, ok := dicomSource(path); ok {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			v, err := readDICOMLabelMap(p, &ref) // RTSTRUCT, SEG: placed on ref
			if err != nil {
				return nil, err
			}
			v.Grid = ref
			return v, nil
		}
	}
	v, err := ReadLabelMap(path)
	if err != nil {
		return nil, err
	}
	if v.SameGrid(ref, volume.DefaultTolerance) == nil {
		v.Grid = ref
		return v, nil
	}
	off, ok := subBox(v.Grid, ref)
	if !ok {
		if perm, o, same := sameVoxels(v.Grid, ref); same {
			if out, ok := reorderTo(v, ref, perm, o); ok {
				return out, nil // the image's voxels in another index order
			}
		}
		return nil, fmt.Errorf("%s: label map grid is not the image grid nor a voxel-aligned part of it: %v vs image %v", path, v.Grid, ref)
	}
	return padTo(v, ref, off), nil
}

// subBox reports whether g is a voxel-aligned sub-box of ref, and its
// offset in ref's voxels.
func subBox(g, ref volume.Grid) ([3]int, bool) {
	var off [3]int
	tol := volume.DefaultTolerance
	for a := range 3 {
		if math.Abs(g.Spacing[a]-ref.Spacing[a]) > tol*ref.Spacing[a] {
			return off, false
		}
	}
	for k := range 9 {
		if math.Abs(g.Direction[k]-ref.Direction[k]) > tol {
			return off, false
		}
	}
	idx := ref.PhysicalToIndex(g.Origin)
	for a := range 3 {
		r := math.Round(idx[a])
		if math.Abs(idx[a]-r) > tol || r < 0 || int(r)+g.Dims[a] > ref.Dims[a] {
			return off, false
		}
		off[a] = int(r)
	}
	return off, true
}

// ReadGrid reads only the header of the image or label map at path and
// returns its grid, so that grids can be checked before voxels are read.
func ReadGrid(path string) (volume.Grid, error) {
	if _, _, ok := dicomSource(path); ok {
		v, err := ReadImage(path) // DICOM: the series is read in full
		if err != nil {
			return volume.Grid{}, err
		}
		return v.Grid, nil
	}
	switch FormatOf(path) {
	case NIfTI:
		h, err := nifti.ReadHeaderFile(path) // checks the grid, naming the file
		if err != nil {
			return volume.Grid{}, err
		}
		return h.Grid()
	case NRRD, SlicerSeg:
		h, err := nrrd.ReadHeaderFile(path)
		if err != nil {
			return volume.Grid{}, err
		}
		g, _, err := h.Grid()
		if err != nil {
			return volume.Grid{}, fmt.Errorf("%s: %w", path, err)
		}
		return g, nil
	}
	return volume.Grid{}, unknown(path)
}
