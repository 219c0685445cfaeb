package synth

import "math/rand/v2"

// field is smooth value noise: independent N(0,1) values on a cubic lattice
// of pitch cell millimetres, blended with a smoothstep-weighted trilinear
// interpolation. It models texture and boundary irregularity with a
// controllable grain (the correlation length is about one cell).
type field struct {
	cell   float64
	origin [3]float64 // mm position of lattice node (0,0,0)
	n      [3]int
	v      []float64
}

// newField covers the box [lo, hi] (mm) with a lattice of pitch cell.
func newField(rng *rand.Rand, lo, hi [3]float64, cell float64) *field {
	f := &field{cell: cell, origin: lo}
	total := 1
	for a := 0; a < 3; a++ {
		f.n[a] = int((hi[a]-lo[a])/cell) + 3
		total *= f.n[a]
	}
	f.v = make([]float64, total)
	for i := range f.v {
		f.v[i] = rng.NormFloat64()
	}
	return f
}

// at is the field at (x, y, z) mm; points outside the lattice are clamped
// to its border.
func (f *field) at(x, y, z float64) float64 {
	var i [3]int
	var t [3]float64
	for a, p := range [3]float64{x, y, z} {
		g := (p - f.origin[a]) / f.cell
		if g < 0 {
			g = 0
		}
		if hi := float64(f.n[a] - 2); g > hi {
			g = hi
		}
		i[a] = int(g)
		r := g - float64(i[a])
		t[a] = r * r * (3 - 2*r) // smoothstep
	}
	nx, nxy := f.n[0], f.n[0]*f.n[1]
	o := i[0] + nx*i[1] + nxy*i[2]
	lerp := func(a, b, t float64) float64 { return a + (b-a)*t }
	c00 := lerp(f.v[o], f.v[o+1], t[0])
	c10 := lerp(f.v[o+nx], f.v[o+nx+1], t[0])
	c01 := lerp(f.v[o+nxy], f.v[o+nxy+1], t[0])
	c11 := lerp(f.v[o+nxy+nx], f.v[o+nxy+nx+1], t[0])
	return lerp(lerp(c00, c10, t[1]), lerp(c01, c11, t[1]), t[2])
}
