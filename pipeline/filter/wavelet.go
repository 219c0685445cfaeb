package filter

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// Wavelets lists the wavelet names the Wavelet image type accepts
// (PyWavelets' discrete wavelets), sorted.
func Wavelets() []string {
	out := make([]string, 0, len(pywtFilters))
	for k := range pywtFilters {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// MaxWaveletLevel bounds start_level + level: each level is a full-size
// copy of the image per sub-band, and pyradiomics' repeated level-1
// transform gains nothing past a few levels.
const MaxWaveletLevel = 16

// swtAxis is PyWavelets' level-1 stationary wavelet transform along one
// axis with periodic extension: out[o] = Σ_j f[j]·x[(o + F/2 − j) mod N].
func swtAxis(dst, src []float64, n [3]int, ax int, f []float64, lim [3][2]int) {
	strides := [3]int{1, n[0], n[0] * n[1]}
	stride, ln := strides[ax], n[ax]
	o1, o2 := (ax+1)%3, (ax+2)%3
	F := len(f)
	// ext[e] = line[(e − F) mod ln] for e in [0, ln + 2F): the periodic
	// line, so that x[(o + F/2 − j) mod ln] = ext[o + F/2 − j + F].
	ext := make([]float64, ln+2*F)
	wrap := func(q int) int {
		q %= ln
		if q < 0 {
			q += ln
		}
		return q
	}
	for b := lim[o2][0]; b < lim[o2][1]; b++ {
		for a := lim[o1][0]; a < lim[o1][1]; a++ {
			base := a*strides[o1] + b*strides[o2]
			for e := range ext {
				ext[e] = src[base+wrap(e-F)*stride]
			}
			for o := lim[ax][0]; o < lim[ax][1]; o++ {
				sum := 0.0
				w := ext[o+F/2+1 : o+F/2+F+1] // w[F−1−j] = x[(o + F/2 − j) mod ln]
				for j := 0; j < F; j++ {
					sum += float64(f[j] * w[F-1-j])
				}
				dst[base+o*stride] = sum
			}
		}
	}
}

// Wavelet is pyradiomics' Wavelet image type (_swt3): axes lists the axes
// transformed (our i, j, k numbering; pyradiomics transforms x, then y,
// then z, and drops the force2Ddimension axis). It returns the detail
// images of levels start..start+level−1 in pyradiomics' order, named
// wavelet-LLH … wavelet-HHH, wavelet2-LLH …, and last the approximation
// (wavelet-LLL, or waveletN-LLL for N kept levels); each letter is one
// axis of axes in order, L the low-pass and H the high-pass filter.
func Wavelet(v *volume.Volume, name string, start, level int, axes []int) ([]Image, error) {
	return WaveletRegion(v, name, start, level, axes, nil)
}

// WaveletRegion is Wavelet computed, for a single level (start_level 0,
// level 1), only where region (if not nil) needs it: bit-identical there,
// 0 elsewhere. Other levels compute the whole image.
func WaveletRegion(v *volume.Volume, name string, start, level int, axes []int, region *volume.Box) ([]Image, error) {
	return waveletRegion(v, name, start, level, axes, region, false)
}

// waveletRegion is WaveletRegion, its images cropped to the (clipped)
// region when crop.
func waveletRegion(v *volume.Volume, name string, start, level int, axes []int, region *volume.Box, crop bool) ([]Image, error) {
	if name == "" {
		name = "coif1"
	}
	fb, ok := pywtFilters[name]
	if !ok {
		return nil, fmt.Errorf("filter: unknown wavelet %q (PyWavelets' discrete wavelets: haar, db1–db38, sym2–sym20, coif1–coif17, bior…, rbio…, dmey)", name)
	}
	if start < 0 || level < 1 || start+level > MaxWaveletLevel {
		return nil, fmt.Errorf("filter: wavelet start_level %d and level %d: want start_level ≥ 0, level ≥ 1 and start_level+level ≤ %d", start, level, MaxWaveletLevel)
	}
	if len(axes) == 0 {
		return nil, fmt.Errorf("filter: wavelet needs at least one axis")
	}
	// Pad every odd axis with one wrapped voxel (numpy.pad "wrap").
	var pn [3]int
	for a := 0; a < 3; a++ {
		pn[a] = v.Dims[a] + v.Dims[a]%2
	}
	padded := make([]float64, pn[0]*pn[1]*pn[2])
	for k := 0; k < pn[2]; k++ {
		for j := 0; j < pn[1]; j++ {
			for i := 0; i < pn[0]; i++ {
				padded[i+pn[0]*(j+pn[1]*k)] = v.Data[v.Index(i%v.Dims[0], j%v.Dims[1], k%v.Dims[2])]
			}
		}
	}
	cropTo := func(x []float64) *volume.Volume {
		if crop {
			box := clipBox(v, region)
			sz := box.Size()
			c := make([]float64, 0, sz[0]*sz[1]*sz[2])
			for k := box.Min[2]; k < box.Max[2]; k++ {
				for j := box.Min[1]; j < box.Max[1]; j++ {
					c = append(c, x[box.Min[0]+pn[0]*(j+pn[1]*k):][:sz[0]]...)
				}
			}
			return cropped(v, box, c)
		}
		out := &volume.Volume{Grid: v.Grid, Data: make([]float64, v.Len())}
		for k := 0; k < v.Dims[2]; k++ {
			for j := 0; j < v.Dims[1]; j++ {
				copy(out.Data[v.Index(0, j, k):v.Index(0, j, k)+v.Dims[0]], x[pn[0]*(j+pn[1]*k):])
			}
		}
		return out
	}
	// need[p] is where pass p's output is read: the region at the last
	// pass, widened along each later pass's axis by the filter length
	// (the whole axis where that would wrap).
	full := [3][2]int{{0, pn[0]}, {0, pn[1]}, {0, pn[2]}}
	need := make([][3][2]int, len(axes))
	for p := range need {
		need[p] = full
	}
	if region != nil && start == 0 && level == 1 {
		r := full
		for a := 0; a < 3; a++ {
			r[a] = [2]int{max(region.Min[a], 0), min(region.Max[a], v.Dims[a])}
		}
		F := len(fb[0])
		for p := len(axes) - 1; p >= 0; p-- {
			need[p] = r
			ax := axes[p]
			if lo, hi := r[ax][0]-F, r[ax][1]+F; lo < 0 || hi > pn[ax] {
				r[ax] = full[ax]
			} else {
				r[ax] = [2]int{lo, hi}
			}
		}
	}
	// decompose runs one level: every sub-band, keyed by its letters.
	decompose := func(data []float64) (keys []string, bands [][]float64) {
		keys, bands = []string{""}, [][]float64{data}
		for p, ax := range axes {
			var nk []string
			var nb [][]float64
			for i, b := range bands {
				lo, hi := make([]float64, len(b)), make([]float64, len(b))
				swtAxis(lo, b, pn, ax, fb[0], need[p])
				swtAxis(hi, b, pn, ax, fb[1], need[p])
				nk = append(nk, keys[i]+"L", keys[i]+"H")
				nb = append(nb, lo, hi)
			}
			keys, bands = nk, nb
		}
		return keys, bands
	}
	data := padded
	for range start {
		_, bands := decompose(data)
		data = bands[0]
	}
	var out []Image
	approx := strings.Repeat("L", len(axes))
	for l := 1; l <= level; l++ {
		keys, bands := decompose(data)
		data = bands[0]
		prefix := "wavelet-"
		if l > 1 {
			prefix = fmt.Sprintf("wavelet%d-", l)
		}
		for i, k := range keys {
			if k == approx {
				continue
			}
			out = append(out, Image{Name: prefix + k, Volume: cropTo(bands[i])})
		}
	}
	name2 := "wavelet-" + approx
	if level > 1 {
		name2 = fmt.Sprintf("wavelet%d-%s", level, approx)
	}
	out = append(out, Image{Name: name2, Volume: cropTo(data)})
	return out, nil
}
