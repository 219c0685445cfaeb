// Package cohort reads and validates a scirad cohort folder, derives the
// paper's outcome labels and builds its Table 1 (Lin et al., Sci Rep 2025,
// Methods "Patients" and Results Table 1).
//
// A cohort folder (the data contract, docs/contract.md) holds
//
//	clinical.csv  patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y
//	manifest.csv  patient_id,center,image,mask[,mask_rater2]   (paths relative to manifest.csv)
//
// Categories are sex ∈ {male, female}, cause ∈ {fall, vehicle, sports,
// other}, ASIA grade ∈ {A … E}, matched case-insensitively; UEMS lies in
// [0, 50]. Masks carry label 1 (injured cord) and label 2 (rest of the
// cord) on the image grid.
//
// Load validates everything and reports every offending patient of a kind
// in one error. Images and masks are read through package volio (NIfTI,
// NRRD, 3D Slicer .seg.nrrd); a segmentation cropped to a sub-box of its
// image is padded back onto the image grid. The outcome is the paper's rule (see Outcome): δ =
// uems_admission − uems_1y, threshold = cohort mean of δ, good prognosis
// when δ is below it.
//
// Table 1 compares the groups with Student's pooled-variance t-test and
// Pearson's chi-square test without continuity correction. These are the
// tests that reproduce the paper's printed p-values from its own summary
// numbers (scipy 1.10.1: ttest_ind_from_stats gives 0.817, 0.228, 0.401,
// 0.108 for the paper's 0.819, 0.236, 0.400, 0.108; chi2_contingency with
// correction=False gives 0.052, 0.479, 0.564 for sex and the ASIA grades,
// whereas Yates' correction would give 0.093 for sex). The p-values match
// scipy.stats.ttest_ind and chi2_contingency(correction=False) to 1e-8
// (testdata/cohort/table1_scipy.py).
package cohort
