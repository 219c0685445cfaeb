package display

import (
	"bytes"
	"html/template"
	"image/png"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volume"
)

// phantom is a 4×6×3 volume with spacing (1, 2, 3) mm whose k axis runs
// left–right (i posterior, j superior), so slices are taken along k. Voxel values rise with i; the mask has
// label 1 on four voxels of slice k = 2 and label 2 on one voxel of k = 1.
func phantom() (img, mask *volume.Volume) {
	g := volume.NewGrid([3]int{4, 6, 3}, [3]float64{1, 2, 3})
	g.Direction = [9]float64{0, 0, 1, 1, 0, 0, 0, 1, 0}
	img, mask = volume.New(g), volume.New(g)
	for k := range 3 {
		for j := range 6 {
			for i := range 4 {
				img.Set(i, j, k, float64(10*i))
			}
		}
	}
	for _, ij := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		mask.Set(ij[0], ij[1], 2, 1)
	}
	mask.Set(3, 5, 1, 2)
	return img, mask
}

func TestSlicePNG(t *testing.T) {
	img, mask := phantom()
	s, err := SlicePNG(img, mask, SliceOptions{Height: 60})
	if err != nil {
		t.Fatal(err)
	}
	if s.Axis != 2 || s.Index != 2 {
		t.Errorf("slice axis %d index %d, want the largest ROI: axis 2 (k), index 2", s.Axis, s.Index)
	}
	im, err := png.Decode(bytes.NewReader(s.PNG))
	if err != nil {
		t.Fatal(err)
	}
	// 4 columns of 1 mm and 6 rows of 2 mm: 4 mm × 12 mm, drawn 60 px high.
	if b := im.Bounds(); b.Dx() != 20 || b.Dy() != 60 {
		t.Fatalf("PNG is %v, want 20×60 (aspect of 4 mm × 12 mm)", b)
	}
	// Expected colours, by the formula of SlicePNGAt: grey g = (v − min)/(max − min),
	// channel = round((1 − α)·255·g + α·ROI colour), α = 0.45.
	cases := []struct {
		x, y    int
		r, g, b uint32
		what    string
	}{
		{0, 0, 104, 18, 18, "voxel (0,0): value 0 (black), lesion (red)"},
		{7, 12, 150, 65, 65, "voxel (1,1): g = 1/3, lesion: 0.55·85 + 0.45·(230, 40, 40) = (150.25, 64.75, 64.75)"},
		{19, 59, 255, 255, 255, "voxel (3,5): g = 1, no ROI on this slice"},
		{12, 30, 170, 170, 170, "voxel (2,2): g = 2/3, no ROI"},
	}
	for _, c := range cases {
		r, g, b, _ := im.At(c.x, c.y).RGBA()
		if r>>8 != c.r || g>>8 != c.g || b>>8 != c.b {
			t.Errorf("pixel (%d,%d) = (%d,%d,%d), want (%d,%d,%d): %s", c.x, c.y, r>>8, g>>8, b>>8, c.r, c.g, c.b, c.what)
		}
	}

	// Without the overlay the lesion pixel is the image's.
	s, err = SlicePNGAt(img, mask, 2, 2, SliceOptions{Height: 60, Alpha: -1})
	if err != nil {
		t.Fatal(err)
	}
	im, _ = png.Decode(bytes.NewReader(s.PNG))
	if r, g, b, _ := im.At(7, 12).RGBA(); r>>8 != 85 || g>>8 != 85 || b>>8 != 85 {
		t.Errorf("no overlay: pixel (7,12) = (%d,%d,%d), want grey 85", r>>8, g>>8, b>>8)
	}
}

