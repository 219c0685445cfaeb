//go:build !js

package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// testBundle is the trained bundle the tests use (testdata/wasm/README.md
// says how it was made).
const testBundle = "../testdata/wasm/bundle_rad.json"

// sameValue reports whether a and b agree within rel relative to the
// larger magnitude.
func sameValue(a, b, rel float64) bool {
	return a == b || math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// pageResult is what the page keeps of a prediction (window.sciradDemo).
type pageResult struct {
	State  string             `json:"state"`
	Error  string             `json:"error"`
	Result *bundle.Prediction `json:"result"`
	Timing map[string]float64 `json:"timing"`
	Slice  map[string]float64 `json:"slice"`
	Loaded map[string]any     `json:"loaded"`
}

const stateJS = `JSON.parse(JSON.stringify({state: sciradDemo.state, error: sciradDemo.error || '', result: sciradDemo.result, timing: sciradDemo.timing, slice: sciradDemo.slice, loaded: sciradDemo.loaded}))`

// pickJS puts the file at url into the file input id under name, as a user
// would pick it, and marks the page as waiting for the change to be
// handled.
func pickJS(id, url, name string) string {
	return fmt.Sprintf(`(() => {
  sciradDemo.state = 'picking';
  fetch(%q).then(r => r.arrayBuffer()).then(b => {
    const dt = new DataTransfer();
    dt.items.add(new File([b], %q));
    const el = document.getElementById(%q);
    el.files = dt.files;
    el.dispatchEvent(new Event('change'));
  });
  return true;
})()`, url, name, id)
}

// The page, served from a demo folder built as `make wasm` builds it,
// computes a toy patient in headless Chromium (offline) and gets the native
// Predict's features and probability; picked files go through the same
// path; bad files show an error and the page keeps working.
func TestBrowserDemo(t *testing.T) {
	exe := browsertest.Require(t)
	dist := t.TempDir()
	var log bytes.Buffer
	start := time.Now()
	info, err := Build(dist, testBundle, &log)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, log.String())
	}
	t.Logf("built the demo in %.1fs: scirad.wasm %d bytes, toy patients %v", time.Since(start).Seconds(), info.WasmBytes, info.Toys)
	writeBadFiles(t, dist)

	srv := httptest.NewServer(Handler(dist))
	defer srv.Close()
	s, err := browsertest.Start(exe, browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Open(srv.URL+"/index.html", 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitFor(`sciradDemo.state === 'ready' || sciradDemo.state === 'error'`, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	page := func() pageResult {
		t.Helper()
		r, err := browsertest.Eval[pageResult](s, stateJS, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if p := page(); p.State != "ready" {
		t.Fatalf("page did not start: %s %s", p.State, p.Error)
	}
	wait := func(states ...string) pageResult {
		t.Helper()
		var cond []string
		for _, st := range states {
			cond = append(cond, fmt.Sprintf("sciradDemo.state === %q", st))
		}
		if err := s.WaitFor(strings.Join(cond, " || "), 60*time.Second); err != nil {
			t.Fatal(err)
		}
		return page()
	}
	run := func(js string) {
		t.Helper()
		if _, err := browsertest.Eval[bool](s, js, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}

	// A toy patient, from the drop-down.
	toy := info.Toys[0]
	run(fmt.Sprintf(`document.getElementById('toy').value = %q; sciradDemo.state = 'clicked'; document.getElementById('run-toy').click(); true`, toy))
	got := wait("done", "error")
	if got.State != "done" {
		t.Fatalf("toy patient %s: %s", toy, got.Error)
	}
	want := native(t, dist, toy)
	compare(t, "toy patient "+toy, got.Result, want)
	t.Logf("toy patient %s in Chromium: features %.0f ms (preprocessing %.0f ms), predict call %.0f ms in total; probability %.4f, rad-score %.4f",
		toy, got.Timing["feature_ms"], got.Timing["preprocess_ms"], got.Timing["total_ms"], got.Result.Probability, got.Result.RadScore)
	if got.Slice["lesion"] <= 0 || got.Slice["width"] <= 0 {
		t.Errorf("sagittal slice %v: want lesion pixels", got.Slice)
	}
	rows, err := browsertest.Eval[int](s, `document.querySelectorAll('#features tbody tr').length`, 5*time.Second)
	if err != nil || rows != len(want.Features) {
		t.Errorf("feature table has %d rows (%v), want %d", rows, err, len(want.Features))
	}
	drawn, err := browsertest.Eval[[]string](s, report.DrawnChartsJS, 10*time.Second)
	if err != nil || len(drawn) != 1 || drawn[0] != "chart" {
		t.Errorf("charts drawn: %v (%v), want [chart]", drawn, err)
	}
	prob, _ := browsertest.Eval[string](s, `document.getElementById('probability').textContent`, 5*time.Second)
	if wantText := fmt.Sprintf("%.1f %%", 100*want.Probability); prob != wantText {
		t.Errorf("probability shown %q, want %q", prob, wantText)
	}

	// Bad files: each shows its error, and the page goes on working.
	for _, c := range []struct {
		id, url, name, want string
	}{
		{"image", "bad/notes.txt", "notes.txt", "notes.txt: "},
		{"image", "bad/absurd.nii", "absurd.nii", "exceed the browser demo's limit"},
		{"image", "toy/" + toy + "_t2.nii.gz", toy + "_t2.nii.gz", ""},
		{"mask", "bad/shifted_mask.nii.gz", "shifted_mask.nii.gz", "image " + toy + "_t2.nii.gz and mask shifted_mask.nii.gz"},
		{"mask", "bad/notes.txt", "notes.txt", "notes.txt: "},
	} {
		run(pickJS(c.id, c.url, c.name))
		got := wait("ready", "error")
		switch {
		case c.want == "" && got.State != "ready":
			t.Errorf("%s %s: %s", c.id, c.name, got.Error)
		case c.want != "" && (got.State != "error" || !strings.Contains(got.Error, c.want)):
			t.Errorf("%s %s: state %s, error %q; want an error with %q", c.id, c.name, got.State, got.Error, c.want)
		}
		shown, _ := browsertest.Eval[string](s, `document.getElementById('error').hidden ? '' : document.getElementById('error').textContent`, 5*time.Second)
		if shown != got.Error {
			t.Errorf("%s %s: the page shows %q, the error is %q", c.id, c.name, shown, got.Error)
		}
	}

	// The toy patient's files picked from disk, with its centre.
	run(pickJS("mask", "toy/"+toy+"_mask.nii.gz", toy+"_mask.nii.gz"))
	if got := wait("ready", "error"); got.State != "ready" {
		t.Fatalf("picked mask: %s", got.Error)
	}
	center := toyCenter(t, dist, toy)
	run(fmt.Sprintf(`document.getElementById('center').value = %q; sciradDemo.state = 'clicked'; document.getElementById('run-files').click(); true`, center))
	got = wait("done", "error")
	if got.State != "done" {
		t.Fatalf("picked files: %s", got.Error)
	}
	compare(t, "picked files", got.Result, want)
	t.Logf("the same patient again, from picked files: features %.0f ms (preprocessing %.0f ms), predict call %.0f ms in total",
		got.Timing["feature_ms"], got.Timing["preprocess_ms"], got.Timing["total_ms"])
	if shot := os.Getenv("SCIRAD_DEMO_SCREENSHOT"); shot != "" {
		browsertest.Screenshot(t, s, shot)
	}

	if e := s.Errors(); len(e) > 0 {
		t.Errorf("page errors: %v", e)
	}
	if r := s.RemoteRequests(); len(r) > 0 {
		t.Errorf("the page asked the network for %v", r)
	}
}

// compare checks the page's prediction against the native one: the same Go
// code on another platform, where only the math library's last bits (Go's
// pure-Go Exp, Log… in wasm, assembly on amd64) may differ.
func compare(t *testing.T, what string, got, want *bundle.Prediction) {
	t.Helper()
	const rel = 1e-9
	if got == nil {
		t.Fatalf("%s: no result", what)
	}
	if !sameValue(got.Probability, want.Probability, rel) || !sameValue(got.RadScore, want.RadScore, rel) {
		t.Errorf("%s: probability %v, rad-score %v in the browser; native %v, %v", what, got.Probability, got.RadScore, want.Probability, want.RadScore)
	}
	if len(got.Features) != len(want.Features) {
		t.Fatalf("%s: %d features in the browser, %d native", what, len(got.Features), len(want.Features))
	}
	worst := relDiff(got.Probability, want.Probability)
	for j, f := range got.Features {
		w := want.Features[j]
		if f.Name != w.Name || !sameValue(f.Raw, w.Raw, rel) || !sameValue(f.Harmonized, w.Harmonized, rel) || !sameValue(f.Z, w.Z, rel) {
			t.Errorf("%s: feature %d in the browser %+v, native %+v", what, j, f, w)
		}
		worst = max(worst, relDiff(f.Raw, w.Raw), relDiff(f.Harmonized, w.Harmonized), relDiff(f.Z, w.Z))
	}
	t.Logf("%s: largest relative difference browser vs native %.3g", what, max(worst, relDiff(got.RadScore, want.RadScore)))
}

func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// native is bundle.Predict on the toy patient's files, read as `scirad
// predict` reads them.
func native(t *testing.T, dist, id string) *bundle.Prediction {
	t.Helper()
	f, err := os.Open(testBundle)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := bundle.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	img, err := volio.ReadImage(filepath.Join(dist, "toy", id+"_t2.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(filepath.Join(dist, "toy", id+"_mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Predict(img, mask, toyCenter(t, dist, id))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func toyCenter(t *testing.T, dist, id string) string {
	t.Helper()
	toys := readToys(t, dist)
	for _, x := range toys {
		if x.ID == id {
			return x.Center
		}
	}
	t.Fatalf("no toy patient %s", id)
	return ""
}

// writeBadFiles writes dist/bad/: a text file, a NIfTI header announcing
// 1024×1024×64 voxels (within volume.MaxVoxels, beyond the page's
// MaxVoxels) with no data, and the first toy patient's mask moved 10 mm.
func writeBadFiles(t *testing.T, dist string) {
	t.Helper()
	dir := filepath.Join(dist, "bad")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("patient notes: not an image\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	toy := readToys(t, dist)[0]
	mask, err := volio.ReadLabelMap(filepath.Join(dist, filepath.FromSlash(toy.Mask)))
	if err != nil {
		t.Fatal(err)
	}
	var hdr bytes.Buffer
	if err := nifti.Encode(&hdr, mask, nil); err != nil {
		t.Fatal(err)
	}
	absurd := hdr.Bytes()[:352]
	for k, d := range []int16{1024, 1024, 64} {
		binary.LittleEndian.PutUint16(absurd[42+2*k:], uint16(d))
	}
	if err := os.WriteFile(filepath.Join(dir, "absurd.nii"), absurd, 0o644); err != nil {
		t.Fatal(err)
	}
	mask.Origin[0] += 10
	if err := nifti.WriteFile(filepath.Join(dir, "shifted_mask.nii.gz"), mask, nil); err != nil {
		t.Fatal(err)
	}
}

func readToys(t *testing.T, dist string) []Toy {
	t.Helper()
	f, err := os.Open(filepath.Join(dist, "toy", "toy.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	var toys []Toy
	if err := json.Unmarshal(data, &toys); err != nil {
		t.Fatal(err)
	}
	return toys
}
