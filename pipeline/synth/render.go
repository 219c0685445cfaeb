package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/scirad/scirad/pipeline/volume"
)

// center is one hospital's scanner: how tissue T2 values (CSF = 1) become
// stored intensities. The three differ as GE scanners run with different
// TR/TE and coils would.
type center struct {
	scale, offset float64 // intensity of CSF and of air before noise
	gamma         float64 // contrast: tissue value t becomes t^gamma
	noise         float64 // Rician noise SD as a fraction of scale
	biasSI        float64 // log bias field: linear along SI (±1 over the FOV)
	biasAP        float64 // quadratic along AP
	biasLR        float64 // linear across slices (per 30 mm)
}

var centers = map[string]center{
	"A": {scale: 1100, offset: 0, gamma: 1.0, noise: 0.02, biasSI: 0.25, biasAP: 0.30, biasLR: 0.05},
	"B": {scale: 2600, offset: 80, gamma: 0.75, noise: 0.03, biasSI: -0.35, biasAP: 0.15, biasLR: 0.10},
	"C": {scale: 750, offset: 30, gamma: 1.3, noise: 0.045, biasSI: 0.15, biasAP: 0.50, biasLR: -0.10},
}

// Tissue T2 values relative to CSF.
const (
	t2CSF       = 1.0
	t2Cord      = 0.36
	t2Dura      = 0.12
	t2Marrow    = 0.42
	t2Cortex    = 0.10
	t2Nucleus   = 0.70
	t2Annulus   = 0.25
	t2Spur      = 0.22 // disc herniation or osteophyte indenting the canal
	t2Bone      = 0.30 // posterior elements, clivus
	t2Ligament  = 0.15
	t2Muscle    = 0.28
	t2Fat       = 0.85
	t2Soft      = 0.32
	t2Airway    = 0.02
	t2Brain     = 0.45
	lesionGain  = 0.55 // oedema brightening at Oedema = 1
	edgeSoft    = 1.5  // mm, cranio-caudal softness of the lesion ends
	crossSoft   = 0.12 // fraction of the cord radius, softness of the lesion rim
	compressLen = 6.0  // mm, cranio-caudal half-width of a compression
)

// vertebra is one level: body from top to bottom (mm below the foramen
// magnum), and the spinous process length.
type vertebra struct {
	top, bottom, spinous float64
}

// anatomy is one patient's body, in mm: u runs anterior→posterior from the
// FOV's anterior edge, v inferior→superior from its lower edge, w
// left→right from the midline.
type anatomy struct {
	k        Case
	geo      geometry
	fovAP    float64
	fovSI    float64
	vFM      float64 // v of the foramen magnum
	u0       float64 // canal centre at the foramen magnum
	lordosis float64 // mm, anterior bow of the cervical canal
	cordA    float64 // cord semi-axes, AP and LR
	cordB    float64
	csfA     float64 // thecal sac semi-axes
	csfB     float64
	depth    float64 // vertebral body AP depth
	midline  float64 // w of the patient's midline relative to the centre slice
	dComp    float64 // compression centre, mm below the foramen magnum
	levels   []vertebra
	rater2   float64 // rater 2's systematic bias on the lesion extent
	rater2C  float64 // and on the cord radius

	tex, hemo, edge, edge2, marrow *field
}

