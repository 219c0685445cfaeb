package bundle_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/bundle"
)

// FuzzRead: whatever JSON `scirad predict` or the browser demo is handed,
// bundle.Read either fails with a one-line error or returns a bundle that
// writes back to one it reads again — never a panic. (Predict's refusal of
// non-finite results is TestHostileCorpus's num/bundle-* cases.)
func FuzzRead(f *testing.F) {
	raw, err := os.ReadFile("../../testdata/wasm/bundle_rad.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		f.Fatal(err)
	}
	for _, edit := range []func(map[string]any){
		func(m map[string]any) { m["intercept"] = 1e308 },
		func(m map[string]any) {
			m["settings"].(map[string]any)["Preprocess"].(map[string]any)["GaussianSigma"] = 1e6
		},
		func(m map[string]any) {
			m["settings"].(map[string]any)["Preprocess"].(map[string]any)["Margin"] = 1e300
		},
		func(m map[string]any) {
			m["settings"].(map[string]any)["Preprocess"].(map[string]any)["Interpolator"] = 9
		},
		func(m map[string]any) { m["weights"] = []any{} },
	} {
		var c map[string]any
		json.Unmarshal(raw, &c)
		edit(c)
		b, _ := json.Marshal(c)
		f.Add(b)
	}
	f.Add([]byte(`{"format":"scirad-bundle/1"}`))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := bundle.Read(bytes.NewReader(data))
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") {
				t.Errorf("error of %d lines", strings.Count(msg, "\n")+1)
			}
			return
		}
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			t.Fatalf("a bundle Read accepts does not Write: %v", err)
		}
		if _, err := bundle.Read(&buf); err != nil {
			t.Fatalf("a written bundle does not Read back: %v", err)
		}
	})
}
