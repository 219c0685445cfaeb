package nifti

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// obliqueGrid is an LPS grid rotated about two axes, anisotropic.
func obliqueGrid(reflect bool) volume.Grid {
	a, b := 0.3, -0.7
	rx := [9]float64{1, 0, 0, 0, math.Cos(a), -math.Sin(a), 0, math.Sin(a), math.Cos(a)}
	rz := [9]float64{math.Cos(b), -math.Sin(b), 0, math.Sin(b), math.Cos(b), 0, 0, 0, 1}
	var d [9]float64
	for r := range 3 {
		for c := range 3 {
			for k := range 3 {
				d[3*r+c] += rx[3*r+k] * rz[3*k+c]
			}
		}
	}
	if reflect {
		for r := range 3 {
			d[3*r+2] = -d[3*r+2]
		}
	}
	return volume.Grid{Dims: [3]int{7, 5, 4}, Spacing: [3]float64{0.47, 0.52, 3.3},
		Origin: [3]float64{12.5, -40.25, 7}, Direction: d}
}

// TestRoundTrip writes volumes in every datatype, both versions, plain and
// gzip, and reads them back: same grid (within float32 rounding for
// NIfTI-1), same voxels.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dt := range []Datatype{Uint8, Int8, Int16, Uint16, Int32, Uint32, Int64, Uint64, Float32, Float64} {
		for _, version := range []int{1, 2} {
			for _, compress := range []bool{false, true} {
				for _, reflect := range []bool{false, true} {
					v := &volume.Volume{Grid: obliqueGrid(reflect)}
					lo, end, isInt := dt.integer()
					for range v.Len() {
						x := rng.NormFloat64() * 100
						if isInt {
							x = math.Max(lo, math.Min(end-1, math.Round(x)))
							if dt == Uint8 || dt == Int8 {
								x = math.Max(lo, math.Min(end-1, math.Round(x/2)))
							}
						} else if dt == Float32 {
							x = float64(float32(x))
						}
						v.Data = append(v.Data, x)
					}
					var buf bytes.Buffer
					if err := Encode(&buf, v, &Options{Datatype: dt, Version: version, Compress: compress}); err != nil {
						t.Fatal(err)
					}
					got, err := Decode(&buf)
					if err != nil {
						t.Fatalf("%v v%d gz=%v: %v", dt, version, compress, err)
					}
					tol := 1e-12
					if version == 1 {
						tol = 1e-6 // header floats are float32
					}
					if err := got.SameGrid(v.Grid, tol); err != nil {
						t.Errorf("%v v%d gz=%v reflect=%v: %v", dt, version, compress, reflect, err)
					}
					for i := range v.Data {
						if got.Data[i] != v.Data[i] {
							t.Fatalf("%v v%d: voxel %d = %g, wrote %g", dt, version, i, got.Data[i], v.Data[i])
						}
					}
				}
			}
		}
	}
}

// TestQformWritten checks that a written file's qform alone (sform
// ignored) gives back the grid, so that readers that prefer the qform
// agree.
func TestQformWritten(t *testing.T) {
	for _, reflect := range []bool{false, true} {
		v := volume.New(obliqueGrid(reflect))
		var buf bytes.Buffer
		if err := Encode(&buf, v, &Options{Version: 2}); err != nil {
			t.Fatal(err)
		}
		h, err := DecodeHeader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if h.QformCode != 1 || h.SformCode != 1 {
			t.Fatalf("codes %d %d, want 1 1", h.QformCode, h.SformCode)
		}
		h.SformCode = 0
		g, err := h.Grid()
		if err != nil {
			t.Fatal(err)
		}
		if err := g.SameGrid(v.Grid, 1e-12); err != nil {
			t.Errorf("reflect=%v: qform grid: %v", reflect, err)
		}
	}
}

