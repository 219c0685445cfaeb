package harmonize

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/table"
)

// TableModel is a ComBat model fitted on a feature table: the Model plus
// the names of its batch column, feature columns and covariate encoding,
// so that it can be applied to another table of the same layout.
type TableModel struct {
	*Model
	Batch      string   // the centre column
	Names      []string // feature columns, in Model order
	Covariates []string // covariate columns as given
	// Encoded names the numeric covariate columns the model saw: a
	// numeric column as is, a categorical one as "col=level" indicators
	// for every level but the first (sorted), as R's model.matrix codes a
	// factor.
	Encoded []string
	levels  [][]string // per covariate: nil if numeric, else sorted levels
}

// FitTable fits ComBat on every feature column of t, with centres from
// metadata column batch and covariates from the named metadata columns
// (read the table with them as metadata: table.ReadFile(path, batch,
// covariates...)). Errors name the column, row or centre.
func FitTable(t *table.Table, batch string, covariates []string, o Options) (*TableModel, error) {
	b, err := t.MetaColumn(batch)
	if err != nil {
		return nil, fmt.Errorf("harmonize: centre column: %v", err)
	}
	tm := &TableModel{Batch: batch, Names: slices.Clone(t.Names), Covariates: slices.Clone(covariates)}
	for _, c := range covariates {
		vals, err := t.MetaColumn(c)
		if err != nil {
			return nil, fmt.Errorf("harmonize: covariate: %v", err)
		}
		// A column is numeric when every value is a number, categorical
		// when none is; a blank or a mix is a data error (a missing age
		// must not turn age into a factor with one level per patient).
		word := -1
		var nums int
		for i, v := range vals {
			s := strings.TrimSpace(v)
			if s == "" {
				return nil, fmt.Errorf("harmonize: row %s, covariate %q: empty value", t.IDs[i], c)
			}
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				nums++
			} else if word < 0 {
				word = i
			}
		}
		if nums > 0 && word >= 0 {
			return nil, fmt.Errorf("harmonize: row %s, covariate %q: %q is not a number, but %d other rows are", t.IDs[word], c, vals[word], nums)
		}
		if word < 0 {
			tm.levels = append(tm.levels, nil)
			tm.Encoded = append(tm.Encoded, c)
			continue
		}
		lv := slices.Clone(vals)
		sort.Strings(lv)
		lv = slices.Compact(lv)
		if len(lv) < 2 {
			return nil, fmt.Errorf("harmonize: covariate %q has the single level %q", c, lv[0])
		}
		tm.levels = append(tm.levels, lv)
		for _, l := range lv[1:] {
			tm.Encoded = append(tm.Encoded, c+"="+l)
		}
	}
	cov, err := tm.encode(t)
	if err != nil {
		return nil, err
	}
	o.Names, o.CovariateNames = t.Names, tm.Encoded
	m, err := Fit(t.X, b, cov, o)
	if err != nil {
		return nil, err
	}
	tm.Model = m
	return tm, nil
}

// ApplyTable returns a copy of t (its metadata, the model's feature
// columns in the model's order) with the features harmonised. t must hold
// every feature, the centre column and the covariates the model was
// fitted with, and only centres seen in the fit.
func (tm *TableModel) ApplyTable(t *table.Table) (*table.Table, error) {
	out, err := t.SelectColumns(tm.Names)
	if err != nil {
		return nil, fmt.Errorf("harmonize: %v (the table must hold every feature the model was fitted on)", err)
	}
	b, err := t.MetaColumn(tm.Batch)
	if err != nil {
		return nil, fmt.Errorf("harmonize: centre column: %v", err)
	}
	cov, err := tm.encode(t)
	if err != nil {
		return nil, err
	}
	X, err := tm.Apply(out.X, b, cov)
	if err != nil {
		return nil, err
	}
	out.X = X
	return out, nil
}

func (tm *TableModel) encode(t *table.Table) ([][]float64, error) {
	if len(tm.Covariates) == 0 {
		return nil, nil
	}
	out := make([][]float64, t.Rows())
	for k, c := range tm.Covariates {
		vals, err := t.MetaColumn(c)
		if err != nil {
			return nil, fmt.Errorf("harmonize: covariate: %v", err)
		}
		for i, v := range vals {
			if tm.levels[k] == nil {
				x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return nil, fmt.Errorf("harmonize: row %s, covariate %q: %q is not a number", t.IDs[i], c, v)
				}
				out[i] = append(out[i], x)
				continue
			}
			if !slices.Contains(tm.levels[k], v) {
				return nil, fmt.Errorf("harmonize: row %s, covariate %q: level %q was not in the training table", t.IDs[i], c, v)
			}
			for _, l := range tm.levels[k][1:] {
				x := 0.0
				if v == l {
					x = 1
				}
				out[i] = append(out[i], x)
			}
		}
	}
	return out, nil
}
