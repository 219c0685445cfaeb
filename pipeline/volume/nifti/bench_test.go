package nifti

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

// mriLike is a 512×512×24 int16 volume that compresses like a sagittal T2
// (about 0.47 mm in-plane, 4 mm slices): an elliptical body of smooth
// structure with Rician-like noise, zero-ish background.
func mriLike() *volume.Volume {
	g := volume.NewGrid([3]int{512, 512, 24}, [3]float64{0.47, 0.47, 4})
	v := volume.New(g)
	rng := rand.New(rand.NewPCG(7, 11))
	for k := range 24 {
		for j := range 512 {
			for i := range 512 {
				x, y := (float64(i)-256)/230, (float64(j)-256)/200
				val := math.Abs(rng.NormFloat64() * 4)
				if x*x+y*y < 1 {
					val += 300 + 200*math.Sin(float64(i)/20)*math.Cos(float64(j)/30) + 10*float64(k) + rng.NormFloat64()*20
				}
				v.Set(i, j, k, math.Max(0, math.Round(val)))
			}
		}
	}
	return v
}

// BenchmarkDecodeNiftiGz decodes a 512×512×24 int16 .nii.gz (gzip level
// 6, as gzip(1) and most scanners' converters write it). Set
// NIFTI_BENCH_FILE=path to keep a copy of the file and compare with
//
//	time gzip -dc path > /dev/null
func BenchmarkDecodeNiftiGz(b *testing.B) {
	v := mriLike()
	var raw bytes.Buffer
	if err := Encode(&raw, v, &Options{Datatype: Int16}); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "bench.nii.gz")
	if err := os.WriteFile(p, gzipBytes(b, raw.Bytes()), 0o644); err != nil {
		b.Fatal(err)
	}
	if keep := os.Getenv("NIFTI_BENCH_FILE"); keep != "" {
		data, _ := os.ReadFile(p)
		os.WriteFile(keep, data, 0o644)
	}
	b.SetBytes(int64(raw.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
}
