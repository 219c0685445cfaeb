// Package display shows scirad's pipeline objects inline in a Jupyter
// notebook run by the GoNB kernel: a slice of a volume with its ROI drawn
// over it (PNG), feature tables and the paper's tables (HTML), the report's
// go-echarts charts rendered offline, training curves and whole report
// sections.
//
// Every function comes in two forms. The pure form (SlicePNG, TableHTML,
// ChartHTML, SectionHTML, …) returns the PNG bytes or the HTML string and is
// what the tests check; the Show form (ShowSlice, ShowTable, ShowChart,
// ShowSection, …) renders and hands the result to GoNB with
// gonbui.DisplayHTML. Outside a GoNB kernel the Show forms render, report
// errors, and display nothing.
//
// # Charts offline
//
// Charts need the echarts library (report.EchartsJS, echarts 5.4.3, about
// 1 MB). ShowEcharts, run once near the top of a notebook, puts it in a
// <script> element of that cell's output; it then is a global of the page,
// both in Jupyter Notebook and JupyterLab (which run scripts of trusted HTML
// outputs in the page, not in an iframe) and in the HTML that
// `jupyter nbconvert --to html` writes. Notebook 6 and nbconvert's page load
// RequireJS, so the library runs with AMD hidden (see EchartsHTML). Each
// chart's own script runs inside a function, so re-running a cell never
// redeclares a global, and waits for echarts to be defined, so the order in
// which outputs are rendered does not matter; after five seconds without
// echarts it writes a hint into its box instead of drawing. Inlining the
// library once per notebook rather than per chart keeps an executed notebook
// about 1 MB rather than 1 MB per chart. The notebook test checks in
// headless Chromium that every chart of every executed notebook draws.
//
// Every Show function waits (gonbui.Sync) until GoNB has taken its output:
// GoNB v0.11.3 reads displays asynchronously, and without the wait the
// outputs that follow a large one are lost when the cell's program exits.
//
// # Notebook cells are separate programs
//
// GoNB compiles and runs every cell as a new process, so nothing computed in
// one cell survives into the next. Helpers that share expensive results
// between cells and notebooks (the toy cohort, its radiomics table, a whole
// run) live in package kernel/toy and cache on disk.
package display
