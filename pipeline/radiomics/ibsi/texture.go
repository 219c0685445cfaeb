package ibsi

import (
	"math"
	"slices"
)

// Texture computes every texture feature of IBSI chapter 1 (grey level
// co-occurrence cm_, run length rlm_, size zone szm_, distance zone dzm_,
// neighbourhood grey tone difference ngt_ and neighbouring grey level
// dependence ngl_) in every IBSI aggregation, keyed by the tag names of the
// IBSI reference files ("cm_joint_max_2D_avg", "szm_sze_3D", …).
//
// levels holds the discretised grey levels 1..ng inside the intensity mask
// and 0 outside, on an nx×ny×nz grid with x fastest (index x + nx*(y +
// ny*z)); slices are z. morph is the morphological mask, from whose border
// the GLDZM distances are measured (nil: the intensity mask). spacing does
// not enter any texture feature of IBSI chapter 1 (distances are in voxels);
// it is part of the shared API. An empty ROI gives an empty map.
//
// Conventions (IBSI reference manual, arXiv:1612.07003, chapter 3.6–3.11):
//   - Neighbours are at Chebyshev distance 1: 8 in a slice, 26 in 3D. GLCM
//     and GLRLM use one direction of each pair: 4 in a slice, 13 in 3D. The
//     GLCM is symmetric (each pair counted in both orders).
//   - Directional families (cm_, rlm_): "2D_avg" averages the features of
//     every (slice, direction) matrix; "2D_comb" merges the directions of a
//     slice and averages over slices; "2_5D_avg" merges the slices per
//     direction and averages over directions; "2_5D_comb" merges all
//     in-plane matrices; "3D_avg" averages over the 13 volumetric
//     directions; "3D_comb" merges them. Empty matrices take no part; NaN
//     values are left out of means. Merged run length matrices count the
//     voxels once per merged matrix in the run percentage.
//   - Other families: "2D" averages per-slice features, "2_5D" merges the
//     slice matrices, "3D" is volumetric. Zones are 8-connected in a slice
//     and 26-connected in 3D; GLDZM distances are city-block distances to the
//     outside of the morphological mask (4-connected in a slice, 6 in 3D; a
//     border voxel is at 1); NGTDM leaves out voxels without a neighbour in
//     the ROI; NGLDM uses α = 0 and counts the centre voxel (j ≥ 1).
//   - Ng is ng (the discretisation's number of bins; raised to the largest
//     level present if below it), used by the normalised inverse
//     differences; entropies use log2.
//
// The matrices have a row per grey level present in the ROI (the formulas
// use the levels themselves), so memory follows the ROI, not ng; the GLCM
// turns sparse above denseLevels levels present.
func Texture(levels []int32, ng int, nx, ny, nz int, morph []bool, spacing [3]float64) map[string]float64 {
	_ = spacing
	g := cropGrid(levels, nx, ny, nz, morph)
	out := map[string]float64{}
	if g == nil {
		return out
	}
	g.ng = max(ng, int(g.val[len(g.val)-1])) // Ng is at least the largest level
	g.cooccurrence(out)
	g.runLengths(out)
	g.zones(out)
	g.neighbourhoods(out)
	return out
}

// grid is the bounding box of the ROI (intensity and morphological masks).
type grid struct {
	nx, ny, nz int
	ng         int       // IBSI Ng
	lev        []int32   // compact level index 1..L, 0 outside the intensity mask
	val        []float64 // val[c]: the grey level of compact index c (val[0] unused)
	morph      []bool
}

