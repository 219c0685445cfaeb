package cohort

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

	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// ClinicalColumns is the header of clinical.csv, in the order scirad writes
// it (the data contract, docs/contract.md). A reader accepts the columns in any order and
// ignores extra columns.
var ClinicalColumns = []string{
	"patient_id", "center", "age", "sex", "days_to_surgery", "cause",
	"asia_admission", "uems_admission", "asia_1y", "uems_1y",
}

// The categories of the categorical clinical columns, in the order of the
// paper's Table 1. Values are matched case-insensitively and stored in this
// canonical spelling.
var (
	Sexes  = []string{"male", "female"}
	Causes = []string{"fall", "vehicle", "sports", "other"}
	Grades = []string{"A", "B", "C", "D", "E"} // ASIA impairment scale
)

// MaxUEMS is the largest ASIA upper-extremity motor score: five key muscles
// on each side, graded 0–5.
const MaxUEMS = 50

// Patient is one row of a cohort: clinical.csv joined with manifest.csv.
type Patient struct {
	ID     string
	Center string

	Age           float64 // years
	Sex           string  // one of Sexes
	DaysToSurgery float64 // days from injury to surgery
	Cause         string  // one of Causes
	ASIAAdmission string  // one of Grades
	UEMSAdmission float64 // 0–MaxUEMS
	ASIA1y        string  // one of Grades
	UEMS1y        float64 // 0–MaxUEMS

	// Image, Mask and Mask2 are absolute paths (Mask2, the second rater's
	// mask, is "" when the manifest has none). Empty when only clinical.csv
	// was read.
	Image, Mask, Mask2 string
}

// Delta is the paper's change score, uems_admission − uems_1y; negative
// means improvement.
func (p Patient) Delta() float64 { return p.UEMSAdmission - p.UEMS1y }

// WriteClinical writes ps as clinical.csv. Numbers are written in Go's
// shortest round-trip form, so equal inputs give equal bytes.
func WriteClinical(w io.Writer, ps []Patient) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ClinicalColumns); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, p := range ps {
		rec := []string{p.ID, p.Center, f(p.Age), p.Sex, f(p.DaysToSurgery), p.Cause,
			p.ASIAAdmission, f(p.UEMSAdmission), p.ASIA1y, f(p.UEMS1y)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// problems gathers data errors by kind, so one error message can list every
// offending patient instead of stopping at the first.
type problems struct {
	order []string
	ids   map[string][]string
}

func (p *problems) add(kind, item string) {
	if p.ids == nil {
		p.ids = map[string][]string{}
	}
	if _, ok := p.ids[kind]; !ok {
		p.order = append(p.order, kind)
	}
	p.ids[kind] = append(p.ids[kind], oneLine(item))
}

// oneLine returns s, or s quoted when it holds a character that would break
// a one-line error message (a newline inside a quoted CSV field).
func oneLine(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(s)
	}
	return s
}

// err returns nil when nothing was added, else one error whose lines each
// name a problem and the patients it concerns.
func (p *problems) err(file string) error {
	if len(p.order) == 0 {
		return nil
	}
	var b strings.Builder
	for i, k := range p.order {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", k, listItems(p.ids[k]))
	}
	return fmt.Errorf("%s: %s", file, b.String())
}

// listItems joins items, eliding the middle of very long lists.
func listItems(items []string) string {
	const most = 20
	if len(items) <= most {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:most], ", ") + fmt.Sprintf(", … (%d in all)", len(items))
}

// csvFile is a parsed CSV with a header: rows of strings and the column
// index of each header name.
type csvFile struct {
	name string
	head []string
	col  map[string]int
	rows [][]string
	line []int // file line of each row, for messages
}

func readCSV(path string, required []string) (*csvFile, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 0
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, expected a header with %s", path, strings.Join(required, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	c := &csvFile{name: path, head: head, col: map[string]int{}}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if _, dup := c.col[h]; dup {
			return nil, fmt.Errorf("%s: column %q appears twice", path, h)
		}
		c.col[h] = i
	}
	var missing []string
	for _, r := range required {
		if _, ok := c.col[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing column(s) %s (header has %s)", path,
			strings.Join(missing, ", "), oneLine(strings.Join(head, ",")))
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		c.rows = append(c.rows, rec)
		c.line = append(c.line, line)
	}
	if len(c.rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	return c, nil
}

func (c *csvFile) get(row int, name string) string {
	return strings.TrimSpace(c.rows[row][c.col[name]])
}

