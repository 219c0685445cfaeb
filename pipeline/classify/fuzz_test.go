package classify

import (
	"testing"
)

// FuzzUnmarshal: whatever JSON the browser demo is handed, Unmarshal
// either fails or returns a model that predicts without panicking.
func FuzzUnmarshal(f *testing.F) {
	X, y := synthetic(30, 3, 1)
	for _, est := range allModels(1) {
		m, err := Standardized{Model: est}.Fit(X, y)
		if err != nil {
			f.Fatal(err)
		}
		data, _ := Marshal(m)
		f.Add(data)
		inner, _ := Marshal(m.(*Pipeline).Model)
		f.Add(inner)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Unmarshal(data)
		if err != nil {
			return
		}
		if m.NumFeatures() > 1<<16 {
			return // a claimed width too large to allocate a test row for
		}
		row := make([]float64, m.NumFeatures())
		if _, err := m.PredictProba([][]float64{row}); err != nil && m.NumFeatures() > 0 {
			t.Errorf("a loaded model fails on a row of the right length: %v", err)
		}
	})
}
