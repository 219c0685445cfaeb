package ibsi

import "math"

var ngtNames = []string{"coarseness", "contrast", "busyness", "complexity", "strength"}

// tone is an NGTDM: s_i and n_i for the compact grey levels 1..L.
type tone struct{ s, n []float64 }

func newTone(l int) *tone { return &tone{make([]float64, l+1), make([]float64, l+1)} }

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

func (t *tone) add(o *tone) {
	addTo(t.s, o.s)
	addTo(t.n, o.n)
}

// ngtFeatures computes the ngt_ features (IBSI 3.9) of one NGTDM; nil when no
// voxel had a neighbour. val maps the compact indices to the grey levels.
func ngtFeatures(t *tone, val []float64) []float64 {
	nvc := total(t.n)
	if nvc == 0 {
		return nil
	}
	var lv, p, s []float64 // levels with p_i > 0
	for i := range t.n {
		if t.n[i] > 0 {
			lv = append(lv, val[i])
			p = append(p, t.n[i]/nvc)
			s = append(s, t.s[i])
		}
	}
	ngp := float64(len(lv))
	var ps, ssum float64
	for k := range lv {
		ps += p[k] * s[k]
		ssum += s[k]
	}
	var con, busyDen, cplx, str float64
	for a := range lv {
		for b := range lv {
			d := lv[a] - lv[b]
			con += p[a] * p[b] * d * d
			busyDen += math.Abs(lv[a]*p[a] - lv[b]*p[b])
			cplx += math.Abs(d) * (p[a]*s[a] + p[b]*s[b]) / (p[a] + p[b])
			str += (p[a] + p[b]) * d * d
		}
	}
	coarse := 1e6
	if ps >= 1e-6 {
		coarse = 1 / ps
	}
	contrast := 0.0
	if ngp > 1 {
		contrast = con / (ngp * (ngp - 1)) * ssum / nvc
	}
	busy := 0.0
	if busyDen > 0 {
		busy = ps / busyDen
	}
	strength := 0.0
	if ssum > 0 {
		strength = str / ssum
	}
	return []float64{coarse, contrast, busy, cplx / nvc, strength}
}

// neighbourhoods writes the ngt_ and ngl_ features in the 2D, 2_5D and 3D
// aggregations: one pass collects each voxel's in-slice and volumetric
// neighbourhood (Chebyshev distance 1, ROI voxels only).
func (g *grid) neighbourhoods(out map[string]float64) {
	const nc = 27        // dependence count j = 1..27 (the centre and up to 26 neighbours)
	ng := len(g.val) - 1 // L, the levels present
	nx, ny, nz := g.nx, g.ny, g.nz
	var ngt2D, ngl2D mean
	ngt25, ngt3 := newTone(ng), newTone(ng)
	ngl25, ngl3 := newSparse(), newSparse()
	dep2 := make([]float64, ng*nc)
	dep3 := make([]float64, ng*nc)
	t2 := newTone(ng)
	for z := range nz {
		clear(dep2)
		clear(t2.s)
		clear(t2.n)
		for y := range ny {
			for x := range nx {
				a := g.lev[x+nx*(y+ny*z)]
				if a == 0 {
					continue
				}
				var sum2, sum3 float64
				var n2, same2, n3, same3 int
				for dz := -1; dz <= 1; dz++ {
					for dy := -1; dy <= 1; dy++ {
						for dx := -1; dx <= 1; dx++ {
							if dx == 0 && dy == 0 && dz == 0 {
								continue
							}
							b := g.level(x+dx, y+dy, z+dz)
							if b == 0 {
								continue
							}
							same := 0
							if b == a {
								same = 1
							}
							sum3 += g.val[b]
							n3++
							same3 += same
							if dz == 0 {
								sum2 += g.val[b]
								n2++
								same2 += same
							}
						}
					}
				}
				fa := g.val[a]
				if n2 > 0 {
					t2.s[a] += math.Abs(fa - sum2/float64(n2))
					t2.n[a]++
				}
				if n3 > 0 {
					ngt3.s[a] += math.Abs(fa - sum3/float64(n3))
					ngt3.n[a]++
				}
				dep2[int(a-1)*nc+same2]++
				dep3[int(a-1)*nc+same3]++
			}
		}
		nv := g.voxels(z, z+1)
		if nv == 0 {
			continue
		}
		ngt2D.add(ngtFeatures(t2, g.val))
		ngt25.add(t2)
		m := newSparse()
		m.addDense(dep2, nc, nv)
		ngl2D.add(zoneFeatures(m, g.val))
		ngl25.add(m)
	}
	ngl3.addDense(dep3, nc, g.voxels(0, nz))
	ngt2D.put(out, "ngt_", ngtNames, "2D")
	put(out, "ngt_", ngtNames, "2_5D", ngtFeatures(ngt25, g.val))
	put(out, "ngt_", ngtNames, "3D", ngtFeatures(ngt3, g.val))
	ngl2D.put(out, "ngl_", nglNames, "2D")
	put(out, "ngl_", nglNames, "2_5D", zoneFeatures(ngl25, g.val))
	put(out, "ngl_", nglNames, "3D", zoneFeatures(ngl3, g.val))
}
