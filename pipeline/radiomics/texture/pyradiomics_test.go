package texture

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// The reference values below are pyradiomics' own baselines,
// testdata/pyradiomics/baseline/ (pyradiomics commit 8ed5793, generated with
// PyRadiomics 1.3.0.post61 and reproduced by current pyradiomics; see
// testdata/pyradiomics/README.md). The matrices are the P_<class> arrays
// pyradiomics' tests/test_matrices.py compares against.

// pyradiomicsConfig is one column of the baseline CSVs.
type pyradiomicsConfig struct {
	column string
	bin    binning
	reseg  bool
	opts   Options
}

func pyradiomicsConfigs(name string) []pyradiomicsConfig {
	return []pyradiomicsConfig{
		{name, binning{width: 25}, false, Options{}},
		{name + "_2d", binning{width: 25}, false, Options{Force2D: true}},
		{name + "_FBN", binning{count: 64}, false, Options{}},
		{name + "_combined", binning{width: 25}, false, Options{Weighting: "no_weighting"}},
		{name + "_flatRegion", binning{width: 5000}, true, Options{}},
	}
}

type family struct {
	class  string
	values func(*Image, Options) ([]feature.Value, error)
	matrix func(*Image, Options) (*Matrix, error)
}

func families() []family {
	return []family{
		{"glcm", GLCM, GLCMMatrix},
		{"glrlm", GLRLM, GLRLMMatrix},
		{"glszm", GLSZM, GLSZMMatrix},
		{"ngtdm", NGTDM, NGTDMMatrix},
		{"gldm", GLDM, GLDMMatrix},
	}
}

// TestPyradiomicsFeatures compares every texture feature with pyradiomics'
// baseline for brain1 and breast1 in five configurations, within 1e-6
// relative (0 must be exactly 0).
func TestPyradiomicsFeatures(t *testing.T) {
	for _, name := range []string{"brain1", "breast1"} {
		for _, cfg := range pyradiomicsConfigs(name) {
			im := pyradiomicsCase(t, name, cfg.bin, cfg.reseg)
			for _, fam := range families() {
				ref := baseline(t, fam.class)
				vs, err := fam.values(im, cfg.opts)
				if err != nil {
					t.Fatalf("%s %s: %v", cfg.column, fam.class, err)
				}
				for _, v := range vs {
					key := "original_" + v.Key()
					s, ok := ref[key][cfg.column]
					if !ok && strings.HasSuffix(cfg.column, "_combined") && fam.class != "glcm" && fam.class != "glrlm" {
						continue // weighting applies to GLCM and GLRLM only
					}
					if !ok || s == "" {
						t.Errorf("%s %s: no baseline value", cfg.column, key)
						continue
					}
					want := mustParse(t, s)
					if want == 0 && v.Value != 0 || relDiff(v.Value, want) > 1e-6 {
						t.Errorf("%s %s = %.17g, pyradiomics %.17g (rel %.2g)", cfg.column, key, v.Value, want, relDiff(v.Value, want))
					}
				}
			}
		}
	}
}

// TestPyradiomicsMatrices compares the matrices with pyradiomics' baseline
// .npy files (brain1 and breast1, bin width 25) exactly.
func TestPyradiomicsMatrices(t *testing.T) {
	for _, name := range []string{"brain1", "breast1"} {
		im := pyradiomicsCase(t, name, binning{width: 25}, false)
		for _, fam := range families() {
			m, err := fam.matrix(im, Options{})
			if err != nil {
				t.Fatal(err)
			}
			shape, want := readNpy(t, filepath.Join(testdata, "pyradiomics", "baseline", name+"_"+fam.class+".npy"))
			got := flattenLikePyradiomics(m)
			gotShape := []int{len(m.Levels), m.NCols}
			if len(m.Angles) > 0 {
				gotShape = append(gotShape, len(m.Angles))
			}
			if fmt.Sprint(gotShape) != fmt.Sprint(shape) {
				t.Errorf("%s %s: shape %v, pyradiomics %v", name, fam.class, gotShape, shape)
				continue
			}
			bad := 0
			for k := range want {
				if got[k] != want[k] && bad < 5 {
					t.Errorf("%s %s: element %d = %v, pyradiomics %v", name, fam.class, k, got[k], want[k])
					bad++
				}
			}
		}
	}
}

// flattenLikePyradiomics lays m out as numpy's C order of P[i, j, angle].
func flattenLikePyradiomics(m *Matrix) []float64 {
	na := len(m.P)
	out := make([]float64, 0, len(m.Levels)*m.NCols*na)
	for i := range m.Levels {
		for j := range m.NCols {
			for a := range na {
				out = append(out, m.At(a, i, j))
			}
		}
	}
	return out
}

// TestPyradiomicsAngles checks the direction order against pyradiomics'
// cmatrices.generate_angles for a 3-D box (13 directions, z slowest from +1,
// in (z, y, x) terms) and for force2D.
func TestPyradiomicsAngles(t *testing.T) {
	zyx := func(as [][3]int) string {
		var b strings.Builder
		for _, a := range as {
			fmt.Fprintf(&b, "(%d,%d,%d)", a[2], a[1], a[0])
		}
		return b.String()
	}
	// pyradiomics: cMatrices.generate_angles(numpy.array([5,5,5]), numpy.array([1]), False, -1)
	want3D := "(1,1,1)(1,1,0)(1,1,-1)(1,0,1)(1,0,0)(1,0,-1)(1,-1,1)(1,-1,0)(1,-1,-1)(0,1,1)(0,1,0)(0,1,-1)(0,0,1)"
	if got := zyx(angles([3]int{5, 5, 5}, []int{1}, -1, false)); got != want3D {
		t.Errorf("3D angles\n got %s\nwant %s", got, want3D)
	}
	want2D := "(0,1,1)(0,1,0)(0,1,-1)(0,0,1)"
	if got := zyx(angles([3]int{5, 5, 5}, []int{1}, 0, false)); got != want2D {
		t.Errorf("2D angles\n got %s\nwant %s", got, want2D)
	}
	if n := len(angles([3]int{5, 5, 5}, []int{1, 2}, -1, true)); n != 124 {
		t.Errorf("distances 1,2 bidirectional: %d offsets, want 5³-1 = 124", n)
	}
	if n := len(angles([3]int{5, 5, 1}, []int{1}, -1, true)); n != 8 {
		t.Errorf("one-slice box: %d offsets, want 8", n)
	}
	if n := len(angles([3]int{1, 1, 1}, []int{1}, -1, true)); n != 0 {
		t.Errorf("one-voxel box: %d offsets, want 0", n)
	}
}

var _ = math.Abs
