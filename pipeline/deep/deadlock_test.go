package deep

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// deadlockConfigs are the pure-Go backend configurations the deadlock test
// runs: the default (what scirad uses) and ParallelGoOptions (independent
// ops in parallel on an unbounded pool) or, with SCIRAD_DEADLOCK_CONFIGS set
// to a list separated by ';', others — e.g.
//
//	SCIRAD_DEADLOCK_CONFIGS='go:ops_parallel' go test ./pipeline/deep -run Deadlock
//
// reproduces compute v0.1.3's deadlock (the test then fails after its
// timeout, with the goroutines' stacks).
func deadlockConfigs() []string {
	if s := os.Getenv("SCIRAD_DEADLOCK_CONFIGS"); s != "" {
		var out []string
		for c := range splitSemicolons(s) {
			out = append(out, c)
		}
		return out
	}
	return []string{"", "go:" + ParallelGoOptions}
}

func splitSemicolons(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == ';' {
				if i > start && !yield(s[start:i]) {
					return
				}
				start = i + 1
			}
		}
	}
}

// runWithTimeout runs f in a goroutine and fails the test, printing every
// goroutine's stack, when it has not returned within d.
func runWithTimeout(t *testing.T, d time.Duration, what string, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(d):
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
		t.Fatalf("%s: no result after %v: deadlocked (goroutine stacks above)", what, d)
	}
}

// wideGraph is the shape of graph that deadlocked compute v0.1.3 when its
// ops ran in parallel: many independent large MatMuls (each fanning out over
// the backend's worker pool with Saturate) and reductions, all ready at the
// same time, as the weight and input gradients of a ResNet's convolutions
// are.
func wideGraph(x, w *graph.Node) *graph.Node {
	const branches = 12
	var sum *graph.Node
	for i := range branches {
		y := graph.MatMul(graph.AddScalar(x, float64(i)), w)
		y = graph.ReduceSum(graph.Square(y), 0)
		if sum == nil {
			sum = y
		} else {
			sum = graph.Add(sum, y)
		}
	}
	return sum
}

// TestParallelOpsDoNotDeadlock runs, many times and under a timeout, the
// graphs that deadlocked the pure-Go backend when it ran independent ops
// in parallel (compute v0.1.3's bounded worker pool: every running op holds
// a slot, and an op that fans its own work out over the pool — MatMul's
// Saturate, the convolution's and reduce-window's WaitToStart — waits for
// a free slot while holding its own; with as many such ops running as there
// are slots, none is ever freed): a wide graph of independent MatMuls, and a
// ResNet18 training step, on the backend scirad uses (NewBackendWithConfig("")).
func TestParallelOpsDoNotDeadlock(t *testing.T) {
	reps := 40
	if testing.Short() {
		reps = 10
	}
	if s := os.Getenv("SCIRAD_DEADLOCK_REPS"); s != "" {
		reps, _ = strconv.Atoi(s)
	}
	for _, cfg := range deadlockConfigs() {
		t.Run(fmt.Sprintf("config=%q", cfg), func(t *testing.T) {
			b, err := NewBackendWithConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("backend %v, GOMAXPROCS %d", b, runtime.GOMAXPROCS(0))
			t.Run("wide", func(t *testing.T) {
				const n, k, m = 256, 192, 160
				x := tensors.FromFlatDataAndDimensions(make([]float32, n*k), n, k)
				w := tensors.FromFlatDataAndDimensions(make([]float32, k*m), k, m)
				tensors.MustMutableFlatData(x, func(d []float32) {
					for i := range d {
						d[i] = float32(i%7) / 7
					}
				})
				tensors.MustMutableFlatData(w, func(d []float32) {
					for i := range d {
						d[i] = float32(i%5) / 50
					}
				})
				e, err := graph.NewExec(b, wideGraph)
				if err != nil {
					t.Fatal(err)
				}
				var first []float32
				runWithTimeout(t, 2*time.Minute, "wide graph", func() error {
					for r := range 10 * reps {
						out, err := e.Call(x, w)
						if err != nil {
							return err
						}
						got := tensors.MustCopyFlatData[float32](out[0])
						if first == nil {
							first = got
						} else if !equalBits(first, got) {
							return fmt.Errorf("run %d differs from run 0 (parallel ops must stay deterministic)", r)
						}
					}
					return nil
				})
			})
			t.Run("resnet18-train", func(t *testing.T) {
				trainSteps(t, b, reps)
			})
		})
	}
}

// trainSteps runs reps ResNet18 SGD steps (batch 4, 32 px) under a timeout
// and checks that two states trained from the same start agree bit for bit.
func trainSteps(t *testing.T, b compute.Backend, reps int) {
	t.Helper()
	arch, _ := ArchByName("resnet18")
	tr, err := NewTrainer(b, arch, 2, ConvAuto)
	if err != nil {
		t.Fatal(err)
	}
	const batch, size = 4, 32
	x := testBatch(batch, size)
	onehot := []float32{1, 0, 0, 1, 1, 0, 0, 1}
	var losses [2][]float64
	runWithTimeout(t, 5*time.Minute, "resnet18 training steps", func() error {
		for run := range 2 {
			st := tr.newState(NewParams(arch, 2, 1))
			for range (reps + 1) / 2 {
				l, err := tr.step(st, x, onehot, 0.01, 0, 0.9)
				if err != nil {
					return err
				}
				losses[run] = append(losses[run], l)
			}
			st.release()
		}
		return nil
	})
	for i := range losses[0] {
		if losses[0][i] != losses[1][i] {
			t.Fatalf("step %d: loss %v then %v from the same start: training is not deterministic", i, losses[0][i], losses[1][i])
		}
	}
}

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}
