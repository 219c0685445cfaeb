// Package run is the paper's orchestration (Lin et al., Sci Rep 2025, Fig.
// 1C): it chains every stage of scirad on one cohort folder and writes the
// paper's tables and figures with an offline HTML report.
//
// # Stages, in the paper's order
//
//  1. cohort: load and validate the folder, derive the outcome (the paper's
//     ASIA-scale rule), Table 1;
//  2. split: stratified 70/30 split of the patients (seeded); every later
//     stage fits on the training patients only and applies to the test
//     patients once;
//  3. radiomics: preprocessing (normalise, 1 mm, four filters) and 1070
//     radiomics features per patient (Config.Filters, scirad run -filters,
//     chooses other filters of package gallery's registry: N filters give
//     (1+N) × 214 columns and N+1 networks per ResNet below); the ICC(2,1) reliability filter on the
//     second rater's masks (training patients), dropping features below 0.75;
//  4. deep: for ResNet18, 34 and 152, five models (one per image: the
//     original and the run's filters, full field of view) trained on
//     the training patients, pooled features reduced by PCA (fitted on the
//     training patients) to 32 per image, 160 per network;
//  5. harmonise: ComBat per feature table, learned on the training patients
//     (centre as batch), applied to all;
//  6. select: for each of the seven signatures (Rad, ResNet18/34/152,
//     Rad+ResNet18/34/152) z-score, Mann–Whitney (p < 0.05), Spearman
//     redundancy (|ρ| > 0.9), mRMR and LASSO-CV on the training patients;
//     rad-score;
//  7. models: six classifiers per signature (grid search in the paper
//     profile), thresholds by Youden on the training patients; the
//     reported model of each signature is chosen by a 5-fold CV inside the
//     training patients, never by a test AUC;
//  8. evaluate: Tables 2 and 3, ROC, decision curves, calibration (Brier,
//     Hosmer–Lemeshow), RF importance; beyond the paper, robustness
//     (repeated CV, permutation test, bootstrap .632+ and Harrell's
//     corrected AUC) and external (leave-one-centre-out validation with
//     DeLong CIs);
//  9. report: report.html, figures/, tables/, run.json.
//
// Steps 3 (ICC filter) to 7 are one modelling process per signature
// (procedure.go), written once: the select and models stages fit it on the
// training patients, and the robustness and external stages hand it to
// package evaluate, which re-runs all of it, the choice of the reported
// model included, in every CV fold, label permutation, bootstrap replicate
// and held-out centre, so no resampled number comes from a step that saw
// the rows it scores. The ResNets are retrained inside resamples only with
// Profile.DeepInFolds (paper profile: CV and centres); without it the deep
// and fused signatures are reported as not resampled. Config.ThresholdFrom
// = "train" computes the outcome threshold on the training patients only.
//
// The same seed gives byte-identical tables: every random choice draws from
// a source seeded from Config.Seed and the stage's name, and nothing depends
// on map order or the clock (timings go to run.json only).
package run
