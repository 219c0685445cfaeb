package deep

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestGradCAMByHand checks the Grad-CAM formula on a tiny network whose
// gradient is known in closed form: activations A [1, 2, 2, 2], logits
// y = mean_ij(A)·W with W = [[1, −2], [3, 0.5]] (K = 2 channels × 2
// classes). Then ∂y^c/∂A^k_ij = W[k][c]/4, so α^c = W[·][c]/4 and
//
//	class 0: α = (0.25, 0.75), L = ReLU(0.25·A⁰ + 0.75·A¹)
//	class 1: α = (−0.5, 0.125), L = ReLU(−0.5·A⁰ + 0.125·A¹)
//
// With A⁰ = [[1, 2], [3, 4]] and A¹ = [[4, −4], [0, 1]] (pixel order
// (0,0), (0,1), (1,0), (1,1)):
//
//	class 0: (0.25 + 3, 0.5 − 3, 0.75 + 0, 1 + 0.75) → (3.25, 0, 0.75, 1.75)
//	class 1: (−0.5 + 0.5, −1 − 0.5, −1.5 + 0, −2 + 0.125) → (0, 0, 0, 0)
//
// and with A⁰ negated, class 1: (0.5 + 0.5, 1 − 0.5, 1.5, 2.125).
func TestGradCAMByHand(t *testing.T) {
	b := testBackend(t)
	w := tensors.FromValue([][]float32{{1, -2}, {3, 0.5}})
	run := func(a0 []float32, class int) []float32 {
		a1 := []float32{4, -4, 0, 1}
		a := make([]float32, 8) // NHWC: channel fastest
		for i := range 4 {
			a[2*i], a[2*i+1] = a0[i], a1[i]
		}
		e := graph.MustNewExec(b, func(a, w *graph.Node) *graph.Node {
			logits := graph.MatMul(graph.ReduceMean(a, 1, 2), w)
			return gradCAM(a, logits, class)
		})
		return tensors.MustCopyFlatData[float32](e.MustCall(tensors.FromFlatDataAndDimensions(a, 1, 2, 2, 2), w)[0])
	}
	for _, c := range []struct {
		a0    []float32
		class int
		want  []float64
	}{
		{[]float32{1, 2, 3, 4}, 0, []float64{3.25, 0, 0.75, 1.75}},
		{[]float32{1, 2, 3, 4}, 1, []float64{0, 0, 0, 0}},
		{[]float32{-1, -2, -3, -4}, 1, []float64{1, 0.5, 1.5, 2.125}},
	} {
		got := run(c.a0, c.class)
		for i := range got {
			if math.Abs(float64(got[i])-c.want[i]) > 1e-6 {
				t.Errorf("A⁰ = %v class %d: L = %v, want %v", c.a0, c.class, got, c.want)
				break
			}
		}
	}
}

func TestModelGradCAM(t *testing.T) {
	arch, _ := ArchByName("resnet18")
	p := NewParams(arch, 2, 3)
	m, err := NewModel(testBackend(t), p, ConvAuto)
	if err != nil {
		t.Fatal(err)
	}
	x := formulaInput(2, 3, 64, 64)
	maps, err := m.GradCAM(x, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 2 || maps[0].H != 64 || maps[0].W != 64 {
		t.Fatalf("maps: %d of %d×%d", len(maps), maps[0].H, maps[0].W)
	}
	for _, m := range maps {
		hi := 0.0
		for _, v := range m.Data {
			if v < 0 || v > 1 {
				t.Fatalf("heat %g outside [0, 1]", v)
			}
			hi = math.Max(hi, v)
		}
		if hi != 1 && hi != 0 {
			t.Errorf("heat map maximum %g, want 1 (or an all-zero map)", hi)
		}
	}
	if _, err := m.GradCAM(x, 2); err == nil {
		t.Error("class 2 of a 2-class network: no error")
	}
	var buf bytes.Buffer
	grey := Image{H: 64, W: 64, Data: make([]float64, 64*64)}
	if err := WriteOverlayPNG(&buf, grey, maps[0]); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil || img.Bounds().Dx() != 64 {
		t.Fatalf("overlay PNG: %v", err)
	}
	// A hot pixel (heat 1) over black is 0.4·jet(1) = 0.4·(0.5, 0, 0) red.
	hot := Image{H: 1, W: 1, Data: []float64{1}}
	o, _ := Overlay(Image{H: 1, W: 1, Data: []float64{0}}, hot)
	if c := o.RGBAAt(0, 0); c.R != 51 || c.G != 0 || c.B != 0 {
		t.Errorf("hot pixel over black = %v, want (51, 0, 0)", c)
	}
}
