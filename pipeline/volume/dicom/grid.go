package dicom

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/scirad/scirad/pipeline/volume"
)

// seen records the grid of every series ReadSeries has read in this
// process, by SeriesInstanceUID, so that an RTSTRUCT read after its image
// finds the grid it was drawn on without searching the disk.
var seen sync.Map // string → volume.Grid

// MaxSearchFiles bounds the files ReferencedGrid looks at.
const MaxSearchFiles = 100000

// ReferencedGrid returns the grid of the image series an RTSTRUCT was drawn
// on (RTStruct.SeriesUID): the series read earlier in this process by
// ReadSeries, else the one found among the files of the RTSTRUCT's folder
// and then of its parent folder (each searched recursively).
func ReferencedGrid(s *RTStruct) (volume.Grid, error) {
	if s.SeriesUID == "" {
		return volume.Grid{}, fmt.Errorf("%s: no referenced series (3006,0014) RTReferencedSeriesSequence: give the image grid", s.Path)
	}
	if g, ok := seen.Load(s.SeriesUID); ok {
		return g.(volume.Grid), nil
	}
	dir := filepath.Dir(s.Path)
	for _, d := range []string{dir, filepath.Dir(dir)} {
		files, err := listFiles(d)
		if err != nil || len(files) > MaxSearchFiles {
			continue
		}
		var match []*file
		for _, p := range files {
			if p == s.Path || !IsDICOMFile(p) {
				continue
			}
			f, err := readFile(p)
			if err != nil || f.str(tSeriesUID) != s.SeriesUID {
				continue
			}
			match = append(match, f)
		}
		if len(match) > 0 {
			v, err := buildVolume(match)
			if err != nil {
				return volume.Grid{}, fmt.Errorf("%s: referenced series %s: %w", s.Path, s.SeriesUID, err)
			}
			seen.Store(s.SeriesUID, v.Grid)
			return v.Grid, nil
		}
	}
	return volume.Grid{}, fmt.Errorf("%s: referenced image series %s not found in %s or %s: read the image first or give its grid", s.Path, s.SeriesUID, dir, filepath.Dir(dir))
}

// ReadMasks reads the segments of an RTSTRUCT or a DICOM-SEG file. With ref
// nil, an RTSTRUCT is rasterised on ReferencedGrid and a SEG is read on the
// grid its frames span (see ReadSEG); otherwise both are placed on ref.
func ReadMasks(path string, ref *volume.Grid) ([]Segment, error) {
	f, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return masksOf(path, f, ref)
}

// ReadMasksData is ReadMasks on a file held in memory; an RTSTRUCT needs
// ref there (no folder to search).
func ReadMasksData(fd File, ref *volume.Grid) ([]Segment, error) {
	f, err := parseBytes(fd.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fd.Name, err)
	}
	f.path = fd.Name
	if ref == nil && f.str(tSOPClass) == sopRTStruct {
		return nil, fmt.Errorf("%s: an RTSTRUCT needs its image: load the image first", fd.Name)
	}
	return masksOf(fd.Name, f, ref)
}

func masksOf(path string, f *file, ref *volume.Grid) ([]Segment, error) {
	switch f.str(tSOPClass) {
	case sopRTStruct:
		s, err := rtstructOf(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s.Path = path
		var g volume.Grid
		if ref != nil {
			g = *ref
		} else if g, err = ReferencedGrid(s); err != nil {
			return nil, err
		}
		return s.Segments(g)
	case sopSEG:
		segs, err := segOf(f, ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return segs, nil
	}
	return nil, fmt.Errorf("%s: (0008,0016) SOPClassUID %q (modality %q): not an RTSTRUCT or a DICOM-SEG", path, f.str(tSOPClass), f.str(tModality))
}
