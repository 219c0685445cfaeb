package icc

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/scirad/scirad/pipeline/table"
)

// DefaultThreshold is the paper's ICC cut-off (0.75, "good reliability" in
// Koo and Li's guideline).
const DefaultThreshold = 0.75

// Options configure Features. The zero value is the paper's rule: keep a
// feature when ICC(2,1) > 0.75 (the paper: "an ICC > 0.75 indicating
// strong consistency").
type Options struct {
	// Threshold is the least ICC kept; 0 means DefaultThreshold.
	Threshold float64
	// Consistency judges by ICC(3,1) (two-way mixed, consistency) instead
	// of ICC(2,1) (two-way random, absolute agreement).
	Consistency bool
}

// Feature is one feature's reliability.
type Feature struct {
	Name         string
	ICC21, ICC31 float64 // NaN when Note says why
	Keep         bool    // the judged ICC is above the threshold
	Note         string  // why the ICC is undefined, if it is
}

// Features computes, for every feature column of r1, the ICCs between the
// values from rater-1 masks (r1) and rater-2 masks (r2) over the patients in
// both tables (matched by id). A feature whose ratings are all equal has an
// undefined ICC (NaN, with a Note) and is not kept. It is an error for the
// tables to share fewer than two patients or for r2 to lack a column of r1.
func Features(r1, r2 *table.Table, o Options) ([]Feature, error) {
	th := o.Threshold
	if th == 0 {
		th = DefaultThreshold
	}
	if math.IsNaN(th) {
		return nil, errors.New("icc: threshold is NaN")
	}
	row2 := map[string]int{}
	for i, id := range r2.IDs {
		row2[id] = i
	}
	var pairs [][2]int
	for i, id := range r1.IDs {
		if j, ok := row2[id]; ok {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	if len(pairs) < 2 {
		return nil, fmt.Errorf("icc: %d patients have both raters' masks; need at least 2", len(pairs))
	}
	out := make([]Feature, len(r1.Names))
	x := make([][]float64, len(pairs))
	for i := range x {
		x[i] = make([]float64, 2)
	}
	for c, name := range r1.Names {
		c2 := r2.Col(name)
		if c2 < 0 {
			return nil, fmt.Errorf("icc: rater-2 table has no column %q", name)
		}
		for p, ij := range pairs {
			x[p][0], x[p][1] = r1.X[ij[0]][c], r2.X[ij[1]][c2]
		}
		f := Feature{Name: name, ICC21: math.NaN(), ICC31: math.NaN()}
		r, err := Compute(x, 0)
		switch {
		case errors.Is(err, ErrConstant):
			f.Note = "all values equal"
		case err != nil:
			f.Note = err.Error()
		default:
			f.ICC21, f.ICC31 = r.ICC21(), r.ICC31()
			judged := f.ICC21
			if o.Consistency {
				judged = f.ICC31
			}
			f.Keep = judged > th
			if math.IsNaN(judged) {
				f.Note = "ICC is 0/0: equal subject means and no residual"
			}
		}
		out[c] = f
	}
	return out, nil
}

// Filter returns t without the features that fs marks as not kept; columns
// fs does not mention are kept.
func Filter(t *table.Table, fs []Feature) (*table.Table, error) {
	drop := map[string]bool{}
	for _, f := range fs {
		if !f.Keep {
			drop[f.Name] = true
		}
	}
	var keep []string
	for _, n := range t.Names {
		if !drop[n] {
			keep = append(keep, n)
		}
	}
	return t.SelectColumns(keep)
}

// WriteCSV writes fs as "feature,icc21,icc31,keep,note", quoting fields as
// CSV requires (a feature name may hold a comma).
func WriteCSV(w io.Writer, fs []Feature) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"feature", "icc21", "icc31", "keep", "note"}); err != nil {
		return err
	}
	for _, f := range fs {
		rec := []string{f.Name, table.FormatFloat(f.ICC21), table.FormatFloat(f.ICC31), strconv.FormatBool(f.Keep), f.Note}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
