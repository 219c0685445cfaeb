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
// one op at a time, each op still parallel inside. compute v0.1.3 otherwise
// runs independent ops in parallel on its worker pool, and ops that split
// their own work over the same pool (convolution, large unary ops) can then
// wait for workers held by their siblings forever: a deadlock seen here in
// gradient graphs on 2 cores. Override with GOMLX_BACKEND=go:ops_parallel.
const DefaultGoOptions = "ops_sequential"

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
