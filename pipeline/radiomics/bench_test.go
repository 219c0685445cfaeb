package radiomics

import (
	"math"
	"runtime"
	"testing"

	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/volume"
)

// The spine cases of testdata/spine (README there): pyradiomics, single
// threaded on this kind of machine, takes 50–74 ms (cord of t2, 4275
// voxels), 40–47 ms (lesion of t2_fake_lesion, 163 voxels) and 96–120 ms
// (its cord minus lesion, 7172 voxels) for the 107 default features with
// default settings. File reading is excluded, as it was there.
//
//	go test -run XXX -bench Spine -cpu 1 ./pipeline/radiomics
func BenchmarkSpine(b *testing.B) {
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
	for _, c := range []struct {
		name      string
		img, mask *volume.Volume
		n         int
	}{
		{"t2_cord", t2, cord, 4275},
		{"fake_lesion", fake, lesion, 163},
		{"cord_minus_lesion", fake, rest, 7172},
	} {
		b.Run(c.name, func(b *testing.B) {
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
						b.Fatalf("ROI has %v voxels, README says %d", n, c.n)
					}
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, err := Extract(c.img, c.mask, Settings{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// paperPatient is a synthetic patient on the paper's grid (SPEC.md, package
// synth: 256 × 512 voxels of 0.46875 mm, 14 sagittal slices 4 mm apart): a
// cord 10 mm across and 150 mm long (label 2) with a 12 mm lesion (label 1),
// on a smooth textured background.
func paperPatient() (img, mask *volume.Volume) {
	g := volume.NewGrid([3]int{256, 512, 14}, [3]float64{0.46875, 0.46875, 4})
	img, mask = volume.New(g), volume.New(g)
	for k := 0; k < 14; k++ {
		for j := 0; j < 512; j++ {
			for i := 0; i < 256; i++ {
				x, y, z := float64(i)*0.46875, float64(j)*0.46875, float64(k)*4
				v := 300 + 80*math.Sin(x/3+y/7) + 40*math.Cos(z/5+x/11) + float64((i*7+j*13+k*29)%31)
				dx, dz := x-60, (z-26)*0.9
				if dx*dx+dz*dz < 25 && y > 45 && y < 195 {
					mask.Set(i, j, k, 2)
					v += 200
					if dy := y - 110; dx*dx+dy*dy+dz*dz < 36 {
						mask.Set(i, j, k, 1)
						v += 250
					}
				}
				img.Set(i, j, k, v)
			}
		}
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
	img, mask := paperPatient()
	cs := PaperCohortSettings()
	run := func() []float64 {
		pre, err := preprocess.Run(img, mask, cs.Preprocess)
		if err != nil {
			b.Fatal(err)
		}
		vals, err := ExtractImagesParallel(pre, cs, runtime.GOMAXPROCS(0))
		if err != nil {
			b.Fatal(err)
		}
		return vals
	}
	if n := len(run()); n != 1070 {
		b.Fatalf("%d features", n)
	}
	b.ResetTimer()
	for range b.N {
		run()
	}
}
