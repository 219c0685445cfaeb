package texture

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/scirad/scirad/pipeline/internal/bufcache"
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

// counts are the raw counts of the fused pass (scan), before pyradiomics'
// post-processing (symmetrising, removing empty directions and columns,
// normalising), which the family's matrix function does as for its own
// loop; and the GLSZM, found beside them.
type counts struct {
	as   [][3]int // the forward directions (GLCM and GLRLM, distance 1)
	offs []int    // their offsets in the padded grid

	glcm  []uint32 // len(as) × nl × nl, not symmetrised
	glrl  []uint32 // len(as) × nl × nc, run length n in column n-1
	nc    int      // GLRLM columns: the longest possible run
	multi []bool   // per direction: some run is longer than one voxel

	gldm []uint32  // nl × (2 len(as) + 1): dependent neighbours
	ngN  []uint32  // NGTDM n_i
	ngS  []float64 // NGTDM s_i, added up in voxel order

	glszm    *Matrix // the GLSZM, when the pass was asked for it
	glszmErr error
}

// fusable reports whether every family that uses distances can share the
// fused pass: GLRLM and GLSZM use distance 1, so the others must too.
func (pr *prepared) fusable() bool { return !noFusedPass && len(pr.ds) == 1 && pr.ds[0] == 1 }

// noFusedPass makes every family build its matrices with its own loop, as
// for distances other than [1]: the reference the benchmarks check the
// fused pass against.
var noFusedPass = false

// release hands the counts' arrays back for reuse (uint32Bufs); c must
// not be used after.
func (c *counts) release() {
	uint32Bufs.Put(c.glcm)
	uint32Bufs.Put(c.glrl)
	c.glcm, c.glrl = nil, nil
}

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
		pr.cnt, pr.cntErr = pr.scan(fams, pr.workers)
	}
	return pr.cnt, pr.cntErr
}

// scan counts the GLCM, GLRLM, NGTDM and GLDM matrices of fams at
// distance 1, and finds the GLSZM when fams has it, in tasks that the
// workers take in turn:
//
//   - the NGTDM's neighbour sums (box sums) and, for gldm_a ≥ 1, each
//     voxel's dependent neighbours (scanNeighbours);
//   - the GLCM and GLRLM of two forward directions each (13 in 3D),
//     walking the ROI's rows of voxels in blocks, every direction of the
//     task over one block before the next (so the block stays in cache):
//     each voxel's neighbour ahead along k gives direction k's GLCM pair;
//     the equal pairs are listed, and where the neighbour behind has
//     another level an equal pair starts a run of two or more, followed
//     to its end. The runs of one voxel are the rest: a level's runs are
//     its voxels less its equal pairs. As each task finishes its equal
//     pairs give the GLSZM's zones and (gldm_a < 1, where only equal
//     levels are dependent) the GLDM's dependence counts (equalPairs);
//   - the GLSZM on its own (glszmZones) when no direction task lists the
//     equal pairs.
//
// Every task writes its own part of the counts, all integers, so the
// counts do not depend on the workers; the one floating-point sum (NGTDM
// s_i) is added up by one task in voxel order.
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
		c.glcm = uint32Bufs.Get(na * nl * nl)
		clear(c.glcm)
	}
	if fams&famGLRLM != 0 {
		c.glrl = uint32Bufs.Get(na * nl * c.nc)
		clear(c.glrl)
	}
	eqDep := fams&famGLDM != 0 && pr.alpha < 1 // GLDM from the direction tasks
	dirTasks := fams&(famGLCM|famGLRLM) != 0 || eqDep
	var tasks []func(w int)
	if fams&famGLSZM != 0 && !dirTasks {
		tasks = append(tasks, func(int) { c.glszm, c.glszmErr = glszmZones(pr) })
	}
	if fams&famNGTDM != 0 || fams&famGLDM != 0 && !eqDep {
		tasks = append(tasks, func(int) { pr.scanNeighbours(c, fams, eqDep) })
	}
	var ep *equalPairs
	if dirTasks {
		// The direction tasks list their equal pairs when the GLSZM or
		// the GLDM needs them, and join them as each task finishes.
		if fams&famGLSZM != 0 || eqDep {
			ep = &equalPairs{g: g, offs: c.offs, zones: fams&famGLSZM != 0, dep: eqDep}
		}
		spans := mergeRuns(g.runs)
		ng := (na + dirsPerTask - 1) / dirsPerTask
		switch {
		case workers <= 1:
			// One worker: one task joins each equal pair as it finds it,
			// while its block is in cache, instead of listing it.
			ng = 1
			if ep != nil {
				ep.inline = true
				ep.init()
			}
		case ep != nil:
			ep.pairs = make([]pairList, na)
		}
		for t := range ng {
			// The smaller tasks last (13 directions: 2, 2, …, 2, 1).
			lo, hi := na-(ng-t)*na/ng, na-(ng-t-1)*na/ng
			tasks = append(tasks, func(int) {
				var pairs []pairList
				if ep != nil {
					pairs = ep.pairs
				}
				pr.scanDirections(c, lo, hi, spans, pairs, ep)
				if ep != nil && !ep.inline {
					ep.add(lo, hi)
				}
			})
		}
	}
	workers = max(1, min(workers, len(tasks)))
	var next atomic.Int64
	parallel(workers, func(w int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= len(tasks) {
				return
			}
			tasks[t](w)
		}
	})
	if ep != nil {
		ep.join() // any directions left
		ep.count(pr, c, workers)
	}
	return c, nil
}

