package ibsi

import (
	"math"

	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/volume"
)

// peakRadius is the radius (mm) of a 1 cm³ sphere, the neighbourhood of the
// local intensity peak (IBSI 3.2).
var peakRadius = math.Cbrt(3/(4*math.Pi)) * 10

// NonTexture returns the morph_, loc_, stat_, ih_ and ivh_ features of p
// and the diagnostic img_/vox_/int_mask_/morph_mask_ features of its
// processing, with the tags of IBSI's reference files. A feature that
// cannot be computed (e.g. a flat ROI) is NaN; morphology that fails is
// left out.
func NonTexture(cfg Config, p *Prepared) map[string]float64 {
	out := map[string]float64{}
	for k, v := range p.Diagnostics {
		out[k] = v
	}
	_ = morphology(p, out)
	localIntensity(p, out)
	levels, ng := p.Discretise(cfg)
	statistics(p, "stat_", p.Image, levels, ng, out)
	lv := make([]float64, len(levels))
	for i, l := range levels {
		lv[i] = float64(l)
	}
	statistics(p, "ih_", lv, levels, ng, out)
	histogram(p, levels, ng, out)
	ivh(cfg, p, out)
	return out
}

// Statistics returns only the stat_ features of p: what IBSI chapter 2's
// phase 2 compares for each filter response, without the morphology,
// local-intensity, histogram and IVH work of NonTexture.
func Statistics(cfg Config, p *Prepared) map[string]float64 {
	out := map[string]float64{}
	levels, ng := p.Discretise(cfg)
	statistics(p, "stat_", p.Image, levels, ng, out)
	return out
}

// localIntensity adds loc_peak_loc (the mean over the 1 cm³ sphere around
// the voxel of highest intensity; the largest such mean if several share
// it) and loc_peak_glob (the largest sphere mean over the ROI). The sphere
// holds the voxels, in or out of the ROI, whose centres are within
// peakRadius; voxels beyond the image are left out of the mean.
func localIntensity(p *Prepared, out map[string]float64) {
	var offs [][3]int
	var r [3]int
	for a := range 3 {
		r[a] = int(math.Floor(peakRadius / p.Spacing[a]))
	}
	for k := -r[2]; k <= r[2]; k++ {
		for j := -r[1]; j <= r[1]; j++ {
			for i := -r[0]; i <= r[0]; i++ {
				dx, dy, dz := float64(i)*p.Spacing[0], float64(j)*p.Spacing[1], float64(k)*p.Spacing[2]
				if math.Sqrt(dx*dx+dy*dy+dz*dz) <= peakRadius {
					offs = append(offs, [3]int{i, j, k})
				}
			}
		}
	}
	maxI := math.Inf(-1)
	for idx, in := range p.IntMask {
		if in {
			maxI = max(maxI, p.Image[idx])
		}
	}
	loc, glob := math.Inf(-1), math.Inf(-1)
	for idx, in := range p.IntMask {
		if !in {
			continue
		}
		i, j, k := idx%p.NX, (idx/p.NX)%p.NY, idx/(p.NX*p.NY)
		var s float64
		var n int
		for _, o := range offs {
			x, y, z := i+o[0], j+o[1], k+o[2]
			if x < 0 || y < 0 || z < 0 || x >= p.NX || y >= p.NY || z >= p.NZ {
				continue
			}
			s += p.Image[x+p.NX*(y+p.NY*z)]
			n++
		}
		m := s / float64(n)
		glob = max(glob, m)
		if p.Image[idx] == maxI {
			loc = max(loc, m)
		}
	}
	out["loc_peak_loc"] = loc
	out["loc_peak_glob"] = glob
}

