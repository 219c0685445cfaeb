package gallery

import (
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volume"
)

// Preprocess with the paper's four, named or not, gives preprocess.Run's
// images bit for bit; every other entry a cohort accepts gives its image on
// the mask's grid, equal to Apply on the preprocessed original (whatever
// Preprocess shares between entries of one type, the wavelets), finite;
// names never hold "_", which separates the parts of a column name.
func TestPreprocess(t *testing.T) {
	img, mask := phantom()
	for i, x := range mask.Data { // a second ROI, label 2, as the cohort's cord
		if x == 0 && i%3 == 0 {
			mask.Data[i] = 2
		}
	}
	s := preprocess.Paper()
	want, err := preprocess.Run(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, filters := range [][]string{nil, preprocess.PaperFilters()} {
		got, err := Preprocess(img, mask, s, filters)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Names, want.Names) || !slices.Equal(got.Names, ImageNames(filters)) || !slices.Equal(got.Mask.Data, want.Mask.Data) {
			t.Fatalf("%q: names %v, want %v", filters, got.Names, want.Names)
		}
		for i := range want.Images {
			if !slices.Equal(got.Images[i].Data, want.Images[i].Data) || got.Images[i].Grid != want.Images[i].Grid {
				t.Errorf("%q: image %s differs from preprocess.Run's", filters, want.Names[i])
			}
		}
	}
	var all []string
	for _, e := range Entries() {
		if strings.Contains(e.Name, "_") {
			t.Errorf("%s: a name with _ would break {roi}_{image}_{class}_{Feature}", e.Name)
		}
		if e.Type != "LBP3D" {
			all = append(all, e.Name)
		}
	}
	got, err := Preprocess(img, mask, s, all)
	if err != nil {
		t.Fatal(err)
	}
	orig := want.Images[0]
	if !slices.Equal(got.Names, ImageNames(all)) || !slices.Equal(got.Images[0].Data, orig.Data) {
		t.Fatalf("names %v", got.Names)
	}
	for i, n := range all {
		v := got.Images[1+i]
		e, _ := Lookup(n)
		if e.Group == Paper {
			continue // above
		}
		direct, err := Apply(e, orig, want.Mask)
		if err != nil {
			t.Fatal(err)
		}
		if v.SameGrid(want.Mask.Grid, volume.DefaultTolerance) != nil || !slices.Equal(v.Data, direct.Data) || v.CheckFinite() != nil {
			t.Errorf("%s: not Apply's image on the preprocessed original", n)
		}
	}
}
