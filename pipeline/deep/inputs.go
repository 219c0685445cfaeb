package deep

import "github.com/scirad/scirad/pipeline/preprocess"

// PaperPreprocessing is the preprocessing of the deep stage's inputs:
// preprocess.Paper over the whole field of view (FullField), since the paper
// feeds the networks the whole sagittal slice, not the ROI's bounding box.
// scirad run and the notebooks both read patients with it (LoadPatient).
func PaperPreprocessing() preprocess.Settings {
	s := preprocess.Paper()
	s.FullField = true
	return s
}
