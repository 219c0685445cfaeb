package ibsi

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/scirad/scirad/pipeline/volume"
)

// Prepared is one ROI after IBSI's processing chain (interpolation,
// intensity rounding, mask interpolation with a partial-volume threshold,
// re-segmentation), cropped to the morphological mask's bounding box plus a
// margin that holds the 1 cm³ sphere of the local-intensity features.
type Prepared struct {
	NX, NY, NZ int
	Spacing    [3]float64
	Image      []float64 // intensities after interpolation (and rounding where the config says)
	IntMask    []bool    // intensity mask (after re-segmentation)
	MorphMask  []bool    // morphological mask (before re-segmentation)
	// Diagnostics are IBSI's diagnostic features of the processing chain
	// (img_dim_x_init_img, int_mask_vox_count_reseg_roi, …), named as in
	// the reference files.
	Diagnostics map[string]float64
}

// Prepare runs configuration cfg on an image and its mask (same grid; mask
// voxels ≥ 0.5 are the ROI).
func Prepare(cfg Config, img, mask *volume.Volume) (*Prepared, error) {
	if img == nil || mask == nil {
		return nil, errors.New("ibsi: nil image or mask")
	}
	if err := img.Grid.SameGrid(mask.Grid, volume.DefaultTolerance); err != nil {
		return nil, fmt.Errorf("ibsi: image and mask: %w", err)
	}
	if len(img.Data) != img.Len() || len(mask.Data) != mask.Len() {
		return nil, errors.New("ibsi: volume data length does not match its dims")
	}
	if err := img.CheckFinite(); err != nil {
		return nil, fmt.Errorf("ibsi: image: %w", err)
	}
	dims, sp := img.Dims, img.Spacing
	diag := map[string]float64{}
	roi := make([]bool, len(mask.Data))
	for i, v := range mask.Data {
		roi[i] = v >= 0.5
	}
	imageDiagnostics(diag, "init", dims, sp, img.Data)
	maskDiagnostics(diag, "init", dims, img.Data, roi, roi)

	data := img.Data
	if cfg.Interpolate {
		newSp := cfg.Spacing
		if cfg.Slice2D {
			newSp[2] = sp[2]
		}
		var newDims [3]int
		var pos [3][]float64
		for a := range 3 {
			newDims[a], pos[a] = samplePositions(dims[a], sp[a], newSp[a])
		}
		data = resample(data, dims, pos, cfg.Spline, false)
		if cfg.RoundIntensity {
			for i, v := range data {
				data[i] = math.RoundToEven(v)
			}
		}
		fm := make([]float64, len(roi))
		for i, in := range roi {
			if in {
				fm[i] = 1
			}
		}
		fm = resample(fm, dims, pos, 1, true)
		roi = make([]bool, len(fm))
		for i, v := range fm {
			roi[i] = math.Round(v*1e6)/1e6 >= cfg.MaskThreshold
		}
		dims, sp = newDims, newSp
	}
	imageDiagnostics(diag, "interp", dims, sp, data)
	maskDiagnostics(diag, "interp", dims, data, roi, roi)

	morph := roi
	intMask := resegment(cfg, data, roi)
	maskDiagnostics(diag, "reseg", dims, data, intMask, morph)

	box, n := boundingBox(morph, dims)
	if n == 0 {
		return nil, errors.New("ibsi: the ROI is empty after interpolation")
	}
	if c, _ := boundingBox(intMask, dims); c.Empty() {
		return nil, errors.New("ibsi: the ROI is empty after re-segmentation")
	}
	for a := range 3 {
		m := int(math.Ceil(peakRadius/sp[a])) + 1
		box.Min[a] = max(0, box.Min[a]-m)
		box.Max[a] = min(dims[a], box.Max[a]+m)
	}
	sz := box.Size()
	p := &Prepared{NX: sz[0], NY: sz[1], NZ: sz[2], Spacing: sp, Diagnostics: diag}
	total := sz[0] * sz[1] * sz[2]
	p.Image, p.IntMask, p.MorphMask = make([]float64, total), make([]bool, total), make([]bool, total)
	for k := range sz[2] {
		for j := range sz[1] {
			src := box.Min[0] + dims[0]*(box.Min[1]+j+dims[1]*(box.Min[2]+k))
			dst := sz[0] * (j + sz[1]*k)
			copy(p.Image[dst:dst+sz[0]], data[src:src+sz[0]])
			copy(p.IntMask[dst:dst+sz[0]], intMask[src:src+sz[0]])
			copy(p.MorphMask[dst:dst+sz[0]], morph[src:src+sz[0]])
		}
	}
	return p, nil
}

// resegment returns the intensity mask: the ROI voxels within the range and
// within mean ± OutlierSigma·SD (population SD over the ROI).
func resegment(cfg Config, data []float64, roi []bool) []bool {
	lo, hi := cfg.Range[0], cfg.Range[1]
	if cfg.OutlierSigma > 0 {
		var x []float64
		for i, in := range roi {
			if in {
				x = append(x, data[i])
			}
		}
		mean, sd := stat.PopMeanStdDev(x, nil)
		olo, ohi := mean-cfg.OutlierSigma*sd, mean+cfg.OutlierSigma*sd
		if math.IsNaN(lo) || olo > lo {
			lo = olo
		}
		if math.IsNaN(hi) || ohi < hi {
			hi = ohi
		}
	}
	out := make([]bool, len(roi))
	for i, in := range roi {
		x := data[i]
		out[i] = in && !(x < lo) && !(x > hi) // NaN bounds compare false
	}
	return out
}

