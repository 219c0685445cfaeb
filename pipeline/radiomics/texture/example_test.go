package texture_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/radiomics/texture"
)

// A 4×3 one-slice ROI with grey levels 1, 2 and 4 (level 3 is absent and
// removed; the formulas keep the values 1, 2, 4). The slice has no z
// extent, so GLCM uses the 4 in-plane directions. pyradiomics gives the same
// values (the "slab" case of testdata/texture/golden.json).
func ExampleGLCM() {
	im := &texture.Image{
		Dims: [3]int{4, 3, 1},
		Levels: []int32{
			1, 2, 2, 4,
			4, 4, 1, 1,
			2, 1, 4, 2,
		},
	}
	values, err := texture.GLCM(im, texture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range values {
		switch v.Name {
		case "Contrast", "JointEntropy", "MCC":
			fmt.Printf("%s %s %.6f\n", v.Key(), v.IBSI, v.Value)
		}
	}
	// Output:
	// glcm_Contrast ACUI 4.340278
	// glcm_JointEntropy TU9B 2.563722
	// glcm_MCC  0.592707
}

// All returns the 75 texture features in registry order.
func ExampleAll() {
	im := &texture.Image{Dims: [3]int{3, 1, 1}, Levels: []int32{1, 2, 2}}
	values, err := texture.All(im, texture.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(values), values[0].Key(), values[len(values)-1].Key())
	// Output:
	// 75 glcm_Autocorrelation gldm_SmallDependenceLowGrayLevelEmphasis
}
