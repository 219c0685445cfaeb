package run

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/featuremap"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/volio"
)

// maxMapFeatures bounds the feature maps the report draws per patient.
const maxMapFeatures = 8

// mapsSection shows where the Rad signature's selected features live: for
// the first good- and first poor-prognosis test patients, the voxel-based
// map (package featuremap, kernelRadius 1, the run's radiomics settings) of
// each selected first-order or texture feature, over the sagittal slice
// where its ROI is largest, on the preprocessed image the feature was
// extracted from. Shape features have no maps. Nil when there is nothing to
// draw; a patient whose maps fail is reported in the text.
func (r *Result) mapsSection() *report.Section {
	i := slices.IndexFunc(r.Sigs, func(s *SignatureResult) bool { return s.Sig.Name == "Rad" })
	if i < 0 {
		return nil
	}
	cs := r.Config.cohortSettings()
	var cols []mapColumn
	for _, n := range r.Sigs[i].Sel.Selected {
		for _, st := range featuremap.SummaryStats {
			n = strings.TrimSuffix(n, "_"+st) // a map statistic (Config.MapStats): draw its map
		}
		p := strings.SplitN(n, "_", 4)
		if len(p) != 4 || p[2] == "shape" || len(cols) == maxMapFeatures || slices.ContainsFunc(cols, func(c mapColumn) bool { return c.name == n }) {
			continue
		}
		cols = append(cols, mapColumn{n, p[0], p[1], p[2], p[3]})
	}
	if len(cols) == 0 {
		return nil
	}
	sec := &report.Section{
		Title: "Feature maps of the selected radiomics features",
		Text: "Where each selected radiomics feature of the Rad signature lives: its voxel-based map (pyradiomics' voxel-based extraction, kernel radius 1, bin count 32; scirad maps) over the sagittal slice with the largest ROI, for the first good- and first poor-prognosis test patients. " +
			"Colour runs from the map's smallest (dark blue) to its largest value (yellow) within the ROI on that slice; the range is in each caption. Compare with the Grad-CAM figures.",
	}
	labels := r.Cohort.Labels()
	outcome := map[int]string{1: "good", 0: "poor"}
	for _, want := range []int{1, 0} {
		k := slices.IndexFunc(r.Test, func(i int) bool { return labels[i] == want })
		if k < 0 {
			continue
		}
		p := r.Cohort.Patients[r.Test[k]]
		figs, err := patientMaps(p.Image, p.Mask, cs, cols)
		if err != nil {
			sec.Text += fmt.Sprintf("\n\nPatient %s: no maps (%v).", p.ID, err)
			continue
		}
		for j, f := range figs {
			f.ID = chartID("maps", p.ID, cols[j].name)
			f.Title = fmt.Sprintf("%s, %s (%s prognosis, test)", cols[j].name, p.ID, outcome[want])
			sec.Figures = append(sec.Figures, f)
		}
	}
	return sec
}

// mapColumn is one radiomics column, {roi}_{image}_{class}_{Feature}.
type mapColumn struct{ name, roi, image, class, feature string }

// patientMaps draws one map per column for one patient.
func patientMaps(imagePath, maskPath string, cs radiomics.CohortSettings, cols []mapColumn) ([]report.Figure, error) {
	img, err := volio.ReadImage(imagePath)
	if err != nil {
		return nil, err
	}
	lab, err := volio.ReadLabelMap(maskPath)
	if err != nil {
		return nil, err
	}
	pre, err := cs.PreprocessImages(img, lab)
	if err != nil {
		return nil, err
	}
	var figs []report.Figure
	for _, c := range cols {
		label := 0
		for _, roi := range radiomics.PaperROIs {
			if roi.Name == c.roi {
				label = roi.Label
			}
		}
		im := pre.Image(c.image)
		if label == 0 || im == nil {
			return nil, fmt.Errorf("column %s: unknown ROI or image", c.name)
		}
		var s featuremap.Settings
		s.Settings = cs.Features
		s.Label = label
		s.Classes = []string{c.class}
		s.Features = map[string][]string{c.class: {c.feature}}
		maps, err := featuremap.Compute(im, pre.Mask, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		var b bytes.Buffer
		o, err := featuremap.SagittalOverlayPNG(&b, im, pre.Mask, maps[0].Volume, label, 4)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		figs = append(figs, report.Figure{PNG: b.Bytes(),
			Caption: fmt.Sprintf("%s map of the %s ROI on the %s image, slice %d: %.4g (dark blue) to %.4g (yellow).", c.class+"_"+c.feature, c.roi, c.image, o.Index, o.Lo, o.Hi)})
	}
	return figs, nil
}
