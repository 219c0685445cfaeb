// Package selection implements the paper's feature fusion and selection
// (Lin et al. 2025, Methods, "Feature fusion and selection"), every step
// fitted on the training split only:
//
//  1. fusion of radiomics and deep columns into the seven signatures (Rad,
//     ResNet18, ResNet34, ResNet152, Rad+ResNet18/34/152; Signatures);
//  2. z-score standardisation (ZScore);
//  3. two-sided Mann–Whitney U test, keeping p < 0.05 (MannWhitneyU,
//     MannWhitneyFilter), as scipy.stats.mannwhitneyu;
//  4. Spearman |ρ| > 0.9 redundancy removal by greedy recursive deletion
//     (RedundancyFilter);
//  5. mRMR ranking, MIQ or MID, top K (MRMR);
//  6. LASSO with 10-fold cross-validation on a glmnet-style λ path,
//     Gaussian or binomial, λ.min or λ.1se (Lasso, LassoCV), as glmnet;
//  7. the rad-score, intercept + Σ coefficient × feature (RadScore).
//
// Pipeline chains them and returns a Result with each step's surviving
// count and every number the LASSO figures need: Result.Lasso.Path (the
// coefficient path, one column per Result.LassoNames entry),
// Result.Lasso.CVM/CVSD with LambdaMin/Lambda1SE (the CV error curve),
// Result.Weights (selected features and coefficients) and Result.Score
// (training rad-scores). Result.RadScore and Result.Transform apply the
// fitted selection to a test table with the training parameters.
//
// Typical use, on the training split only:
//
//	sig, _ := selection.SignatureByName("Rad+ResNet34")
//	train, _ := sig.Table(harmonisedTrain)
//	res, err := selection.Pipeline{}.Fit(train, y, seed)
//	testScores, err := res.RadScore(harmonisedTest)
//	testX, err := res.Transform(harmonisedTest) // selected, z-scored columns
//
// Choices where the paper is silent, written down here:
//   - Features constant in the training split are dropped before the
//     z-score (a step of its own in Result.Steps); FitZScore alone refuses
//     them.
//   - z-scores use the population SD (scikit-learn's StandardScaler).
//   - The LASSO default is Gaussian regression of the 0/1 label with a
//     mean-squared-error CV curve, λ.min: the paper's Fig. 4 shows a
//     "tenfold validated mean squared error" and a rad-score "through
//     linear regression". Binomial is available.
//   - mRMR keeps K = 20 features by default, MIQ, with Peng's
//     three-state discretisation at mean ± σ.
//   - "Most redundant" in the Spearman step: most partners above the
//     threshold, then the largest mean |ρ|, then the later column.
//   - CV folds are cv.glmnet's scheme (a shuffled 1…K, 1…K, … sequence)
//     drawn from a PCG generator with an explicit seed; R's generator is
//     not reproduced, so pass LassoCV.Folds to reuse R's folds.
//   - Agreement with the reference tools, on the committed fixtures:
//     Mann–Whitney p within 1e-10 relative of SciPy 1.10.1 (seen: 4e-15),
//     Spearman ρ within 1e-12, LASSO coefficients within 1e-6 of
//     max(1, |β|) of glmnet 4.1-6 at thresh = 1e-18, the same path length,
//     λ.min and λ.1se on the same folds.
package selection
