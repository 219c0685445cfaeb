package filter

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

func ramp(n [3]int) *volume.Volume {
	v := volume.New(volume.NewGrid(n, [3]float64{1, 1, 1}))
	for i := range v.Data {
		v.Data[i] = float64(i%7) - 2
	}
	return v
}

// TestBadSettings: every bad filter setting is a one-line error naming it,
// never a panic or a NaN image.
func TestBadSettings(t *testing.T) {
	img := ramp([3]int{8, 8, 8})
	mask := volume.New(img.Grid)
	mask.Data[100] = 1
	for _, c := range []struct {
		typ  string
		p    Params
		want string
	}{
		{"LoG", Params{Sigma: []float64{0}}, "sigma"},
		{"LoG", Params{Sigma: []float64{-1}}, "sigma"},
		{"LoG", Params{Sigma: []float64{math.NaN()}}, "sigma"},
		{"LoG", Params{Sigma: []float64{math.Inf(1)}}, "sigma"},
		{"LoG", Params{Sigma: []float64{20}}, "sigma"},
		{"LoG", Params{}, "sigma"},
		{"Wavelet", Params{Wavelet: "db99"}, "wavelet"},
		{"Wavelet", Params{Level: 1000}, "level"},
		{"Wavelet", Params{StartLevel: -1}, "start_level"},
		{"Wavelet", Params{StartLevel: 1 << 40}, "start_level"},
		{"LBP2D", Params{LBP2DMethod: "var"}, "lbp2DMethod"},
		{"LBP2D", Params{LBP2DRadius: -1}, "lbp2DRadius"},
		{"LBP2D", Params{LBP2DSamples: 1000}, "lbp2DSamples"},
		{"LBP3D", Params{LBP3DLevels: 99}, "lbp3DLevels"},
		{"LBP3D", Params{LBP3DIcosphereSubdivision: 9}, "lbp3DIcosphereSubdivision"},
		{"Sobel", Params{}, "unknown image type"},
	} {
		_, err := Apply(c.typ, img, mask, c.p, Options{Label: 1})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %+v: error %v, want one line naming %s", c.typ, c.p, err, c.want)
		}
	}
	small := ramp([3]int{3, 9, 9})
	if _, err := LoG(small, 1); err == nil || !strings.Contains(err.Error(), "4 voxels") {
		t.Errorf("LoG of a 3-voxel axis: error %v", err)
	}
	zero := volume.New(img.Grid)
	for _, typ := range []string{"Square", "Logarithm", "Exponential"} {
		if _, err := Apply(typ, zero, mask, Params{}, Options{}); err == nil {
			t.Errorf("%s of an all-zero image: no error (pyradiomics divides by max|x| = 0)", typ)
		}
	}
}

// TestImagesFinite: every image type gives finite values on a small image.
func TestImagesFinite(t *testing.T) {
	img := ramp([3]int{9, 8, 7})
	mask := volume.New(img.Grid)
	for i := 2; i < 5; i++ {
		mask.Set(i, 3, 3, 1)
		mask.Set(i, 4, 3, 1)
	}
	for _, typ := range Types {
		ims, err := Apply(typ, img, mask, Params{Sigma: []float64{1, 2.5}}, Options{Label: 1})
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		for _, im := range ims {
			for idx, x := range im.Volume.Data {
				if mask.Data[idx] == 1 && (math.IsNaN(x) || math.IsInf(x, 0)) && im.Name != "lbp-3D-k" {
					t.Fatalf("%s: %s voxel %d is %g", typ, im.Name, idx, x)
				}
			}
		}
	}
}

// TestSigmaName: pyradiomics names LoG images with Python's str(sigma).
func TestSigmaName(t *testing.T) {
	for _, c := range []struct {
		s    float64
		i    bool
		want string
	}{{3, false, "log-sigma-3-0-mm-3D"}, {3, true, "log-sigma-3-mm-3D"}, {0.5, false, "log-sigma-0-5-mm-3D"}, {1.25, false, "log-sigma-1-25-mm-3D"}} {
		if got := SigmaName(c.s, c.i); got != c.want {
			t.Errorf("SigmaName(%g, %v) = %s, want %s", c.s, c.i, got, c.want)
		}
	}
}

