//go:build xla

package deep

// Building with -tags xla links GoMLX's XLA backend (github.com/gomlx/go-xla,
// v0.4.1, the version gomlx v0.28.2 requires, in go.mod), so that
// GOMLX_BACKEND=xla:/abs/path/xla_cuda_plugin.so (or xla:cpu) selects it:
//
//	GOEXPERIMENT=simd go build -tags xla -o bin/scirad ./pipeline/cmd/scirad
//
// Without the tag the binary holds only the pure-Go backend (scirad imports
// compute/gobackend, never gomlx's backends/default, which would pull XLA
// in). `make test` builds every package with the tag (make test-xla);
// deploy/gpu/paper_profile.sh runs the paper profile with it on a GPU.
import (
	"github.com/gomlx/go-xla/compute/xla"
)

// xlaPlugins lists the PJRT plugins go-xla finds (PJRT_PLUGIN_LIBRARY_PATH,
// /usr/local/lib/go-xla, ~/.local/lib/go-xla, the library path), without
// installing any.
func xlaPlugins() []string {
	xla.EnableAutoInstall(false)
	return xla.GetAvailablePlugins()
}
