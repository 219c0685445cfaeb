// Package bundle is a trained scirad predictor in one JSON file: what a run
// of the paper's pipeline (package run) learned for the radiomics (Rad)
// signature, enough to score a new patient from an image and its label map
// without the training data. The browser demo (wasm/) and `scirad predict`
// load it; both go through Predict, so the browser computes what the
// command line computes.
//
// # What a bundle holds
//
//   - the extraction settings (radiomics.CohortSettings: preprocessing,
//     binning, ROIs and the filtered images, "Filters", absent for the
//     paper's four as in bundles written before the field), so the
//     features are computed as in the run;
//   - the ComBat model of the run (harmonize.TableModel), restricted with
//     TableModel.Subset to the selected features: the values it gives for
//     them are the full model's;
//   - the selection: the selected features in the classifier's column
//     order, their z-score parameters from the training split, and the
//     LASSO intercept and coefficients of the rad-score;
//   - the classifier (classify.Marshal's envelope), the signature's model
//     with the best repeated cross-validated AUC on the training patients
//     (run.SignatureResult.Best), and its Youden threshold;
//   - every patient's rad-score and probability from the run, with the
//     split and the label, for the cohort's distribution.
//
// # Predict, step by step
//
//	pre   = Settings.PreprocessImages(image, mask)            (original + Settings.Filters)
//	x     = radiomics.ExtractImages(pre, Settings)            (1070 columns with the paper's four filters)
//	h     = Combat.ApplyTable(x, centre)                      (selected columns)
//	z_j   = (h_j − μ_j) / σ_j                                 (selection.Result.Transform)
//	score = β₀ + Σ_j β_j z_j                                  (selection.Result.RadScore)
//	p     = Model.PredictProba(z)                             P(good prognosis)
//
// Each line is the exported function the run itself used, so a training
// patient's prediction from the bundle equals the run's, bit for bit on the
// same platform. The extraction computes every column; the selected ones
// are then read by name.
//
// The centre must be one of the training centres: ComBat has no
// adjustment for a centre it has not seen.
//
// # Format
//
// JSON with the fields of Bundle; Format is "scirad-bundle/1". Floating
// point numbers are written in Go's shortest round-trip form, so Read gives
// back the same float64s that Write was given.
package bundle
