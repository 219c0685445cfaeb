//go:build xla

package deep

// Building with -tags xla links GoMLX's XLA backend, so that
// GOMLX_BACKEND=xla:/abs/path/xla_cuda_plugin.so (or xla:cpu) selects it.
// The module is not in go.mod by default (it is large and only useful on a
// GPU machine); add it first, at the version gomlx v0.28.2 requires:
//
//	go get github.com/gomlx/go-xla@v0.4.1
//	GOEXPERIMENT=simd go build -tags xla -o bin/scirad ./pipeline/cmd/scirad
//
// Not validated in this repository (no GPU was available when it was
// written).
import _ "github.com/gomlx/go-xla/compute/xla"
