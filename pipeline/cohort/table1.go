package cohort

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
)

// Table1 is the paper's Table 1: the two prognosis groups compared on every
// clinical variable, continuous ones as mean (SD) with Student's t-test,
// categorical ones as counts per category with Pearson's chi-square test.
type Table1 struct {
	NGood, NPoor int
	Threshold    float64 // the outcome threshold T on δ
	Rows         []Row
}

// Row is one line of Table 1: a variable (with its p-value) or one category
// of a categorical variable (indented, counts only).
type Row struct {
	Label      string
	Level      bool   // a category line under a categorical variable
	Good, Poor string // formatted cells: "52.07 (12.70)" or "34"
	HasP       bool   // a test was run and P is set
	P          float64
	Test       string // "t-test", "chi-square" or ""
	Note       string // why there is no p-value, when a test was undefined

	// The numbers behind the cells.
	MeanGood, SDGood, MeanPoor, SDPoor float64 // continuous rows
	CountGood, CountPoor               int     // category rows
}

type continuous struct {
	label string
	get   func(Patient) float64
}

type categorical struct {
	label  string
	get    func(Patient) string
	levels []string
	names  []string
}

// The paper's Table 1, in its order.
var (
	table1Age  = continuous{"Age, mean (SD), y", func(p Patient) float64 { return p.Age }}
	table1Days = continuous{"Time from injury to surgery, mean (SD), day", func(p Patient) float64 { return p.DaysToSurgery }}
	table1UAdm = continuous{"ASIA motor score-upper extremities at admission, mean (SD)", func(p Patient) float64 { return p.UEMSAdmission }}
	table1U1y  = continuous{"ASIA motor score-upper extremities at one years, mean (SD)", func(p Patient) float64 { return p.UEMS1y }}
	table1Sex  = categorical{"Sex", func(p Patient) string { return p.Sex }, Sexes, []string{"Male", "Female"}}
	table1Caus = categorical{"Cause of injury", func(p Patient) string { return p.Cause }, Causes,
		[]string{"Fall", "Vehicle accident", "Sports", "Other"}}
	table1AAdm = categorical{"ASIA grade at admission", func(p Patient) string { return p.ASIAAdmission }, Grades, Grades}
	table1A1y  = categorical{"ASIA grade at 1 years", func(p Patient) string { return p.ASIA1y }, Grades, Grades}
)

// Table1 builds the paper's Table 1 for c, grouping by c.Outcome.
func (c *Cohort) Table1() (*Table1, error) {
	return BuildTable1(c.Patients, c.Outcome.Labels, c.Outcome.Threshold)
}

// BuildTable1 builds Table 1 for ps grouped by labels (1 good, 0 poor);
// threshold is only recorded. It fails when a group is empty or labels
// does not match ps.
func BuildTable1(ps []Patient, labels []int, threshold float64) (*Table1, error) {
	if len(labels) != len(ps) {
		return nil, fmt.Errorf("table 1: %d labels for %d patients", len(labels), len(ps))
	}
	var good, poor []Patient
	for i, p := range ps {
		switch labels[i] {
		case 1:
			good = append(good, p)
		case 0:
			poor = append(poor, p)
		default:
			return nil, fmt.Errorf("table 1: patient %s has label %d, want 0 or 1", p.ID, labels[i])
		}
	}
	if len(good) == 0 || len(poor) == 0 {
		return nil, fmt.Errorf("table 1: %w: %d good, %d poor", ErrOneClass, len(good), len(poor))
	}
	t := &Table1{NGood: len(good), NPoor: len(poor), Threshold: threshold}
	t.addContinuous(table1Age, good, poor)
	t.addCategorical(table1Sex, good, poor)
	t.addContinuous(table1Days, good, poor)
	t.addCategorical(table1Caus, good, poor)
	t.addCategorical(table1AAdm, good, poor)
	t.addContinuous(table1UAdm, good, poor)
	t.addCategorical(table1A1y, good, poor)
	t.addContinuous(table1U1y, good, poor)
	return t, nil
}

