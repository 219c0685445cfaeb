package run

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute"

	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/internal/pool"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volume"
)

// DeepOutput is one architecture's deep features and Grad-CAM overlays.
type DeepOutput struct {
	Arch     string
	Features *table.Table // {arch}_{image}_pcNN, all patients, with the centre
	Result   *deep.Result
	GradCAM  []report.Figure
}

// deepConfig is the deep stage's configuration of arch under the profile.
func (r *Result) deepConfig(arch string) deep.Config {
	p := r.Config.Profile
	cfg := deep.PaperConfig(arch)
	cfg.Size, cfg.Train.Epochs, cfg.Train.BatchSize, cfg.Train.LR = p.DeepSize, p.DeepEpochs, p.DeepBatch, p.DeepLR
	cfg.Components = p.DeepPCA
	cfg.KeepModels = []int{0} // Grad-CAM reads the network of the original image only
	if len(r.Config.Filters) > 0 {
		cfg.Images = r.Config.cohortSettings().ImageNames()
	}
	cfg.Train.Seed = r.seed("deep/" + arch)
	return cfg
}

// deepInputs preprocesses every patient over the whole field of view (the
// paper feeds the whole sagittal slice to the networks, not the ROI box)
// and keeps only the slab with the largest ROI of each image, so memory
// stays small whatever the cohort's size.
func (r *Result) deepInputs(ctx context.Context) ([]deep.Patient, error) {
	ps := make([]deep.Patient, len(r.Cohort.Patients))
	bar := progress.New(r.Config.Log, "deep slices", len(ps))
	s := deep.PaperPreprocessing()
	err := pool.ForEach(ctx, r.Config.workers(), len(ps), func(i int) error {
		p := r.Cohort.Patients[i]
		dp, err := deep.LoadPatientImages(p.ID, p.Image, p.Mask, s, r.Config.Filters)
		if err != nil {
			return err
		}
		axis := volume.SliceAxis(dp.Mask.Grid, -1)
		k, err := volume.LargestROISlice(dp.Mask, axis)
		if err != nil {
			return fmt.Errorf("patient %s: %w", p.ID, err)
		}
		b := volume.Box{Max: dp.Mask.Dims}
		b.Min[axis], b.Max[axis] = k, k+1
		dp.Mask = dp.Mask.Crop(b)
		for c, im := range dp.Images {
			dp.Images[c] = im.Crop(b)
		}
		ps[i] = dp
		bar.Step()
		return nil
	})
	return ps, err
}

func (r *Result) deep(ctx context.Context) (string, error) {
	archs := r.Config.Profile.DeepArchs
	if len(archs) == 0 {
		return "no architectures in this profile: radiomics signature only", nil
	}
	backend, err := deep.NewBackend()
	if err != nil {
		return "", err
	}
	patients, err := r.deepInputs(ctx)
	if err != nil {
		return "", err
	}
	r.backend = backend
	if r.Config.Profile.DeepInFolds {
		r.deepPatients = patients // retrained inside every resample of a deep signature
	}
	train := make([]bool, len(patients))
	for _, i := range r.Train {
		train[i] = true
	}
	centers := r.Cohort.Centers()
	var summary []string
	for _, arch := range archs {
		cfg := r.deepConfig(arch)
		res, err := deep.Features(ctx, backend, patients, r.Cohort.Labels(), train, cfg, r.Config.Log)
		if err != nil {
			return "", fmt.Errorf("%s: %w", arch, err)
		}
		t := res.Table
		t.SetMeta("center", append([]string(nil), centers...))
		if err := t.WriteFile(r.path("deep_" + arch + ".csv")); err != nil {
			return "", err
		}
		out := &DeepOutput{Arch: arch, Features: t, Result: res}
		if out.GradCAM, err = r.gradCAM(backend, arch, res); err != nil {
			return "", err
		}
		r.Deep[arch] = out
		summary = append(summary, fmt.Sprintf("%s %d", arch, len(t.Names)))
	}
	return fmt.Sprintf("%d×%d px slices, %d epochs, backend %s; columns: %s", r.Config.Profile.DeepSize, r.Config.Profile.DeepSize,
		r.Config.Profile.DeepEpochs, backend.Name(), strings.Join(summary, ", ")), nil
}

// gradCAM renders Fig. 5 for arch: Grad-CAM on the last convolutional
// stage of the network trained on the original image, over the slices of
// the first good- and first poor-prognosis test patients. Each map explains
// the good-prognosis class, or the poor one where the good class's map is
// empty (its weighted activations negative everywhere). Networks trained
// below 128 px are read at 128 px, where their last stage is 4 × 4 cells
// rather than one.
func (r *Result) gradCAM(backend compute.Backend, arch string, res *deep.Result) ([]report.Figure, error) {
	var pick []int
	labels := r.Cohort.Labels()
	for _, want := range []int{1, 0} {
		for _, i := range r.Test {
			if labels[i] == want {
				pick = append(pick, i)
				break
			}
		}
	}
	size := 0
	if r.Config.Profile.DeepSize < 128 {
		size = 128
	}
	var heat [2][]deep.Image
	for class := range heat {
		var err error
		if heat[class], err = res.GradCAMAt(backend, 0, pick, class, size); err != nil {
			return nil, fmt.Errorf("%s Grad-CAM: %w", arch, err)
		}
	}
	var figs []report.Figure
	for k, i := range pick {
		class := 1
		if slices.Max(heat[1][k].Data) == 0 {
			class = 0
		}
		var b bytes.Buffer
		if err := deep.WriteOverlayPNG(&b, res.Native[0][i], heat[class][k]); err != nil {
			return nil, err
		}
		p := r.Cohort.Patients[i]
		outcome := map[int]string{1: "good", 0: "poor"}
		figs = append(figs, report.Figure{
			ID: chartID("fig5", arch, p.ID), Title: fmt.Sprintf("%s, %s (%s prognosis, test)", arch, p.ID, outcome[labels[i]]), PNG: b.Bytes(),
			Caption: fmt.Sprintf("Grad-CAM of the %s-prognosis class on layer4 of the network trained on the original image, over the patient's sagittal slice with the largest ROI.", outcome[class]),
		})
	}
	return figs, nil
}

func (r *Result) gradcamSection() *report.Section {
	sec := &report.Section{
		Title: "Grad-CAM (Fig. 5)",
		Text:  "Where each ResNet looks when it predicts a good prognosis: two test patients per network (warm colours: more weight).",
	}
	for _, arch := range r.Config.Profile.DeepArchs {
		if d := r.Deep[arch]; d != nil {
			sec.Figures = append(sec.Figures, d.GradCAM...)
		}
	}
	if len(sec.Figures) == 0 {
		return nil
	}
	return sec
}
