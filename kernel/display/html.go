package display

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
)

// HTMLOf runs a writer such as (*cohort.Table1).WriteHTML or a closure over
// evaluate.WriteTableHTML and returns what it wrote.
func HTMLOf(write func(io.Writer) error) (string, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// TableHTML renders the first maxRows rows and maxCols feature columns of a
// feature table (ids and metadata always shown), numbers to four
// significant digits (the table's files keep every digit), with a caption
// saying how much was left out. maxRows or maxCols ≤ 0 means all.
func TableHTML(t *table.Table, maxRows, maxCols int) string {
	nr, nc := t.Rows(), len(t.Names)
	if maxRows > 0 && nr > maxRows {
		nr = maxRows
	}
	if maxCols > 0 && nc > maxCols {
		nc = maxCols
	}
	header := append([]string{t.IDName}, t.MetaName...)
	header = append(header, t.Names[:nc]...)
	rows := make([][]string, nr)
	for i := range nr {
		r := []string{t.IDs[i]}
		for m := range t.MetaName {
			r = append(r, t.Meta[m][i])
		}
		for j := range nc {
			r = append(r, strconv.FormatFloat(t.X[i][j], 'g', 4, 64))
		}
		rows[i] = r
	}
	caption := fmt.Sprintf("%d patients × %d features", t.Rows(), len(t.Names))
	if nr < t.Rows() || nc < len(t.Names) {
		caption += fmt.Sprintf(" (first %d rows, %d features shown)", nr, nc)
	}
	return string(report.Table(caption, header, rows))
}

// Comparison is one line of a paper-versus-this-run table.
type Comparison struct {
	Quantity string
	Paper    string // as the paper reports it
	Ours     string // this run's value
	Note     string // why they may differ; optional
}

// ComparisonHTML renders comparisons as a four-column table.
func ComparisonHTML(caption string, cs []Comparison) string {
	rows := make([][]string, len(cs))
	for i, c := range cs {
		rows[i] = []string{c.Quantity, c.Paper, c.Ours, c.Note}
	}
	return string(report.Table(caption, []string{"", "Lin et al. 2025", "this run", "note"}, rows))
}

// figureCSS lays figures out side by side, wrapping, as report.html does.
const figureCSS = `<style>.scirad-figs{display:flex;flex-wrap:wrap;gap:1em}.scirad-fig{border:1px solid #ddd;padding:.5em}.scirad-fig p{font-size:.85em;max-width:640px;color:#555}</style>`

// FigureHTML renders one report figure: its chart (see ChartHTML) or its
// PNG, and its caption.
func FigureHTML(f report.Figure) (string, error) {
	var b strings.Builder
	b.WriteString(`<div class="scirad-fig">`)
	switch {
	case f.Chart != nil:
		s, err := ChartHTML(f.Chart)
		if err != nil {
			return "", fmt.Errorf("display: figure %s: %w", f.ID, err)
		}
		b.WriteString(s)
	case f.PNG != nil:
		fmt.Fprintf(&b, "<h4>%s</h4>%s", html.EscapeString(f.Title), imgTag(f.Title, f.PNG))
	default:
		return "", fmt.Errorf("display: figure %s has neither a chart nor a PNG", f.ID)
	}
	if f.Caption != "" {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(f.Caption))
	}
	b.WriteString("</div>")
	return b.String(), nil
}

// FiguresHTML renders figures side by side.
func FiguresHTML(fs []report.Figure) (string, error) {
	var b strings.Builder
	b.WriteString(figureCSS)
	b.WriteString(`<div class="scirad-figs">`)
	for _, f := range fs {
		s, err := FigureHTML(f)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	b.WriteString("</div>")
	return b.String(), nil
}

// SectionHTML renders one section of a report.Document as report.html
// does: heading, paragraphs, HTML blocks (tables), then the figures.
func SectionHTML(s report.Section) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "<h3>%s</h3>\n", html.EscapeString(s.Title))
	for _, p := range strings.Split(strings.TrimSpace(s.Text), "\n\n") {
		if p != "" {
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
		}
	}
	for _, blk := range s.Blocks {
		b.WriteString(string(blk))
		b.WriteByte('\n')
	}
	if len(s.Figures) > 0 {
		f, err := FiguresHTML(s.Figures)
		if err != nil {
			return "", err
		}
		b.WriteString(f)
	}
	return b.String(), nil
}

// FindSection returns the first section of d whose title starts with
// prefix ("Table 2", "ROC curves", …).
func FindSection(d *report.Document, prefix string) (report.Section, error) {
	var titles []string
	for _, s := range d.Sections {
		if strings.HasPrefix(s.Title, prefix) {
			return s, nil
		}
		titles = append(titles, fmt.Sprintf("%q", s.Title))
	}
	return report.Section{}, fmt.Errorf("display: no section titled %q… in the report (it has %s)", prefix, strings.Join(titles, ", "))
}

// imgTag is an <img> with the PNG inlined as a data URL.
func imgTag(alt string, png []byte) string {
	return fmt.Sprintf(`<img alt="%s" src="data:image/png;base64,%s">`, html.EscapeString(alt), base64.StdEncoding.EncodeToString(png))
}

// Image is one captioned picture of a gallery.
type Image struct {
	Caption string
	PNG     []byte
	Height  int // shown this many CSS pixels high, pixels kept square (no smoothing); 0 = the PNG's own size
}

// GalleryHTML lays images out side by side with their captions below.
func GalleryHTML(imgs []Image) string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:.8em;align-items:flex-end">`)
	for _, im := range imgs {
		tag := imgTag(im.Caption, im.PNG)
		if im.Height > 0 {
			tag = strings.Replace(tag, "<img ", fmt.Sprintf(`<img style="height:%dpx;image-rendering:pixelated" `, im.Height), 1)
		}
		fmt.Fprintf(&b, `<figure style="margin:0;text-align:center">%s<figcaption style="font-size:.85em">%s</figcaption></figure>`,
			tag, html.EscapeString(im.Caption))
	}
	b.WriteString("</div>")
	return b.String()
}
