package texture

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// TestRegistry checks the registry against pyradiomics' feature lists and
// the IBSI mapping in testdata/ibsi1/pyradiomics_to_ibsi_phantom.csv: 75
// features, classes in pyradiomics' order, names in the byte order of
// pyradiomics' get<Name>FeatureValue methods (its output order), IBSI codes
// as mapped.
func TestRegistry(t *testing.T) {
	defs := Registry()
	if len(defs) != 75 {
		t.Fatalf("%d texture features, want 24+16+16+5+14 = 75", len(defs))
	}
	rows := readCSV(t, filepath.Join(testdata, "ibsi1", "pyradiomics_to_ibsi_phantom.csv"))
	code := map[string]string{}
	for _, r := range rows[1:] {
		code[r[0]+"_"+r[1]] = r[3]
	}
	classes := []string{"glcm", "glrlm", "glszm", "ngtdm", "gldm"}
	var last string
	for k, d := range defs {
		c, ok := code[d.Key()]
		if !ok {
			t.Errorf("%s not among pyradiomics' default features", d.Key())
		} else if c != d.IBSI {
			t.Errorf("%s: IBSI %q, mapping says %q", d.Key(), d.IBSI, c)
		}
		if d.Summary == "" {
			t.Errorf("%s: no summary", d.Key())
		}
		if k > 0 && defs[k-1].Class == d.Class && !(last < "get"+d.Name+"FeatureValue") {
			t.Errorf("%s after %s: not pyradiomics' order", d.Name, defs[k-1].Name)
		}
		if k > 0 && defs[k-1].Class != d.Class && slices.Index(classes, defs[k-1].Class) >= slices.Index(classes, d.Class) {
			t.Errorf("class %s after %s", d.Class, defs[k-1].Class)
		}
		last = "get" + d.Name + "FeatureValue"
	}
	n := 0
	for key := range code {
		if cls, _, _ := strings.Cut(key, "_"); slices.Contains(classes, cls) {
			n++
		}
	}
	if n != len(defs) {
		t.Errorf("mapping has %d texture features, registry %d", n, len(defs))
	}
	// Each family returns its registry slice, in order, and All returns
	// the same values as the five families.
	im := pyradiomicsCase(t, "breast1", binning{width: 25}, false)
	all, err := All(im, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(defs) {
		t.Fatalf("All returned %d values", len(all))
	}
	k := 0
	for _, fam := range families() {
		vs, err := fam.values(im, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Def != defs[k] {
				t.Errorf("%s returned %v at registry entry %v", fam.class, v.Def, defs[k])
			}
			if all[k] != v {
				t.Errorf("All: %v, %s: %v", all[k], fam.class, v)
			}
			k++
		}
	}
}

// TestBadInput checks that data problems and bad options are errors.
func TestBadInput(t *testing.T) {
	one := &Image{Dims: [3]int{1, 1, 1}, Levels: []int32{3}}
	cases := []struct {
		name string
		im   *Image
		o    Options
		want error
	}{
		{"nil", nil, Options{}, nil},
		{"empty ROI", &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{0, 0}}, Options{}, ErrEmptyROI},
		{"one voxel", one, Options{}, ErrNoDirections},
		{"size mismatch", &Image{Dims: [3]int{2, 2, 1}, Levels: []int32{1}}, Options{}, nil},
		{"zero dimension", &Image{Dims: [3]int{0, 1, 1}}, Options{}, nil},
		{"negative level", &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, -1}}, Options{}, nil},
		{"distance 0", &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, 1}}, Options{Distances: []int{0}}, nil},
		{"force2D axis", &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, 1}}, Options{Force2D: true, Force2DDimension: 3}, nil},
	}
	for _, c := range cases {
		for _, fam := range families() {
			_, err := fam.values(c.im, c.o)
			if err == nil {
				t.Errorf("%s %s: no error", c.name, fam.class)
			} else if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("%s %s: %v, want %v", c.name, fam.class, err, c.want)
			}
		}
	}
	two := &Image{Dims: [3]int{2, 1, 1}, Levels: []int32{1, 2}}
	for _, o := range []Options{{Weighting: "bogus"}, {Weighting: "euclidean"}} {
		for _, fn := range []func(*Image, Options) (*Matrix, error){GLCMMatrix, GLRLMMatrix} {
			if _, err := fn(two, o); err == nil {
				t.Errorf("weighting %q: no error", o.Weighting)
			}
		}
	}
	if _, err := GLDM(two, Options{GLDMAlpha: -1}); err == nil {
		t.Error("GLDMAlpha -1: no error")
	}
}

