package deep

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// ConvMode selects how convolutions (and the stem's max pool) are built.
type ConvMode int

const (
	// ConvAuto lowers convolutions to patches × MatMul on the pure-Go backend
	// and uses the native operation on every other backend.
	ConvAuto ConvMode = iota
	// ConvNative always uses the backend's convolution and reduce-window ops.
	ConvNative
	// ConvLowered always uses the im2col lowering.
	ConvLowered
)

// String names the mode as the benchmarks and flags do.
func (m ConvMode) String() string {
	switch m {
	case ConvNative:
		return "native"
	case ConvLowered:
		return "lowered"
	}
	return "auto"
}

// lowered resolves ConvAuto for backend b.
func (m ConvMode) lowered(b compute.Backend) bool {
	switch m {
	case ConvNative:
		return false
	case ConvLowered:
		return true
	}
	return isGoBackend(b)
}

// isGoBackend reports whether b is compute's pure-Go backend (its String is
// "go", its Name "Go Backend" in compute v0.1.3).
func isGoBackend(b compute.Backend) bool {
	if s, ok := b.(fmt.Stringer); ok && s.String() == gobackend.BackendName {
		return true
	}
	return b.Name() == "Go Backend"
}

// conv2d is a 2-D convolution of x [N, H, W, C] with kernel w [kh, kw, C, O]
// (HWIO), a stride and a symmetric zero padding, as torch.nn.Conv2d without
// bias:
//
//	y[n, i, j, o] = Σ_{a, b, c} xpad[n, s·i + a, s·j + b, c] · w[a, b, c, o]
//
// With lowered set it is computed as im2col: the kh·kw shifted strided slices
// of the padded input are concatenated on the channel axis into patches
// [N·Ho·Wo, kh·kw·C] (channel fastest, then b, then a — the row-major order of
// HWIO's first three axes) and multiplied by w reshaped to [kh·kw·C, O]. Every
// op used (Concatenate, strided Slice, Reshape, MatMul) has a gradient, so the
// lowering trains as the native op does.
func conv2d(x, w *graph.Node, stride, pad int, lowered bool) *graph.Node {
	if !lowered {
		return graph.Convolve(x, w).Strides(stride).PaddingPerDim([][2]int{{pad, pad}, {pad, pad}}).Done()
	}
	xd, wd := x.Shape().Dimensions, w.Shape().Dimensions
	n, h, wi, c := xd[0], xd[1], xd[2], xd[3]
	kh, kw, o := wd[0], wd[1], wd[3]
	if wd[2] != c {
		panic(fmt.Sprintf("deep: conv2d kernel %v does not take %d input channels", wd, c))
	}
	ho := (h+2*pad-kh)/stride + 1
	wo := (wi+2*pad-kw)/stride + 1
	x = zeroPad(x, pad, 0)
	var patches *graph.Node
	if kh == 1 && kw == 1 {
		patches = strided(x, 0, 0, ho, wo, stride)
	} else {
		parts := make([]*graph.Node, 0, kh*kw)
		for a := range kh {
			for b := range kw {
				parts = append(parts, strided(x, a, b, ho, wo, stride))
			}
		}
		patches = graph.Concatenate(parts, 3)
	}
	y := patchMatMul(graph.Reshape(patches, n*ho*wo, kh*kw*c), graph.Reshape(w, kh*kw*c, o))
	return graph.Reshape(y, n, ho, wo, o)
}