// equalPairs finds the GLSZM's zones (zones) and the GLDM's dependence
// counts (dep: gldm_a < 1, where only equal levels are dependent) from the
// equal pairs of the forward directions: pairs[k] lists the voxels v whose
// neighbour v + offs[k] has the same level. A zone is a connected component
// of these pairs (union-find; the components do not depend on the order of
// the unions); a voxel's dependent neighbours are the pairs it is in.
//
// The direction tasks hand their directions over as they finish (add);
// whichever task finds the union-find free joins every direction handed
// over so far, while the other workers go on with their tasks.
type equalPairs struct {
	g      *grid
	offs   []int
	pairs  []pairList // per direction, listed by the tasks (nil inline)
	zones  bool
	dep    bool
	inline bool // one worker: scanDirections joins the pairs as it finds them

	mu      sync.Mutex // guards ready
	ready   [][2]int   // directions [lo, hi) handed over, not joined yet
	joining sync.Mutex // held while joining
	parent  unionFind
	zc      zoneCounts // the small zones so far (zc.large unused)
	large   []int32    // roots of zones of smallZone voxels or more
	nd      []uint8    // dependent neighbours of each voxel
}

// add hands over the pairs of directions lo … hi-1 and joins them, with
// any others handed over, unless another worker is joining: that one
// finds them when it is done.
func (ep *equalPairs) add(lo, hi int) {
	ep.mu.Lock()
	ep.ready = append(ep.ready, [2]int{lo, hi})
	ep.mu.Unlock()
	for ep.joining.TryLock() {
		ep.join()
		ep.joining.Unlock()
		// Directions handed over by a worker that found the lock taken
		// while this one was joining are joined now.
		ep.mu.Lock()
		left := len(ep.ready)
		ep.mu.Unlock()
		if left == 0 {
			return
		}
	}
}

// init sets up the union-find (every voxel a zone of its own) and the
// dependence counts, once.
func (ep *equalPairs) init() {
	g := ep.g
	if ep.zones && ep.parent == nil {
		ep.parent = newUnionFind(g)
	}
	if ep.zones && !ep.inline && ep.zc.small == nil {
		// Inline, the zones are counted at their roots in the end (count).
		ep.zc.small = make([]int32, len(g.levels)*smallZone)
		for i, n := range g.count {
			ep.zc.small[i*smallZone+1] = n
		}
	}
	if ep.dep && ep.nd == nil {
		ep.nd = uint8Bufs.Get(len(g.lvl))
		clear(ep.nd)
	}
}

// join joins the directions handed over so far (with ep.joining held, or
// once the tasks are done).
func (ep *equalPairs) join() {
	ep.init()
	for {
		ep.mu.Lock()
		ready := ep.ready
		ep.ready = nil
		ep.mu.Unlock()
		if len(ready) == 0 {
			return
		}
		for _, d := range ready {
			for k := d[0]; k < d[1]; k++ {
				off := int32(ep.offs[k])
				for _, vs := range ep.pairs[k].chunks {
					if ep.zones {
						for _, v := range vs {
							ep.unite(v, v+off)
						}
					}
					if ep.dep {
						nd := ep.nd
						for _, v := range vs {
							nd[v]++
							nd[v+off]++
						}
					}
				}
				ep.pairs[k].free()
			}
		}
	}
}

