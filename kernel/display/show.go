package display

import (
	"fmt"
	"html"
	"io"
	"os"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volume"
)

// The Show functions hand HTML to the GoNB kernel through show. Outside a
// kernel (gonbui.IsNotebook false) gonbui drops it.

// show displays html and waits until GoNB has taken it. Without the wait,
// displays that follow a large one (the 1 MB echarts script) are lost when
// the cell's program exits before GoNB has read them: GoNB v0.11.3 reads
// its display pipe asynchronously.
func show(html string) {
	gonbui.DisplayHTML(html)
	gonbui.Sync()
}

// ShowHTML displays trusted HTML.
func ShowHTML(s string) { show(s) }

// ShowMarkdown displays Markdown.
func ShowMarkdown(s string) {
	gonbui.DisplayMarkdown(s)
	gonbui.Sync()
}

// ShowEcharts loads the echarts library into the notebook page; see the
// package documentation.
func ShowEcharts() { show(EchartsHTML()) }

// ShowChart displays a go-echarts chart.
func ShowChart(c report.Chart) error {
	s, err := ChartHTML(c)
	if err != nil {
		return err
	}
	show(s)
	return nil
}

// ShowTable displays the first maxRows × maxCols of a feature table.
func ShowTable(t *table.Table, maxRows, maxCols int) {
	show(TableHTML(t, maxRows, maxCols))
}

// ShowWriter displays what an HTML writer (cohort.Table1.WriteHTML, …)
// writes.
func ShowWriter(write func(io.Writer) error) error {
	s, err := HTMLOf(write)
	if err != nil {
		return err
	}
	show(s)
	return nil
}

// ShowComparison displays a paper-versus-this-run table.
func ShowComparison(caption string, cs []Comparison) {
	show(ComparisonHTML(caption, cs))
}

// ShowSlice displays SlicePNG with a caption naming the slice.
func ShowSlice(caption string, img, mask *volume.Volume, o SliceOptions) error {
	s, err := SlicePNG(img, mask, o)
	if err != nil {
		return err
	}
	show(GalleryHTML([]Image{{Caption: fmt.Sprintf("%s (slice %d along axis %s)", caption, s.Index, "ijk"[s.Axis:s.Axis+1]), PNG: s.PNG}}))
	return nil
}

// ShowGallery displays images side by side.
func ShowGallery(imgs []Image) { show(GalleryHTML(imgs)) }

// ShowFigures displays report figures side by side.
func ShowFigures(fs []report.Figure) error {
	s, err := FiguresHTML(fs)
	if err != nil {
		return err
	}
	show(s)
	return nil
}

// ShowSection displays the section of d whose title starts with prefix.
func ShowSection(d *report.Document, prefix string) error {
	sec, err := FindSection(d, prefix)
	if err != nil {
		return err
	}
	s, err := SectionHTML(sec)
	if err != nil {
		return err
	}
	show(s)
	return nil
}

// Check stops the cell when err is not nil: it displays the error, writes
// "error: …" to standard error and exits with status 1, which GoNB reports
// as a failed cell (and the notebook test as a failure). It is for notebook
// cells only, where an error has nowhere else to go.
func Check(err error) {
	if err == nil {
		return
	}
	show(`<pre style="color:#b00">error: ` + html.EscapeString(err.Error()) + `</pre>`)
	fmt.Fprintf(os.Stderr, "error: %v\n", err)
	os.Exit(1)
}

// Must returns v when err is nil and otherwise stops the cell as Check
// does. A notebook declares what every cell needs with it, e.g.
//
//	var dir = display.Must(toy.Dir())
//
// which GoNB re-evaluates in each cell's program.
func Must[T any](v T, err error) T {
	Check(err)
	return v
}