func TestSlicePNGErrors(t *testing.T) {
	img, mask := phantom()
	og := volume.NewGrid([3]int{4, 6, 3}, [3]float64{1, 1, 1})
	og.Direction = img.Direction
	other := volume.New(og)
	empty := volume.New(img.Grid)
	for name, f := range map[string]func() error{
		"axis 3":        func() error { _, err := SlicePNGAt(img, mask, 3, 0, SliceOptions{}); return err },
		"index 3 of 3":  func() error { _, err := SlicePNGAt(img, mask, 2, 3, SliceOptions{}); return err },
		"mask off grid": func() error { _, err := SlicePNGAt(img, other, 2, 0, SliceOptions{}); return err },
		"empty ROI":     func() error { _, err := SlicePNG(img, empty, SliceOptions{}); return err },
		"alpha 2":       func() error { _, err := SlicePNG(img, mask, SliceOptions{Alpha: 2}); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// No mask: the middle slice, no error.
	if s, err := SlicePNG(img, nil, SliceOptions{}); err != nil || s.Index != 1 {
		t.Errorf("no mask: slice %d, %v; want the middle slice 1", s.Index, err)
	}
}

func TestChartHTML(t *testing.T) {
	c := report.XY("roc_test", "ROC", "1 − specificity", "sensitivity",
		[]report.Curve{{Name: "LR", X: []float64{0, 0.5, 1}, Y: []float64{0, 0.8, 1}}}, true)
	h, err := ChartHTML(c)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := ChartHTML(c)
	if h != h2 {
		t.Error("ChartHTML is not deterministic")
	}
	for _, want := range []string{`id="roc_test"`, "(function () {", "window.echarts", `echarts.init(document.getElementById('roc_test')`, `"name":"LR"`} {
		if !strings.Contains(h, want) {
			t.Errorf("chart HTML lacks %q", want)
		}
	}
	// go-echarts' top-level `let` declarations must be inside the function.
	if fn, let := strings.Index(h, "var draw = function"), strings.Index(h, "let goecharts_roc_test"); fn < 0 || let < fn {
		t.Errorf("the chart's let declarations are not inside the draw function")
	}
	if n := strings.Count(h, "<script"); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
}

func TestEchartsHTML(t *testing.T) {
	h := EchartsHTML()
	if !strings.Contains(h, string(report.EchartsJS)) {
		t.Fatal("the echarts library is not inlined whole")
	}
	if !strings.HasPrefix(h, "<script type=\"text/javascript\">\n(function (define, module, exports) {\n") ||
		!strings.Contains(h, "}).call(window);\n</script>") {
		t.Error("the library does not run with define, module and exports hidden")
	}
}

func testTable() *table.Table {
	return &table.Table{IDName: "patient_id", IDs: []string{"P<1>", "P2", "P3"},
		MetaName: []string{"center"}, Meta: [][]string{{"A", "A", "B"}},
		Names: []string{"f1", "f2", "f3", "f4"},
		X:     [][]float64{{1, 2.123456, 3, 4}, {0.5, 1e-9, 7, 8}, {9, 10, 11, 12}}}
}

func TestTableHTML(t *testing.T) {
	h := TableHTML(testTable(), 2, 2)
	for _, want := range []string{
		"<caption>3 patients × 4 features (first 2 rows, 2 features shown)</caption>",
		"<th>patient_id</th><th>center</th><th>f1</th><th>f2</th></tr>",
		"<td>P&lt;1&gt;</td><td>A</td><td>1</td><td>2.123</td>",
		"<td>1e-09</td>",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("table HTML lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "P3") || strings.Contains(h, "f3") {
		t.Error("rows or columns beyond the limits are shown")
	}
	if all := TableHTML(testTable(), 0, 0); !strings.Contains(all, "<caption>3 patients × 4 features</caption>") || !strings.Contains(all, "<td>12</td>") {
		t.Errorf("limits 0 should show everything:\n%s", all)
	}
}

func TestCentreEta2(t *testing.T) {
	tb := &table.Table{IDName: "id", IDs: []string{"1", "2", "3", "4", "5", "6"},
		MetaName: []string{"center"}, Meta: [][]string{{"A", "A", "A", "B", "B", "B"}},
		Names: []string{"shifted", "constant", "same"},
		X:     [][]float64{{1, 5, 1}, {2, 5, 2}, {3, 5, 3}, {5, 5, 1}, {6, 5, 2}, {7, 5, 3}}}
	eta, err := CentreEta2(tb, "center")
	if err != nil {
		t.Fatal(err)
	}
	// By hand: "shifted" has grand mean 4, SS_total = 9+4+1+1+4+9 = 28,
	// SS_between = 3·(2−4)² + 3·(6−4)² = 24, η² = 24/28 = 6/7; "same" has
	// equal centre means, η² = 0; a constant feature is 0 by definition.
	want := []float64{6.0 / 7, 0, 0}
	for j := range want {
		if math.Abs(eta[j]-want[j]) > 1e-12*math.Max(1, want[j]) {
			t.Errorf("η² of %s = %.15g, want %.15g", tb.Names[j], eta[j], want[j])
		}
	}
	tb.X[2][0] = math.NaN()
	if _, err := CentreEta2(tb, "center"); err == nil {
		t.Error("NaN value: no error")
	}
	if _, err := CentreEta2(tb, "site"); err == nil {
		t.Error("missing batch column: no error")
	}
}

func TestSectionHTML(t *testing.T) {
	img, mask := phantom()
	s, err := SlicePNG(img, mask, SliceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := &report.Document{Sections: []report.Section{
		{Title: "Table 1. Patients"},
		{Title: "ROC curves <train>", Text: "First.\n\nSecond & last.",
			Blocks: []template.HTML{"<table><tr><td>x</td></tr></table>"},
			Figures: []report.Figure{
				{ID: "roc", Chart: report.XY("roc", "ROC", "x", "y", nil, true), Caption: "a <caption>"},
				{ID: "cam", Title: "Grad-CAM", PNG: s.PNG},
			}},
	}}
	sec, err := FindSection(d, "ROC curves")
	if err != nil {
		t.Fatal(err)
	}
	h, err := SectionHTML(sec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h3>ROC curves &lt;train&gt;</h3>", "<p>First.</p>", "<p>Second &amp; last.</p>",
		"<table><tr><td>x</td></tr></table>", `id="roc"`, "<p>a &lt;caption&gt;</p>", `<img alt="Grad-CAM" src="data:image/png;base64,`} {
		if !strings.Contains(h, want) {
			t.Errorf("section HTML lacks %q", want)
		}
	}
	if _, err := FindSection(d, "Table 9"); err == nil || !strings.Contains(err.Error(), `"Table 1. Patients"`) {
		t.Errorf("missing section: error %v should list the titles", err)
	}
	if _, err := FigureHTML(report.Figure{ID: "empty"}); err == nil {
		t.Error("a figure with neither chart nor PNG: no error")
	}
}

func TestComparisonHTML(t *testing.T) {
	h := ComparisonHTML("AUC", []Comparison{{Quantity: "test AUC", Paper: "0.893", Ours: "0.714", Note: "n < 15"}})
	want := "<tr><td>test AUC</td><td>0.893</td><td>0.714</td><td>n &lt; 15</td></tr>"
	if !strings.Contains(h, want) || !strings.Contains(h, "<th>Lin et al. 2025</th>") {
		t.Errorf("comparison HTML:\n%s\nlacks %s", h, want)
	}
}

func TestGalleryHTML(t *testing.T) {
	h := GalleryHTML([]Image{{Caption: "a & b", PNG: []byte{1, 2}}, {Caption: "c", PNG: []byte{3}, Height: 240}})
	for _, want := range []string{
		`<img alt="a &amp; b" src="data:image/png;base64,AQI=">`,
		`<img style="height:240px;image-rendering:pixelated" alt="c" src="data:image/png;base64,Aw==">`,
		`<figcaption style="font-size:.85em">a &amp; b</figcaption>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("gallery HTML lacks %q:\n%s", want, h)
		}
	}
}

// TestProgressLive: outside a kernel Progress is plain stdout; the notebook
// writer offers live lines to the progress bars (their LiveWriter method).
func TestProgressLive(t *testing.T) {
	if Progress() != io.Writer(os.Stdout) {
		t.Error("outside GoNB, Progress should be os.Stdout")
	}
	if _, ok := any(liveStdout{os.Stdout}).(interface {
		io.Writer
		Live() func(string)
	}); !ok {
		t.Error("liveStdout does not offer live lines")
	}
}
