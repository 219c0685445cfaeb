package radiomics

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// binCase is one row of testdata/radiomics/binning.json, written by
// testdata/radiomics/gen_binning.py (numpy 1.24.2, pyradiomics' getBinEdges
// and numpy.digitize): /usr/bin/python3 testdata/radiomics/gen_binning.py
type binCase struct {
	Name     string
	Values   []float64
	BinWidth float64
	BinCount int
	Edges    []float64
	Bins     []int
}

func TestBinEdgesMatchNumpy(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/radiomics/binning.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []binCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		e, err := BinEdges(c.Values, c.BinWidth, c.BinCount)
		if err != nil {
			t.Errorf("%s w=%g n=%d: %v", c.Name, c.BinWidth, c.BinCount, err)
			continue
		}
		if len(e) != len(c.Edges) {
			t.Errorf("%s w=%g n=%d: %d edges, numpy %d", c.Name, c.BinWidth, c.BinCount, len(e), len(c.Edges))
			continue
		}
		for i := range e {
			// numpy's edges are reproduced bit for bit.
			if e[i] != c.Edges[i] {
				t.Errorf("%s w=%g n=%d: edge %d = %v, numpy %v", c.Name, c.BinWidth, c.BinCount, i, e[i], c.Edges[i])
			}
		}
		for i, v := range c.Values {
			if b := digitize(v, e); b != c.Bins[i] {
				t.Errorf("%s w=%g n=%d: %v in bin %d, numpy %d", c.Name, c.BinWidth, c.BinCount, v, b, c.Bins[i])
			}
		}
	}
}

func TestBinEdgesErrors(t *testing.T) {
	if _, err := BinEdges(nil, 25, 0); err == nil {
		t.Error("empty input: no error")
	}
	if _, err := BinEdges([]float64{1, math.NaN()}, 25, 0); err == nil {
		t.Error("NaN: no error")
	}
	if _, err := BinEdges([]float64{0, 1e12}, 1e-6, 0); err == nil {
		t.Error("absurd bin count: no error")
	}
}