// TestITKBitExact compares LoG (sigma 1.5 mm) and the gradient magnitude
// voxel by voxel with ITK's own filters on a 16³ crop of real MRI at 0.8 mm
// (testdata/filters/itk_crop.json, made by make_golden.py with
// itkfilters.cxx): the values must be equal to the bit, float32 rounding of
// ITK's intermediate images included.
func TestITKBitExact(t *testing.T) {
	b, err := os.ReadFile("../../testdata/filters/itk_crop.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Image    string
		CropZYX  [3][2]int  `json:"crop_zyx"`
		Spacing  [3]float64 `json:"spacing_xyz"`
		LoG      []float64  `json:"log_sigma_1_5"`
		Gradient []float64
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	full, err := volio.ReadImage(filepath.Join("../../testdata", g.Image))
	if err != nil {
		t.Fatal(err)
	}
	box := volume.Box{Min: [3]int{g.CropZYX[2][0], g.CropZYX[1][0], g.CropZYX[0][0]}, Max: [3]int{g.CropZYX[2][1], g.CropZYX[1][1], g.CropZYX[0][1]}}
	crop := full.Crop(box)
	if crop.Spacing != g.Spacing {
		t.Fatalf("spacing %v, ITK's %v", crop.Spacing, g.Spacing)
	}
	lg, err := LoG(crop, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	gr := Gradient(crop, true)
	for name, c := range map[string][2][]float64{"LoG": {lg.Data, g.LoG}, "gradient": {gr.Data, g.Gradient}} {
		n := 0
		for i := range c[1] {
			if c[0][i] != c[1][i] {
				if n < 3 {
					t.Errorf("%s voxel %d = %.9g, ITK %.9g", name, i, c[0][i], c[1][i])
				}
				n++
			}
		}
		if n > 0 {
			t.Errorf("%s: %d of %d voxels differ from ITK", name, n, len(c[1]))
		}
	}
}

// TestRegionBitExact: the region-restricted LoG and LBP2D equal the whole
// image's inside the region, to the bit.
func TestRegionBitExact(t *testing.T) {
	img := ramp([3]int{13, 11, 9})
	for i := range img.Data {
		img.Data[i] = math.Sin(float64(i)*0.37) * 100
	}
	box := volume.Box{Min: [3]int{3, 2, 4}, Max: [3]int{7, 9, 6}}
	whole, _ := LoG(img, 1.3)
	part, _ := LoGRegion(img, 1.3, &box)
	l1, _ := LBP2D(img, 1, 8, "uniform", 1)
	l2, _ := LBP2DRegion(img, 1, 8, "uniform", 1, &box)
	for _, typ := range []string{"Square", "SquareRoot", "Logarithm", "Exponential"} {
		a, _ := Apply(typ, img, nil, Params{}, Options{})
		b, _ := Apply(typ, img, nil, Params{}, Options{Region: &box})
		for k := box.Min[2]; k < box.Max[2]; k++ {
			for j := box.Min[1]; j < box.Max[1]; j++ {
				for i := box.Min[0]; i < box.Max[0]; i++ {
					if a[0].Volume.At(i, j, k) != b[0].Volume.At(i, j, k) {
						t.Fatalf("%s voxel (%d,%d,%d): %g vs %g", typ, i, j, k, a[0].Volume.At(i, j, k), b[0].Volume.At(i, j, k))
					}
				}
			}
		}
	}
	big := ramp([3]int{31, 30, 29})
	for i := range big.Data {
		big.Data[i] = math.Cos(float64(i)*0.21) * 50
	}
	wbox := volume.Box{Min: [3]int{12, 10, 9}, Max: [3]int{17, 14, 15}}
	w1, _ := Wavelet(big, "coif1", 0, 1, []int{0, 1, 2})
	w2, _ := WaveletRegion(big, "coif1", 0, 1, []int{0, 1, 2}, &wbox)
	for k := wbox.Min[2]; k < wbox.Max[2]; k++ {
		for j := wbox.Min[1]; j < wbox.Max[1]; j++ {
			for i := wbox.Min[0]; i < wbox.Max[0]; i++ {
				for b := range w1 {
					if w1[b].Volume.At(i, j, k) != w2[b].Volume.At(i, j, k) {
						t.Fatalf("%s voxel (%d,%d,%d): %g vs %g", w1[b].Name, i, j, k, w1[b].Volume.At(i, j, k), w2[b].Volume.At(i, j, k))
					}
				}
			}
		}
	}
	if w2[0].Volume.At(0, 0, 0) != 0 {
		t.Errorf("WaveletRegion computed outside the region")
	}
	for k := box.Min[2]; k < box.Max[2]; k++ {
		for j := box.Min[1]; j < box.Max[1]; j++ {
			for i := box.Min[0]; i < box.Max[0]; i++ {
				if whole.At(i, j, k) != part.At(i, j, k) || l1.At(i, j, k) != l2.At(i, j, k) {
					t.Fatalf("voxel (%d,%d,%d): LoG %g vs %g, LBP2D %g vs %g", i, j, k, whole.At(i, j, k), part.At(i, j, k), l1.At(i, j, k), l2.At(i, j, k))
				}
			}
		}
	}
}

// lbp2DRef is scikit-image's local_binary_pattern written as plainly as
// its Cython (every sample's floor, ceil and fraction per pixel) on one
// rows×cols slice: the reference for lbp2DBox's per-row and per-column
// taps (the code from the signs is lbpCode, shared).
func lbp2DRef(img []float64, rows, cols int, radius float64, samples int, method string) []float64 {
	rp, cp := make([]float64, samples), make([]float64, samples)
	for i := range samples {
		a := 2 * math.Pi * float64(i) / float64(samples)
		rp[i] = roundHalfEven(-radius*math.Sin(a), 5)
		cp[i] = roundHalfEven(radius*math.Cos(a), 5)
	}
	pix := func(r, c int) float64 {
		if r < 0 || c < 0 || r >= rows || c >= cols {
			return 0
		}
		return img[r*cols+c]
	}
	out := make([]float64, rows*cols)
	signed := make([]int, samples)
	for r := range rows {
		for c := range cols {
			centre := img[r*cols+c]
			for i := range samples {
				rr, cc := float64(r)+rp[i], float64(c)+cp[i]
				minr, minc := math.Floor(rr), math.Floor(cc)
				maxr, maxc := math.Ceil(rr), math.Ceil(cc)
				dr, dc := rr-minr, cc-minc
				tl, tr := pix(int(minr), int(minc)), pix(int(minr), int(maxc))
				bl, br := pix(int(maxr), int(minc)), pix(int(maxr), int(maxc))
				top := float64((1-dc)*tl) + float64(dc*tr)
				bottom := float64((1-dc)*bl) + float64(dc*br)
				t := float64((1-dr)*top) + float64(dr*bottom)
				signed[i] = 0
				if t-centre >= 0 {
					signed[i] = 1
				}
			}
			lbp := lbpCode(signed, method)
			out[r*cols+c] = float64(lbp)
		}
	}
	return out
}

// TestLBP2DReference: LBP2D equals lbp2DRef in every slice normal to each
// force2Ddimension, for several radii (whole and not), sample counts and
// methods, on an image with ties between neighbours.
func TestLBP2DReference(t *testing.T) {
	img := ramp([3]int{9, 7, 6})
	for i := range img.Data {
		img.Data[i] = math.Round(math.Sin(float64(i)*0.77) * 4)
	}
	n := img.Dims
	for _, radius := range []float64{1, 1.5, 2.3} {
		for _, samples := range []int{8, 5, 12} {
			for _, method := range []string{"uniform", "default", "ror"} {
				for dim := range 3 {
					got, err := LBP2D(img, radius, samples, method, dim)
					if err != nil {
						t.Fatal(err)
					}
					// axes (slice, row, col) as lbp2DBox numbers them.
					ax := [3][3]int{{2, 1, 0}, {1, 2, 0}, {0, 1, 2}}[dim]
					sl, ra, ca := ax[0], ax[1], ax[2]
					for s := range n[sl] {
						slice := make([]float64, n[ra]*n[ca])
						at := func(r, c int) int {
							var p [3]int
							p[sl], p[ra], p[ca] = s, r, c
							return img.Index(p[0], p[1], p[2])
						}
						for r := range n[ra] {
							for c := range n[ca] {
								slice[r*n[ca]+c] = img.Data[at(r, c)]
							}
						}
						want := lbp2DRef(slice, n[ra], n[ca], radius, samples, method)
						for r := range n[ra] {
							for c := range n[ca] {
								if g := got.Data[at(r, c)]; g != want[r*n[ca]+c] {
									t.Fatalf("radius %g samples %d %s dim %d slice %d (%d,%d): %v, reference %v", radius, samples, method, dim, s, r, c, g, want[r*n[ca]+c])
								}
							}
						}
					}
				}
			}
		}
	}
}
