package deep

import (
	"fmt"
	"strings"
)

// Arch describes one torchvision ResNet: the block type and the number of
// blocks in each of the four stages.
type Arch struct {
	// Name is torchvision's constructor name: "resnet18", "resnet34", "resnet152".
	Name string
	// Bottleneck selects 1×1–3×3–1×1 blocks with expansion 4 (ResNet50 and
	// deeper) instead of two 3×3 convolutions (ResNet18/34).
	Bottleneck bool
	// Blocks is the number of residual blocks in layer1…layer4.
	Blocks [4]int
}

// Architectures lists the three networks of the paper, in its order.
func Architectures() []Arch {
	return []Arch{
		{Name: "resnet18", Blocks: [4]int{2, 2, 2, 2}},
		{Name: "resnet34", Blocks: [4]int{3, 4, 6, 3}},
		{Name: "resnet152", Bottleneck: true, Blocks: [4]int{3, 8, 36, 3}},
	}
}

// ArchByName returns the architecture called name (case-insensitive).
func ArchByName(name string) (Arch, error) {
	var names []string
	for _, a := range Architectures() {
		if strings.EqualFold(a.Name, name) {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return Arch{}, fmt.Errorf("deep: unknown architecture %q (want one of %s)", name, strings.Join(names, ", "))
}

// expansion is the ratio of a block's output channels to its width.
func (a Arch) expansion() int {
	if a.Bottleneck {
		return 4
	}
	return 1
}

// FeatureDim is the length of the global-average-pool output: 512 for
// ResNet18/34, 2048 for ResNet152.
func (a Arch) FeatureDim() int { return 512 * a.expansion() }

// Reduction is the factor by which the network shrinks its input (stride 2 in
// conv1, the max pool and layer2…layer4): an input smaller than this has no
// spatial extent left at layer4.
const Reduction = 32

// ParamSpec names one tensor of the network with its torchvision shape
// (convolutions OIHW, fc.weight [out, in]).
type ParamSpec struct {
	Name  string
	Shape []int
	// Kind is what the tensor is: conv, bn_weight, bn_bias, bn_mean, bn_var,
	// fc_weight, fc_bias.
	Kind ParamKind
}

// ParamKind classifies a parameter for layout conversion, initialisation and
// training (running statistics are not trained).
type ParamKind int

const (
	KindConv ParamKind = iota
	KindBNWeight
	KindBNBias
	KindBNMean
	KindBNVar
	KindFCWeight
	KindFCBias
)

// Trainable reports whether the optimiser updates tensors of this kind.
func (k ParamKind) Trainable() bool { return k != KindBNMean && k != KindBNVar }

// Params lists every tensor of the network in torchvision's state_dict order
// (without num_batches_tracked), with a classes-way fc head.
func (a Arch) Params(classes int) []ParamSpec {
	var ps []ParamSpec
	conv := func(name string, out, in, k int) {
		ps = append(ps, ParamSpec{name + ".weight", []int{out, in, k, k}, KindConv})
	}
	bn := func(name string, c int) {
		ps = append(ps,
			ParamSpec{name + ".weight", []int{c}, KindBNWeight},
			ParamSpec{name + ".bias", []int{c}, KindBNBias},
			ParamSpec{name + ".running_mean", []int{c}, KindBNMean},
			ParamSpec{name + ".running_var", []int{c}, KindBNVar})
	}
	conv("conv1", 64, 3, 7)
	bn("bn1", 64)
	in := 64
	for s, n := range a.Blocks {
		width := 64 << s
		out := width * a.expansion()
		for b := range n {
			p := fmt.Sprintf("layer%d.%d", s+1, b)
			if a.Bottleneck {
				conv(p+".conv1", width, in, 1)
				bn(p+".bn1", width)
				conv(p+".conv2", width, width, 3)
				bn(p+".bn2", width)
				conv(p+".conv3", out, width, 1)
				bn(p+".bn3", out)
			} else {
				conv(p+".conv1", width, in, 3)
				bn(p+".bn1", width)
				conv(p+".conv2", width, width, 3)
				bn(p+".bn2", width)
			}
			if b == 0 && (s > 0 || in != out) {
				conv(p+".downsample.0", out, in, 1)
				bn(p+".downsample.1", out)
			}
			in = out
		}
	}
	ps = append(ps,
		ParamSpec{"fc.weight", []int{classes, in}, KindFCWeight},
		ParamSpec{"fc.bias", []int{classes}, KindFCBias})
	return ps
}

// graphShape is the shape of spec inside the graph: HWIO for convolutions,
// [in, out] for fc.weight, unchanged otherwise.
func (p ParamSpec) graphShape() []int {
	switch p.Kind {
	case KindConv:
		return []int{p.Shape[2], p.Shape[3], p.Shape[1], p.Shape[0]}
	case KindFCWeight:
		return []int{p.Shape[1], p.Shape[0]}
	}
	return p.Shape
}
