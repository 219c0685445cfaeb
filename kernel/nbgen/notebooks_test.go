package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/kernel/display"
	"github.com/scirad/scirad/pipeline/report"
)

const root = "../.."

// TestGeneratedUpToDate fails when a committed notebook differs from what
// its source generates (edit notebooks/src, then go run ./kernel/nbgen).
func TestGeneratedUpToDate(t *testing.T) {
	srcs, err := Sources(root)
	if err != nil {
		t.Fatal(err)
	}
	orphans, err := Orphans(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, nb := range orphans {
		t.Errorf("%s has no source in notebooks/src", nb)
	}
	for _, s := range srcs {
		text, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Generate(string(text))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got, err := os.ReadFile(Target(s))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: run go run ./kernel/nbgen", Target(s), s)
		}
	}
}

func TestGenerate(t *testing.T) {
	nb, err := Generate("ignored\n-- md --\n# T\n-- go --\n%%\nfmt.Println(1)\n\n-- md --\nend\n")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cells []struct {
			Type    string          `json:"cell_type"`
			Source  []string        `json:"source"`
			Outputs []any           `json:"outputs"`
			Count   json.RawMessage `json:"execution_count"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(nb, &v); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range v.Cells {
		got = append(got, c.Type+":"+strings.Join(c.Source, ""))
		if c.Type == "code" && (c.Outputs == nil || string(c.Count) != "null") {
			t.Errorf("code cell %q: outputs %v, execution_count %s; want [] and null", c.Source, c.Outputs, c.Count)
		}
	}
	want := []string{"markdown:# T", "code:" + SetupShell, "code:%goworkfix", "code:%%\nfmt.Println(1)", "markdown:end"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cells\n%q\nwant\n%q", got, want)
	}
	if _, err := Generate("-- go --\nx"); err == nil {
		t.Error("a source starting with a code cell: no error")
	}
}

// failure matches what a failed cell leaves in its outputs: GoNB prints
// "exit status N" after a program that exits non-zero, Go prints "panic:",
// display.Check and log print "error: …".
var failure = regexp.MustCompile(`(?i)panic|error|exit status`)

// cellErrors lists the failures in an executed notebook: "error" outputs
// (compile errors, kernel errors), GoNB's error HTML, and standard-error
// streams that name a failure.
func cellErrors(nb []byte) ([]string, error) {
	var v struct {
		Cells []struct {
			Type    string   `json:"cell_type"`
			Source  []string `json:"source"`
			Outputs []struct {
				Type   string         `json:"output_type"`
				Name   string         `json:"name"`
				Text   []string       `json:"text"`
				Data   map[string]any `json:"data"`
				EName  string         `json:"ename"`
				EValue string         `json:"evalue"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(nb, &v); err != nil {
		return nil, err
	}
	var errs []string
	for i, c := range v.Cells {
		head := strings.Join(c.Source, "")
		if len(head) > 80 {
			head = head[:80] + "…"
		}
		for _, o := range c.Outputs {
			msg := ""
			switch {
			case o.Type == "error":
				msg = o.EName + ": " + o.EValue
			case o.Type == "stream" && o.Name == "stderr" && failure.MatchString(strings.Join(o.Text, "")):
				msg = strings.Join(o.Text, "")
			case o.Type == "display_data" || o.Type == "execute_result":
				if h, ok := o.Data["text/html"]; ok && strings.Contains(fmt.Sprint(h), "gonb-err") {
					msg = "GoNB error: " + fmt.Sprint(h)
				}
			}
			if msg != "" {
				if len(msg) > 2000 {
					msg = msg[:2000] + "…"
				}
				errs = append(errs, fmt.Sprintf("cell %d (%q): %s", i, head, msg))
			}
		}
	}
	return errs, nil
}

func TestCellErrors(t *testing.T) {
	nb := `{"cells":[
	 {"cell_type":"code","source":["ok"],"outputs":[{"output_type":"stream","name":"stderr","text":["progress 3/4\n"]},{"output_type":"display_data","data":{"text/html":"<p>LASSO CV error</p>"}}]},
	 {"cell_type":"code","source":["a"],"outputs":[{"output_type":"stream","name":"stderr","text":["panic: x\n","exit status 2\n"]}]},
	 {"cell_type":"code","source":["b"],"outputs":[{"output_type":"display_data","data":{"text/html":["<span class=\"gonb-err-location\">"]}},{"output_type":"error","ename":"ERROR","evalue":"failed to run go build"}]},
	 {"cell_type":"code","source":["c"],"outputs":[{"output_type":"stream","name":"stderr","text":["exit status 1\n"]}]}]}`
	errs, err := cellErrors([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 4 {
		t.Fatalf("found %d failures, want 4 (cells 1, 2, 2, 3):\n%s", len(errs), strings.Join(errs, "\n"))
	}
	for i, want := range []string{"cell 1", "cell 2", "cell 2", "cell 3"} {
		if !strings.HasPrefix(errs[i], want) {
			t.Errorf("failure %d = %q, want it in %s", i, errs[i], want)
		}
	}
}

// EnvNotebookTests turns the notebook execution test on (make test sets it).
const EnvNotebookTests = "SCIRAD_NOTEBOOK_TESTS"

// TestNotebooksExecute runs every notebook in notebooks/ headless on the
// GoNB kernel (jupyter nbconvert --execute), two at a time, in name order,
// and fails on any error in any cell. It runs when SCIRAD_NOTEBOOK_TESTS=1
// and then fails, never skips, when Jupyter or the kernel cannot be set up.
// The notebooks share one fresh output folder (SCIRAD_NOTEBOOK_OUT).
func TestNotebooksExecute(t *testing.T) {
	if os.Getenv(EnvNotebookTests) != "1" {
		t.Skipf("set %s=1 to execute the notebooks (make test does); it needs Jupyter and the GoNB kernel (make kernel)", EnvNotebookTests)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	install := exec.Command(filepath.Join(abs, "kernel", "install.sh"))
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("kernel/install.sh: %v\n%s", err, out)
	}
	t.Logf("kernel/install.sh: %.1f s", time.Since(start).Seconds())
	nbs, err := filepath.Glob(filepath.Join(abs, "notebooks", "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks in %s/notebooks (%v)", abs, err)
	}
	sort.Strings(nbs)
	before := untracked(t, abs)
	defer func() {
		// Only the notebooks' own traces: other packages' tests run at the same time.
		added := slices.DeleteFunc(untracked(t, abs), func(p string) bool {
			return slices.Contains(before, p) || !(strings.HasPrefix(p, "notebooks/") || strings.HasPrefix(p, "jupyter_files"))
		})
		if len(added) > 0 {
			t.Errorf("executing the notebooks left files in the checkout (tests write only to temporary folders): %v", added)
		}
	}()
	if only := os.Getenv("SCIRAD_NOTEBOOK_ONLY"); only != "" {
		// A developer's shortcut: SCIRAD_NOTEBOOK_ONLY=07 runs notebooks 07*.
		nbs = slices.DeleteFunc(nbs, func(nb string) bool { return !strings.HasPrefix(filepath.Base(nb), only) })
	}
	shared := filepath.Join(t.TempDir(), "out")
	results, err := os.MkdirTemp("", "scirad-notebooks-")
	if err != nil {
		t.Fatal(err)
	}
	exe := browsertest.Require(t)

	jobs := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One browser per worker: a Session is one tab.
			browser, err := browsertest.Start(exe, browsertest.Options{Offline: true})
			if err != nil {
				mu.Lock()
				t.Error(err)
				mu.Unlock()
				for range jobs {
				}
				return
			}
			defer browser.Close()
			for nb := range jobs {
				msg := execute(browser, nb, shared, results)
				mu.Lock()
				if msg.err != "" {
					t.Errorf("%s", msg.err)
				}
				t.Logf("%s: %.1f s", filepath.Base(nb), msg.seconds)
				mu.Unlock()
			}
		}()
	}
	for _, nb := range nbs {
		jobs <- nb
	}
	close(jobs)
	wg.Wait()
	t.Logf("all %d notebooks: %.1f s", len(nbs), time.Since(start).Seconds())
	if t.Failed() {
		t.Logf("executed notebooks and their HTML kept in %s", results)
	} else {
		os.RemoveAll(results)
	}
}

// untracked lists the paths below root that git does not track, ignored
// ones included.
func untracked(t *testing.T, root string) []string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "status", "--porcelain", "--ignored", "--untracked-files=normal").Output()
	if err != nil {
		t.Fatalf("git status: %v", err)
	}
	var paths []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "?? ") || strings.HasPrefix(line, "!! ") {
			paths = append(paths, line[3:])
		}
	}
	return paths
}