// TestInvalidXformCode: an sform_code outside 0..5 is ignored (nibabel
// 5.0's _chk_xform_code resets it to 0), so a zero srow does not matter
// and the qform gives the grid.
func TestInvalidXformCode(t *testing.T) {
	b := valid(t, 1)
	binary.LittleEndian.PutUint16(b[254:], 9)
	for off := 280; off < 328; off += 4 {
		binary.LittleEndian.PutUint32(b[off:], 0)
	}
	v, err := Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if want := volume.NewGrid([3]int{4, 3, 2}, [3]float64{1, 1, 1}); v.Grid != want {
		t.Errorf("grid %v, want %v", v.Grid, want)
	}
}

func TestEncodeRefusesValuesThatDoNotFit(t *testing.T) {
	v := volume.New(volume.NewGrid([3]int{2, 2, 2}, [3]float64{1, 1, 1}))
	for _, c := range []struct {
		dt Datatype
		x  float64
	}{{Uint8, 256}, {Uint8, -1}, {Int16, 0.5}, {Int16, 40000}, {Int32, math.NaN()}, {Float32, 1e39}} {
		v.Data[5] = c.x
		err := Encode(&bytes.Buffer{}, v, &Options{Datatype: c.dt})
		if err == nil || !strings.Contains(err.Error(), "(1,0,1)") {
			t.Errorf("%v %g: error %v, want one naming voxel (1,0,1)", c.dt, c.x, err)
		}
	}
}

func TestEncodeRefusesBadGrid(t *testing.T) {
	v := volume.New(volume.NewGrid([3]int{2, 2, 2}, [3]float64{1, 1, 1}))
	v.Spacing[2] = math.NaN()
	if err := Encode(&bytes.Buffer{}, v, nil); err == nil || !strings.Contains(err.Error(), "spacing") {
		t.Errorf("NaN spacing: error %v", err)
	}
	v.Spacing[2] = 1
	v.Origin[0] = math.Inf(1)
	if err := Encode(&bytes.Buffer{}, v, nil); err == nil || !strings.Contains(err.Error(), "origin") {
		t.Errorf("infinite origin: error %v", err)
	}
}

