//go:build xla

package deep

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// xlaConfig is the XLA backend configuration the tests use: $GOMLX_BACKEND
// when it names xla with an absolute plugin path, else the first plugin
// go-xla finds. The tests skip, saying so, only when there is none.
func xlaConfig(t *testing.T) string {
	t.Helper()
	if c := os.Getenv("GOMLX_BACKEND"); strings.HasPrefix(c, "xla:") {
		if p := strings.TrimPrefix(c, "xla:"); filepath.IsAbs(p) {
			if _, err := os.Stat(strings.Split(p, ",")[0]); err != nil {
				t.Fatalf("GOMLX_BACKEND=%s: %v", c, err)
			}
		}
		return c
	}
	plugins := xlaPlugins()
	if len(plugins) == 0 {
		t.Skip("no PJRT plugin found (set GOMLX_BACKEND=xla:/abs/path/pjrt_plugin.so or PJRT_PLUGIN_LIBRARY_PATH): XLA test skipped")
	}
	return "xla:" + plugins[0]
}

// TestXLAMatchesGo computes ResNet18's pooled features and logits of the same
// weights and images with the pure-Go backend (lowered convolutions) and with
// XLA (native convolutions); they agree within 1e-4.
func TestXLAMatchesGo(t *testing.T) {
	cfg := xlaConfig(t)
	xb, err := NewBackendWithConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := NewBackendWithConfig("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"resnet18", "resnet152"} {
		arch, _ := ArchByName(name)
		p := NewParams(arch, 2, 7)
		const batch, size = 4, 64
		imgs := make([]Image, batch)
		for i := range imgs {
			imgs[i] = Image{H: size, W: size, Data: make([]float64, size*size)}
			for j := range imgs[i].Data {
				imgs[i].Data[j] = 0.5 + 0.5*math.Sin(0.013*float64(j*(i+1)))
			}
		}
		x, _ := ToBatch(imgs)
		var pooled, logits [2][][]float32
		for k, b := range []compute.Backend{gb, xb} {
			m, err := NewModel(b, p, ConvAuto)
			if err != nil {
				t.Fatal(err)
			}
			pooled[k], logits[k], err = m.Forward(x, batch)
			if err != nil {
				t.Fatal(err)
			}
		}
		worst := 0.0
		for i := range pooled[0] {
			for j := range pooled[0][i] {
				worst = max(worst, math.Abs(float64(pooled[0][i][j]-pooled[1][i][j])))
			}
			for j := range logits[0][i] {
				worst = max(worst, math.Abs(float64(logits[0][i][j]-logits[1][i][j])))
			}
		}
		t.Logf("%s on %s vs pure Go: largest feature/logit difference %.3g", name, cfg, worst)
		if worst > 1e-4 {
			t.Errorf("%s: XLA and pure-Go features differ by %.3g (> 1e-4)", name, worst)
		}
	}
}