func cropGrid(levels []int32, nx, ny, nz int, morph []bool) *grid {
	if nx <= 0 || ny <= 0 || nz <= 0 || len(levels) != nx*ny*nz {
		return nil
	}
	if morph != nil && len(morph) != len(levels) {
		return nil
	}
	lo := [3]int{nx, ny, nz}
	hi := [3]int{-1, -1, -1}
	any := false
	for z := range nz {
		for y := range ny {
			for x := range nx {
				k := x + nx*(y+ny*z)
				if levels[k] <= 0 && (morph == nil || !morph[k]) {
					continue
				}
				if levels[k] > 0 {
					any = true
				}
				lo = [3]int{min(lo[0], x), min(lo[1], y), min(lo[2], z)}
				hi = [3]int{max(hi[0], x), max(hi[1], y), max(hi[2], z)}
			}
		}
	}
	if !any {
		return nil
	}
	g := &grid{nx: hi[0] - lo[0] + 1, ny: hi[1] - lo[1] + 1, nz: hi[2] - lo[2] + 1}
	n := g.nx * g.ny * g.nz
	g.lev = make([]int32, n)
	g.morph = make([]bool, n)
	for z := range g.nz {
		for y := range g.ny {
			src := lo[0] + nx*(lo[1]+y+ny*(lo[2]+z))
			dst := g.nx * (y + g.ny*z)
			for x := range g.nx {
				l := levels[src+x]
				if l < 0 {
					l = 0
				}
				g.lev[dst+x] = l
				if morph != nil {
					g.morph[dst+x] = morph[src+x]
				} else {
					g.morph[dst+x] = l > 0
				}
			}
		}
	}
	// Compact the levels present to 1..L, keeping their values.
	var present []int32
	seen := map[int32]bool{}
	for _, l := range g.lev {
		if l > 0 && !seen[l] {
			seen[l] = true
			present = append(present, l)
		}
	}
	slices.Sort(present)
	index := make(map[int32]int32, len(present))
	g.val = make([]float64, len(present)+1)
	for c, l := range present {
		index[l] = int32(c + 1)
		g.val[c+1] = float64(l)
	}
	for k, l := range g.lev {
		if l > 0 {
			g.lev[k] = index[l]
		}
	}
	return g
}

// level returns the level at (x, y, z), 0 outside the box or the ROI.
func (g *grid) level(x, y, z int) int32 {
	if x < 0 || y < 0 || z < 0 || x >= g.nx || y >= g.ny || z >= g.nz {
		return 0
	}
	return g.lev[x+g.nx*(y+g.ny*z)]
}

// directions are the 13 unique Chebyshev-distance-1 offsets (dx, dy, dz);
// the first 4 lie in a slice.
var directions = [13][3]int{
	{1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, -1, 0},
	{0, 0, 1}, {1, 0, 1}, {-1, 0, 1}, {0, 1, 1}, {0, -1, 1},
	{1, 1, 1}, {1, -1, 1}, {-1, 1, 1}, {-1, -1, 1},
}

// mean accumulates feature vectors and averages them per feature, leaving
// out NaN values (numpy.nanmean).
type mean struct {
	sum []float64
	n   []float64
}

func (m *mean) add(v []float64) {
	if v == nil {
		return
	}
	if m.sum == nil {
		m.sum = make([]float64, len(v))
		m.n = make([]float64, len(v))
	}
	for i, x := range v {
		if !math.IsNaN(x) {
			m.sum[i] += x
			m.n[i]++
		}
	}
}

// put writes the averages as prefix+name+"_"+suffix; nothing when no vector
// was added.
func (m *mean) put(out map[string]float64, prefix string, names []string, suffix string) {
	if m.sum == nil {
		return
	}
	for i, name := range names {
		v := math.NaN()
		if m.n[i] > 0 {
			v = m.sum[i] / m.n[i]
		}
		out[prefix+name+"_"+suffix] = v
	}
}

func put(out map[string]float64, prefix string, names []string, suffix string, v []float64) {
	if v == nil {
		return
	}
	for i, name := range names {
		out[prefix+name+"_"+suffix] = v[i]
	}
}

// sparse is a count matrix of compact grey level index i (1..L) by a second index j ≥ 1
// (run length, zone size, distance, dependence count), with the number of
// voxels it represents (for the percentage features).
type sparse struct {
	c  map[[2]int32]float64
	nv float64
}

