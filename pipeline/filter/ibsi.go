package filter

import (
	"fmt"
	"math"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// Boundary is how an IBSI filter extends the image beyond its edges
// (IBSI chapter 2, "boundary conditions").
type Boundary int

const (
	// BoundaryConstant pads with zeros.
	BoundaryConstant Boundary = iota
	// BoundaryNearest repeats the edge voxel.
	BoundaryNearest
	// BoundaryPeriodic wraps around (the image tiles space).
	BoundaryPeriodic
	// BoundaryMirror reflects the image about its edge, the edge voxel
	// repeated (d c b a | a b c d: IBSI's "mirror", scipy's "reflect",
	// numpy's "symmetric").
	BoundaryMirror
)

// ParseBoundary reads a boundary mode by its IBSI or scipy name.
func ParseBoundary(s string) (Boundary, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "constant", "zero", "zeros":
		return BoundaryConstant, nil
	case "nearest", "edge":
		return BoundaryNearest, nil
	case "periodic", "wrap", "circular":
		return BoundaryPeriodic, nil
	case "mirror", "symmetric", "reflect":
		return BoundaryMirror, nil
	}
	return 0, fmt.Errorf("boundary %q: want constant, nearest, periodic or mirror", s)
}

func (b Boundary) String() string {
	switch b {
	case BoundaryConstant:
		return "constant"
	case BoundaryNearest:
		return "nearest"
	case BoundaryPeriodic:
		return "periodic"
	case BoundaryMirror:
		return "mirror"
	}
	return fmt.Sprintf("Boundary(%d)", int(b))
}

// extend maps a position p on an axis of n voxels to the voxel the
// boundary mode reads there, or -1 for a zero (constant mode outside).
func (b Boundary) extend(p, n int) int {
	if p >= 0 && p < n {
		return p
	}
	switch b {
	case BoundaryNearest:
		if p < 0 {
			return 0
		}
		return n - 1
	case BoundaryPeriodic:
		return ((p % n) + n) % n
	case BoundaryMirror:
		q := ((p % (2 * n)) + 2*n) % (2 * n)
		if q >= n {
			q = 2*n - 1 - q
		}
		return q
	}
	return -1
}

// IBSI is one filter of IBSI chapter 2 (arXiv 2006.05470) with its
// parameters. Lengths (Sigma, Lambda) are in mm; the image's spacing turns
// them into voxels. Axes are the volume's: x (fastest), y, z; TwoD filters
// every axial (z) slice on its own in x and y.
type IBSI struct {
	// Kind is mean, log, laws, gabor, wavelet (separable), simoncelli or
	// riesz-log / riesz-simoncelli (a Riesz transform of the LoG or
	// Simoncelli response, RieszOrder).
	Kind     string
	Boundary Boundary
	TwoD     bool

	// Size is the mean filter's support in voxels (odd).
	Size int
	// Sigma (mm) and Truncate (in sigmas; 0 means 4) of the LoG and the
	// Gabor filter's Gaussian envelope.
	Sigma, Truncate float64
	// Laws: Kernels names one 1D kernel per axis (x first), e.g. "E5L5S5"
	// or "L5S5" in 2D, from L3 E3 S3 L5 E5 S5 W5 R5 (each normalised to
	// unit L2 norm). Energy replaces the response by the mean of its
	// absolute value over a (2 Delta + 1) window.
	Kernels string
	Energy  bool
	Delta   int
	// Gabor: wavelength Lambda (mm), spatial aspect ratio Gamma, and the
	// orientation Theta (degrees). ThetaStep > 0 pools the orientations
	// Theta + k ThetaStep around the circle. The response is the modulus.
	Lambda, Gamma, Theta, ThetaStep float64
	// Wavelet family (haar, db2, db3, coif1, any PyWavelets decomposition
	// filter) and Set, one L or H per axis (x first: "LHL", "HH"), for
	// the undecimated separable wavelet at decomposition Level (1 = first).
	// Simoncelli uses Level too.
	Wavelet string
	Set     string
	Level   int
	// RotationInvariant pools the filter over the 24 right-angle rotations
	// of the cube (the 4 of the square in 2D) for Laws and wavelets, and
	// over the three orthogonal planes for Gabor (3D).
	RotationInvariant bool
	// Pooling is max, min or mean (default mean; Laws default max).
	Pooling string
	// RieszOrder is the Riesz transform order per axis (x first).
	RieszOrder []int
	// Region, if not nil, is the only part of the response the caller
	// reads (e.g. the ROI's bounding box): the spatial filters (mean, LoG,
	// Laws, wavelets, Gabor) then filter only the region grown by their
	// reach, which gives the same values there, and leave 0 elsewhere.
	// Simoncelli and Riesz act on the whole periodic image and ignore it.
	Region *volume.Box
}

