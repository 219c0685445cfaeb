package deep

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// trainReference is the "train" part of testdata/deep/torchvision_reference.json
// (make_reference.py, torch 1.13.0a0 / torchvision 0.14.1a0, float64): two
// torch.optim.SGD steps of resnet18 in training mode.
type trainReference struct {
	Input    []int                `json:"input"`
	Labels   []int                `json:"labels"`
	LR       float64              `json:"lr"`
	Momentum float64              `json:"momentum"`
	Losses   []float64            `json:"losses"`
	Delta    map[string][]float64 `json:"delta"`
}

// TestTrainStepMatchesTorch compares two SGD steps (loss, and the change of
// parameters and running statistics) with PyTorch's.
func TestTrainStepMatchesTorch(t *testing.T) {
	b, err := os.ReadFile("../../testdata/deep/torchvision_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Train trainReference `json:"train"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	ref := raw.Train
	arch, _ := ArchByName("resnet18")
	init := hashWeights(arch, 2)
	p := NewParams(arch, 2, 1)
	if err := p.LoadTorch(init, true); err != nil {
		t.Fatal(err)
	}
	n, c, h, w := ref.Input[0], ref.Input[1], ref.Input[2], ref.Input[3]
	x := Batch{N: n, H: h, W: w, Data: make([]float32, n*h*w*c)}
	for bi := range n {
		for ch := range c {
			for y := range h {
				for xx := range w {
					i := ((bi*c+ch)*h+y)*w + xx
					v := 43758.5453 * math.Sin(0.13*float64(i)+0.2)
					x.Data[((bi*h+y)*w+xx)*c+ch] = float32(4 * (v - math.Floor(v) - 0.5))
				}
			}
		}
	}
	onehot := make([]float32, n*2)
	for i, l := range ref.Labels {
		onehot[i*2+l] = 1
	}
	for _, mode := range []ConvMode{ConvLowered, ConvNative} {
		t.Run(mode.String(), func(t *testing.T) {
			// Native convolution gradients deadlock compute v0.1.3's worker
			// pool when ops run in parallel; one op at a time avoids it.
			b, err := NewBackendWithConfig("go:ops_sequential")
			if err != nil {
				t.Fatal(err)
			}
			tr, err := NewTrainer(b, arch, 2, mode)
			if err != nil {
				t.Fatal(err)
			}
			st := tr.newState(p)
			var losses []float32
			for range ref.Losses {
				l, err := tr.step(st, x, onehot, ref.LR, 0, ref.Momentum)
				if err != nil {
					t.Fatal(err)
				}
				losses = append(losses, float32(l))
			}
			assertClose(t, "losses", losses, ref.Losses, 1e-4)
			q := p.Clone()
			st.store(q)
			after := q.Torch()
			for name, want := range ref.Delta {
				a, i0 := after[name], init[name]
				step := max(len(a.Data)/8, 1)
				var got []float32
				for j := range min(8, len(a.Data)) {
					at := (j*step + step/2 + 5*j) % len(a.Data)
					got = append(got, a.Data[at]-i0.Data[at])
				}
				assertClose(t, name, got, want, 1e-3)
			}
		})
	}
}

// hashWeights builds make_reference.py's training weights: h =
// frac(43758.5453·sin(0.37·i + 0.91·k)) − ½ for element i of tensor k.
func hashWeights(arch Arch, classes int) map[string]Tensor {
	w := map[string]Tensor{}
	for k, s := range arch.Params(classes) {
		d := make([]float32, size(s.Shape))
		for i := range d {
			v := 43758.5453 * math.Sin(0.37*float64(i)+0.91*float64(k))
			h := v - math.Floor(v) - 0.5
			switch s.Kind {
			case KindFCWeight:
				h = 2 * h / math.Sqrt(float64(s.Shape[1]))
			case KindFCBias:
				h *= 0.1
			case KindConv:
				h *= math.Sqrt(24 / float64(s.Shape[1]*s.Shape[2]*s.Shape[3]))
			case KindBNWeight, KindBNVar:
				h = 1
			default:
				h = 0
			}
			d[i] = float32(h)
		}
		w[s.Name] = Tensor{Shape: s.Shape, Data: d}
	}
	return w
}