// samplePositions returns the new number of voxels along an axis and the
// positions of the new voxel centres in old voxel indices: ⌈n s/s'⌉ voxels,
// spaced s'/s, centred on the old grid's centre.
func samplePositions(n int, s, s2 float64) (int, []float64) {
	m := int(math.Ceil(float64(n) * s / s2))
	step := s2 / s
	origin := 0.5*float64(n-1) - 0.5*float64(m-1)*step
	pos := make([]float64, m)
	for i := range pos {
		pos[i] = origin + float64(i)*step
	}
	return m, pos
}

// tap is one interpolation weight on one source index.
type tap struct {
	idx int
	w   float64
}

// resample interpolates a volume (x fastest) at the tensor grid of
// positions pos (old voxel indices per axis), separably, axis by axis:
// order 1 is linear, order 3 a cubic B-spline on prefiltered coefficients
// (an interpolating spline). zeroOutside gives 0 at positions beyond the
// first or last voxel centre (the mask; scipy's mode "constant"); otherwise
// the nearest voxel extends the volume (scipy's "nearest").
func resample(data []float64, dims [3]int, pos [3][]float64, order int, zeroOutside bool) []float64 {
	cur, cd := data, dims
	for a := range 3 {
		in, n := cur, cd[a]
		pad := 0
		if order == 3 {
			// Spline coefficients of the volume extended by its edge
			// values, so that the prefilter's boundary does not matter.
			pad = 12
			in, cd = padAxis(in, cd, a, pad)
			prefilterAxis(in, cd, a)
			n = cd[a]
		}
		taps := make([][]tap, len(pos[a]))
		for i, x := range pos[a] {
			taps[i] = weights(x+float64(pad), n, order, zeroOutside)
		}
		cur, cd = applyAxis(in, cd, a, taps)
	}
	return cur
}

// weights returns the taps of position x on an axis of n samples.
func weights(x float64, n, order int, zeroOutside bool) []tap {
	var t []tap
	add := func(i int, w float64) {
		if i < 0 || i >= n {
			if zeroOutside {
				return
			}
			i = min(max(i, 0), n-1)
		}
		t = append(t, tap{i, w})
	}
	if zeroOutside && (x < 0 || x > float64(n-1)) {
		// scipy's mode "constant": no interpolation beyond the edges.
		return nil
	}
	f := math.Floor(x)
	d := x - f
	i0 := int(f)
	if order == 3 {
		// Cubic B-spline weights for samples i0−1 … i0+2.
		w0 := (1 - d) * (1 - d) * (1 - d) / 6
		w1 := (3*d*d*d - 6*d*d + 4) / 6
		w2 := (-3*d*d*d + 3*d*d + 3*d + 1) / 6
		w3 := d * d * d / 6
		add(i0-1, w0)
		add(i0, w1)
		add(i0+1, w2)
		add(i0+2, w3)
		return t
	}
	add(i0, 1-d)
	add(i0+1, d)
	return t
}

// applyAxis resamples along axis a with per-output taps.
func applyAxis(in []float64, dims [3]int, a int, taps [][]tap) ([]float64, [3]int) {
	out := dims
	out[a] = len(taps)
	res := make([]float64, out[0]*out[1]*out[2])
	stride := [3]int{1, dims[0], dims[0] * dims[1]}
	ostride := [3]int{1, out[0], out[0] * out[1]}
	b, c := (a+1)%3, (a+2)%3
	for v := range out[c] {
		for u := range out[b] {
			base := u*stride[b] + v*stride[c]
			obase := u*ostride[b] + v*ostride[c]
			for i, ts := range taps {
				var s float64
				for _, t := range ts {
					s += t.w * in[base+t.idx*stride[a]]
				}
				res[obase+i*ostride[a]] = s
			}
		}
	}
	return res, out
}

// padAxis extends the volume by pad edge copies on both ends of axis a.
func padAxis(in []float64, dims [3]int, a, pad int) ([]float64, [3]int) {
	src := make([]float64, dims[a]+2*pad)
	for i := range src {
		src[i] = float64(min(max(i-pad, 0), dims[a]-1))
	}
	taps := make([][]tap, len(src))
	for i, x := range src {
		taps[i] = []tap{{int(x), 1}}
	}
	return applyAxis(in, dims, a, taps)
}

