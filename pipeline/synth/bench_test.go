package synth

import "testing"

// BenchmarkRender renders one patient (image and both masks) at each size.
func BenchmarkRender(b *testing.B) {
	for _, size := range []Size{Small, Paper} {
		b.Run(size.String(), func(b *testing.B) {
			c, err := Plan(Options{N: 8, Seed: 1, Size: size})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, _, _, err := c.Render(i % len(c.Cases)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteSmall writes a 12-patient small cohort (render, gzip, CSVs).
func BenchmarkWriteSmall(b *testing.B) {
	for b.Loop() {
		if _, err := Write(b.TempDir(), Options{N: 12, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan82 draws the paper-sized clinical table and injury
// parameters (no image).
func BenchmarkPlan82(b *testing.B) {
	for b.Loop() {
		if _, err := Plan(Options{N: 82, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