func newAnatomy(rng *rand.Rand, k Case, geo geometry) *anatomy {
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	a := &anatomy{k: k, geo: geo}
	a.fovAP = float64(geo.nAP) * geo.pixel
	a.fovSI = float64(geo.nSI) * geo.pixel
	a.vFM = a.fovSI - geo.skull - u(-2, 2)
	a.u0 = 0.55*a.fovAP + u(-3, 3)
	a.lordosis = u(2, 7)
	a.cordA, a.cordB = u(3.5, 4.3), u(5.5, 6.8)
	a.csfA, a.csfB = a.cordA+u(2.5, 4), a.cordB+u(3, 5)
	a.depth = u(15, 18)
	a.midline = u(-1.5, 1.5)
	a.dComp = k.LesionCenter + u(-3, 3)
	a.rater2 = 0.06 * rng.NormFloat64()
	a.rater2C = 0.03 * rng.NormFloat64()
	sc := u(0.92, 1.08)
	d := 38 * sc // C2 body, dens included, ends 38 mm below the foramen magnum
	a.levels = append(a.levels, vertebra{top: 5, bottom: d, spinous: 32})
	for lvl := 3; d < a.vFM+20; lvl++ {
		h, disc, sp := 14*sc, 5*sc, 20.0
		if lvl >= 8 { // thoracic
			h, disc, sp = 17*sc, 5.5*sc, 30
		}
		if lvl == 7 {
			sp = 34 // vertebra prominens
		}
		a.levels = append(a.levels, vertebra{top: d + disc, bottom: d + disc + h, spinous: sp})
		d += disc + h
	}
	halfW := float64(k.Slices)/2*geo.sliceGap + 4
	lo := [3]float64{a.u0 - 25, 0, -halfW}
	hi := [3]float64{a.u0 + 25, a.fovSI, halfW}
	a.tex = newField(rng, lo, hi, 1.6)
	a.hemo = newField(rng, lo, hi, 2.5)
	a.edge = newField(rng, lo, hi, 4)
	a.edge2 = newField(rng, lo, hi, 4)
	a.marrow = newField(rng, [3]float64{0, 0, -halfW}, [3]float64{a.fovAP, a.fovSI, halfW}, 3)
	return a
}

// row holds what depends only on the cranio-caudal position.
type row struct {
	v, d       float64 // v, and mm below the foramen magnum
	uc         float64 // canal centre
	csfA, csfB float64
	wall       float64 // anterior canal wall, relative to uc (−csfA without compression)
	cordA      float64
	cordB      float64
	cordShift  float64 // cord centre relative to uc
	part       int     // partNone, partBody, partDisc, partEndplate
	swell      float64 // smooth lesion profile for swelling
}

const (
	partNone = iota
	partBody
	partDisc
	partEndplate
)

func smoothstep(x float64) float64 {
	x = math.Min(1, math.Max(0, x))
	return x * x * (3 - 2*x)
}

func (a *anatomy) row(v float64) row {
	r := row{v: v, d: a.vFM - v}
	// Cervical lordosis: the canal bows anteriorly between the foramen
	// magnum and about C7 (110 mm), then drifts back (thoracic kyphosis).
	s := r.d / 110
	switch {
	case s < 0:
		r.uc = a.u0 // straight above the foramen magnum
	case s <= 1:
		r.uc = a.u0 - a.lordosis*math.Sin(math.Pi*s)
	default:
		r.uc = a.u0 + 0.5*a.lordosis*math.Sin(math.Pi*math.Min(1, (s-1)/1.2))
	}
	r.csfA, r.csfB, r.cordA, r.cordB = a.csfA, a.csfB, a.cordA, a.cordB
	if r.d < 0 { // medulla and cisterns widen above the foramen magnum
		f := math.Min(1, -r.d/15)
		r.cordA *= 1 + 0.5*f
		r.cordB *= 1 + 0.6*f
		r.csfA *= 1 + 0.9*f
		r.csfB *= 1 + 0.9*f
	}
	// Cervical enlargement around C5–C6.
	r.cordB *= 1 + 0.12*math.Exp(-sq((r.d-75)/20))
	k := a.k
	r.swell = smoothstep((k.LesionLength/2 - math.Abs(r.d-k.LesionCenter)) / (2 * edgeSoft))
	r.cordA *= 1 + k.Swelling*r.swell
	r.cordB *= 1 + k.Swelling*r.swell
	r.wall = -r.csfA
	if k.Compression > 0 {
		gc := math.Exp(-sq((r.d - a.dComp) / compressLen))
		r.wall = -r.csfA + 2*r.csfA*k.Compression*gc
		room := (r.csfA - r.wall) / 2 * 0.95
		if r.cordA > room { // flattened cord spreads sideways
			r.cordB *= 1 + 0.5*(r.cordA-room)/r.cordA
			r.cordA = room
		}
		r.cordShift = math.Max(0, r.wall+r.cordA+0.2)
		r.cordShift = math.Min(r.cordShift, r.csfA-r.cordA)
	}
	for _, l := range a.levels {
		switch {
		case r.d >= l.top && r.d <= l.bottom:
			r.part = partBody
			if r.d-l.top < 1 || l.bottom-r.d < 1 {
				r.part = partEndplate
			}
		case r.d > l.bottom && r.d < l.bottom+5.5 && r.part == partNone:
			r.part = partDisc
		}
	}
	if r.d < 5 {
		r.part = partNone
	}
	return r
}

