package dicom

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

// slice2 writes a 2×2 16-bit CT slice of series uid at ipp with iop, the
// pixel values v and a rescale.
func slice2(t *testing.T, dir, name, uid, desc, ipp, iop string, v [4]uint16, slope, icpt string) {
	t.Helper()
	var b bytes.Buffer
	dicomtest.Element(&b, 0x08, 0x16, "UI", dicomtest.Str("1.2.840.10008.5.1.4.1.1.2"))
	dicomtest.Element(&b, 0x08, 0x60, "CS", dicomtest.Str("CT"))
	dicomtest.Element(&b, 0x08, 0x103E, "LO", dicomtest.Str(desc))
	dicomtest.Element(&b, 0x20, 0x0E, "UI", dicomtest.Str(uid))
	dicomtest.Element(&b, 0x20, 0x32, "DS", dicomtest.Str(ipp))
	dicomtest.Element(&b, 0x20, 0x37, "DS", dicomtest.Str(iop))
	dicomtest.Element(&b, 0x28, 0x02, "US", dicomtest.U16(1))
	dicomtest.Element(&b, 0x28, 0x10, "US", dicomtest.U16(2))
	dicomtest.Element(&b, 0x28, 0x11, "US", dicomtest.U16(2))
	dicomtest.Element(&b, 0x28, 0x30, "DS", dicomtest.Str(`0.5\0.25`))
	dicomtest.Element(&b, 0x28, 0x100, "US", dicomtest.U16(16))
	dicomtest.Element(&b, 0x28, 0x101, "US", dicomtest.U16(16))
	dicomtest.Element(&b, 0x28, 0x103, "US", dicomtest.U16(0))
	dicomtest.Element(&b, 0x28, 0x1052, "DS", dicomtest.Str(icpt))
	dicomtest.Element(&b, 0x28, 0x1053, "DS", dicomtest.Str(slope))
	var px []byte
	for _, x := range v {
		px = append(px, dicomtest.U16(x)...)
	}
	dicomtest.Element(&b, 0x7FE0, 0x10, "OW", px)
	if err := os.WriteFile(filepath.Join(dir, name), dicomtest.File(tsExplicitLE, b.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
}

const axial = `1\0\0\0\1\0`

// TestSeriesGeometry: slices written in shuffled order are sorted along
// the normal; the grid follows the package doc (spacing from PixelSpacing
// columns then rows, then the mean gap; direction r, c, n); each slice's
// rescale is applied.
func TestSeriesGeometry(t *testing.T) {
	dir := t.TempDir()
	// Coronal planes: rows along x, columns along −z; normal = r × c = (0, 1, 0).
	iop := `1\0\0\0\0\-1`
	slice2(t, dir, "b.dcm", "1.1", "T2", `10\22\5`, iop, [4]uint16{5, 6, 7, 8}, "2", "-1")
	slice2(t, dir, "a.dcm", "1.1", "T2", `10\20\5`, iop, [4]uint16{1, 2, 3, 4}, "1", "0")
	slice2(t, dir, "c.dcm", "1.1", "T2", `10\24\5`, iop, [4]uint16{9, 10, 11, 12}, "1", "100")
	os.WriteFile(filepath.Join(dir, "README"), []byte("not DICOM"), 0o644)
	v, err := ReadSeries(nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]float64{1, 2, 3, 4, 9, 11, 13, 15, 109, 110, 111, 112})
	if got := fmt.Sprint(v.Data); got != want {
		t.Errorf("voxels %s, want %s (sorted along the normal, rescaled per slice)", got, want)
	}
	if v.Dims != [3]int{2, 2, 3} || v.Spacing != [3]float64{0.25, 0.5, 2} || v.Origin != [3]float64{10, 20, 5} ||
		v.Direction != [9]float64{1, 0, 0, 0, 0, 1, 0, -1, 0} {
		t.Errorf("grid %v", v.Grid)
	}
	// Voxel (1, 1, 2) is at origin + 0.25 r + 0.5 c + 4 n.
	if p := v.IndexToPhysical([3]float64{1, 1, 2}); p != [3]float64{10.25, 24, 4.5} {
		t.Errorf("voxel (1,1,2) at %v", p)
	}
}

// TestSeriesRefused: a missing slice, mixed orientations, a gantry tilt,
// two slices at one place and several series end in one-line errors that
// say what and where; a series is chosen by UID, number or description.
func TestSeriesRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		files [][3]string // name, ipp, iop
		want  string
	}{
		{"gap", [][3]string{{"a.dcm", `0\0\0`, axial}, {"b.dcm", `0\0\1`, axial}, {"c.dcm", `0\0\2`, axial}, {"d.dcm", `0\0\4`, axial}},
			"c.dcm and d.dcm are 2 mm apart, most neighbours 1 mm"},
		{"orientation", [][3]string{{"a.dcm", `0\0\0`, axial}, {"b.dcm", `0\0\1`, `1\0\0\0\0.8\0.6`}}, "mixed orientations"},
		{"tilt", [][3]string{{"a.dcm", `0\0\0`, axial}, {"b.dcm", `0\0.5\1`, axial}, {"c.dcm", `0\1\2`, axial}}, "gantry tilt"},
		{"same place", [][3]string{{"a.dcm", `0\0\0`, axial}, {"b.dcm", `0\0\0`, axial}}, "same position"},
	} {
		dir := t.TempDir()
		for _, f := range c.files {
			slice2(t, dir, f[0], "1.1", "T2", f[1], f[2], [4]uint16{}, "1", "0")
		}
		_, err := ReadSeries(nil, dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
	}
	dir := t.TempDir()
	slice2(t, dir, "a.dcm", "1.1", "T2 SAG", `0\0\0`, axial, [4]uint16{1}, "1", "0")
	slice2(t, dir, "b.dcm", "1.2", "T1 SAG", `0\0\0`, axial, [4]uint16{2}, "1", "0")
	if _, err := ReadSeries(nil, dir); err == nil || !strings.Contains(err.Error(), "2 image series") ||
		!strings.Contains(err.Error(), `"T2 SAG"`) || !strings.Contains(err.Error(), `"T1 SAG"`) {
		t.Errorf("two series: %v", err)
	}
	for sel, want := range map[string]float64{"t1 sag": 2, "1.1": 1} {
		v, err := ReadSeries(&Options{Series: sel}, dir)
		if err != nil || v.Data[0] != want {
			t.Errorf("series %q: %v", sel, err)
		}
	}
}