// statistics adds the statistical features of values over the intensity
// mask, with prefix "stat_" (intensities) or "ih_" (grey levels), from
// radiomics.FirstOrder (the same definitions: population moments, numpy's
// linear percentiles, Kurtosis not excess) plus what IBSI adds: median
// absolute deviation, coefficient of variation and quartile coefficient of
// dispersion. Entropy and uniformity are ih_ features only.
func statistics(p *Prepared, prefix string, values []float64, levels []int32, ng int, out map[string]float64) {
	g := volume.NewGrid([3]int{p.NX, p.NY, p.NZ}, p.Spacing)
	img := volume.New(g)
	copy(img.Data, values)
	n := 0
	for _, in := range p.IntMask {
		if in {
			n++
		}
	}
	roi := &radiomics.ROI{Image: img, Mask: p.IntMask, N: n}
	d := &radiomics.Discretized{Dims: g.Dims, Spacing: p.Spacing, Levels: levels, Ng: ng, ROI: roi}
	fo, err := radiomics.FirstOrder(d, radiomics.Settings{})
	if err != nil {
		return
	}
	f := map[string]float64{}
	for _, v := range fo {
		f[v.Def.Name] = v.Value
	}
	names := map[string]string{
		"mean": "Mean", "var": "Variance", "skew": "Skewness", "median": "Median", "min": "Minimum",
		"p10": "10Percentile", "p90": "90Percentile", "max": "Maximum", "iqr": "InterquartileRange",
		"range": "Range", "mad": "MeanAbsoluteDeviation", "rmad": "RobustMeanAbsoluteDeviation",
	}
	for tag, name := range names {
		out[prefix+tag] = f[name]
	}
	out[prefix+"kurt"] = f["Kurtosis"] - 3
	if f["Variance"] == 0 {
		out[prefix+"kurt"] = 0
	}
	x := roi.Values()
	med := f["Median"]
	var medad float64
	for _, v := range x {
		medad += math.Abs(v - med)
	}
	out[prefix+"medad"] = medad / float64(len(x))
	out[prefix+"cov"] = math.Sqrt(f["Variance"]) / f["Mean"]
	q1, q3 := preprocess.Percentiles(x, 25, 75)
	out[prefix+"qcod"] = (q3 - q1) / (q3 + q1)
	if prefix == "stat_" {
		out["stat_energy"] = f["Energy"]
		out["stat_rms"] = f["RootMeanSquared"]
	} else {
		out["ih_entropy"] = f["Entropy"]
		out["ih_uniformity"] = f["Uniformity"]
	}
}

// histogram adds ih_mode and the histogram-gradient features: the counts
// H(1..ng), their gradient (central differences, one-sided at the ends),
// its largest and smallest value and the grey level of each (the first one
// on ties).
func histogram(p *Prepared, levels []int32, ng int, out map[string]float64) {
	h := make([]float64, ng+2)
	for i, in := range p.IntMask {
		if in {
			h[levels[i]]++
		}
	}
	mode := 1
	for l := 1; l <= ng; l++ {
		if h[l] > h[mode] {
			mode = l
		}
	}
	out["ih_mode"] = float64(mode)
	grad := func(l int) float64 {
		switch {
		case ng == 1:
			return 0
		case l == 1:
			return h[2] - h[1]
		case l == ng:
			return h[ng] - h[ng-1]
		}
		return (h[l+1] - h[l-1]) / 2
	}
	gmax, gmin := math.Inf(-1), math.Inf(1)
	var lmax, lmin int
	for l := 1; l <= ng; l++ {
		g := grad(l)
		if g > gmax {
			gmax, lmax = g, l
		}
		if g < gmin {
			gmin, lmin = g, l
		}
	}
	out["ih_max_grad"], out["ih_max_grad_g"] = gmax, float64(lmax)
	out["ih_min_grad"], out["ih_min_grad_g"] = gmin, float64(lmin)
}

// maxIVHBins bounds the intensity-volume histogram (beyond it, e.g. raw
// floating-point intensities over a huge range, the IVH features are NaN).
const maxIVHBins = 1 << 24

