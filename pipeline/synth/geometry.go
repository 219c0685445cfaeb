package synth

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/volume"
)

// Size selects the voxel grid of the synthetic scans.
type Size int

const (
	// Small is the grid of the quick profile: 64 (AP) × 112 (SI) voxels of
	// 1.2 mm in-plane, 8–12 sagittal slices 4 mm apart (77 × 134 mm field
	// of view: skull base to about C7). About 70 000
	// voxels, so radiomics of five filtered images × two ROIs and three
	// small ResNets for 82 patients run in minutes on two cores.
	Small Size = iota
	// Paper is the paper's grid: 256 (AP) × 512 (SI) voxels of 0.46875 mm
	// (120 × 240 mm), 12–16 sagittal slices 4 mm apart (3 mm slices with a
	// 1 mm gap), about 2.1 million voxels.
	Paper
)

// ParseSize reads "small" or "paper".
func ParseSize(s string) (Size, error) {
	switch s {
	case "small":
		return Small, nil
	case "paper":
		return Paper, nil
	}
	return 0, fmt.Errorf("unknown size %q (want small or paper)", s)
}

func (s Size) String() string {
	if s == Paper {
		return "paper"
	}
	return "small"
}

// geometry is the acquisition grid of a Size.
type geometry struct {
	nAP, nSI         int     // in-plane voxels
	pixel            float64 // in-plane spacing, mm
	minSlices, maxSl int     // slice count range (inclusive)
	sliceGap         float64 // slice spacing, mm (thickness + gap)
	thickness        float64 // slice thickness, mm
	subInPlane       int     // in-plane subsamples per axis for partial volume
	skull            float64 // mm of field of view above the foramen magnum
}

func (s Size) geometry() geometry {
	if s == Paper {
		return geometry{nAP: 256, nSI: 512, pixel: 240.0 / 512, minSlices: 12, maxSl: 16,
			sliceGap: 4, thickness: 3, subInPlane: 1, skull: 30}
	}
	return geometry{nAP: 64, nSI: 112, pixel: 1.2, minSlices: 8, maxSl: 12,
		sliceGap: 4, thickness: 3, subInPlane: 2, skull: 15}
}

// PSR is the direction matrix of scirad's synthetic scans, the layout of
// sagittal clinical T2 series (and of SCT's test data): voxel axis i runs
// toward posterior, j toward superior, k toward the patient's right. In
// LPS coordinates those are +y, +z and −x.
var PSR = [9]float64{
	0, 0, -1,
	1, 0, 0,
	0, 1, 0,
}

// grid is the voxel grid of a scan with nk slices. Physical coordinates
// put the foramen magnum at z = 0 and the volume's centre slice at x = 0.
func (g geometry) grid(nk int, vFM float64) volume.Grid {
	gr := volume.NewGrid([3]int{g.nAP, g.nSI, nk}, [3]float64{g.pixel, g.pixel, g.sliceGap})
	gr.Direction = PSR
	half := float64(nk-1) / 2 * g.sliceGap
	// voxel (0,0,0): u = 0 (anterior edge), v = 0 (inferior edge), w = −half (left).
	gr.Origin = [3]float64{half, -float64(g.nAP) * g.pixel / 2, -vFM}
	return gr
}
