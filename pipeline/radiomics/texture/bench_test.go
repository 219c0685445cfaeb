package texture

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time: on a shared machine it
// is steadier than the wall time the benchmark reports (reported as
// cpu-ns/op; the benchmarks run one goroutine, so it is one core's time).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loop(b *testing.B, f func()) {
	start := cpuTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

// Benchmarks on real ROIs, pyradiomics' default settings (bin width 25):
//   - brain1: pyradiomics' test case, 4137 voxels, 33 grey levels;
//   - cord: testdata/spine t2.nii.gz with t2_seg-manual, 4275 voxels;
//   - cordMinusLesion: t2_fake_lesion cord mask minus lesion mask, 7172 voxels;
//   - lesion: t2_fake_lesion lesion mask, 163 voxels.

func spineROI(b testing.TB, which string) *Image {
	b.Helper()
	dir := filepath.Join(testdata, "spine", "sct_testing_data", "t2")
	switch which {
	case "cord":
		image := readNIfTI(b, filepath.Join(dir, "t2.nii.gz"))
		mask := readNIfTI(b, filepath.Join(dir, "t2_seg-manual.nii.gz"))
		return discretise(image, func(k int) bool { return mask.data[k] == 1 }, binning{width: 25})
	case "cordMinusLesion", "lesion":
		image := readNIfTI(b, filepath.Join(dir, "t2_fake_lesion.nii.gz"))
		cord := readNIfTI(b, filepath.Join(dir, "t2_fake_lesion_sc_seg.nii.gz"))
		lesion := readNIfTI(b, filepath.Join(dir, "t2_fake_lesion_lesion_seg.nii.gz"))
		if which == "lesion" {
			return discretise(image, func(k int) bool { return lesion.data[k] > 0 }, binning{width: 25})
		}
		return discretise(image, func(k int) bool { return cord.data[k] > 0 && lesion.data[k] == 0 }, binning{width: 25})
	}
	b.Fatalf("unknown case %s", which)
	return nil
}

func benchCases(b *testing.B) map[string]*Image {
	return map[string]*Image{
		"brain1":          pyradiomicsCase(b, "brain1", binning{width: 25}, false),
		"cord":            spineROI(b, "cord"),
		"cordMinusLesion": spineROI(b, "cordMinusLesion"),
		"lesion":          spineROI(b, "lesion"),
	}
}

func BenchmarkFamilies(b *testing.B) {
	cases := benchCases(b)
	for _, name := range []string{"brain1", "cord", "cordMinusLesion", "lesion"} {
		im := cases[name]
		for _, fam := range families() {
			b.Run(name+"/"+fam.class, func(b *testing.B) {
				loop(b, func() {
					if _, err := fam.values(im, Options{}); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
		b.Run(name+"/all", func(b *testing.B) {
			loop(b, func() {
				if _, err := All(im, Options{}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// pictologicsCube is the synthetic region of the Pictologics-style
// protocol (issue 21): a 98³ box, every voxel in the ROI, grey levels 1..32
// uniformly at random (seed 1) — what a 100³ random image of whole numbers
// in [0, 800) with a 98³ ROI gives at pyradiomics' bin width 25.
func pictologicsCube() *Image {
	im := &Image{Dims: [3]int{98, 98, 98}, Levels: make([]int32, 98*98*98)}
	r := rand.New(rand.NewPCG(1, 1))
	for i := range im.Levels {
		im.Levels[i] = int32(r.IntN(800)/25 + 1)
	}
	return im
}

// BenchmarkPictologics is the Pictologics-style protocol: all five
// texture families of the 98³ region, one goroutine (run with -cpu 1;
// `make bench-radiomics` runs it in three fresh processes and takes the
// median). Before timing, the values are checked to 1e-9 relative against
// the families' own loops (the path without the fused pass), and a first
// call warms up.
func BenchmarkPictologics(b *testing.B) {
	im := pictologicsCube()
	noFusedPass = true
	ref, err := All(im, Options{})
	noFusedPass = false
	if err != nil {
		b.Fatal(err)
	}
	got, err := All(im, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for k := range ref {
		if d := math.Abs(got[k].Value - ref[k].Value); d > 1e-9*math.Abs(ref[k].Value) {
			b.Fatalf("%s: %v, reference path %v", ref[k].Key(), got[k].Value, ref[k].Value)
		}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers%d", w), func(b *testing.B) {
			loop(b, func() {
				if _, err := All(im, Options{Workers: w}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkPictologicsParts times the parts of the fused pass on the
// Pictologics cube, one at a time, one goroutine: the grid (prepare), the
// GLSZM's zones, the NGTDM's box sums, the direction tasks (GLCM, GLRLM
// and the GLDM's equal pairs) and the whole pass with every family.
func BenchmarkPictologicsParts(b *testing.B) {
	im := pictologicsCube()
	o := Options{}
	pr, err := prepare(im, &o)
	if err != nil {
		b.Fatal(err)
	}
	parts := []struct {
		name string
		fn   func() error
	}{
		{"prepare", func() error {
			pr, err := prepare(im, &o)
			if err == nil {
				pr.g.release()
			}
			return err
		}},
		{"prepare2", func() error {
			o := Options{Workers: 2}
			pr, err := prepare(im, &o)
			if err == nil {
				pr.g.release()
			}
			return err
		}},
		{"glszm", func() error { _, err := glszmZones(pr); return err }},
		{"ngtdm", func() error { _, err := pr.scan(famNGTDM, 1); return err }},
		{"directions", func() error { _, err := pr.scan(famGLCM|famGLRLM|famGLDM, 1); return err }},
		{"scan", func() error { _, err := pr.scan(famAll, 1); return err }},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			loop(b, func() {
				if err := p.fn(); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
