package featuremap

import (
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// The targets (one core, kernelRadius 1, all 93 first-order and
// texture maps unless said): the 163-voxel spine lesion and the 4,275-voxel
// cord at least 20× faster than pyradiomics' voxel-based extraction on the
// same machine (make_golden.py time); every voxel of the 99×99×29 spine
// image in ≤ 30 s; GLCM maps of a 16³ cube in ≤ 1 s. Run with
// `make bench-maps` (GOMAXPROCS=1 for the one-core numbers).

// cpuNanos is the process's user+system CPU time: on a shared machine the
// steadier measure, reported as cpu-ns/op beside the wall time (with
// GOMAXPROCS=1 it is one core's time).
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func benchMaps(b *testing.B, img, mask *volume.Volume, s Settings) {
	b.Helper()
	b.ReportAllocs()
	t0, n := cpuNanos(), 0
	defer func() { b.ReportMetric(float64(cpuNanos()-t0)/float64(max(n, 1)), "cpu-ns/op") }()
	for b.Loop() {
		n++
		n := 0
		if err := Each(img, mask, s, func(Map) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatal("no maps")
		}
	}
}

func BenchmarkMapsLesion(b *testing.B) {
	img, mask := spineROI(b, "lesion")
	benchMaps(b, img, mask, Settings{})
}

func BenchmarkMapsCord(b *testing.B) {
	img, mask := spineROI(b, "cord")
	benchMaps(b, img, mask, Settings{})
}

// BenchmarkMapsWholeImage maps every voxel of the 99×99×29 spine image.
func BenchmarkMapsWholeImage(b *testing.B) {
	img, mask := spineROI(b, "lesion")
	for i := range mask.Data {
		mask.Data[i] = 1
	}
	benchMaps(b, img, mask, Settings{})
}

// BenchmarkMapsGLCMCube16 is pytorchradiomics' case: GLCM maps of every
// voxel of a 16³ random image (32 grey levels).
func BenchmarkMapsGLCMCube16(b *testing.B) {
	g := volume.NewGrid([3]int{16, 16, 16}, [3]float64{1, 1, 1})
	img, mask := volume.New(g), volume.New(g)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Data {
		img.Data[i] = float64(r.IntN(32))
		mask.Data[i] = 1
	}
	var s Settings
	s.BinWidth = 1
	s.Classes = []string{"glcm"}
	benchMaps(b, img, mask, s)
}
