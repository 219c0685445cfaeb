package run

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
)

// BenchmarkRunWithoutDeep times `scirad run` on the toy cohort (synth -seed
// 1 -size small) with the quick profile but no ResNets: extraction,
// harmonisation, selection, the six classifiers, the whole-pipeline
// resampling (robustness) and leave-one-centre-out validation, report
// included. run.json's stage times say where the time goes; profile with
//
//	go test ./pipeline/run -run '^$' -bench RunWithoutDeep -benchtime 1x -cpuprofile cpu.out
func BenchmarkRunWithoutDeep(b *testing.B) {
	dir := b.TempDir()
	toy := filepath.Join(dir, "toy")
	if _, err := synth.Write(toy, synth.Options{Seed: 1, Size: synth.Small, Workers: 2}); err != nil {
		b.Fatal(err)
	}
	p := Quick()
	p.DeepArchs = nil
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, "run")
		r, err := Run(context.Background(), Config{Cohort: toy, Out: out, Profile: p, Seed: 1, Log: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range r.Timings {
			b.Logf("%-12s %6.1f s", st.Name, st.Seconds)
		}
	}
}
