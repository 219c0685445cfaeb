package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/dicom"
	"github.com/scirad/scirad/pipeline/volume/nifti"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

// MaxVoxels bounds the images the page accepts (16 Mi voxels, 128 MiB as
// float64, several times a clinical sagittal T2 series): a browser tab has
// far less memory than volume.MaxVoxels allows, the image and its label map
// are both held, and a WebAssembly out-of-memory ends the program.
const MaxVoxels = 1 << 24

// isNRRD reports whether the file is a NRRD, from its name or, failing
// that, its magic.
func isNRRD(name string, data []byte) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".nrrd") || strings.HasSuffix(n, ".nhdr") {
		return true
	}
	if strings.HasSuffix(n, ".nii") || strings.HasSuffix(n, ".nii.gz") {
		return false
	}
	return bytes.HasPrefix(data, []byte("NRRD000"))
}

// decodeVolume decodes a NIfTI (plain or gzip) or attached NRRD file from
// its bytes, after checking from the header that it has at most MaxVoxels
// voxels. With labelMap, every voxel must be a non-negative whole number
// (the data contract's label map, as volio.ReadLabelMap checks). Errors
// start with the file's name.
func decodeVolume(name string, data []byte, labelMap bool) (*volume.Volume, error) {
	v, err := decode(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if labelMap {
		for idx, x := range v.Data {
			if x != math.Trunc(x) || x < 0 || x > math.MaxInt32 {
				i, j, k := v.Coords(idx)
				return nil, fmt.Errorf("%s: label map voxel (%d,%d,%d) is %g: labels must be non-negative whole numbers", name, i, j, k, x)
			}
		}
	}
	return v, nil
}

func decode(name string, data []byte) (*volume.Volume, error) {
	if files, ok := dicomFiles(name, data); ok {
		v, err := dicom.ReadSeriesData(nil, files...)
		if err != nil {
			return nil, err
		}
		if n := v.Len(); n > MaxVoxels {
			return nil, fmt.Errorf("dimensions %d×%d×%d (%d voxels) exceed the browser demo's limit of %d voxels", v.Dims[0], v.Dims[1], v.Dims[2], n, MaxVoxels)
		}
		return v, nil
	}
	var g volume.Grid
	nr := isNRRD(name, data)
	if nr {
		h, err := nrrd.DecodeHeader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if g, _, err = h.Grid(); err != nil {
			return nil, err
		}
	} else {
		h, err := nifti.DecodeHeader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w (want a NIfTI .nii/.nii.gz or NRRD .nrrd file)", err)
		}
		if g, err = h.Grid(); err != nil {
			return nil, err
		}
	}
	n := int64(g.Dims[0]) * int64(g.Dims[1]) * int64(g.Dims[2])
	if n > MaxVoxels {
		return nil, fmt.Errorf("dimensions %d×%d×%d (%d voxels) exceed the browser demo's limit of %d voxels", g.Dims[0], g.Dims[1], g.Dims[2], n, MaxVoxels)
	}
	if nr {
		return nrrd.Decode(bytes.NewReader(data))
	}
	return nifti.Decode(bytes.NewReader(data))
}

// filesMagic starts the bytes app.js sends for several dropped files (a
// DICOM series): then, per file, a big-endian uint32 name length, the name,
// a uint32 data length and the data.
const filesMagic = "SCIRAD-FILES\n"

// dicomFiles returns the DICOM files in data: the files app.js packed, or
// data itself when it is one DICOM file (".dcm", or the DICM preamble).
func dicomFiles(name string, data []byte) ([]dicom.File, bool) {
	if !bytes.HasPrefix(data, []byte(filesMagic)) {
		dcm := strings.HasSuffix(strings.ToLower(name), ".dcm") || (len(data) >= 132 && string(data[128:132]) == "DICM")
		return []dicom.File{{Name: name, Data: data}}, dcm
	}
	var files []dicom.File
	b := data[len(filesMagic):]
	next := func() ([]byte, bool) {
		if len(b) < 4 {
			return nil, false
		}
		n := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
		if n > uint64(len(b)-4) {
			return nil, false
		}
		v := b[4 : 4+n]
		b = b[4+n:]
		return v, true
	}
	for len(b) > 0 {
		n, ok1 := next()
		d, ok2 := next()
		if !ok1 || !ok2 {
			return []dicom.File{{Name: name, Data: nil}}, true // ReadSeriesData: no DICOM file
		}
		files = append(files, dicom.File{Name: string(n), Data: d})
	}
	return files, true
}
