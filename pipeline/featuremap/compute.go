package featuremap

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/scirad/scirad/pipeline/filter"
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
	// Image is pyradiomics' name of the image the map was computed on:
	// original, or a filtered image (log-sigma-1-0-mm-3D, wavelet-LLH, …).
	Image string
	feature.Def
	// Volume holds the feature of each ROI voxel's kernel; every other
	// voxel is Settings.InitValue.
	Volume *volume.Volume
}

// Name is pyradiomics' name of the map, {image}_{class}_{Feature}
// (original_glcm_Contrast): the output file's name without extension.
func (m Map) Name() string { return m.Image + "_" + m.Key() }

// Compute returns every enabled map, in registry order. Each holds a whole
// image of float64: prefer Each for many maps of a large image.
func Compute(img, mask *volume.Volume, s Settings) ([]Map, error) {
	var out []Map
	err := Each(img, mask, s, func(m Map) error {
		m.Volume = m.Volume.Clone()
		out = append(out, m)
		return nil
	})
	return out, err
}

// Each computes the enabled maps and hands them to emit one at a time, in
// registry order. First order, then the five texture classes together (one
// kernel image for all five), are computed for all ROI voxels (in
// parallel); their maps are then emitted and dropped, so memory holds at
// most the texture values of the ROI voxels plus one image. The Volume
// handed to emit is reused for the next map: copy it to keep it.
//
// With image types other than Original (imageType in the params file), each
// type's filter (package filter) is applied to the whole image, as
// pyradiomics does before cropping, and every derived image gets its maps,
// computed with the type's settings.
func Each(img, mask *volume.Volume, s Settings, emit func(Map) error) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if img == nil || mask == nil {
		return errors.New("featuremap: nil image or mask")
	}
	for _, t := range s.EnabledImageTypes() {
		ts := s
		ts.Settings = t.Settings()
		ts.Classes, ts.Features = s.Classes, s.Features
		label := s.Label
		if label == 0 {
			label = 1
		}
		o := filter.Options{Force2D: ts.Force2D, Force2DDimension: ts.Force2DDimension, Label: label}
		images, err := filter.Apply(t.Name, img, mask, ts.Filter, o)
		if err != nil {
			return fmt.Errorf("featuremap: image type %s: %w", t.Name, err)
		}
		for _, im := range images {
			if err := eachOf(im.Name, im.Volume, mask, ts, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachOf is Each for one (derived) image.
func eachOf(name string, img, mask *volume.Volume, s Settings, emit func(Map) error) error {
	p, err := prepare(img, mask, s)
	if err != nil {
		return err
	}
	var v *volume.Volume
	for _, pass := range [][]string{{"firstorder"}, classes[1:]} {
		var defs []feature.Def
		for _, class := range pass {
			defs = append(defs, p.enabled(class)...)
		}
		if len(defs) == 0 {
			continue
		}
		vals, err := p.pass(pass[0], defs)
		if err != nil {
			return err
		}
		if v == nil {
			v = volume.New(img.Grid)
		}
		for k, d := range defs {
			for i := range v.Data {
				v.Data[i] = s.InitValue
			}
			for n, c := range p.vox {
				v.Data[p.imageIndex(int(c))] = vals[k][n]
			}
			vals[k] = nil
			if err := emit(Map{Image: name, Def: d, Volume: v}); err != nil {
				return err
			}
		}
	}
	return nil
}

// MaxKernelVoxels bounds the work of one map set: ROI voxels × kernel
// voxels (every voxel of a 99×99×29 image with kernelRadius 1 is 7.7e6).
const MaxKernelVoxels = 1e9

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
	rank    []int32 // level → its rank among the levels present (0..nlev−1), −1 when absent
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
	if err := checkMemory("feature map crop", float64(nvox)*13); err != nil {
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
	p.rank = make([]int32, p.ng+1)
	for l := range p.rank {
		p.rank[l] = -1
	}
	r := int32(0)
	for l := range p.rank {
		if present[int32(l)] {
			p.rank[l] = r
			r++
		}
	}
	side := 2*p.r + 1
	kernel := side * side * side
	if p.f2d >= 0 {
		kernel = side * side
	}
	if work := float64(len(p.vox)) * float64(kernel); work > MaxKernelVoxels {
		return nil, fmt.Errorf("featuremap: %d ROI voxels × kernels of %d voxels (kernelRadius %d) is %.2g kernel voxels, more than %.0g (hours of work): use a smaller kernelRadius or ROI", len(p.vox), kernel, p.r, work, float64(MaxKernelVoxels))
	}
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

// Names lists pyradiomics' names of the maps s computes for the image types
// whose derived images are known without reading the image (every type
// but Wavelet and LBP3D, whose names the filter gives); used to check
// outputs before any work.
func Names(s Settings) []string {
	p := &prepared{s: s}
	var out []string
	for _, t := range s.EnabledImageTypes() {
		var images []string
		switch t.Name {
		case "Original":
			images = []string{"original"}
		case "LoG":
			ts := t.Settings()
			for i, sg := range ts.Filter.Sigma {
				images = append(images, filter.SigmaName(sg, i < len(ts.Filter.SigmaInt) && ts.Filter.SigmaInt[i] && sg == math.Trunc(sg)))
			}
		case "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient":
			images = []string{strings.ToLower(t.Name)}
		case "LBP2D":
			images = []string{"lbp-2D"}
		}
		for _, im := range images {
			for _, c := range classes {
				for _, d := range p.enabled(c) {
					out = append(out, im+"_"+d.Key())
				}
			}
		}
	}
	return out
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
	p       *prepared
	lo      [3]int // kernel box corner (crop voxels)
	n       [3]int // kernel box size
	im      texture.Image
	fo      firstOrder
	all     []float64 // one class's values, registry order
	want    []bool    // GLCM features to compute (nil: all)
	withMCC bool      // compute MCC (k.mcc) for this voxel
	tex     texture.KernelScratch
	fos     foSlider       // first-order histogram and sorted intensities, slid along x
	gl      *glcmSlider    // GLCM counters slid along x (nil: rebuilt by texture)
	rc      *runCounter    // GLRLM runs, partly slid (nil: rebuilt by texture)
	zc      *zoneCounter   // GLSZM zones, found in each box (nil: by texture)
	ns      *nbrSlider     // GLDM and NGTDM neighbour counts, slid (nil: by texture)
	glm     texture.Matrix // the kernel's GLCM for MCC, from gl
	texWant []bool         // the texture features KernelTexture computes (GLCM off with gl)
	texAny  bool           // any of them

	px, py, a, s, d, e, parent []float64 // MCC scratch
	keep                       []int
}

// mccIndex is MCC's place in the GLCM registry.
var mccIndex = func() int {
	for i, d := range classRegistry("glcm") {
		if d.Name == "MCC" {
			return i
		}
	}
	panic("featuremap: no glcm_MCC in the registry")
}()

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

// firstOrderValues fills the first-order scratch of the kernel box: its
// intensities in box order, and (slid by k.fos) its histogram and sorted
// intensities.
func (k *kernel) firstOrderValues() {
	p := k.p
	f := &k.fo
	f.x = f.x[:0]
	for z := range k.n[2] {
		for y := range k.n[1] {
			src := k.lo[0] + p.n[0]*(k.lo[1]+y+p.n[1]*(k.lo[2]+z))
			for c := src; c < src+k.n[0]; c++ {
				if p.lv[c] > 0 {
					f.x = append(f.x, p.x[c])
				}
			}
		}
	}
	k.fos.moveTo(k.window())
	f.presorted = true
}

// pass computes the enabled features defs of first order (group
// "firstorder") or of the texture classes (group "texture") for every ROI
// voxel: vals[feature][voxel].
func (p *prepared) pass(group string, defs []feature.Def) ([][]float64, error) {
	all := classRegistry("firstorder")
	if group != "firstorder" {
		all = texture.Registry()
	}
	idx := make([]int, len(defs))
	for i, d := range defs {
		idx[i] = slices.IndexFunc(all, func(x feature.Def) bool { return x.Key() == d.Key() })
	}
	nv := len(p.vox)
	if err := checkMemory("feature maps", float64(len(defs))*float64(nv)*8); err != nil {
		return nil, err
	}
	vals := make([][]float64, len(defs))
	for i := range vals {
		vals[i] = make([]float64, nv)
	}
	mccAt := slices.IndexFunc(defs, func(d feature.Def) bool { return d.Key() == "glcm_MCC" })
	avgAt := slices.IndexFunc(defs, func(d feature.Def) bool { return d.Key() == "glcm_JointAverage" })
	var mccKeep, avgNaN []bool
	if mccAt >= 0 || avgAt >= 0 {
		mccKeep, avgNaN = p.batchRules()
	}
	var want []bool
	if group != "firstorder" {
		want = make([]bool, len(all))
		for _, j := range idx {
			want[j] = true
		}
		if mccAt >= 0 {
			want[idx[mccAt]] = false // computed from the matrix by k.mcc where pyradiomics keeps it
		}
	}
	err := p.run(group, want, func(n int, k *kernel) {
		for i, j := range idx {
			vals[i][n] = k.all[j]
		}
	}, mccKeep)
	if err != nil {
		return nil, err
	}
	for n := range mccKeep {
		if mccAt >= 0 && !mccKeep[n] {
			vals[mccAt][n] = p.s.InitValue
		}
		if avgAt >= 0 && avgNaN[n] {
			vals[avgAt][n] = math.NaN()
		}
	}
	return vals, nil
}

// run computes the group for every ROI voxel on all workers and hands each
// voxel's kernel to store.
//
// mcc marks the voxels whose GLCM MCC is computed (nil: none).
func (p *prepared) run(group string, want []bool, store func(n int, k *kernel), mcc []bool) error {
	nv := len(p.vox)
	nall := 75
	if group == "firstorder" {
		nall = len(classRegistry(group))
	}
	workers := p.s.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, (nv+31)/32))
	if group != "firstorder" {
		if err := checkMemory("feature map kernel counters", float64(workers)*p.counterBytes()); err != nil {
			return err
		}
	}
	const chunk = 32
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := &kernel{p: p, all: make([]float64, nall), want: want}
			if group != "firstorder" {
				k.setupTexture(want, mcc != nil)
			}
			k.fo.counts = make([]int, p.ng+1)
			k.fo.shift = p.s.VoxelArrayShift
			k.fo.voxel = p.spacing[0] * p.spacing[1] * p.spacing[2]
			k.fos = foSlider{p: p, f: &k.fo}
			for {
				a := int(next.Add(chunk)) - chunk
				if a >= nv {
					return
				}
				for n := a; n < min(a+chunk, nv); n++ {
					k.withMCC = mcc != nil && mcc[n]
					if err := k.compute(group, int(p.vox[n])); err != nil {
						once.Do(func() { firstErr = err })
						next.Store(int64(nv))
						return
					}
					store(n, k)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
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

// compute fills k.all with the group's features of crop voxel c's kernel.
func (k *kernel) compute(group string, c int) error {
	k.box(c)
	if group == "firstorder" {
		k.firstOrderValues()
		k.fo.compute(k.all)
		return nil
	}
	if k.texAny {
		m, err := texture.KernelTexture(&k.tex, k.levels(), k.p.opts, k.p.ng, k.p.nlev, k.texWant, k.all)
		if err != nil {
			return fmt.Errorf("featuremap: %w", err)
		}
		if k.gl == nil && k.withMCC && m != nil {
			k.all[mccIndex] = k.mcc(m, k.p.nlev)
		}
	} else {
		for i := range k.all {
			k.all[i] = math.NaN()
		}
	}
	if !k.texAny && !k.fits() {
		return fmt.Errorf("featuremap: %w", texture.ErrNoDirections)
	}
	w := k.window()
	if k.rc != nil {
		k.rc.moveTo(w)
		k.rc.features(k.all[24:40])
	}
	if k.zc != nil {
		k.zc.features(w, k.all[40:56])
	}
	if k.ns != nil {
		k.ns.moveTo(w)
		if k.ns.ngtdm {
			k.ns.ngtdmFeatures(k.all[56:61])
		}
		if k.ns.gldm {
			k.ns.gldmFeatures(k.all[61:75])
		}
	}
	if k.gl != nil {
		k.gl.moveTo(w)
		k.gl.features(k.all[:24], k.withMCC, &k.glm)
		if k.withMCC && !k.gl.sym {
			k.all[mccIndex] = k.mcc(&k.glm, k.p.nlev)
		}
	}
	return nil
}

// setupTexture chooses how the worker's kernels get their texture
// features: each family from this package's counters (glcmSlider,
// runCounter, zoneCounter, nbrSlider) where p allows it, otherwise —
// weightingNorm for GLCM and GLRLM, or counters over the size bound —
// from texture.KernelTexture on the kernel's box. want flags the 75
// texture features; withMCC is set when MCC is computed (by k.mcc or
// glcmSlider) where pyradiomics keeps it.
func (k *kernel) setupTexture(want []bool, withMCC bool) {
	glcmWanted := withMCC
	for i := range 24 {
		glcmWanted = glcmWanted || want == nil || want[i]
	}
	k.texWant = make([]bool, 75)
	for i := range 75 {
		k.texWant[i] = want == nil || want[i]
	}
	if glcmWanted && k.p.slidable() {
		k.gl = newGLCMSlider(k.p, want)
		clear(k.texWant[:24])
	} else if withMCC && !slices.Contains(k.texWant[:24], true) {
		k.texWant[0] = true // KernelTexture returns the kernel's GLCM (for k.mcc) only with a GLCM feature
	}
	if slices.Contains(k.texWant[24:40], true) && k.p.runsSlidable() {
		k.rc = newRunCounter(k.p)
		clear(k.texWant[24:40])
	}
	if slices.Contains(k.texWant[40:56], true) && k.p.zonesSlidable() {
		k.zc = newZoneCounter(k.p)
		clear(k.texWant[40:56])
	}
	gldm, ngtdm := slices.Contains(k.texWant[61:75], true), slices.Contains(k.texWant[56:61], true)
	if (gldm || ngtdm) && k.p.neighboursSlidable() {
		k.ns = newNbrSlider(k.p, gldm, ngtdm)
		clear(k.texWant[56:75])
	}
	k.texAny = slices.Contains(k.texWant, true)
}

// batchRules evaluates pyradiomics' batch effects on GLCM maps. Within a
// batch of voxelBatch voxels (pyradiomics' order), the directions without a
// pair in every kernel are dropped; a direction left without a pair in one
// kernel leaves NaN in that kernel's matrix. Then
//
//   - JointAverage, a plain mean over directions (not nanmean), is NaN for
//     that voxel (nan);
//   - MCC: numpy's eigvals refuses the whole batch's stack and pyradiomics
//     leaves every voxel of the batch at initValue (keep is false).
//
// Which directions hold a pair in a kernel is found before any matrix is
// built (directions), so MCC is only computed where it is kept.
func (p *prepared) batchRules() (keep, nan []bool) {
	nv := len(p.vox)
	dirs := p.directions()
	words := (len(dirs) + 63) / 64
	sigs := make([]uint64, nv*words)
	for n, c := range p.vox {
		p.signature(int(c), dirs, sigs[n*words:(n+1)*words])
	}
	batch := p.s.VoxelBatch
	if batch <= 0 {
		batch = nv
	}
	union := make([]uint64, words)
	keep, nan = make([]bool, nv), make([]bool, nv)
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
				nan[n] = true
			}
		}
		for n := a; n < b; n++ {
			keep[n] = !bad
		}
	}
	return keep, nan
}

// directions are the GLCM offsets (dx, dy, dz) pyradiomics uses: largest
// component one of the distances, one of each pair ±a, none leaving the
// force2D plane. Offsets that do not fit in the crop have no pair anyway.
func (p *prepared) directions() [][3]int {
	ds := p.s.DistanceList()
	dmax := slices.Max(ds)
	var out [][3]int
	for dz := -dmax; dz <= dmax; dz++ {
		for dy := -dmax; dy <= dmax; dy++ {
			for dx := -dmax; dx <= dmax; dx++ {
				a := [3]int{dx, dy, dz}
				if dz < 0 || (dz == 0 && (dy < 0 || (dy == 0 && dx <= 0))) {
					continue // keep the one whose first non-zero of z, y, x is positive
				}
				if p.f2d >= 0 && a[p.f2d] != 0 {
					continue
				}
				if slices.Contains(ds, max(abs(dx), abs(dy), abs(dz))) {
					out = append(out, a)
				}
			}
		}
	}
	if p.s.WeightingNorm != "" {
		return out[:min(len(out), 1)] // one merged matrix: a pair along any direction
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// signature sets the bits of the directions along which crop voxel c's
// kernel holds a pair of kernel voxels; with weightingNorm, bit 0 when it
// holds any pair.
func (p *prepared) signature(c int, dirs [][3]int, sig []uint64) {
	var k kernel
	k.p = p
	k.box(c)
	merged := p.s.WeightingNorm != ""
	all := dirs
	if merged {
		all = p.directionsUnmerged()
	}
	for b, a := range all {
		found := false
		for z := range k.n[2] {
			for y := range k.n[1] {
				for x := range k.n[0] {
					u := [3]int{x + a[0], y + a[1], z + a[2]}
					if u[0] < 0 || u[1] < 0 || u[2] < 0 || u[0] >= k.n[0] || u[1] >= k.n[1] || u[2] >= k.n[2] {
						continue
					}
					i := k.lo[0] + x + p.n[0]*(k.lo[1]+y+p.n[1]*(k.lo[2]+z))
					j := k.lo[0] + u[0] + p.n[0]*(k.lo[1]+u[1]+p.n[1]*(k.lo[2]+u[2]))
					if p.lv[i] > 0 && p.lv[j] > 0 {
						found = true
						break
					}
				}
				if found {
					break
				}
			}
			if found {
				break
			}
		}
		if found {
			if merged {
				b = 0
			}
			sig[b/64] |= 1 << (b % 64)
		}
	}
}

// directionsUnmerged is directions without the weightingNorm merge.
func (p *prepared) directionsUnmerged() [][3]int {
	q := *p
	q.s.WeightingNorm = ""
	return q.directions()
}
