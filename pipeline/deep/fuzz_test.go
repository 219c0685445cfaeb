package deep

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// FuzzSafetensors feeds arbitrary bytes to the safetensors reader: it must
// never panic or allocate beyond the input, a failure is a one-line error,
// and what it reads writes back and reads again unchanged.
func FuzzSafetensors(f *testing.F) {
	if b, err := os.ReadFile("../../testdata/deep/tiny.safetensors"); err == nil {
		f.Add(b)
	}
	var buf bytes.Buffer
	small := map[string]Tensor{"fc.weight": {Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}, "fc.bias": {Shape: []int{2}, Data: []float32{-1, 0.5}}}
	if err := WriteSafetensors(&buf, small, map[string]string{"arch": "resnet18"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readSafetensors(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		n := 0
		for _, w := range got {
			n += len(w.Data)
		}
		if 4*n > 4*len(data)+64 { // F16/BF16 expand two bytes to four
			t.Fatalf("%d values read from %d bytes", n, len(data))
		}
		var out bytes.Buffer
		if err := WriteSafetensors(&out, got, nil); err != nil {
			t.Fatalf("cannot write back what was read: %v", err)
		}
		again, err := readSafetensors(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("cannot read back what was written: %v", err)
		}
		for name, w := range got {
			if !slices.Equal(again[name].Shape, w.Shape) || !slices.Equal(again[name].Data, w.Data) && !hasNaN(w.Data) {
				t.Fatalf("%s changed in a round trip", name)
			}
		}
	})
}

func hasNaN(x []float32) bool {
	for _, v := range x {
		if v != v {
			return true
		}
	}
	return false
}
