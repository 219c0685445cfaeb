package report

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// FuzzNames puts arbitrary text in every place a user's data reaches a
// report (titles, captions, section text, series names, categories, table
// cells). Invariant: the page keeps its structure: one <script> element
// per chart plus the inlined echarts, each closed once, and no text
// outside a script becomes a tag.
func FuzzNames(f *testing.F) {
	f.Add("lesion_original_glcm_Contrast", "good")
	f.Add("</script><script>alert(1)</script>", "<!--<script>")
	f.Add("</SCRIPT >", "<\u2028/script>")
	f.Fuzz(func(t *testing.T, name, other string) {
		c := XY("roc", name, name, other, []Curve{{Name: other, X: []float64{0, 1}, Y: []float64{0, 1}}}, true)
		bars := Bars("bars", other, []string{name, other}, []BarSeries{{Name: name, Values: []float64{1, 2}}}, true)
		d := &Document{Title: name, Sections: []Section{{
			Title: other, Text: name,
			Blocks:  []template.HTML{Table(name, []string{other}, [][]string{{name}})},
			Figures: []Figure{{ID: "roc", Title: name, Caption: other, Chart: c}, {ID: "bars", Chart: bars}},
		}}}
		var b bytes.Buffer
		if err := d.WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		page := strings.ToLower(b.String())
		rest := page[strings.LastIndex(page, "<body>"):]
		var outside strings.Builder
		scripts := 0
		for {
			i := strings.Index(rest, "<script")
			if i < 0 {
				outside.WriteString(rest)
				break
			}
			outside.WriteString(rest[:i])
			j := strings.Index(rest[i:], "</script")
			if j < 0 {
				t.Fatalf("unclosed script for %q, %q", name, other)
			}
			// A name that closed the element early would leave this
			// script without its last statement.
			if !strings.Contains(rest[i:i+j], ".setoption(option_") {
				t.Fatalf("a script element ends early for %q, %q", name, other)
			}
			scripts++
			rest = rest[i+j+len("</script"):]
		}
		if scripts != 2 {
			t.Fatalf("%d script elements for %q, %q", scripts, name, other)
		}
		if strings.Contains(outside.String(), "<!--") {
			t.Fatalf("a comment opens outside the scripts for %q, %q", name, other)
		}
	})
}
