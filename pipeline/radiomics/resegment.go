package radiomics

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/scirad/scirad/pipeline/volume"
)

// resegment is pyradiomics' resegmentMask (resegmentRange, resegmentMode)
// applied to a checked ROI of img: the thresholds come from the ROI's
// intensities (absolute; relative: × the ROI's maximum; sigma: mean + t·SD,
// the population SD as numpy.std), the lower one keeps voxels ≥ it, the
// upper one voxels ≤ it, and the result is checked again as the extractor
// does (checkMask). It returns the re-segmented ROI, for every class but
// shape, and the ROI for shape: with ResegmentShape the re-segmented one,
// else the original mask cropped to the re-segmented ROI's bounding box,
// which is what pyradiomics' computeShape is given.
func resegment(img *volume.Volume, roi *ROI, s Settings) (feat, shapeROI *ROI, err error) {
	x := roi.Values()
	th := slices.Clone(s.ResegmentRange)
	slices.Sort(th)
	switch s.ResegmentMode {
	case "relative":
		top := slices.Max(x)
		for i := range th {
			th[i] *= top
		}
	case "sigma":
		mean, sd := stat.PopMeanStdDev(x, nil)
		for i := range th {
			th[i] = mean + sd*th[i]
		}
	}
	rm := volume.New(img.Grid)
	label := float64(s.label())
	sz := roi.Box.Size()
	kept := 0
	for k := range sz[2] {
		for j := range sz[1] {
			for i := range sz[0] {
				idx := roi.Image.Index(i, j, k)
				v := roi.Image.Data[idx]
				if !roi.Mask[idx] || v < th[0] || (len(th) == 2 && v > th[1]) {
					continue
				}
				rm.Set(roi.Box.Min[0]+i, roi.Box.Min[1]+j, roi.Box.Min[2]+k, label)
				kept++
			}
		}
	}
	if kept <= 1 {
		return nil, nil, fmt.Errorf("radiomics: %w: resegmentRange %v (mode %s, thresholds %v) keeps %d voxel(s) of label %d: features cannot be computed",
			ErrROI, s.ResegmentRange, s.resegmentMode(), th, kept, s.label())
	}
	feat, err = PrepareROI(img, rm, s)
	if err != nil {
		return nil, nil, fmt.Errorf("radiomics: after resegmentation: %w", err)
	}
	if s.ResegmentShape {
		return feat, feat, nil
	}
	shapeROI = &ROI{Image: feat.Image, Mask: make([]bool, len(feat.Mask)), Box: feat.Box}
	fs := feat.Box.Size()
	for k := range fs[2] {
		for j := range fs[1] {
			for i := range fs[0] {
				src := roi.Image.Index(feat.Box.Min[0]-roi.Box.Min[0]+i, feat.Box.Min[1]-roi.Box.Min[1]+j, feat.Box.Min[2]-roi.Box.Min[2]+k)
				if roi.Mask[src] {
					shapeROI.Mask[feat.Image.Index(i, j, k)] = true
					shapeROI.N++
				}
			}
		}
	}
	return feat, shapeROI, nil
}

func (s Settings) resegmentMode() string {
	if s.ResegmentMode == "" {
		return "absolute"
	}
	return s.ResegmentMode
}
