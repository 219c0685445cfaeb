package volume

import (
	"errors"
	"math"
)

// The one slice geometry scirad uses: the deep-learning stage takes its 2-D
// input from it, and the notebooks' slice views and the browser demo draw
// the same slice, so every front end shows a patient on the same plane.
//
//   - SagittalAxis: the voxel axis held fixed is the one whose direction is
//     closest to left–right (the x axis of LPS), whatever the voxel layout:
//     a sagittal T2 series is a stack of such slices.
//   - LargestROISlice: along that axis, the slice with the most voxels of the
//     two ROIs (labels 1 and 2), the lowest index on ties.
//   - Plane: the slice's samples, columns along the lower remaining axis and
//     rows along the higher one.

// SliceAxis returns axis when it is 0, 1 or 2, and SagittalAxis(g)
// otherwise (pass −1 for the automatic choice).
func SliceAxis(g Grid, axis int) int {
	if axis >= 0 && axis <= 2 {
		return axis
	}
	return SagittalAxis(g)
}

// SagittalAxis returns the voxel axis whose direction has the largest
// left–right (LPS x) component, the lowest axis on ties.
func SagittalAxis(g Grid) int {
	best := 0
	for c := 1; c < 3; c++ {
		if math.Abs(g.Direction[c]) > math.Abs(g.Direction[best]) {
			best = c
		}
	}
	return best
}

// LargestROISlice returns the index along axis of the slice of mask with the
// most voxels labelled 1 or 2 (the lesion and the rest of the cord), the
// lowest index on ties. An ROI empty on every slice is an error.
func LargestROISlice(mask *Volume, axis int) (int, error) {
	if axis < 0 || axis > 2 {
		return 0, errors.New("volume: slice axis must be 0, 1 or 2")
	}
	count := make([]int, mask.Dims[axis])
	for idx, v := range mask.Data {
		if v != 1 && v != 2 {
			continue
		}
		i, j, k := mask.Coords(idx)
		count[[3]int{i, j, k}[axis]]++
	}
	best := 0
	for s, c := range count {
		if c > count[best] {
			best = s
		}
	}
	if len(count) == 0 || count[best] == 0 {
		return 0, errors.New("volume: mask has no voxel labelled 1 or 2 on any slice")
	}
	return best, nil
}

// PlaneAxes returns the in-plane axes of a slice along axis: columns run
// along col, rows along row (col < row).
func PlaneAxes(axis int) (col, row int) {
	switch axis {
	case 0:
		return 1, 2
	case 1:
		return 0, 2
	}
	return 0, 1
}

// Plane returns slice s of v along axis as a row-major W×H image: column c,
// row r is the voxel at c along the lower remaining axis and r along the
// higher one (for k slices: columns i, rows j).
func (v *Volume) Plane(axis, s int) (w, h int, data []float64) {
	ca, ra := PlaneAxes(axis)
	w, h = v.Dims[ca], v.Dims[ra]
	data = make([]float64, w*h)
	var ijk [3]int
	ijk[axis] = s
	for r := range h {
		for c := range w {
			ijk[ra], ijk[ca] = r, c
			data[r*w+c] = v.At(ijk[0], ijk[1], ijk[2])
		}
	}
	return w, h, data
}