// prefilterAxis turns samples into cubic B-spline coefficients along axis
// a, in place (Unser's recursive filter, pole √3 − 2, mirror boundary).
func prefilterAxis(v []float64, dims [3]int, a int) {
	z := math.Sqrt(3) - 2
	n := dims[a]
	stride := [3]int{1, dims[0], dims[0] * dims[1]}
	b, c := (a+1)%3, (a+2)%3
	line := make([]float64, n)
	for w := range dims[c] {
		for u := range dims[b] {
			base := u*stride[b] + w*stride[c]
			for i := range n {
				line[i] = 6 * v[base+i*stride[a]]
			}
			// Causal initialisation, mirror boundary (exact).
			zn1 := math.Pow(z, float64(n-1))
			s, zi := line[0]+zn1*line[n-1], z
			for i := 1; i < n-1; i++ {
				s += zi * (line[i] + zn1*line[n-1-i])
				zi *= z
			}
			line[0] = s / (1 - zn1*zn1)
			for i := 1; i < n; i++ {
				line[i] += z * line[i-1]
			}
			line[n-1] = z / (z*z - 1) * (z*line[n-2] + line[n-1])
			for i := n - 2; i >= 0; i-- {
				line[i] = z * (line[i+1] - line[i])
			}
			for i := range n {
				v[base+i*stride[a]] = line[i]
			}
		}
	}
}

// boundingBox returns the bounding box of the true voxels and their count.
func boundingBox(m []bool, dims [3]int) (volume.Box, int) {
	box := volume.Box{Min: dims}
	n := 0
	for idx, in := range m {
		if !in {
			continue
		}
		n++
		c := [3]int{idx % dims[0], (idx / dims[0]) % dims[1], idx / (dims[0] * dims[1])}
		for a := range 3 {
			box.Min[a] = min(box.Min[a], c[a])
			box.Max[a] = max(box.Max[a], c[a]+1)
		}
	}
	return box, n
}

var axisName = [3]string{"x", "y", "z"}

// imageDiagnostics adds the img_ and vox_ diagnostic features of a stage.
func imageDiagnostics(d map[string]float64, stage string, dims [3]int, sp [3]float64, data []float64) {
	for a := range 3 {
		d["img_dim_"+axisName[a]+"_"+stage+"_img"] = float64(dims[a])
		d["vox_dim_"+axisName[a]+"_"+stage+"_img"] = sp[a]
	}
	lo, hi, s := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range data {
		lo, hi = min(lo, v), max(hi, v)
		s += v
	}
	d["mean_int_"+stage+"_img"] = s / float64(len(data))
	d["min_int_"+stage+"_img"] = lo
	d["max_int_"+stage+"_img"] = hi
}

// maskDiagnostics adds the int_mask_ and morph_mask_ diagnostic features of
// a stage.
func maskDiagnostics(d map[string]float64, stage string, dims [3]int, data []float64, intMask, morph []bool) {
	ib, in := boundingBox(intMask, dims)
	mb, mn := boundingBox(morph, dims)
	for a := range 3 {
		d["int_mask_dim_"+axisName[a]+"_"+stage+"_roi"] = float64(dims[a])
		d["int_mask_bb_dim_"+axisName[a]+"_"+stage+"_roi"] = float64(max(0, ib.Max[a]-ib.Min[a]))
		d["morph_mask_bb_dim_"+axisName[a]+"_"+stage+"_roi"] = float64(max(0, mb.Max[a]-mb.Min[a]))
	}
	d["int_mask_vox_count_"+stage+"_roi"] = float64(in)
	d["morph_mask_vox_count_"+stage+"_roi"] = float64(mn)
	lo, hi, s := math.Inf(1), math.Inf(-1), 0.0
	for i, m := range intMask {
		if m {
			lo, hi = min(lo, data[i]), max(hi, data[i])
			s += data[i]
		}
	}
	if in > 0 {
		d["int_mask_mean_int_"+stage+"_roi"] = s / float64(in)
		d["int_mask_min_int_"+stage+"_roi"] = lo
		d["int_mask_max_int_"+stage+"_roi"] = hi
	}
}

// Discretise returns grey levels 1..ng inside p.IntMask and 0 outside, per
// cfg.Disc: FBN over the intensity mask's min and max; FBS from the
// re-segmentation range's lower bound (the ROI minimum without one); none
// uses the intensities, which must be integers ≥ 1. ng is the largest level
// in the ROI.
func (p *Prepared) Discretise(cfg Config) (levels []int32, ng int) {
	levels = make([]int32, len(p.Image))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, in := range p.IntMask {
		if in {
			lo, hi = min(lo, p.Image[i]), max(hi, p.Image[i])
		}
	}
	d := cfg.Disc
	fbsMin := cfg.Range[0]
	if math.IsNaN(fbsMin) {
		fbsMin = lo
	}
	for i, in := range p.IntMask {
		if !in {
			continue
		}
		x := p.Image[i]
		var l int
		switch d.Method {
		case DiscFBN:
			if hi > lo {
				l = int(math.Floor(float64(d.Bins)*(x-lo)/(hi-lo))) + 1
				l = min(l, d.Bins)
			} else {
				l = (d.Bins + 1) / 2
			}
		case DiscFBS:
			l = int(math.Floor((x-fbsMin)/d.Width)) + 1
		default:
			l = int(math.Round(x))
		}
		l = max(l, 1)
		levels[i] = int32(l)
		ng = max(ng, l)
	}
	return levels, ng
}
