package nrrd_test

import (
	"fmt"
	"log"

	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

// Read pyradiomics' breast1 test image.
func ExampleReadFile() {
	v, err := nrrd.ReadFile("../../../testdata/pyradiomics/breast1_image.nrrd")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Dims, v.Spacing)
	// Output:
	// [45 120 21] [0.664062 0.664062 2.1]
}

// List the segments of a 3D Slicer segmentation with overlapping layers.
// (The voxel counts agree with teem: unu slice -a 0 -p LAYER, then a
// histogram of the ASCII values.)
func ExampleReadSegmentation() {
	s, err := nrrd.ReadSegmentation("../../../testdata/volume/nrrd/slicerio/SegmentationOverlapping.seg.nrrd")
	if err != nil {
		log.Fatal(err)
	}
	for i, seg := range s.Segments[4:] {
		_, n := s.Mask(i + 4)
		fmt.Printf("%s: layer %d, label %d, %d voxels\n", seg.Name, seg.Layer, seg.Label, n)
	}
	// Output:
	// right lung: layer 0, label 5, 34450 voxels
	// left lung: layer 0, label 6, 33700 voxels
	// tissue: layer 0, label 7, 154589 voxels
	// overlapping sphere: layer 1, label 1, 19139 voxels
}
