//go:build !js

package main

import (
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volume"
)

// The sagittal view holds the left–right axis fixed, puts superior at the
// top and anterior on the left whatever the voxel layout, and shows the
// slice with the most ROI voxels.
func TestSagittal(t *testing.T) {
	for _, c := range []struct {
		name string
		dir  [9]float64
		dims [3]int
		// voxel (i,j,k) of the marker: most superior and most anterior on
		// the lesion's slice; lr is the left-right axis.
		marker [3]int
		lr     int
	}{
		// Identity (LPS): i → left, j → posterior, k → superior.
		{"identity", volume.Identity, [3]int{5, 4, 6}, [3]int{2, 0, 5}, 0},
		// synth's PSR: i → posterior, j → superior, k → right.
		{"PSR", synth.PSR, [3]int{4, 6, 5}, [3]int{0, 5, 2}, 2},
	} {
		img := &volume.Volume{Grid: volume.NewGrid(c.dims, [3]float64{1, 2, 3})}
		img.Direction = c.dir
		img.Data = make([]float64, c.dims[0]*c.dims[1]*c.dims[2])
		mask := &volume.Volume{Grid: img.Grid, Data: make([]float64, len(img.Data))}
		img.Data[img.Index(c.marker[0], c.marker[1], c.marker[2])] = 100
		// A lesion voxel on the marker's slice, and cord voxels elsewhere.
		lesion := c.marker
		lesion[(c.lr+1)%3] = 1
		if lesion == c.marker {
			lesion[(c.lr+2)%3] = 1
		}
		mask.Data[mask.Index(lesion[0], lesion[1], lesion[2])] = 1
		// Two cord voxels on the marker's slice, one on another slice.
		for _, q := range []int{1, 2} {
			cord := c.marker
			cord[(c.lr+1)%3], cord[(c.lr+2)%3] = q, q
			mask.Data[mask.Index(cord[0], cord[1], cord[2])] = 2
		}
		mask.Data[mask.Len()-1] = 2
		s := sagittal(img, mask)
		if s.Axis != c.lr || s.Index != c.marker[c.lr] || s.Lesion != 1 {
			t.Errorf("%s: axis %d slice %d lesion pixels %d; want %d, %d, 1", c.name, s.Axis, s.Index, s.Lesion, c.lr, c.marker[c.lr])
		}
		if s.RGBA[0] != 255 || s.RGBA[1] != 255 || s.RGBA[3] != 255 {
			t.Errorf("%s: top-left pixel %v, want the white marker (superior, anterior)", c.name, s.RGBA[:4])
		}
		if n := 4 * s.Width * s.Height; len(s.RGBA) != n {
			t.Errorf("%s: %d bytes for %d×%d", c.name, len(s.RGBA), s.Width, s.Height)
		}
		// Without a mask (or with one on another grid) there is no overlay
		// and the middle slice is shown.
		other := &volume.Volume{Grid: volume.NewGrid([3]int{2, 2, 2}, [3]float64{1, 1, 1}), Data: make([]float64, 8)}
		if s := sagittal(img, other); s.Lesion != 0 || s.Index != c.dims[c.lr]/2 {
			t.Errorf("%s: mask on another grid: slice %d, lesion %d", c.name, s.Index, s.Lesion)
		}
	}
}
