package run

import (
	"context"
	"fmt"

	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/table"
)

// DeepOutput is one architecture's deep features and Grad-CAM overlays.
type DeepOutput struct {
	Arch     string
	Features *table.Table // {arch}_{image}_pcNN, all patients
	GradCAM  []report.Figure
}

func (r *Result) deep(ctx context.Context) (string, error) {
	if len(r.Config.Profile.DeepArchs) == 0 {
		return "no architectures in this profile", nil
	}
	// Wired to pipeline/deep's feature extraction as soon as it lands; until
	// then the run continues with the radiomics signature alone.
	return fmt.Sprintf("skipped %v: deep features are not in this build yet", r.Config.Profile.DeepArchs), nil
}

func (r *Result) gradcamSection() *report.Section { return nil }
