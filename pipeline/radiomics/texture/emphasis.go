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
}

func newCountCoef(i, j []float64) *countCoef {
	return &countCoef{nr: len(i), nc: len(j), i: i, j: j, pg: make([]float64, len(i)), pc: make([]float64, len(j))}
}

func (c *countCoef) set(p []float64) {
	c.p = p
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

// emphasis returns Σ_i Σ_j P(i,j) i^a j^b / N for a, b in {-2, 0, 2}.
func (c *countCoef) emphasis(a, b int) float64 {
	pw := func(x float64, e int) float64 {
		switch e {
		case 2:
			return x * x
		case -2:
			return 1 / (x * x)
		}
		return 1
	}
	s := 0.0
	switch {
	case a == 0:
		for k, v := range c.pc {
			s += v * pw(c.j[k], b)
		}
	case b == 0:
		for r, v := range c.pg {
			s += v * pw(c.i[r], a)
		}
	default:
		for r := range c.nr {
			wi := pw(c.i[r], a)
			for k, v := range c.p[r*c.nc : (r+1)*c.nc] {
				s += v * wi * pw(c.j[k], b)
			}
		}
	}
	return s / c.n
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
func (c *countCoef) entropy() float64 {
	if c.n == 0 && len(c.p) > 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range c.p {
		if v != 0 {
			q := v / c.n
			s -= q * log2(q+eps)
		}
	}
	return s
}