// pairList is a list of voxels in chunks of pairChunk from chunkPool, so
// that it grows without copying and its memory is reused.
type pairList struct{ chunks [][]int32 }

const pairChunk = 1 << 13

var chunkPool = sync.Pool{New: func() any { return new([pairChunk]int32) }}

func (l *pairList) add(v int32) {
	n := len(l.chunks)
	if n == 0 || len(l.chunks[n-1]) == pairChunk {
		l.chunks = append(l.chunks, chunkPool.Get().(*[pairChunk]int32)[:0])
		n++
	}
	l.chunks[n-1] = append(l.chunks[n-1], v)
}

// free hands the chunks back to chunkPool and empties l.
func (l *pairList) free() {
	for _, c := range l.chunks {
		chunkPool.Put((*[pairChunk]int32)(c[:pairChunk]))
	}
	l.chunks = nil
}

// unite joins the zones of the equal pair a, b (union by size, path
// halving) and keeps ep.zc and ep.large up to date: the zones of fewer than
// smallZone voxels by level and size, and the roots of the larger ones
// (some of which are joined to larger ones later, and are then no longer
// roots).
func (ep *equalPairs) unite(a, b int32) {
	p := ep.parent
	ra, rb := p.find(a), p.find(b)
	if ra == rb {
		return
	}
	if p[ra] > p[rb] { // ra is the smaller zone
		ra, rb = rb, ra
	}
	sa, sb := -p[ra], -p[rb]
	p[ra] -= sb
	p[rb] = ra
	l := int(ep.g.lvl[a]) * smallZone
	small := ep.zc.small
	if sa < smallZone {
		small[l+int(sa)]--
	}
	if sb < smallZone {
		small[l+int(sb)]--
	}
	switch n := sa + sb; {
	case n < smallZone:
		small[l+int(n)]++
	case sa < smallZone:
		ep.large = append(ep.large, ra)
	}
}

// count counts the zones by level and size (c.glszm) and the voxels by
// level and dependent neighbours (c.gldm), in one pass over the ROI's
// voxels split between the workers (integer counts, added up after).
func (ep *equalPairs) count(pr *prepared, c *counts, workers int) {
	g := pr.g
	nl := len(g.levels)
	ndep := 2*len(c.offs) + 1
	parts := 1
	if workers > 1 && len(g.vox) >= 1<<16 {
		parts = workers
	}
	gldms := make([][]uint32, parts)
	parallel(parts, func(w int) {
		vox := g.vox[w*len(g.vox)/parts : (w+1)*len(g.vox)/parts]
		if ep.dep {
			gldm := make([]uint32, nl*ndep)
			lvl, nd := g.lvl, ep.nd
			for _, v := range vox {
				gldm[int(lvl[v])*ndep+int(nd[v])]++
			}
			gldms[w] = gldm
		}
	})
	if ep.zones && ep.inline {
		// The zones are counted at their roots, once all are joined.
		c.glszm, c.glszmErr = zoneMatrix(g, ep.parent)
		int32Bufs.Put(ep.parent)
	} else if ep.zones {
		// The large zones: the listed voxels still roots.
		for _, r := range ep.large {
			if n := -ep.parent[r]; n > 0 {
				ep.zc.large = append(ep.zc.large, zone{g.lvl[r], n})
			}
		}
		c.glszm, c.glszmErr = ep.zc.matrix(g.levels)
		int32Bufs.Put(ep.parent)
	}
	if ep.dep {
		for _, gldm := range gldms[1:] {
			for k, n := range gldm {
				gldms[0][k] += n
			}
		}
		c.gldm = gldms[0]
		uint8Bufs.Put(ep.nd)
	}
}

// dirsPerTask and scanBlock shape the direction tasks of scan: about
// dirsPerTask directions each (13 directions: 7 tasks), over blocks of
// about scanBlock ROI voxels. Neither changes a count.
const (
	dirsPerTask = 2
	scanBlock   = 2048
)