// IBSIKinds are the IBSI filter kinds Apply knows.
var IBSIKinds = []string{"mean", "log", "laws", "gabor", "wavelet", "simoncelli", "riesz-log", "riesz-simoncelli"}

var lawsKernels = map[string][]float64{
	"L3": {1, 2, 1},
	"E3": {-1, 0, 1},
	"S3": {-1, 2, -1},
	"L5": {1, 4, 6, 4, 1},
	"E5": {-1, -2, 0, 2, 1},
	"S5": {-1, 0, 2, 0, -1},
	"W5": {-1, 2, 0, -2, 1},
	"R5": {1, -4, 6, -4, 1},
}

func (f IBSI) dims() int {
	if f.TwoD {
		return 2
	}
	return 3
}

func (f IBSI) pooling() string {
	if f.Pooling != "" {
		return f.Pooling
	}
	if f.Kind == "laws" {
		return "max"
	}
	return "mean"
}

// Validate reports the first parameter outside its range.
func (f IBSI) Validate() error {
	fin := func(name string, x float64) error {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s %g is not a finite number", name, x)
		}
		return nil
	}
	for _, p := range []struct {
		n string
		x float64
	}{{"sigma", f.Sigma}, {"truncate", f.Truncate}, {"lambda", f.Lambda}, {"gamma", f.Gamma}, {"theta", f.Theta}, {"theta step", f.ThetaStep}} {
		if err := fin(p.n, p.x); err != nil {
			return err
		}
	}
	switch f.pooling() {
	case "max", "min", "mean":
	default:
		return fmt.Errorf("pooling %q: want max, min or mean", f.Pooling)
	}
	if f.Boundary < BoundaryConstant || f.Boundary > BoundaryMirror {
		return fmt.Errorf("boundary %d unknown", int(f.Boundary))
	}
	switch f.Kind {
	case "mean":
		if f.Size < 1 || f.Size%2 == 0 || f.Size > 1001 {
			return fmt.Errorf("mean filter size %d must be odd, 1..1001", f.Size)
		}
	case "log", "riesz-log":
		if !(f.Sigma > 0) || f.Sigma > 1e4 {
			return fmt.Errorf("LoG sigma %g must be a positive number of mm", f.Sigma)
		}
		if f.Truncate < 0 || f.Truncate > 100 {
			return fmt.Errorf("LoG truncate %g must be in (0, 100] sigmas", f.Truncate)
		}
	case "laws":
		ks, err := f.lawsSet()
		if err != nil {
			return err
		}
		_ = ks
		if f.Energy && (f.Delta < 0 || f.Delta > 500) {
			return fmt.Errorf("laws delta %d must be 0..500", f.Delta)
		}
	case "gabor":
		if !(f.Sigma > 0) || !(f.Lambda > 0) || !(f.Gamma > 0) {
			return fmt.Errorf("gabor sigma %g, lambda %g and gamma %g must be positive", f.Sigma, f.Lambda, f.Gamma)
		}
		if f.ThetaStep < 0 || (f.ThetaStep > 0 && f.ThetaStep < 1) || f.ThetaStep > 360 {
			return fmt.Errorf("gabor theta step %g must be 0 (one orientation) or 1..360 degrees", f.ThetaStep)
		}
	case "wavelet":
		if _, ok := pywtFilters[f.Wavelet]; !ok {
			return fmt.Errorf("wavelet %q is not a PyWavelets discrete wavelet (e.g. haar, db2, db3, coif1)", f.Wavelet)
		}
		if len(f.Set) != f.dims() || strings.Trim(strings.ToUpper(f.Set), "LH") != "" {
			return fmt.Errorf("wavelet set %q: want one L or H per axis (%d)", f.Set, f.dims())
		}
		if f.Level < 1 || f.Level > 6 {
			return fmt.Errorf("wavelet level %d must be 1..6", f.Level)
		}
	case "simoncelli", "riesz-simoncelli":
		if f.Level < 1 || f.Level > 6 {
			return fmt.Errorf("simoncelli level %d must be 1..6", f.Level)
		}
	default:
		return fmt.Errorf("IBSI filter %q unknown (known: %s)", f.Kind, strings.Join(IBSIKinds, ", "))
	}
	if strings.HasPrefix(f.Kind, "riesz") {
		if len(f.RieszOrder) != f.dims() {
			return fmt.Errorf("riesz order %v: want %d orders", f.RieszOrder, f.dims())
		}
		sum := 0
		for _, o := range f.RieszOrder {
			if o < 0 || o > 10 {
				return fmt.Errorf("riesz order %v: each 0..10", f.RieszOrder)
			}
			sum += o
		}
		if sum == 0 {
			return fmt.Errorf("riesz order %v: at least one must be positive", f.RieszOrder)
		}
	}
	return nil
}

