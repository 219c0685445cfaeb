package texture

import (
	"fmt"

	"github.com/scirad/scirad/pipeline/radiomics/feature"
)

// GLSZMMatrix returns the grey level size zone matrix: P(i,j) counts the
// zones of j connected ROI voxels sharing level i. Voxels are connected when
// they are neighbours at Chebyshev distance 1 (26-connectivity in 3D,
// 8-connectivity in the plane with Force2D, so zones never cross slices).
// Zone sizes absent from the ROI are removed. The matrix has one slice and
// no directions.
func GLSZMMatrix(im *Image, o Options) (*Matrix, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glszmMatrix(pr)
}

func glszmMatrix(pr *prepared) (*Matrix, error) {
	if pr.fams&famGLSZM != 0 {
		// Found by the fused pass beside the other families' counts.
		cnt, err := pr.scanned(famGLSZM)
		if err != nil {
			return nil, err
		}
		if cnt != nil {
			return cnt.glszm, cnt.glszmErr
		}
	}
	return glszmZones(pr)
}

// glszmZones finds the GLSZM's zones: the connected components of
// equal-level neighbours, by a union-find over the padded grid that visits
// the ROI voxels in order and joins each to its equal neighbours behind it
// (the forward offsets negated, all visited already). The fused pass finds
// the same components from the equal pairs its direction tasks list
// (equalPairs).
func glszmZones(pr *prepared) (*Matrix, error) {
	_, offs, err := pr.offsets([]int{1}, true)
	if err != nil {
		return nil, err
	}
	g := pr.g
	back := make([]int32, len(offs)/2) // the bidirectional list: one of each ±a first
	for k := range back {
		back[k] = -int32(offs[k])
	}
	parent := newUnionFind(g)
	defer int32Bufs.Put(parent)
	lvl := g.lvl
	for _, v := range g.vox {
		l := lvl[v]
		for _, off := range back {
			if u := v + off; lvl[u] == l {
				parent.union(v, u)
			}
		}
	}
	return zoneMatrix(g, parent)
}

// unionFind is a union-find over the padded grid: parent[v] is the
// voxel's parent, or minus the size of its zone at a root. Only the ROI
// voxels' entries are used.
type unionFind []int32

// newUnionFind returns the ROI voxels of g each in a zone of its own, in
// an array from int32Bufs (the other entries are left as they were).
func newUnionFind(g *grid) unionFind {
	p := unionFind(int32Bufs.Get(len(g.lvl)))
	for _, r := range g.runs {
		s := p[r[0]:r[1]]
		for k := range s {
			s[k] = -1
		}
	}
	return p
}

// find returns v's root, halving the path to it.
func (p unionFind) find(v int32) int32 {
	for p[v] >= 0 {
		if q := p[v]; p[q] >= 0 {
			p[v] = p[q]
		}
		v = p[v]
	}
	return v
}

// root returns v's root: the first two steps up without a branch (most
// zones are small and shallow), then on up.
func (p unionFind) root(v int32) int32 {
	q := p[v]
	m := q >> 31 // -1 at a root, 0 elsewhere
	v = v&m | q&^m
	q = p[v]
	m = q >> 31
	v = v&m | q&^m
	for p[v] >= 0 {
		v = p[v]
	}
	return v
}

// union joins the zones of a and b, the smaller under the larger, and
// points a and b at the root. It has no branch on the zones but in root:
// where a and b are in one zone already, the writes leave it as it was.
func (p unionFind) union(a, b int32) {
	ra, rb := p.root(a), p.root(b)
	// a and b straight under their roots (no change at a root).
	ma := int32(b2i(a == ra)) - 1 // 0 at the root, -1 elsewhere
	p[a] = p[a]&^ma | ra&ma
	mb := int32(b2i(b == rb)) - 1
	p[b] = p[b]&^mb | rb&mb
	sa, sb := -p[ra], -p[rb]
	join := int32(b2i(ra != rb))
	big, small := ra, rb
	if sa < sb {
		big, small = rb, ra
	}
	p[small] = big // undone by the next line when ra == rb
	p[big] = -(sa + sb*join)
}

// smallZone bounds the zone sizes zoneCounts keeps in a table.
const smallZone = 64

// zoneCounts are the zones of a union-find counted by level and size: those
// of fewer than smallZone voxels in a table, the others in a list.
type zoneCounts struct {
	small []int32 // level index i, size n at i*smallZone+n (column 0: not a root)
	large []zone
}

type zone struct{ level, size int32 }

func newZoneCounts(nl int) *zoneCounts { return &zoneCounts{small: make([]int32, nl*smallZone)} }

