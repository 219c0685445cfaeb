// Package texture computes pyradiomics' five texture feature families on a
// discretised region of interest — GLCM (24 features), GLRLM (16), GLSZM
// (16), NGTDM (5) and GLDM (14), the 75 default-enabled ones — with
// pyradiomics' names, order, conventions and numbers. It is the texture
// part of the paper's radiomics step (Lin et al. 2025, "Radiomics feature
// extraction": 107 pyradiomics features per image and ROI).
//
// # Use
//
// The caller discretises the image (pyradiomics' bin width or bin count),
// crops it to the ROI's bounding box and passes the levels as an [Image]:
// 1..Ng inside the ROI, 0 outside, x fastest. [GLCM], [GLRLM], [GLSZM],
// [NGTDM] and [GLDM] each return their family in [Registry] order; [All]
// returns all 75 and prepares the image once. The matrix builders
// ([GLCMMatrix] …) return the matrices as pyradiomics holds them, for tests
// and notebooks. [Options]' zero value is pyradiomics' default.
//
// # Conventions (pyradiomics 3.1, radiomics/glcm.py … and src/cmatrices.c)
//
//   - Directions: the offsets whose largest component is the distance
//     (default 1), generated in pyradiomics' order (z slowest, each axis
//     from +d to -d) and only where they fit in the bounding box, so a box
//     one voxel thick has no offsets across it. GLCM and GLRLM use one of
//     each pair ±a (13 in 3D, 4 with Force2D); GLSZM, NGTDM and GLDM use
//     both (26, or 8 in the plane). GLRLM and GLSZM always use distance 1.
//   - Grey levels: rows for levels that no ROI voxel has are removed, but the
//     formulas use the level values themselves (i = 1, 3, 4, 6 on the IBSI
//     phantom), and Ng in IDN/IDMN and the ranges of p_{x+y}, p_{x-y} is the
//     largest level, not the number of levels present.
//   - GLCM is symmetric (P + Pᵀ) unless Options.Asymmetric. GLCM and GLRLM
//     features are computed per direction and averaged (IBSI "averaged",
//     ITBB), leaving out NaN values as numpy.nanmean does; directions without
//     any pair (GLCM) or run (GLRLM) are dropped first. With
//     Options.Weighting the direction matrices are summed instead ("merged",
//     IAZD, for "no_weighting"), weighted by exp(-‖a‖²) (GLCM) or ‖a‖
//     (GLRLM) in mm for the distance norms.
//   - GLRLM drops a direction along which no line through the bounding box
//     has two ROI voxels (pyradiomics: "segmentation is 2D for this angle").
//   - GLSZM zones are 26-connected (8-connected in the plane with Force2D).
//   - NGTDM: the neighbourhood excludes the centre and counts ROI voxels only;
//     a voxel without any neighbour in the ROI still counts in n_i, adding 0
//     to s_i (IBSI leaves it out of n_i; see Deviations).
//   - GLDM: a neighbour is dependent when its level differs by at most
//     Options.GLDMAlpha (pyradiomics gldm_a, default 0); the dependence count
//     j includes the centre voxel (IBSI NGLDM with α = 0, distance 1).
//   - Entropies are -Σ p log2(p + ε) with ε = 2.2e-16 (numpy.spacing(1)).
//
// # Special cases
//
// An empty ROI returns [ErrEmptyROI]; a one-voxel bounding box, where no
// direction exists, returns [ErrNoDirections] (pyradiomics raises too).
// A flat region (one grey level) gives pyradiomics' values: GLCM
// Correlation 1, Imc1 0, Imc2 0, MCC 1, Idm/Idmn/Id/Idn 1; NGTDM Coarseness
// 10⁶, Contrast, Busyness and Strength 0; entropies -log2(1+ε) ≈ -3.2e-16.
// A ROI whose voxels have no neighbour in the ROI along any GLCM direction
// has no co-occurrence: every GLCM feature is NaN; a ROI where no line
// through the bounding box holds two ROI voxels has no GLRLM direction left:
// every GLRLM feature is NaN. Both are pyradiomics' results (documented, not
// failures; tested against pyradiomics on small synthetic ROIs).
//
// # Conformance
//
// Tests compare (a) the matrices with pyradiomics' baseline .npy files for
// brain1 and breast1, exactly; (b) all 75 features with pyradiomics'
// baseline CSVs for brain1 and breast1 in the configurations default, 2D
// (force2D), bin count 64, no_weighting and flat region, within 1e-6
// relative (the largest difference seen is 2e-11, in MCC; the others are
// below 5e-15); (c) values computed by pyradiomics itself
// (testdata/texture/golden.json) for distances 1 and 2, asymmetric GLCM,
// gldm_a 1, the three weighting norms, force2Ddimension 1 and 2, the spine
// ROIs and small special-case ROIs, within 1e-12 relative (MCC 1e-8; seen
// 1e-9); (d) the IBSI digital phantom, every feature with an IBSI value
// within IBSI's tolerance (values given to three significant digits):
//
//	feature                                     IBSI  phantom
//	glcm_Autocorrelation                        QWB0  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_ClusterProminence                      AE86  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_ClusterShade                           7NFM  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_ClusterTendency                        DG8W  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Contrast                               ACUI  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Correlation                            NI2N  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_DifferenceAverage                      TF7R  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_DifferenceEntropy                      NTRS  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_DifferenceVariance                     D3YU  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Id                                     IB1Z  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Idm                                    WF0Z  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Idmn                                   1QCO  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Idn                                    NDRX  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Imc1                                   R8DG  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_Imc2                                   JN9H  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_InverseVariance                        E8JP  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_JointAverage                           60VM  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_JointEnergy                            8ZQL  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_JointEntropy                           TU9B  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_MCC                                    -     no IBSI definition (pyradiomics baselines only)
//	glcm_MaximumProbability                     GYBY  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_SumAverage                             ZGXS  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_SumEntropy                             P6QZ  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glcm_SumSquares                             UR99  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_GrayLevelNonUniformity                R5YN  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_GrayLevelNonUniformityNormalized      OVBL  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_GrayLevelVariance                     8CE5  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_HighGrayLevelRunEmphasis              G3QZ  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_LongRunEmphasis                       W4KF  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_LongRunHighGrayLevelEmphasis          3KUM  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_LongRunLowGrayLevelEmphasis           IVPO  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_LowGrayLevelRunEmphasis               V3SW  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_RunEntropy                            HJ9O  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_RunLengthNonUniformity                W92Y  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_RunLengthNonUniformityNormalized      IC23  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_RunPercentage                         9ZK5  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_RunVariance                           SXLW  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_ShortRunEmphasis                      22OV  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_ShortRunHighGrayLevelEmphasis         GD3A  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glrlm_ShortRunLowGrayLevelEmphasis          HTZT  matches: 3D avg, 3D merged, 2.5D avg, 2.5D merged
//	glszm_GrayLevelNonUniformity                JNSA  matches: 3D, 2.5D
//	glszm_GrayLevelNonUniformityNormalized      Y1RO  matches: 3D, 2.5D
//	glszm_GrayLevelVariance                     BYLV  matches: 3D, 2.5D
//	glszm_HighGrayLevelZoneEmphasis             5GN9  matches: 3D, 2.5D
//	glszm_LargeAreaEmphasis                     48P8  matches: 3D, 2.5D
//	glszm_LargeAreaHighGrayLevelEmphasis        J17V  matches: 3D, 2.5D
//	glszm_LargeAreaLowGrayLevelEmphasis         YH51  matches: 3D, 2.5D
//	glszm_LowGrayLevelZoneEmphasis              XMSY  matches: 3D, 2.5D
//	glszm_SizeZoneNonUniformity                 4JP3  matches: 3D, 2.5D
//	glszm_SizeZoneNonUniformityNormalized       VB3A  matches: 3D, 2.5D
//	glszm_SmallAreaEmphasis                     5QRC  matches: 3D, 2.5D
//	glszm_SmallAreaHighGrayLevelEmphasis        HW1V  matches: 3D, 2.5D
//	glszm_SmallAreaLowGrayLevelEmphasis         5RAI  matches: 3D, 2.5D
//	glszm_ZoneEntropy                           GU8N  matches: 3D, 2.5D
//	glszm_ZonePercentage                        P30P  matches: 3D, 2.5D
//	glszm_ZoneVariance                          3NSA  matches: 3D, 2.5D
//	ngtdm_Busyness                              NQ30  matches: 3D, 2.5D
//	ngtdm_Coarseness                            QCDE  matches: 3D, 2.5D
//	ngtdm_Complexity                            HDEZ  matches: 3D, 2.5D
//	ngtdm_Contrast                              65HE  matches: 3D, 2.5D
//	ngtdm_Strength                              1X9X  matches: 3D, 2.5D
//	gldm_DependenceEntropy                      FCBV  matches: 3D, 2.5D
//	gldm_DependenceNonUniformity                Z87G  matches: 3D, 2.5D
//	gldm_DependenceNonUniformityNormalized      OKJI  matches: 3D, 2.5D
//	gldm_DependenceVariance                     DNX2  matches: 3D, 2.5D
//	gldm_GrayLevelNonUniformity                 FP8K  matches: 3D, 2.5D
//	gldm_GrayLevelVariance                      1PFV  matches: 3D, 2.5D
//	gldm_HighGrayLevelEmphasis                  OAE7  matches: 3D, 2.5D
//	gldm_LargeDependenceEmphasis                IMOQ  matches: 3D, 2.5D
//	gldm_LargeDependenceHighGrayLevelEmphasis   9QMG  matches: 3D, 2.5D
//	gldm_LargeDependenceLowGrayLevelEmphasis    NBZI  matches: 3D, 2.5D
//	gldm_LowGrayLevelEmphasis                   TL9H  matches: 3D, 2.5D
//	gldm_SmallDependenceEmphasis                SODN  matches: 3D, 2.5D
//	gldm_SmallDependenceHighGrayLevelEmphasis   JA6D  matches: 3D, 2.5D
//	gldm_SmallDependenceLowGrayLevelEmphasis    EQ3F  matches: 3D, 2.5D
//
// # How the matrices are counted
//
// [All] and [Families] prepare the image once (the ROI padded by one
// voxel, each voxel's level replaced by its row index, -1 outside; the
// ROI's voxels listed, and their runs along x) and, at distance 1, count
// the GLCM, GLRLM, GLSZM, NGTDM and GLDM in one fused pass of tasks:
//
//   - GLCM and GLRLM per forward direction, over the ROI's runs along x
//     (runs less than five voxels apart walked as one span, the voxels
//     between them outside), in blocks of about 2048 voxels, every
//     direction over a block before the next: the neighbour ahead gives
//     the GLCM pair, counted in a table with a row and column for
//     "outside" so that no test is needed (pairSpans: no branch on the
//     levels, the arrays addressed through pointers after one check per
//     call that everything it touches lies in them); the equal pairs of ROI
//     voxels are listed, and where the neighbour behind has another level
//     an equal pair starts a run of two or more, followed to its end. A
//     level's runs of one voxel are then its voxels less its equal pairs
//     (the GLCM's diagonal) less its longer runs;
//   - the equal pairs give the GLSZM's zones (a union-find over the padded
//     grid: union by size, the first two steps up to a root and the link
//     without a branch on the zones) and, for gldm_a < 1, each voxel's
//     GLDM dependence count (equal neighbours). With one worker the
//     direction scan joins each block's pairs at once, while the block is
//     in cache, and the zones are counted at their roots in the end; with
//     more, the pairs are handed over as each task of two directions
//     finishes and joined by whichever task finds the union-find free,
//     the zone counts by level and size kept up to date by each union;
//   - the NGTDM's neighbour sums and counts from box sums, slice by slice,
//     of a grid packing count and level in one integer (32 bits where
//     27·Ng < 2²⁷, else 64), s_i added up in voxel order within the task;
//     gldm_a ≥ 1 reads each voxel's neighbours instead.
//
// Every count is an integer, so with Options.Workers > 1 (the preparation
// split into slabs, the tasks taken in turn, the last count split between
// the workers, then the GLCM's per-direction features on the workers,
// averaged in direction order) the values are the same to the bit;
// TestFusedMatchesOwnLoops checks the pass against each family's own loop
// (used for other distances; the GLSZM's own is a union-find over each
// voxel's neighbours behind it) to the bit, for one to three workers.
//
// From the counts, with AVX2, the GLCM coefficients of four directions are
// found at once (glcmCoefs4: AVX2 lanes, each rounded as glcmCoef.set and
// moments round one direction, with a four-lane log2 that rounds as
// math.Log / ln 2; in groups under half non-zero only the runs of entries
// where some direction has a pair); otherwise set visits the non-zero
// entries, the sums among them in one pass (glcmMoments). MCC's matrix is
// built on the levels occupied in that direction, reduced to tridiagonal
// form by Householder reflections and its second largest (and, only when
// it could be larger in magnitude, smallest) eigenvalue found by
// three-point multisection on Sturm counts, four directions at a time in
// AVX2 lanes that each round as the scalar code (mccDirections; the lone
// thirteenth direction on its own, the smallest-eigenvalue searches of all
// groups gathered and run four at a time); HXY2 comes from the marginal
// entropies (2 Ng logarithms instead of Ng²) plus the exact ε correction,
// term by term where HXY2 − HXY < 0.01 and Imc2 would magnify rounding.
// The GLRLM's kept directions and run lengths come from the integer counts
// (columns or-ed eight at a time with AVX2). The values equal the
// one-direction code's to the bit (TestGLCMCoefs4, TestMCCDirections,
// TestGLRLMFromCounts).
//
// The largest arrays (the grid, the voxel list, the union-find, the
// dependence counts, the fused pass's counts and the NGTDM's box-sum rows)
// are kept between calls in a small cache that the garbage collector does
// not empty (package bufcache: at most six arrays of each element type,
// 2¹¹ to 2²³ elements each, 2²³ in all, the smallest that fits handed
// out): from a sync.Pool they were faulted in afresh after each
// collection, up to 5 ms per 4 MB array with two workers.
//
// # Where the time goes
//
// The Pictologics-style cube (BenchmarkPictologics: a random 98³ ROI, 32
// levels, 941,192 voxels, all five families), one core, CPU ms per call,
// medians of three runs of
// `go test -run XXX -bench PictologicsParts -cpu 1 -benchtime 20x`: the
// preparation 3.7, the NGTDM's box sums 6.0, the direction tasks with the
// equal pairs' GLDM counts 18.2, the whole fused pass (every family's
// counts, the GLSZM's zones included) 34.4, all 75 values 36.8 (`make
// bench-radiomics`). Of the whole call (CPU profile of
// `-bench 'Pictologics/workers1$' -benchtime 40x`): pairSpans, 12.2
// million GLCM pairs, 30 %; the preparation 16 %; counting the zones at
// their roots 13 %; the unions 10 %; the NGTDM 10 %; the features under
// 5 %.
//
// `make bench-radiomics` (three fresh processes each, medians; load
// average 2.0 before, 1.3 after, nothing else running): one core 36.8 ms
// of CPU (issue 21's target: 80 ms), two workers 20.8 ms wall against one
// worker's 39.8 ms, 1.92× (target 1.7×).
//
// # Deviations from IBSI
//
// None of these changes a value on the IBSI phantom; each is tested.
//   - NGTDM n_i counts voxels with no neighbour in the ROI (IBSI: excluded).
//   - GLRLM/GLCM directions that do not fit in the bounding box, or along
//     which the ROI is one voxel thick, are dropped before averaging.
//   - MCC (maximal correlation coefficient) has no IBSI definition.
//   - Flat-region values above are pyradiomics' conventions; IBSI leaves them
//     undefined.
//
// # References
//
//  1. Zwanenburg A. et al. The Image Biomarker Standardization Initiative.
//     Radiology 295:328–338 (2020); reference manual arXiv:1612.07003.
//  2. van Griethuysen J.J.M. et al. Computational radiomics system to decode
//     the radiographic phenotype. Cancer Research 77:e104–e107 (2017)
//     (pyradiomics).
//  3. Haralick R.M., Shanmugam K., Dinstein I. Textural features for image
//     classification. IEEE Trans. SMC 3:610–621 (1973) (GLCM, MCC).
//  4. Galloway M.M. Texture analysis using gray level run lengths. Computer
//     Graphics and Image Processing 4:172–179 (1975) (GLRLM).
//  5. Thibault G. et al. Texture indexes and gray level size zone matrix.
//     Pattern Recognition and Information Processing (2009) (GLSZM).
//  6. Amadasun M., King R. Textural features corresponding to textural
//     properties. IEEE Trans. SMC 19:1264–1274 (1989) (NGTDM).
//  7. Sun C., Wee W.G. Neighboring gray level dependence matrix for texture
//     classification. CVGIP 23:341–352 (1983) (GLDM/NGLDM).
package texture