// TestRasterizeEvenOdd: on one slice, a square with a square hole holding
// a square island, drawn as three contours, fills by the package doc's
// rule: voxel centres i with cut ≤ i < cut, holes and islands by even–odd.
// The expected rows are written out by hand from the rule.
func TestRasterizeEvenOdd(t *testing.T) {
	g := volume.Grid{Dims: [3]int{9, 9, 2}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	sq := func(a, b float64) Contour {
		return Contour{Type: "CLOSED_PLANAR", Points: [][3]float64{{a, a, 1}, {b, a, 1}, {b, b, 1}, {a, b, 1}}}
	}
	s := &RTStruct{Path: "rt.dcm", ROIs: []ROI{{Name: "cord", Contours: []Contour{sq(0.5, 7.5), sq(1.5, 6.5), sq(2.5, 5.5)}}}}
	m, n, err := s.Rasterize(0, g)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".........",
		".#######.",
		".#.....#.",
		".#.###.#.",
		".#.###.#.",
		".#.###.#.",
		".#.....#.",
		".#######.",
		".........",
	}
	var got []string
	for j := range 9 {
		row := ""
		for i := range 9 {
			if m.At(i, j, 1) != 0 {
				row += "#"
			} else {
				row += "."
			}
		}
		got = append(got, row)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || n != 24+9 {
		t.Errorf("slice 1 (%d voxels):\n%s\nwant:\n%s", n, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A contour through voxel centres: left/top edges in, right/bottom out.
	s.ROIs[0].Contours = []Contour{sq(2, 5)}
	m, n, _ = s.Rasterize(0, g)
	if n != 9 || m.At(2, 2, 1) != 1 || m.At(4, 4, 1) != 1 || m.At(5, 4, 1) != 0 || m.At(4, 5, 1) != 0 {
		t.Errorf("square through centres 2..5: %d voxels, want the 3×3 block from (2,2)", n)
	}
}