// add counts the zones whose root is one of vox.
func (z *zoneCounts) add(parent unionFind, lvl, vox []int32) {
	small := z.small
	for _, v := range vox {
		// n: the zone's size at a root, 0 elsewhere, without a branch.
		n := max(-parent[v], 0)
		if n >= smallZone {
			z.large = append(z.large, zone{lvl[v], n})
			n = 0
		}
		small[int(lvl[v])*smallZone+int(n)]++
	}
}

// zoneMatrix counts the zones of parent by level and size in one pass over
// the roots.
func zoneMatrix(g *grid, parent unionFind) (*Matrix, error) {
	z := newZoneCounts(len(g.levels))
	z.add(parent, g.lvl, g.vox)
	return z.matrix(g.levels)
}

// matrix returns the GLSZM of the zones counted.
func (z *zoneCounts) matrix(levels []float64) (*Matrix, error) {
	nl := len(levels)
	maxSize := int32(0)
	for k, n := range z.small {
		if n != 0 {
			maxSize = max(maxSize, int32(k%smallZone))
		}
	}
	for _, z := range z.large {
		maxSize = max(maxSize, z.size)
	}
	small := z.small
	// Columns only for the zone sizes that occur (pyradiomics removes the
	// empty ones).
	col := make([]int32, maxSize+1)
	for i := range nl {
		for n, k := range small[i*smallZone+1 : (i+1)*smallZone] {
			if k != 0 {
				col[n+1] = 1
			}
		}
	}
	for _, z := range z.large {
		col[z.size] = 1
	}
	var cols []float64
	for size, ok := range col {
		if ok != 0 {
			col[size] = int32(len(cols))
			cols = append(cols, float64(size))
		}
	}
	nc := len(cols)
	if nl*nc > maxMatrixElements {
		return nil, fmt.Errorf("texture: %d grey levels × %d zone sizes make a GLSZM too large; use fewer grey levels", nl, nc)
	}
	p := make([]float64, nl*nc)
	for i := range nl {
		for n, k := range small[i*smallZone+1 : (i+1)*smallZone] {
			if k != 0 {
				p[i*nc+int(col[n+1])] = float64(k)
			}
		}
	}
	for _, z := range z.large {
		p[int(z.level)*nc+int(col[z.size])]++
	}
	return &Matrix{Levels: levels, Cols: cols, NCols: nc, P: [][]float64{p}}, nil
}

// GLSZM computes the 16 default GLSZM features of pyradiomics in Registry
// order. N_z is the number of zones and N_v the number of ROI voxels.
func GLSZM(im *Image, o Options) ([]feature.Value, error) {
	pr, err := prepare(im, &o)
	if err != nil {
		return nil, err
	}
	return glszmValues(pr, &o)
}

func glszmValues(pr *prepared, _ *Options) ([]feature.Value, error) {
	m, err := glszmMatrix(pr)
	if err != nil {
		return nil, err
	}
	fs := glszmFeatures()
	c := newCountCoef(m.Levels, m.Cols)
	c.set(m.P[0])
	v := make([]float64, len(fs))
	for k, f := range fs {
		v[k] = f.fn(c)
	}
	return values(glszmDefs(), v), nil
}

func glszmDefs() []feature.Def { return defsOf(glszmFeatures()) }

// glszmFeatures lists the GLSZM features in pyradiomics' order.
func glszmFeatures() []countFeature {
	d := func(name, ibsi, summary string) feature.Def {
		return feature.Def{Class: "glszm", Name: name, IBSI: ibsi, Summary: summary}
	}
	return []countFeature{
		{d("GrayLevelNonUniformity", "JNSA", "Σ_i (Σ_j P(i,j))² / N_z"), glszmGLN},
		{d("GrayLevelNonUniformityNormalized", "Y1RO", "Σ_i (Σ_j P(i,j))² / N_z²"), glszmGLNN},
		{d("GrayLevelVariance", "BYLV", "Σ p(i,j) (i-μ)²"), glszmGLV},
		{d("HighGrayLevelZoneEmphasis", "5GN9", "Σ P(i,j) i² / N_z"), glszmHGLZE},
		{d("LargeAreaEmphasis", "48P8", "Σ P(i,j) j² / N_z"), glszmLAE},
		{d("LargeAreaHighGrayLevelEmphasis", "J17V", "Σ P(i,j) i² j² / N_z"), glszmLAHGLE},
		{d("LargeAreaLowGrayLevelEmphasis", "YH51", "Σ P(i,j) j²/i² / N_z"), glszmLALGLE},
		{d("LowGrayLevelZoneEmphasis", "XMSY", "Σ P(i,j)/i² / N_z"), glszmLGLZE},
		{d("SizeZoneNonUniformity", "4JP3", "Σ_j (Σ_i P(i,j))² / N_z"), glszmSZN},
		{d("SizeZoneNonUniformityNormalized", "VB3A", "Σ_j (Σ_i P(i,j))² / N_z²"), glszmSZNN},
		{d("SmallAreaEmphasis", "5QRC", "Σ P(i,j)/j² / N_z"), glszmSAE},
		{d("SmallAreaHighGrayLevelEmphasis", "HW1V", "Σ P(i,j) i²/j² / N_z"), glszmSAHGLE},
		{d("SmallAreaLowGrayLevelEmphasis", "5RAI", "Σ P(i,j)/(i² j²) / N_z"), glszmSALGLE},
		{d("ZoneEntropy", "GU8N", "-Σ p(i,j) log2 p(i,j)"), glszmZE},
		{d("ZonePercentage", "P30P", "N_z / N_v"), glszmZP},
		{d("ZoneVariance", "3NSA", "Σ p(i,j) (j-μ)²"), glszmZV},
	}
}

