package cohort_test

import (
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/synth"
)

// writeCohort82 writes the paper-sized (82 patients) small synthetic cohort.
func writeCohort82(b *testing.B) string {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 82, Seed: 1, Size: synth.Small, Workers: 2}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad82: read and validate both CSVs, every image and both
// raters' masks (grid, labels) of an 82-patient cohort.
func BenchmarkLoad82(b *testing.B) {
	dir := writeCohort82(b)
	for b.Loop() {
		if _, err := cohort.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad82SkipImages: the CSV half of Load (what Table 1 needs).
func BenchmarkLoad82SkipImages(b *testing.B) {
	dir := writeCohort82(b)
	for b.Loop() {
		if _, err := cohort.LoadOptions(dir, &cohort.Options{SkipImages: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTable1(b *testing.B) {
	c, err := cohort.LoadOptions(writeCohort82(b), &cohort.Options{SkipImages: true})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Table1(); err != nil {
			b.Fatal(err)
		}
	}
}