// Apply filters img. The response has img's grid.
func (f IBSI) Apply(img *volume.Volume) (*volume.Volume, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("filter: IBSI %s: %w", f.Kind, err)
	}
	g := grid3{n: img.Dims, sp: img.Spacing}
	for a := 0; a < 3; a++ {
		if g.n[a] < 1 {
			return nil, fmt.Errorf("filter: IBSI %s: empty image", f.Kind)
		}
		if !(g.sp[a] > 0) {
			return nil, fmt.Errorf("filter: IBSI %s: spacing %v must be positive", f.Kind, g.sp)
		}
	}
	if f.Region != nil && !f.Region.Empty() && f.Kind != "simoncelli" && !strings.HasPrefix(f.Kind, "riesz") {
		return f.applyRegion(img, g)
	}
	out, err := f.run(g, img.Data, g.n)
	if err != nil {
		return nil, fmt.Errorf("filter: IBSI %s: %w", f.Kind, err)
	}
	v := volume.New(img.Grid)
	v.Data = out
	return v, nil
}

// applyRegion filters the Region grown by the filter's reach (clipped to
// the image: the boundary mode still acts at the image's own edges) and
// copies the Region's voxels into an otherwise zero response.
func (f IBSI) applyRegion(img *volume.Volume, g grid3) (*volume.Volume, error) {
	reach := f.reach(g)
	b := *f.Region
	for a := 0; a < 3; a++ {
		b.Min[a] = max(0, b.Min[a])
		b.Max[a] = min(g.n[a], b.Max[a])
	}
	grown := b
	for a := 0; a < 3; a++ {
		grown.Min[a] = max(0, b.Min[a]-reach[a])
		grown.Max[a] = min(g.n[a], b.Max[a]+reach[a])
		if f.Boundary == BoundaryPeriodic && (grown.Min[a] == 0 || grown.Max[a] == g.n[a]) {
			// The wrap reads the far side of the image.
			grown.Min[a], grown.Max[a] = 0, g.n[a]
		}
	}
	v := volume.New(img.Grid)
	if b.Empty() {
		return v, nil
	}
	sub := img.Crop(grown)
	var need [3][2]int
	for a := 0; a < 3; a++ {
		need[a] = [2]int{b.Min[a] - grown.Min[a], b.Max[a] - grown.Min[a]}
	}
	out, err := f.run(grid3{n: sub.Dims, sp: g.sp, need: &need}, sub.Data, g.n)
	if err != nil {
		return nil, fmt.Errorf("filter: IBSI %s: %w", f.Kind, err)
	}
	sn := sub.Dims
	for k := b.Min[2]; k < b.Max[2]; k++ {
		for j := b.Min[1]; j < b.Max[1]; j++ {
			src := (b.Min[0] - grown.Min[0]) + sn[0]*((j-grown.Min[1])+sn[1]*(k-grown.Min[2]))
			copy(v.Data[v.Index(b.Min[0], j, k):v.Index(b.Max[0], j, k)], out[src:src+b.Max[0]-b.Min[0]])
		}
	}
	return v, nil
}