// ivh adds the intensity-volume histogram features (IBSI 3.5) under
// cfg.IVH: without discretisation the (integer) intensities from the range's
// lower bound (else the ROI minimum) to its upper bound (else the ROI
// maximum) in steps of 1; with FBS the bin centres from the range's lower
// bound; with FBN the bin numbers 1..Bins. ν(x) is the fraction of the ROI
// with intensity ≥ x and γ the intensity fraction (x − x_min)/(x_max − x_min)
// over the histogram's values.
func ivh(cfg Config, p *Prepared, out map[string]float64) {
	var x []float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, in := range p.IntMask {
		if in {
			x = append(x, p.Image[i])
			lo, hi = min(lo, p.Image[i]), max(hi, p.Image[i])
		}
	}
	rlo, rhi := lo, hi
	if !math.IsNaN(cfg.Range[0]) {
		rlo = cfg.Range[0]
	}
	if !math.IsNaN(cfg.Range[1]) {
		rhi = cfg.Range[1]
	}
	var nb float64 // number of histogram values
	switch cfg.IVH.Method {
	case DiscFBS:
		nb = math.Ceil((rhi-rlo)/cfg.IVH.Width) + 1
	case DiscFBN:
		nb = float64(cfg.IVH.Bins)
	default:
		nb = math.Round(rhi) - math.Round(rlo) + 1
	}
	if !(nb >= 1 && nb <= maxIVHBins) {
		for _, tag := range []string{"ivh_v10", "ivh_v90", "ivh_i10", "ivh_i90", "ivh_diff_v10_v90", "ivh_diff_i10_i90"} {
			out[tag] = math.NaN()
		}
		return
	}
	var vals []float64 // the histogram's intensities, ascending
	var bin func(v float64) int
	var next float64 // the intensity after the last one
	switch cfg.IVH.Method {
	case DiscFBS:
		w := cfg.IVH.Width
		nb := int(math.Ceil((rhi-rlo)/w)) + 1
		for b := 1; b <= nb; b++ {
			vals = append(vals, rlo+(float64(b)-0.5)*w)
		}
		bin = func(v float64) int { return max(int(math.Floor((v-rlo)/w)), 0) }
		next = vals[nb-1] + w
	case DiscFBN:
		nb := cfg.IVH.Bins
		for b := 1; b <= nb; b++ {
			vals = append(vals, float64(b))
		}
		bin = func(v float64) int {
			b := int(math.Floor(float64(nb)*(v-lo)/(hi-lo))) + 1
			return min(max(b, 1), nb) - 1
		}
		next = float64(nb + 1)
	default:
		rlo, rhi = math.Round(rlo), math.Round(rhi)
		for v := rlo; v <= rhi; v++ {
			vals = append(vals, v)
		}
		bin = func(v float64) int { return int(math.Round(v - rlo)) }
		next = rhi + 1
	}
	counts := make([]float64, len(vals))
	for _, v := range x {
		b := bin(v)
		if b >= 0 && b < len(counts) {
			counts[b]++
		}
	}
	n := float64(len(x))
	nu := make([]float64, len(vals)) // fraction of voxels with value ≥ vals[i]
	below := 0.0
	for i := range vals {
		nu[i] = 1 - below/n
		below += counts[i]
	}
	gLo, gHi := vals[0], vals[len(vals)-1]
	gamma := func(i int) float64 { return (vals[i] - gLo) / (gHi - gLo) }
	vAt := func(frac float64) float64 { // largest ν among γ ≥ frac
		best := math.NaN()
		for i := range vals {
			if gamma(i) >= frac && (math.IsNaN(best) || nu[i] > best) {
				best = nu[i]
			}
		}
		return best
	}
	iAt := func(frac float64) float64 { // smallest intensity with ν ≤ frac
		for i := range vals {
			if nu[i] <= frac {
				return vals[i]
			}
		}
		return next
	}
	out["ivh_v10"], out["ivh_v90"] = vAt(0.1), vAt(0.9)
	out["ivh_i10"], out["ivh_i90"] = iAt(0.1), iAt(0.9)
	out["ivh_diff_v10_v90"] = out["ivh_v10"] - out["ivh_v90"]
	out["ivh_diff_i10_i90"] = out["ivh_i10"] - out["ivh_i90"]
}
