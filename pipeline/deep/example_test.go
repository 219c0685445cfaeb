package deep_test

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/deep"
)

// The three networks of the paper: tensors in torchvision's state_dict
// (without num_batches_tracked) with a 2-class head, and pooled features.
// torchvision 0.14 counts the same: sum(v.numel() for the state_dict of
// torchvision.models.resnet18(num_classes=2), num_batches_tracked excluded).
func ExampleArchitectures() {
	for _, a := range deep.Architectures() {
		n := 0
		for _, p := range a.Params(2) {
			size := 1
			for _, d := range p.Shape {
				size *= d
			}
			n += size
		}
		fmt.Printf("%s: %d tensors, %d values, %d features\n", a.Name, len(a.Params(2)), n, a.FeatureDim())
	}
	// Output:
	// resnet18: 102 tensors, 11187138 values, 512 features
	// resnet34: 182 tensors, 21302722 values, 512 features
	// resnet152: 777 tensors, 58299330 values, 2048 features
}

// The paper's schedule: cosine annealing from 0.01 over 50 epochs.
func ExampleCosineLR() {
	for _, e := range []int{0, 25, 49} {
		fmt.Printf("epoch %d: %.6f\n", e+1, deep.CosineLR(0.01, e, 50))
	}
	// Output:
	// epoch 1: 0.010000
	// epoch 26: 0.005000
	// epoch 50: 0.000010
}