// reach is how far (voxels, per axis) a response voxel reads the image.
func (f IBSI) reach(g grid3) [3]int {
	var r [3]int
	d := f.dims()
	all := func(h int) {
		for a := 0; a < d; a++ {
			r[a] = h
		}
	}
	switch f.Kind {
	case "mean":
		all(f.Size / 2)
	case "log":
		trunc := f.Truncate
		if trunc == 0 {
			trunc = 4
		}
		for a := 0; a < d; a++ {
			r[a] = int(math.Floor(trunc*f.Sigma/g.sp[a] + 0.5))
		}
	case "laws":
		ks, _ := f.lawsSet()
		h := 0
		for _, k := range ks {
			h = max(h, len(k)/2)
		}
		if f.Energy {
			h += f.Delta
		}
		all(h)
	case "wavelet":
		n := len(waveletKernel(pywtFilters[f.Wavelet][0])) / 2
		all(n * (1<<f.Level - 1))
	case "gabor":
		// Every in-plane axis of every plane used.
		h := 0
		for _, pl := range f.gaborPlanes() {
			h = max(h, f.gaborHalf(g, g.n, pl))
		}
		for _, pl := range f.gaborPlanes() {
			r[pl[1]], r[pl[2]] = h, h
		}
	}
	return r
}

// run computes the response of the filter on src (shape g); full is the
// whole image's shape (Gabor's kernel size follows it).
func (f IBSI) run(g grid3, src []float64, full [3]int) ([]float64, error) {
	var out []float64
	var err error
	img := struct{ Data []float64 }{src}
	switch f.Kind {
	case "mean":
		k := make([]float64, f.Size)
		for i := range k {
			k[i] = 1 / float64(f.Size)
		}
		out = g.separable(img.Data, f.axisKernels(k), f.Boundary)
	case "log":
		out = f.log(g, img.Data)
	case "laws":
		out, err = f.laws(g, img.Data)
	case "gabor":
		out = f.gabor(g, img.Data, full)
	case "wavelet":
		out = f.wavelet(g, img.Data)
	case "simoncelli":
		out = f.simoncelli(g, img.Data)
	case "riesz-log":
		out = f.riesz(g, f.log(g, img.Data))
	case "riesz-simoncelli":
		out = f.riesz(g, f.simoncelli(g, img.Data))
	}
	return out, err
}

// grid3 is an image's shape and spacing, axes x, y, z.
type grid3 struct {
	n  [3]int
	sp [3]float64
	// need, if not nil, bounds the voxels whose response is read (per axis,
	// [from, to)); Gabor filters only the slices within it.
	need *[3][2]int
}

func (g grid3) len() int { return g.n[0] * g.n[1] * g.n[2] }

func (g grid3) stride(a int) int {
	switch a {
	case 0:
		return 1
	case 1:
		return g.n[0]
	}
	return g.n[0] * g.n[1]
}

// axisKernels puts kernel k on each filtered axis (x, y; z too in 3D).
func (f IBSI) axisKernels(k []float64) [3][]float64 {
	ks := [3][]float64{k, k, k}
	if f.TwoD {
		ks[2] = nil
	}
	return ks
}

// conv1 convolves every line along axis a with the odd-length kernel w
// (scipy.ndimage.convolve1d: out[i] = Σ_k w[k] in[i + c - k], c = len/2).
func (g grid3) conv1(src []float64, a int, w []float64, b Boundary) []float64 {
	n, st := g.n[a], g.stride(a)
	c := len(w) / 2
	dst := make([]float64, len(src))
	ext := make([]float64, n+2*c)
	idx := make([]int, n+2*c)
	for t := range idx {
		idx[t] = b.extend(t-c, n)
	}
	forLines(g, a, func(base int) {
		for t, q := range idx {
			if q < 0 {
				ext[t] = 0
			} else {
				ext[t] = src[base+q*st]
			}
		}
		for i := 0; i < n; i++ {
			s := 0.0
			e := ext[i : i+2*c+1]
			for k, wk := range w {
				s += wk * e[2*c-k]
			}
			dst[base+i*st] = s
		}
	})
	return dst
}

