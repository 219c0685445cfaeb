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
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

// ctSlice is a minimal CT slice body: rows×cols 16-bit, pixel data of n bytes.
func ctSlice(rows, cols uint16, frames string, n int) []byte {
	return dicomtest.Slice("1.2.3", rows, cols, 0, frames, make([]byte, n))
}

// TestHostileDICOM: hostile files end in one-line errors naming the file,
// quickly, and without allocating what their headers claim (the heap grows
// by less than 64 MiB for each; the deflate bomb's 2.6 MB of tiny
// elements are inflated, then refused at MaxElements).
func TestHostileDICOM(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		data []byte
		want string
	}{
		"ok.dcm":            {dicomtest.File(tsExplicitLE, ctSlice(4, 4, "", 32)), ""},
		"absurd-dims.dcm":   {dicomtest.File(tsExplicitLE, ctSlice(65535, 65535, "", 32)), "Rows 65535"},
		"absurd-frames.dcm": {dicomtest.File(tsExplicitLE, ctSlice(512, 512, "1000000000", 32)), "NumberOfFrames"},
		"huge-length.dcm": {func() []byte {
			b := dicomtest.File(tsExplicitLE, ctSlice(4, 4, "", 32))
			binary.LittleEndian.PutUint32(b[len(b)-36:], 0xFFFFFFF0) // PixelData's length
			return b
		}(), "declares"},
		"truncated.dcm": {dicomtest.File(tsExplicitLE, ctSlice(4, 4, "", 32))[:300], "truncated"},
		"deflate-bomb.dcm": {func() []byte {
			var z bytes.Buffer
			w, _ := flate.NewWriter(&z, flate.BestCompression)
			var e bytes.Buffer
			dicomtest.Element(&e, 0x08, 0x10, "LO", []byte("xx")) // one 10-byte element, repeated
			for range MaxElements + 1000 {
				w.Write(e.Bytes())
			}
			w.Close()
			return dicomtest.File(tsDeflated, z.Bytes())
		}(), "data elements"},
		"deep-nesting.dcm": {func() []byte {
			var b bytes.Buffer
			for range 10000 { // SQ of undefined length, item of undefined length, …
				b.Write([]byte{0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF})
				b.Write([]byte{0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF})
			}
			return dicomtest.File(tsExplicitLE, b.Bytes())
		}(), "nested"},
		"jpeg2000.dcm": {dicomtest.File("1.2.840.10008.1.2.4.90", func() []byte {
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
