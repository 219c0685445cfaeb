package volio

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadLabelMapSegmentation feeds arbitrary bytes, as a .seg.nrrd, to
// ReadLabelMap (NRRD header, Slicer segment metadata, layers, the mapping
// to the data contract's labels). Invariants: no panic; an error is one line
// that names the file; a label map holds only 0, 1 and 2 on a valid grid.
func FuzzReadLabelMapSegmentation(f *testing.F) {
	for _, c := range []struct {
		layers [][]uint8
		segs   []string
	}{
		{[][]uint8{{0, 1, 2, 2}}, []string{"Segment_1/1/0", "Segment_2/2/0"}},
		{[][]uint8{{0, 1, 1, 0}, {1, 1, 0, 0}}, []string{"cord/1/0", "lesion/1/1"}},
		{[][]uint8{{0, 1, 2, 3}}, []string{"vertebra/1/0", "SCI lesion/2/0", "spinal cord/3/0"}},
	} {
		b, err := os.ReadFile(segFile(f, c.layers, c.segs))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	b, err := os.ReadFile(filepath.Join(testdata, "volume/nrrd/slicerio/SegmentationOverlapping.seg.nrrd"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	path := filepath.Join(f.TempDir(), "mask.seg.nrrd")
	f.Fuzz(func(t *testing.T, in []byte) {
		if err := os.WriteFile(path, in, 0o644); err != nil {
			t.Fatal(err)
		}
		v, err := ReadLabelMap(path)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, path) || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error not one line naming the file: %q", msg)
			}
			return
		}
		if n := v.Dims[0] * v.Dims[1] * v.Dims[2]; n != len(v.Data) || n <= 0 {
			t.Fatalf("dims %v for %d voxels", v.Dims, len(v.Data))
		}
		for i, x := range v.Data {
			if x != 0 && x != 1 && x != 2 {
				t.Fatalf("voxel %d holds label %g", i, x)
			}
		}
	})
}
