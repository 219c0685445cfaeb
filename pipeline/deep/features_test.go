package deep

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// kLeftRight is a direction matrix whose k axis runs left–right (i
// posterior, j superior, as synth.PSR up to the sign of k), so the sagittal
// axis is k.
var kLeftRight = [9]float64{0, 0, 1, 1, 0, 0, 0, 1, 0}

// toyPatients builds n small patients: 24 × 20 × 5 volumes whose ROI is
// largest on slice k = 3, with intensity patterns that differ by label.
func toyPatients(n int) ([]Patient, []int, []bool) {
	var ps []Patient
	var labels []int
	var train []bool
	for p := range n {
		g := volume.NewGrid([3]int{24, 20, 5}, [3]float64{1, 1, 1})
		g.Direction = kLeftRight // slices along k, the sagittal axis
		mask := volume.New(g)
		for k := range 5 {
			for j := 4; j < 16; j++ {
				for i := 10; i < 10+min(k, 3)+2; i++ {
					mask.Set(i, j, k, 2)
				}
			}
		}
		mask.Set(11, 9, 3, 1)
		var imgs []*volume.Volume
		for c := range 5 {
			v := volume.New(g)
			for idx := range v.Data {
				i, j, k := v.Coords(idx)
				v.Data[idx] = math.Sin(0.3*float64(i+c)+0.2*float64(j*(p%2+1))) + 0.1*float64(k) + 0.05*float64(p)
			}
			imgs = append(imgs, v)
		}
		ps = append(ps, Patient{ID: fmt.Sprintf("p%02d", p), Images: imgs, Mask: mask})
		labels = append(labels, p%2)
		train = append(train, p < n*7/10)
	}
	return ps, labels, train
}

func TestFeatures(t *testing.T) {
	ps, labels, train := toyPatients(10)
	cfg := QuickConfig("resnet18")
	cfg.Train.Epochs, cfg.Train.BatchSize, cfg.Components = 1, 8, 4
	var log strings.Builder
	res, err := Features(context.Background(), testBackend(t), ps, labels, train, cfg, &log)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "from scratch") || !strings.Contains(log.String(), "resnet18 median") || !strings.Contains(log.String(), "] 1/1 ") {
		t.Errorf("progress log lacks the from-scratch warning or an epoch line:\n%s", log.String())
	}
	tab := res.Table
	if len(tab.Names) != 20 || tab.Names[0] != "resnet18_original_pc01" || tab.Names[19] != "resnet18_median_pc04" {
		t.Errorf("columns %v", tab.Names)
	}
	if res.Slice[0] != [2]int{2, 3} {
		t.Errorf("slice = %v, want axis 2 index 3", res.Slice[0])
	}
	// PCA is fitted on the training rows only, so their scores have mean 0
	// and the test rows do not enter the fit.
	for j := range tab.Names {
		var s, norm float64
		for i, row := range tab.X {
			norm = math.Max(norm, math.Abs(row[j]))
			if train[i] {
				s += row[j]
			}
		}
		if math.Abs(s) > 1e-9*math.Max(norm, 1) {
			t.Errorf("%s: training scores sum to %g", tab.Names[j], s)
		}
	}
	maps, err := res.GradCAM(testBackend(t), 4, []int{0, 9}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Native[4][9]; len(maps) != 2 || maps[1].H != n.H || maps[1].W != n.W || n.H != 20 || n.W != 24 {
		t.Errorf("Grad-CAM maps not on the 20×24 slice grid")
	}
	// Trained at 32 px, layer4 is one cell, so the map is flat; fed at
	// 128 px the same network gives a 4 × 4 map that varies over the slice.
	flat := func(m Image) bool { return slices.Min(m.Data) == slices.Max(m.Data) }
	if !flat(maps[0]) {
		t.Errorf("Grad-CAM at the 32 px training size varies: layer4 should be a single cell")
	}
	// (A class whose weighted activations are negative everywhere has an
	// all-zero map after the ReLU, so both classes are tried.)
	varies := false
	for class := range 2 {
		big, err := res.GradCAMAt(testBackend(t), 4, []int{0, 9}, class, 128)
		if err != nil {
			t.Fatal(err)
		}
		if len(big) != 2 || big[0].H != 20 || big[0].W != 24 {
			t.Fatalf("Grad-CAM at 128 px: want two 20×24 maps")
		}
		varies = varies || !flat(big[0]) || !flat(big[1])
	}
	if !varies {
		t.Errorf("Grad-CAM at 128 px is flat for both classes")
	}
	kept := cfg
	kept.KeepModels = []int{4}
	few, err := Features(context.Background(), testBackend(t), ps, labels, train, kept, nil)
	if err != nil {
		t.Fatal(err)
	}
	if few.Models[0] != nil || few.Models[4] == nil {
		t.Errorf("KeepModels [4] kept %v", few.Models)
	}
	for i := range tab.X {
		if !slices.Equal(tab.X[i], few.Table.X[i]) {
			t.Fatalf("row %d differs when fewer models are kept", i)
		}
	}
	if _, err := few.GradCAM(testBackend(t), 0, []int{0}, 1); err == nil || !strings.Contains(err.Error(), "not kept") {
		t.Errorf("Grad-CAM of a dropped network: %v", err)
	}
	if _, err := res.GradCAMAt(testBackend(t), 4, []int{0}, 1, 8); err == nil {
		t.Errorf("Grad-CAM at 8 px, below the network's reduction: no error")
	}
	// The same seed gives the same table, bit for bit.
	again, err := Features(context.Background(), testBackend(t), ps, labels, train, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tab.X {
		if !slices.Equal(tab.X[i], again.Table.X[i]) {
			t.Fatalf("row %d differs between two runs with the same seed", i)
		}
	}
}

func TestFeaturesBadInput(t *testing.T) {
	b := testBackend(t)
	cfg := QuickConfig("resnet18")
	cfg.Train.Epochs = 1
	ctx := context.Background()
	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", what, err, want)
		}
	}

	ps, labels, train := toyPatients(6)
	small := cfg
	small.Size = 24
	_, err := Features(ctx, b, ps, labels, train, small, nil)
	check("24 px input", err, "smaller than the networks' reduction")

	ps, labels, train = toyPatients(6)
	for i := range ps[3].Mask.Data {
		ps[3].Mask.Data[i] = 0
	}
	_, err = Features(ctx, b, ps, labels, train, cfg, nil)
	check("empty ROI", err, "patient p03: volume: mask has no voxel labelled 1 or 2")

	ps, labels, train = toyPatients(6)
	for i := range labels {
		labels[i] = 1
	}
	_, err = Features(ctx, b, ps, labels, train, cfg, nil)
	check("one class", err, "needs both classes")

	ps, labels, train = toyPatients(6)
	_, err = Features(ctx, b, ps, labels, train, Config{Arch: "resnet50", Size: 32}, nil)
	check("unknown arch", err, `unknown architecture "resnet50"`)

	ps, labels, train = toyPatients(6)
	w := formulaWeights(Architectures()[0], 1000)
	delete(w, "layer1.0.conv2.weight")
	cfg.Weights = w
	_, err = Features(ctx, b, ps, labels, train, cfg, nil)
	check("missing tensor", err, "layer1.0.conv2.weight")
}