// TestWriteFileAtomic: .gz compresses, a failed write leaves the old file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	v := volume.New(volume.NewGrid([3]int{4, 4, 4}, [3]float64{1, 1, 1}))
	p := filepath.Join(dir, "x.nii.gz")
	if err := WriteFile(p, v, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatal("x.nii.gz is not gzip")
	}
	v.Data[0] = 300
	if err := WriteFile(p, v, &Options{Datatype: Uint8}); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("want an error naming %s, got %v", p, err)
	}
	b2, _ := os.ReadFile(p)
	if !bytes.Equal(b, b2) {
		t.Error("failed write changed the existing file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

// valid returns a small, valid, uncompressed NIfTI-1 file.
func valid(t testing.TB, version int) []byte {
	v := volume.New(volume.NewGrid([3]int{4, 3, 2}, [3]float64{1, 1, 1}))
	var buf bytes.Buffer
	if err := Encode(&buf, v, &Options{Datatype: Int16, Version: version}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBadInput: each malformed file gives a one-line error naming the file
// and the header field.
func TestBadInput(t *testing.T) {
	le := binary.LittleEndian
	set16 := func(off int, x int16) func([]byte) []byte {
		return func(b []byte) []byte { le.PutUint16(b[off:], uint16(x)); return b }
	}
	cases := []struct {
		name, field string
		edit        func([]byte) []byte
	}{
		{"empty", "sizeof_hdr", func(b []byte) []byte { return nil }},
		{"truncated header", "header", func(b []byte) []byte { return b[:200] }},
		{"not nifti", "sizeof_hdr", func(b []byte) []byte { return []byte("P5 this is a PGM image, not a NIfTI one......") }},
		{"wrong magic", "magic", func(b []byte) []byte { copy(b[344:], "xyz\x00"); return b }},
		{"pair magic", "magic", func(b []byte) []byte { copy(b[344:], "ni1\x00"); return b }},
		{"complex datatype", "datatype", set16(70, 32)},
		{"rgb datatype", "datatype", set16(70, 128)},
		{"dim[0] zero", "dim[0]", set16(40, 0)},
		{"dim[0] eight", "dim[0]", set16(40, 8)},
		{"negative dim", "dim[2]", set16(44, -3)},
		{"dimension overflow", "dim[", func(b []byte) []byte {
			for k := 1; k <= 3; k++ {
				le.PutUint16(b[40+2*k:], 32767)
			}
			return b
		}},
		{"4D with two volumes", "dim[4]", func(b []byte) []byte { le.PutUint16(b[40:], 4); le.PutUint16(b[48:], 2); return b }},
		{"vox_offset small", "vox_offset", func(b []byte) []byte { le.PutUint32(b[108:], math.Float32bits(100)); return b }},
		{"vox_offset fraction", "vox_offset", func(b []byte) []byte { le.PutUint32(b[108:], math.Float32bits(352.5)); return b }},
		{"vox_offset past end", "vox_offset", func(b []byte) []byte { le.PutUint32(b[108:], math.Float32bits(1e6)); return b }},
		{"truncated data", "data", func(b []byte) []byte { return b[:len(b)-5] }},
		{"zero srow", "srow", func(b []byte) []byte {
			for off := 280; off < 328; off += 4 {
				le.PutUint32(b[off:], 0)
			}
			return b
		}},
		{"NaN intercept", "scl_inter", func(b []byte) []byte {
			le.PutUint32(b[112:], math.Float32bits(2))
			le.PutUint32(b[116:], math.Float32bits(float32(math.NaN())))
			return b
		}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".nii")
		if err := os.WriteFile(p, c.edit(valid(t, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(p)
		checkErr(t, c.name, err, p, c.field)
	}
	// NIfTI-2 and gzip variants of the same faults.
	b2 := valid(t, 2)
	le.PutUint64(b2[16+8*2:], 1<<40) // dim[2]
	p := filepath.Join(dir, "v2_overflow.nii")
	os.WriteFile(p, b2, 0o644)
	_, err := ReadFile(p)
	checkErr(t, "NIfTI-2 overflow", err, p, "dim[")

	var gz bytes.Buffer
	v := volume.New(volume.NewGrid([3]int{40, 30, 20}, [3]float64{1, 1, 1}))
	Encode(&gz, v, &Options{Compress: true})
	p = filepath.Join(dir, "truncated.nii.gz")
	os.WriteFile(p, gz.Bytes()[:gz.Len()/2], 0o644)
	_, err = ReadFile(p)
	checkErr(t, "truncated gzip", err, p, "data")
	corrupt := append([]byte(nil), gz.Bytes()...)
	corrupt[len(corrupt)-6] ^= 0xff // CRC
	p = filepath.Join(dir, "crc.nii.gz")
	os.WriteFile(p, corrupt, 0o644)
	_, err = ReadFile(p)
	checkErr(t, "gzip CRC", err, p, "gzip")
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

// TestDims: a 2D image is one slice; a 5D file whose extra dimensions are
// 1 is a volume.
func TestDims(t *testing.T) {
	le := binary.LittleEndian
	b := valid(t, 1)
	le.PutUint16(b[40:], 2) // dim[0] = 2: dim[3] is ignored
	v, err := Decode(bytes.NewReader(b[:len(b)-4*3*2]))
	if err != nil {
		t.Fatal(err)
	}
	if v.Dims != [3]int{4, 3, 1} {
		t.Errorf("2D dims %v, want [4 3 1]", v.Dims)
	}
	b = valid(t, 1)
	le.PutUint16(b[40:], 5)
	le.PutUint16(b[48:], 1)
	le.PutUint16(b[50:], 1)
	v, err = Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if v.Dims != [3]int{4, 3, 2} {
		t.Errorf("5D dims %v, want [4 3 2]", v.Dims)
	}
}
