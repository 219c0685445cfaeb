package table

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `patient_id,center,outcome,lesion_original_firstorder_Mean,cord_median_glcm_Contrast
P01,A,1,0.1,0.0025
P02,B,0,0.30000000000000004,-7
P03,A,1,1e+300,0
`

func TestReadWriteRoundTrip(t *testing.T) {
	tb, err := Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if tb.Rows() != 3 || len(tb.Names) != 2 || len(tb.MetaName) != 2 {
		t.Fatalf("rows %d features %v meta %v", tb.Rows(), tb.Names, tb.MetaName)
	}
	if got := tb.X[1][0]; got != 0.30000000000000004 {
		t.Fatalf("X[1][0] = %v", got)
	}
	var buf bytes.Buffer
	if err := tb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != sample {
		t.Fatalf("round trip changed the bytes:\n%s", buf.String())
	}
	y, err := tb.Labels("outcome")
	if err != nil || y[0] != 1 || y[1] != 0 {
		t.Fatalf("labels %v, %v", y, err)
	}
	c, _ := tb.MetaColumn("center")
	if strings.Join(c, "") != "ABA" {
		t.Fatalf("center %v", c)
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty file"},
		{"name,x\na,1\n", "first column must be patient_id or id"},
		{"id,x,x\na,1,2\n", `column "x" appears twice`},
		{"id,x\na,1\na,2\n", `duplicate id "a"`},
		{"id,x\na,NaN\n", `column "x": "NaN" is not a finite number`},
		{"id,x\na,abc\n", `"abc" is not a finite number`},
		{"id,x\na,1,2\n", "wrong number of fields"},
		{"id,x\n", "no rows"},
		{"id,,x\na,1,2\n", "column 2 has an empty name"},
		{"id,x\n,1\n", "line 2: empty id"},
		{"id,x,id\na,1,2\n", `column "id" appears twice`},
		{"id,x\n\"a\nb\",z\n", `line 2: id "a\nb" holds a control character`},
		{"id,x\na,z\n", `(id "a"), column "x": "z" is not a finite number`},
		{"id,x\na,1e999\n", `"1e999" is not a finite number`},
		{"id,x\na,\"1\n", `extraneous or missing " in quoted-field`},
	} {
		_, err := Read(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Read(%q): err = %v, want one line that mentions %q", c.in, err, c.want)
		}
	}
}

func TestReadFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "features.csv")
	if err := os.WriteFile(bad, []byte("id,x\na,abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.csv")
	for _, p := range []string{bad, missing} {
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadFile(%s): %v, want the path named", p, err)
		}
	}
}

func TestLabelsErrors(t *testing.T) {
	tb, _ := Read(strings.NewReader("id,outcome,x\na,1,1\nb,1,2\n"))
	if _, err := tb.Labels("outcome"); err == nil || !strings.Contains(err.Error(), "single class") {
		t.Errorf("single class: %v", err)
	}
	tb, _ = Read(strings.NewReader("id,outcome,x\na,2,1\nb,1,2\n"))
	if _, err := tb.Labels("outcome"); err == nil || !strings.Contains(err.Error(), "not 0 or 1") {
		t.Errorf("bad label: %v", err)
	}
	if _, err := tb.Labels("nope"); err == nil || !strings.Contains(err.Error(), `no column "nope" (have outcome)`) {
		t.Errorf("missing column: %v", err)
	}
	if _, err := tb.MetaColumn("center"); err == nil || !strings.Contains(err.Error(), `no column "center"`) {
		t.Errorf("missing metadata column: %v", err)
	}
}

func TestSubsetSelectJoin(t *testing.T) {
	tb, _ := Read(strings.NewReader(sample))
	s := tb.Subset([]int{2, 0})
	if s.IDs[0] != "P03" || s.X[0][0] != 1e300 || s.Meta[0][0] != "A" {
		t.Fatalf("subset %+v", s)
	}
	s.X[0][0] = 5
	if tb.X[2][0] != 1e300 {
		t.Fatal("Subset shares rows with its source")
	}
	sel, err := tb.SelectColumns([]string{"cord_median_glcm_Contrast"})
	if err != nil || len(sel.Names) != 1 || sel.X[1][0] != -7 {
		t.Fatalf("select %+v %v", sel, err)
	}
	if _, err := tb.SelectColumns([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `no feature column "nope"`) {
		t.Fatalf("missing column: %v", err)
	}
	deep, _ := Read(strings.NewReader("patient_id,resnet34_median_pc01\nP03,3\nP01,1\nP02,2\n"))
	j, err := Join(tb, deep)
	if err != nil {
		t.Fatal(err)
	}
	if j.X[0][2] != 1 || j.X[2][2] != 3 || len(j.Names) != 3 {
		t.Fatalf("join %+v", j.X)
	}
	if _, err := Join(tb, tb); err == nil {
		t.Fatal("join with repeated names: no error")
	}
	short, _ := Read(strings.NewReader("patient_id,z\nP01,1\n"))
	if _, err := Join(tb, short); err == nil || !strings.Contains(err.Error(), "P02, P03") {
		t.Fatalf("join with missing ids: %v", err)
	}
}

func TestFormatFloatRoundTrips(t *testing.T) {
	for _, x := range []float64{0.1, 1.0 / 3, math.Pi * 1e-300, -2.5e17} {
		var tb Table
		tb.IDs = []string{"a"}
		tb.Names = []string{"x"}
		tb.X = [][]float64{{x}}
		var buf bytes.Buffer
		tb.Write(&buf)
		back, err := Read(&buf)
		if err != nil || back.X[0][0] != x {
			t.Fatalf("%v read back as %v (%v)", x, back, err)
		}
	}
}

func TestWriteFileAtomicKeepsOldFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return errors.New("disk on fire")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("file now holds %q", b)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Fatalf("temporary file left behind: %v", ents)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("file holds %q, want new", b)
	}
}
