package nifti_test

import (
	"fmt"
	"log"

	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// Read the IBSI digital phantom and print its grid and one voxel.
func ExampleReadFile() {
	v, err := nifti.ReadFile("../../../testdata/ibsi1/ibsi_1_digital_phantom/nifti/image/phantom.nii.gz")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Dims, v.Spacing)
	fmt.Println(v.At(2, 2, 2))
	// Output:
	// [5 4 4] [2 2 2]
	// 9
}

// The header alone: version, datatype and the xform codes.
func ExampleReadHeaderFile() {
	h, err := nifti.ReadHeaderFile("../../../testdata/spine/sct_testing_data/t2/t2.nii.gz")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Version, h.Datatype, h.Dims(), h.QformCode, h.SformCode, h.Pixdim[0])
	// Output:
	// 1 int16 [60 55 52] 2 1 -1
}
