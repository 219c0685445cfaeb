package texture

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// IBSI digital phantom (testdata/ibsi1, see its README): reference values
// are the IBSI consensus values (IBSI reference manual, arXiv:1612.07003,
// as tabulated in ibsi_1_reference_values/ibsi_1_dig_phantom.csv from
// oncoray/mirp). The phantom is already discretised; pyradiomics' bin width
// 1 maps value v to level v.

// ibsiPhantom returns the phantom's ROI (levels 1, 3, 4, 6).
func ibsiPhantom(t testing.TB) *Image {
	t.Helper()
	dir := filepath.Join(testdata, "ibsi1", "ibsi_1_digital_phantom", "nifti")
	image := readNIfTI(t, filepath.Join(dir, "image", "phantom.nii.gz"))
	mask := readNIfTI(t, filepath.Join(dir, "mask", "mask.nii.gz"))
	return discretise(image, func(k int) bool { return mask.data[k] > 0 }, binning{width: 1})
}

// ibsiReference returns IBSI tag -> (value, tolerance) for the phantom.
func ibsiReference(t testing.TB) map[string][2]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata, "ibsi1", "ibsi_1_reference_values", "ibsi_1_dig_phantom.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]float64{}
	for _, row := range rows[1:] {
		if row[0] == "" {
			continue
		}
		out[row[2]] = [2]float64{mustParse(t, row[0]), mustParse(t, row[1])}
	}
	return out
}

// ibsiStems maps "class_Name" to the IBSI tag stem (MIRP naming, e.g.
// "cm_contrast"), from testdata/ibsi1/pyradiomics_to_ibsi_phantom.csv.
func ibsiStems(t testing.TB) map[string]string {
	t.Helper()
	rows := readCSV(t, filepath.Join(testdata, "ibsi1", "pyradiomics_to_ibsi_phantom.csv"))
	out := map[string]string{}
	for _, r := range rows[1:] {
		if tag := r[2]; tag != "" {
			tag = strings.TrimSuffix(strings.TrimSuffix(tag, "_3D_avg"), "_3D")
			out[r[0]+"_"+r[1]] = tag
		}
	}
	return out
}

// ibsiMatches reports whether got agrees with an IBSI value given to three
// significant digits: within half a unit of its last digit plus the
// published tolerance.
func ibsiMatches(got, ref, tol float64) bool {
	half := 0.0
	if ref != 0 {
		half = 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(ref)))-2)
	}
	return math.Abs(got-ref) <= tol+half*(1+1e-9)
}

// TestIBSIPhantom checks every texture feature that has an IBSI reference
// value on the digital phantom, in the four aggregations pyradiomics can
// produce: 3D averaged (default) and merged (no_weighting), 2.5D averaged
// and merged (force2D). GLSZM, NGTDM and GLDM have no directions: their 3D
// and 2.5D values are compared. Every texture feature of pyradiomics with an
// IBSI counterpart agrees with IBSI on the phantom (pyradiomics' own 2018
// IBSI submission agrees too); MCC has no IBSI definition.
func TestIBSIPhantom(t *testing.T) {
	im := ibsiPhantom(t)
	ref := ibsiReference(t)
	stems := ibsiStems(t)
	cases := []struct {
		suffix, suffixNoDir string
		o                   Options
	}{
		{"_3D_avg", "_3D", Options{}},
		{"_3D_comb", "", Options{Weighting: "no_weighting"}},
		{"_2_5D_avg", "_2_5D", Options{Force2D: true}},
		{"_2_5D_comb", "", Options{Force2D: true, Weighting: "no_weighting"}},
	}
	checked := 0
	for _, c := range cases {
		for _, fam := range families() {
			suffix := c.suffix
			if fam.class != "glcm" && fam.class != "glrlm" {
				if suffix = c.suffixNoDir; suffix == "" {
					continue
				}
			}
			vs, err := fam.values(im, c.o)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				stem, ok := stems[v.Key()]
				if !ok {
					if v.IBSI != "" {
						t.Errorf("%s has IBSI code %s but no IBSI tag in the mapping", v.Key(), v.IBSI)
					}
					continue
				}
				r, ok := ref[stem+suffix]
				if !ok {
					t.Errorf("%s: no IBSI reference %s", v.Key(), stem+suffix)
					continue
				}
				checked++
				if !ibsiMatches(v.Value, r[0], r[1]) {
					t.Errorf("%s (%s%s) = %.6g, IBSI %g ± %g", v.Key(), stem, suffix, v.Value, r[0], r[1])
				}
			}
		}
	}
	// 74 features with IBSI codes in 3D and 2.5D, plus 23 GLCM + 16 GLRLM
	// merged ones in each.
	if want := 2*(23+16+16+5+14) + 2*(23+16); checked != want {
		t.Errorf("checked %d IBSI values, want %d", checked, want)
	}
}
