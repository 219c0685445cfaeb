// Package report renders scirad's results as one self-contained HTML page
// (report.html) and as separate figure files, in the layout of Lin et al.
// (Sci Rep 2025): Tables 1–3, Fig. 2 (ROC curves), Fig. 3 (decision curves,
// calibration, random-forest importance), Fig. 4 (LASSO path, CV error,
// feature weights, rad-score histogram) and Fig. 5 (Grad-CAM).
//
// Charts are go-echarts charts. The echarts library (npm echarts 5.4.3, the
// version go-echarts v2.6.7 targets, Apache-2.0) is embedded in the binary
// and inlined into report.html, so the report renders with no network; the
// separate figure files load it from an echarts.min.js written beside them.
//
// Output is deterministic: chart ids come from the caller, animation is off,
// and numbers are printed by encoding/json, so the same results always give
// the same bytes.
package report