// ids checks that every row has a non-empty, unique patient_id and returns
// them in file order.
func (c *csvFile) ids() ([]string, error) {
	var p problems
	seen := map[string]int{}
	ids := make([]string, len(c.rows))
	for r := range c.rows {
		id := c.get(r, "patient_id")
		ids[r] = id
		if id == "" {
			p.add("empty patient_id", fmt.Sprintf("line %d", c.line[r]))
			continue
		}
		if n := seen[id]; n == 1 {
			p.add("duplicate patient_id", id)
		}
		seen[id]++
	}
	return ids, p.err(c.name)
}

// ReadClinical reads and validates clinical.csv. Every problem of a kind
// (non-numeric value, unknown category, out-of-range score, duplicate id) is
// reported in one error that lists the offending patients.
func ReadClinical(path string) ([]Patient, error) {
	c, err := readCSV(path, ClinicalColumns)
	if err != nil {
		return nil, err
	}
	ids, err := c.ids()
	if err != nil {
		return nil, err
	}
	var p problems
	num := func(r int, col string, lo, hi float64) float64 {
		s := c.get(r, col)
		x, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
			p.add(fmt.Sprintf("column %s: not a finite number", col), fmt.Sprintf("%s (%q)", ids[r], s))
		case x < lo || x > hi:
			p.add(fmt.Sprintf("column %s: outside [%g, %g]", col, lo, hi), fmt.Sprintf("%s (%s)", ids[r], s))
		}
		return x
	}
	cat := func(r int, col string, levels []string) string {
		s := c.get(r, col)
		for _, l := range levels {
			if strings.EqualFold(s, l) {
				return l
			}
		}
		p.add(fmt.Sprintf("column %s: unknown category (expected %s)", col, strings.Join(levels, "|")),
			fmt.Sprintf("%s (%q)", ids[r], s))
		return s
	}
	ps := make([]Patient, len(c.rows))
	for r := range c.rows {
		ps[r] = Patient{
			ID:            ids[r],
			Center:        c.get(r, "center"),
			Age:           num(r, "age", 0, 130),
			Sex:           cat(r, "sex", Sexes),
			DaysToSurgery: num(r, "days_to_surgery", 0, 36500),
			Cause:         cat(r, "cause", Causes),
			ASIAAdmission: cat(r, "asia_admission", Grades),
			UEMSAdmission: num(r, "uems_admission", 0, MaxUEMS),
			ASIA1y:        cat(r, "asia_1y", Grades),
			UEMS1y:        num(r, "uems_1y", 0, MaxUEMS),
		}
		if ps[r].Center == "" {
			p.add("column center: empty", ids[r])
		}
	}
	if err := p.err(path); err != nil {
		return nil, err
	}
	return ps, nil
}

// ManifestEntry is one row of manifest.csv with paths resolved against the
// manifest's folder.
type ManifestEntry struct {
	ID, Center         string
	Image, Mask, Mask2 string
}

// ManifestColumns is the header scirad writes; mask_rater2 is optional on
// reading.
var ManifestColumns = []string{"patient_id", "center", "image", "mask", "mask_rater2"}

// WriteManifest writes manifest.csv; paths are written as given, which
// should be relative to the manifest's folder and use forward slashes.
func WriteManifest(w io.Writer, es []ManifestEntry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ManifestColumns); err != nil {
		return err
	}
	for _, e := range es {
		if err := cw.Write([]string{e.ID, e.Center, e.Image, e.Mask, e.Mask2}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadManifest reads manifest.csv and resolves its paths against the
// manifest's folder (absolute paths are kept). It checks ids and that every
// named file exists, listing the patients whose files are missing.
func ReadManifest(path string) ([]ManifestEntry, error) {
	c, err := readCSV(path, ManifestColumns[:4])
	if err != nil {
		return nil, err
	}
	ids, err := c.ids()
	if err != nil {
		return nil, err
	}
	_, has2 := c.col["mask_rater2"]
	dir := dirOf(path)
	var p problems
	file := func(r int, col string) string {
		s := c.get(r, col)
		if s == "" {
			p.add(fmt.Sprintf("column %s: empty path", col), ids[r])
			return ""
		}
		full := resolve(dir, s)
		if _, err := os.Stat(full); err != nil {
			p.add(fmt.Sprintf("column %s: file not found", col), fmt.Sprintf("%s (%s)", ids[r], s))
		}
		return full
	}
	es := make([]ManifestEntry, len(c.rows))
	for r := range c.rows {
		es[r] = ManifestEntry{ID: ids[r], Center: c.get(r, "center"), Image: file(r, "image"), Mask: file(r, "mask")}
		if has2 && c.get(r, "mask_rater2") != "" {
			es[r].Mask2 = file(r, "mask_rater2")
		}
	}
	if err := p.err(path); err != nil {
		return nil, err
	}
	return es, nil
}

// sortedIDs returns the ids of ps, sorted, for stable messages.
func sortedIDs(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
