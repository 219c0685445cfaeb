package ibsi

import (
	"math"
	"slices"
)

// cmNames are the GLCM features of IBSI 3.6 with their reference tag stems.
var cmNames = []string{"joint_max", "joint_avg", "joint_var", "joint_entr", "diff_avg", "diff_var", "diff_entr",
	"sum_avg", "sum_var", "sum_entr", "energy", "contrast", "dissimilarity", "inv_diff", "inv_diff_norm",
	"inv_diff_mom", "inv_diff_mom_norm", "inv_var", "corr", "auto_corr", "clust_tend", "clust_shade",
	"clust_prom", "info_corr1", "info_corr2"}

// denseLevels is the largest number of grey levels present for which a
// GLCM is held as a dense L×L array; above it the counts are kept in a map,
// so memory follows the pairs seen, not the square of the levels (a variable
// so that a test can run both).
var denseLevels = 256

// cmat is one co-occurrence count matrix over the compact grey levels 1..L.
type cmat struct {
	l     int
	dense []float64 // (a-1)*l + (b-1), when l <= denseLevels
	sp    map[[2]int32]float64
	n     float64
}

func newCmat(l int) *cmat {
	if l <= denseLevels {
		return &cmat{l: l, dense: make([]float64, l*l)}
	}
	return &cmat{l: l, sp: map[[2]int32]float64{}}
}

func (m *cmat) inc(a, b int32) {
	if m.dense != nil {
		m.dense[int(a-1)*m.l+int(b-1)]++
	} else {
		m.sp[[2]int32{a, b}]++
	}
	m.n++
}

func (m *cmat) reset() {
	clear(m.dense)
	clear(m.sp)
	m.n = 0
}

func (m *cmat) add(o *cmat) {
	for k, v := range o.dense {
		m.dense[k] += v
	}
	for k, v := range o.sp {
		m.sp[k] += v
	}
	m.n += o.n
}

