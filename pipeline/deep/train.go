package deep

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/scirad/scirad/pipeline/internal/progress"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TrainConfig holds the optimisation settings. Zero values mean the paper's
// settings, as noted per field.
type TrainConfig struct {
	Epochs    int     // 0 = 50
	BatchSize int     // 0 = 64
	LR        float64 // initial learning rate; 0 = 0.01
	Momentum  float64 // SGD momentum; 0 = 0.9 (use a tiny value for none)
	// WeightDecay is L2 added to the gradient (PyTorch's SGD weight_decay);
	// the paper states none, so 0.
	WeightDecay float64
	Augment     Augment
	Seed        uint64
	Conv        ConvMode
}

func (c TrainConfig) withDefaults() TrainConfig {
	if c.Epochs == 0 {
		c.Epochs = 50
	}
	if c.BatchSize == 0 {
		c.BatchSize = 64
	}
	if c.LR == 0 {
		c.LR = 0.01
	}
	if c.Momentum == 0 {
		c.Momentum = 0.9
	}
	return c
}

// CosineLR is PyTorch's CosineAnnealingLR with T_max = epochs and η_min = 0,
// stepped once per epoch:
//
//	η_e = η_0 · (1 + cos(π·e / T)) / 2,  e = 0 … T−1
func CosineLR(lr0 float64, epoch, epochs int) float64 {
	return lr0 * (1 + math.Cos(math.Pi*float64(epoch)/float64(epochs))) / 2
}

// Trainer runs SGD steps of one architecture on one backend. The compiled
// step graph is reused by every model trained with it (one per image
// channel), so the graph is built once per batch shape.
type Trainer struct {
	Net       Net
	backend   compute.Backend
	exec      *graph.Exec // the step with weight decay
	execNoWD  *graph.Exec // the same step for λ = 0 (the paper's setting)
	trainable []int       // indices into Specs of trained tensors
	running   []int       // indices of running statistics
}

// NewTrainer builds the training step for arch with a classes-way head.
//
// The step maps (trainable parameters θ, running statistics, momentum
// buffers v, images x, one-hot labels y, learning rate η, weight decay λ,
// momentum μ) to their new values and the loss, as torch.optim.SGD does:
//
//	L = −(1/N) Σ_n Σ_k y_nk · log softmax(f(x_n; θ))_k
//	v ← μ·v + ∇L + λ·θ,   θ ← θ − η·v
func NewTrainer(b compute.Backend, arch Arch, classes int, mode ConvMode) (*Trainer, error) {
	net := Net{Arch: arch, Classes: classes, Lowered: mode.lowered(b)}
	tr := &Trainer{Net: net, backend: b}
	specs := arch.Params(classes)
	for i, s := range specs {
		if s.Kind.Trainable() {
			tr.trainable = append(tr.trainable, i)
		} else {
			tr.running = append(tr.running, i)
		}
	}
	nt, nr := len(tr.trainable), len(tr.running)
	// Two graphs, compiled on first use: with λ = 0 the step skips λ·θ,
	// two passes over every parameter (ResNet152 has 60 M) of the six the
	// update makes; the result is the same (θ + 0·θ adds exact zeros).
	build := func(decay bool) func(in []*graph.Node) []*graph.Node {
		return func(in []*graph.Node) []*graph.Node {
			theta, run, vel := in[:nt], in[nt:nt+nr], in[nt+nr:2*nt+nr]
			rest := in[2*nt+nr:]
			x, y, lr, wd, mu := rest[0], rest[1], rest[2], rest[3], rest[4]
			params := make([]*graph.Node, len(specs))
			for j, i := range tr.trainable {
				params[i] = theta[j]
			}
			for j, i := range tr.running {
				params[i] = run[j]
			}
			out := net.Forward(params, x, true)
			loss := graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(y, graph.LogSoftmax(out.Logits, -1)), -1)))
			grads := graph.Gradient(loss, theta...)
			res := make([]*graph.Node, 0, 2*nt+nr+1)
			newVel := make([]*graph.Node, nt)
			for j := range theta {
				g := grads[j]
				if decay {
					g = graph.Add(g, graph.Mul(wd, theta[j]))
				}
				newVel[j] = graph.Add(graph.Mul(mu, vel[j]), g)
				res = append(res, graph.Sub(theta[j], graph.Mul(lr, newVel[j])))
			}
			for _, i := range tr.running {
				res = append(res, out.Running[specs[i].Name])
			}
			res = append(res, newVel...)
			return append(res, loss)
		}
	}
	exec, err := graph.NewExec(b, build(true))
	if err != nil {
		return nil, err
	}
	tr.exec = exec.WithName("deep.train." + arch.Name)
	execNoWD, err := graph.NewExec(b, build(false))
	if err != nil {
		return nil, err
	}
	tr.execNoWD = execNoWD.WithName("deep.train." + arch.Name + ".nowd")
	return tr, nil
}

