// Package harmonize removes centre (scanner, protocol) effects from feature
// tables with ComBat, the empirical-Bayes location/scale adjustment of
// Johnson, Li and Rabinovic [1] that Fortin et al. [2] carried over to imaging
// features. It implements the paper's "ComBat compensation procedure"
// (Lin et al. 2025, Methods), applied to the radiomics and deep features
// before selection.
//
// # Model
//
// For feature g, patient j of centre i, with covariates X_ij (biological
// variables whose effect must be kept),
//
//	Y_ijg = α_g + X_ij β_g + γ_ig + δ_ig ε_ijg,   ε_ijg ~ N(0, σ_g²)
//
// Fit estimates α_g, β_g and σ_g² by least squares on the design matrix that
// sva builds (one indicator column per centre, then the covariates; an
// all-ones covariate column is dropped), with α_g = Σ_i (n_i/n) B̂_ig, and
// standardises
//
//	Z_ijg = (Y_ijg − α̂_g − X_ij β̂_g) / σ̂_g,   σ̂_g² = (1/n) Σ_ij residual²
//
// The centre's location γ̂_ig (mean of Z in the centre) and scale δ̂²_ig
// (its sample variance) are then shrunk towards priors pooled over features:
//
//   - parametric (default): γ_ig ~ N(γ̄_i, τ_i²), δ²_ig ~ InvGamma(λ_i, θ_i)
//     with method-of-moments hyperparameters, solved by sva's fixed-point
//     iteration (postmean/postvar) until the largest relative change
//     max(|new−old|/old) over features is at most 1e-4 — sva's rule copied
//     exactly, including its signed denominator, so results agree with sva
//     to about 1e-9 of each feature's SD rather than to the 1e-4 a tighter or
//     looser rule would give;
//   - non-parametric: γ*, δ²* are the averages of the other features'
//     γ̂, δ̂² weighted by the normal likelihood of this feature's data
//     (sva's int.eprior), computed in log space so that the weights never
//     underflow to 0/0 where sva would return NaN.
//
// The adjusted value is
//
//	Y*_ijg = σ̂_g (Z_ijg − γ*_ig)/δ*_ig + α̂_g + X_ij β̂_g
//
// With MeanOnly, δ* = 1 and, parametrically, γ* = (τ_i² γ̂ + γ̄_i)/(τ_i² + 1)
// (sva's postmean with n = 1 and δ = 1).
//
// # Learn and apply
//
// Fit estimates every parameter above from training patients only and
// returns an immutable *Model; Model.Apply adjusts any patients (training or
// new) whose centre was seen in Fit, so the test set never leaks into the
// estimates (the neuroHarmonize convention). Applying a model to its own
// training data gives exactly sva::ComBat's output. FitTable and
// TableModel.ApplyTable do the same on feature tables, naming the centre
// and covariate columns; a categorical covariate is coded as R's
// model.matrix codes a factor (indicators for all levels but the first).
//
// Apply needs the new patients' covariates too (their term X β̂ is added
// back). A covariate that is the outcome label therefore uses the test
// labels when a test set is harmonised: preserve only covariates known
// before the outcome (age, sex…) when that matters.
//
// # Choices and special cases
//
//   - Centres are ordered as sorted strings (R's factor levels in the C
//     locale); the order affects only the layout of Model.
//   - A feature whose variance is zero within any centre with more than one
//     patient is, as in sva, left unadjusted and left out of the fit
//     (it would make δ̂² = 0); Model.Unadjusted lists such features. With
//     Options.RejectConstant Fit returns an error naming the feature and
//     centre instead.
//   - A centre with one patient has no within-centre variance: Fit returns
//     an error saying so unless Options.MeanOnly is set (sva silently
//     switches to mean-only; scirad makes the caller choose).
//   - The priors pool γ̂ and δ̂² over features, so one feature to adjust
//     (after the unadjusted ones are left out) is an error, as in sva.
//   - A feature the covariates fit exactly within a centre (δ̂² = 0 after
//     the covariate effects are removed) is an error naming the feature
//     and centre; sva has no check for it and returns NaN.
//   - No more patients than design columns (centres + covariates), or a
//     feature the design fits exactly, leaves no pooled variance to
//     standardise by: an error.
//   - NaN or ±Inf in X or in covariates, covariates confounded with centre
//     (rank-deficient design), fewer than two centres and ragged inputs are
//     errors naming the row, column or centre.
//   - Apply to a centre not seen in Fit is an error naming the centre.
//
// # References
//
//	[1] Johnson WE, Li C, Rabinovic A. Adjusting batch effects in microarray
//	    expression data using empirical Bayes methods. Biostatistics
//	    8(1):118–127, 2007.
//	[2] Fortin J-P et al. Harmonization of cortical thickness measurements
//	    across scanners and sites. NeuroImage 167:104–120, 2018.
//	[3] Leek JT et al. sva: Surrogate Variable Analysis, R package 3.46.0,
//	    function ComBat (the reference implementation matched in tests).
//	[4] Pomponio R et al. Harmonization of large MRI datasets for the
//	    analysis of brain imaging patterns throughout the lifespan.
//	    NeuroImage 208:116450, 2020 (neuroHarmonize: learn/apply split).
package harmonize
