package report

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// EchartsJS is echarts.min.js from the npm package echarts@5.4.3.
//
//go:embed assets/echarts.min.js
var EchartsJS []byte

// Chart is anything go-echarts can render as an HTML snippet.
type Chart interface {
	RenderSnippet() render.ChartSnippet
}

// Curve is one named line of an XY chart.
type Curve struct {
	Name   string
	X, Y   []float64
	Dashed bool
}

var idPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func checkID(id string) {
	if !idPattern.MatchString(id) {
		panic(fmt.Sprintf("report: chart id %q must be a letter then letters, digits or _", id))
	}
}

func baseOpts(id, title string) []charts.GlobalOpts {
	checkID(id)
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "640px", Height: "420px"}),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom", Type: "scroll"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70px", Top: "50px"}),
	}
}

// finite replaces NaN and ±Inf (which JSON cannot carry) by nil, which
// echarts draws as a gap.
func finite(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// XY draws curves on value axes. With diagonal set, the line y = x over
// [0, 1] is added (ROC and calibration charts).
func XY(id, title, xName, yName string, curves []Curve, diagonal bool) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(append(baseOpts(id, title),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xName, NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: yName, NameLocation: "middle", NameGap: 40, Scale: opts.Bool(true)}),
	)...)
	add := func(cv Curve) {
		if len(cv.X) != len(cv.Y) {
			panic("report: curve " + cv.Name + " has len(X) != len(Y)")
		}
		data := make([]opts.LineData, len(cv.X))
		for i := range cv.X {
			data[i] = opts.LineData{Value: []any{finite(cv.X[i]), finite(cv.Y[i])}}
		}
		style := opts.LineStyle{Width: 2}
		if cv.Dashed {
			style = opts.LineStyle{Width: 1, Type: "dashed"}
		}
		c.AddSeries(cv.Name, data,
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(cv.X) <= 12)}),
			charts.WithLineStyleOpts(style))
	}
	for _, cv := range curves {
		add(cv)
	}
	if diagonal {
		add(Curve{Name: "reference", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true})
	}
	return c
}

// BarSeries is one named series of a bar chart.
type BarSeries struct {
	Name   string
	Values []float64
}

// Bars draws categories × series. Horizontal bars suit long feature names.
func Bars(id, title string, categories []string, series []BarSeries, horizontal bool) *charts.Bar {
	c := charts.NewBar()
	gopts := baseOpts(id, title)
	if horizontal {
		gopts = append(gopts,
			charts.WithGridOpts(opts.Grid{Left: "45%", Bottom: "70px", Top: "50px"}),
			charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "640px", Height: fmt.Sprintf("%dpx", max(300, 60+26*len(categories)))}))
	}
	c.SetGlobalOptions(gopts...)
	c.SetXAxis(categories)
	for _, s := range series {
		if len(s.Values) != len(categories) {
			panic("report: bar series " + s.Name + " does not match its categories")
		}
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: finite(v)}
		}
		c.AddSeries(s.Name, data)
	}
	if horizontal {
		c.XYReversal()
	}
	return c
}

// Histogram bins each group's values on shared edges (bins equal-width bins
// over the pooled range) and draws the counts side by side. NaN and ±Inf
// values have no bin: they are left out of the range and the counts (a
// failed score is reported by the stage that computed it, not here).
func Histogram(id, title string, groups []BarSeries, bins int) *charts.Bar {
	if bins < 1 {
		panic(fmt.Sprintf("report: histogram %s needs at least one bin, got %d", id, bins))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		for _, v := range g.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi == lo {
		hi = lo + 1
	}
	w := (hi - lo) / float64(bins)
	cats := make([]string, bins)
	for b := range cats {
		cats[b] = fmt.Sprintf("%.2f", lo+(float64(b)+0.5)*w)
	}
	series := make([]BarSeries, len(groups))
	for gi, g := range groups {
		counts := make([]float64, bins)
		for _, v := range g.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			b := min(int((v-lo)/w), bins-1)
			counts[b]++
		}
		series[gi] = BarSeries{Name: g.Name, Values: counts}
	}
	return Bars(id, title, cats, series, false)
}
