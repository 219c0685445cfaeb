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
// count and every number the LASSO figures need (coefficient path, CV curve
// with λ.min/λ.1se and its standard error, selected weights, rad-scores).
//
// Choices where the paper is silent, written down here:
//   - Features constant in the training split are dropped before the
//     z-score (a step of its own in Result.Steps); ZScore.Fit alone refuses
//     them.
//   - z-scores use the population SD (scikit-learn's StandardScaler).
//   - The LASSO default is Gaussian regression of the 0/1 label with a
//     mean-squared-error CV curve, λ.min: the paper's Fig. 4 shows a
//     "tenfold validated mean squared error" and a rad-score "through
//     linear regression". Binomial is available.
//   - mRMR keeps K = 20 features by default, MIQ, with Peng's
//     three-state discretisation at mean ± σ.
//   - Random choices (CV folds) take an explicit seed.
package selection
