package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
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