// glszmGLN is IBSI grey level non-uniformity (JNSA):
//
//	Σ_i (Σ_j P(i,j))² / N_z
func glszmGLN(c *countCoef) float64 { return c.nonUniformity(true, false) }

// glszmGLNN is IBSI normalised grey level non-uniformity (Y1RO):
//
//	Σ_i (Σ_j P(i,j))² / N_z²
func glszmGLNN(c *countCoef) float64 { return c.nonUniformity(true, true) }

// glszmGLV is IBSI grey level variance (BYLV), with p = P/N_z:
//
//	Σ_i Σ_j p(i,j) (i-μ)²,  μ = Σ_i Σ_j p(i,j) i
func glszmGLV(c *countCoef) float64 { return c.variance(true) }

// glszmHGLZE is IBSI high grey level zone emphasis (5GN9):
//
//	Σ_i Σ_j P(i,j) i² / N_z
func glszmHGLZE(c *countCoef) float64 { return c.emphasis(2, 0) }

// glszmLAE is IBSI large zone emphasis (48P8):
//
//	Σ_i Σ_j P(i,j) j² / N_z
func glszmLAE(c *countCoef) float64 { return c.emphasis(0, 2) }

// glszmLAHGLE is IBSI large zone high grey level emphasis (J17V):
//
//	Σ_i Σ_j P(i,j) i² j² / N_z
func glszmLAHGLE(c *countCoef) float64 { return c.emphasis(2, 2) }

// glszmLALGLE is IBSI large zone low grey level emphasis (YH51):
//
//	Σ_i Σ_j P(i,j) j² / i² / N_z
func glszmLALGLE(c *countCoef) float64 { return c.emphasis(-2, 2) }

// glszmLGLZE is IBSI low grey level zone emphasis (XMSY):
//
//	Σ_i Σ_j P(i,j) / i² / N_z
func glszmLGLZE(c *countCoef) float64 { return c.emphasis(-2, 0) }

// glszmSZN is IBSI zone size non-uniformity (4JP3):
//
//	Σ_j (Σ_i P(i,j))² / N_z
func glszmSZN(c *countCoef) float64 { return c.nonUniformity(false, false) }

// glszmSZNN is IBSI normalised zone size non-uniformity (VB3A):
//
//	Σ_j (Σ_i P(i,j))² / N_z²
func glszmSZNN(c *countCoef) float64 { return c.nonUniformity(false, true) }

// glszmSAE is IBSI small zone emphasis (5QRC):
//
//	Σ_i Σ_j P(i,j) / j² / N_z
func glszmSAE(c *countCoef) float64 { return c.emphasis(0, -2) }

// glszmSAHGLE is IBSI small zone high grey level emphasis (HW1V):
//
//	Σ_i Σ_j P(i,j) i² / j² / N_z
func glszmSAHGLE(c *countCoef) float64 { return c.emphasis(2, -2) }

// glszmSALGLE is IBSI small zone low grey level emphasis (5RAI):
//
//	Σ_i Σ_j P(i,j) / (i² j²) / N_z
func glszmSALGLE(c *countCoef) float64 { return c.emphasis(-2, -2) }

// glszmZE is IBSI zone size entropy (GU8N), with p = P/N_z:
//
//	-Σ_i Σ_j p(i,j) log2(p(i,j) + ε)
func glszmZE(c *countCoef) float64 { return c.entropy() }

// glszmZP is IBSI zone percentage (P30P):
//
//	N_z / N_v
func glszmZP(c *countCoef) float64 { return c.n / c.np }

// glszmZV is IBSI zone size variance (3NSA), with p = P/N_z:
//
//	Σ_i Σ_j p(i,j) (j-μ)²,  μ = Σ_i Σ_j p(i,j) j
func glszmZV(c *countCoef) float64 { return c.variance(false) }
