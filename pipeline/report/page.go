package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/htmltable"

	"github.com/scirad/scirad/pipeline/table"
)

// Figure is one chart or image of the report.
type Figure struct {
	ID      string // DOM id and file stem: a letter, then letters, digits or _
	Title   string
	Caption string
	Chart   Chart  // a go-echarts chart, or nil
	PNG     []byte // an image (Grad-CAM overlays), used when Chart is nil
}

// Section is a heading with text, HTML blocks (tables) and figures.
type Section struct {
	Title   string
	Text    string          // plain text, escaped; blank lines separate paragraphs
	Blocks  []template.HTML // trusted HTML, e.g. from Table
	Figures []Figure
}

// Document is the whole report.
type Document struct {
	Title    string
	Sections []Section
}

const style = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1400px;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}
th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}
.figs{display:flex;flex-wrap:wrap;gap:1em}.fig{border:1px solid #ddd;padding:.5em}.fig p{font-size:.85em;max-width:640px;color:#555}
.container{display:block}.item{margin:auto}`

// WriteHTML writes d as one self-contained HTML page with echarts inlined.
func (d *Document) WriteHTML(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>%s</style>\n<script>%s</script>\n</head>\n<body>\n<h1>%s</h1>\n",
		html.EscapeString(d.Title), style, EchartsJS, html.EscapeString(d.Title))
	for _, s := range d.Sections {
		writeSection(&b, s)
	}
	b.WriteString("</body>\n</html>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeSection(b *bytes.Buffer, s Section) {
	fmt.Fprintf(b, "<h2>%s</h2>\n", html.EscapeString(s.Title))
	for _, p := range strings.Split(strings.TrimSpace(s.Text), "\n\n") {
		if p != "" {
			fmt.Fprintf(b, "<p>%s</p>\n", html.EscapeString(p))
		}
	}
	for _, blk := range s.Blocks {
		b.WriteString(string(blk))
		b.WriteByte('\n')
	}
	if len(s.Figures) == 0 {
		return
	}
	b.WriteString("<div class=\"figs\">\n")
	for _, f := range s.Figures {
		writeFigure(b, f)
	}
	b.WriteString("</div>\n")
}

func writeFigure(b *bytes.Buffer, f Figure) {
	checkID(f.ID)
	fmt.Fprintf(b, "<div class=\"fig\" id=\"fig_%s\">\n", f.ID)
	switch {
	case f.Chart != nil:
		sn := f.Chart.RenderSnippet()
		b.WriteString(sn.Element)
		b.WriteString(inertScript(sn.Script))
	case f.PNG != nil:
		// Slices are a few hundred voxels at most: show them at a readable
		// height without smoothing the voxels away.
		fmt.Fprintf(b, "<h3>%s</h3><img alt=\"%s\" style=\"height:320px;image-rendering:pixelated\" src=\"data:image/png;base64,%s\">",
			html.EscapeString(f.Title), html.EscapeString(f.Title), base64.StdEncoding.EncodeToString(f.PNG))
	}
	if f.Caption != "" {
		fmt.Fprintf(b, "<p>%s</p>", html.EscapeString(f.Caption))
	}
	b.WriteString("\n</div>\n")
}

// inertScript returns a go-echarts <script> element whose body cannot end
// the element early. go-echarts writes titles, series names and categories
// (feature names from a user's CSV header) into the script as JSON without
// HTML escaping, so a name holding "</script>" would close the element and
// turn the rest into markup. The "<" of "</" and "<!--" (which occur only
// inside the JSON's strings) becomes the escape \u003c, which JSON and
// JavaScript read back as "<", so the chart shows the same text.
func inertScript(script string) string {
	open := strings.Index(script, ">") + 1
	end := strings.LastIndex(script, "</script>")
	if open <= 0 || end < open {
		return script
	}
	body := strings.NewReplacer("</", `\u003c/`, "<!--", `\u003c!--`).Replace(script[open:end])
	return script[:open] + body + script[end:]
}

// WriteFigures writes every figure of d into dir as its own file: charts as
// ID.html (loading echarts.min.js, written once beside them), images as
// ID.png.
func (d *Document) WriteFigures(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "echarts.min.js"), EchartsJS); err != nil {
		return err
	}
	for _, s := range d.Sections {
		for _, f := range s.Figures {
			if f.Chart == nil {
				if err := writeFile(filepath.Join(dir, f.ID+".png"), f.PNG); err != nil {
					return err
				}
				continue
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>%s</style>\n<script src=\"echarts.min.js\"></script>\n</head>\n<body>\n",
				html.EscapeString(f.Title), style)
			writeFigure(&b, f)
			b.WriteString("</body>\n</html>\n")
			if err := writeFile(filepath.Join(dir, f.ID+".html"), b.Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeFile(path string, data []byte) error {
	return table.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Table renders a header and rows as an HTML table (cells escaped).
func Table(caption string, header []string, rows [][]string) template.HTML {
	return template.HTML(htmltable.String("", caption, header, rows))
}

// DrawnChartsJS is a JavaScript expression, for browser tests, that lists
// the ids of the chart containers whose canvas holds at least one painted
// pixel.
const DrawnChartsJS = `(() => {
  const out = [];
  for (const div of document.querySelectorAll('div.item')) {
    const c = div.querySelector('canvas');
    if (!c || c.width === 0 || c.height === 0) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { out.push(div.id); break; } }
  }
  return out;
})()`