func sq(x float64) float64 { return x * x }

// spinous is the length of the spinous process whose root spans the
// height d (mm below the foramen magnum), 0 if none; the caller shifts d
// with the distance from the canal so that the processes slope downward.
func (a *anatomy) spinous(d float64) float64 {
	for _, l := range a.levels {
		if d >= l.top+4 && d <= l.bottom+3 {
			return l.spinous
		}
	}
	return 0
}

// lesion is the oedema membership (0–1) at a point of the cord, for the
// image (second == false) or for rater 2's boundary.
func (a *anatomy) lesion(r *row, u, w, du, dw float64, second bool) float64 {
	k := a.k
	e := a.edge.at(u, r.v, w)
	bias := 0.0
	if second {
		e = 0.6*e + 0.8*a.edge2.at(u, r.v, w)
		bias = a.rater2
	}
	half := k.LesionLength / 2 * (1 + 0.15*e + bias)
	lg := (half-math.Abs(r.d-k.LesionCenter))/edgeSoft + 0.5
	rad := math.Sqrt(sq(du/r.cordA) + sq(dw/r.cordB))
	cg := (k.LesionWidth*(1+0.2*e+bias)-rad)/crossSoft + 0.5
	return math.Min(1, math.Max(0, math.Min(lg, cg)))
}

// tissue is the T2 value at (u, w) on row r (w relative to the midline).
func (a *anatomy) tissue(r *row, u, w float64) float64 {
	du := u - r.uc
	aw := math.Abs(w)
	if sq(du/r.csfA)+sq(w/r.csfB) <= 1 {
		if du < r.wall {
			return t2Spur
		}
		dc := du - r.cordShift
		if sq(dc/r.cordA)+sq(w/r.cordB) <= 1 {
			return a.cord(r, u, w, dc)
		}
		return t2CSF
	}
	if sq(du/(r.csfA+1))+sq(w/(r.csfB+1)) <= 1 {
		return t2Dura
	}
	front := -(r.csfA + 1) // anterior edge of the dura
	back := r.csfA + 1
	if r.d < 0 { // posterior fossa above the foramen magnum
		switch {
		case du < front-12:
			return t2Soft
		case du < front:
			return t2Bone // clivus
		case du > back+35:
			return t2Fat
		case du > back+28:
			return t2Cortex // occipital bone
		}
		return t2Brain
	}
	switch {
	case du < front-a.depth: // prevertebral
		e := front - a.depth - du
		switch {
		case e < 5:
			return t2Muscle
		case e < 19 && aw < 10:
			return t2Airway
		case e < 45:
			return t2Soft
		case e < 49:
			return t2Fat
		}
		return 0
	case du < front: // vertebral column
		if aw > 13 {
			return t2Muscle
		}
		e := du - (front - a.depth) // 0 at the anterior face
		switch r.part {
		case partBody:
			if e < 1 || a.depth-e < 1 || aw > 12 {
				return t2Cortex
			}
			return t2Marrow * (1 + 0.12*a.marrow.at(u, r.v, w))
		case partEndplate:
			return t2Cortex
		case partDisc:
			if sq((e-0.5*a.depth)/(0.32*a.depth))+sq(w/9) <= 1 {
				return t2Nucleus
			}
			return t2Annulus
		}
		return t2Soft
	}
	e := du - back // posterior of the canal
	switch {
	case e < 12 && aw > 4:
		return t2Bone // laminae and facets
	case aw <= 4 && e < 36:
		if l := a.spinous(r.d - 0.45*e); e < l-1 {
			return t2Bone
		} else if e < l {
			return t2Cortex
		}
		if e < 30 {
			return t2Ligament
		}
		return t2Muscle
	case e < 50:
		if math.Sin(r.v*0.35+e*0.2) > 0.93 {
			return t2Fat // intermuscular fat planes
		}
		return t2Muscle
	case e < 56:
		return t2Fat
	}
	return 0
}

