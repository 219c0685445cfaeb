package dicom

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// el writes one explicit VR little endian element.
func el(b *bytes.Buffer, g, e uint16, vr string, val []byte) {
	binary.Write(b, binary.LittleEndian, g)
	binary.Write(b, binary.LittleEndian, e)
	b.WriteString(vr)
	if longVR(vr) {
		b.Write([]byte{0, 0})
		binary.Write(b, binary.LittleEndian, uint32(len(val)))
	} else {
		binary.Write(b, binary.LittleEndian, uint16(len(val)))
	}
	b.Write(val)
}

func str(s string) []byte {
	if len(s)%2 == 1 {
		s += " "
	}
	return []byte(s)
}

func u16(x uint16) []byte { return binary.LittleEndian.AppendUint16(nil, x) }

// dicomFile is a preamble, a meta group naming ts, then body.
func dicomFile(ts string, body []byte) []byte {
	var meta bytes.Buffer
	el(&meta, 2, 0x10, "UI", str(ts))
	var b bytes.Buffer
	b.Write(make([]byte, 128))
	b.WriteString("DICM")
	el(&b, 2, 0, "UL", binary.LittleEndian.AppendUint32(nil, uint32(meta.Len())))
	b.Write(meta.Bytes())
	b.Write(body)
	return b.Bytes()
}

// ctSlice is a minimal CT slice body: rows×cols 16-bit, pixel data of n bytes.
func ctSlice(rows, cols uint16, frames string, n int) []byte {
	var b bytes.Buffer
	el(&b, 0x08, 0x16, "UI", str("1.2.840.10008.5.1.4.1.1.2"))
	el(&b, 0x08, 0x60, "CS", str("CT"))
	el(&b, 0x20, 0x0E, "UI", str("1.2.3"))
	el(&b, 0x20, 0x32, "DS", str(`0\0\0`))
	el(&b, 0x20, 0x37, "DS", str(`1\0\0\0\1\0`))
	el(&b, 0x28, 0x02, "US", u16(1))
	if frames != "" {
		el(&b, 0x28, 0x08, "IS", str(frames))
	}
	el(&b, 0x28, 0x10, "US", u16(rows))
	el(&b, 0x28, 0x11, "US", u16(cols))
	el(&b, 0x28, 0x30, "DS", str(`1\1`))
	el(&b, 0x28, 0x100, "US", u16(16))
	el(&b, 0x28, 0x101, "US", u16(16))
	el(&b, 0x28, 0x103, "US", u16(0))
	el(&b, 0x7FE0, 0x10, "OW", make([]byte, n))
	return b.Bytes()
}

// TestHostileDICOM: hostile files end in one-line errors naming the file,
// quickly, and without allocating what their headers claim (the heap grows
// by less than 64 MiB for each; the deflate bomb's 30 MB of tiny elements
// are inflated, then refused at MaxElements).
func TestHostileDICOM(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		data []byte
		want string
	}{
		"ok.dcm":            {dicomFile(tsExplicitLE, ctSlice(4, 4, "", 32)), ""},
		"absurd-dims.dcm":   {dicomFile(tsExplicitLE, ctSlice(65535, 65535, "", 32)), "Rows 65535"},
		"absurd-frames.dcm": {dicomFile(tsExplicitLE, ctSlice(512, 512, "1000000000", 32)), "NumberOfFrames"},
		"huge-length.dcm": {func() []byte {
			b := dicomFile(tsExplicitLE, ctSlice(4, 4, "", 32))
			binary.LittleEndian.PutUint32(b[len(b)-36:], 0xFFFFFFF0) // PixelData's length
			return b
		}(), "declares"},
		"truncated.dcm": {dicomFile(tsExplicitLE, ctSlice(4, 4, "", 32))[:300], "truncated"},
		"deflate-bomb.dcm": {func() []byte {
			var z bytes.Buffer
			w, _ := flate.NewWriter(&z, flate.BestCompression)
			var e bytes.Buffer
			el(&e, 0x08, 0x10, "LO", []byte("xx")) // one 10-byte element, repeated
			for range 3 << 20 {
				w.Write(e.Bytes())
			}
			w.Close()
			return dicomFile(tsDeflated, z.Bytes())
		}(), "data elements"},
		"deep-nesting.dcm": {func() []byte {
			var b bytes.Buffer
			for range 10000 { // SQ of undefined length, item of undefined length, …
				b.Write([]byte{0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF})
				b.Write([]byte{0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF})
			}
			return dicomFile(tsExplicitLE, b.Bytes())
		}(), "nested"},
		"jpeg2000.dcm": {dicomFile("1.2.840.10008.1.2.4.90", func() []byte {
			b := ctSlice(4, 4, "", 0)
			b = b[:len(b)-12]
			b = append(b, 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF)
			b = append(b, 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 1, 2, 3, 4)
			return append(b, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0)
		}()), "JPEG 2000"},
		"not-dicom.dcm": {[]byte("hello, this is not a DICOM file at all\n"), "no DICOM file"},
	}
	for name, c := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ReadSeries(nil, p)
		runtime.ReadMemStats(&after)
		limit := uint64(64<<20 + 4*len(c.data))
		if name == "deflate-bomb.dcm" {
			limit = 128 << 20 // 30 MB inflated (read by doubling), then refused at MaxElements
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > limit {
			t.Errorf("%s: allocated %d MiB", name, grew>>20)
		}
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, name) || !strings.Contains(msg, c.want) || len(msg) > 400 {
			t.Errorf("%s: error %q: want one line naming the file and %q", name, msg, c.want)
		}
	}
}

// TestHostileRTStruct: absurd contours are refused with the ROI named.
func TestHostileRTStruct(t *testing.T) {
	g := volume.Grid{Dims: [3]int{8, 8, 4}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	for _, c := range []struct {
		pts  [][3]float64
		want string
	}{
		{[][3]float64{{0, 0, 0}, {5, 0, 0.5}, {5, 5, 0}}, "not on one image slice"},
		{[][3]float64{{0, 0, 40}, {5, 0, 40}, {5, 5, 40}}, "outside the image"},
		{[][3]float64{{-1e300, -1e300, 1}, {1e300, 0, 1}, {0, 1e300, 1}}, ""}, // huge but finite: clipped
	} {
		s := &RTStruct{Path: "rt.dcm", ROIs: []ROI{{Number: 1, Name: "cord", Contours: []Contour{{Type: "CLOSED_PLANAR", Points: c.pts}}}}}
		_, _, err := s.Rasterize(0, g)
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.pts, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"cord"`) {
			t.Errorf("%v: error %v, want %q naming the ROI", c.pts, err, c.want)
		}
	}
}
