package radiomics_test

import (
	"fmt"
	"strings"

	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/volume"
)

// pyradiomics' bin edges for a bin width of 25 over intensities 54…166:
// multiples of 25 from the one at or below the minimum, one spare edge
// above the maximum (numpy.arange(50, 166 + 2·25, 25)).
func ExampleBinEdges() {
	edges, _ := radiomics.BinEdges([]float64{54, 166, 75, 100}, 25, 0)
	fmt.Println(edges)
	// Output: [50 75 100 125 150 175 200]
}

func ExampleParseParams() {
	s, err := radiomics.ParseParams(strings.NewReader(`
setting:
  binCount: 32
  label: 2
featureClass:
  firstorder:
  glcm: [Contrast]
`))
	fmt.Println(s.BinCount, s.Label, s.EnabledClasses(), s.Features["glcm"], err)
	_, err = radiomics.ParseParams(strings.NewReader("setting:\n  binwidth: 25\n"))
	fmt.Println(err)
	// Output:
	// 32 2 [firstorder glcm] [Contrast] <nil>
	// params: line 2: setting.binwidth: unknown key
}

// A 4×4×4 cube with a linear ramp, first-order features with bin count 4.
func ExampleExtract() {
	g := volume.NewGrid([3]int{4, 4, 4}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	for i := range img.Data {
		img.Data[i] = float64(i)
		mask.Data[i] = 1
	}
	vals, err := radiomics.Extract(img, mask, radiomics.Settings{BinCount: 4, Classes: []string{"firstorder"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range vals[:4] {
		fmt.Printf("original_%s = %.6g\n", v.Key(), v.Value)
	}
	// Output:
	// original_firstorder_10Percentile = 6.3
	// original_firstorder_90Percentile = 56.7
	// original_firstorder_Energy = 85344
	// original_firstorder_Entropy = 2
}
