package table

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Read. Invariants: no panic; an error is
// one line starting with the reader's name ("table: "); a table that reads
// writes back to bytes that read to the same table, whose values are all
// finite.
func FuzzRead(f *testing.F) {
	f.Add([]byte(sample))
	for _, p := range []string{
		"../../testdata/harmonize/input.csv",
		"../../testdata/classify/breast_cancer.csv",
	} {
		b, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(headLines(b, 6))
	}
	for _, s := range []string{
		"\ufeffid,x\na,1\n",
		"id\na\n",
		"id,x\r\n\"a,b\",-0\r\n",
		"patient_id,center,x\n\" P1\",\"A\nB\",0x1p-2\n",
		"id,x,id\na,1,2\n",
		"id,outcome,x\n\"a\nb\",2,1\nc,0,1\n",
		"patient_id,rater\nP1,1\nP2,0\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Read(bytes.NewReader(b), "rater")
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "table: ") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error not one line naming the input: %q", msg)
			}
			return
		}
		checkShape(t, tb)
		for _, col := range []string{"outcome", "rater", "x"} {
			if y, err := tb.Labels(col); err != nil {
				if msg := err.Error(); !strings.HasPrefix(msg, "table: ") || strings.ContainsAny(msg, "\n\r") {
					t.Fatalf("Labels(%q): error not one line: %q", col, msg)
				}
			} else if len(y) != tb.Rows() {
				t.Fatalf("Labels(%q): %d labels for %d rows", col, len(y), tb.Rows())
			}
		}
		var buf bytes.Buffer
		if err := tb.Write(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&buf, "rater")
		if err != nil {
			t.Fatalf("written table does not read back: %v\n%s", err, buf.Bytes())
		}
		if !sameTable(tb, back) {
			t.Fatalf("round trip changed the table:\n%+v\n%+v", tb, back)
		}
	})
}

// headLines returns the first n lines of b.
func headLines(b []byte, n int) []byte {
	i := 0
	for k := 0; k < n; k++ {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b
		}
		i += j + 1
	}
	return b[:i]
}

func checkShape(t *testing.T, tb *Table) {
	t.Helper()
	if tb.Rows() == 0 || len(tb.X) != tb.Rows() || len(tb.Meta) != len(tb.MetaName) {
		t.Fatalf("inconsistent table %+v", tb)
	}
	for _, m := range tb.Meta {
		if len(m) != tb.Rows() {
			t.Fatalf("metadata column of %d rows, table of %d", len(m), tb.Rows())
		}
	}
	for i, row := range tb.X {
		if len(row) != len(tb.Names) {
			t.Fatalf("row %d has %d values for %d names", i, len(row), len(tb.Names))
		}
		for _, x := range row {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("row %d holds %v", i, x)
			}
		}
	}
}

func sameTable(a, b *Table) bool {
	if a.IDName != b.IDName || !slices.Equal(a.IDs, b.IDs) || !slices.Equal(a.MetaName, b.MetaName) ||
		!slices.Equal(a.Names, b.Names) || len(a.Meta) != len(b.Meta) || len(a.X) != len(b.X) {
		return false
	}
	for m := range a.Meta {
		if !slices.Equal(a.Meta[m], b.Meta[m]) {
			return false
		}
	}
	for i := range a.X {
		if len(a.X[i]) != len(b.X[i]) {
			return false
		}
		for j, x := range a.X[i] {
			if math.Float64bits(x) != math.Float64bits(b.X[i][j]) {
				return false
			}
		}
	}
	return true
}