// forLines calls fn with the start index of every line along axis a.
func forLines(g grid3, a int, fn func(base int)) {
	o1, o2 := (a+1)%3, (a+2)%3
	for j := 0; j < g.n[o2]; j++ {
		for i := 0; i < g.n[o1]; i++ {
			fn(i*g.stride(o1) + j*g.stride(o2))
		}
	}
}

// separable applies a kernel along each axis that has one.
func (g grid3) separable(src []float64, ks [3][]float64, b Boundary) []float64 {
	out := src
	for a := 2; a >= 0; a-- {
		if ks[a] != nil {
			out = g.conv1(out, a, ks[a], b)
		}
	}
	if len(out) > 0 && &out[0] == &src[0] {
		out = append([]float64(nil), src...)
	}
	return out
}

// log is IBSI's Laplacian of Gaussian: the kernel
// -1/σ² (2πσ²)^(-d/2) (d - |x|²/σ²) exp(-|x|²/(2σ²)) in voxel units,
// truncated at Truncate σ (support 1 + 2⌊Truncate σ + ½⌋ per axis), applied
// as the sum over axes of the Gaussian's second derivative along one axis
// times the Gaussian along the others (the same kernel, separated).
func (f IBSI) log(g grid3, src []float64) []float64 {
	trunc := f.Truncate
	if trunc == 0 {
		trunc = 4
	}
	d := f.dims()
	var g0, g2 [3][]float64
	for a := 0; a < d; a++ {
		s := f.Sigma / g.sp[a]
		r := int(math.Floor(trunc*s + 0.5))
		g0[a] = make([]float64, 2*r+1)
		g2[a] = make([]float64, 2*r+1)
		for i := -r; i <= r; i++ {
			x := float64(i)
			v := math.Exp(-x*x/(2*s*s)) / (math.Sqrt(2*math.Pi) * s)
			g0[a][i+r] = v
			g2[a][i+r] = (x*x/(s*s*s*s) - 1/(s*s)) * v
		}
	}
	out := make([]float64, len(src))
	for a := 0; a < d; a++ {
		var ks [3][]float64
		for b := 0; b < d; b++ {
			if b == a {
				ks[b] = g2[b]
			} else {
				ks[b] = g0[b]
			}
		}
		t := g.separable(src, ks, f.Boundary)
		for i, v := range t {
			out[i] += v
		}
	}
	return out
}

// rotation is a right-angle rotation of the axes: the filter along output
// axis a is the base filter of axis perm[a], reversed where flip[a].
type rotation struct {
	perm [3]int
	flip [3]bool
}