// scanDirections adds the ROI voxels to the GLCM pairs and GLRLM runs of
// directions lo … hi-1, where c has them, and lists direction k's equal
// pairs in pairs[k] (when pairs is not nil), or joins them in ep at once
// (ep.inline).
func (pr *prepared) scanDirections(c *counts, lo, hi int, spans [][2]int32, pairs []pairList, ep *equalPairs) {
	g := pr.g
	lvl := g.lvl
	nl := len(g.levels)
	nc := c.nc
	// tab[k-lo] is direction k's GLCM with a first row and column for the
	// voxels outside the ROI (i or j = -1), so that no test is needed;
	// eq[k-lo] counts the equal pairs of each level where there is no
	// GLCM (whose diagonal has them).
	w := nl + 1
	var tabs [][]uint32
	if c.glcm != nil {
		buf := uint32Bufs.Get((hi - lo) * w * w)
		defer uint32Bufs.Put(buf)
		clear(buf)
		tabs = make([][]uint32, hi-lo)
		for k := range tabs {
			tabs[k] = buf[k*w*w : (k+1)*w*w]
		}
	}
	var eq []uint32
	if tabs == nil {
		eq = make([]uint32, (hi-lo)*nl)
	}
	multi := make([]bool, hi-lo)
	// The blocks: about scanBlock voxels of spans each.
	var blocks []int
	most := int32(0)
	for b := 0; b < len(spans); {
		e, nv := b, int32(0)
		for e < len(spans) && nv < scanBlock {
			nv += spans[e][1] - spans[e][0]
			e++
		}
		blocks = append(blocks, e)
		most = max(most, nv)
		b = e
	}
	eqv := make([]int32, most) // a block's equal pairs (pairSpans)
	b := 0
	for _, e := range blocks {
		for k := lo; k < hi; k++ {
			off := int32(c.offs[k])
			var tab []uint32
			if tabs != nil {
				tab = tabs[k-lo]
			}
			var glrl []uint32
			if c.glrl != nil {
				glrl = c.glrl[k*nl*nc : (k+1)*nl*nc]
			}
			var eqk []uint32
			if eq != nil {
				eqk = eq[(k-lo)*nl : (k-lo+1)*nl]
			}
			var pk *pairList
			if pairs != nil {
				pk = &pairs[k]
			}
			var parent unionFind
			var nd []uint8
			if ep != nil && ep.inline {
				parent, nd = ep.parent, ep.nd
			}
			eqs := eqv[:pairSpans(tab, w, lvl, spans[b:e], off, eqv)]
			switch {
			case pk != nil:
				for _, v := range eqs {
					pk.add(v)
				}
			case parent != nil:
				for _, v := range eqs {
					parent.union(v, v+off)
				}
			}
			if nd != nil {
				for _, v := range eqs {
					nd[v]++
					nd[v+off]++
				}
			}
			if glrl != nil {
				// Each equal pair is one more of its level (counted here
				// unless the GLCM's diagonal has them); where the voxel
				// behind has another level it starts a run of two or
				// more, followed to its end.
				m := false
				for _, v := range eqs {
					i := lvl[v]
					if tabs == nil {
						eqk[i]++
					}
					if lvl[v-off] == i {
						continue
					}
					n := 2
					for q := v + 2*off; lvl[q] == i; q += off {
						n++
					}
					glrl[int(i)*nc+n-1]++
					m = true
				}
				multi[k-lo] = multi[k-lo] || m
			}
		}
		b = e
	}
	for k := lo; k < hi; k++ {
		c.multi[k] = multi[k-lo]
		if tabs != nil {
			tab := tabs[k-lo]
			glcm := c.glcm[k*nl*nl : (k+1)*nl*nl]
			for i := range nl {
				copy(glcm[i*nl:(i+1)*nl], tab[(i+1)*w+1:(i+2)*w])
			}
		}
		if c.glrl != nil {
			// The runs of one voxel: the level's runs (its voxels less its
			// equal pairs) less the longer ones.
			for i := range nl {
				row := c.glrl[(k*nl+i)*nc : (k*nl+i+1)*nc]
				var eqi uint32
				if tabs != nil {
					eqi = tabs[k-lo][(i+1)*w+i+1] // the GLCM's (i, i)
				} else {
					eqi = eq[(k-lo)*nl+i]
				}
				n := g.count[i] - int32(eqi)
				for _, r := range row[1:] {
					n -= int32(r)
				}
				row[0] = uint32(n)
			}
		}
	}
}

// spanGap is the longest stretch of voxels outside the ROI (or padding)
// that mergeRuns bridges: the direction scans walk a span in one loop,
// and a voxel outside costs less than starting another loop.
const spanGap = 4