// patchMatMul is y = p·w for patches p [M, K] and a kernel w [K, O], with
// its gradients written out rather than left to GoMLX's DotGeneral rule.
//
// The pure-Go backend multiplies only operands whose left contracting axis
// is the last one; GoMLX's rule computes ∂L/∂w as a DotGeneral of ∂L/∂y and
// p contracted on their first axes, which the backend serves by transposing
// both p [M, K] and ∂L/∂y [M, O] with its generic, element-at-a-time
// iterator, and it follows ∂L/∂p with an identity Transpose, another full
// copy of the patches' gradient (47 % of a ResNet18 training step's op time
// went to Transpose). Here
//
//	∂L/∂p = ∂L/∂y · wᵀ   contracted on the last axis of both, no copy;
//	∂L/∂w = pᵀ · ∂L/∂y   when M·K ≤ M·O + K·O: only p is transposed;
//	      = ((∂L/∂y)ᵀ · p)ᵀ  otherwise: ∂L/∂y and the [O, K] result are
//	                         transposed, never the patches
//
// (deep layers at small inputs have few rows M and large kernels, early
// layers many rows and small kernels). Both forms are the same sums up to
// float32 rounding; the choice depends on the shapes only, so a graph
// computes the same bits on every run.
//
// GoMLX has no custom gradient for a two-input op, so the rule is attached
// with three identity nodes: the output's records ∂L/∂y (reverse-mode visits
// it first: it is built last) and the identities on p and w return their
// gradients from it, discarding what GoMLX's own rule computed for them —
// those nodes feed no output and the backend never runs them. The
// gradients read pi and wi (not p and w) so that the identities own their
// operand and forward it without a copy.
func patchMatMul(p, w *graph.Node) *graph.Node {
	m, k, o := p.Shape().Dimensions[0], p.Shape().Dimensions[1], w.Shape().Dimensions[1]
	var pi, wi, dy *graph.Node
	pi = graph.IdentityWithCustomGradient(p, func(_, _ *graph.Node) *graph.Node {
		return graph.DotGeneral(dy, []int{1}, nil, wi, []int{1}, nil)
	})
	wi = graph.IdentityWithCustomGradient(w, func(_, _ *graph.Node) *graph.Node {
		if m*k <= m*o+k*o {
			return graph.DotGeneral(graph.Transpose(pi, 0, 1), []int{1}, nil, dy, []int{0}, nil)
		}
		return graph.Transpose(graph.DotGeneral(graph.Transpose(dy, 0, 1), []int{1}, nil, pi, []int{0}, nil), 0, 1)
	})
	return graph.IdentityWithCustomGradient(graph.MatMul(pi, wi), func(_, v *graph.Node) *graph.Node {
		dy = v
		return v
	})
}

// strided takes x[:, a : a+s·(ho-1)+1 : s, b : b+s·(wo-1)+1 : s, :].
func strided(x *graph.Node, a, b, ho, wo, s int) *graph.Node {
	d := x.Shape().Dimensions
	if a == 0 && b == 0 && s == 1 && d[1] == ho && d[2] == wo {
		return x
	}
	return graph.Slice(x, graph.AxisRange(),
		graph.AxisRange(a, a+s*(ho-1)+1).Stride(s),
		graph.AxisRange(b, b+s*(wo-1)+1).Stride(s),
		graph.AxisRange())
}

// zeroPad surrounds the two spatial axes of x [N, H, W, C] with pad rows and
// columns of value fill, built with Concatenate because GoMLX's Pad has no
// gradient.
func zeroPad(x *graph.Node, pad int, fill float64) *graph.Node {
	if pad == 0 {
		return x
	}
	d := x.Shape().Dimensions
	g := x.Graph()
	rows := graph.FillScalar(g, shapes.Make(x.DType(), d[0], pad, d[2], d[3]), fill)
	x = graph.Concatenate([]*graph.Node{rows, x, rows}, 1)
	cols := graph.FillScalar(g, shapes.Make(x.DType(), d[0], d[1]+2*pad, pad, d[3]), fill)
	return graph.Concatenate([]*graph.Node{cols, x, cols}, 2)
}

// maxPool3s2 is torch.nn.MaxPool2d(3, stride 2, padding 1) on x [N, H, W, C].
// Lowered, it is the maximum of the nine strided slices of the padded input;
// the border is 0 rather than −∞, which gives the same result because the
// stem's max pool follows a ReLU (every window holds a real value ≥ 0).
func maxPool3s2(x *graph.Node, lowered bool) *graph.Node {
	if !lowered {
		return graph.MaxPool(x).Window(3).Strides(2).PaddingPerDim([][2]int{{1, 1}, {1, 1}}).Done()
	}
	d := x.Shape().Dimensions
	ho := (d[1]+2-3)/2 + 1
	wo := (d[2]+2-3)/2 + 1
	xp := zeroPad(x, 1, 0)
	var y *graph.Node
	for a := range 3 {
		for b := range 3 {
			s := strided(xp, a, b, ho, wo, 2)
			if y == nil {
				y = s
			} else {
				y = graph.Max(y, s)
			}
		}
	}
	return y
}
