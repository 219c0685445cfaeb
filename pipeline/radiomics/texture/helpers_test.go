package texture

// Test-only helpers: images read through scirad's codecs, a reader for
// pyradiomics' .npy baselines (no codec of scirad reads NumPy files) and
// pyradiomics' discretisation, kept here because this package must not
// import pipeline/radiomics (which imports it).

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume/nifti"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

const testdata = "../../../testdata"

// vol is a raw voxel array, x fastest.
type vol struct {
	dims [3]int
	data []float64
}

// readNpy reads a little-endian float64 .npy file (NumPy format 1.0),
// returning its shape and its data in C order (Fortran files are
// transposed).
func readNpy(t testing.TB, path string) ([]int, []float64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x93NUMPY")) {
		t.Fatalf("%s: not a .npy file", path)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	hdr := string(b[10 : 10+hlen])
	if !strings.Contains(hdr, "'descr': '<f8'") {
		t.Fatalf("%s: unsupported dtype in %s", path, hdr)
	}
	fortran := strings.Contains(hdr, "'fortran_order': True")
	i := strings.Index(hdr, "'shape': (")
	j := strings.Index(hdr[i:], ")")
	var shape []int
	for _, f := range strings.Split(hdr[i+len("'shape': ("):i+j], ",") {
		if f = strings.TrimSpace(f); f != "" {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			shape = append(shape, n)
		}
	}
	raw := b[10+hlen:]
	n := len(raw) / 8
	data := make([]float64, n)
	for k := range data {
		data[k] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*k:]))
	}
	if fortran {
		if len(shape) != 2 {
			t.Fatalf("%s: Fortran order only for 2-D arrays", path)
		}
		c := make([]float64, n)
		for r := range shape[0] {
			for col := range shape[1] {
				c[r*shape[1]+col] = data[col*shape[0]+r]
			}
		}
		data = c
	}
	return shape, data
}

// readNRRD and readNIfTI read an image with scirad's own codecs
// (pipeline/volume/nrrd, pipeline/volume/nifti), keeping only the voxels.
func readNRRD(t testing.TB, path string) vol {
	t.Helper()
	v, err := nrrd.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return vol{dims: v.Dims, data: v.Data}
}

func readNIfTI(t testing.TB, path string) vol {
	t.Helper()
	v, err := nifti.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return vol{dims: v.Dims, data: v.Data}
}

// binning selects pyradiomics' discretisation: a fixed bin width (its
// default, 25) or, when count > 0, a fixed bin count.
type binning struct {
	width float64
	count int
}

// discretise crops image to the bounding box of the voxels where inROI
// holds and bins the ROI voxels as pyradiomics' imageoperations.binImage
// does:
//   - bin width W: edges from min - (min mod W) in steps of W (np.arange up
//     to max + 2W), level = np.digitize(x, edges);
//   - bin count N: edges np.histogram(x, N) (np.linspace(min, max, N+1)),
//     the last edge raised by 1, level = np.digitize(x, edges).
func discretise(image vol, inROI func(k int) bool, b binning) *Image {
	lo, hi := [3]int{math.MaxInt, math.MaxInt, math.MaxInt}, [3]int{-1, -1, -1}
	mn, mx := math.Inf(1), math.Inf(-1)
	nx, ny := image.dims[0], image.dims[1]
	for k, x := range image.data {
		if !inROI(k) {
			continue
		}
		c := [3]int{k % nx, k / nx % ny, k / (nx * ny)}
		for d := range 3 {
			lo[d], hi[d] = min(lo[d], c[d]), max(hi[d], c[d])
		}
		mn, mx = min(mn, x), max(mx, x)
	}
	var edges []float64
	if b.count > 0 {
		step := (mx - mn) / float64(b.count)
		for k := range b.count {
			edges = append(edges, float64(k)*step+mn)
		}
		edges = append(edges, mx+1)
	} else {
		w := b.width
		low := mn - (mn - w*math.Floor(mn/w))
		for k := 0; low+float64(k)*w < mx+2*w; k++ {
			edges = append(edges, low+float64(k)*w)
		}
	}
	digitize := func(x float64) int32 {
		n := int32(0)
		for _, e := range edges {
			if e <= x {
				n++
			}
		}
		return n
	}
	im := &Image{}
	for d := range 3 {
		im.Dims[d] = hi[d] - lo[d] + 1
	}
	im.Levels = make([]int32, im.Dims[0]*im.Dims[1]*im.Dims[2])
	i := 0
	for z := lo[2]; z <= hi[2]; z++ {
		for y := lo[1]; y <= hi[1]; y++ {
			for x := lo[0]; x <= hi[0]; x++ {
				if k := x + nx*(y+ny*z); inROI(k) {
					im.Levels[i] = digitize(image.data[k])
				}
				i++
			}
		}
	}
	return im
}

// pyradiomicsCase loads one of pyradiomics' test cases (brain1, breast1)
// with label 1 and the given discretisation; reseg keeps only voxels >= 0
// (the flatRegion configuration's resegmentRange [0]).
func pyradiomicsCase(t testing.TB, name string, b binning, reseg bool) *Image {
	t.Helper()
	dir := filepath.Join(testdata, "pyradiomics")
	image := readNRRD(t, filepath.Join(dir, name+"_image.nrrd"))
	mask := readNRRD(t, filepath.Join(dir, name+"_label.nrrd"))
	if image.dims != mask.dims {
		t.Fatalf("%s: image %v, mask %v", name, image.dims, mask.dims)
	}
	return discretise(image, func(k int) bool {
		return mask.data[k] == 1 && (!reseg || image.data[k] >= 0)
	}, b)
}

// readCSV reads every record of the CSV file at path.
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// baseline reads a pyradiomics baseline CSV: feature name -> column -> value
// text.
func baseline(t testing.TB, class string) map[string]map[string]string {
	t.Helper()
	rows := readCSV(t, filepath.Join(testdata, "pyradiomics", "baseline", "baseline_"+class+".csv"))
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		m := map[string]string{}
		for c, v := range r[1:] {
			m[rows[0][c+1]] = v
		}
		out[r[0]] = m
	}
	return out
}

func relDiff(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), math.SmallestNonzeroFloat64)
}

func mustParse(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}
