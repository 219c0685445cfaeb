package ibsi

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// The reference values are IBSI's consensus values (IBSI reference manual,
// arXiv:1612.07003, as tabulated by oncoray/mirp in
// testdata/ibsi1/ibsi_1_reference_values; see testdata/ibsi1/README.md).

var texturePrefixes = []string{"cm_", "rlm_", "szm_", "dzm_", "ngt_", "ngl_"}

// textureRef is one reference row: value, tolerance and the value as printed.
type textureRef struct {
	tag     string
	value   float64
	tol     float64
	printed string
	noValue bool // empty value: no consensus
}

// readTextureRefs returns the texture rows (cm_ … ngl_) of an IBSI reference
// file ("reference value;tolerance;tag").
func readTextureRefs(t testing.TB, name string) []textureRef {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "ibsi1", "ibsi_1_reference_values", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []textureRef
	for _, row := range rows[1:] {
		if len(row) != 3 || !slices.ContainsFunc(texturePrefixes, func(p string) bool { return strings.HasPrefix(row[2], p) }) {
			continue
		}
		ref := textureRef{tag: row[2], printed: strings.TrimSpace(row[0])}
		if ref.printed == "" {
			ref.noValue = true
			out = append(out, ref)
			continue
		}
		if ref.value, err = strconv.ParseFloat(ref.printed, 64); err != nil {
			t.Fatalf("%s: %s: value %q: %v", name, ref.tag, row[0], err)
		}
		if ref.tol, err = strconv.ParseFloat(strings.TrimSpace(row[1]), 64); err != nil {
			t.Fatalf("%s: %s: tolerance %q: %v", name, ref.tag, row[1], err)
		}
		out = append(out, ref)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no texture rows", name)
	}
	return out
}

// halfDigit is half a unit of the last significant digit of the printed
// value s: "0.109" → 0.0005, "1490" → 5 (an integer's trailing zeros are not
// significant), "1.2e+03" → 50.
func halfDigit(s string) float64 {
	s = strings.TrimLeft(s, "+-")
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, _ = strconv.Atoi(s[i+1:])
		s = s[:i]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		exp -= len(s) - i - 1
	} else {
		for len(s) > 1 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
			exp++
		}
	}
	return 0.5 * math.Pow(10, float64(exp))
}

// passes applies the pass rule: |got - ref| <= tol. A tolerance of 0 means
// equality at the printed digits: IBSI gives these values to 3 significant
// digits, so the bound is half a unit of the third significant digit, or of
// the last printed digit where more are printed; a reference of 0 must be
// met to 1e-9.
func (r textureRef) passes(got float64) bool {
	tol := r.tol
	if tol == 0 {
		if r.value == 0 {
			tol = 1e-9
		} else {
			sig3 := 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(r.value)))-2)
			tol = min(halfDigit(r.printed), sig3) * (1 + 1e-9)
		}
	}
	return math.Abs(got-r.value) <= tol
}

// group is the family and aggregation of a tag ("cm 2D_avg").
func group(tag string) string {
	fam := tag[:strings.IndexByte(tag, '_')]
	for _, s := range []string{"2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg", "3D_comb", "2_5D", "2D", "3D"} {
		if strings.HasSuffix(tag, "_"+s) {
			return fam + " " + s
		}
	}
	return fam + " ?"
}

// textureOutcome compares got with the references: per group the number
// passed of the number compared, the failures as "tag: got … ref … (dev …)",
// and the tags without a consensus value.
type textureOutcome struct {
	passed, total map[string]int
	failures      map[string]string // tag -> message
	noValue       []string
}

func compareTexture(refs []textureRef, got map[string]float64) textureOutcome {
	o := textureOutcome{passed: map[string]int{}, total: map[string]int{}, failures: map[string]string{}}
	for _, r := range refs {
		if r.noValue {
			o.noValue = append(o.noValue, r.tag)
			continue
		}
		g := group(r.tag)
		o.total[g]++
		v, ok := got[r.tag]
		switch {
		case !ok:
			o.failures[r.tag] = "not computed"
		case r.passes(v):
			o.passed[g]++
		default:
			o.failures[r.tag] = fmt.Sprintf("got %.6g, reference %s ± %g (deviation %.3g)", v, r.printed, r.tol, v-r.value)
		}
	}
	return o
}