// mergeRuns returns the runs of ROI voxels with the gaps of at most
// spanGap voxels between consecutive ones bridged: spans of the padded
// grid that start and end at ROI voxels (so every voxel of a span has its
// neighbours in the grid) with some voxels outside the ROI (level -1).
func mergeRuns(runs [][2]int32) [][2]int32 {
	out := make([][2]int32, 0, len(runs))
	for _, r := range runs {
		if n := len(out); n > 0 && r[0]-out[n-1][1] <= spanGap {
			out[n-1][1] = r[1]
			continue
		}
		out = append(out, r)
	}
	return out
}

// pairSpans adds the pairs of levels (lvl[v], lvl[v+off]) of the voxels v
// of spans to tab (when not nil; w columns, i or j = -1 in the first row
// or column) and lists in eqv the v of the equal pairs of ROI voxels,
// returning how many. It has no branch that depends on the levels.
//
// The loop addresses the arrays through pointers, without a bounds check
// per voxel: with the checks the compiler ran out of registers and the
// loop took about 1.5 times as long (measured on the spine cases). What
// the checks guarded is checked once here: each span and its neighbours
// ahead lie in lvl, tab has w × w cells, eqv has room for every voxel of
// the spans; and the levels of a grid (newGrid) are -1 … w-2, so that
// every cell i·w + j + w + 1 lies in tab.
//
//go:noinline
func pairSpans(tab []uint32, w int, lvl []int32, spans [][2]int32, off int32, eqv []int32) int {
	room := 0
	for _, r := range spans {
		if r[0] < 0 || r[1] < r[0] || int(r[1]) > len(lvl) || r[0]+off < 0 || int(r[1]+off) > len(lvl) {
			panic("texture: pairSpans: span outside the grid")
		}
		room += int(r[1] - r[0])
	}
	if room == 0 {
		return 0
	}
	if len(eqv) < room || tab != nil && len(tab) < w*w {
		panic("texture: pairSpans: arrays too short")
	}
	n := 0
	ep := unsafe.Pointer(unsafe.SliceData(eqv))
	lp := unsafe.Pointer(unsafe.SliceData(lvl))
	o := uintptr(off) * 4
	if tab == nil {
		for _, r := range spans {
			p, end := unsafe.Add(lp, uintptr(r[0])*4), unsafe.Add(lp, uintptr(r[1])*4)
			for v := r[0]; p != end; p, v = unsafe.Add(p, 4), v+1 {
				i, j := *(*int32)(p), *(*int32)(unsafe.Add(p, o))
				*(*int32)(unsafe.Add(ep, n*4)) = v
				// i == j ≥ 0: (i ^ j) | i >> 31 is 0.
				n += b2i((i^j)|i>>31 == 0)
			}
		}
		return n
	}
	tp := unsafe.Pointer(&tab[w+1]) // the cell of i = j = 0
	for _, r := range spans {
		p, end := unsafe.Add(lp, uintptr(r[0])*4), unsafe.Add(lp, uintptr(r[1])*4)
		for v := r[0]; p != end; p, v = unsafe.Add(p, 4), v+1 {
			i, j := *(*int32)(p), *(*int32)(unsafe.Add(p, o))
			*(*uint32)(unsafe.Add(tp, (int(i)*w+int(j))*4))++
			*(*int32)(unsafe.Add(ep, n*4)) = v
			n += b2i((i^j)|i>>31 == 0)
		}
	}
	return n
}

// scanNeighbours finds, for the NGTDM (when fams has it), c.ngN and c.ngS;
// and, unless eqDep, c.gldm (nl × (2 na + 1): the voxels of level i with d
// dependent neighbours).
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
		c.ngN, c.ngS = ngtdmBoxSums[uint32](pr, 27)
	} else {
		c.ngN, c.ngS = ngtdmBoxSums[uint64](pr, 40)
	}
}

