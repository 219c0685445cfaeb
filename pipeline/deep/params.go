package deep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Params holds every tensor of one network in graph layout (convolutions
// HWIO, fc.weight [in, out]), in the order of Arch.Params(Classes).
type Params struct {
	Arch    Arch
	Classes int
	Specs   []ParamSpec
	// Values[i] is Specs[i]'s tensor in graph layout.
	Values []Tensor
}

// NewParams initialises a network from scratch as torchvision does:
// convolutions Kaiming-normal with fan-out and ReLU gain (std √(2/(O·k·k))),
// batch norm γ = 1, β = 0, running mean 0 and variance 1, and the fc layer
// uniform on ±1/√in. The seed fixes every draw.
func NewParams(arch Arch, classes int, seed uint64) *Params {
	p := &Params{Arch: arch, Classes: classes, Specs: arch.Params(classes)}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_deeb))
	p.Values = make([]Tensor, len(p.Specs))
	for i, s := range p.Specs {
		t := Tensor{Shape: s.graphShape(), Data: make([]float32, size(s.Shape))}
		switch s.Kind {
		case KindConv:
			std := math.Sqrt(2 / float64(s.Shape[0]*s.Shape[2]*s.Shape[3]))
			for j := range t.Data {
				t.Data[j] = float32(rng.NormFloat64() * std)
			}
		case KindBNWeight, KindBNVar:
			for j := range t.Data {
				t.Data[j] = 1
			}
		case KindFCWeight, KindFCBias:
			bound := 1 / math.Sqrt(float64(p.Specs[len(p.Specs)-2].Shape[1]))
			for j := range t.Data {
				t.Data[j] = float32((2*rng.Float64() - 1) * bound)
			}
		}
		p.Values[i] = t
	}
	return p
}

// ResetHead re-initialises the fc layer with a new seed (a new task head).
func (p *Params) ResetHead(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x4ead))
	for i, s := range p.Specs {
		if s.Kind != KindFCWeight && s.Kind != KindFCBias {
			continue
		}
		bound := 1 / math.Sqrt(float64(p.Arch.FeatureDim()))
		for j := range p.Values[i].Data {
			p.Values[i].Data[j] = float32((2*rng.Float64() - 1) * bound)
		}
	}
}

// Clone returns a deep copy of p.
func (p *Params) Clone() *Params {
	q := &Params{Arch: p.Arch, Classes: p.Classes, Specs: p.Specs, Values: make([]Tensor, len(p.Values))}
	for i, v := range p.Values {
		q.Values[i] = Tensor{Shape: slices.Clone(v.Shape), Data: slices.Clone(v.Data)}
	}
	return q
}

// LoadTorch copies tensors named and shaped as in torchvision's state_dict
// into p, converting them to graph layout. Every backbone tensor must be
// present with its exact shape; the fc head is loaded only when head is set
// (a pretrained ImageNet head has 1000 classes and is replaced for the
// task). A missing or mis-shaped tensor is an error naming it.
func (p *Params) LoadTorch(w map[string]Tensor, head bool) error {
	var missing []string
	for i, s := range p.Specs {
		isHead := s.Kind == KindFCWeight || s.Kind == KindFCBias
		if isHead && !head {
			continue
		}
		t, ok := w[s.Name]
		if !ok {
			missing = append(missing, s.Name)
			continue
		}
		if !slices.Equal(t.Shape, s.Shape) {
			return fmt.Errorf("deep: weights for %s: tensor %s has shape %v, want %v", p.Arch.Name, s.Name, t.Shape, s.Shape)
		}
		if len(t.Data) != size(s.Shape) {
			return fmt.Errorf("deep: weights for %s: tensor %s has %d values for shape %v", p.Arch.Name, s.Name, len(t.Data), s.Shape)
		}
		p.Values[i] = Tensor{Shape: s.graphShape(), Data: toGraphLayout(s, t.Data)}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 5 {
			more = fmt.Sprintf(" and %d more", len(missing)-5)
			missing = missing[:5]
		}
		return fmt.Errorf("deep: weights for %s: missing tensor %s%s", p.Arch.Name, strings.Join(missing, ", "), more)
	}
	return nil
}

// Torch returns p's tensors in torchvision's names and layout, ready for
// WriteSafetensors.
func (p *Params) Torch() map[string]Tensor {
	out := make(map[string]Tensor, len(p.Specs))
	for i, s := range p.Specs {
		out[s.Name] = Tensor{Shape: slices.Clone(s.Shape), Data: fromGraphLayout(s, p.Values[i].Data)}
	}
	return out
}

// toGraphLayout converts data in torchvision's layout of s to graph layout:
// OIHW → HWIO for convolutions, [out, in] → [in, out] for fc.weight.
func toGraphLayout(s ParamSpec, data []float32) []float32 { return relayout(s, data, true) }

// fromGraphLayout inverts toGraphLayout.
func fromGraphLayout(s ParamSpec, data []float32) []float32 { return relayout(s, data, false) }

// relayout moves data between torchvision's layout and the graph's, in the
// direction toGraph says. Element (a, b, h, w) — output channel, input
// channel, kernel row and column — sits at torch(…) in torchvision's layout
// and at graph(…) in the graph's.
func relayout(s ParamSpec, data []float32, toGraph bool) []float32 {
	out := make([]float32, len(data))
	var o, in, kh, kw int
	switch s.Kind {
	case KindConv:
		o, in, kh, kw = s.Shape[0], s.Shape[1], s.Shape[2], s.Shape[3]
	case KindFCWeight:
		o, in, kh, kw = s.Shape[0], s.Shape[1], 1, 1
	default:
		copy(out, data)
		return out
	}
	torch := func(a, b, h, w int) int { return ((a*in+b)*kh+h)*kw + w }
	graph := func(a, b, h, w int) int { return ((h*kw+w)*in+b)*o + a }
	for a := range o {
		for b := range in {
			for h := range kh {
				for w := range kw {
					if toGraph {
						out[graph(a, b, h, w)] = data[torch(a, b, h, w)]
					} else {
						out[torch(a, b, h, w)] = data[graph(a, b, h, w)]
					}
				}
			}
		}
	}
	return out
}
