package nrrd

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

func obliqueGrid() volume.Grid {
	a := 0.4
	return volume.Grid{Dims: [3]int{6, 5, 3}, Spacing: [3]float64{0.47, 0.52, 3.3},
		Origin:    [3]float64{12.5, -40.25, 7.125},
		Direction: [9]float64{math.Cos(a), 0, -math.Sin(a), 0, -1, 0, math.Sin(a), 0, math.Cos(a)}}
}

// TestRoundTrip writes every type, raw and gzip, attached and detached,
// and reads it back: the grid exactly (floats are printed to round-trip)
// and the voxels exactly.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	for _, typ := range []Type{Int8, Uint8, Int16, Uint16, Int32, Uint32, Int64, Uint64, Float32, Float64} {
		v := &volume.Volume{Grid: obliqueGrid()}
		lo, end, isInt := typ.integer()
		for range v.Len() {
			x := rng.NormFloat64() * 50
			switch {
			case isInt:
				x = math.Max(lo, math.Min(end-1, math.Round(x)))
			case typ == Float32:
				x = float64(float32(x))
			}
			v.Data = append(v.Data, x)
		}
		for _, raw := range []bool{false, true} {
			for _, name := range []string{"a.nrrd", "b.nhdr"} {
				p := filepath.Join(dir, name)
				if err := WriteFile(p, v, &Options{Type: typ, Raw: raw}); err != nil {
					t.Fatal(err)
				}
				got, err := ReadFile(p)
				if err != nil {
					t.Fatalf("%s %s raw=%v: %v", typ, name, raw, err)
				}
				if got.Grid != v.Grid {
					if err := got.SameGrid(v.Grid, 1e-15); err != nil {
						t.Errorf("%s %s: %v", typ, name, err)
					}
				}
				for i := range v.Data {
					if got.Data[i] != v.Data[i] {
						t.Fatalf("%s %s raw=%v: voxel %d = %g, wrote %g", typ, name, raw, i, got.Data[i], v.Data[i])
					}
				}
			}
		}
	}
	// Detached with gzip: the data file sits beside the header.
	if _, err := os.Stat(filepath.Join(dir, "b.raw.gz")); err != nil {
		t.Error(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, volume.New(obliqueGrid()), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "type: float\n") || !strings.Contains(buf.String(), "encoding: gzip\n") {
		t.Errorf("default options: header\n%s", buf.String()[:200])
	}
}

// valid returns a small attached raw NRRD.
func valid(t testing.TB) []byte {
	v := volume.New(volume.NewGrid([3]int{4, 3, 2}, [3]float64{1, 1, 1}))
	var buf bytes.Buffer
	if err := Encode(&buf, v, &Options{Type: Int16, Raw: true}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBadInput: one-line errors naming the file and the field.
func TestBadInput(t *testing.T) {
	hdr := func(repl ...string) func([]byte) []byte {
		return func(b []byte) []byte {
			s := string(b)
			for i := 0; i < len(repl); i += 2 {
				s = strings.Replace(s, repl[i], repl[i+1], 1)
			}
			return []byte(s)
		}
	}
	cases := []struct {
		name, field string
		edit        func([]byte) []byte
	}{
		{"empty", "magic", func([]byte) []byte { return nil }},
		{"wrong magic", "magic", hdr("NRRD0004", "NRRD0009")},
		{"nifti", "magic", func([]byte) []byte { return []byte("\x5c\x01\x00\x00 not nrrd") }},
		{"missing type", "type", hdr("type: int16\n", "")},
		{"block type", "type", hdr("type: int16", "type: block")},
		{"bad dimension", "dimension", hdr("dimension: 3", "dimension: 0")},
		{"sizes count", "sizes", hdr("sizes: 4 3 2", "sizes: 4 3")},
		{"negative size", "sizes", hdr("sizes: 4 3 2", "sizes: 4 -3 2")},
		{"dimension overflow", "sizes", hdr("sizes: 4 3 2", "sizes: 100000 100000 100000")},
		{"missing endian", "endian", hdr("endian: little\n", "")},
		{"hex encoding", "encoding", hdr("encoding: raw", "encoding: hex")},
		{"unknown space", "space", hdr("left-posterior-superior", "up-down-sideways")},
		{"direction count", "space directions", hdr("(1,0,0) (0,1,0) (0,0,1)", "(1,0,0) (0,1,0)")},
		{"zero direction", "space directions", hdr("(0,0,1)\n", "(0,0,0)\n")},
		{"bad origin", "space origin", hdr("space origin: (0,0,0)", "space origin: (0,0)")},
		{"byte skip", "byte skip", hdr("encoding: raw\n", "encoding: raw\nbyte skip: -5\n")},
		{"duplicate field", "type", hdr("dimension: 3\n", "dimension: 3\ntype: int16\n")},
		{"garbage line", "header", hdr("dimension: 3\n", "dimension: 3\nthis is not a field\n")},
		{"truncated data", "data", func(b []byte) []byte { return b[:len(b)-3] }},
		{"vector data", "sizes", hdr("dimension: 3", "dimension: 4", "sizes: 4 3 2", "sizes: 2 4 3 1",
			"space directions: (1,0,0)", "space directions: none (1,0,0)", "kinds: domain", "kinds: list domain")},
		{"detached missing", "data file", hdr("\n\n", "\ndata file: nowhere.raw\n\n")},
		{"list data file", "data file", hdr("\n\n", "\ndata file: LIST\n\n")},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".nrrd")
		if err := os.WriteFile(p, c.edit(valid(t)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(p)
		checkErr(t, c.name, err, p, c.field)
	}
	// A segmentation whose segment names a layer the file does not have.
	b := hdr("\n\n", "\nSegment0_Name:=cord\nSegment0_Layer:=3\nSegment0_LabelValue:=1\n\n")(valid(t))
	p := filepath.Join(dir, "layer.seg.nrrd")
	os.WriteFile(p, b, 0o644)
	_, err := ReadSegmentation(p)
	checkErr(t, "segment layer", err, p, "Segment0_Layer")
	p = filepath.Join(dir, "plain.seg.nrrd")
	os.WriteFile(p, valid(t), 0o644)
	_, err = ReadSegmentation(p)
	checkErr(t, "no segments", err, p, "Segment0")
}

func checkErr(t *testing.T, name string, err error, path, field string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	msg := err.Error()
	t.Logf("%s: %s", name, msg)
	if !strings.Contains(msg, path) || !strings.Contains(msg, field) || strings.Contains(msg, "\n") {
		t.Errorf("%s: error %q: want one line naming %s and field %s", name, msg, filepath.Base(path), field)
	}
}

func TestEncodeRefuses(t *testing.T) {
	v := volume.New(volume.NewGrid([3]int{2, 2, 2}, [3]float64{1, 1, 1}))
	v.Data[3] = 0.5
	if err := Encode(&bytes.Buffer{}, v, &Options{Type: Uint8}); err == nil || !strings.Contains(err.Error(), "(1,1,0)") {
		t.Errorf("fraction as uint8: error %v", err)
	}
	v.Data[3] = 0
	v.Spacing[1] = 0
	p := filepath.Join(t.TempDir(), "x.nhdr")
	if err := WriteFile(p, v, nil); err == nil || !strings.Contains(err.Error(), "spacing") {
		t.Errorf("zero spacing: error %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(p)); len(ents) != 0 {
		t.Errorf("files left after a refused write: %v", ents)
	}
}
