package deep

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
)

// bnEpsilon and bnMomentum are torchvision's batch-norm defaults.
const (
	bnEpsilon  = 1e-5
	bnMomentum = 0.1
)

// Net builds one ResNet as a graph function.
type Net struct {
	Arch Arch
	// Classes is the width of the fc head (2 for the outcome, 1000 for ImageNet).
	Classes int
	// Lowered selects the im2col convolution (see conv2d).
	Lowered bool
}

// Outputs are the nodes a forward pass exposes.
type Outputs struct {
	// Layer4 is the last convolutional stage [N, H/32, W/32, FeatureDim]
	// (Grad-CAM's target layer).
	Layer4 *graph.Node
	// Pooled is the global average pool of Layer4 [N, FeatureDim].
	Pooled *graph.Node
	// Logits is the fc output [N, Classes].
	Logits *graph.Node
	// Running holds, in training mode, the updated running mean and variance
	// of every batch norm, keyed by parameter name.
	Running map[string]*graph.Node
}

// forwardState carries the parameters by name while a forward graph is built.
type forwardState struct {
	net     Net
	p       map[string]*graph.Node
	train   bool
	running map[string]*graph.Node
}

// Forward builds the network on x [N, H, W, 3] (ImageNet-normalised,
// channels last). params are graph-layout nodes in the order of
// Net.Arch.Params(Net.Classes). In training mode batch norm normalises with
// the batch statistics and Outputs.Running holds the new running statistics;
// otherwise the running statistics are used.
func (n Net) Forward(params []*graph.Node, x *graph.Node, train bool) Outputs {
	specs := n.Arch.Params(n.Classes)
	if len(params) != len(specs) {
		panic(fmt.Sprintf("deep: %s takes %d parameter nodes, got %d", n.Arch.Name, len(specs), len(params)))
	}
	st := &forwardState{net: n, p: make(map[string]*graph.Node, len(specs)), train: train}
	if train {
		st.running = map[string]*graph.Node{}
	}
	for i, s := range specs {
		st.p[s.Name] = params[i]
	}
	h := st.conv("conv1", x, 2, 3)
	h = st.bnReLU("bn1", h)
	h = maxPool3s2(h, n.Lowered)
	for s, blocks := range n.Arch.Blocks {
		for b := range blocks {
			stride := 1
			if s > 0 && b == 0 {
				stride = 2
			}
			h = st.block(fmt.Sprintf("layer%d.%d", s+1, b), h, stride)
		}
	}
	pooled := graph.ReduceMean(h, 1, 2)
	logits := graph.Add(graph.MatMul(pooled, st.p["fc.weight"]), graph.Reshape(st.p["fc.bias"], 1, n.Classes))
	return Outputs{Layer4: h, Pooled: pooled, Logits: logits, Running: st.running}
}

// block is torchvision's BasicBlock (two 3×3 convolutions, stride on the
// first) or Bottleneck (1×1, 3×3 with the stride, 1×1 with expansion 4), plus
// the identity or the downsample projection (1×1 conv with the stride, bn).
func (st *forwardState) block(name string, x *graph.Node, stride int) *graph.Node {
	var h *graph.Node
	if st.net.Arch.Bottleneck {
		h = st.bnReLU(name+".bn1", st.conv(name+".conv1", x, 1, 0))
		h = st.bnReLU(name+".bn2", st.conv(name+".conv2", h, stride, 1))
		h = st.bn(name+".bn3", st.conv(name+".conv3", h, 1, 0))
	} else {
		h = st.bnReLU(name+".bn1", st.conv(name+".conv1", x, stride, 1))
		h = st.bn(name+".bn2", st.conv(name+".conv2", h, 1, 1))
	}
	identity := x
	if _, ok := st.p[name+".downsample.0.weight"]; ok {
		identity = st.bn(name+".downsample.1", st.conv(name+".downsample.0", x, stride, 0))
	}
	return st.relu(graph.Add(h, identity))
}

func (st *forwardState) conv(name string, x *graph.Node, stride, pad int) *graph.Node {
	return conv2d(x, st.p[name+".weight"], stride, pad, st.net.Lowered)
}

// bn is torch.nn.BatchNorm2d on x [N, H, W, C]:
//
//	y = (x − μ) · γ / √(σ² + ε) + β
//
// with μ, σ² the running statistics in inference, and the batch mean and
// biased batch variance in training, where the running statistics become
// (1 − m)·running + m·batch (the variance unbiased by n/(n − 1)), m = 0.1.
func (st *forwardState) bn(name string, x *graph.Node) *graph.Node {
	return st.batchNorm(name, x, false)
}

// bnReLU is relu(bn(x)).
func (st *forwardState) bnReLU(name string, x *graph.Node) *graph.Node {
	return st.batchNorm(name, x, true)
}

// relu is max(x, 0); in training its gradient is written out (see reluGrad).
func (st *forwardState) relu(x *graph.Node) *graph.Node {
	if !st.train {
		return relu(x)
	}
	var yo, dy *graph.Node
	xi := graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node { return reluGrad(dy, yo) })
	yo = graph.IdentityWithCustomGradient(relu(xi), func(_, v *graph.Node) *graph.Node {
		dy = v
		return v
	})
	return yo
}

// reluGrad is ∂L/∂x of y = max(x, 0) given v = ∂L/∂y: v where y > 0, 0
// where y = 0 (torch.relu's rule at 0), two passes (Sign, Mul) where GoMLX's
// Max rule takes four.
func reluGrad(v, y *graph.Node) *graph.Node { return graph.Mul(v, graph.Sign(y)) }

