package texture

import "math"

// countCoef holds one count matrix P(i,j) of the run-length, size-zone and
// dependence families (rows: grey levels i; columns: run length, zone size
// or dependence count j) with the sums their features share. The
// formulas of those three families are the same up to the meaning of j.
type countCoef struct {
	nr, nc int
	i, j   []float64 // row and column values
	p      []float64 // nr×nc counts (possibly weighted)
	pg, pc []float64 // row sums Σ_j P(i,j), column sums Σ_i P(i,j)
	n      float64   // N = Σ P(i,j): runs, zones or voxels
	np     float64   // Σ_j j Σ_i P(i,j): voxels covered

	// i², 1/i² of each row value and j², 1/j² of each column value,
	// computed once per call instead of once per entry and direction
	i2, im2, j2, jm2 []float64
	// the four emphases with a, b ≠ 0 (index emphasisMixed), found in one
	// pass on first use after set
	mixed     [4]float64
	mixedDone bool
	// entropy's terms q log2(q+ε) of the counts 1 … 63, by count
	terms [64]float64
}

func newCountCoef(i, j []float64) *countCoef {
	c := &countCoef{nr: len(i), nc: len(j), i: i, j: j, pg: make([]float64, len(i)), pc: make([]float64, len(j))}
	c.i2, c.im2 = squares(i)
	c.j2, c.jm2 = squares(j)
	return c
}

// squares returns x² and 1/x² (as 1/(x·x), emphasis' pw rounds it) of
// each x.
func squares(x []float64) (sq, inv []float64) {
	sq, inv = make([]float64, len(x)), make([]float64, len(x))
	for k, v := range x {
		sq[k], inv[k] = v*v, 1/(v*v)
	}
	return sq, inv
}

func (c *countCoef) set(p []float64) {
	c.p = p
	c.mixedDone = false
	clear(c.pg)
	clear(c.pc)
	c.n, c.np = 0, 0
	for r := range c.nr {
		for k, v := range p[r*c.nc : (r+1)*c.nc] {
			c.pg[r] += v
			c.pc[k] += v
		}
	}
	for _, v := range c.pg {
		c.n += v
	}
	for k, v := range c.pc {
		c.np += v * c.j[k]
	}
}

// emphasis returns Σ_i Σ_j P(i,j) i^a j^b / N for a, b in {-2, 0, 2}:
// with a = 0 (b = 0) from the column (row) sums, otherwise from the one
// pass of mixedEmphases. The powers come from the tables of newCountCoef
// (x·x and 1/(x·x)), so each sum is added up, term by term, as
// Σ (P(i,j)·i^a)·j^b in row-major order.
func (c *countCoef) emphasis(a, b int) float64 {
	pw := func(e int, sq, inv []float64) []float64 {
		switch e {
		case 2:
			return sq
		case -2:
			return inv
		}
		return nil
	}
	s := 0.0
	switch {
	case a == 0 && b == 0:
		for _, v := range c.pc {
			s += v
		}
	case a == 0:
		w := pw(b, c.j2, c.jm2)
		for k, v := range c.pc {
			s += v * w[k]
		}
	case b == 0:
		w := pw(a, c.i2, c.im2)
		for r, v := range c.pg {
			s += v * w[r]
		}
	default:
		s = c.mixedEmphases()[emphasisMixed(a, b)]
	}
	return s / c.n
}

// emphasisMixed is the index in countCoef.mixed of the emphasis with
// powers a, b ∈ {-2, 2}: (2,2), (-2,2), (2,-2), (-2,-2).
func emphasisMixed(a, b int) int { return b2i(a < 0) + 2*b2i(b < 0) }

// mixedEmphases returns the four sums Σ_i Σ_j P(i,j) i^a j^b with a, b ∈
// {-2, 2} (emphasisMixed order), found in one pass over P on the first
// call after set; each is added up in row-major order, (P·i^a)·j^b, as
// its own loop would.
func (c *countCoef) mixedEmphases() *[4]float64 {
	if c.mixedDone {
		return &c.mixed
	}
	var pp, mp, pm, mm float64
	j2, jm2 := c.j2[:c.nc], c.jm2[:c.nc]
	for r := range c.nr {
		wi, wim := c.i2[r], c.im2[r]
		row := c.p[r*c.nc : (r+1)*c.nc]
		for k, v := range row {
			if v == 0 {
				continue // adds exactly 0 (most of a sparse matrix)
			}
			x, y := v*wi, v*wim
			pp += x * j2[k]
			mp += y * j2[k]
			pm += x * jm2[k]
			mm += y * jm2[k]
		}
	}
	c.mixed, c.mixedDone = [4]float64{pp, mp, pm, mm}, true
	return &c.mixed
}

// nonUniformity returns Σ s² / N (normalised: / N²) for s the row sums
// (grey level non-uniformity) or the column sums.
func (c *countCoef) nonUniformity(rows, normalised bool) float64 {
	sums := c.pc
	if rows {
		sums = c.pg
	}
	s := 0.0
	for _, v := range sums {
		s += v * v
	}
	if normalised {
		return s / (c.n * c.n)
	}
	return s / c.n
}

// variance returns Σ p (x-μ)² with p = s/N and μ = Σ p x, for s the row sums
// and x the grey levels, or the column sums and the column values.
func (c *countCoef) variance(rows bool) float64 {
	sums, x := c.pc, c.j
	if rows {
		sums, x = c.pg, c.i
	}
	mu := 0.0
	for k, v := range sums {
		mu += v / c.n * x[k]
	}
	s := 0.0
	for k, v := range sums {
		d := x[k] - mu
		s += v / c.n * d * d
	}
	return s
}

// entropy returns -Σ p log2(p+ε) with p = P/N. A zero P adds exactly 0
// and is skipped (most of a run-length or size-zone matrix); without any
// count (N = 0) every 0/N is NaN, and so is the sum.
//
// A count that is a small whole number (the unweighted matrices' counts)
// has its term found once per set: the same count gives the same q, so
// the same term.
func (c *countCoef) entropy() float64 {
	if c.n == 0 && len(c.p) > 0 {
		return math.NaN()
	}
	terms := c.terms[:]
	clear(terms)
	s := 0.0
	for _, v := range c.p {
		if v == 0 {
			continue
		}
		var t float64
		if v > 0 && v < float64(len(terms)) && float64(int(v)) == v {
			k := int(v)
			if t = terms[k]; t == 0 { // 0: not yet (or a term 0, found again)
				q := v / c.n
				t = q * log2(q+eps)
				terms[k] = t
			}
		} else {
			q := v / c.n
			t = q * log2(q+eps)
		}
		s -= t
	}
	return s
}
