package ibsi

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// The reference values are IBSI's consensus values (IBSI reference manual,
// arXiv:1612.07003, as tabulated by oncoray/mirp in
// testdata/ibsi1/ibsi_1_reference_values; see testdata/ibsi1/README.md),
// read by readReference and judged by ibsiPass (nontexture_test.go).

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

func compareTexture(t *testing.T, file string, got map[string]float64) textureOutcome {
	t.Helper()
	o := textureOutcome{passed: map[string]int{}, total: map[string]int{}, failures: map[string]string{}}
	rows, noConsensus := readReference(t, file)
	for _, tag := range noConsensus {
		if isTexture(tag) {
			o.noValue = append(o.noValue, tag)
		}
	}
	for _, r := range rows {
		if !isTexture(r.tag) {
			continue
		}
		g := group(r.tag)
		o.total[g]++
		v, ok := got[r.tag]
		switch {
		case !ok:
			o.failures[r.tag] = "not computed"
		case ibsiPass(v, r.value, r.tol, r.sig):
			o.passed[g]++
		default:
			o.failures[r.tag] = fmt.Sprintf("got %.6g, reference %g ± %g (deviation %.3g)", v, r.value, r.tol, v-r.value)
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

// TestTextureDigitalPhantom checks every texture tag of the IBSI digital
// phantom: its voxel values are the grey levels (1, 3, 4, 6; Ng = 6), with no
// processing, and its mask is both the intensity and the morphological mask.
func TestTextureDigitalPhantom(t *testing.T) {
	dir := "../../../testdata/ibsi1/ibsi_1_digital_phantom/nifti/"
	img, mask, err := readPair(dir+"image/phantom.nii.gz", dir+"mask/mask.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	if img.Dims != mask.Dims {
		t.Fatalf("image %v and mask %v differ", img.Dims, mask.Dims)
	}
	dims := img.Dims
	levels := make([]int32, len(img.Data))
	morph := make([]bool, len(img.Data))
	ng := 0
	for k, v := range img.Data {
		if mask.Data[k] > 0 {
			levels[k] = int32(v)
			morph[k] = true
			ng = max(ng, int(v))
		}
	}
	if ng != 6 {
		t.Fatalf("phantom's largest grey level is %d, want 6", ng)
	}
	got := Texture(levels, ng, dims[0], dims[1], dims[2], morph, img.Spacing)
	o := compareTexture(t, "ibsi_1_dig_phantom.csv", got)
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
	// An ng below the largest level is raised to it.
	low := Texture(levels, 0, dims[0], dims[1], dims[2], morph, img.Spacing)
	for tag, v := range got {
		if w := low[tag]; w != v && !(math.IsNaN(v) && math.IsNaN(w)) {
			t.Errorf("ng 0: %s = %v, ng 6: %v", tag, w, v)
		}
	}
	// 25 cm_ and 16 rlm_ features in 6 aggregations, 16 szm_, 16 dzm_, 5 ngt_
	// and 17 ngl_ in 3.
	n := 0
	for _, c := range o.total {
		n += c
	}
	if n != 41*6+54*3 {
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

// TestTextureHugeLevels: matrices follow the levels present, not ng, so
// grey levels up to 2·10⁹ cost nothing. Two voxels side by side with levels
// 1 and 2·10⁹: every GLCM holds the pair both ways, so contrast is
// (2·10⁹ − 1)² and the difference average 2·10⁹ − 1; both voxels are zones
// of size 1 at distance 1.
func TestTextureHugeLevels(t *testing.T) {
	const big = 2_000_000_000
	got := Texture([]int32{1, big}, big, 2, 1, 1, nil, [3]float64{1, 1, 1})
	d := float64(big - 1)
	want := map[string]float64{
		"cm_contrast_2D_avg": d * d, "cm_diff_avg_3D_comb": d,
		"szm_sze_3D": 1, "dzm_sde_2D": 1, "szm_glnu_3D": 1, "rlm_sre_2_5D_comb": 1,
	}
	for tag, w := range want {
		if v, ok := got[tag]; !ok || math.Abs(v-w) > 1e-12*w {
			t.Errorf("%s = %v (present %v), want %v", tag, v, ok, w)
		}
	}
}
