package nrrd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: Decode, DecodeHeader and the segmentation reader never
// panic, and a decoded volume is consistent. Seeds are the committed
// attached NRRD files (teem, pynrrd, slicerio, pyradiomics' breast1).
// Run with: go test -run '^$' -fuzz FuzzDecode -fuzztime 15s ./pipeline/volume/nrrd
func FuzzDecode(f *testing.F) {
	var seeds []string
	for _, g := range []string{"volume/nrrd/teem/*.nrrd", "volume/nrrd/pynrrd/*.nrrd", "pyradiomics/breast1_*.nrrd"} {
		m, _ := filepath.Glob(filepath.Join(testdata, g))
		seeds = append(seeds, m...)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(valid(f))
	f.Add([]byte("NRRD0004\ntype: uchar\ndimension: 4\nsizes: 2 2 1 1\nspace: LPS\n" +
		"space directions: none (1,0,0) (0,1,0) (0,0,1)\nkinds: list domain domain domain\nencoding: raw\n" +
		"Segment0_Name:=a\nSegment0_Layer:=0\nSegment0_LabelValue:=1\nSegment1_Name:=b\nSegment1_Layer:=1\n\n\x01\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		DecodeHeader(bytes.NewReader(b))
		h, data, err := decodeAll(bytes.NewReader(b), "")
		if err != nil {
			return
		}
		if len(data) != h.count() {
			t.Fatalf("%d elements for sizes %v", len(data), h.Sizes)
		}
		if s, err := h.segmentation(data); err == nil {
			for i := range s.Segments {
				s.Mask(i)
			}
		}
		v, err := h.volume(data)
		if err == nil && len(v.Data) != v.Len() {
			t.Fatalf("%d voxels for dims %v", len(v.Data), v.Dims)
		}
	})
}
