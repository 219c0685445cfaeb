//go:build !js

package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volio"
)

const (
	root     = "../.."
	name     = "10_browser_demo.ipynb"
	envTests = "SCIRAD_NOTEBOOK_TESTS"
)

// layout makes a folder that looks like the repository to the notebook's
// set-up cell (`${GONB_DIR}/../kernel/workspace.sh`): links to go.mod,
// go.sum, kernel/, pipeline/ and testdata/, and a copy of the notebook in
// notebooks/.
func layout(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "notebooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "go.sum", "kernel", "pipeline", "testdata"} {
		if err := os.Symlink(filepath.Join(abs, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	nb, err := os.ReadFile(filepath.Join(abs, "notebooks", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notebooks", name), nb, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startJupyter runs the classic notebook server on a free loopback port,
// without a token, rooted at dir; it is stopped when the test ends.
func startJupyter(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var log bytes.Buffer
	args := []string{"notebook", "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--port-retries=0", "--NotebookApp.token=", "--NotebookApp.password=", "--notebook-dir=" + dir}
	if os.Getuid() == 0 {
		args = append(args, "--allow-root") // containers and CI run as root
	}
	cmd := exec.Command("jupyter", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("jupyter notebook: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		// Jupyter shuts its kernels down on SIGTERM; the group kill
		// catches anything left (the group is the one started here).
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if t.Failed() {
			t.Logf("jupyter log (tail):\n%s", tail(log.String(), 3000))
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/api")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		select {
		case err := <-done:
			t.Fatalf("jupyter notebook exited: %v\n%s", err, tail(log.String(), 3000))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("jupyter notebook did not answer on %s within 30 s\n%s", url, tail(log.String(), 3000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// notebookState is what the test reads from the notebook page.
type notebookState struct {
	Prediction string   `json:"prediction"` // the WebAssembly cell's JSON
	WasmError  string   `json:"wasm_error"`
	Errors     []string `json:"errors"` // error outputs and GoNB error HTML
	Native     string   `json:"native"` // the native cell's text
	Busy       bool     `json:"busy"`
}

const stateJS = `(() => {
  const q = (s) => document.querySelector(s);
  const errors = [];
  for (const e of document.querySelectorAll('.output_error, .gonb-err-location, .gonb-err-context')) errors.push(e.textContent.slice(0, 2000));
  const native = [...document.querySelectorAll('.output_html')].map(e => e.textContent).find(t => t.includes('Native Go:')) || '';
  return {
    prediction: q('#scirad-wasm-prediction') ? q('#scirad-wasm-prediction').textContent : '',
    wasm_error: q('#scirad-wasm-error') ? q('#scirad-wasm-error').textContent : '',
    errors: errors,
    native: native,
    busy: !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel_busy),
  };
})()`

// cellsJS lists each code cell's prompt and the start of its outputs, for
// failure messages.
const cellsJS = `[...document.querySelectorAll('.cell.code_cell')].map((c, i) =>
  i + ' ' + (c.querySelector('.input_prompt') || {}).textContent + ' ' + (c.querySelector('.output') || {textContent: ''}).innerHTML.slice(0, 600).replace(/\s+/g, ' ')).concat(['typeof Go: ' + typeof Go])`

// The notebook runs in Jupyter as a user runs it (every cell from the page,
// in Chromium), and its WebAssembly cell computes in the page exactly what
// the native Predict computes for the toy patient.
func TestNotebookWasmInChromium(t *testing.T) {
	if os.Getenv(envTests) != "1" {
		t.Skipf("set %s=1 to run the notebook in Jupyter and Chromium (it needs Jupyter and the GoNB kernel: make kernel)", envTests)
	}
	exe := browsertest.Require(t)
	if _, err := exec.LookPath("jupyter"); err != nil {
		t.Fatalf("%s=1 but jupyter is not installed: make kernel", envTests)
	}
	dir := layout(t)
	url := startJupyter(t, dir)
	s, err := browsertest.Start(exe, browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	if err := s.Open(url+"/notebooks/notebooks/"+name, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitFor(`!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := browsertest.Eval[bool](s, `Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.execute_all_cells(); true`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	var st notebookState
	deadline := time.Now().Add(timeout())
	for {
		if st, err = browsertest.Eval[notebookState](s, stateJS, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if st.Prediction != "" || st.WasmError != "" || len(st.Errors) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cells, _ := browsertest.Eval[[]string](s, cellsJS, 10*time.Second)
			t.Fatalf("no prediction from the WebAssembly cell after %v (kernel busy: %v; page errors: %v); cells:\n%s", timeout(), st.Busy, s.Errors(), strings.Join(cells, "\n"))
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("notebook run in %.1f s (Jupyter, GoNB builds, WebAssembly)", time.Since(start).Seconds())
	if len(st.Errors) > 0 || st.WasmError != "" {
		t.Fatalf("notebook errors: %q; WebAssembly cell: %q", st.Errors, st.WasmError)
	}
	if !strings.Contains(st.Native, "Native Go: patient") {
		t.Errorf("the native cell's output is missing (got %q)", st.Native)
	}
	var got bundle.Prediction
	if err := json.Unmarshal([]byte(st.Prediction), &got); err != nil {
		t.Fatalf("the WebAssembly cell's prediction %q: %v", st.Prediction, err)
	}
	want := nativePrediction(t)
	const rel = 1e-9
	same := func(a, b float64) bool {
		return a == b || math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
	}
	if !same(got.Probability, want.Probability) || !same(got.RadScore, want.RadScore) || len(got.Features) != len(want.Features) {
		t.Fatalf("WebAssembly: probability %v, rad-score %v, %d features; native %v, %v, %d", got.Probability, got.RadScore, len(got.Features), want.Probability, want.RadScore, len(want.Features))
	}
	for j, f := range got.Features {
		w := want.Features[j]
		if f.Name != w.Name || !same(f.Raw, w.Raw) || !same(f.Harmonized, w.Harmonized) || !same(f.Z, w.Z) {
			t.Errorf("feature %d: WebAssembly %+v, native %+v", j, f, w)
		}
	}
	t.Logf("WebAssembly in the notebook page: probability %.4f, rad-score %.4f, features %.0f ms (native: %.0f ms)",
		got.Probability, got.RadScore, 1000*got.FeatureSeconds, 1000*want.FeatureSeconds)
	if r := s.RemoteRequests(); len(r) > 0 {
		t.Errorf("the notebook page asked the network for %v", r)
	}
}

// nativePrediction is what the notebook's native cell computes: the bundle
// on the first patient of `scirad synth -n 8 -seed 1 -size small`.
func nativePrediction(t *testing.T) *bundle.Prediction {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 8, Seed: 1, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	rows, err := cohort.ReadManifest(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "testdata", "wasm", "bundle_rad.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := bundle.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	img, err := volio.ReadImage(rows[0].Image)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(rows[0].Mask)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Predict(img, mask, rows[0].Center)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// timeout bounds the notebook's run: 5 minutes, or SCIRAD_NOTEBOOK_TIMEOUT.
func timeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("SCIRAD_NOTEBOOK_TIMEOUT")); err == nil {
		return d
	}
	return 5 * time.Minute
}
