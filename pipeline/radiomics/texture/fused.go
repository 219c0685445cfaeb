package texture

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// famSet says which families a pass over the ROI counts for.
type famSet uint8

const (
	famGLCM famSet = 1 << iota
	famGLRLM
	famGLSZM
	famNGTDM
	famGLDM
	famAll = famGLCM | famGLRLM | famGLSZM | famNGTDM | famGLDM
)

// counts are the raw counts of the fused pass (scan): every matrix but the
// GLSZM, before pyradiomics' post-processing (symmetrising, removing empty
// directions and columns, normalising), which the family's matrix function
// does as for its own loop.
type counts struct {
	as   [][3]int // the forward directions (GLCM and GLRLM, distance 1)
	offs []int    // their offsets in the padded grid

	glcm  []uint32 // len(as) × nl × nl, not symmetrised
	glrl  []uint32 // len(as) × nl × nc, run length n in column n-1
	nc    int      // GLRLM columns: the longest possible run
	multi []bool   // per direction: some run is longer than one voxel

	gldm []uint32  // nl × (2 len(as) + 1): dependent neighbours
	ngN  []uint32  // n_i
	diff []float64 // NGTDM |i − mean of neighbours| per ROI voxel, in g.vox order
}

// fusable reports whether every family that uses distances can share the
// fused pass: GLRLM and GLSZM use distance 1, so the others must too.
func (pr *prepared) fusable() bool { return !noFusedPass && len(pr.ds) == 1 && pr.ds[0] == 1 }

// noFusedPass makes every family build its matrices with its own loop, as
// for distances other than [1]: the reference the benchmarks check the
// fused pass against.
var noFusedPass = false

// scanned returns the counts of the fused pass for the families in
// pr.fams, running it on first use. It is nil when the pass does not
// apply (distances other than [1]); the families then build their matrices
// on their own.
func (pr *prepared) scanned(want famSet) (*counts, error) {
	if !pr.fusable() {
		return nil, nil
	}
	if pr.cnt == nil && pr.cntErr == nil {
		fams := pr.fams
		if fams == 0 {
			fams = want
		}
		pr.cnt, pr.cntErr = pr.scan(fams&^famGLSZM, pr.workers)
	}
	return pr.cnt, pr.cntErr
}

// scan counts the GLCM, GLRLM, NGTDM and GLDM matrices of fams at
// distance 1. The GLCM and GLRLM are counted per forward direction (13 in
// 3D), in tasks of a few directions each that walk the ROI voxels in
// blocks, every direction of the task over one block before the next (so
// the block stays in cache): each voxel's neighbour ahead along k gives
// direction k's GLCM pair, and a voxel whose neighbour behind has another
// level starts a run, followed to its end for direction k's GLRLM. An
// equal pair there also adds one to the GLDM dependence count of both
// voxels (gldm_a < 1, where only equal levels are dependent; each task
// counts into its own array). One more task finds each voxel's
// neighbours' level sum and count for the NGTDM (box sums), and, for
// gldm_a ≥ 1, its dependent neighbours. With workers > 1 the workers take
// the tasks in turn; every task writes its own part of the counts, all
// integers, so the counts do not depend on the workers; the one
// floating-point sum (NGTDM s_i) is added up afterwards in voxel order.
func (pr *prepared) scan(fams famSet, workers int) (*counts, error) {
	as, offs, err := pr.offsets([]int{1}, false)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	na := len(as)
	c := &counts{as: as, offs: offs, nc: max(g.dims[0], g.dims[1], g.dims[2]), multi: make([]bool, na)}
	if fams&famGLCM != 0 {
		c.glcm = make([]uint32, na*nl*nl)
	}
	if fams&famGLRLM != 0 {
		c.glrl = make([]uint32, na*nl*c.nc)
	}
	eqDep := fams&famGLDM != 0 && pr.alpha < 1 // GLDM from the direction tasks
	var groups [][2]int                        // direction tasks: directions [lo, hi)
	if fams&(famGLCM|famGLRLM) != 0 || eqDep {
		ng := (na + dirsPerTask - 1) / dirsPerTask
		for t := range ng {
			groups = append(groups, [2]int{t * na / ng, (t + 1) * na / ng})
		}
	}
	var nd [][]uint8 // per direction task: equal neighbours of each voxel
	if eqDep {
		nd = make([][]uint8, len(groups))
	}
	ntask := len(groups)
	if fams&famNGTDM != 0 || fams&famGLDM != 0 && !eqDep {
		ntask++
	}
	workers = max(1, min(workers, ntask))
	var next atomic.Int64
	parallel(workers, func(int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= ntask {
				return
			}
			if t == len(groups) {
				pr.scanNeighbours(c, fams, eqDep)
				continue
			}
			var ndt []uint8
			if nd != nil {
				ndt = make([]uint8, len(g.lvl))
				nd[t] = ndt
			}
			lo, hi := groups[t][0], groups[t][1]
			for b := 0; b < len(g.vox); b += scanBlock {
				vox := g.vox[b:min(b+scanBlock, len(g.vox))]
				for k := lo; k < hi; k++ {
					pr.scanDirection(c, k, vox, ndt)
				}
			}
		}
	})
	if eqDep {
		ndep := 2*na + 1
		c.gldm = make([]uint32, nl*ndep)
		for _, v := range g.vox {
			n := 0
			for _, ndt := range nd {
				n += int(ndt[v])
			}
			c.gldm[int(g.lvl[v])*ndep+n]++
		}
	}
	return c, nil
}

