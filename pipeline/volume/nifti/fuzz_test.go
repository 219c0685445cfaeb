package nifti

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: Decode and DecodeHeader never panic, and a decoded volume
// is consistent. Seeds are the committed fixtures and the IBSI phantom.
// Run with: go test -run '^$' -fuzz FuzzDecode -fuzztime 15s ./pipeline/volume/nifti
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(testdata, "volume/nifti/*.nii*"))
	seeds = append(seeds, filepath.Join(testdata, "ibsi1/ibsi_1_digital_phantom/nifti/image/phantom.nii.gz"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(valid(f, 1))
	f.Add(valid(f, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		DecodeHeader(bytes.NewReader(b))
		v, err := Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(v.Data) != v.Len() {
			t.Fatalf("%d voxels for dims %v", len(v.Data), v.Dims)
		}
	})
}
