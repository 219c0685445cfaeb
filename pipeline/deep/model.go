package deep

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is a network with its parameters, bound to a backend, for
// inference. It compiles one graph per input shape on first use.
type Model struct {
	Net     Net
	Params  *Params
	backend compute.Backend
	infer   *graph.Exec
}

// NewModel binds p to backend b; mode chooses the convolution (ConvAuto:
// lowered on the pure-Go backend, native elsewhere).
func NewModel(b compute.Backend, p *Params, mode ConvMode) (*Model, error) {
	net := Net{Arch: p.Arch, Classes: p.Classes, Lowered: mode.lowered(b)}
	m := &Model{Net: net, Params: p, backend: b}
	nParams := len(p.Specs)
	exec, err := graph.NewExec(b, func(in []*graph.Node) []*graph.Node {
		out := net.Forward(in[:nParams], in[nParams], false)
		return []*graph.Node{out.Pooled, out.Logits}
	})
	if err != nil {
		return nil, err
	}
	m.infer = exec.WithName("deep.forward." + p.Arch.Name)
	return m, nil
}

// Batch is a stack of images in graph layout: N × H × W × 3, float32,
// channels last.
type Batch struct {
	N, H, W int
	Data    []float32
}

// CheckSize returns an error when an h × w input is too small for the
// network's reduction by 32.
func CheckSize(h, w int) error {
	if h < Reduction || w < Reduction {
		return fmt.Errorf("deep: input %d×%d is smaller than the networks' reduction (%d×%d): layer4 would be empty", h, w, Reduction, Reduction)
	}
	return nil
}

// Forward returns the pooled features [N][FeatureDim] and logits
// [N][Classes] of the images, batchSize at a time (the last batch padded so
// one graph serves all).
func (m *Model) Forward(x Batch, batchSize int) (pooled, logits [][]float32, err error) {
	if err := CheckSize(x.H, x.W); err != nil {
		return nil, nil, err
	}
	if len(x.Data) != x.N*x.H*x.W*3 {
		return nil, nil, fmt.Errorf("deep: batch of %d×%d×%d×3 holds %d values", x.N, x.H, x.W, len(x.Data))
	}
	if batchSize <= 0 || batchSize > x.N {
		batchSize = x.N
	}
	params := paramTensors(m.Params)
	defer func() {
		for _, t := range params {
			t.FinalizeAll()
		}
	}()
	per := x.H * x.W * 3
	for start := 0; start < x.N; start += batchSize {
		n := min(batchSize, x.N-start)
		chunk := make([]float32, batchSize*per)
		copy(chunk, x.Data[start*per:(start+n)*per])
		args := make([]any, 0, len(params)+1)
		for _, t := range params {
			args = append(args, t)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(chunk, batchSize, x.H, x.W, 3))
		out, err := callExec(m.infer, args)
		if err != nil {
			return nil, nil, err
		}
		p := tensors.MustCopyFlatData[float32](out[0])
		l := tensors.MustCopyFlatData[float32](out[1])
		fd, k := m.Net.Arch.FeatureDim(), m.Net.Classes
		for i := range n {
			pooled = append(pooled, p[i*fd:(i+1)*fd])
			logits = append(logits, l[i*k:(i+1)*k])
		}
		for _, t := range out {
			t.FinalizeAll()
		}
	}
	return pooled, logits, nil
}

// paramTensors wraps p's values as tensors for an Exec call.
func paramTensors(p *Params) []*tensors.Tensor {
	ts := make([]*tensors.Tensor, len(p.Values))
	for i, v := range p.Values {
		ts[i] = tensors.FromFlatDataAndDimensions(v.Data, v.Shape...)
	}
	return ts
}

// callExec runs e, turning a panic while building or running into an error.
func callExec(e *graph.Exec, args []any) (out []*tensors.Tensor, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("deep: %v", r)
		}
	}()
	return e.Call(args...)
}