// TestClosedForms checks small images worked out by hand.
func TestClosedForms(t *testing.T) {
	row := &Image{Dims: [3]int{3, 1, 1}, Levels: []int32{1, 2, 3}}
	get := func(vs []feature.Value, name string) float64 {
		for _, v := range vs {
			if v.Name == name {
				return v.Value
			}
		}
		t.Fatalf("no feature %s", name)
		return 0
	}
	// Distance 2 pairs only voxels 1 and 3: p(1,3) = p(3,1) = 1/2, so
	// contrast (1-3)² = 4 and joint average 2.
	vs, err := GLCM(row, Options{Distances: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	if c, a := get(vs, "Contrast"), get(vs, "JointAverage"); c != 4 || a != 2 {
		t.Errorf("distance 2: contrast %v, joint average %v; want 4, 2", c, a)
	}
	// Asymmetric GLCM of 1,2,3 along +x: p(1,2) = p(2,3) = 1/2, so μx = 1.5.
	vs, err = GLCM(row, Options{Asymmetric: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := get(vs, "JointAverage"); a != 1.5 {
		t.Errorf("asymmetric joint average %v, want 1.5", a)
	}
	// GLDM with alpha 1: the ends have 1 dependent neighbour (j = 2), the
	// middle 2 (j = 3): large dependence emphasis (4+9+4)/3.
	m, err := GLDMMatrix(row, Options{GLDMAlpha: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Cols, []float64{2, 3}) || !slices.Equal(m.P[0], []float64{1, 0, 0, 1, 1, 0}) {
		t.Errorf("GLDM alpha 1: cols %v, P %v", m.Cols, m.P[0])
	}
	vs, err = GLDM(row, Options{GLDMAlpha: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l := get(vs, "LargeDependenceEmphasis"); math.Abs(l-17.0/3) > 1e-15 {
		t.Errorf("GLDM alpha 1 LDE %v, want 17/3", l)
	}
	// Two ROI voxels that are not neighbours: no co-occurrence, every GLCM
	// feature NaN (pyradiomics: NaN), while the line along x still holds
	// two voxels, so GLRLM keeps that direction (two runs of 1).
	gap := &Image{Dims: [3]int{3, 1, 1}, Levels: []int32{1, 0, 2}}
	vs, err = GLCM(gap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if !math.IsNaN(v.Value) {
			t.Errorf("no pairs: %s = %v, want NaN", v.Name, v.Value)
		}
	}
	rm, err := GLRLMMatrix(gap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rm.P) != 1 || !slices.Equal(rm.P[0], []float64{1, 1}) {
		t.Errorf("GLRLM of 1 _ 2: %v", rm.P)
	}
	// Two diagonal voxels in a 2×2 slice: only the diagonal through both
	// has a line with two ROI voxels; pyradiomics empties and drops the
	// other directions ("segmentation is 2D for this angle").
	diag := &Image{Dims: [3]int{2, 2, 1}, Levels: []int32{1, 0, 0, 2}}
	rm, err = GLRLMMatrix(diag, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rm.Angles) != 1 || rm.Angles[0] != [3]int{1, 1, 0} || !slices.Equal(rm.P[0], []float64{1, 1}) {
		t.Errorf("GLRLM of the diagonal: angles %v, P %v", rm.Angles, rm.P)
	}
	// The NGTDM of the gap image: no voxel has a neighbour. pyradiomics (and
	// this package) still count them in n_i with s_i = 0 — IBSI would leave
	// them out — so coarseness is 10⁶ (pyradiomics' value for Σ p_i s_i = 0).
	nm, err := NGTDMMatrix(gap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nm.P[0], []float64{1, 0, 1, 1, 0, 2}) {
		t.Errorf("NGTDM of 1 _ 2: %v, want rows (n, s, i) = (1, 0, 1), (1, 0, 2)", nm.P[0])
	}
	vs, err = NGTDM(gap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := get(vs, "Coarseness"); c != 1e6 {
		t.Errorf("NGTDM without neighbours: coarseness %v, want 1e6", c)
	}
}

// TestWeighting checks the distance-weighted merges against the plain
// merge: with isotropic 1 mm voxels and distance 1 the infinity norm gives
// every direction the same weight (e^-1 for GLCM, 1 for GLRLM), so the
// features equal those of "no_weighting".
func TestWeighting(t *testing.T) {
	im := ibsiPhantom(t)
	for _, fam := range families()[:2] {
		plain, err := fam.values(im, Options{Weighting: "no_weighting"})
		if err != nil {
			t.Fatal(err)
		}
		inf, err := fam.values(im, Options{Weighting: "infinity", Spacing: [3]float64{1, 1, 1}})
		if err != nil {
			t.Fatal(err)
		}
		for k := range plain {
			if relDiff(inf[k].Value, plain[k].Value) > 1e-12 {
				t.Errorf("%s: infinity %v, no_weighting %v", inf[k].Key(), inf[k].Value, plain[k].Value)
			}
		}
	}
	// Euclidean weights ‖a‖ for GLRLM: 1, √2, √3 — the merged run count is
	// Σ_a ‖a‖ N_r(a).
	m, err := GLRLMMatrix(im, Options{Weighting: "euclidean", Spacing: [3]float64{1, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	sep, err := GLRLMMatrix(im, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, got := 0.0, 0.0
	for a, p := range sep.P {
		n := 0.0
		for _, v := range p {
			n += v
		}
		d := sep.Angles[a]
		want += n * math.Sqrt(float64(d[0]*d[0]+d[1]*d[1]+d[2]*d[2]))
	}
	for _, v := range m.P[0] {
		got += v
	}
	if relDiff(got, want) > 1e-14 {
		t.Errorf("euclidean-weighted run count %v, want %v", got, want)
	}
}

// TestForce2DDimension checks that Force2DDimension picks the axis: the
// phantom with x and z swapped, sliced along x (pyradiomics dimension 2),
// gives the same features as the phantom sliced along z (dimension 0).
func TestForce2DDimension(t *testing.T) {
	im := ibsiPhantom(t)
	sw := &Image{Dims: [3]int{im.Dims[2], im.Dims[1], im.Dims[0]}, Levels: make([]int32, len(im.Levels))}
	for z := range im.Dims[2] {
		for y := range im.Dims[1] {
			for x := range im.Dims[0] {
				sw.Levels[z+sw.Dims[0]*(y+sw.Dims[1]*x)] = im.Levels[x+im.Dims[0]*(y+im.Dims[1]*z)]
			}
		}
	}
	for _, fam := range families() {
		a, err := fam.values(im, Options{Force2D: true, Force2DDimension: 0})
		if err != nil {
			t.Fatal(err)
		}
		b, err := fam.values(sw, Options{Force2D: true, Force2DDimension: 2})
		if err != nil {
			t.Fatal(err)
		}
		for k := range a {
			if relDiff(b[k].Value, a[k].Value) > 1e-12 {
				t.Errorf("%s: sliced along x %v, along z %v", a[k].Key(), b[k].Value, a[k].Value)
			}
		}
	}
}
