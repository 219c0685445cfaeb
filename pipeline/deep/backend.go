package deep

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// NewBackend returns the backend named by $GOMLX_BACKEND
// ("<name>[:<config>]", GoMLX's convention), or the pure-Go backend when the
// variable is unset or empty. Unlike compute.New it never falls back to XLA
// on its own, and a backend that this binary was not built with is an error,
// not a panic.
func NewBackend() (compute.Backend, error) {
	return NewBackendWithConfig(os.Getenv(compute.ConfigEnvVar))
}

// DefaultGoOptions are the pure-Go backend's options when none are given:
// one op at a time, each op still parallel inside (MatMul fans out over both
// cores).
//
// Why not independent ops in parallel ("ops_parallel")? compute v0.1.3's
// worker pool is bounded (2·GOMAXPROCS slots) and shared by two levels: the
// executor runs every ready op in a slot, and ops that split their own work
// (MatMul through Saturate, convolution and reduce-window through
// WaitToStart) wait for further slots while holding their own. A gradient
// graph has many independent MatMuls ready at once (the weight and input
// gradients of every convolution); when they fill the slots each waits for
// a slot that only another can free, forever. TestParallelOpsDoNotDeadlock
// reproduces it (SCIRAD_DEADLOCK_CONFIGS=go:ops_parallel: both the wide
// MatMul graph and a ResNet18 training step hang on 2 cores).
//
// ParallelGoOptions avoids it: with an unbounded pool (parallelism=-1) no
// executor or op ever waits for a slot (MatMul still starts at most
// GOMAXPROCS workers), so the circular wait cannot form; the test runs it
// many times under a timeout. It is not the default because on this shared
// 2-core machine it measured no faster (see the package doc) and holds more
// buffers alive at once.
const DefaultGoOptions = "ops_sequential"

// ParallelGoOptions runs independent ops in parallel without compute
// v0.1.3's deadlock: GOMLX_BACKEND=go:ops_parallel,parallelism=-1.
const ParallelGoOptions = "ops_parallel,parallelism=-1"

// NewBackendWithConfig is NewBackend with the configuration given explicitly.
// The pure-Go backend takes comma-separated options after "go:"
// (parallelism=N, ops_sequential, ops_parallel); "" or "go" means
// "go:" + DefaultGoOptions.
func NewBackendWithConfig(config string) (b compute.Backend, err error) {
	name, opts, _ := strings.Cut(config, ":")
	if config == "" || name == gobackend.BackendName {
		if opts == "" {
			opts = DefaultGoOptions
		}
		return gobackend.New(opts)
	}
	if !slices.Contains(compute.List(), name) {
		return nil, fmt.Errorf("deep: %s=%q names backend %q, which this binary does not include (built in: %s); "+
			"unset %s for the pure-Go backend", compute.ConfigEnvVar, config, name,
			strings.Join(compute.List(), ", "), compute.ConfigEnvVar)
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("deep: backend %q: %v", config, r)
		}
	}()
	return compute.NewWithConfig(config)
}
