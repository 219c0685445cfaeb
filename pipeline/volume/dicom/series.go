package dicom

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// SOP classes that are not images.
const (
	sopRTStruct = "1.2.840.10008.5.1.4.1.1.481.3"
	sopSEG      = "1.2.840.10008.5.1.4.1.1.66.4"
)

// Series describes one series found in a folder.
type Series struct {
	UID         string   // SeriesInstanceUID (0020,000E)
	Description string   // SeriesDescription (0008,103E)
	Number      int      // SeriesNumber (0020,0011), 0 when absent
	Modality    string   // Modality (0008,0060): CT, MR, RTSTRUCT, SEG, …
	Files       []string // the series' files, in name order
}

// IsImage reports whether the series holds images (not RTSTRUCT or SEG).
func (s Series) IsImage() bool {
	return s.Modality != "RTSTRUCT" && s.Modality != "SEG" && s.Modality != "RTPLAN" && s.Modality != "RTDOSE" && s.Modality != "SR"
}

// String is the series on one line: UID, number, description, file count.
func (s Series) String() string {
	return fmt.Sprintf("%s (number %d, %q, %s, %d files)", s.UID, s.Number, s.Description, s.Modality, len(s.Files))
}

// IsDICOMFile reports whether path is a file that starts with the DICOM
// preamble and "DICM", reading only its first 132 bytes.
func IsDICOMFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 132)
	n, _ := f.Read(b)
	return hasMagic(b[:n])
}

// listFiles returns the regular files under dir (recursively), sorted,
// skipping hidden files and a DICOMDIR index.
func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !strings.EqualFold(name, "DICOMDIR") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// scan parses every DICOM file among paths (a file that is not DICOM at
// all, such as a README, is skipped; a damaged DICOM file is an error).
func scan(paths []string) ([]*file, error) {
	var out []*file
	for _, p := range paths {
		f, err := readFile(p)
		if errors.Is(err, errNotDICOM) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// expand turns a folder or a list of files into a list of files.
func expand(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			fs, err := listFiles(p)
			if err != nil {
				return nil, err
			}
			files = append(files, fs...)
		} else {
			files = append(files, p)
		}
	}
	return files, nil
}

func groupSeries(files []*file) ([]Series, map[string][]*file) {
	by := map[string][]*file{}
	var order []string
	info := map[string]Series{}
	for _, f := range files {
		u := f.str(tSeriesUID)
		if _, ok := by[u]; !ok {
			order = append(order, u)
			n, _ := f.int1(tSeriesNumber, "SeriesNumber", 0)
			info[u] = Series{UID: u, Description: f.str(tSeriesDesc), Number: n, Modality: f.str(tModality)}
			if sc := f.str(tSOPClass); sc == sopRTStruct {
				s := info[u]
				s.Modality = "RTSTRUCT"
				info[u] = s
			} else if sc == sopSEG {
				s := info[u]
				s.Modality = "SEG"
				info[u] = s
			}
		}
		by[u] = append(by[u], f)
	}
	var out []Series
	for _, u := range order {
		s := info[u]
		for _, f := range by[u] {
			s.Files = append(s.Files, f.path)
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Number < out[b].Number })
	return out, by
}

// ListSeries lists the series in a folder (searched recursively) or a
// list of files.
func ListSeries(paths ...string) ([]Series, error) {
	files, err := expand(paths)
	if err != nil {
		return nil, err
	}
	fs, err := scan(files)
	if err != nil {
		return nil, err
	}
	s, _ := groupSeries(fs)
	return s, nil
}

// Options selects what ReadSeries reads.
type Options struct {
	// Series picks one series when the files hold several image series:
	// a SeriesInstanceUID, a SeriesNumber, or a SeriesDescription
	// (compared without regard to case). Empty: the files must hold
	// exactly one image series.
	Series string
}

