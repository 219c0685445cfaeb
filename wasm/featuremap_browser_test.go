//go:build !js

package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/scirad/scirad/internal/browsertest"
	"github.com/scirad/scirad/pipeline/volio"
)

// The page computes a toy patient's GLCM Contrast map of the lesion in
// WebAssembly (headless Chromium, offline) and draws it; its colour range
// and voxel count are those of the same computation run natively. The time
// is logged, not asserted (issue 17's target: ≤ 3 s).
func TestBrowserFeatureMap(t *testing.T) {
	s, info, dist := demoPage(t)
	wait, run := pageActions(t, s)
	toy := loadToy(info, wait, run)
	run(`document.getElementById('map-feature').value = 'glcm_Contrast'; sciradDemo.state = 'clicked'; document.getElementById('run-map').click(); true`)
	wait(`sciradDemo.state === 'mapped' || sciradDemo.state === 'error'`)
	type pageMap struct {
		State, Error string
		Map          struct {
			Feature string
			Lo, Hi  float64
			Voxels  int
			Seconds float64
			Total   float64 `json:"total_ms"`
		}
	}
	got, err := browsertest.Eval[pageMap](s, `JSON.parse(JSON.stringify({State: sciradDemo.state, Error: sciradDemo.error || '', Map: sciradDemo.map}))`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "mapped" {
		t.Fatalf("feature map: %s %s", got.State, got.Error)
	}
	img, err := volio.ReadImage(filepath.Join(dist, "toy", toy+"_t2.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := volio.ReadLabelMap(filepath.Join(dist, "toy", toy+"_mask.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := mapSlice(img, mask, "glcm_Contrast", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Map.Feature != "glcm_Contrast" || got.Map.Voxels != want.Voxels || !sameValue(got.Map.Lo, want.Lo, 1e-12) || !sameValue(got.Map.Hi, want.Hi, 1e-12) {
		t.Errorf("page map %+v, native: %d voxels, %g to %g", got.Map, want.Voxels, want.Lo, want.Hi)
	}
	shown, _ := browsertest.Eval[bool](s, `!document.getElementById('map').hidden && document.getElementById('map').width > 1`, 5*time.Second)
	if !shown {
		t.Error("the map canvas is not shown")
	}
	t.Logf("toy patient %s: glcm_Contrast map of the %d-voxel lesion in Chromium in %.0f ms (featureMap call %.0f ms); natively %.0f ms",
		toy, got.Map.Voxels, 1000*got.Map.Seconds, got.Map.Total, 1000*want.Seconds)
}