// chartsDrawn opens page in the browser and waits (up to wait) until
// every chart container (go-echarts' div.item) has painted pixels; it
// returns the containers that have not.
func chartsDrawn(browser *browsertest.Session, page string, wait time.Duration) (missing []string, total int, err error) {
	if err := browser.Open("file://"+page, 60*time.Second); err != nil {
		return nil, 0, err
	}
	var ids, drawn []string
	for deadline := time.Now().Add(wait); ; {
		if ids, err = browsertest.Eval[[]string](browser, `Array.from(document.querySelectorAll('div.item')).map(d => d.id)`, 10*time.Second); err != nil {
			return nil, 0, err
		}
		if drawn, err = browsertest.Eval[[]string](browser, report.DrawnChartsJS, 10*time.Second); err != nil {
			return nil, 0, err
		}
		if len(drawn) == len(ids) || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	for _, id := range ids {
		if !slices.Contains(drawn, id) {
			missing = append(missing, id)
		}
	}
	return missing, len(ids), nil
}

type outcome struct {
	err     string
	seconds float64
}

// execute runs one notebook with nbconvert, keeping going past failing
// cells (--allow-errors) so that every failure is reported, then scans the
// executed copy, converts it to HTML (nbconvert --to html, the page a
// reader of the executed notebook sees) and checks in the browser that
// every chart in it draws.
func execute(browser *browsertest.Session, nb, shared, results string) outcome {
	start := time.Now()
	name := strings.TrimSuffix(filepath.Base(nb), ".ipynb")
	out := filepath.Join(results, name+".ipynb")
	cmd := exec.Command("jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=gonb",
		"--output-dir", results, "--output", name, nb)
	// nbconvert starts the kernel in the notebook's folder (cells find the
	// repository from there), but GoNB writes its %wasm files under the
	// folder of nbconvert itself: run it from the temporary results folder so
	// the test leaves nothing in the checkout.
	cmd.Dir = results
	cmd.Env = append(os.Environ(), "SCIRAD_NOTEBOOK_OUT="+shared)
	log, err := cmd.CombinedOutput()
	o := outcome{seconds: time.Since(start).Seconds()}
	if err != nil {
		o.err = fmt.Sprintf("%s: nbconvert: %v\n%s", filepath.Base(nb), err, tail(log, 4000))
		return o
	}
	data, err := os.ReadFile(out)
	if err != nil {
		o.err = fmt.Sprintf("%s: %v", filepath.Base(nb), err)
		return o
	}
	errs, err := cellErrors(data)
	if err != nil {
		o.err = fmt.Sprintf("%s: executed notebook: %v", filepath.Base(nb), err)
		return o
	}
	if len(errs) > 0 {
		o.err = fmt.Sprintf("%s: %d failing outputs (executed copy %s):\n%s", filepath.Base(nb), len(errs), out, strings.Join(errs, "\n"))
		return o
	}
	page := filepath.Join(results, name+".html")
	conv := exec.Command("jupyter", "nbconvert", "--to", "html", "--output-dir", results, "--output", name, out)
	if log, err := conv.CombinedOutput(); err != nil {
		o.err = fmt.Sprintf("%s: nbconvert --to html: %v\n%s", filepath.Base(nb), err, tail(log, 4000))
		return o
	}
	missing, total, err := chartsDrawn(browser, page, 30*time.Second)
	if err != nil {
		o.err = fmt.Sprintf("%s: browser: %v", filepath.Base(nb), err)
	} else if len(missing) > 0 {
		o.err = fmt.Sprintf("%s: %d of %d charts did not draw in %s: %v (page errors: %v)", filepath.Base(nb), len(missing), total, page, missing, browser.Errors())
	}
	o.seconds = time.Since(start).Seconds()
	return o
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// TestChartsDrawUnderRequireJS checks display's chart HTML in Chromium, on
// a page that, like Jupyter Notebook 6 and nbconvert's HTML, defines an AMD
// loader (here one that fails, as RequireJS does on an inlined anonymous
// module): the chart, placed before the library, still draws, and a
// container with no chart is reported.
func TestChartsDrawUnderRequireJS(t *testing.T) {
	browser, err := browsertest.Start(browsertest.Require(t), browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	chart, err := display.ChartHTML(report.XY("drawn", "ROC", "x", "y", []report.Curve{{Name: "a", X: []float64{0, 1}, Y: []float64{0, 1}}}, true))
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "page.html")
	html := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>var define = function () { throw new Error('Mismatched anonymous define()'); }; define.amd = {};</script></head><body>" +
		chart + display.EchartsHTML() + `<div class="item" id="empty" style="width:100px;height:100px"></div></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	missing, total, err := chartsDrawn(browser, page, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(missing) != 1 || missing[0] != "empty" {
		t.Errorf("containers %d, not drawn %v; want 2 containers and only \"empty\" not drawn", total, missing)
	}
}
