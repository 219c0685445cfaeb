// Package evaluate measures the discrimination, the clinical usefulness
// and the calibration of predicted probabilities, and writes the paper's
// Tables 2 and 3 (Lin et al., Sci Rep 2025, Methods "Statistical analysis"
// and Results: AUC with 95 % CI, accuracy, sensitivity, specificity, PPV,
// NPV; ROC curves; decision-curve analysis; calibration; feature
// importance of the random forest).
//
// Conventions: labels are 0/1 and a higher score means class 1 (R pROC's
// direction = "<"). A case is called positive when its score is at least
// the threshold (score ≥ t).
//
// Thresholds: the paper reports sensitivity and specificity at one cut-off
// per model. Youden picks it on the training set, maximising
// J = sensitivity + specificity − 1 over the candidate thresholds: the
// midpoints between adjacent distinct training scores, and ±Inf (everyone
// negative / everyone positive), as pROC does. When several candidates
// reach the maximum J (within 1e-12), the highest threshold wins (the
// most specific of the equally good cut-offs). TrainTest applies that
// training threshold unchanged to the test set.
//
// What goes beyond the paper (procedure.go): a single 70/30 split of 82
// patients is fragile, so CrossValidate (repeated stratified k-fold AUC),
// PermuteProcedure (label-permutation p-value of the CV AUC),
// BootstrapProcedure (the .632+ and Harrell's optimism-corrected AUC) and
// LeaveGroupOut (external validation across centres, DeLong CIs) report
// how stable, how optimistic and how transportable a model's AUC is. They
// resample a Procedure: the whole modelling process, every step that
// learns from data and the choice of the reported model included, is
// refitted inside every fold, permutation and bootstrap replicate, so no
// resampled number comes from a step that saw the rows it scores.
// RepeatedCV, PermutationTest and OptimismCorrectedAUC are the same
// resampling of a classifier alone on features fixed beforehand.
// WriteRobustnessCSV/HTML and WriteExternalCSV/HTML are the tables scirad
// run writes; WriteTableCSV/HTML its Tables 2 and 3 (ModelOrder).
//
// References:
//
//  1. E. R. DeLong, D. M. DeLong, D. L. Clarke-Pearson, Comparing the areas
//     under two or more correlated receiver operating characteristic
//     curves: a nonparametric approach, Biometrics 44 (1988) 837–845.
//  2. X. Robin et al., pROC: an open-source package for R and S+ to analyze
//     and compare ROC curves, BMC Bioinformatics 12 (2011) 77.
//  3. W. J. Youden, Index for rating diagnostic tests, Cancer 3 (1950) 32–35.
//  4. A. J. Vickers, E. B. Elkin, Decision curve analysis, Medical Decision
//     Making 26 (2006) 565–574.
//  5. D. W. Hosmer, S. Lemeshow, Applied Logistic Regression, 2nd ed.,
//     Wiley 2000, §5.2.2.
//  6. G. W. Brier, Verification of forecasts expressed in terms of
//     probability, Monthly Weather Review 78 (1950) 1–3.
//  7. F. E. Harrell, K. L. Lee, D. B. Mark, Multivariable prognostic models,
//     Statistics in Medicine 15 (1996) 361–387 (bootstrap optimism).
//  8. M. Ojala, G. C. Garriga, Permutation tests for studying classifier
//     performance, JMLR 11 (2010) 1833–1863.
//  9. B. Efron, R. Tibshirani, Improvements on cross-validation: the .632+
//     bootstrap method, JASA 92 (1997) 548–560.
package evaluate