// cord is the cord's T2 value: diffuse texture everywhere, and in the
// lesion oedema brightening broken by haemorrhagic dark foci.
func (a *anatomy) cord(r *row, u, w, dc float64) float64 {
	k := a.k
	t := a.tex.at(u, r.v, w)
	val := t2Cord * (1 + 0.18*k.CordTexture*t)
	if m := a.lesion(r, u, w, dc, w, false); m > 0 {
		hem := math.Max(0, 1.4*a.hemo.at(u, r.v, w))
		val += m * (lesionGain*k.Oedema*(1-0.75*k.Heterogeneity*hem) + 0.08*k.Heterogeneity*t)
	}
	return math.Max(0.05, val)
}

// Render draws patient i's image and both raters' masks. Image voxels are
// integers in [0, 32767] (int16-safe); masks hold 0, 1 (injured cord) and
// 2 (rest of the cord).
func (c *Cohort) Render(i int) (img, mask, mask2 *volume.Volume, err error) {
	if i < 0 || i >= len(c.Cases) {
		panic(fmt.Sprintf("synth: patient index %d out of range", i))
	}
	k := c.Cases[i]
	rng := rand.New(rand.NewPCG(c.Seed, 0x1000_0000+uint64(i)))
	geo := c.Size.geometry()
	a := newAnatomy(rng, k, geo)
	sc, ok := centers[k.Center]
	if !ok {
		return nil, nil, nil, fmt.Errorf("synth: unknown centre %q", k.Center)
	}
	// Per-patient jitter of the centre's scanner settings.
	sc.scale *= 1 + 0.08*rng.NormFloat64()
	sc.biasSI += 0.05 * rng.NormFloat64()
	sc.biasAP += 0.05 * rng.NormFloat64()
	sc.biasLR += 0.05 * rng.NormFloat64()

	g := geo.grid(k.Slices, a.vFM)
	img, mask, mask2 = volume.New(g), volume.New(g), volume.New(g)
	nsub := geo.subInPlane
	offs := make([]float64, nsub)
	for s := range offs {
		offs[s] = ((float64(s)+0.5)/float64(nsub) - 0.5) * geo.pixel
	}
	thick := []float64{-geo.thickness / 3, 0, geo.thickness / 3}
	norm := 1 / float64(nsub*nsub*len(thick))
	rows := make([]row, nsub)
	for j := 0; j < geo.nSI; j++ {
		vc := float64(j) * geo.pixel
		for s, o := range offs {
			rows[s] = a.row(vc + o)
		}
		centre := a.row(vc)
		for kk := 0; kk < k.Slices; kk++ {
			wc := (float64(kk)-float64(k.Slices-1)/2)*geo.sliceGap - a.midline
			for i := 0; i < geo.nAP; i++ {
				uc := float64(i) * geo.pixel
				var sum float64
				for sv := range rows {
					for _, ou := range offs {
						for _, ow := range thick {
							sum += a.tissue(&rows[sv], uc+ou, wc+ow)
						}
					}
				}
				t := math.Pow(sum*norm, sc.gamma)
				zeta := (vc/a.fovSI - 0.5) * 2
				xi := (uc/a.fovAP - 0.5) * 2
				bias := math.Exp(sc.biasSI*zeta + sc.biasAP*xi*xi + sc.biasLR*wc/30)
				s := sc.scale * t * bias
				n1, n2 := sc.noise*sc.scale*rng.NormFloat64(), sc.noise*sc.scale*rng.NormFloat64()
				x := math.Round(sc.offset + math.Hypot(s+n1, n2))
				idx := g.Index(i, j, kk)
				img.Data[idx] = math.Min(32767, math.Max(0, x))
				mask.Data[idx] = a.label(&centre, uc, wc, false)
				mask2.Data[idx] = a.label(&centre, uc, wc, true)
			}
		}
	}
	return img, mask, mask2, nil
}

// label is a rater's label at a voxel centre: 1 in the lesion, 2 in the
// rest of the cord, 0 elsewhere. Rater 2's cord and lesion boundaries are
// moved by smooth random fields and a systematic per-patient bias.
func (a *anatomy) label(r *row, u, w float64, second bool) float64 {
	du := u - r.uc
	if du < r.wall {
		return 0
	}
	dc := du - r.cordShift
	lim := 1.0
	if second {
		lim += 0.07*a.edge2.at(u+7, r.v, w) + a.rater2C
	}
	if sq(dc/r.cordA)+sq(w/r.cordB) > lim*lim {
		return 0
	}
	if a.lesion(r, u, w, dc, w, second) >= 0.5 {
		return 1
	}
	return 2
}
