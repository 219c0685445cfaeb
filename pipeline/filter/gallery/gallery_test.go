package gallery

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/filter"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volume"
)

// phantom is a small anisotropic volume with structure at several scales and
// a spherical ROI (label 1) in the middle.
func phantom() (img, mask *volume.Volume) {
	g := volume.NewGrid([3]int{20, 18, 10}, [3]float64{0.8, 0.9, 2})
	img, mask = volume.New(g), volume.New(g)
	for k := range g.Dims[2] {
		for j := range g.Dims[1] {
			for i := range g.Dims[0] {
				x, y, z := float64(i)-9.5, float64(j)-8.5, float64(k)-4.5
				q := img.Index(i, j, k)
				img.Data[q] = 100 + 40*math.Sin(0.7*x)*math.Cos(0.4*y) + 3*z + float64((i*7+j*3+k*5)%11)
				if x*x+y*y+4*z*z < 30 {
					mask.Data[q] = 1
				}
			}
		}
	}
	return img, mask
}

// Every pyradiomics image type but Original and every IBSI chapter 2 kind
// is in the gallery; names are unique; the paper's four filters are
// preprocess.ImageNames'.
func TestEntriesCoverRegistry(t *testing.T) {
	types := map[string]bool{}
	kinds := map[string]bool{}
	names := map[string]bool{}
	var paper []string
	for _, e := range Entries() {
		if names[e.Name] {
			t.Errorf("name %s twice", e.Name)
		}
		names[e.Name] = true
		if e.Group != Paper && !filter.Known(e.Type) {
			t.Errorf("%s: type %q is not an image type a params file can name", e.Name, e.Type)
		}
		switch e.Group {
		case Paper:
			paper = append(paper, e.Name)
		case PyRadiomics:
			types[e.Type] = true
		case IBSI2:
			f, err := filter.ParseIBSIType(e.Type)
			if err != nil {
				t.Errorf("%s: %v", e.Type, err)
				continue
			}
			kinds[f.Kind] = true
		default:
			t.Errorf("%s: group %q", e.Name, e.Group)
		}
	}
	for _, typ := range filter.Types[1:] {
		if !types[typ] {
			t.Errorf("pyradiomics image type %s is not in the gallery", typ)
		}
	}
	for _, k := range filter.IBSIKinds {
		if !kinds[k] {
			t.Errorf("IBSI chapter 2 kind %s is not in the gallery", k)
		}
	}
	if !slices.Equal(paper, preprocess.ImageNames[1:]) {
		t.Errorf("paper filters %v, want %v", paper, preprocess.ImageNames[1:])
	}
	if _, err := Lookup("wavelet-XYZ"); err == nil || !strings.Contains(err.Error(), "wavelet-LLH") {
		t.Errorf("Lookup of an unknown name: %v", err)
	}
}

// Every entry filters the phantom into a finite image on its grid that is
// not the input, and a few equal the package functions called directly
// with the settings their names state.
func TestApply(t *testing.T) {
	img, mask := phantom()
	direct := map[string]func() (*volume.Volume, error){
		"gaussian":            func() (*volume.Volume, error) { return preprocess.GaussianFilter(img, 1), nil },
		"box":                 func() (*volume.Volume, error) { return preprocess.BoxFilter(img, 5), nil },
		"log-sigma-2-0-mm-3D": func() (*volume.Volume, error) { return filter.LoGRegion(img, 2, nil) },
		"gradient":            func() (*volume.Volume, error) { return filter.Gradient(img, true), nil },
		"wavelet-HLH": func() (*volume.Volume, error) {
			w, err := filter.WaveletRegion(img, "coif1", 0, 1, []int{0, 1, 2}, nil)
			if err != nil {
				return nil, err
			}
			return w[4].Volume, nil // pyradiomics' order: LLH LHL LHH HLL HLH HHL HHH LLL
		},
	}
	for _, e := range Entries() {
		v, err := Apply(e, img, mask)
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		if v.Dims != img.Dims {
			t.Errorf("%s: dims %v, want %v", e.Name, v.Dims, img.Dims)
		}
		same := true
		for q, x := range v.Data {
			if e.Type != "LBP3D" && (math.IsNaN(x) || math.IsInf(x, 0)) {
				t.Errorf("%s: voxel %d is %g", e.Name, q, x)
				break
			}
			if x != img.Data[q] {
				same = false
			}
		}
		if same {
			t.Errorf("%s: the filtered image is the input", e.Name)
		}
		if f, ok := direct[e.Name]; ok {
			want, err := f()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(v.Data, want.Data) {
				t.Errorf("%s: differs from the package function called directly", e.Name)
			}
			delete(direct, e.Name)
		}
	}
	for name := range direct {
		t.Errorf("no entry %s", name)
	}
	if _, err := Apply(Entry{Name: "lbp-3D-m1", Group: PyRadiomics, Type: "LBP3D"}, img, nil); err == nil {
		t.Error("LBP3D without a mask: no error")
	}
}
