package nrrd

import (
	"path/filepath"
	"testing"
)

// BenchmarkReadBrain1 reads pyradiomics' brain1 image: 256×256×25 int16,
// gzip (2 MB).
func BenchmarkReadBrain1(b *testing.B) {
	p := filepath.Join(testdata, "pyradiomics/brain1_image.nrrd")
	b.SetBytes(256 * 256 * 25 * 2)
	for b.Loop() {
		if _, err := ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
}
