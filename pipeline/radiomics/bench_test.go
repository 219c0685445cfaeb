package radiomics

import (
	"math"
	"runtime"
	"testing"

	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/synth"
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
