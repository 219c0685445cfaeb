package featuremap

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// randomPrepared is a random crop of n voxels with levels 1..nl where the
// kernel reads (about 70% of voxels) and 0 elsewhere.
func randomPrepared(r *rand.Rand, n [3]int, nl int, s Settings) *prepared {
	p := &prepared{s: s, r: s.radius(), n: n, f2d: -1, ng: nl, nlev: nl}
	if s.Force2D {
		p.f2d = s.Force2DAxis()
	}
	nv := n[0] * n[1] * n[2]
	p.x, p.lv = make([]float64, nv), make([]int32, nv)
	for c := range nv {
		if r.Float64() < 0.7 {
			p.lv[c] = int32(1 + r.IntN(nl))
			p.x[c] = float64(p.lv[c]) * 10
		}
	}
	p.rank = make([]int32, nl+1)
	for l := range p.rank {
		p.rank[l] = int32(l - 1)
	}
	return p
}

// TestSlideCountsEqualRebuild moves the sliding counters along random
// rows — steps of one voxel, jumps over gaps, new rows — and compares
// every GLCM pair count, level count, GLRLM run count (and line-of-two
// flag), GLDM count and per-voxel neighbour count (gldm_a 1), first-order histogram and sorted intensity list with counters built from scratch for the same window.
func TestSlideCountsEqualRebuild(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range []Settings{
		{},
		{KernelRadius: 2},
		func() (s Settings) { s.AsymmetricalGLCM = true; s.Distances = []int{1, 2}; return }(),
		func() (s Settings) { s.Force2D = true; return }(),
		func() (s Settings) { s.Force2D = true; s.Force2DDimension = 2; return }(),
		func() (s Settings) { s.Force2D = true; s.Force2DDimension = 1; s.Distances = []int{2}; return }(),
	} {
		p := randomPrepared(r, [3]int{11, 7, 6}, 5, s)
		slid, fresh := newGLCMSlider(p, nil), newGLCMSlider(p, nil)
		runs, runsFresh := newRunCounter(p), newRunCounter(p)
		s.GLDMAlpha = 1
		p.s.GLDMAlpha = 1
		nb, nbFresh := newNbrSlider(p, true, true), newNbrSlider(p, true, true)
		var foA, foB firstOrder
		foA.counts, foB.counts = make([]int, p.ng+1), make([]int, p.ng+1)
		fsA, fsB := foSlider{p: p, f: &foA}, foSlider{p: p, f: &foB}
		k := &kernel{p: p}
		steps := 0
		for range 40 {
			y, z := r.IntN(p.n[1]), r.IntN(p.n[2])
			for x := r.IntN(3); x < p.n[0]; x += 1 + r.IntN(2) + r.IntN(2)*r.IntN(4) {
				k.box(x + p.n[0]*(y+p.n[1]*z))
				w := k.window()
				slid.moveTo(w)
				fresh.valid = false
				fresh.moveTo(w)
				fsA.moveTo(w)
				nb.moveTo(w)
				nbFresh.valid = false
				nbFresh.moveTo(w)
				if !slices.Equal(nb.dep.cnt, nbFresh.dep.cnt) {
					t.Fatalf("%+v: window %+v: slid GLDM counts differ from a rebuild", s, w)
				}
				for z := w.z0; z <= w.z1; z++ {
					for y := w.y0; y <= w.y1; y++ {
						for x := w.x0; x <= w.x1; x++ {
							v := x + p.n[0]*(y+p.n[1]*z)
							if p.lv[v] > 0 && (nb.nDep[v] != nbFresh.nDep[v] || nb.nCnt[v] != nbFresh.nCnt[v] || nb.nSum[v] != nbFresh.nSum[v]) {
								t.Fatalf("%+v: window %+v voxel %d,%d,%d: slid neighbour counts %d/%d/%d, rebuilt %d/%d/%d", s, w, x, y, z,
									nb.nDep[v], nb.nCnt[v], nb.nSum[v], nbFresh.nDep[v], nbFresh.nCnt[v], nbFresh.nSum[v])
							}
						}
					}
				}
				runs.moveTo(w)
				runsFresh.valid = false
				runsFresh.moveTo(w)
				for d := range runs.runs {
					if !slices.Equal(runs.runs[d].cnt, runsFresh.runs[d].cnt) || (runs.two[d] > 0) != (runsFresh.two[d] > 0) {
						t.Fatalf("%+v: window %+v direction %v: slid runs differ from a recount", s, w, runs.dirs[d])
					}
				}
				fsB.valid = false
				fsB.moveTo(w)
				for d := range slid.pairs {
					if !slices.Equal(slid.pairs[d].cnt, fresh.pairs[d].cnt) {
						t.Fatalf("%+v: window %+v direction %v: slid pair counts differ from a rebuild", s, w, slid.dirs[d])
					}
					if len(slid.pairs[d].nz) != len(fresh.pairs[d].nz) {
						t.Fatalf("window %+v: %d non-zero cells slid, %d rebuilt", w, len(slid.pairs[d].nz), len(fresh.pairs[d].nz))
					}
				}
				if !slices.Equal(slid.levels.cnt, fresh.levels.cnt) {
					t.Fatalf("window %+v: level counts differ", w)
				}
				if !slices.Equal(foA.counts, foB.counts) || !slices.Equal(foA.sorted, foB.sorted) {
					t.Fatalf("window %+v: first-order histogram or sorted intensities differ", w)
				}
				steps++
			}
		}
		if p.f2d != 0 && slid.slid < steps/2 { // force2D along x: one plane thick, nothing to slide
			t.Fatalf("%+v: only %d of %d windows slid", s, slid.slid, steps)
		}
	}
}

