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

// scanChunk is the number of ROI voxels per task of the fused pass. It
// depends on nothing but itself, and every count is an integer, so the
// counts do not depend on how the chunks are spread over workers; the one
// floating-point sum (NGTDM s_i) is added up afterwards in voxel order.
const scanChunk = 8192

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

// scan is one pass over the ROI for the GLCM, GLRLM, NGTDM and GLDM counts
// of fams at distance 1: each voxel reads its 26 neighbours once (13
// directions, both ways) and feeds every family from them. With workers >
// 1 the ROI's voxels are cut into chunks of scanChunk voxels that the
// workers take in turn, each into its own counts, summed at the end.
func (pr *prepared) scan(fams famSet, workers int) (*counts, error) {
	as, offs, err := pr.offsets([]int{1}, false)
	if err != nil {
		return nil, err
	}
	g := pr.g
	nl := len(g.levels)
	c := &counts{as: as, offs: offs, nc: max(g.dims[0], g.dims[1], g.dims[2])}
	// dep[i*nl+j] is 1 when level j is dependent on a centre of level i
	// (GLDM: |i − j| ≤ α).
	var dep []uint8
	if fams&famGLDM != 0 {
		dep = make([]uint8, nl*nl)
		for i, li := range g.levels {
			for j, lj := range g.levels {
				if d := li - lj; d <= pr.alpha && -d <= pr.alpha {
					dep[i*nl+j] = 1
				}
			}
		}
	}
	lvInt := make([]int64, nl)
	for i, l := range g.levels {
		lvInt[i] = int64(l)
	}
	if fams&famNGTDM != 0 {
		c.diff = make([]float64, len(g.vox))
	}
	nchunks := (len(g.vox) + scanChunk - 1) / scanChunk
	workers = max(1, min(workers, nchunks))
	parts := make([]*counts, workers)
	for w := range parts {
		parts[w] = c.alloc(fams, nl, len(as))
	}
	var next atomic.Int64
	run := func(w int) {
		p := parts[w]
		for {
			k := int(next.Add(1) - 1)
			if k >= nchunks {
				return
			}
			lo := k * scanChunk
			hi := min(lo+scanChunk, len(g.vox))
			pr.scanVoxels(p, c, lo, hi, dep, lvInt)
		}
	}
	parallel(workers, run)
	c.glcm, c.glrl, c.gldm, c.ngN, c.multi = parts[0].glcm, parts[0].glrl, parts[0].gldm, parts[0].ngN, parts[0].multi
	for _, p := range parts[1:] {
		addTo(c.glcm, p.glcm)
		addTo(c.glrl, p.glrl)
		addTo(c.gldm, p.gldm)
		addTo(c.ngN, p.ngN)
		for k, m := range p.multi {
			c.multi[k] = c.multi[k] || m
		}
	}
	return c, nil
}

// alloc returns zeroed counts for one worker.
func (c *counts) alloc(fams famSet, nl, na int) *counts {
	p := &counts{multi: make([]bool, na)}
	if fams&famGLCM != 0 {
		p.glcm = make([]uint32, na*nl*nl)
	}
	if fams&famGLRLM != 0 {
		p.glrl = make([]uint32, na*nl*c.nc)
	}
	if fams&famGLDM != 0 {
		p.gldm = make([]uint32, nl*(2*na+1))
	}
	if fams&famNGTDM != 0 {
		p.ngN = make([]uint32, nl)
	}
	return p
}

func addTo(dst, src []uint32) {
	for i, v := range src {
		dst[i] += v
	}
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

// scanVoxels adds the ROI voxels g.vox[lo:hi] to p (and their NGTDM
// differences to c.diff). Per voxel and forward direction k it reads the
// neighbour ahead (jf) and behind (jb): jf gives the GLCM pair, both give
// the NGTDM and GLDM neighbourhood, and a voxel whose neighbour behind has
// another level starts a run along k, followed while the level stays.
func (pr *prepared) scanVoxels(p, c *counts, lo, hi int, dep []uint8, lvInt []int64) {
	g := pr.g
	lvl := g.lvl
	nl := len(g.levels)
	nn := nl * nl
	na := len(c.offs)
	offs, diff := c.offs, c.diff
	doGLCM, doRL := p.glcm != nil, p.glrl != nil
	doNb := p.gldm != nil || p.ngN != nil
	glcm, glrl, gldm := p.glcm, p.glrl, p.gldm
	nc := 0
	if doRL {
		nc = len(glrl) / (na * nl)
	}
	ndep := 2*na + 1
	for t := lo; t < hi; t++ {
		v := int(g.vox[t])
		i := lvl[v]
		cnt, sum, nd := 0, int64(0), 0
		for k, off := range offs {
			jf, jb := lvl[v+off], lvl[v-off]
			if jf >= 0 {
				if doGLCM {
					glcm[k*nn+int(i)*nl+int(jf)]++
				}
				if doNb {
					cnt++
					sum += lvInt[jf]
					if dep != nil {
						nd += int(dep[int(i)*nl+int(jf)])
					}
				}
			}
			if jb >= 0 && doNb {
				cnt++
				sum += lvInt[jb]
				if dep != nil {
					nd += int(dep[int(i)*nl+int(jb)])
				}
			}
			if doRL && jb != i {
				n := 1
				if jf == i {
					n = 2
					for q := v + 2*off; lvl[q] == i; q += off {
						n++
					}
					p.multi[k] = true
				}
				glrl[(k*nl+int(i))*nc+n-1]++
			}
		}
		if gldm != nil {
			gldm[int(i)*ndep+nd]++
		}
		if p.ngN != nil {
			p.ngN[i]++
			d := 0.0
			if cnt > 0 {
				// The neighbours' levels are whole numbers, so their sum
				// is the same as pyradiomics' floating-point one.
				d = g.levels[i] - float64(sum)/float64(cnt)
				if d < 0 {
					d = -d
				}
			}
			diff[t] = d
		}
	}
}

// defaultWorkers is the number of workers Options.Workers < 0 asks for.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
