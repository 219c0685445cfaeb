package deep

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadSafetensorsFromPython reads testdata/deep/tiny.safetensors, written
// by testdata/deep/make_tiny_safetensors.py (torch 1.13.0a0) with the same
// hand-written encoder as torch_to_safetensors.py.
func TestReadSafetensorsFromPython(t *testing.T) {
	w, err := ReadSafetensors("../../testdata/deep/tiny.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	conv := w["conv.weight"]
	if !slices.Equal(conv.Shape, []int{2, 1, 1, 3}) || !slices.Equal(conv.Data, []float32{-1, -0.5, 0, 0.5, 1, 1.5}) {
		t.Errorf("conv.weight = %v %v", conv.Shape, conv.Data)
	}
	if b := w["fc.bias"]; !slices.Equal(b.Data, []float32{10, 11, 12}) {
		t.Errorf("fc.bias = %v", b.Data)
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	arch, _ := ArchByName("resnet18")
	want := formulaWeights(arch, 2)
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, want, map[string]string{"arch": "resnet18"}); err != nil {
		t.Fatal(err)
	}
	got, err := readSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		if !slices.Equal(got[name].Shape, w.Shape) || !slices.Equal(got[name].Data, w.Data) {
			t.Fatalf("%s differs after a round trip", name)
		}
	}
	// Graph layout and back is the identity too.
	p := NewParams(arch, 2, 1)
	if err := p.LoadTorch(want, true); err != nil {
		t.Fatal(err)
	}
	for name, w := range p.Torch() {
		if !slices.Equal(w.Data, want[name].Data) {
			t.Fatalf("%s differs after LoadTorch and Torch", name)
		}
	}
}

func TestBadWeights(t *testing.T) {
	arch, _ := ArchByName("resnet18")
	p := NewParams(arch, 2, 1)

	w := formulaWeights(arch, 2)
	delete(w, "layer3.1.bn2.running_var")
	if err := p.LoadTorch(w, false); err == nil || !strings.Contains(err.Error(), "layer3.1.bn2.running_var") {
		t.Errorf("missing tensor: error %v does not name it", err)
	}

	w = formulaWeights(arch, 2)
	w["layer2.0.conv1.weight"] = Tensor{Shape: []int{128, 64, 1, 1}, Data: make([]float32, 128*64)}
	if err := p.LoadTorch(w, false); err == nil || !strings.Contains(err.Error(), "layer2.0.conv1.weight") {
		t.Errorf("mis-shaped tensor: error %v does not name it", err)
	}

	// An ImageNet head (1000 classes) is ignored when the head is replaced,
	// and an error when it is asked for.
	w = formulaWeights(arch, 1000)
	if err := p.LoadTorch(w, false); err != nil {
		t.Errorf("backbone from a 1000-class file: %v", err)
	}
	if err := p.LoadTorch(w, true); err == nil || !strings.Contains(err.Error(), "fc.weight") {
		t.Errorf("1000-class head into a 2-class net: error %v does not name fc.weight", err)
	}

	dir := t.TempDir()
	for name, content := range map[string][]byte{
		"short":     {1, 2, 3},
		"hugeheadr": {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, '{', '}'},
		"notjson":   append([]byte{4, 0, 0, 0, 0, 0, 0, 0}, []byte("abcd")...),
		"overrun":   append([]byte{62, 0, 0, 0, 0, 0, 0, 0}, []byte(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}      `)...),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSafetensors(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v does not name the file", name, err)
		}
	}
}
