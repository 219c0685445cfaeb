package deep

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// gradCAM builds the Grad-CAM map (Selvaraju et al., "Grad-CAM: Visual
// Explanations from Deep Networks via Gradient-based Localization", ICCV
// 2017) of class c from the activations A [N, h, w, K] of the target layer
// and the logits [N, classes] computed from them:
//
//	α_k^c = (1/(h·w)) Σ_ij ∂y^c / ∂A^k_ij
//	L^c   = ReLU(Σ_k α_k^c · A^k)            [N, h, w]
//
// Each image's gradient only flows through its own logit, so the batch is
// handled by differentiating Σ_n y_n^c.
func gradCAM(a, logits *graph.Node, class int) *graph.Node {
	yc := graph.ReduceAllSum(graph.Slice(logits, graph.AxisRange(), graph.AxisElem(class)))
	grad := graph.Gradient(yc, a)[0]
	alpha := graph.ReduceMean(grad, 1, 2) // [N, K]
	d := a.Shape().Dimensions
	weighted := graph.Mul(a, graph.Reshape(alpha, d[0], 1, 1, d[3]))
	return relu(graph.ReduceSum(weighted, 3))
}

// GradCAM returns, for each image of x, the Grad-CAM heat map of class on
// the last convolutional stage (layer4): an h/32 × w/32 map, upsampled
// bilinearly to the input size and divided by its maximum so it lies in
// [0, 1] (an all-zero map stays zero).
func (m *Model) GradCAM(x Batch, class int) ([]Image, error) {
	if class < 0 || class >= m.Net.Classes {
		return nil, fmt.Errorf("deep: Grad-CAM class %d outside 0…%d", class, m.Net.Classes-1)
	}
	if err := CheckSize(x.H, x.W); err != nil {
		return nil, err
	}
	nParams := len(m.Params.Specs)
	exec, err := graph.NewExec(m.backend, func(in []*graph.Node) *graph.Node {
		out := m.Net.Forward(in[:nParams], in[nParams], false)
		return gradCAM(out.Layer4, out.Logits, class)
	})
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, nParams+1)
	for _, t := range paramTensors(m.Params) {
		args = append(args, t)
	}
	args = append(args, tensors.FromFlatDataAndDimensions(x.Data, x.N, x.H, x.W, 3))
	out, err := callExec(exec, args)
	if err != nil {
		return nil, err
	}
	dims := out[0].Shape().Dimensions
	flat := tensors.MustCopyFlatData[float32](out[0])
	h, w := dims[1], dims[2]
	maps := make([]Image, x.N)
	for n := range x.N {
		cam := Image{H: h, W: w, Data: make([]float64, h*w)}
		for i := range cam.Data {
			cam.Data[i] = float64(flat[n*h*w+i])
		}
		maps[n] = cam.Resize(x.H, x.W).scaleToMax()
	}
	return maps, nil
}

// scaleToMax divides img by its maximum when that is positive.
func (img Image) scaleToMax() Image {
	hi := 0.0
	for _, v := range img.Data {
		hi = math.Max(hi, v)
	}
	if hi > 0 {
		for i := range img.Data {
			img.Data[i] /= hi
		}
	}
	return img
}

// Overlay renders a grey slice in [0, 1] with a heat map in [0, 1] on top
// (jet colour map, opacity 0.4·heat so cold regions stay grey), both of the
// same size, as an RGBA image with row 0 at the top.
func Overlay(slice, heat Image) (*image.RGBA, error) {
	if slice.H != heat.H || slice.W != heat.W {
		return nil, fmt.Errorf("deep: overlay of a %d×%d heat map on a %d×%d slice", heat.H, heat.W, slice.H, slice.W)
	}
	out := image.NewRGBA(image.Rect(0, 0, slice.W, slice.H))
	for r := range slice.H {
		for c := range slice.W {
			g := clamp01(slice.Data[r*slice.W+c])
			h := clamp01(heat.Data[r*heat.W+c])
			jr, jg, jb := jet(h)
			a := 0.4 * h
			mix := func(col float64) uint8 { return uint8(math.Round(255 * ((1-a)*g + a*col))) }
			out.SetRGBA(c, r, color.RGBA{mix(jr), mix(jg), mix(jb), 255})
		}
	}
	return out, nil
}

// WriteOverlayPNG writes Overlay(slice, heat) as PNG.
func WriteOverlayPNG(w io.Writer, slice, heat Image) error {
	img, err := Overlay(slice, heat)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

func clamp01(v float64) float64 { return math.Min(math.Max(v, 0), 1) }

// jet is MATLAB's jet colour map at v ∈ [0, 1]: blue → cyan → yellow → red.
func jet(v float64) (r, g, b float64) {
	f := func(x float64) float64 { return clamp01(1.5 - math.Abs(4*v-x)) }
	return f(3), f(2), f(1)
}
