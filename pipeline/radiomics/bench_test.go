package radiomics

import (
	"fmt"
	"github.com/scirad/scirad/pipeline/radiomics/texture"
	"math"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"

	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volume"
)

// The spine cases of testdata/spine (README there) with default settings,
// all 107 features, file reading and cropping to the ROI's bounding box
// excluded (as for pyradiomics): the cord of t2 (4275 voxels),
// the lesion of t2_fake_lesion (163), its cord minus lesion (7172), and the
// t2 cord dilated by four voxels (a 9×9×9 box; 17407 voxels), with one and
// two workers. `make bench-radiomics` runs them beside pyradiomics
// (testdata/texture/time_pyradiomics107.py, the same ROIs).
//
//	go test -run XXX -bench Spine -cpu 1 ./pipeline/radiomics
func BenchmarkSpine(b *testing.B) {
	for _, c := range spineCases(b) {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers%d", c.name, w), func(b *testing.B) {
				vals, err := Extract(c.img, c.mask, Settings{})
				if err != nil {
					b.Fatal(err)
				}
				if len(vals) != 107 {
					b.Fatalf("%d features", len(vals))
				}
				for _, v := range vals {
					if v.Name == "VoxelVolume" {
						sp := c.img.Spacing
						if n := math.Round(v.Value / (sp[0] * sp[1] * sp[2])); int(n) != c.n {
							b.Fatalf("ROI has %v voxels, want %d", n, c.n)
						}
					}
				}
				cpuLoop(b, func() error { _, err := ExtractWorkers(c.img, c.mask, Settings{}, w); return err })
			})
		}
	}
}

// BenchmarkSpineStages is BenchmarkCube's per-stage breakdown for the
// spine cases.
func BenchmarkSpineStages(b *testing.B) {
	for _, c := range spineCases(b) {
		b.Run(c.name, func(b *testing.B) { benchStages(b, c.img, c.mask) })
	}
}

type spineCase struct {
	name      string
	img, mask *volume.Volume
	n         int
}

func spineCases(b *testing.B) []spineCase {
	const dir = "../../testdata/spine/sct_testing_data/t2/"
	t2 := readTestNIfTI(b, dir+"t2.nii.gz")
	cord := readTestNIfTI(b, dir+"t2_seg-manual.nii.gz")
	fake := readTestNIfTI(b, dir+"t2_fake_lesion.nii.gz")
	lesion := readTestNIfTI(b, dir+"t2_fake_lesion_lesion_seg.nii.gz")
	sc := readTestNIfTI(b, dir+"t2_fake_lesion_sc_seg.nii.gz")
	rest := sc.Clone()
	for i, x := range lesion.Data {
		if x != 0 {
			rest.Data[i] = 0
		}
	}
	cases := []spineCase{
		{"lesion", fake, lesion, 163},
		{"cord", t2, cord, 4275},
		{"cord_minus_lesion", fake, rest, 7172},
		{"dilated_cord", t2, dilate(cord, 4), 17407},
	}
	// Cropped to the ROI's bounding box, as time_pyradiomics107.py crops
	// both arrays before it times pyradiomics (file reading and cropping
	// are left out on both sides).
	for k, c := range cases {
		box := c.mask.BoundingBox(func(x float64) bool { return x != 0 })
		cases[k].img, cases[k].mask = c.img.Crop(box), c.mask.Crop(box)
	}
	return cases
}

// dilate returns the mask's label-1 voxels grown by r voxels along every
// axis (a (2r+1)³ box), clipped to the image.
func dilate(m *volume.Volume, r int) *volume.Volume {
	out := volume.New(m.Grid)
	d := m.Dims
	for i, x := range m.Data {
		if x != 1 {
			continue
		}
		x0, y0, z0 := m.Coords(i)
		for z := max(0, z0-r); z <= min(d[2]-1, z0+r); z++ {
			for y := max(0, y0-r); y <= min(d[1]-1, y0+r); y++ {
				for x := max(0, x0-r); x <= min(d[0]-1, x0+r); x++ {
					out.Data[m.Index(x, y, z)] = 1
				}
			}
		}
	}
	return out
}

