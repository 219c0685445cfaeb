package dicom

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/volume"
)

// fuzzSeeds adds the pydicom and dcmjs test files as seeds.
func fuzzSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("../../../testdata/dicom", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// oneLine fails the fuzz case when err is a multi-line or empty message.
func oneLine(t *testing.T, err error) {
	if err == nil {
		return
	}
	if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error is not one line: %q", msg)
	}
}

// FuzzReadImage: any bytes, parsed as a DICOM file and assembled as a
// one-file series, end in a volume on a valid grid or a one-line error —
// never a panic, and never an allocation the 64 MiB budget refuses.
func FuzzReadImage(f *testing.F) {
	fuzzSeeds(f, "pydicom/MR_small.dcm", "pydicom/MR_small_implicit.dcm", "pydicom/MR_small_bigendian.dcm",
		"pydicom/MR_small_RLE.dcm", "pydicom/image_dfl.dcm", "pydicom/CT_small.dcm", "pydicom/MR_truncated.dcm",
		"pydicom/no_meta.dcm")
	membudget.Set(64 << 20)
	defer membudget.Set(0)
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := parseBytes(b)
		oneLine(t, err)
		if err != nil {
			return
		}
		fl.path = "fuzz.dcm"
		v, err := buildVolume([]*file{fl})
		oneLine(t, err)
		if err == nil {
			if err := v.Grid.Check(); err != nil {
				t.Fatalf("volume on an invalid grid: %v", err)
			}
			if len(v.Data) != v.Len() {
				t.Fatalf("%d voxels for dims %v", len(v.Data), v.Dims)
			}
		}
	})
}

// FuzzRTStruct: any bytes read as an RTSTRUCT and rasterised on a small
// grid end in masks of 0 and 1 or a one-line error.
func FuzzRTStruct(f *testing.F) {
	fuzzSeeds(f, "pydicom/rtstruct.dcm")
	g := volume.Grid{Dims: [3]int{16, 16, 8}, Spacing: [3]float64{2, 2, 3}, Origin: [3]float64{-16, -16, -12}, Direction: volume.Identity}
	membudget.Set(64 << 20)
	defer membudget.Set(0)
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := parseBytes(b)
		oneLine(t, err)
		if err != nil {
			return
		}
		s, err := rtstructOf(fl)
		oneLine(t, err)
		if err != nil {
			return
		}
		segs, err := s.Segments(g)
		oneLine(t, err)
		for _, sg := range segs {
			for _, x := range sg.Mask.Data {
				if x != 0 && x != 1 {
					t.Fatalf("mask value %g", x)
				}
			}
		}
	})
}

// FuzzSEG: any bytes read as a DICOM-SEG, on the frames' own grid and on a
// fixed grid, end in binary masks or a one-line error.
func FuzzSEG(f *testing.F) {
	fuzzSeeds(f, "seg/seg_binary.dcm", "pydicom/liver_1frame.dcm")
	g := volume.Grid{Dims: [3]int{99, 99, 29}, Spacing: [3]float64{0.8, 0.8, 0.8}, Origin: [3]float64{-8.4, -2.92, -206.62},
		Direction: [9]float64{0, 0, 1, 1, 0, 0, 0, 1, 0}}
	membudget.Set(64 << 20)
	defer membudget.Set(0)
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := parseBytes(b)
		oneLine(t, err)
		if err != nil {
			return
		}
		for _, ref := range []*volume.Grid{nil, &g} {
			segs, err := segOf(fl, ref)
			oneLine(t, err)
			for _, sg := range segs {
				for _, x := range sg.Mask.Data {
					if x != 0 && x != 1 {
						t.Fatalf("mask value %g", x)
					}
				}
			}
		}
	})
}
