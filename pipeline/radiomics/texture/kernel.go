package texture

import "math"

// KernelGLCM computes the GLCM features of one kernel of a voxel-based
// feature map (package featuremap) into dst (24 values, Registry order), as
// pyradiomics' voxel-based extraction does. im is the kernel's box with
// the ROI's grey levels; what differs from GLCM is that pyradiomics keeps
// the whole ROI's grey levels in every kernel's matrix:
//
//   - ng, the ROI's largest level, is the Ng of Idmn and Idn;
//   - roiLevels is the number of levels in the ROI: a kernel with a single
//     level of a ROI with several has MCC 0 (the other eigenvalues of Q are
//     the zero rows'), and MCC is 1 only when the ROI itself is flat.
//
// Features whose want is false (want nil: all) are not computed and are
// NaN in dst. It returns the kernel's matrix: its Angles are the directions
// that hold a pair (nil for the merged matrix under Options.Weighting, whose
// P is NaN when it has no pair), which the caller needs for pyradiomics'
// per-batch rules.
func KernelGLCM(im *Image, o Options, ng, roiLevels int, want []bool, dst []float64) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	m, err := glcmMatrix(pr, &o)
	if err != nil {
		return nil, err
	}
	fs := glcmFeatures()
	means := make([]nanMean, len(fs))
	any := false
	for k := range fs {
		any = any || want == nil || want[k]
	}
	c := newGLCMCoef(m.Levels, max(ng, maxLevel(m.Levels)))
	for _, p := range m.P {
		if math.IsNaN(p[0]) || !any {
			continue
		}
		c.set(p)
		for k, f := range fs {
			if want != nil && !want[k] {
				continue
			}
			v := 0.0
			if f.def.Name != "MCC" || c.nl >= 2 || roiLevels < 2 {
				v = f.fn(c)
			}
			means[k].add(v)
		}
	}
	for k := range means {
		dst[k] = means[k].value() // NaN when not wanted
	}
	return m, nil
}
