package ibsi

import "math"

// cmNames are the GLCM features of IBSI 3.6 with their reference tag stems.
var cmNames = []string{"joint_max", "joint_avg", "joint_var", "joint_entr", "diff_avg", "diff_var", "diff_entr",
	"sum_avg", "sum_var", "sum_entr", "energy", "contrast", "dissimilarity", "inv_diff", "inv_diff_norm",
	"inv_diff_mom", "inv_diff_mom_norm", "inv_var", "corr", "auto_corr", "clust_tend", "clust_shade",
	"clust_prom", "info_corr1", "info_corr2"}

// countPairs adds the symmetric co-occurrences of the voxels of slices
// z0..z1-1 with their neighbour at offset off (anywhere in the box) to the
// ng×ng count matrix m.
func (g *grid) countPairs(m []float64, off [3]int, z0, z1 int) {
	ng := g.ng
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
				m[int(a-1)*ng+int(b-1)]++
				m[int(b-1)*ng+int(a-1)]++
			}
		}
	}
}

func total(m []float64) float64 {
	s := 0.0
	for _, v := range m {
		s += v
	}
	return s
}

func addTo(dst, src []float64) {
	for k, v := range src {
		dst[k] += v
	}
}

// cooccurrence writes the cm_ features in their six aggregations.
func (g *grid) cooccurrence(out map[string]float64) {
	ng := g.ng
	nn := ng * ng
	var avg2D, comb2D, avg25, avg3D mean
	perDir := make([][]float64, 13) // volume (2.5D for the first 4 = 3D's in-plane directions)
	for d := range perDir {
		perDir[d] = make([]float64, nn)
	}
	slice := make([]float64, nn)
	comb := make([]float64, nn)
	for z := range g.nz {
		clear(comb)
		for d := range 4 {
			clear(slice)
			g.countPairs(slice, directions[d], z, z+1)
			if total(slice) == 0 {
				continue
			}
			avg2D.add(glcmFeatures(slice, ng))
			addTo(comb, slice)
			addTo(perDir[d], slice)
		}
		if total(comb) > 0 {
			comb2D.add(glcmFeatures(comb, ng))
		}
	}
	all25 := make([]float64, nn)
	for d := range 4 {
		if total(perDir[d]) > 0 {
			avg25.add(glcmFeatures(perDir[d], ng))
			addTo(all25, perDir[d])
		}
	}
	for d := 4; d < 13; d++ {
		g.countPairs(perDir[d], directions[d], 0, g.nz)
	}
	all3 := make([]float64, nn)
	for d := range 13 {
		if total(perDir[d]) > 0 {
			avg3D.add(glcmFeatures(perDir[d], ng))
			addTo(all3, perDir[d])
		}
	}
	avg2D.put(out, "cm_", cmNames, "2D_avg")
	comb2D.put(out, "cm_", cmNames, "2D_comb")
	avg25.put(out, "cm_", cmNames, "2_5D_avg")
	if total(all25) > 0 {
		put(out, "cm_", cmNames, "2_5D_comb", glcmFeatures(all25, ng))
	}
	avg3D.put(out, "cm_", cmNames, "3D_avg")
	if total(all3) > 0 {
		put(out, "cm_", cmNames, "3D_comb", glcmFeatures(all3, ng))
	}
}

// glcmFeatures computes the cm_ features (cmNames order) of one ng×ng count
// matrix (IBSI 3.6), grey levels i, j = 1..ng.
func glcmFeatures(m []float64, ng int) []float64 {
	n := total(m)
	px := make([]float64, ng)
	py := make([]float64, ng)
	diff := make([]float64, ng)    // p_{x-y}(k), k = 0..ng-1
	sum := make([]float64, 2*ng+1) // p_{x+y}(k), k = 2..2ng
	var jmax, mu, ent, energy, contrast, dissim, idf, idfn, idm, idmn, auto float64
	fng := float64(ng)
	for a := range ng {
		for b := range ng {
			p := m[a*ng+b] / n
			if p == 0 {
				continue
			}
			i, j := float64(a+1), float64(b+1)
			d := math.Abs(i - j)
			px[a] += p
			py[b] += p
			diff[int(d)] += p
			sum[a+b+2] += p
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
		}
	}
	var mux, muy float64
	for a := range ng {
		mux += float64(a+1) * px[a]
		muy += float64(a+1) * py[a]
	}
	var jvar, sx, sy, cov, ct, cs, cp, hxy1, hxy2 float64
	for a := range ng {
		for b := range ng {
			i, j := float64(a+1), float64(b+1)
			if q := px[a] * py[b]; q > 0 {
				hxy2 -= q * math.Log2(q)
				if p := m[a*ng+b] / n; p > 0 {
					hxy1 -= p * math.Log2(q)
				}
			}
			p := m[a*ng+b] / n
			if p == 0 {
				continue
			}
			jvar += (i - mu) * (i - mu) * p
			cov += (i - mux) * (j - muy) * p
			t := i + j - mux - muy
			ct += t * t * p
			cs += t * t * t * p
			cp += t * t * t * t * p
		}
	}
	var hx, hy float64
	for a := range ng {
		i := float64(a + 1)
		sx += (i - mux) * (i - mux) * px[a]
		sy += (i - muy) * (i - muy) * py[a]
		if px[a] > 0 {
			hx -= px[a] * math.Log2(px[a])
		}
		if py[a] > 0 {
			hy -= py[a] * math.Log2(py[a])
		}
	}
	var davg, dent, ivar float64
	for k, p := range diff {
		if p == 0 {
			continue
		}
		davg += float64(k) * p
		dent -= p * math.Log2(p)
		if k > 0 {
			ivar += p / float64(k*k)
		}
	}
	var dvar float64
	for k, p := range diff {
		dvar += (float64(k) - davg) * (float64(k) - davg) * p
	}
	var savg, sent float64
	for k, p := range sum {
		if p == 0 {
			continue
		}
		savg += float64(k) * p
		sent -= p * math.Log2(p)
	}
	var svar float64
	for k, p := range sum {
		svar += (float64(k) - savg) * (float64(k) - savg) * p
	}
	corr := cov / math.Sqrt(sx*sy)
	ic1 := (ent - hxy1) / max(hx, hy)
	ic2 := math.Sqrt(1 - math.Exp(-2*(hxy2-ent)))
	if hxy2-ent < 0 {
		ic2 = 0 // rounding below 0 when the marginals are independent
	}
	return []float64{jmax, mu, jvar, ent, davg, dvar, dent, savg, svar, sent, energy, contrast, dissim,
		idf, idfn, idm, idmn, ivar, corr, auto, ct, cs, cp, ic1, ic2}
}
