// Package toyvol makes small synthetic image/mask pairs for tests: a
// sagittal-like cord (label 2) with a lesion (label 1) inside, on a
// textured background. Tests of radiomics and of the cohort runner share
// it, so both extract the same kind of patient.
package toyvol

import (
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

// Patient returns a 20 × 24 × 10 image and its label map at spacing; seed
// varies the texture.
func Patient(seed int, spacing [3]float64) (img, mask *volume.Volume) {
	g := volume.NewGrid([3]int{20, 24, 10}, spacing)
	img, mask = volume.New(g), volume.New(g)
	for k := 0; k < 10; k++ {
		for j := 0; j < 24; j++ {
			for i := 0; i < 20; i++ {
				x := 100 + 40*math.Sin(float64(i*3+j*5+k*7+seed)) + float64((i*j+seed*k)%17)
				di, dk := float64(i-10), float64(k-5)
				if di*di+dk*dk < 10 && j > 2 && j < 21 {
					mask.Set(i, j, k, 2)
					x += 80
					if dj := float64(j - 12); di*di+dj*dj+dk*dk < 6 {
						mask.Set(i, j, k, 1)
						x += 60
					}
				}
				img.Set(i, j, k, x)
			}
		}
	}
	return img, mask
}
