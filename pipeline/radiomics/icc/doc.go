// Package icc computes intraclass correlation coefficients, the paper's
// reliability step (Lin et al., Sci Rep 2025, Methods: features whose
// inter-observer ICC between two segmentations was below 0.75 were
// discarded).
//
// Compute gives Shrout and Fleiss' six ICCs from a two-way ANOVA of an
// n subjects × k raters table, with F tests and confidence intervals, as R's
// psych::ICC(x, lmer = FALSE) reports them (psych 2.2.9; the ANOVA estimates,
// not its default mixed-model path, which clips negative variance
// components). Features applies it per radiomics feature to the tables of
// rater-1 and rater-2 masks and flags the features below a threshold;
// Filter drops them from a feature table.
//
// References:
//  1. Shrout PE, Fleiss JL. Intraclass correlations: uses in assessing rater
//     reliability. Psychol Bull 1979;86:420–428.
//  2. McGraw KO, Wong SP. Forming inferences about some intraclass
//     correlation coefficients. Psychol Methods 1996;1:30–46.
//  3. Koo TK, Li MY. A guideline of selecting and reporting intraclass
//     correlation coefficients for reliability research. J Chiropr Med
//     2016;15:155–163 (the 0.75 "good reliability" threshold).
package icc