// Train fine-tunes p (in place) on the grey images imgs with labels y (0 or
// 1), drawing a progress bar over the epochs on log (nil: silent); what
// names the model on it. Each epoch reshuffles and re-augments the
// images with the seed; a last batch of one image is dropped (batch norm
// cannot normalise a single image). It returns the mean loss per epoch.
func (tr *Trainer) Train(p *Params, imgs []Image, y []int, cfg TrainConfig, log io.Writer, what string) ([]float64, error) {
	cfg = cfg.withDefaults()
	if p.Arch.Name != tr.Net.Arch.Name || p.Classes != tr.Net.Classes {
		return nil, fmt.Errorf("deep: parameters of %s/%d classes given to a %s/%d trainer", p.Arch.Name, p.Classes, tr.Net.Arch.Name, tr.Net.Classes)
	}
	if len(imgs) != len(y) {
		return nil, fmt.Errorf("deep: %d images but %d labels", len(imgs), len(y))
	}
	if len(imgs) < 2 {
		return nil, errors.New("deep: training needs at least two images")
	}
	for i, v := range y {
		if v < 0 || v >= p.Classes {
			return nil, fmt.Errorf("deep: label %d of image %d is outside 0…%d", v, i, p.Classes-1)
		}
	}
	if err := CheckSize(imgs[0].H, imgs[0].W); err != nil {
		return nil, err
	}
	st := tr.newState(p)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xa11e))
	bs := min(cfg.BatchSize, len(imgs))
	var losses []float64
	bar := progress.New(log, what, cfg.Epochs)
	for epoch := range cfg.Epochs {
		lr := CosineLR(cfg.LR, epoch, cfg.Epochs)
		order := rng.Perm(len(imgs))
		var sum float64
		var batches int
		for at := 0; at < len(order); at += bs {
			idx := order[at:min(at+bs, len(order))]
			if len(idx) < 2 {
				continue
			}
			batchImgs := make([]Image, len(idx))
			onehot := make([]float32, len(idx)*p.Classes)
			for n, i := range idx {
				batchImgs[n] = cfg.Augment.Apply(imgs[i], rng)
				onehot[n*p.Classes+y[i]] = 1
			}
			x, err := ToBatch(batchImgs)
			if err != nil {
				return nil, err
			}
			l, err := tr.step(st, x, onehot, lr, cfg.WeightDecay, cfg.Momentum)
			if err != nil {
				return nil, err
			}
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return nil, fmt.Errorf("deep: %s: training diverged (loss %g) in epoch %d", what, l, epoch+1)
			}
			sum += l
			batches++
		}
		mean := sum / float64(max(batches, 1))
		losses = append(losses, mean)
		bar.Add(1, fmt.Sprintf("epochs, loss %.4f lr %.5f", mean, lr))
	}
	st.store(p)
	st.release()
	return losses, nil
}

// trainState is the training state on the backend: trainable parameters,
// running statistics and momentum buffers, in the Trainer's order.
type trainState struct {
	tr              *Trainer
	theta, run, vel []*tensors.Tensor
}

func (tr *Trainer) newState(p *Params) *trainState {
	host := func(i int) *tensors.Tensor {
		v := p.Values[i]
		return tensors.FromFlatDataAndDimensions(append([]float32(nil), v.Data...), v.Shape...)
	}
	st := &trainState{tr: tr}
	for _, i := range tr.trainable {
		st.theta = append(st.theta, host(i))
		st.vel = append(st.vel, tensors.FromFlatDataAndDimensions(make([]float32, len(p.Values[i].Data)), p.Values[i].Shape...))
	}
	for _, i := range tr.running {
		st.run = append(st.run, host(i))
	}
	return st
}

// store copies the state back into p.
func (st *trainState) store(p *Params) {
	for j, i := range st.tr.trainable {
		p.Values[i].Data = tensors.MustCopyFlatData[float32](st.theta[j])
	}
	for j, i := range st.tr.running {
		p.Values[i].Data = tensors.MustCopyFlatData[float32](st.run[j])
	}
}

// release frees the backend buffers of the state now rather than at the
// next garbage collection (ResNet152's state is ~700 MB).
func (st *trainState) release() {
	for _, ts := range [][]*tensors.Tensor{st.theta, st.run, st.vel} {
		for _, t := range ts {
			t.FinalizeAll()
		}
	}
}

// step runs one SGD step on the batch x with one-hot labels and returns the
// loss before the step.
func (tr *Trainer) step(st *trainState, x Batch, onehot []float32, lr, wd, mu float64) (float64, error) {
	args := make([]any, 0, 2*len(st.theta)+len(st.run)+5)
	for _, t := range st.theta {
		args = append(args, t)
	}
	for _, t := range st.run {
		args = append(args, t)
	}
	for _, t := range st.vel {
		args = append(args, t)
	}
	args = append(args,
		tensors.FromFlatDataAndDimensions(x.Data, x.N, x.H, x.W, 3),
		tensors.FromFlatDataAndDimensions(onehot, x.N, len(onehot)/x.N),
		float32(lr), float32(wd), float32(mu))
	exec := tr.exec
	if wd == 0 {
		exec = tr.execNoWD
	}
	out, err := callExec(exec, args)
	if err != nil {
		return 0, err
	}
	nt, nr := len(st.theta), len(st.run)
	st.release() // the inputs are superseded by the outputs
	copy(st.theta, out[:nt])
	copy(st.run, out[nt:nt+nr])
	copy(st.vel, out[nt+nr:2*nt+nr])
	loss := float64(tensors.ToScalar[float32](out[2*nt+nr]))
	out[2*nt+nr].FinalizeAll()
	return loss, nil
}
