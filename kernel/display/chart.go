package display

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/scirad/scirad/pipeline/report"
)

// EchartsHTML is a <script> element holding the whole echarts library
// (report.EchartsJS). Output it once per notebook, before or after the
// charts: they wait for it.
//
// The library runs inside a function whose parameters hide define, module
// and exports. Jupyter Notebook 6 and the HTML that nbconvert writes load
// RequireJS, and echarts' UMD header, seeing define.amd, would register an
// anonymous AMD module (which RequireJS rejects when inlined) instead of
// setting window.echarts.
func EchartsHTML() string {
	return "<script type=\"text/javascript\">\n(function (define, module, exports) {\n" + string(report.EchartsJS) +
		"\n}).call(window);\n</script>\n<div style=\"color:#888;font-size:.8em\">echarts 5.4.3 loaded (offline copy, embedded in scirad)</div>"
}

// ChartHTML renders a go-echarts chart as its <div> and a script that draws
// it once window.echarts exists.
//
// go-echarts writes its script with top-level `let` declarations named
// after the chart id, which would fail the second time a cell runs in the
// same page; the script's body is therefore moved into a function.
func ChartHTML(c report.Chart) (string, error) {
	sn := c.RenderSnippet()
	body, ok := scriptBody(sn.Script)
	if !ok {
		return "", fmt.Errorf("display: chart script has no <script> element")
	}
	id := chartID(sn.Element)
	if id == "" {
		return "", fmt.Errorf("display: chart element has no id")
	}
	var b strings.Builder
	b.WriteString(sn.Element)
	fmt.Fprintf(&b, `<script type="text/javascript">
(function () {
  var draw = function () {
%s
  };
  var waited = 0;
  var poll = function () {
    if (window.echarts) { draw(); return; }
    waited += 50;
    if (waited >= 5000) {
      var el = document.getElementById(%q);
      if (el) { el.textContent = "echarts is not loaded: run display.ShowEcharts() in an earlier cell"; }
      return;
    }
    setTimeout(poll, 50);
  };
  poll();
})();
</script>
`, body, id)
	return b.String(), nil
}

// scriptBody returns the text between a <script …> tag and </script>.
func scriptBody(s string) (string, bool) {
	open := strings.Index(s, "<script")
	if open < 0 {
		return "", false
	}
	gt := strings.Index(s[open:], ">")
	end := strings.LastIndex(s, "</script>")
	if gt < 0 || end < open+gt {
		return "", false
	}
	return s[open+gt+1 : end], true
}

// chartID returns the id of the item <div> of a go-echarts element.
func chartID(element string) string {
	const key = `class="item" id="`
	i := strings.Index(element, key)
	if i < 0 {
		return ""
	}
	rest := element[i+len(key):]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return rest[:j]
}

// Losses draws training curves: one line per run, the value of each epoch
// against the epoch number (1, 2, …). names[i] labels losses[i].
func Losses(id, title, yName string, names []string, losses [][]float64) *charts.Line {
	if len(names) != len(losses) {
		panic(fmt.Sprintf("display: %d names for %d loss curves", len(names), len(losses)))
	}
	curves := make([]report.Curve, len(losses))
	for i, l := range losses {
		c := report.Curve{Name: names[i], X: make([]float64, len(l)), Y: append([]float64(nil), l...)}
		for e := range l {
			c.X[e] = float64(e + 1)
		}
		curves[i] = c
	}
	return report.XY(id, title, "epoch", yName, curves, false)
}

// Points is one named group of a scatter plot.
type Points struct {
	Name string
	X, Y []float64
}

// Scatter draws groups of points on value axes (PCA scores by outcome,
// for instance), with the same look as the report's charts.
func Scatter(id, title, xName, yName string, groups []Points) *charts.Scatter {
	c := charts.NewScatter()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "640px", Height: "420px"}),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70px", Top: "50px"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xName, NameLocation: "middle", NameGap: 25, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: yName, NameLocation: "middle", NameGap: 40, Scale: opts.Bool(true)}),
	)
	for _, g := range groups {
		if len(g.X) != len(g.Y) {
			panic(fmt.Sprintf("display: scatter group %q has %d x and %d y", g.Name, len(g.X), len(g.Y)))
		}
		data := make([]opts.ScatterData, len(g.X))
		for i := range g.X {
			data[i] = opts.ScatterData{Value: []any{finite(g.X[i]), finite(g.Y[i])}}
		}
		c.AddSeries(g.Name, data)
	}
	return c
}

// finite replaces NaN and ±Inf, which JSON cannot carry, by nil (a gap).
func finite(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// Histogram draws one group of values in bins equal-width bins
// (report.Histogram). Non-finite values (an ICC undefined for a constant
// feature, say) are left out and counted in the series name.
func Histogram(id, title, name string, values []float64, bins int) *charts.Bar {
	var keep []float64
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			keep = append(keep, v)
		}
	}
	if n := len(values) - len(keep); n > 0 {
		name = fmt.Sprintf("%s (%d undefined left out)", name, n)
	}
	return report.Histogram(id, title, []report.BarSeries{{Name: name, Values: keep}}, bins)
}
