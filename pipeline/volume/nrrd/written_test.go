package nrrd

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

var update = flag.Bool("update", false, "rewrite testdata/volume/nrrd/written/ (then rerun make_nrrd_fixtures.sh)")

// writtenVolume is the oblique test grid with values that exercise the
// sign and the fraction of each type.
func writtenVolume(frac bool) *volume.Volume {
	v := volume.New(obliqueGrid())
	for i := range v.Data {
		x := float64((i*37)%200 - 70)
		if frac {
			x = float64(float32(x * 0.37))
		}
		v.Data[i] = x
	}
	return v
}

// TestWrittenGolden: Encode reproduces the committed files byte for byte,
// and teem's unu (Debian teem-apps 1.12.0~20160122-5) read from them, by
// make_nrrd_fixtures.sh, the values written (F.values.txt) and the
// geometry (F.head.txt: the header teem writes back after parsing the
// file, so its numbers are teem's).
func TestWrittenGolden(t *testing.T) {
	dir := filepath.Join(testdata, "volume/nrrd/written")
	cases := map[string]struct {
		v *volume.Volume
		o Options
	}{
		"float_gzip.nrrd":  {writtenVolume(true), Options{}},
		"int16_raw.nrrd":   {writtenVolume(false), Options{Type: Int16, Raw: true}},
		"double_gzip.nrrd": {writtenVolume(true), Options{Type: Float64}},
	}
	for name, c := range cases {
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
			t.Errorf("%s: Encode output differs from the committed file", name)
		}
		// teem's values.
		teem := readValues(t, p+".values.txt")
		if len(teem) != len(c.v.Data) {
			t.Fatalf("%s: teem read %d values, wrote %d", name, len(teem), len(c.v.Data))
		}
		for i, x := range c.v.Data {
			if !close(teem[i], x, 1e-6) {
				t.Fatalf("%s: teem read voxel %d as %g, wrote %g", name, i, teem[i], x)
			}
		}
		// teem's header: the same space directions and origin, parsed by teem.
		head, err := os.ReadFile(p + ".head.txt")
		if err != nil {
			t.Fatal(err)
		}
		h, err := DecodeHeader(bytes.NewReader(append(head, '\n')))
		if err != nil {
			t.Fatalf("%s: teem's header: %v", name, err)
		}
		g, _, err := h.Grid()
		if err != nil {
			t.Fatal(err)
		}
		for k := range 9 {
			if math.Abs(g.Direction[k]-c.v.Direction[k]) > 1e-15 {
				t.Errorf("%s: direction after teem %v, wrote %v", name, g.Direction, c.v.Direction)
				break
			}
		}
		for a := range 3 {
			if !close(g.Spacing[a], c.v.Spacing[a], 1e-15) {
				t.Errorf("%s: spacing after teem %v, wrote %v", name, g.Spacing, c.v.Spacing)
			}
		}
		if g.Origin != c.v.Origin || !strings.Contains(string(head), "left-posterior-superior") {
			t.Errorf("%s: origin after teem %v, wrote %v", name, g.Origin, c.v.Origin)
		}
	}
}