// rotations lists the proper rotations of the cube (24) or, in 2D, of the
// square (4): the signed axis permutations of determinant +1.
func rotations(d int) []rotation {
	var perms [][3]int
	if d == 2 {
		perms = [][3]int{{0, 1, 2}, {1, 0, 2}}
	} else {
		perms = [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	}
	var out []rotation
	for _, p := range perms {
		odd := 0
		for i := 0; i < d; i++ {
			for j := i + 1; j < d; j++ {
				if p[i] > p[j] {
					odd ^= 1
				}
			}
		}
		for m := 0; m < 1<<d; m++ {
			nf := 0
			var fl [3]bool
			for a := 0; a < d; a++ {
				if m>>a&1 == 1 {
					fl[a] = true
					nf++
				}
			}
			if (odd+nf)%2 == 0 {
				out = append(out, rotation{perm: p, flip: fl})
			}
		}
	}
	return out
}

func reversed(k []float64) []float64 {
	r := make([]float64, len(k))
	for i, v := range k {
		r[len(k)-1-i] = v
	}
	return r
}

// apply rotates a set of per-axis kernels.
func (r rotation) apply(ks [3][]float64, d int) [3][]float64 {
	var out [3][]float64
	for a := 0; a < d; a++ {
		k := ks[r.perm[a]]
		if r.flip[a] {
			k = reversed(k)
		}
		out[a] = k
	}
	return out
}

// pool combines per-rotation responses voxel by voxel.
type pooler struct {
	how string
	acc []float64
	n   float64
}

func (p *pooler) add(x []float64, w float64) {
	if p.acc == nil {
		p.acc = make([]float64, len(x))
		if p.how == "mean" {
			for i, v := range x {
				p.acc[i] = w * v
			}
		} else {
			copy(p.acc, x)
		}
		p.n = w
		return
	}
	p.n += w
	switch p.how {
	case "max":
		for i, v := range x {
			if v > p.acc[i] {
				p.acc[i] = v
			}
		}
	case "min":
		for i, v := range x {
			if v < p.acc[i] {
				p.acc[i] = v
			}
		}
	default:
		for i, v := range x {
			p.acc[i] += w * v
		}
	}
}

func (p *pooler) result() []float64 {
	if p.how == "mean" {
		for i := range p.acc {
			p.acc[i] /= p.n
		}
	}
	return p.acc
}

func (f IBSI) lawsSet() ([3][]float64, error) {
	var ks [3][]float64
	s := strings.ToUpper(f.Kernels)
	if len(s) != 2*f.dims() {
		return ks, fmt.Errorf("laws kernels %q: want %d kernels (one per axis, x first) from L3 E3 S3 L5 E5 S5 W5 R5", f.Kernels, f.dims())
	}
	for a := 0; a < f.dims(); a++ {
		k, ok := lawsKernels[s[2*a:2*a+2]]
		if !ok {
			return ks, fmt.Errorf("laws kernel %q unknown: want L3 E3 S3 L5 E5 S5 W5 R5", s[2*a:2*a+2])
		}
		norm := 0.0
		for _, v := range k {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		ks[a] = make([]float64, len(k))
		for i, v := range k {
			ks[a][i] = v / norm
		}
	}
	return ks, nil
}

// laws is IBSI's Laws filter: the separable product of 1D kernels,
// optionally pooled over rotations, then optionally the energy map.
func (f IBSI) laws(g grid3, src []float64) ([]float64, error) {
	ks, err := f.lawsSet()
	if err != nil {
		return nil, err
	}
	d := f.dims()
	rots := []rotation{{perm: [3]int{0, 1, 2}}}
	if f.RotationInvariant {
		rots = rotations(d)
	}
	p := pooler{how: f.pooling()}
	for _, r := range rots {
		p.add(g.separable(src, r.apply(ks, d), f.Boundary), 1)
	}
	out := p.result()
	if f.Energy {
		for i, v := range out {
			out[i] = math.Abs(v)
		}
		w := make([]float64, 2*f.Delta+1)
		for i := range w {
			w[i] = 1 / float64(len(w))
		}
		out = g.separable(out, f.axisKernels(w), f.Boundary)
	}
	return out, nil
}

// waveletKernel is a PyWavelets decomposition filter made odd by a
// trailing zero (the centring the IBSI-compliant implementations use).
func waveletKernel(k []float64) []float64 {
	k = append([]float64(nil), k...)
	if len(k)%2 == 0 {
		k = append(k, 0)
	}
	return k
}

// dilate inserts a zero between the taps (à trous).
func dilate(k []float64) []float64 {
	out := make([]float64, 2*len(k)-1)
	for i, v := range k {
		out[2*i] = v
	}
	return out
}

// wavelet is the undecimated separable wavelet: Level-1 low-pass passes
// (the à trous filters dilated after each), then the Set's filters.
func (f IBSI) wavelet(g grid3, src []float64) []float64 {
	fb := pywtFilters[f.Wavelet]
	lo, hi := waveletKernel(fb[0]), waveletKernel(fb[1])
	d := f.dims()
	var main, pre [3][]float64
	set := strings.ToUpper(f.Set)
	for a := 0; a < d; a++ {
		pre[a] = lo
		if set[a] == 'L' {
			main[a] = lo
		} else {
			main[a] = hi
		}
	}
	rots := []rotation{{perm: [3]int{0, 1, 2}}}
	if f.RotationInvariant {
		rots = rotations(d)
	}
	p := pooler{how: f.pooling()}
	for _, r := range rots {
		m, pr := r.apply(main, d), r.apply(pre, d)
		x := src
		for lvl := 1; lvl < f.Level; lvl++ {
			x = g.separable(x, pr, f.Boundary)
			for a := 0; a < d; a++ {
				m[a], pr[a] = dilate(m[a]), dilate(pr[a])
			}
		}
		p.add(g.separable(x, m, f.Boundary), 1)
	}
	return p.result()
}