// ngtdmBoxSums returns the NGTDM's n_i and s_i = Σ |i − Ā| over the
// voxels of level i, in voxel order, with Ā the mean level of the voxel's
// neighbours in the ROI (0 without any). Each voxel's level and ROI
// membership are packed in one integer (1 << shift + level, 0 outside),
// whose sums over the 3×3×3 box (3×3 with Force2D) less the voxel itself
// are the sum and count of its neighbours' levels. Where the ROI fills at
// least a quarter of its box, the sums are taken one axis at a time, slice
// by slice: the in-plane axes over each slice, then across three
// consecutive slices at the ROI's voxels; otherwise voxel by voxel. The
// levels are whole numbers, so the sum is the same as pyradiomics'
// floating-point one.
func ngtdmBoxSums[T uint32 | uint64](pr *prepared, shift uint) ([]uint32, []float64) {
	g := pr.g
	lvl := g.lvl
	nl := len(g.levels)
	wt := make([]T, nl+1) // the packed value of level index i at i+1; 0 outside
	for i, l := range g.levels {
		wt[i+1] = 1<<shift | T(l)
	}
	ngN := make([]uint32, nl)
	ngS := make([]float64, nl)
	// mean[s] is s / full, the neighbours' mean level where all full of
	// them are in the ROI (most voxels of a large ROI): the same quotient
	// as the division, looked up.
	full := T(26)
	if pr.f2d >= 0 {
		full = 8
	}
	var mean []float64
	if int(full)*g.ng < 1<<16 {
		mean = make([]float64, int(full)*g.ng+1)
		for s := range mean {
			mean[s] = float64(s) / float64(full)
		}
	}
	levels := g.levels
	add := func(i int32, x T) { // x: the box sum less the voxel itself
		ngN[i]++
		cnt, s := x>>shift, x&(1<<shift-1)
		var d float64
		switch {
		case cnt == full && mean != nil:
			d = levels[i] - mean[s]
		case cnt > 0:
			d = levels[i] - float64(s)/float64(cnt)
		default:
			return
		}
		ngS[i] += math.Abs(d)
	}
	if 4*len(g.vox) < len(lvl) {
		var offs []int32
		for _, a := range angles(g.dims, []int{1}, pr.f2d, true) {
			offs = append(offs, int32(g.offset(a)))
		}
		for _, v := range g.vox {
			x := T(0)
			for _, off := range offs {
				x += wt[lvl[v+off]+1]
			}
			add(lvl[v], x)
		}
		return ngN, ngS
	}
	// The axes summed (pyradiomics' Force2D axis f is ours 2 − f).
	sum := [3]bool{true, true, true}
	if pr.f2d >= 0 {
		sum[2-pr.f2d] = false
	}
	n0, plane := g.n[0], g.n[0]*g.n[1]
	buf := boxBufs[T]().Get(5 * plane)
	defer boxBufs[T]().Put(buf)
	w, sx := buf[:plane], buf[plane:2*plane]
	ring := [3][]T{buf[2*plane : 3*plane], buf[3*plane : 4*plane], buf[4*plane:]}
	// inPlane sets dst to the sums over slice z's in-plane box, right at
	// every voxel off the slice's border (pad 1).
	inPlane := func(z int, dst []T) {
		for p, l := range lvl[z*plane : (z+1)*plane] {
			w[p] = wt[l+1]
		}
		if sum[0] {
			for p := 1; p < plane-1; p++ {
				sx[p] = w[p-1] + w[p] + w[p+1]
			}
		} else {
			copy(sx, w)
		}
		if sum[1] {
			for p := n0; p < plane-n0; p++ {
				dst[p] = sx[p-n0] + sx[p] + sx[p+n0]
			}
		} else {
			copy(dst, sx)
		}
	}
	// ring[0], ring[1], ring[2] are the slices z-1, z, z+1 (only z
	// without the sum across slices).
	vox := g.vox
	t := 0
	have := -2 // the ring holds the slices around have
	for z := 1; z < g.n[2]-1 && t < len(vox); z++ {
		end := int32((z + 1) * plane)
		if vox[t] >= end {
			continue
		}
		switch {
		case !sum[2]:
			inPlane(z, ring[1])
		case have == z-1:
			ring[0], ring[1], ring[2] = ring[1], ring[2], ring[0]
			inPlane(z+1, ring[2])
		default:
			inPlane(z-1, ring[0])
			inPlane(z, ring[1])
			inPlane(z+1, ring[2])
		}
		have = z
		base := int32(z * plane)
		r0, r1, r2 := ring[0], ring[1], ring[2]
		for ; t < len(vox) && vox[t] < end; t++ {
			v := vox[t]
			p := v - base
			i := lvl[v]
			x := r1[p]
			if sum[2] {
				x += r0[p] + r2[p]
			}
			add(i, x-wt[i+1])
		}
	}
	return ngN, ngS
}

// boxBufs is the cache of ngtdmBoxSums' arrays of T.
func boxBufs[T uint32 | uint64]() *bufcache.Cache[T] {
	var c any
	switch any(T(0)).(type) {
	case uint32:
		c = &uint32Bufs
	default:
		c = &uint64Bufs
	}
	return c.(*bufcache.Cache[T])
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