// bitEqual reports whether two maps hold the same float64 bits (NaN
// included) everywhere.
func bitEqual(a, b *volume.Volume) (int, bool) {
	for i := range a.Data {
		if math.Float64bits(a.Data[i]) != math.Float64bits(b.Data[i]) {
			return i, false
		}
	}
	return 0, true
}

// TestSlideBitIdentical: every map of the sliding computation is the same
// to the bit as with every kernel rebuilt from its box (noSlide, one
// worker) — on the spine lesion (rows with gaps) with one, two and three
// workers, and a cord patch with an unmasked radius-2 kernel on three.
func TestSlideBitIdentical(t *testing.T) {
	for _, c := range []struct {
		roi     string
		s       Settings
		workers []int
	}{
		{"lesion", Settings{}, []int{1, 2, 3}},
		{"cordpatch", Settings{KernelRadius: 2, Unmasked: true}, []int{3}},
	} {
		img, mask := spineROI(t, c.roi)
		ref := c.s
		ref.noSlide, ref.Workers = true, 1
		want, err := Compute(img, mask, ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range c.workers {
			s := c.s
			s.Workers = workers
			got, err := Compute(img, mask, s)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if at, ok := bitEqual(got[i].Volume, want[i].Volume); !ok {
					t.Fatalf("%s, %d workers: %s differs from the rebuilt kernels at voxel %d: %v, rebuilt %v",
						c.roi, workers, got[i].Key(), at, got[i].Volume.Data[at], want[i].Volume.Data[at])
				}
			}
		}
	}
}

// TestPyradiomicsVoxelBasedTexturePath runs the golden comparison with
// every family computed by package texture from each box (the path kept
// for weightingNorm and for counters too large for the budget).
func TestPyradiomicsVoxelBasedTexturePath(t *testing.T) {
	old := maxSliderCells
	maxSliderCells = 0
	defer func() { maxSliderCells = old }()
	TestPyradiomicsVoxelBased(t)
}

// TestFeatureSubsetBitIdentical: a GLCM map computed alone (only the
// logarithms its feature needs) is the same to the bit as computed with
// all 24 — also on package texture's path (MCC alone once came out NaN
// there: no GLCM feature asked, no matrix returned).
func TestFeatureSubsetBitIdentical(t *testing.T) {
	t.Run("sliding", testFeatureSubset)
	t.Run("texture", func(t *testing.T) {
		old := maxSliderCells
		maxSliderCells = 0
		defer func() { maxSliderCells = old }()
		testFeatureSubset(t)
	})
}

func testFeatureSubset(t *testing.T) {
	img, mask := spineROI(t, "lesion")
	var s Settings
	s.Classes = []string{"glcm"}
	s.VoxelBatch = 7 // batches where pyradiomics keeps MCC (one batch: initValue everywhere)
	all, err := Compute(img, mask, s)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*volume.Volume{}
	for _, m := range all {
		byKey[m.Key()] = m.Volume
	}
	for _, name := range []string{"Imc1", "Imc2", "JointEntropy", "SumEntropy", "DifferenceEntropy", "Contrast", "MCC"} {
		one := s
		one.Features = map[string][]string{"glcm": {name}}
		got, err := Compute(img, mask, one)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("%s alone: %d maps", name, len(got))
		}
		if at, ok := bitEqual(got[0].Volume, byKey[got[0].Key()]); !ok {
			t.Fatalf("%s alone differs at voxel %d: %v, with all features %v", name, at, got[0].Volume.Data[at], byKey[got[0].Key()].Data[at])
		}
	}
}
