package featuremap

import (
	"math"
	"slices"

	"github.com/scirad/scirad/pipeline/volume"
)

// SummaryStats are the statistics Summaries takes of each map over its ROI
// voxels: mean, population standard deviation, 10th and 90th percentiles
// (numpy's linear interpolation), NaN voxels left out.
var SummaryStats = []string{"mapMean", "mapSD", "mapP10", "mapP90"}

// Summary is one map's statistics over the ROI, in SummaryStats order.
type Summary struct {
	Name   string // the map's name, {image}_{class}_{Feature}
	Values [4]float64
}

// Summaries computes the enabled maps (Each) and keeps only their summary
// statistics over the ROI voxels: a fixed number of features per map, for
// use beside the ROI's own features (scirad run can add them as radiomics
// columns {roi}_{image}_{class}_{Feature}_{stat}). A map with no finite
// voxel gives NaN statistics.
func Summaries(img, mask *volume.Volume, s Settings) ([]Summary, error) {
	label := float64(s.Label)
	if label == 0 {
		label = 1
	}
	var roi []int
	if mask != nil {
		for i, x := range mask.Data {
			if x >= label && x < label+1 {
				roi = append(roi, i)
			}
		}
	}
	var out []Summary
	var vals []float64
	err := Each(img, mask, s, func(m Map) error {
		vals = vals[:0]
		for _, i := range roi {
			if x := m.Volume.Data[i]; !math.IsNaN(x) {
				vals = append(vals, x)
			}
		}
		out = append(out, Summary{Name: m.Name(), Values: summarize(vals)})
		return nil
	})
	return out, err
}

func summarize(x []float64) [4]float64 {
	if len(x) == 0 {
		return [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean := sum / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	slices.Sort(x)
	return [4]float64{mean, math.Sqrt(ss / float64(len(x))), percentile(x, 10), percentile(x, 90)}
}
