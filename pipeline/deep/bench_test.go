package deep

import (
	"fmt"
	"testing"
)

// Benchmarks of the pure-Go backend, batch 8, native convolution against
// the im2col lowering (one op at a time, DefaultGoOptions), reported as
// img/s. Run one configuration at a time, e.g.
//
//	GOEXPERIMENT=simd go test ./pipeline/deep -run '^$' -bench 'Train/resnet18/64/' -benchtime 3x
//
// Native training at 224 × 224 takes minutes per step. The backend is
// NewBackend's, so GOMLX_BACKEND=go:ops_parallel compares the op schedules.
func BenchmarkForward(b *testing.B) { benchNets(b, false) }

func BenchmarkTrain(b *testing.B) { benchNets(b, true) }

// BenchmarkTrainQuick is one training step of the quick profile's shape
// (QuickConfig: 32 × 32 slices, batch 16), the part of `scirad run`'s deep
// stage that dominates it, for every architecture.
func BenchmarkTrainQuick(b *testing.B) {
	const batch, size = 16, 32
	for _, arch := range Architectures() {
		b.Run(arch.Name, func(b *testing.B) {
			be, err := NewBackend()
			if err != nil {
				b.Fatal(err)
			}
			tr, err := NewTrainer(be, arch, 2, ConvAuto)
			if err != nil {
				b.Fatal(err)
			}
			st := tr.newState(NewParams(arch, 2, 1))
			x := testBatch(batch, size)
			onehot := make([]float32, batch*2)
			for i := range batch {
				onehot[2*i+i%2] = 1
			}
			if _, err := tr.step(st, x, onehot, 0.01, 0, 0.9); err != nil { // compile
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := tr.step(st, x, onehot, 0.01, 0, 0.9); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "img/s")
		})
	}
}

func benchNets(b *testing.B, train bool) {
	const batch = 8
	for _, arch := range Architectures() {
		for _, size := range []int{64, 224} {
			for _, mode := range []ConvMode{ConvLowered, ConvNative} {
				b.Run(fmt.Sprintf("%s/%d/%s", arch.Name, size, mode), func(b *testing.B) {
					be, err := NewBackend() // $GOMLX_BACKEND, e.g. go:ops_parallel
					if err != nil {
						b.Fatal(err)
					}
					p := NewParams(arch, 2, 1)
					x := testBatch(batch, size)
					if train {
						tr, err := NewTrainer(be, arch, 2, mode)
						if err != nil {
							b.Fatal(err)
						}
						st := tr.newState(p)
						onehot := make([]float32, batch*2)
						for i := range batch {
							onehot[2*i+i%2] = 1
						}
						if _, err := tr.step(st, x, onehot, 0.01, 0, 0.9); err != nil { // compile
							b.Fatal(err)
						}
						b.ResetTimer()
						for range b.N {
							if _, err := tr.step(st, x, onehot, 0.01, 0, 0.9); err != nil {
								b.Fatal(err)
							}
						}
					} else {
						m, err := NewModel(be, p, mode)
						if err != nil {
							b.Fatal(err)
						}
						if _, _, err := m.Forward(x, batch); err != nil { // compile
							b.Fatal(err)
						}
						b.ResetTimer()
						for range b.N {
							if _, _, err := m.Forward(x, batch); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "img/s")
				})
			}
		}
	}
}

// testBatch is a batch of n deterministic size × size grey images.
func testBatch(n, size int) Batch {
	imgs := make([]Image, n)
	for i := range imgs {
		imgs[i] = Image{H: size, W: size, Data: make([]float64, size*size)}
		for j := range imgs[i].Data {
			imgs[i].Data[j] = float64((j*(i+3))%17) / 17
		}
	}
	x, _ := ToBatch(imgs)
	return x
}
