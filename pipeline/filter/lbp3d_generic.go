//go:build !(goexperiment.simd && amd64)

package filter

import "github.com/scirad/scirad/pipeline/volume"

// splineAt4 is splineAt4Scalar where there is no AVX2 code path.
func splineAt4(c []float64, s *[4]splineTaps) [4]float64 {
	return splineAt4Scalar(c, s, contig4(s))
}

// fast is false: every voxel goes through voxel.
func (r *lbp3dRun) fast(mask *volume.Volume, label int) bool { return false }

// splineLines4 is splineLines4Scalar where there is no AVX2 code path.
func splineLines4(lines, zs []float64) { splineLines4Scalar(lines, zs) }