// entries returns the non-zero counts as (a, b, count) in row-major order.
func (m *cmat) entries() []cmEntry {
	var es []cmEntry
	if m.dense != nil {
		for k, v := range m.dense {
			if v != 0 {
				es = append(es, cmEntry{int32(k/m.l + 1), int32(k%m.l + 1), v})
			}
		}
		return es
	}
	for k, v := range m.sp {
		es = append(es, cmEntry{k[0], k[1], v})
	}
	slices.SortFunc(es, func(x, y cmEntry) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	return es
}

type cmEntry struct {
	a, b int32
	c    float64
}

// countPairs adds the symmetric co-occurrences of the voxels of slices
// z0..z1-1 with their neighbour at offset off (anywhere in the box) to m.
func (g *grid) countPairs(m *cmat, off [3]int, z0, z1 int) {
	for z := z0; z < z1; z++ {
		for y := range g.ny {
			row := g.nx * (y + g.ny*z)
			for x := range g.nx {
				a := g.lev[row+x]
				if a == 0 {
					continue
				}
				b := g.level(x+off[0], y+off[1], z+off[2])
				if b == 0 {
					continue
				}
				m.inc(a, b)
				m.inc(b, a)
			}
		}
	}
}

// cooccurrence writes the cm_ features in their six aggregations.
func (g *grid) cooccurrence(out map[string]float64) {
	l := len(g.val) - 1
	var avg2D, comb2D, avg25, avg3D mean
	perDir := make([]*cmat, 13) // volume (2.5D for the first 4 = 3D's in-plane directions)
	for d := range perDir {
		perDir[d] = newCmat(l)
	}
	slice, comb := newCmat(l), newCmat(l)
	for z := range g.nz {
		comb.reset()
		for d := range 4 {
			slice.reset()
			g.countPairs(slice, directions[d], z, z+1)
			if slice.n == 0 {
				continue
			}
			avg2D.add(g.glcmFeatures(slice))
			comb.add(slice)
			perDir[d].add(slice)
		}
		if comb.n > 0 {
			comb2D.add(g.glcmFeatures(comb))
		}
	}
	all25 := newCmat(l)
	for d := range 4 {
		if perDir[d].n > 0 {
			avg25.add(g.glcmFeatures(perDir[d]))
			all25.add(perDir[d])
		}
	}
	for d := 4; d < 13; d++ {
		g.countPairs(perDir[d], directions[d], 0, g.nz)
	}
	all3 := newCmat(l)
	for d := range 13 {
		if perDir[d].n > 0 {
			avg3D.add(g.glcmFeatures(perDir[d]))
			all3.add(perDir[d])
		}
	}
	avg2D.put(out, "cm_", cmNames, "2D_avg")
	comb2D.put(out, "cm_", cmNames, "2D_comb")
	avg25.put(out, "cm_", cmNames, "2_5D_avg")
	if all25.n > 0 {
		put(out, "cm_", cmNames, "2_5D_comb", g.glcmFeatures(all25))
	}
	avg3D.put(out, "cm_", cmNames, "3D_avg")
	if all3.n > 0 {
		put(out, "cm_", cmNames, "3D_comb", g.glcmFeatures(all3))
	}
}

// distribution is a probability distribution over integer values (the
// p_{x-y} and p_{x+y} of IBSI 3.6), summed in value order.
type distribution map[int64]float64

func (d distribution) moments() (mean, variance, entropy float64) {
	ks := make([]int64, 0, len(d))
	for k := range d {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	for _, k := range ks {
		p := d[k]
		mean += float64(k) * p
		entropy -= p * math.Log2(p)
	}
	for _, k := range ks {
		variance += (float64(k) - mean) * (float64(k) - mean) * d[k]
	}
	return mean, variance, entropy
}

// glcmFeatures computes the cm_ features (cmNames order) of one count
// matrix (IBSI 3.6): grey levels are g.val of the compact indices, Ng is
// g.ng.
func (g *grid) glcmFeatures(m *cmat) []float64 {
	es := m.entries()
	n := m.n
	val := g.val
	px := make([]float64, len(val))
	py := make([]float64, len(val))
	diff := distribution{}
	sum := distribution{}
	var jmax, mu, ent, energy, contrast, dissim, idf, idfn, idm, idmn, auto, ivar float64
	fng := float64(g.ng)
	for _, e := range es {
		p := e.c / n
		i, j := val[e.a], val[e.b]
		d := math.Abs(i - j)
		px[e.a] += p
		py[e.b] += p
		diff[int64(d)] += p
		sum[int64(i+j)] += p
		jmax = max(jmax, p)
		mu += i * p
		ent -= p * math.Log2(p)
		energy += p * p
		contrast += d * d * p
		dissim += d * p
		idf += p / (1 + d)
		idfn += p / (1 + d/fng)
		idm += p / (1 + d*d)
		idmn += p / (1 + d*d/(fng*fng))
		auto += i * j * p
		if d > 0 {
			ivar += p / (d * d)
		}
	}
	var mux, muy, hx, hy float64
	for c := 1; c < len(val); c++ {
		mux += val[c] * px[c]
		muy += val[c] * py[c]
		if px[c] > 0 {
			hx -= px[c] * math.Log2(px[c])
		}
		if py[c] > 0 {
			hy -= py[c] * math.Log2(py[c])
		}
	}
	var sx, sy float64
	for c := 1; c < len(val); c++ {
		sx += (val[c] - mux) * (val[c] - mux) * px[c]
		sy += (val[c] - muy) * (val[c] - muy) * py[c]
	}
	var jvar, cov, ct, cs, cp, hxy1 float64
	for _, e := range es {
		p := e.c / n
		i, j := val[e.a], val[e.b]
		jvar += (i - mu) * (i - mu) * p
		cov += (i - mux) * (j - muy) * p
		t := i + j - mux - muy
		ct += t * t * p
		cs += t * t * t * p
		cp += t * t * t * t * p
		hxy1 -= p * math.Log2(px[e.a]*py[e.b])
	}
	// HXY2 = -Σ_i Σ_j p_x(i) p_y(j) log2(p_x(i) p_y(j)) = HX + HY, as the
	// marginals sum to 1.
	hxy2 := hx + hy
	davg, dvar, dent := diff.moments()
	savg, svar, sent := sum.moments()
	corr := cov / math.Sqrt(sx*sy)
	ic1 := (ent - hxy1) / max(hx, hy)
	ic2 := 0.0
	if hxy2 > ent { // equal (or rounded below) when the marginals are independent
		ic2 = math.Sqrt(1 - math.Exp(-2*(hxy2-ent)))
	}
	return []float64{jmax, mu, jvar, ent, davg, dvar, dent, savg, svar, sent, energy, contrast, dissim,
		idf, idfn, idm, idmn, ivar, corr, auto, ct, cs, cp, ic1, ic2}
}