// ReadSeries reads one image series from a folder (searched recursively)
// or a list of files, as described in the package doc.
func ReadSeries(o *Options, paths ...string) (*volume.Volume, error) {
	name := strings.Join(paths, ", ")
	files, err := expand(paths)
	if err != nil {
		return nil, err
	}
	all, err := scan(files)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no DICOM file among %d files", name, len(files))
	}
	return pickSeries(name, all, o)
}

// File is a DICOM file held in memory (a file dropped on the browser demo).
type File struct {
	Name string
	Data []byte
}

// ReadSeriesData is ReadSeries on files held in memory; Name only serves
// in messages. Data that is not DICOM at all is skipped.
func ReadSeriesData(o *Options, files ...File) (*volume.Volume, error) {
	name := fmt.Sprintf("%d dropped files", len(files))
	if len(files) == 1 {
		name = files[0].Name
	}
	var all []*file
	for _, fd := range files {
		f, err := parseBytes(fd.Data)
		if errors.Is(err, errNotDICOM) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fd.Name, err)
		}
		f.path = fd.Name
		all = append(all, f)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no DICOM file", name)
	}
	return pickSeries(name, all, o)
}

// pickSeries chooses the image series among files (see Options) and
// builds its volume.
func pickSeries(name string, all []*file, o *Options) (*volume.Volume, error) {
	series, by := groupSeries(all)
	var images []Series
	for _, s := range series {
		if s.IsImage() {
			images = append(images, s)
		}
	}
	want := ""
	if o != nil {
		want = o.Series
	}
	var pick []Series
	for _, s := range images {
		if want == "" || s.UID == want || strings.EqualFold(s.Description, want) || strconv.Itoa(s.Number) == want {
			pick = append(pick, s)
		}
	}
	list := func(ss []Series) string {
		var b []string
		for _, s := range ss {
			b = append(b, s.String())
		}
		return strings.Join(b, "; ")
	}
	switch {
	case len(images) == 0:
		return nil, fmt.Errorf("%s: no image series, only %s", name, list(series))
	case len(pick) == 0:
		return nil, fmt.Errorf("%s: no image series matches %q: %s", name, want, list(images))
	case len(pick) > 1:
		return nil, fmt.Errorf("%s: %d image series: %s; choose one by SeriesInstanceUID, number or description", name, len(pick), list(pick))
	}
	v, err := buildVolume(by[pick[0].UID])
	if err != nil {
		if strings.HasPrefix(err.Error(), name+":") { // one file, already named
			return nil, fmt.Errorf("%w (series %s)", err, pick[0].UID)
		}
		return nil, fmt.Errorf("%s: series %s: %w", name, pick[0].UID, err)
	}
	seen.Store(pick[0].UID, v.Grid)
	return v, nil
}

// slice is one 2D frame of a series and its geometry.
type slice struct {
	f                *file
	frame            int
	ipp              [3]float64
	iop              [6]float64
	ps               [2]float64 // row spacing, column spacing
	slope, intercept float64
	thick, between   float64
	pos              float64 // along the normal
}

// frameGroup returns the item of sequence t that applies to frame i: the
// per-frame functional group's, else the shared one's.
func frameGroup(f *file, i int, t uint32) *dataset {
	if pf := f.seq(tPerFrameFG); i < len(pf) {
		if d := pf[i].first(t); d != nil {
			return d
		}
	}
	if sh := f.first(tSharedFG); sh != nil {
		return sh.first(t)
	}
	return nil
}

