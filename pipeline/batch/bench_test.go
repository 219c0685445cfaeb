package batch

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/synth"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// cpuSeconds is this process's user + system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// BenchmarkSizing measures the CPU cost of each per-patient stage of the
// extraction, single-threaded, on synthetic patients of both sizes (the
// toy cohort's 64 × 112 × 16 grid and the paper's 256 × 512 × 16): reading
// the gzipped NIfTI image and mask, preprocess.Run (normalise, 1 mm
// resampling, four filters), radiomics.ExtractImages (1070 features), and
// a whole patient as a shard task pays it (ExtractCohort of one patient:
// image read once, both raters' masks). It reports cpu-s/patient (user +
// system, the garbage collector's work on other cores included), which the
// README's sizing table ("Scaling out") is computed from:
//
//	go test -run '^$' -bench Sizing -benchtime 5x -count 3 ./pipeline/batch
func BenchmarkSizing(b *testing.B) {
	for _, size := range []synth.Size{synth.Small, synth.Paper} {
		dir := b.TempDir()
		if _, err := synth.Write(dir, synth.Options{N: 4, Seed: 1, Size: size, Workers: 2}); err != nil {
			b.Fatal(err)
		}
		rows, err := cohort.ReadManifest(filepath.Join(dir, "manifest.csv"))
		if err != nil {
			b.Fatal(err)
		}
		cs := radiomics.PaperCohortSettings()
		read := func(i int) (*volume.Volume, *volume.Volume) {
			img, err := volio.ReadImage(rows[i%len(rows)].Image)
			if err != nil {
				b.Fatal(err)
			}
			mask, err := volio.ReadLabelMap(rows[i%len(rows)].Mask)
			if err != nil {
				b.Fatal(err)
			}
			return img, mask
		}
		run := func(name string, setup func(i int) any, stage func(any)) {
			b.Run(size.String()+"/"+name, func(b *testing.B) {
				var cpu float64
				var wall time.Duration
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					in := setup(i)
					b.StartTimer()
					c0, t0 := cpuSeconds(), time.Now()
					stage(in)
					cpu += cpuSeconds() - c0
					wall += time.Since(t0)
				}
				b.ReportMetric(cpu/float64(b.N), "cpu-s/patient")
				b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/patient")
			})
		}
		type pair struct{ img, mask *volume.Volume }
		run("read", func(int) any { return nil }, func(any) { read(0) })
		run("preprocess", func(i int) any { img, mask := read(i); return pair{img, mask} }, func(in any) {
			p := in.(pair)
			if _, err := preprocess.Run(p.img, p.mask, cs.Preprocess); err != nil {
				b.Fatal(err)
			}
		})
		run("radiomics", func(i int) any {
			img, mask := read(i)
			pre, err := preprocess.Run(img, mask, cs.Preprocess)
			if err != nil {
				b.Fatal(err)
			}
			return pre
		}, func(in any) {
			if _, err := radiomics.ExtractImages(in.(*preprocess.Result), cs); err != nil {
				b.Fatal(err)
			}
		})
		run("patient", func(i int) any { return rows[i%len(rows) : i%len(rows)+1] }, func(in any) {
			if _, err := ExtractCohort(context.Background(), in.([]cohort.ManifestEntry), cs, Options{Workers: 1}); err != nil {
				b.Fatal(err)
			}
		})
	}
}