func (o textureOutcome) log(t *testing.T, name string) {
	t.Helper()
	var gs []string
	for g := range o.total {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	var b strings.Builder
	p, n := 0, 0
	for _, g := range gs {
		fmt.Fprintf(&b, "  %-14s %2d/%2d\n", g, o.passed[g], o.total[g])
		p += o.passed[g]
		n += o.total[g]
	}
	t.Logf("%s: %d/%d texture tags pass\n%s", name, p, n, b.String())
	if len(o.noValue) > 0 {
		t.Logf("%s: no consensus value (not compared): %s", name, strings.Join(o.noValue, ", "))
	}
}

func readNIfTI(t testing.TB, path string) ([]float64, [3]int, [3]float64) {
	t.Helper()
	v, err := nifti.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return v.Data, v.Dims, v.Spacing
}

// TestTextureDigitalPhantom checks every texture tag of the IBSI digital
// phantom: its voxel values are the grey levels (1, 3, 4, 6; Ng = 6), with no
// processing, and its mask is both the intensity and the morphological mask.
func TestTextureDigitalPhantom(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "testdata", "ibsi1", "ibsi_1_digital_phantom", "nifti")
	img, dims, spacing := readNIfTI(t, filepath.Join(dir, "image", "phantom.nii.gz"))
	mask, mdims, _ := readNIfTI(t, filepath.Join(dir, "mask", "mask.nii.gz"))
	if dims != mdims {
		t.Fatalf("image %v and mask %v differ", dims, mdims)
	}
	levels := make([]int32, len(img))
	morph := make([]bool, len(img))
	ng := 0
	for k, v := range img {
		if mask[k] > 0 {
			levels[k] = int32(v)
			morph[k] = true
			ng = max(ng, int(v))
		}
	}
	if ng != 6 {
		t.Fatalf("phantom's largest grey level is %d, want 6", ng)
	}
	got := Texture(levels, ng, dims[0], dims[1], dims[2], morph, spacing)
	refs := readTextureRefs(t, "ibsi_1_dig_phantom.csv")
	o := compareTexture(refs, got)
	o.log(t, "digital phantom")
	if len(o.noValue) > 0 {
		t.Errorf("digital phantom: unexpected rows without a value: %v", o.noValue)
	}
	var tags []string
	for tag := range o.failures {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	for _, tag := range tags {
		t.Errorf("%s: %s", tag, o.failures[tag])
	}
	// 25 cm_ and 16 rlm_ features in 6 aggregations, 16 szm_, 16 dzm_, 5 ngt_
	// and 17 ngl_ in 3.
	if n := len(refs); n != 41*6+54*3 {
		t.Errorf("%d texture rows in the reference file, want %d", n, 41*6+54*3)
	}
}

// TestTextureNGTDMIsolatedVoxel: IBSI 3.9 leaves voxels without any
// neighbour in the ROI out of the NGTDM (n_i counts only voxels with a
// neighbourhood). Grey levels 1 and 2 side by side and a second level-1
// voxel two voxels away: by hand, s_1 = s_2 = 1 and n_1 = n_2 = 1, so
// p_1 = p_2 = 0.5, contrast = 1/(2·1)·(2·0.25·1)·(2/2) = 0.25, busyness =
// 1/(|0.5 − 1| + |1 − 0.5|) = 1, coarseness = 1/(0.5 + 0.5) = 1. Counting
// the isolated voxel would give contrast 4/27 and busyness 0 (a zero
// denominator).
func TestTextureNGTDMIsolatedVoxel(t *testing.T) {
	levels := []int32{1, 2, 0, 1}
	got := Texture(levels, 2, 4, 1, 1, nil, [3]float64{1, 1, 1})
	want := map[string]float64{"coarseness": 1, "contrast": 0.25, "busyness": 1}
	for _, agg := range []string{"2D", "2_5D", "3D"} {
		for name, w := range want {
			tag := "ngt_" + name + "_" + agg
			if v, ok := got[tag]; !ok || math.Abs(v-w) > 1e-12 {
				t.Errorf("%s = %v (present %v), want %v", tag, v, ok, w)
			}
		}
	}
}