// dirsPerTask and scanBlock shape the direction tasks of scan: about
// dirsPerTask directions each (13 directions: 4 tasks), over blocks of
// scanBlock ROI voxels. Neither changes a count.
const (
	dirsPerTask = 4
	scanBlock   = 2048
)

// scanDirection adds the ROI voxels vox (in order) to direction k's GLCM
// pairs and GLRLM runs, where c has them, and each pair of equal levels to
// both voxels' count in nd (when not nil).
func (pr *prepared) scanDirection(c *counts, k int, vox []int32, nd []uint8) {
	g := pr.g
	lvl := g.lvl
	nl := len(g.levels)
	off := int32(c.offs[k])
	nc := c.nc
	if c.glrl == nil {
		var glcm []uint32
		if c.glcm != nil {
			glcm = c.glcm[k*nl*nl : (k+1)*nl*nl]
		}
		for _, v := range vox {
			i, j := lvl[v], lvl[v+off]
			if j < 0 {
				continue
			}
			if glcm != nil {
				glcm[int(i)*nl+int(j)]++
			}
			if nd != nil && i == j {
				nd[v]++
				nd[v+off]++
			}
		}
		return
	}
	var glcm []uint32
	if c.glcm != nil {
		glcm = c.glcm[k*nl*nl : (k+1)*nl*nl]
	}
	glrl := c.glrl[k*nl*nc : (k+1)*nl*nc]
	multi := false
	for _, v := range vox {
		i := lvl[v]
		j := lvl[v+off]
		if j >= 0 && glcm != nil {
			glcm[int(i)*nl+int(j)]++
		}
		if j == i && nd != nil {
			nd[v]++
			nd[v+off]++
		}
		if lvl[v-off] != i {
			n := 1
			if j == i {
				n = 2
				for q := v + 2*off; lvl[q] == i; q += off {
					n++
				}
				multi = true
			}
			glrl[int(i)*nc+n-1]++
		}
	}
	if multi {
		c.multi[k] = true
	}
}

