package report

import (
	"bytes"
	"html/template"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
)

func sampleDocument(t testing.TB) *Document {
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 4)
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	roc := XY("roc_test", "ROC", "1 − specificity", "sensitivity", []Curve{
		{Name: "RF (AUC 0.85)", X: []float64{0, 0.1, 0.3, 1}, Y: []float64{0, 0.6, 0.9, 1}},
	}, true)
	bars := Bars("importance", "Importance", []string{"lesion_original_glcm_Contrast", "cord_median_firstorder_Mean"},
		[]BarSeries{{Name: "Gini", Values: []float64{0.6, 0.4}}}, true)
	hist := Histogram("radscore_hist", "Rad-score", []BarSeries{
		{Name: "good", Values: []float64{-1, -0.5, 0.2}}, {Name: "poor", Values: []float64{0.5, 1, 1.5}},
	}, 5)
	return &Document{Title: "scirad test report", Sections: []Section{
		{Title: "Table", Text: "One table.\n\nTwo paragraphs & an ampersand.",
			Blocks: []template.HTML{Table("Table 2", []string{"Signature", "AUC"}, [][]string{{"Rad", "0.85"}})}},
		{Title: "Figures", Figures: []Figure{
			{ID: "roc_test", Title: "ROC", Chart: roc},
			{ID: "importance", Title: "Importance", Chart: bars},
			{ID: "radscore_hist", Title: "Rad-score", Chart: hist},
			{ID: "gradcam", Title: "Grad-CAM", PNG: pngBuf.Bytes()},
		}},
	}}
}

func TestWriteHTMLSelfContainedAndDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := sampleDocument(t).WriteHTML(&a); err != nil {
		t.Fatal(err)
	}
	if err := sampleDocument(t).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renderings of the same document differ")
	}
	s := a.String()
	if strings.Contains(s, "<script src=") {
		t.Error("report loads a script from a file or host; it must inline everything")
	}
	for _, want := range []string{"id=\"roc_test\"", "id=\"importance\"", "data:image/png;base64,", "<td>0.85</td>", "Two paragraphs &amp; an ampersand."} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestWriteFigures(t *testing.T) {
	dir := t.TempDir()
	if err := sampleDocument(t).WriteFigures(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"echarts.min.js", "roc_test.html", "importance.html", "radscore_hist.html", "gradcam.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestReportRendersOffline opens the report in headless Chromium with every
// remote request refused and checks that each chart drew pixels and the page
// logged no error.
func TestReportRendersOffline(t *testing.T) {
	exe := browsertest.Require(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sampleDocument(t).WriteHTML(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s, err := browsertest.Start(exe, browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Open("file://"+path, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	drawn, err := browsertest.Eval[[]string](s, DrawnChartsJS, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn) != 3 {
		t.Errorf("charts that drew pixels: %v, want 3", drawn)
	}
	if e := s.Errors(); len(e) > 0 {
		t.Errorf("page errors: %v", e)
	}
	if r := s.RemoteRequests(); len(r) > 0 {
		t.Errorf("page asked the network for %v", r)
	}
}
