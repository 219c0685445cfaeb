// Package htmltable renders a header and rows of text as an HTML table,
// every cell escaped: the one table writer behind scirad's HTML tables
// (Tables 2–3, robustness, the report's own tables).
package htmltable

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// Write writes the table to w. class and caption are optional.
func Write(w io.Writer, class, caption string, header []string, rows [][]string) error {
	_, err := io.WriteString(w, String(class, caption, header, rows))
	return err
}

// String returns the table as HTML.
func String(class, caption string, header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("<table")
	if class != "" {
		fmt.Fprintf(&b, " class=\"%s\"", html.EscapeString(class))
	}
	b.WriteString(">\n")
	if caption != "" {
		fmt.Fprintf(&b, "<caption>%s</caption>\n", html.EscapeString(caption))
	}
	b.WriteString("<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return b.String()
}
