//go:build !js

package main

import (
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// demoPage builds the demo folder as `make wasm` does, serves it on
// 127.0.0.1 and opens the page in headless Chromium (offline), waiting
// until it has started; the session and server end with the test.
func demoPage(t *testing.T) (*browsertest.Session, *BuildInfo, string) {
	t.Helper()
	exe := browsertest.Require(t)
	dist := t.TempDir()
	info, err := Build(dist, testBundle, io.Discard)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	srv := httptest.NewServer(Handler(dist))
	t.Cleanup(srv.Close)
	s, err := browsertest.Start(exe, browsertest.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.Open(srv.URL+"/index.html", 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitFor(`sciradDemo.state === 'ready' || sciradDemo.state === 'error'`, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	return s, info, dist
}

// pageActions are the page's two test actions: wait until a JavaScript
// condition holds, and run a statement that returns true; either failing
// ends the test.
func pageActions(t *testing.T, s *browsertest.Session) (wait, run func(string)) {
	wait = func(cond string) {
		t.Helper()
		if err := s.WaitFor(cond, 60*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	run = func(js string) {
		t.Helper()
		if _, err := browsertest.Eval[bool](s, js, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	return wait, run
}

// loadToy loads the first toy patient into the page, waits until it is
// shown, and returns its id.
func loadToy(info *BuildInfo, wait, run func(string)) string {
	toy := info.Toys[0]
	run(fmt.Sprintf(`document.getElementById('toy').value = %q; sciradDemo.state = 'clicked'; document.getElementById('run-toy').click(); true`, toy))
	wait(`sciradDemo.state === 'done' || sciradDemo.state === 'error'`)
	return toy
}

// The page filters a toy patient in WebAssembly (headless Chromium,
// offline) with filters picked from the gallery's drop-down — one of the
// paper's, two pyradiomics image types, one IBSI chapter 2 filter — and
// draws the filtered slice beside the original: the canvas's pixels are
// those of the same filter called natively from package filter or
// preprocess (not through the gallery) and drawn on the same slice, and
// differ from the unfiltered slice's.
func TestBrowserFilter(t *testing.T) {
	s, info, dist := demoPage(t)
	wait, run := pageActions(t, s)
	toy := loadToy(info, wait, run)

	img, err := volio.ReadImage(filepath.Join(dist, "toy", toy+"_t2.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(filepath.Join(dist, "toy", toy+"_mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	plain := sagittalView(img, mask, false)
	ibsiSpec := "ibsi-wavelet wavelet=haar set=HHH level=2 invariant"
	ibsi, err := filter.ParseIBSIType(ibsiSpec)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want func() (*volume.Volume, error)
	}{
		{"median", func() (*volume.Volume, error) { return preprocess.MedianFilter3(img), nil }},
		{"log-sigma-2-0-mm-3D", func() (*volume.Volume, error) { return filter.LoGRegion(img, 2, nil) }},
		{"wavelet-HLH", func() (*volume.Volume, error) {
			w, err := filter.WaveletRegion(img, "coif1", 0, 1, []int{0, 1, 2}, nil)
			if err != nil {
				return nil, err
			}
			return w[4].Volume, nil // LLH LHL LHH HLL HLH …
		}},
		{ibsi.Name(), func() (*volume.Volume, error) { return ibsi.Apply(img) }},
	} {
		run(fmt.Sprintf(`document.getElementById('filter').value = %q; sciradDemo.state = 'clicked'; document.getElementById('run-filter').click(); true`, c.name))
		wait(`sciradDemo.state === 'filtered' || sciradDemo.state === 'error'`)
		type pageFilter struct {
			State, Error string
			Filtered     struct {
				Name          string
				Lo, Hi        float64
				Index         int
				Width, Height int
				Seconds       float64
				Total         float64 `json:"total_ms"`
			}
			Pixels []int
			Shown  bool
		}
		got, err := browsertest.Eval[pageFilter](s, `(() => { const c = document.getElementById('filtered');
  return {State: sciradDemo.state, Error: sciradDemo.error || '', Filtered: sciradDemo.filtered, Shown: !c.hidden,
    Pixels: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)}; })()`, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != "filtered" {
			t.Fatalf("%s: %s %s", c.name, got.State, got.Error)
		}
		t0 := time.Now()
		v, err := c.want()
		if err != nil {
			t.Fatal(err)
		}
		native := time.Since(t0).Seconds()
		want := sagittalView(v, mask, false)
		if got.Filtered.Name != c.name || !got.Shown || got.Filtered.Index != plain.Index || got.Filtered.Width != want.Width || got.Filtered.Height != want.Height {
			t.Errorf("%s: page shows %s, slice %d (%d×%d, shown %v); want slice %d (%d×%d)", c.name, got.Filtered.Name, got.Filtered.Index,
				got.Filtered.Width, got.Filtered.Height, got.Shown, plain.Index, want.Width, want.Height)
			continue
		}
		if len(got.Pixels) != len(want.RGBA) {
			t.Errorf("%s: %d canvas bytes, want %d", c.name, len(got.Pixels), len(want.RGBA))
			continue
		}
		// Native and WebAssembly arithmetic may differ in the last bit
		// (math.Exp is assembly on amd64): a grey level may round one step
		// apart, nothing more.
		off, far, changed := 0, 0, 0
		for i, p := range got.Pixels {
			if d := p - int(want.RGBA[i]); d != 0 {
				off++
				if d > 1 || d < -1 {
					far++
				}
			}
			if byte(p) != plain.RGBA[i] {
				changed++
			}
		}
		if far > 0 || off > len(want.RGBA)/100 {
			t.Errorf("%s: %d of %d canvas bytes differ from the native filter's slice (%d by more than 1)", c.name, off, len(want.RGBA), far)
		}
		if changed < len(want.RGBA)/10 {
			t.Errorf("%s: only %d of %d canvas bytes differ from the unfiltered slice", c.name, changed, len(want.RGBA))
		}
		t.Logf("%s: %d×%d slice %d, canvas vs native slice: %d bytes differ; in Chromium %.0f ms (filterImage call %.0f ms), natively %.0f ms",
			c.name, want.Width, want.Height, want.Index, off, 1000*got.Filtered.Seconds, got.Filtered.Total, 1000*native)
	}
	if shot := os.Getenv("SCIRAD_FILTER_SCREENSHOT"); shot != "" {
		browsertest.Screenshot(t, s, shot)
	}
	if e := s.Errors(); len(e) > 0 {
		t.Errorf("page errors: %v", e)
	}
	if r := s.RemoteRequests(); len(r) > 0 {
		t.Errorf("the page asked the network for %v", r)
	}
}