func newSparse() *sparse { return &sparse{c: map[[2]int32]float64{}} }

func (s *sparse) add(o *sparse) {
	for k, v := range o.c {
		s.c[k] += v
	}
	s.nv += o.nv
}

// addDense adds a dense L×nc count array whose column c holds j = c+1.
func (s *sparse) addDense(d []float64, nc int, nv float64) {
	for k, v := range d {
		if v != 0 {
			s.c[[2]int32{int32(k/nc + 1), int32(k%nc + 1)}] += v
		}
	}
	s.nv += nv
}

func (s *sparse) empty() bool { return len(s.c) == 0 }

// zoneNames are the 16 features shared by GLRLM, GLSZM, GLDZM and NGLDM in
// the same order (short/low emphases … entropy), per family; NGLDM adds its
// energy.
var (
	rlmNames = []string{"sre", "lre", "lgre", "hgre", "srlge", "srhge", "lrlge", "lrhge", "glnu", "glnu_norm", "rlnu", "rlnu_norm", "r_perc", "gl_var", "rl_var", "rl_entr"}
	szmNames = []string{"sze", "lze", "lgze", "hgze", "szlge", "szhge", "lzlge", "lzhge", "glnu", "glnu_norm", "zsnu", "zsnu_norm", "z_perc", "gl_var", "zs_var", "zs_entr"}
	dzmNames = []string{"sde", "lde", "lgze", "hgze", "sdlge", "sdhge", "ldlge", "ldhge", "glnu", "glnu_norm", "zdnu", "zdnu_norm", "z_perc", "gl_var", "zd_var", "zd_entr"}
	nglNames = []string{"lde", "hde", "lgce", "hgce", "ldlge", "ldhge", "hdlge", "hdhge", "glnu", "glnu_norm", "dcnu", "dcnu_norm", "dc_perc", "gl_var", "dc_var", "dc_entr", "dc_energy"}
)

// zoneFeatures computes the features of a GLRLM, GLSZM, GLDZM or NGLDM (IBSI
// 3.7–3.8, 3.10, 3.11) in zoneNames order, plus the energy (NGLDM) as a
// 17th value; nil for an empty matrix. val maps the compact level indices
// to the grey levels.
func zoneFeatures(s *sparse, val []float64) []float64 {
	if s.empty() {
		return nil
	}
	keys := make([][2]int32, 0, len(s.c))
	maxJ := int32(0)
	for k := range s.c {
		keys = append(keys, k)
		maxJ = max(maxJ, k[1])
	}
	// A fixed summation order makes the values independent of map order.
	slices.SortFunc(keys, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	rows := make([]float64, len(val))
	cols := make([]float64, maxJ+1)
	var ns, se, le, lg, hg, sl, sh, ll, lh, mi, mj float64
	for _, k := range keys {
		c := s.c[k]
		i, j := val[k[0]], float64(k[1])
		i2, j2 := i*i, j*j
		ns += c
		se += c / j2
		le += c * j2
		lg += c / i2
		hg += c * i2
		sl += c / (i2 * j2)
		sh += c * i2 / j2
		ll += c * j2 / i2
		lh += c * i2 * j2
		rows[k[0]] += c
		cols[k[1]] += c
		mi += i * c
		mj += j * c
	}
	mi /= ns
	mj /= ns
	var vi, vj, ent, en float64
	for _, k := range keys {
		p := s.c[k] / ns
		di, dj := val[k[0]]-mi, float64(k[1])-mj
		vi += di * di * p
		vj += dj * dj * p
		ent -= p * math.Log2(p)
		en += p * p
	}
	var gnu, jnu float64
	for _, r := range rows {
		gnu += r * r
	}
	for _, c := range cols {
		jnu += c * c
	}
	return []float64{se / ns, le / ns, lg / ns, hg / ns, sl / ns, sh / ns, ll / ns, lh / ns,
		gnu / ns, gnu / (ns * ns), jnu / ns, jnu / (ns * ns), ns / s.nv, vi, vj, ent, en}
}