// paperPatient is patient 1 of a synthetic paper-size cohort (package
// synth, seed 1: 256 × 512 voxels of 0.46875 mm, 12–16 sagittal slices 4 mm
// apart, labels 1 lesion and 2 cord).
func paperPatient(b *testing.B) (img, mask *volume.Volume) {
	c, err := synth.Plan(synth.Options{N: 4, Seed: 1, Size: synth.Paper})
	if err != nil {
		b.Fatal(err)
	}
	img, mask, _, err = c.Render(0)
	if err != nil {
		b.Fatal(err)
	}
	return img, mask
}

// BenchmarkPaperPatient: all 1070 features of one paper-size patient,
// preprocessing and the four filters included (preprocess.Run, then
// ExtractImagesParallel with GOMAXPROCS workers), for one core and all
// cores:
//
//	go test -run XXX -bench PaperPatient -cpu 1,2 ./pipeline/radiomics
func BenchmarkPaperPatient(b *testing.B) {
	img, mask := paperPatient(b)
	cs := PaperCohortSettings()
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		b.Fatal(err)
	}
	extract := func(pre *preprocess.Result) {
		vals, err := ExtractImagesParallel(pre, cs, runtime.GOMAXPROCS(0))
		if err != nil {
			b.Fatal(err)
		}
		if len(vals) != 1070 {
			b.Fatalf("%d features", len(vals))
		}
	}
	// The whole patient: preprocess.Run (normalise, resample, four filters)
	// and the 1070 features.
	b.Run("preprocess+extract", func(b *testing.B) {
		for range b.N {
			pre, err := preprocess.Run(img, mask, cs.Preprocess)
			if err != nil {
				b.Fatal(err)
			}
			extract(pre)
		}
	})
	// The 1070 features of the five preprocessed images only.
	b.Run("extract", func(b *testing.B) {
		for range b.N {
			extract(pre)
		}
	})
}

// cubeCase is the Pictologics-style synthetic case of issue 21: a 100³
// image of 1 mm voxels with uniformly random whole-number intensities in
// [0, 800) (seed 1), and a 98³ cube ROI (one voxel of background on every
// side), binned with pyradiomics' default bin width 25 (32 grey levels).
func cubeCase() (img, mask *volume.Volume) {
	g := volume.NewGrid([3]int{100, 100, 100}, [3]float64{1, 1, 1})
	img, mask = volume.New(g), volume.New(g)
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 100 {
		for j := range 100 {
			for i := range 100 {
				idx := g.Index(i, j, k)
				img.Data[idx] = float64(r.IntN(800))
				if i > 0 && j > 0 && k > 0 && i < 99 && j < 99 && k < 99 {
					mask.Data[idx] = 1
				}
			}
		}
	}
	return img, mask
}

// BenchmarkCube times the stages of one extraction on the 100³ cube (and
// on the spine cases), so that a profile or benchstat shows where the time
// goes per feature class:
//
//	go test -run XXX -bench 'Cube|Stages' -cpu 1 ./pipeline/radiomics
func BenchmarkCube(b *testing.B) {
	img, mask := cubeCase()
	benchStages(b, img, mask)
}

// cpuLoop runs f b.N times and reports the process's CPU time per call
// (cpu-ns/op) beside the wall time: on a shared machine it is the steadier
// of the two for one goroutine.
func cpuLoop(b *testing.B, f func() error) {
	var ru syscall.Rusage
	cpu := func() int64 {
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return ru.Utime.Nano() + ru.Stime.Nano()
	}
	b.ResetTimer()
	t0 := cpu()
	for range b.N {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpu()-t0)/float64(b.N), "cpu-ns/op")
}

func benchStages(b *testing.B, img, mask *volume.Volume) {
	s := Settings{}
	roi, err := PrepareROI(img, mask, s)
	if err != nil {
		b.Fatal(err)
	}
	d, err := roi.Bin(s)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("prepare", func(b *testing.B) {
		cpuLoop(b, func() error { _, err := PrepareROI(img, mask, s); return err })
	})
	b.Run("discretise", func(b *testing.B) {
		cpuLoop(b, func() error { _, err := roi.Bin(s); return err })
	})
	for _, f := range families() {
		b.Run(f.class, func(b *testing.B) {
			cpuLoop(b, func() error { _, err := f.compute(d, s); return err })
		})
	}
	b.Run("texture", func(b *testing.B) {
		cpuLoop(b, func() error { _, err := texture.All(d.TextureImage(), textureOptions(d, s)); return err })
	})
	b.Run("all", func(b *testing.B) {
		cpuLoop(b, func() error { _, err := Extract(img, mask, s); return err })
	})
}