// batchNorm is bn, followed by relu when withReLU is set. In training the
// gradient of the pair is written out rather than derived op by op by
// GoMLX (about 20 elementwise passes over the activation): with g = ∂L/∂y,
// masked by y > 0 after a ReLU, x̂ = (x − μ)/σ̂ and n the count per channel,
//
//	∂L/∂β = Σ g,   ∂L/∂γ = Σ g·x̂,
//	∂L/∂x = γ/σ̂ · (g − Σg/n − x̂·Σ(g·x̂)/n)
//
// which takes nine passes (mask 2, the two sums 3, ∂L/∂x 4). The forward
// values are the same ops as before. The rule is attached as in
// patchMatMul: the identity on the output records g, the identities on x,
// γ and β return their gradients and discard GoMLX's.
func (st *forwardState) batchNorm(name string, x *graph.Node, withReLU bool) *graph.Node {
	if !st.train {
		y := st.bnOp(name, x, nil, nil)
		if withReLU {
			y = relu(y)
		}
		return y
	}
	d := x.Shape().Dimensions
	c := d[3]
	count := float64(d[0] * d[1] * d[2])
	var xi, gi, bi, centred, invStd, scale, yo, dy *graph.Node
	// mask is ∂L/∂y, zero where the ReLU cut; computed once for the three.
	var masked *graph.Node
	mask := func() *graph.Node {
		if masked == nil {
			masked = dy
			if withReLU {
				masked = reluGrad(dy, yo)
			}
		}
		return masked
	}
	var sumG, sumGC *graph.Node
	sums := func() {
		if sumG == nil {
			g := mask()
			sumG = graph.ReduceSum(g, 0, 1, 2)
			sumGC = graph.ReduceSum(graph.Mul(g, centred), 0, 1, 2)
		}
	}
	xi = graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
		sums()
		// g − Σg/n − (x − μ)·σ̂⁻²·Σ(g·(x − μ))/n, times γ/σ̂.
		k1 := graph.DivScalar(graph.Mul(graph.Square(invStd), sumGC), count)
		k0 := graph.DivScalar(sumG, count)
		sub := graph.Add(graph.Mul(centred, graph.Reshape(k1, 1, 1, 1, c)), graph.Reshape(k0, 1, 1, 1, c))
		return graph.Mul(graph.Sub(mask(), sub), graph.Reshape(scale, 1, 1, 1, c))
	})
	gi = graph.IdentityWithCustomGradient(st.p[name+".weight"], func(_, _ *graph.Node) *graph.Node {
		sums()
		return graph.Mul(sumGC, invStd)
	})
	bi = graph.IdentityWithCustomGradient(st.p[name+".bias"], func(_, _ *graph.Node) *graph.Node {
		sums()
		return sumG
	})
	y := st.bnOp(name, xi, gi, bi, &centred, &invStd, &scale)
	if withReLU {
		y = relu(y)
	}
	yo = graph.IdentityWithCustomGradient(y, func(_, v *graph.Node) *graph.Node {
		dy, masked, sumG, sumGC = v, nil, nil, nil // a new reverse pass
		return v
	})
	return yo
}

// bnOp is torch.nn.BatchNorm2d (see bn); gamma and beta override the
// parameters when not nil, and in training the optional pointers receive
// x − μ, 1/√(σ² + ε) and γ/√(σ² + ε).
func (st *forwardState) bnOp(name string, x, gamma, beta *graph.Node, outs ...**graph.Node) *graph.Node {
	c := x.Shape().Dimensions[3]
	if gamma == nil {
		gamma, beta = st.p[name+".weight"], st.p[name+".bias"]
	}
	var mean, variance *graph.Node
	if st.train {
		mean = graph.ReduceMean(x, 0, 1, 2)
		centred := graph.Sub(x, graph.Reshape(mean, 1, 1, 1, c))
		variance = graph.ReduceMean(graph.Square(centred), 0, 1, 2)
		d := x.Shape().Dimensions
		count := float64(d[0] * d[1] * d[2])
		unbiased := variance
		if count > 1 {
			unbiased = graph.MulScalar(variance, count/(count-1))
		}
		rm, rv := st.p[name+".running_mean"], st.p[name+".running_var"]
		st.running[name+".running_mean"] = graph.Add(graph.MulScalar(rm, 1-bnMomentum), graph.MulScalar(graph.StopGradient(mean), bnMomentum))
		st.running[name+".running_var"] = graph.Add(graph.MulScalar(rv, 1-bnMomentum), graph.MulScalar(graph.StopGradient(unbiased), bnMomentum))
		std := graph.Sqrt(graph.AddScalar(variance, bnEpsilon))
		scale := graph.Div(gamma, std)
		if len(outs) == 3 {
			*outs[0], *outs[1], *outs[2] = centred, graph.Inverse(std), scale
		}
		return graph.Add(graph.Mul(centred, graph.Reshape(scale, 1, 1, 1, c)), graph.Reshape(beta, 1, 1, 1, c))
	}
	mean, variance = st.p[name+".running_mean"], st.p[name+".running_var"]
	// Inference folds the statistics into one scale and shift per channel.
	scale := graph.Div(gamma, graph.Sqrt(graph.AddScalar(variance, bnEpsilon)))
	shift := graph.Sub(beta, graph.Mul(mean, scale))
	return graph.Add(graph.Mul(x, graph.Reshape(scale, 1, 1, 1, c)), graph.Reshape(shift, 1, 1, 1, c))
}

// relu is max(x, 0).
func relu(x *graph.Node) *graph.Node { return graph.MaxScalar(x, 0.0) }
