package texture

import "math"

// KernelGLCM computes the 24 GLCM features of one kernel of a voxel-based
// feature map (package featuremap) into dst, in Registry order, as
// pyradiomics' voxel-based extraction does. im is the kernel's box with
// the ROI's grey levels; what differs from GLCM is that pyradiomics keeps
// the whole ROI's grey levels in every kernel's matrix:
//
//   - ng, the ROI's largest level, is the Ng of Idmn and Idn;
//   - roiLevels is the number of levels in the ROI: a kernel with a single
//     level of a ROI with several has MCC 0 (the other eigenvalues of Q are
//     the zero rows'), and MCC is 1 only when the ROI itself is flat.
//
// It returns the directions that hold a pair ({0,0,0} for the merged
// matrix under Options.Weighting), which the caller needs for pyradiomics'
// per-batch MCC rule.
func KernelGLCM(im *Image, o Options, ng, roiLevels int, dst []float64) ([][3]int, error) {
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
	c := newGLCMCoef(m.Levels, max(ng, maxLevel(m.Levels)))
	var kept [][3]int
	for a, p := range m.P {
		if math.IsNaN(p[0]) {
			continue // no pair at all (merged matrix)
		}
		if m.Angles != nil {
			kept = append(kept, m.Angles[a])
		} else {
			kept = append(kept, [3]int{})
		}
		c.set(p)
		for k, f := range fs {
			v := 0.0
			if f.def.Name != "MCC" || c.nl >= 2 || roiLevels < 2 {
				v = f.fn(c)
			}
			means[k].add(v)
		}
	}
	for k := range means {
		dst[k] = means[k].value()
	}
	return kept, nil
}