// slices returns the frames of a file with their geometry.
func slices(f *file) ([]slice, error) {
	nf, err := f.int1(tNumFrames, "NumberOfFrames", 1)
	if err != nil {
		return nil, err
	}
	if nf < 1 || nf > volume.MaxVoxels {
		return nil, fmt.Errorf("(0028,0008) NumberOfFrames %d: want 1 to %d", nf, volume.MaxVoxels)
	}
	enhanced := f.has(tPerFrameFG) || f.has(tSharedFG)
	if nf > 1 && !enhanced {
		return nil, fmt.Errorf("(0028,0008) NumberOfFrames %d without per-frame functional groups (5200,9230): frame positions unknown", nf)
	}
	if enhanced && len(f.seq(tPerFrameFG)) != nf {
		return nil, fmt.Errorf("(5200,9230) PerFrameFunctionalGroupsSequence has %d items for %d frames", len(f.seq(tPerFrameFG)), nf)
	}
	out := make([]slice, 0, min(nf, 1<<16))
	for i := range nf {
		s := slice{f: f, frame: i, slope: 1}
		pos, orient, meas, trans := f.dataset, f.dataset, f.dataset, f.dataset
		if enhanced {
			pos, orient, meas, trans = frameGroup(f, i, tPlanePosSeq), frameGroup(f, i, tPlaneOrSeq), frameGroup(f, i, tPixMeasSeq), frameGroup(f, i, tPixValTrSeq)
			if pos == nil || orient == nil || meas == nil {
				return nil, fmt.Errorf("frame %d: no PlanePositionSequence, PlaneOrientationSequence or PixelMeasuresSequence in the functional groups", i+1)
			}
		}
		ipp, err := pos.nfloats(tIPP, "ImagePositionPatient", 3)
		if err != nil {
			return nil, err
		}
		iop, err := orient.nfloats(tIOP, "ImageOrientationPatient", 6)
		if err != nil {
			return nil, err
		}
		ps, err := meas.nfloats(tPixelSpacing, "PixelSpacing", 2)
		if err != nil {
			return nil, err
		}
		copy(s.ipp[:], ipp)
		copy(s.iop[:], iop)
		copy(s.ps[:], ps)
		if !(ps[0] > 0 && ps[1] > 0) {
			return nil, fmt.Errorf("(0028,0030) PixelSpacing %v: want positive values", ps)
		}
		if th, _ := meas.floats(tSliceThick); len(th) > 0 {
			s.thick = th[0]
		}
		if sb, _ := meas.floats(tSpacingSlices); len(sb) > 0 {
			s.between = sb[0]
		}
		if trans != nil {
			if v, err := trans.floats(tSlope); err != nil {
				return nil, fmt.Errorf("RescaleSlope %w", err)
			} else if len(v) > 0 {
				s.slope = v[0]
			}
			if v, err := trans.floats(tIntercept); err != nil {
				return nil, fmt.Errorf("RescaleIntercept %w", err)
			} else if len(v) > 0 {
				s.intercept = v[0]
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// normal returns the unit row, column and normal vectors of an
// orientation, or an error when it is not two orthogonal unit vectors.
func normal(iop [6]float64) (r, c, n [3]float64, err error) {
	copy(r[:], iop[:3])
	copy(c[:], iop[3:])
	nr, nc := norm(r), norm(c)
	if math.Abs(nr-1) > 1e-3 || math.Abs(nc-1) > 1e-3 || math.Abs(dot(r, c)) > 1e-3 {
		return r, c, n, fmt.Errorf("(0020,0037) ImageOrientationPatient %v: want two orthogonal unit vectors", iop)
	}
	for a := range 3 {
		r[a] /= nr
		c[a] /= nc
	}
	n = cross(r, c)
	return r, c, n, nil
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func norm(a [3]float64) float64   { return math.Sqrt(dot(a, a)) }
func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// SpacingTolerance is the largest relative difference between slice gaps
// that still counts as uniform spacing.
const SpacingTolerance = 1e-2

// sliceName names a slice in messages.
func (s slice) name() string {
	if len(s.f.seq(tPerFrameFG)) > 0 {
		return fmt.Sprintf("%s frame %d", filepath.Base(s.f.path), s.frame+1)
	}
	return filepath.Base(s.f.path)
}

// stackGeometry orders slices along the normal and derives the grid.
func stackGeometry(ss []slice) (volume.Grid, error) {
	var g volume.Grid
	first := ss[0]
	r, c, n, err := normal(first.iop)
	if err != nil {
		return g, fmt.Errorf("%s: %w", first.name(), err)
	}
	for _, s := range ss[1:] {
		for a := range 6 {
			if math.Abs(s.iop[a]-first.iop[a]) > 1e-4 {
				return g, fmt.Errorf("mixed orientations: %s has ImageOrientationPatient %v, %s has %v", first.name(), first.iop, s.name(), s.iop)
			}
		}
		if math.Abs(s.ps[0]-first.ps[0]) > 1e-4*first.ps[0] || math.Abs(s.ps[1]-first.ps[1]) > 1e-4*first.ps[1] {
			return g, fmt.Errorf("mixed pixel spacing: %s has PixelSpacing %v, %s has %v", first.name(), first.ps, s.name(), s.ps)
		}
	}
	for i := range ss {
		ss[i].pos = dot(ss[i].ipp, n)
	}
	sort.SliceStable(ss, func(a, b int) bool { return ss[a].pos < ss[b].pos })
	dz := 0.0
	if len(ss) == 1 {
		dz = first.between
		if !(dz > 0) {
			dz = first.thick
		}
		if !(dz > 0) {
			dz = 1
		}
	} else {
		for i := 1; i < len(ss); i++ {
			if ss[i].pos-ss[i-1].pos < 1e-4 {
				return g, fmt.Errorf("%s and %s are at the same position %v along the slice normal (several stacks, echoes or time points in one series?)", ss[i-1].name(), ss[i].name(), ss[i].ipp)
			}
		}
		dz = (ss[len(ss)-1].pos - ss[0].pos) / float64(len(ss)-1)
		gaps := make([]float64, len(ss)-1)
		for i := range gaps {
			gaps[i] = ss[i+1].pos - ss[i].pos
		}
		sorted := append([]float64(nil), gaps...)
		sort.Float64s(sorted)
		med := sorted[len(sorted)/2]
		worst := 0
		for i, gap := range gaps {
			if math.Abs(gap-med) > math.Abs(gaps[worst]-med) {
				worst = i
			}
		}
		if gap := gaps[worst]; math.Abs(gap-med) > SpacingTolerance*med || math.Abs(dz-med) > SpacingTolerance*med {
			return g, fmt.Errorf("non-uniform slice spacing: %s and %s are %.4g mm apart, most neighbours %.4g mm (a missing slice?)", ss[worst].name(), ss[worst+1].name(), gap, med)
		}
		// Gantry tilt: the slices' positions must move along the normal.
		last := ss[len(ss)-1]
		d := [3]float64{last.ipp[0] - ss[0].ipp[0], last.ipp[1] - ss[0].ipp[1], last.ipp[2] - ss[0].ipp[2]}
		if off := norm(cross(d, n)) / norm(d); off > 1e-3 {
			return g, fmt.Errorf("slices are not stacked along the normal of their planes (gantry tilt of %.2f degrees?): refused, resample the series first", math.Asin(math.Min(1, off))*180/math.Pi)
		}
	}
	g.Origin = ss[0].ipp
	g.Spacing = [3]float64{first.ps[1], first.ps[0], dz}
	for a := range 3 {
		g.Direction[3*a] = r[a]
		g.Direction[3*a+1] = c[a]
		g.Direction[3*a+2] = n[a]
	}
	return g, nil
}

// pixelFormat is the image pixel module of a file.
type pixelFormat struct {
	rows, cols, frames                       int
	bitsAlloc, bitsStored, highBit, pixelRep int
}

func readPixelFormat(f *file) (pixelFormat, error) {
	var p pixelFormat
	var err error
	get := func(t uint32, name string, def int) int {
		if err != nil {
			return 0
		}
		var v int
		v, err = f.int1(t, name, def)
		return v
	}
	p.rows = get(tRows, "Rows", 0)
	p.cols = get(tColumns, "Columns", 0)
	p.frames = get(tNumFrames, "NumberOfFrames", 1)
	p.bitsAlloc = get(tBitsAlloc, "BitsAllocated", 0)
	p.bitsStored = get(tBitsStored, "BitsStored", p.bitsAlloc)
	p.highBit = get(tHighBit, "HighBit", p.bitsStored-1)
	p.pixelRep = get(tPixelRep, "PixelRepresentation", 0)
	spp := get(tSamples, "SamplesPerPixel", 1)
	if err != nil {
		return p, err
	}
	switch {
	case p.rows < 1 || p.cols < 1 || p.rows > 1<<16 || p.cols > 1<<16:
		return p, fmt.Errorf("(0028,0010) Rows %d, (0028,0011) Columns %d: want 1 to 65536", p.rows, p.cols)
	case p.frames < 1 || p.frames > volume.MaxVoxels:
		return p, fmt.Errorf("(0028,0008) NumberOfFrames %d: want 1 to %d", p.frames, volume.MaxVoxels)
	case p.bitsAlloc != 1 && p.bitsAlloc != 8 && p.bitsAlloc != 16 && p.bitsAlloc != 32:
		return p, fmt.Errorf("(0028,0100) BitsAllocated %d: want 1, 8, 16 or 32", p.bitsAlloc)
	case p.bitsStored < 1 || p.bitsStored > p.bitsAlloc:
		return p, fmt.Errorf("(0028,0101) BitsStored %d: want 1 to BitsAllocated %d", p.bitsStored, p.bitsAlloc)
	case spp != 1:
		return p, fmt.Errorf("(0028,0002) SamplesPerPixel %d (%s): colour images are not read, want 1 (grey)", spp, f.str(tPhotometric))
	case p.pixelRep != 0 && p.pixelRep != 1:
		return p, fmt.Errorf("(0028,0103) PixelRepresentation %d: want 0 or 1", p.pixelRep)
	}
	if int64(p.rows)*int64(p.cols)*int64(p.frames) > volume.MaxVoxels {
		return p, fmt.Errorf("Rows %d × Columns %d × NumberOfFrames %d: over %d voxels", p.rows, p.cols, p.frames, volume.MaxVoxels)
	}
	if !f.has(tPixelData) {
		return p, errors.New("(7FE0,0010) PixelData: absent")
	}
	return p, nil
}

// buildVolume assembles a series' files into a volume.
func buildVolume(files []*file) (*volume.Volume, error) {
	var ss []slice
	var pf pixelFormat
	for i, f := range files {
		p, err := readPixelFormat(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
		if i == 0 {
			pf = p
		} else if p.rows != pf.rows || p.cols != pf.cols {
			return nil, fmt.Errorf("%s: %d×%d pixels, %s has %d×%d", f.path, p.cols, p.rows, files[0].path, pf.cols, pf.rows)
		}
		// Check the pixel data can be decoded before allocating anything.
		if _, err := frameDecoder(f, p); err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
		s, err := slices(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
		ss = append(ss, s...)
		if len(ss) > volume.MaxVoxels/(pf.rows*pf.cols) {
			return nil, fmt.Errorf("%d slices of %d×%d: over %d voxels", len(ss), pf.cols, pf.rows, volume.MaxVoxels)
		}
	}
	g, err := stackGeometry(ss)
	if err != nil {
		return nil, err
	}
	g.Dims = [3]int{pf.cols, pf.rows, len(ss)}
	if err := g.Check(); err != nil {
		return nil, err
	}
	if err := budgetCheck(fmt.Sprintf("dicom: %d slices of %d×%d", len(ss), pf.cols, pf.rows), 8*float64(g.Len())); err != nil {
		return nil, err
	}
	v := volume.New(g)
	n := pf.rows * pf.cols
	decoders := map[*file]func(int, []float64) error{}
	for k, s := range ss {
		dec := decoders[s.f]
		if dec == nil {
			p, _ := readPixelFormat(s.f)
			dec, _ = frameDecoder(s.f, p)
			decoders[s.f] = dec
		}
		out := v.Data[k*n : (k+1)*n]
		if err := dec(s.frame, out); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name(), err)
		}
		if s.slope != 1 || s.intercept != 0 {
			for i := range out {
				out[i] = out[i]*s.slope + s.intercept
			}
		}
	}
	return v, nil
}
