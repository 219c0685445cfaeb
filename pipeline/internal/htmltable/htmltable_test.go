package htmltable

import "testing"

func TestString(t *testing.T) {
	got := String("m", "Table 2 & more", []string{"Signature", "AUC"}, [][]string{{"Rad <LR>", "0.85"}})
	want := "<table class=\"m\">\n<caption>Table 2 &amp; more</caption>\n<thead><tr><th>Signature</th><th>AUC</th></tr></thead>\n<tbody>\n<tr><td>Rad &lt;LR&gt;</td><td>0.85</td></tr>\n</tbody>\n</table>\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if got := String("", "", []string{"a"}, nil); got != "<table>\n<thead><tr><th>a</th></tr></thead>\n<tbody>\n</tbody>\n</table>\n" {
		t.Fatalf("bare table %q", got)
	}
}
