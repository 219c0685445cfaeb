package table

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/scirad/scirad/pipeline/internal/atomicfile"
	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// DefaultMeta lists the column names always read as metadata.
var DefaultMeta = []string{"center", "centre", "outcome", "label", "target", "split", "set", "cohort"}

// Table is a feature table. X is row-major: X[i][j] is feature Names[j] of
// patient IDs[i].
type Table struct {
	IDName   string     // header of the id column: "patient_id" or "id"
	IDs      []string   // one per row
	MetaName []string   // metadata column names, in file order
	Meta     [][]string // Meta[m][i]: metadata column m of row i
	Names    []string   // feature names
	X        [][]float64
}

// Rows is the number of patients.
func (t *Table) Rows() int { return len(t.IDs) }

// Col returns the index of feature name, or -1.
func (t *Table) Col(name string) int { return slices.Index(t.Names, name) }

// Column returns a copy of feature column j.
func (t *Table) Column(j int) []float64 {
	c := make([]float64, len(t.X))
	for i, row := range t.X {
		c[i] = row[j]
	}
	return c
}

// MetaColumn returns metadata column name, or an error naming the column.
func (t *Table) MetaColumn(name string) ([]string, error) {
	m := slices.Index(t.MetaName, name)
	if m < 0 {
		return nil, fmt.Errorf("table: no column %q (have %s)", name, strings.Join(t.MetaName, ", "))
	}
	return t.Meta[m], nil
}

// SetMeta sets (adds or replaces) metadata column name.
func (t *Table) SetMeta(name string, vals []string) {
	if len(vals) != len(t.IDs) {
		panic("table: SetMeta length mismatch")
	}
	if m := slices.Index(t.MetaName, name); m >= 0 {
		t.Meta[m] = vals
		return
	}
	t.MetaName = append(t.MetaName, name)
	t.Meta = append(t.Meta, vals)
}

// Labels parses metadata (or, failing that, feature) column name as 0/1
// class labels. It is an error for a value to be anything else or for the
// column to hold fewer than two classes.
func (t *Table) Labels(name string) ([]int, error) {
	vals, err := t.MetaColumn(name)
	if err != nil {
		j := t.Col(name)
		if j < 0 {
			return nil, err
		}
		vals = make([]string, t.Rows())
		for i := range vals {
			vals[i] = strconv.FormatFloat(t.X[i][j], 'g', -1, 64)
		}
	}
	y := make([]int, len(vals))
	var n1 int
	for i, v := range vals {
		switch strings.TrimSpace(v) {
		case "0":
		case "1":
			y[i] = 1
			n1++
		default:
			return nil, fmt.Errorf("table: column %q row %q: label %q is not 0 or 1", name, t.IDs[i], v)
		}
	}
	if n1 == 0 || n1 == len(y) {
		return nil, fmt.Errorf("table: column %q holds a single class (%d rows): need both 0 and 1", name, len(y))
	}
	return y, nil
}

// Subset returns the rows idx (in that order), sharing no slices with t.
func (t *Table) Subset(idx []int) *Table {
	out := &Table{IDName: t.IDName, MetaName: slices.Clone(t.MetaName), Names: slices.Clone(t.Names)}
	out.Meta = make([][]string, len(t.Meta))
	for _, i := range idx {
		out.IDs = append(out.IDs, t.IDs[i])
		out.X = append(out.X, slices.Clone(t.X[i]))
		for m := range t.Meta {
			out.Meta[m] = append(out.Meta[m], t.Meta[m][i])
		}
	}
	return out
}

// SelectColumns returns a table with only the named features, in the given
// order. It is an error for a name to be missing.
func (t *Table) SelectColumns(names []string) (*Table, error) {
	cols := make([]int, len(names))
	for k, n := range names {
		if cols[k] = t.Col(n); cols[k] < 0 {
			return nil, fmt.Errorf("table: no feature column %q", n)
		}
	}
	out := &Table{IDName: t.IDName, IDs: slices.Clone(t.IDs), MetaName: slices.Clone(t.MetaName), Names: slices.Clone(names)}
	for _, m := range t.Meta {
		out.Meta = append(out.Meta, slices.Clone(m))
	}
	out.X = make([][]float64, len(t.X))
	for i, row := range t.X {
		r := make([]float64, len(cols))
		for k, j := range cols {
			r[k] = row[j]
		}
		out.X[i] = r
	}
	return out, nil
}

