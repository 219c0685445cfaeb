package nifti

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

var update = flag.Bool("update", false, "rewrite testdata/volume/nifti_written/ (then rerun make_nifti_fixtures.py)")

// writtenCases are volumes this package writes; nibabel's reading of the
// committed files is in nifti_expected.json (checked by TestNibabel).
func writtenCases() map[string]struct {
	v *volume.Volume
	o Options
} {
	mk := func(g volume.Grid, f func(i, j, k int) float64) *volume.Volume {
		v := volume.New(g)
		for k := range g.Dims[2] {
			for j := range g.Dims[1] {
				for i := range g.Dims[0] {
					v.Set(i, j, k, f(i, j, k))
				}
			}
		}
		return v
	}
	sag := volume.Grid{Dims: [3]int{6, 5, 4}, Spacing: [3]float64{0.8, 0.8, 3},
		Origin: [3]float64{14, -2.9, -206.6}, Direction: [9]float64{0, 0, -1, 1, 0, 0, 0, 1, 0}}
	return map[string]struct {
		v *volume.Volume
		o Options
	}{
		"oblique_float32.nii": {mk(obliqueGrid(false), func(i, j, k int) float64 {
			return float64(float32(math.Sin(float64(i*j+k)) * 100))
		}), Options{}},
		"reflect_int16_v2.nii.gz": {mk(obliqueGrid(true), func(i, j, k int) float64 {
			return float64(i - 2*j + 7*k)
		}), Options{Datatype: Int16, Version: 2, Compress: true}},
		"sagittal_uint8.nii": {mk(sag, func(i, j, k int) float64 {
			return float64((i + j + k) % 3)
		}), Options{Datatype: Uint8}},
	}
}

// TestWrittenGolden: Encode reproduces the committed files byte for byte,
// so nibabel's reading of them (TestNibabel) describes what Encode writes.
func TestWrittenGolden(t *testing.T) {
	dir := filepath.Join(testdata, "volume", "nifti_written")
	for name, c := range writtenCases() {
		var buf bytes.Buffer
		if err := Encode(&buf, c.v, &c.o); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if *update {
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: Encode output differs from the committed file (run go test -update, then make_nifti_fixtures.py)", name)
		}
		got, err := Decode(bytes.NewReader(want))
		if err != nil {
			t.Fatal(err)
		}
		// NIfTI-1 stores the geometry in float32.
		if !gridClose(got.Grid, c.v.Grid, 1e-6) {
			t.Errorf("%s: grid %v, wrote %v", name, got.Grid, c.v.Grid)
		}
	}
}

// gridClose compares two grids component by component, each within rel
// of its value (and of 1 for values near 0).
func gridClose(a, b volume.Grid, rel float64) bool {
	if a.Dims != b.Dims {
		return false
	}
	for k := range 3 {
		if !close(a.Spacing[k], b.Spacing[k], rel) || !close(a.Origin[k], b.Origin[k], rel) {
			return false
		}
	}
	for k := range 9 {
		if !close(a.Direction[k], b.Direction[k], rel) {
			return false
		}
	}
	return true
}
