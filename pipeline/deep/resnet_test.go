package deep

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/gomlx/compute"
)

// torchvisionReference is testdata/deep/torchvision_reference.json, written by
// testdata/deep/make_reference.py with torch 1.13.0a0 and torchvision
// 0.14.1a0 (Debian 12 python3-torchvision), in float64:
//
//	/usr/bin/python3 testdata/deep/make_reference.py > testdata/deep/torchvision_reference.json
type torchvisionReference struct {
	Input   []int `json:"input"`
	Classes int   `json:"classes"`
	Nets    map[string]struct {
		Params []struct {
			Name  string
			Shape []int
		} `json:"params"`
		Pooled [][]float64 `json:"pooled"`
		Logits [][]float64 `json:"logits"`
	} `json:"nets"`
}

func loadReference(t *testing.T) torchvisionReference {
	t.Helper()
	b, err := os.ReadFile("../../testdata/deep/torchvision_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Input   []int `json:"input"`
		Classes int   `json:"classes"`
		Nets    map[string]struct {
			Params [][]json.RawMessage `json:"params"`
			Pooled [][]float64         `json:"pooled"`
			Logits [][]float64         `json:"logits"`
		} `json:"nets"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	ref := torchvisionReference{Input: raw.Input, Classes: raw.Classes, Nets: map[string]struct {
		Params []struct {
			Name  string
			Shape []int
		} `json:"params"`
		Pooled [][]float64 `json:"pooled"`
		Logits [][]float64 `json:"logits"`
	}{}}
	for arch, n := range raw.Nets {
		e := ref.Nets[arch]
		e.Pooled, e.Logits = n.Pooled, n.Logits
		for _, p := range n.Params {
			var name string
			var shape []int
			if err := json.Unmarshal(p[0], &name); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(p[1], &shape); err != nil {
				t.Fatal(err)
			}
			e.Params = append(e.Params, struct {
				Name  string
				Shape []int
			}{name, shape})
		}
		ref.Nets[arch] = e
	}
	return ref
}

// formulaWeights builds make_reference.py's weights in torchvision's names
// and layout: s = sin(0.37·i + 0.91·k) for element i of tensor k.
func formulaWeights(arch Arch, classes int) map[string]Tensor {
	w := map[string]Tensor{}
	for k, s := range arch.Params(classes) {
		d := make([]float32, size(s.Shape))
		for i := range d {
			v := math.Sin(0.37*float64(i) + 0.91*float64(k))
			switch s.Kind {
			case KindBNMean, KindBNBias, KindFCBias:
				v *= 0.1
			case KindBNVar:
				v = 1 + 0.5*v
			case KindBNWeight:
				v = 0.5 + 0.25*v
			case KindFCWeight:
				v /= math.Sqrt(float64(s.Shape[1]))
			case KindConv:
				v /= math.Sqrt(float64(s.Shape[1] * s.Shape[2] * s.Shape[3]))
			}
			d[i] = float32(v)
		}
		w[s.Name] = Tensor{Shape: s.Shape, Data: d}
	}
	return w
}

// formulaInput is make_reference.py's input x[n,c,h,w] = sin(0.11·i + 0.5)
// (i the NCHW flat index) in graph layout NHWC.
func formulaInput(n, c, h, w int) Batch {
	out := make([]float32, n*h*w*c)
	for b := range n {
		for ch := range c {
			for y := range h {
				for x := range w {
					i := ((b*c+ch)*h+y)*w + x
					out[((b*h+y)*w+x)*c+ch] = float32(math.Sin(0.11*float64(i) + 0.5))
				}
			}
		}
	}
	return Batch{N: n, H: h, W: w, Data: out}
}

// assertClose checks got against want within rel·max(|want|, rms(want)):
// relative to each value, with the vector's RMS as the floor for values
// near zero (pooled ReLU features are often exactly 0).
func assertClose(t *testing.T, what string, got []float32, want []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	var ss float64
	for _, v := range want {
		ss += v * v
	}
	rms := math.Sqrt(ss / float64(len(want)))
	worst, at := 0.0, 0
	for i := range want {
		e := math.Abs(float64(got[i])-want[i]) / math.Max(math.Abs(want[i]), rms)
		if e > worst {
			worst, at = e, i
		}
	}
	t.Logf("%s: worst relative error %.2g at element %d", what, worst, at)
	if worst > rel {
		t.Errorf("%s: element %d = %g, want %g (relative error %.2g > %g)", what, at, got[at], want[at], worst, rel)
	}
}

func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := NewBackendWithConfig("")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConvAutoLowersOnGoBackend(t *testing.T) {
	if !ConvAuto.lowered(testBackend(t)) {
		t.Error("ConvAuto does not lower convolutions on the pure-Go backend")
	}
}

// TestOddSizeMatchesTorchvision runs resnet18 and resnet152 on a 45 × 37
// input ("odd" in torchvision_reference.json): odd sizes at every stride.
func TestOddSizeMatchesTorchvision(t *testing.T) {
	b, err := os.ReadFile("../../testdata/deep/torchvision_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Classes int `json:"classes"`
		Odd     map[string]struct {
			Input  []int       `json:"input"`
			Logits [][]float64 `json:"logits"`
		} `json:"odd"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"resnet18", "resnet152"} {
		want := ref.Odd[name]
		arch, _ := ArchByName(name)
		p := NewParams(arch, ref.Classes, 1)
		if err := p.LoadTorch(formulaWeights(arch, ref.Classes), true); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []ConvMode{ConvLowered, ConvNative} {
			if name == "resnet152" && mode == ConvNative {
				continue // the native op is slow; resnet18 covers it
			}
			m, err := NewModel(testBackend(t), p, mode)
			if err != nil {
				t.Fatal(err)
			}
			_, logits, err := m.Forward(formulaInput(want.Input[0], want.Input[1], want.Input[2], want.Input[3]), 0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range logits {
				assertClose(t, name+" "+mode.String()+" logits", logits[i], want.Logits[i], 1e-4)
			}
		}
	}
}

// TestParamsMatchTorchvision checks names, order and shapes of every tensor
// against torchvision's state_dict.
func TestParamsMatchTorchvision(t *testing.T) {
	ref := loadReference(t)
	for _, arch := range Architectures() {
		want := ref.Nets[arch.Name].Params
		got := arch.Params(ref.Classes)
		if len(got) != len(want) {
			t.Fatalf("%s: %d tensors, torchvision has %d", arch.Name, len(got), len(want))
		}
		for i := range got {
			if got[i].Name != want[i].Name || !slices.Equal(got[i].Shape, want[i].Shape) {
				t.Fatalf("%s: tensor %d is %s %v, torchvision has %s %v", arch.Name, i, got[i].Name, got[i].Shape, want[i].Name, want[i].Shape)
			}
		}
	}
}

// TestForwardMatchesTorchvision runs the three networks on the formula
// weights and input and compares pooled features and logits with torchvision.
func TestForwardMatchesTorchvision(t *testing.T) {
	ref := loadReference(t)
	b := testBackend(t)
	x := formulaInput(ref.Input[0], ref.Input[1], ref.Input[2], ref.Input[3])
	cases := []struct {
		arch string
		mode ConvMode
	}{
		{"resnet18", ConvNative},
		{"resnet18", ConvLowered},
		{"resnet34", ConvLowered},
		{"resnet152", ConvLowered},
	}
	for _, c := range cases {
		t.Run(c.arch+"/"+c.mode.String(), func(t *testing.T) {
			arch, err := ArchByName(c.arch)
			if err != nil {
				t.Fatal(err)
			}
			p := NewParams(arch, ref.Classes, 1)
			if err := p.LoadTorch(formulaWeights(arch, ref.Classes), true); err != nil {
				t.Fatal(err)
			}
			m, err := NewModel(b, p, c.mode)
			if err != nil {
				t.Fatal(err)
			}
			pooled, logits, err := m.Forward(x, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := ref.Nets[c.arch]
			for i := range x.N {
				assertClose(t, "pooled", pooled[i], want.Pooled[i], 1e-4)
				assertClose(t, "logits", logits[i], want.Logits[i], 1e-4)
			}
		})
	}
}
