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
// axis with periodic extension, out[o] = Σ_j f[j]·x[(o + F/2 − j) mod N],
// for the low-pass (fb[0], into lo) and high-pass (fb[1], into hi) filters
// at once. src holds the box sbox of an image of ln voxels along ax, lo and
// hi the box dbox (x fastest each). dbox equals sbox along the other axes;
// along ax either sbox is the whole axis (periodic) or it holds every
// sample dbox's outputs read ([min − F, max + F)).
func swtAxis(lo, hi, src []float64, sbox, dbox [3][2]int, ln, ax int, fb [2][]float64) {
	sn := [3]int{sbox[0][1] - sbox[0][0], sbox[1][1] - sbox[1][0], sbox[2][1] - sbox[2][0]}
	dn := [3]int{dbox[0][1] - dbox[0][0], dbox[1][1] - dbox[1][0], dbox[2][1] - dbox[2][0]}
	ss := [3]int{1, sn[0], sn[0] * sn[1]}
	ds := [3]int{1, dn[0], dn[0] * dn[1]}
	o1, o2 := (ax+1)%3, (ax+2)%3
	F := len(fb[0])
	periodic := sbox[ax][0] == 0 && sbox[ax][1] == ln
	// ext[e] = line[(e − F) mod ln] for e in [0, ln + 2F): the periodic
	// line, so that x[(o + F/2 − j) mod ln] = ext[o + F/2 − j + F]. Without
	// wrapping only sbox's part is filled (the rest is never read).
	ext := make([]float64, ln+2*F)
	// The outputs of one line, contiguous (swtLine), then stored along ax.
	nd := dbox[ax][1] - dbox[ax][0]
	lol, hil := make([]float64, nd), make([]float64, nd)
	q0 := (-F%ln + ln) % ln // (0 − F) mod ln
	for b := dbox[o2][0]; b < dbox[o2][1]; b++ {
		for a := dbox[o1][0]; a < dbox[o1][1]; a++ {
			sbase := (a-sbox[o1][0])*ss[o1] + (b-sbox[o2][0])*ss[o2]
			dbase := (a-dbox[o1][0])*ds[o1] + (b-dbox[o2][0])*ds[o2]
			if periodic {
				q := q0
				for e := range ext {
					ext[e] = src[sbase+q*ss[ax]]
					if q++; q == ln {
						q = 0
					}
				}
			} else {
				for q := sbox[ax][0]; q < sbox[ax][1]; q++ {
					ext[q+F] = src[sbase+(q-sbox[ax][0])*ss[ax]]
				}
			}
			swtLine(lol, hil, ext, dbox[ax][0], fb)
			if ds[ax] == 1 {
				copy(lo[dbase:dbase+nd], lol)
				copy(hi[dbase:dbase+nd], hil)
				continue
			}
			for o := range nd {
				lo[dbase+o*ds[ax]] = lol[o]
				hi[dbase+o*ds[ax]] = hil[o]
			}
		}
	}
}

// swtLineScalar is one line's outputs o0 … o0+len(lo)−1 of swtAxis from
// its extended line ext: lo[o−o0] = Σ_j fb[0][j]·ext[o + F/2 + F − j], j
// = 0 … F−1 in order, each product rounded; hi alike with fb[1].
// swtLine is this, or its AVX2 form (four outputs per register).
func swtLineScalar(lo, hi, ext []float64, o0 int, fb [2][]float64) {
	F := len(fb[0])
	for i := range lo {
		o := o0 + i
		sl, sh := 0.0, 0.0
		w := ext[o+F/2+1 : o+F/2+F+1] // w[F−1−j] = x[(o + F/2 − j) mod ln]
		for j := 0; j < F; j++ {
			sl += float64(fb[0][j] * w[F-1-j])
			sh += float64(fb[1][j] * w[F-1-j])
		}
		lo[i] = sl
		hi[i] = sh
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
	boxLen := func(r [3][2]int) int { return (r[0][1] - r[0][0]) * (r[1][1] - r[1][0]) * (r[2][1] - r[2][0]) }
	// The padded image where the first pass reads it: need[0], whole along
	// the first pass's axis.
	sbox0 := need[0]
	sbox0[axes[0]] = full[axes[0]]
	padded := make([]float64, 0, boxLen(sbox0))
	for k := sbox0[2][0]; k < sbox0[2][1]; k++ {
		for j := sbox0[1][0]; j < sbox0[1][1]; j++ {
			row := v.Data[v.Index(0, j%v.Dims[1], k%v.Dims[2]):][:v.Dims[0]]
			for i := sbox0[0][0]; i < sbox0[0][1]; i++ {
				padded = append(padded, row[i%v.Dims[0]])
			}
		}
	}
	// decompose runs one level on data (the padded image over sbox0, or a
	// whole approximation band at later levels, where sbox0 is whole too):
	// every sub-band, keyed by its letters, each over need[len(axes)−1].
	decompose := func(data []float64) (keys []string, bands [][]float64) {
		keys, bands = []string{""}, [][]float64{data}
		sbox := sbox0
		for p, ax := range axes {
			var nk []string
			var nb [][]float64
			m := boxLen(need[p])
			for i, b := range bands {
				lo, hi := make([]float64, m), make([]float64, m)
				swtAxis(lo, hi, b, sbox, need[p], pn[ax], ax, fb)
				nk = append(nk, keys[i]+"L", keys[i]+"H")
				nb = append(nb, lo, hi)
			}
			keys, bands, sbox = nk, nb, need[p]
		}
		return keys, bands
	}
	// cropTo is a band's image on v's grid, or cropped to the region.
	last := need[len(need)-1]
	cropTo := func(x []float64) *volume.Volume {
		bn := [3]int{last[0][1] - last[0][0], last[1][1] - last[1][0], last[2][1] - last[2][0]}
		box := clipBox(v, region)
		at := func(i, j, k int) int { // x's index of (i, j, k)
			return (i - last[0][0]) + bn[0]*((j-last[1][0])+bn[1]*(k-last[2][0]))
		}
		var out *volume.Volume
		if crop {
			sz := box.Size()
			out = cropped(v, box, make([]float64, 0, sz[0]*sz[1]*sz[2]))
		} else {
			box = volume.Box{Max: v.Dims}
			if region != nil && start == 0 && level == 1 {
				box = clipBox(v, region)
			}
			out = &volume.Volume{Grid: v.Grid, Data: make([]float64, v.Len())}
		}
		sz := box.Size()
		for k := box.Min[2]; k < box.Max[2]; k++ {
			for j := box.Min[1]; j < box.Max[1]; j++ {
				row := x[at(box.Min[0], j, k):][:sz[0]]
				if crop {
					out.Data = append(out.Data, row...)
				} else {
					copy(out.Data[v.Index(box.Min[0], j, k):], row)
				}
			}
		}
		return out
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