func values(ps []Patient, get func(Patient) float64) []float64 {
	x := make([]float64, len(ps))
	for i, p := range ps {
		x[i] = get(p)
	}
	return x
}

func (t *Table1) addContinuous(v continuous, good, poor []Patient) {
	a, b := values(good, v.get), values(poor, v.get)
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	r := Row{Label: v.label, Test: "t-test", MeanGood: ma, SDGood: sqrt(va), MeanPoor: mb, SDPoor: sqrt(vb)}
	r.Good = fmt.Sprintf("%.2f (%.2f)", r.MeanGood, r.SDGood)
	r.Poor = fmt.Sprintf("%.2f (%.2f)", r.MeanPoor, r.SDPoor)
	if res, err := TTest(a, b); err != nil {
		r.Note = err.Error()
	} else {
		r.HasP, r.P = true, res.P
	}
	t.Rows = append(t.Rows, r)
}

func (t *Table1) addCategorical(v categorical, good, poor []Patient) {
	counts := make([][]float64, len(v.levels))
	var levels []Row
	for i, l := range v.levels {
		var g, p int
		for _, x := range good {
			if v.get(x) == l {
				g++
			}
		}
		for _, x := range poor {
			if v.get(x) == l {
				p++
			}
		}
		counts[i] = []float64{float64(g), float64(p)}
		levels = append(levels, Row{Label: v.names[i], Level: true, CountGood: g, CountPoor: p,
			Good: strconv.Itoa(g), Poor: strconv.Itoa(p)})
	}
	r := Row{Label: v.label, Test: "chi-square"}
	if res, err := ChiSquare(counts); err != nil {
		r.Note = err.Error()
	} else {
		r.HasP, r.P = true, res.P
	}
	t.Rows = append(append(t.Rows, r), levels...)
}

func sqrt(x float64) float64 { return math.Sqrt(x) }

// Header is the table's column header row.
func (t *Table1) Header() []string {
	return []string{"Characteristics",
		fmt.Sprintf("Good prognosis (n = %d)", t.NGood),
		fmt.Sprintf("Bad prognosis (n = %d)", t.NPoor), "P-value"}
}

// Cells is the table as strings, in the paper's layout: the p-value with
// three decimals ("<0.001" below that), "n/a" where a test was undefined,
// and category lines indented by two spaces.
func (t *Table1) Cells() [][]string {
	out := make([][]string, 0, len(t.Rows))
	for _, r := range t.Rows {
		label := r.Label
		if r.Level {
			label = "  " + label
		}
		out = append(out, []string{label, r.Good, r.Poor, r.PString()})
	}
	return out
}

// PString is the formatted p-value cell.
func (r Row) PString() string {
	switch {
	case r.HasP && r.P < 0.001:
		return "<0.001"
	case r.HasP:
		return fmt.Sprintf("%.3f", r.P)
	case r.Test != "":
		return "n/a"
	}
	return ""
}

// WriteCSV writes the table as CSV: the header, then one line per row.
func (t *Table1) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header()); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Cells()); err != nil {
		return err
	}
	return cw.Error()
}

var table1HTML = template.Must(template.New("table1").Parse(`<table class="table1">
<caption>Table 1. Characteristics of the good and bad prognosis groups (good: UEMS change below the cohort mean, {{printf "%.2f" .T.Threshold}}). Mean (SD) with Student's t-test; counts with Pearson's chi-square test.</caption>
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Level}} class="level"{{end}}><td{{if .Level}} style="padding-left:1.5em"{{end}}>{{.Label}}</td><td>{{.Good}}</td><td>{{.Poor}}</td><td{{if .Note}} title="{{.Note}}"{{end}}>{{.PString}}</td></tr>
{{end}}</tbody>
</table>
`))

// WriteHTML writes the table as an HTML fragment (a <table> with a
// caption and no external resources), for embedding in a report.
func (t *Table1) WriteHTML(w io.Writer) error {
	return table1HTML.Execute(w, struct {
		T    *Table1
		Head []string
		Rows []Row
	}{t, t.Header(), t.Rows})
}
