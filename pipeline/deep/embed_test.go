package deep

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// TestEmbedMatchesTorchvision embeds testdata/deep/embed_input.png (48 × 40,
// 8-bit grey) at 64 × 64 with the formula weights and compares with the
// "embed" part of torchvision_reference.json (make_reference.py: PIL 9.4.0,
// F.interpolate bilinear, torchvision 0.14.1a0 resnet18 in float64): PNG
// scaling, resizing, channel copy and normalisation end to end.
func TestEmbedMatchesTorchvision(t *testing.T) {
	b, err := os.ReadFile("../../testdata/deep/torchvision_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Embed struct {
			Size   int       `json:"size"`
			Pooled []float64 `json:"pooled"`
		} `json:"embed"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	img, err := ReadImage2D("../../testdata/deep/embed_input.png", -1)
	if err != nil {
		t.Fatal(err)
	}
	if img.H != 40 || img.W != 48 {
		t.Fatalf("PNG read as %d×%d, want 40×48", img.H, img.W)
	}
	arch, _ := ArchByName("resnet18")
	p := NewParams(arch, 10, 1)
	if err := p.LoadTorch(formulaWeights(arch, 10), false); err != nil {
		t.Fatal(err)
	}
	got, err := Embed(testBackend(t), p, img, ref.Embed.Size)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "embedding", got, ref.Embed.Pooled, 1e-4)
	if h := EmbeddingHeader(512); h[0] != "f000" || h[511] != "f511" {
		t.Errorf("header %s…%s", h[0], h[511])
	}
	if h := EmbeddingHeader(2048); h[0] != "f0000" || h[2047] != "f2047" {
		t.Errorf("header %s…%s", h[0], h[2047])
	}
	if _, err := Embed(testBackend(t), p, img, 16); err == nil || !strings.Contains(err.Error(), "reduction") {
		t.Errorf("size 16: error %v", err)
	}
}

func TestReadImage2DNIfTI(t *testing.T) {
	dir := t.TempDir()
	g := volume.NewGrid([3]int{3, 2, 4}, [3]float64{1, 1, 3})
	g.Direction = kLeftRight // slices along k, the sagittal axis
	v := volume.New(g)
	for i := range v.Data {
		v.Data[i] = float64(i)
	}
	path := filepath.Join(dir, "v.nii")
	if err := volio.WriteImage(path, v); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadImage2D(path, -1); err == nil || !strings.Contains(err.Error(), "give the slice") {
		t.Errorf("3-D volume without a slice: error %v", err)
	}
	img, err := ReadImage2D(path, 1) // k = 1 holds 6…11, min–max scaled
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0.2, 0.4, 0.6, 0.8, 1}
	for i, w := range want {
		if d := img.Data[i] - w; d > 1e-12 || d < -1e-12 {
			t.Fatalf("slice = %v, want %v", img.Data, want)
		}
	}
	if _, err := ReadImage2D(path, 4); err == nil {
		t.Error("slice 4 of 4: no error")
	}
}
