package deep

import (
	"fmt"
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestLoweredConvMatchesNative compares the im2col convolution and max pool
// with the backend's native ops: outputs and the gradients of Σ y·r with
// respect to the input and the kernel, for every (kernel, stride, padding)
// a ResNet uses.
func TestLoweredConvMatchesNative(t *testing.T) {
	b, err := NewBackendWithConfig("go:ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	fill := func(n int, phase float64) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(math.Sin(0.7*float64(i) + phase))
		}
		return d
	}
	for _, c := range []struct{ k, stride, pad int }{{7, 2, 3}, {3, 1, 1}, {3, 2, 1}, {1, 1, 0}, {1, 2, 0}} {
		t.Run(fmt.Sprintf("k%d_s%d_p%d", c.k, c.stride, c.pad), func(t *testing.T) {
			const n, h, w, ci, co = 2, 11, 10, 3, 4
			x := tensors.FromFlatDataAndDimensions(fill(n*h*w*ci, 0.3), n, h, w, ci)
			k := tensors.FromFlatDataAndDimensions(fill(c.k*c.k*ci*co, 1.1), c.k, c.k, ci, co)
			run := func(lowered bool) [][]float32 {
				e := graph.MustNewExec(b, func(x, k *graph.Node) []*graph.Node {
					y := conv2d(x, k, c.stride, c.pad, lowered)
					r := graph.Sin(graph.IotaFull(x.Graph(), y.Shape()))
					loss := graph.ReduceAllSum(graph.Mul(y, r))
					g := graph.Gradient(loss, x, k)
					p := maxPool3s2(relu(x), lowered)
					gp := graph.Gradient(graph.ReduceAllSum(graph.Mul(p, graph.Sin(graph.IotaFull(x.Graph(), p.Shape())))), x)
					return []*graph.Node{y, g[0], g[1], p, gp[0]}
				})
				var out [][]float32
				for _, o := range e.MustCall(x, k) {
					out = append(out, tensors.MustCopyFlatData[float32](o))
				}
				return out
			}
			native, lowered := run(false), run(true)
			for i, what := range []string{"conv output", "d/dx", "d/dkernel", "max pool", "max pool d/dx"} {
				want := make([]float64, len(native[i]))
				for j, v := range native[i] {
					want[j] = float64(v)
				}
				assertClose(t, what, lowered[i], want, 1e-5)
			}
		})
	}
}
