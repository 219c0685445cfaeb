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
// distance 1 in one task per forward direction (13 in 3D) and one for the
// NGTDM. Direction k's task walks the ROI voxels in order and reads each
// voxel's neighbour ahead along k (and behind, for the runs): the pair
// goes into direction k's GLCM, a run that starts here is followed to its
// end for direction k's GLRLM, and a dependent pair (GLDM) adds one to
// the dependence count of both voxels. The NGTDM task sums each voxel's
// neighbours' levels. With workers > 1 the workers take the tasks in
// turn; every task writes its own part of the counts but the dependence
// counts, which each worker keeps for itself and which are summed at the
// end. All are integers, so the counts do not depend on the workers; the
// one floating-point sum (NGTDM s_i) is added up afterwards in voxel
// order.
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
	// dep[i*nl+j] is 1 when level j is dependent on a centre of level i
	// (GLDM: |i − j| ≤ α); nil when α < 1, where only equal levels are.
	var dep []uint8
	if fams&famGLDM != 0 && pr.alpha >= 1 {
		dep = make([]uint8, nl*nl)
		for i, li := range g.levels {
			for j, lj := range g.levels {
				if d := li - lj; d <= pr.alpha && -d <= pr.alpha {
					dep[i*nl+j] = 1
				}
			}
		}
	}
	ndir := 0 // direction tasks
	if fams&(famGLCM|famGLRLM|famGLDM) != 0 {
		ndir = na
	}
	ntask := ndir
	if fams&famNGTDM != 0 {
		c.diff = make([]float64, len(g.vox))
		ntask++
	}
	workers = max(1, min(workers, ntask))
	var nd [][]uint8 // per worker: dependent neighbours of each voxel
	if fams&famGLDM != 0 {
		nd = make([][]uint8, workers)
	}
	var next atomic.Int64
	parallel(workers, func(w int) {
		for {
			k := int(next.Add(1) - 1)
			if k >= ntask {
				return
			}
			if k == ndir {
				c.ngN = pr.scanNGTDM(c.diff)
				continue
			}
			var ndw []uint8
			if nd != nil {
				if nd[w] == nil {
					nd[w] = make([]uint8, len(g.lvl))
				}
				ndw = nd[w]
			}
			pr.scanDirection(c, k, dep, ndw)
		}
	})
	if nd != nil {
		ndep := 2*na + 1
		c.gldm = make([]uint32, nl*ndep)
		for _, v := range g.vox {
			n := 0
			for _, ndw := range nd {
				if ndw != nil {
					n += int(ndw[v])
				}
			}
			c.gldm[int(g.lvl[v])*ndep+n]++
		}
	}
	return c, nil
}

// scanDirection counts direction k of c: its GLCM pairs and GLRLM runs
// (where c has them), and the dependent pairs into nd (when not nil).
func (pr *prepared) scanDirection(c *counts, k int, dep, nd []uint8) {
	g := pr.g
	lvl := g.lvl
	nl := len(g.levels)
	off := int32(c.offs[k])
	var glcm, glrl []uint32
	if c.glcm != nil {
		glcm = c.glcm[k*nl*nl : (k+1)*nl*nl]
	}
	nc := c.nc
	if c.glrl != nil {
		glrl = c.glrl[k*nl*nc : (k+1)*nl*nc]
	}
	multi := false
	for _, v := range g.vox {
		i := lvl[v]
		j := lvl[v+off]
		if j >= 0 {
			if glcm != nil {
				glcm[int(i)*nl+int(j)]++
			}
			if nd != nil {
				var e uint8
				if dep != nil {
					e = dep[int(i)*nl+int(j)]
				} else if i == j {
					e = 1
				}
				nd[v] += e
				nd[v+off] += e
			}
		}
		if glrl != nil && lvl[v-off] != i {
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
	c.multi[k] = multi
}

// scanNGTDM sets diff[t] to |i − Ā| for the ROI voxel g.vox[t] of level i
// and Ā the mean level of its neighbours in the ROI (0 without any), and
// returns n_i. The neighbours' levels are whole numbers, so their sum is
// the same as pyradiomics' floating-point one; it is kept with the count
// of neighbours in one integer per voxel (count << 40 + sum of levels).
func (pr *prepared) scanNGTDM(diff []float64) []uint32 {
	g := pr.g
	as := angles(g.dims, []int{1}, pr.f2d, true)
	const shift = 40
	w := make([]int64, len(g.lvl))
	for _, v := range g.vox {
		w[v] = 1<<shift | int64(g.levels[g.lvl[v]])
	}
	ngN := make([]uint32, len(g.levels))
	offs := make([]int32, len(as))
	for k, a := range as {
		offs[k] = int32(g.offset(a))
	}
	for t, v := range g.vox {
		s := int64(0)
		for _, off := range offs {
			s += w[v+off]
		}
		i := g.lvl[v]
		ngN[i]++
		d := 0.0
		if cnt := s >> shift; cnt > 0 {
			d = g.levels[i] - float64(s&(1<<shift-1))/float64(cnt)
			if d < 0 {
				d = -d
			}
		}
		diff[t] = d
	}
	return ngN
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
