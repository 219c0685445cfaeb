package featuremap

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/radiomics/texture"
	"github.com/scirad/scirad/pipeline/volume"
)

// Classes are the feature classes with voxel-based maps, in pyradiomics'
// output order (shape has none).
var classes = []string{"firstorder", "glcm", "glrlm", "glszm", "ngtdm", "gldm"}

// Registry lists every feature with a map (18 first-order and 75 texture
// features), in pyradiomics' order.
func Registry() []feature.Def {
	return append(radiomics.FirstOrderRegistry(), texture.Registry()...)
}

// Map is one feature map on the image grid.
type Map struct {
	feature.Def
	// Volume holds the feature of each ROI voxel's kernel; every other
	// voxel is Settings.InitValue.
	Volume *volume.Volume
}

// Name is pyradiomics' name of the map, original_{class}_{Feature}: the
// output file's name without extension.
func (m Map) Name() string { return "original_" + m.Key() }

// Compute returns every enabled map, in registry order. Each holds a whole
// image of float64: prefer Each for many maps of a large image.
func Compute(img, mask *volume.Volume, s Settings) ([]Map, error) {
	var out []Map
	err := Each(img, mask, s, func(m Map) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

// Each computes the enabled maps and hands them to emit one at a time, in
// registry order. One feature class is computed at a time, for all ROI
// voxels (in parallel); its maps are then emitted and dropped, so memory
// holds one class's values of the ROI voxels plus one image.
func Each(img, mask *volume.Volume, s Settings, emit func(Map) error) error {
	p, err := prepare(img, mask, s)
	if err != nil {
		return err
	}
	for _, class := range classes {
		defs := p.enabled(class)
		if len(defs) == 0 {
			continue
		}
		vals, err := p.class(class, defs)
		if err != nil {
			return err
		}
		for k, d := range defs {
			v := volume.New(img.Grid)
			if s.InitValue != 0 {
				for i := range v.Data {
					v.Data[i] = s.InitValue
				}
			}
			for n, c := range p.vox {
				v.Data[p.imageIndex(int(c))] = vals[k][n]
			}
			vals[k] = nil
			if err := emit(Map{Def: d, Volume: v}); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepared is the cropped, discretised image the kernels read.
type prepared struct {
	s       Settings
	r       int
	dims    [3]int // image dims
	lo, n   [3]int // crop corner (image voxels) and size
	x       []float64
	lv      []int32 // grey level 1..Ng where the kernel may read, 0 elsewhere
	vox     []int32 // ROI voxels (crop index), x fastest
	ng      int
	nlev    int
	spacing [3]float64
	f2d     int // our axis held fixed with force2D, -1 otherwise
	opts    texture.Options
}

func (p *prepared) imageIndex(c int) int {
	i, j, k := c%p.n[0], c/p.n[0]%p.n[1], c/(p.n[0]*p.n[1])
	return p.lo[0] + i + p.dims[0]*(p.lo[1]+j+p.dims[1]*(p.lo[2]+k))
}

// prepare checks the ROI as pyradiomics' checkMask does (radiomics.PrepareROI),
// crops the image to the ROI's box grown by the kernel radius and clipped to
// the image (cropToTumorMask with padDistance = kernelRadius), and bins the
// ROI's intensities — or, with an unmasked kernel, the whole crop's.
func prepare(img, mask *volume.Volume, s Settings) (*prepared, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if img == nil || mask == nil {
		return nil, errors.New("featuremap: nil image or mask")
	}
	rs := s.Settings
	rs.CorrectMask = false
	roi, err := radiomics.PrepareROI(img, mask, rs)
	if err != nil {
		if errors.Is(err, volume.ErrGridMismatch) {
			return nil, fmt.Errorf("featuremap: %w (maps need the mask on the image grid: resample it first)", err)
		}
		return nil, err
	}
	p := &prepared{s: s, r: s.radius(), dims: img.Dims, spacing: img.Spacing, f2d: -1}
	if s.Force2D {
		p.f2d = s.Force2DAxis()
	}
	nvox := 1
	for a := range 3 {
		p.lo[a] = max(roi.Box.Min[a]-p.r, 0)
		hi := min(roi.Box.Max[a]+p.r, img.Dims[a])
		p.n[a] = hi - p.lo[a]
		nvox *= p.n[a]
	}
	if err := membudget.Check("feature map crop", float64(nvox)*13); err != nil {
		return nil, err
	}
	label := float64(rs.Label)
	if label == 0 {
		label = 1
	}
	p.x = make([]float64, nvox)
	p.lv = make([]int32, nvox)
	inROI := make([]bool, nvox)
	var binVals []float64
	for k := range p.n[2] {
		for j := range p.n[1] {
			src := img.Index(p.lo[0], p.lo[1]+j, p.lo[2]+k)
			dst := p.n[0] * (j + p.n[1]*k)
			for i := range p.n[0] {
				x := img.Data[src+i]
				p.x[dst+i] = x
				if m := mask.Data[src+i]; m >= label && m < label+1 {
					inROI[dst+i] = true
					p.vox = append(p.vox, int32(dst+i))
					if !s.Unmasked {
						binVals = append(binVals, x)
					}
				}
			}
		}
	}
	if s.Unmasked {
		binVals = p.x
	}
	width, count := s.BinWidth, s.BinCount
	if count > 0 {
		width = 0
	} else if width == 0 {
		width = 25
	}
	edges, err := radiomics.BinEdges(binVals, width, count)
	if err != nil {
		return nil, fmt.Errorf("featuremap: %w", err)
	}
	present := map[int32]bool{}
	for c := range p.x {
		if !s.Unmasked && !inROI[c] {
			continue
		}
		l := int32(sort.Search(len(edges), func(i int) bool { return edges[i] > p.x[c] }))
		p.lv[c] = l
		present[l] = true
		p.ng = max(p.ng, int(l))
	}
	p.nlev = len(present)
	p.opts = texture.Options{
		Distances:        s.DistanceList(),
		Asymmetric:       s.AsymmetricalGLCM,
		Force2D:          s.Force2D,
		Force2DDimension: s.Force2DDimension,
		GLDMAlpha:        s.GLDMAlpha,
		Weighting:        s.WeightingNorm,
		Spacing:          img.Spacing,
	}
	return p, nil
}

// enabled returns the class's enabled features in registry order.
func (p *prepared) enabled(class string) []feature.Def {
	if !slices.Contains(p.s.EnabledClasses(), class) {
		return nil
	}
	want := p.s.Features[class]
	var out []feature.Def
	for _, d := range Registry() {
		if d.Class == class && (want == nil || slices.Contains(want, d.Name)) {
			out = append(out, d)
		}
	}
	return out
}

// kernel is one worker's view of a voxel's kernel.
type kernel struct {
	p    *prepared
	lo   [3]int // kernel box corner (crop voxels)
	n    [3]int // kernel box size
	im   texture.Image
	fo   firstOrder
	all  []float64 // one class's values, registry order
	sig  []uint64
	dmax int
}

// box sets the kernel box of crop voxel c: the cube of radius r around it,
// clipped to the crop, one voxel thick along the force2D axis (pyradiomics'
// set_bb).
func (k *kernel) box(c int) {
	p := k.p
	v := [3]int{c % p.n[0], c / p.n[0] % p.n[1], c / (p.n[0] * p.n[1])}
	for a := range 3 {
		if a == p.f2d {
			k.lo[a], k.n[a] = v[a], 1
			continue
		}
		lo, hi := max(v[a]-p.r, 0), min(v[a]+p.r+1, p.n[a])
		k.lo[a], k.n[a] = lo, hi-lo
	}
}

// levels fills the kernel's texture image: the grey levels of the box,
// 0 where the kernel does not read.
func (k *kernel) levels() *texture.Image {
	p := k.p
	nb := k.n[0] * k.n[1] * k.n[2]
	if cap(k.im.Levels) < nb {
		k.im.Levels = make([]int32, nb)
	}
	k.im.Levels = k.im.Levels[:nb]
	k.im.Dims = k.n
	d := 0
	for z := range k.n[2] {
		for y := range k.n[1] {
			src := k.lo[0] + p.n[0]*(k.lo[1]+y+p.n[1]*(k.lo[2]+z))
			d += copy(k.im.Levels[d:d+k.n[0]], p.lv[src:src+k.n[0]])
		}
	}
	return &k.im
}

// firstOrderValues fills the first-order scratch from the box.
func (k *kernel) firstOrderValues() {
	p := k.p
	f := &k.fo
	f.x = f.x[:0]
	clear(f.counts)
	for z := range k.n[2] {
		for y := range k.n[1] {
			src := k.lo[0] + p.n[0]*(k.lo[1]+y+p.n[1]*(k.lo[2]+z))
			for c := src; c < src+k.n[0]; c++ {
				if l := p.lv[c]; l > 0 {
					f.x = append(f.x, p.x[c])
					f.counts[l]++
				}
			}
		}
	}
}

// signature records the GLCM directions with a pair, as a bit set over
// the offsets within the largest distance.
func (k *kernel) signature(kept [][3]int) {
	clear(k.sig)
	w := 2*k.dmax + 1
	for _, a := range kept {
		b := (a[0] + k.dmax) + w*((a[1]+k.dmax)+w*(a[2]+k.dmax))
		k.sig[b/64] |= 1 << (b % 64)
	}
}

// class computes the enabled features defs of one class for every ROI
// voxel: vals[feature][voxel].
func (p *prepared) class(class string, defs []feature.Def) ([][]float64, error) {
	all := classRegistry(class)
	idx := make([]int, len(defs))
	for i, d := range defs {
		idx[i] = slices.IndexFunc(all, func(x feature.Def) bool { return x.Name == d.Name })
	}
	nv := len(p.vox)
	if err := membudget.Check("feature maps of one class", float64(len(defs))*float64(nv)*8); err != nil {
		return nil, err
	}
	vals := make([][]float64, len(defs))
	for i := range vals {
		vals[i] = make([]float64, nv)
	}
	dmax := slices.Max(p.s.DistanceList())
	words := ((2*dmax+1)*(2*dmax+1)*(2*dmax+1) + 63) / 64
	var sigs []uint64
	mccAt := slices.IndexFunc(defs, func(d feature.Def) bool { return d.Name == "MCC" })
	avgAt := slices.IndexFunc(defs, func(d feature.Def) bool { return d.Name == "JointAverage" })
	if class == "glcm" && (mccAt >= 0 || avgAt >= 0) {
		sigs = make([]uint64, nv*words)
	}
	workers := p.s.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 32
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(workers, (nv+chunk-1)/chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := &kernel{p: p, all: make([]float64, len(all)), sig: make([]uint64, words), dmax: dmax}
			k.fo.counts = make([]int, p.ng+1)
			k.fo.shift = p.s.VoxelArrayShift
			k.fo.voxel = p.spacing[0] * p.spacing[1] * p.spacing[2]
			for {
				a := int(next.Add(chunk)) - chunk
				if a >= nv {
					return
				}
				for n := a; n < min(a+chunk, nv); n++ {
					if err := k.compute(class, int(p.vox[n])); err != nil {
						once.Do(func() { firstErr = err })
						next.Store(int64(nv))
						return
					}
					for i, j := range idx {
						vals[i][n] = k.all[j]
					}
					if sigs != nil {
						copy(sigs[n*words:(n+1)*words], k.sig)
					}
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if sigs != nil {
		var mcc, avg []float64
		if mccAt >= 0 {
			mcc = vals[mccAt]
		}
		if avgAt >= 0 {
			avg = vals[avgAt]
		}
		p.batchRules(mcc, avg, sigs, words)
	}
	return vals, nil
}

func classRegistry(class string) []feature.Def {
	var out []feature.Def
	for _, d := range Registry() {
		if d.Class == class {
			out = append(out, d)
		}
	}
	return out
}

// compute fills k.all with the class's features of crop voxel c's kernel.
func (k *kernel) compute(class string, c int) error {
	k.box(c)
	if class == "firstorder" {
		k.firstOrderValues()
		k.fo.compute(k.all)
		return nil
	}
	im := k.levels()
	var vs []feature.Value
	var err error
	switch class {
	case "glcm":
		var kept [][3]int
		kept, err = texture.KernelGLCM(im, k.p.opts, k.p.ng, k.p.nlev, k.all)
		k.signature(kept)
		if err != nil {
			return fmt.Errorf("featuremap: glcm: %w", err)
		}
		return nil
	case "glrlm":
		vs, err = texture.GLRLM(im, k.p.opts)
	case "glszm":
		vs, err = texture.GLSZM(im, k.p.opts)
	case "ngtdm":
		vs, err = texture.NGTDM(im, k.p.opts)
	case "gldm":
		vs, err = texture.GLDM(im, k.p.opts)
	}
	if err != nil {
		return fmt.Errorf("featuremap: %s: %w", class, err)
	}
	for i, v := range vs {
		k.all[i] = v.Value
	}
	return nil
}

// batchRules applies pyradiomics' batch effects on GLCM maps. Within a
// batch of voxelBatch voxels, the directions without a pair in every
// kernel are dropped; a direction left without a pair in one kernel leaves
// NaN in that kernel's matrix. Then
//
//   - JointAverage, a plain mean over directions (not nanmean), is NaN for
//     that voxel;
//   - MCC: numpy's eigvals refuses the whole batch's stack and pyradiomics
//     leaves every voxel of the batch at initValue.
func (p *prepared) batchRules(mcc, avg []float64, sigs []uint64, words int) {
	nv := len(sigs) / words
	batch := p.s.VoxelBatch
	if batch <= 0 {
		batch = nv
	}
	union := make([]uint64, words)
	for a := 0; a < nv; a += batch {
		b := min(a+batch, nv)
		clear(union)
		for n := a; n < b; n++ {
			for w := range words {
				union[w] |= sigs[n*words+w]
			}
		}
		bad := false
		for n := a; n < b; n++ {
			if !slices.Equal(sigs[n*words:(n+1)*words], union) {
				bad = true
				if avg != nil {
					avg[n] = math.NaN()
				}
			}
		}
		if bad && mcc != nil {
			for n := a; n < b; n++ {
				mcc[n] = p.s.InitValue
			}
		}
	}
}