// Join appends u's features to t's, matching rows by id. Metadata comes
// from t. It is an error for a feature name to repeat or for an id of t to
// be missing from u.
func Join(t, u *Table) (*Table, error) {
	pos := make(map[string]int, len(u.IDs))
	for i, id := range u.IDs {
		pos[id] = i
	}
	out, _ := t.SelectColumns(t.Names)
	for _, n := range u.Names {
		if t.Col(n) >= 0 {
			return nil, fmt.Errorf("table: feature %q in both tables", n)
		}
	}
	out.Names = append(out.Names, u.Names...)
	var missing []string
	for i, id := range t.IDs {
		k, ok := pos[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		out.X[i] = append(out.X[i], u.X[k]...)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("table: ids missing from the second table: %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// Read parses a feature table. Columns in meta (beyond DefaultMeta) are read
// as strings. Errors name the file (when r is an *os.File), row and column.
func Read(r io.Reader, meta ...string) (*Table, error) {
	name := "table"
	if f, ok := r.(*os.File); ok {
		name = f.Name()
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, expected a header", name)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	for c := range head {
		head[c] = lineEnds(head[c])
	}
	if len(head) == 0 || (head[0] != "patient_id" && head[0] != "id") {
		return nil, fmt.Errorf("%s: first column must be patient_id or id, got %q", name, first(head))
	}
	t := &Table{IDName: head[0]}
	isMeta := make([]bool, len(head))
	seen := map[string]bool{head[0]: true}
	for c, h := range head[1:] {
		c++
		if h == "" {
			return nil, fmt.Errorf("%s: column %d has an empty name", name, c+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s: column %q appears twice", name, h)
		}
		seen[h] = true
		if slices.Contains(DefaultMeta, h) || slices.Contains(meta, h) {
			isMeta[c] = true
			t.MetaName = append(t.MetaName, h)
		} else {
			t.Names = append(t.Names, h)
		}
	}
	t.Meta = make([][]string, len(t.MetaName))
	ids := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		id := rec[0]
		if id == "" {
			return nil, fmt.Errorf("%s: line %d: empty id", name, line)
		}
		if strings.ContainsFunc(id, unicode.IsControl) {
			// Ids end up in other stages' one-line messages.
			return nil, fmt.Errorf("%s: line %d: id %q holds a control character", name, line, id)
		}
		if ids[id] {
			return nil, fmt.Errorf("%s: line %d: duplicate id %q", name, line, id)
		}
		ids[id] = true
		t.IDs = append(t.IDs, id)
		row := make([]float64, 0, len(t.Names))
		m := 0
		for c := 1; c < len(rec); c++ {
			if isMeta[c] {
				t.Meta[m] = append(t.Meta[m], lineEnds(rec[c]))
				m++
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s: line %d (id %q), column %q: %q is not a finite number", name, line, id, head[c], rec[c])
			}
			row = append(row, x)
		}
		t.X = append(t.X, row)
	}
	if len(t.IDs) == 0 {
		return nil, fmt.Errorf("%s: no rows", name)
	}
	return t, nil
}

// lineEnds turns every CR LF inside a quoted field into LF. encoding/csv
// does so for one CR before each line end, so a field holding CR CR LF
// would read as CR LF and, written back, read as LF: the table would not
// survive a round trip (FuzzRead).
func lineEnds(v string) string {
	for strings.Contains(v, "\r\n") {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	return v
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// ReadFile reads a table from path.
func ReadFile(path string, meta ...string) (*Table, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, meta...)
}

// FormatFloat is the one number format of scirad's CSV outputs: the
// shortest string that reads back to the same float64.
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Write writes t as CSV: id, metadata, features.
func (t *Table) Write(w io.Writer) error {
	cw := csv.NewWriter(w)
	idName := t.IDName
	if idName == "" {
		idName = "patient_id"
	}
	head := append(append([]string{idName}, t.MetaName...), t.Names...)
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for i, id := range t.IDs {
		rec[0] = id
		for m := range t.Meta {
			rec[1+m] = t.Meta[m][i]
		}
		for j, x := range t.X[i] {
			rec[1+len(t.Meta)+j] = FormatFloat(x)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFile writes t to path atomically (see WriteFileAtomic).
func (t *Table) WriteFile(path string) error {
	return WriteFileAtomic(path, t.Write)
}

// WriteFileAtomic writes through fill into a temporary file beside path and
// renames it over path only when fill succeeds, so a failed or interrupted
// write never leaves a partial output, and an input is never truncated
// while it is being read.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	return atomicfile.WriteFile(path, fill)
}