// scanNeighbours finds, for the NGTDM (when fams has it), c.ngN and c.diff:
// |i − Ā| for the voxel g.vox[t] of level i and Ā the mean level of its
// neighbours in the ROI (0 without any); and, unless eqDep, c.gldm (nl ×
// (2 na + 1): the voxels of level i with d dependent neighbours). Each
// voxel's level and ROI membership are packed in one integer (1 << 40 +
// level, 0 outside), whose sums over the 3×3×3 box (3×3 with Force2D),
// one axis at a time, less the voxel itself, are the sum and count of its
// neighbours' levels. The levels are whole numbers, so the sum is the
// same as pyradiomics' floating-point one.
func (pr *prepared) scanNeighbours(c *counts, fams famSet, eqDep bool) {
	g := pr.g
	nl := len(g.levels)
	lvl := g.lvl
	if fams&famGLDM != 0 && !eqDep {
		// dep[i*nl+j] is 1 when level j is dependent on a centre of
		// level i (|i − j| ≤ α).
		na := len(c.offs)
		dep := make([]uint8, nl*nl)
		for i, li := range g.levels {
			for j, lj := range g.levels {
				if d := li - lj; d <= pr.alpha && -d <= pr.alpha {
					dep[i*nl+j] = 1
				}
			}
		}
		offs := make([]int32, 0, 2*na)
		for _, off := range c.offs {
			offs = append(offs, int32(off), -int32(off))
		}
		ndep := 2*na + 1
		gldm := make([]uint32, nl*ndep)
		for _, v := range g.vox {
			i := int(lvl[v])
			row := dep[i*nl : (i+1)*nl]
			nd := 0
			for _, off := range offs {
				if j := lvl[v+off]; j >= 0 {
					nd += int(row[j])
				}
			}
			gldm[i*ndep+nd]++
		}
		c.gldm = gldm
	}
	if fams&famNGTDM == 0 {
		return
	}
	// 32 bits hold the count (at most 27, the centre included) above bit
	// 27 and the sum of 27 levels below it when 27 Ng < 2²⁷.
	if 27*g.ng < 1<<27 {
		c.ngN, c.diff = ngtdmBoxSums[uint32](pr, 27)
	} else {
		c.ngN, c.diff = ngtdmBoxSums[uint64](pr, 40)
	}
}

// ngtdmBoxSums returns the NGTDM's n_i and, per ROI voxel in g.vox order,
// |i − Ā| with Ā the mean level of the voxel's neighbours in the ROI (0
// without any). Each voxel's level and ROI membership are packed in one
// integer (1 << shift + level, 0 outside), whose sums over the 3×3×3 box
// (3×3 with Force2D) less the voxel itself are the sum and count of its
// neighbours' levels: one axis at a time, the last only at the ROI's
// voxels. The levels are whole numbers, so the sum is the same as
// pyradiomics' floating-point one.
func ngtdmBoxSums[T uint32 | uint64](pr *prepared, shift uint) ([]uint32, []float64) {
	g := pr.g
	lvl := g.lvl
	w := make([]T, len(lvl))
	for _, v := range g.vox {
		w[v] = 1<<shift | T(g.levels[lvl[v]])
	}
	// The axes summed (pyradiomics' Force2D axis f is ours 2 − f); a sum
	// is right wherever its box lies in the padded grid, which holds for
	// every ROI voxel (the padding is 0).
	var steps []int
	for a, st := range [3]int{1, g.n[0], g.n[0] * g.n[1]} {
		if pr.f2d < 0 || a != 2-pr.f2d {
			steps = append(steps, st)
		}
	}
	// box(v) is the sum over v's box. Where the ROI fills less than a
	// quarter of the grid, the box is summed voxel by voxel; otherwise all
	// axes but the last are summed over the whole grid first.
	var box func(v int32) T
	if 4*len(g.vox) < len(lvl) {
		var offs []int32
		for _, a := range angles(g.dims, []int{1}, pr.f2d, true) {
			offs = append(offs, int32(g.offset(a)))
		}
		box = func(v int32) T {
			x := w[v]
			for _, off := range offs {
				x += w[v+off]
			}
			return x
		}
	} else {
		src, dst := w, make([]T, len(lvl))
		for _, st := range steps[:len(steps)-1] {
			for p := st; p < len(src)-st; p++ {
				dst[p] = src[p-st] + src[p] + src[p+st]
			}
			src, dst = dst, src
		}
		last := int32(steps[len(steps)-1])
		box = func(v int32) T { return src[v-last] + src[v] + src[v+last] }
	}
	nl := len(g.levels)
	ngN := make([]uint32, nl)
	diff := make([]float64, len(g.vox))
	for t, v := range g.vox {
		i := lvl[v]
		x := box(v) - (1<<shift | T(g.levels[i]))
		ngN[i]++
		d := 0.0
		if cnt := x >> shift; cnt > 0 {
			d = g.levels[i] - float64(x&(1<<shift-1))/float64(cnt)
			if d < 0 {
				d = -d
			}
		}
		diff[t] = d
	}
	return ngN, diff
}

// parallel runs f(0) … f(workers-1), each on its own goroutine but the
// first, and waits for them.
func parallel(workers int, f func(w int)) {
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w)
		}()
	}
	f(0)
	wg.Wait()
}

// defaultWorkers is the number of workers Options.Workers < 0 asks for.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
