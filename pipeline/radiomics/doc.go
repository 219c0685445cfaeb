// Package radiomics computes pyradiomics-compatible radiomics features of one
// image region, and of a whole cohort: the paper's hand-crafted feature step
// (Lin et al., Sci Rep 2025, Methods "Radiomics feature extraction"), where
// 107 features of seven classes were extracted with pyradiomics for each of
// five images (original and four denoising filters; CohortSettings.Filters
// chooses others) and two ROIs (injured
// cord, rest of the cord), and features with an inter-rater ICC not above 0.75
// were discarded (package radiomics/icc).
//
// # One region
//
// Extract(img, mask, s) does what pyradiomics' RadiomicsFeatureExtractor
// does for the Original image type with the same settings:
//
//  1. optional normalisation of the whole image (normalize, normalizeScale,
//     removeOutliers) and optional resampling (resampledPixelSpacing);
//  2. PrepareROI: image and mask grids must agree within geometryTolerance
//     (or the mask is resampled by nearest neighbour with correctMask); the
//     label must be present; the ROI must span minimumROIDimensions axes and
//     be more than one voxel; image and mask are cropped to the ROI's
//     bounding box;
//  3. Discretize: pyradiomics' fixed bin width (edges at multiples of the
//     width; bit-identical to numpy) or fixed bin count (IBSI FBN);
//  4. the enabled classes: first order (this package), shape (package
//     radiomics/shape, from the cropped mask) and the five texture families
//     (package radiomics/texture, from the discretised image).
//
// Settings{} is pyradiomics' default (bin width 25, label 1, no
// normalisation, no resampling, minimumROIDimensions 2); ParseParams reads a
// pyradiomics params YAML file, and rejects any key it does not know or
// cannot honour, naming it. With resampledPixelSpacing, Extract resamples
// image and mask onto pyradiomics' grid (its resampleImage: aligned to the
// mask's corner, the ROI box plus padDistance) before step 2, with package
// preprocess's interpolators (ITK's B-spline); an image of whole numbers is
// taken to be of an integer pixel type and truncated after interpolation,
// as SimpleITK's cast back to the input type does.
//
// Deviations from pyradiomics, each deliberate: the default
// geometryTolerance is 1e-3 of the first spacing, not SimpleITK's 1e-6
// (DefaultGeometryTolerance says why); all arithmetic is float64 even when
// pyradiomics would bin a float32 image in float32 (and re-segment it by
// float32 thresholds); a LoG sigma too large for
// the image is an error where pyradiomics skips it with a warning.
//
// # Resegmentation
//
// resegmentRange, resegmentMode (absolute, relative, sigma) and
// resegmentShape (Settings.ResegmentRange, ResegmentMode, ResegmentShape) are
// pyradiomics' resegmentMask, after normalisation and resampling: the ROI
// keeps the voxels within the thresholds (one threshold: ≥ it); a result of
// at most one voxel is an error. Every class but shape, and every image
// type's filter, uses the re-segmented mask, cropped to its own bounding
// box; shape uses the original mask cropped to that same box (what
// pyradiomics' computeShape is given, so voxels of the original ROI outside
// the re-segmented box are left out), or with resegmentShape the
// re-segmented mask. In the cohort path (ExtractImages) each preprocessed
// image, extracted as its own "original" image, is re-segmented on its own
// intensities, with its own shape box. With preCrop the image is cropped around the
// original ROI, before resegmentation, as pyradiomics' loadImage does.
// Conformance: TestResegmentPyradiomics, seven cases on the
// spinal-cord ROI against pyradiomics 8ed5793 (testdata/radiomics/
// make_reseg_golden.py; worst relative deviation below 1e-9), and
// TestPyradiomicsResegmentationBaselines, pyradiomics' own brain1/breast1
// _resegmentation baselines (sigma, [-3, 3]; 93 values each, within 1e-6).
//
// # Image types
//
// ExtractImageTypes runs every image type the params file enables
// (imageType: Original, LoG, Wavelet, Square, SquareRoot, Logarithm,
// Exponential, Gradient, LBP2D, LBP3D, with their per-type settings) as
// pyradiomics' extractor does: the filters of package filter on the whole
// (normalised, resampled, or with preCrop pre-cropped) image, each derived
// image cropped to the ROI and extracted with the type's settings (shape
// once, from the original mask), features named as pyradiomics names them
// (NamedValue.FullName: log-sigma-3-0-mm-3D_firstorder_Mean,
// wavelet-LLH_glcm_Contrast, lbp-3D-m1_gldm_…). scirad features uses it.
// Conformance with pyradiomics (TestImageTypesPyradiomics, golden values
// from pyradiomics 8ed5793 with ITK 5.2.1, PyWavelets 1.1.1,
// scikit-image 0.19.3 and SciPy 1.10.1 on two real spinal-cord MRI ROIs;
// regenerate with testdata/filters/make_golden.py, its header gives the
// commands), worst relative deviation over all 93 features of each image:
//
//	image type                    pyradiomics name            status  worst deviation
//	Original                      original                    pass    9.1e-10
//	LoG (sigma 0.5, 1, 1.5, 2, 3) log-sigma-<s>-mm-3D         pass    5.1e-10
//	Wavelet (coif1; haar levels 2–3) wavelet[N]-{L,H}³        pass    4.0e-09
//	Square                        square                      pass    9.3e-10
//	SquareRoot                    squareroot                  pass    2.8e-10
//	Logarithm                     logarithm                   pass    5.0e-11
//	Exponential                   exponential                 pass    4.7e-12
//	Gradient (with/without spacing) gradient                  pass    1.0e-09
//	LBP2D (R 1/8 and R 2/12 samples) lbp-2D                   pass    3.1e-13
//	LBP3D (levels 2 and 3)        lbp-3D-m1…m3, lbp-3D-k      pass    7.2e-15
//
// The LoG and gradient images themselves equal ITK's bit for bit
// (package filter, TestITKBitExact). Regenerate the table with
// go test ./pipeline/radiomics/ -run TestImageTypesPyradiomics -v.
//
// # Conformance table
//
// docs/conformance.md is the table of every conformance test: each IBSI
// chapter 1 test (digital phantom, CT phantom configurations A–E; package
// radiomics/ibsi) per feature family, each IBSI chapter 2 phase-1 response
// map (1.a.1 … 10.b.1) and phase-2 configuration (1.A … 9.B; package
// filter, whose filters run here as ibsi-… image types), and each
// pyradiomics image type above, with pass/fail and the measured deviation.
// make conformance (go run ./pipeline/internal/conformance) regenerates it
// by running those tests and reading the numbers from their logs.
//
// # A patient's images
//
// ExtractImages runs the paper profile (PaperCohortSettings) on one
// patient's preprocessed images: preprocess.Run gives five images
// (original, mean, box, gaussian, median) on a 1 mm grid, [0,1]-normalised;
// each image × ROI (lesion = label 1, cord = label 2) is extracted with a
// fixed bin count of 32, giving 1070 columns named
// {roi}_{image}_{class}_{Feature} (CohortSettings.Columns). Shape depends on
// the mask only, so it is computed once per ROI and repeated for every
// image, as the paper's per-image extraction gives.
//
// CohortSettings.Filters replaces the paper's four filters by any filters
// of the registry (package gallery: the paper's four, pyradiomics' image
// types such as log-sigma-2-0-mm-3D or wavelet-LLH, IBSI chapter 2
// filters), each applied to the preprocessed original
// (CohortSettings.PreprocessImages, gallery.Preprocess): N filters give
// (1+N) × 2 × 107 columns, the image part of each name being the filter's
// (lesion_log-sigma-2-0-mm-3D_firstorder_Mean), every filtered image
// extracted as an Original image. LBP3D images are refused: they filter the
// voxels of one label only, and a cohort's images serve both ROIs. The
// paper's settings (Filters nil, or the four named in order) keep the hash
// and the columns of the settings before the field existed. A params file's
// settings apply to every image (normalize z-scores each image). One
// patient's ten extractions can run in parallel (ExtractImagesParallel).
// Running it over a cohort — the worker pool, the resume sidecar, rater-2
// masks and the ICC, shards for a cluster — is package batch's job.
//
// # Where the time goes
//
// One core, CPU time per extraction of the 107 default features (default
// settings, bin width 25; file reading and cropping to the ROI's box left
// out, as for pyradiomics in `make bench-radiomics`), one run of
// `go test -run XXX -bench 'Cube|SpineStages' -cpu 1 -benchtime 0.3s ./pipeline/radiomics`
// (cpu-ns/op) on this 2-core machine at load average 1.1, nothing else
// running. The texture column is the five families together
// (texture.Families: one preparation, one fused pass); the per-family
// columns time each family alone, preparation and fused pass included, so
// they add up to more than it.
//
//	case (ROI voxels)               prepare discretise firstorder shape  glcm glrlm glszm ngtdm  gldm texture total (ms)
//	lesion (163)                      0.002      0.002      0.004 0.015  0.24  0.04  0.02  0.03  0.02    0.34  0.38
//	cord (4275)                       0.025      0.012      0.015 0.084  0.27  0.18  0.22  0.10  0.14    0.51  0.67
//	cord minus lesion (7172)           0.11       0.05       0.03  0.26  1.23  0.57  0.56  0.51  0.45    1.86  2.27
//	cord dilated 4 voxels (17407)      0.10       0.04       0.05  0.13  1.12  0.60  0.77  0.28  0.38    2.12  2.46
//	100³ cube, 98³ ROI (941192)         6.5        1.8        3.1   1.4    22    16    28    12    16      42    59
//
// Where the time goes within the whole extraction (CPU profiles of
// `BenchmarkSpine/<case>/workers1`, -cpuprofile, the same hour): on the
// cube, see package texture's "Where the time goes" (the fused pass's
// pair counting, the GLSZM's unions and the NGTDM's box sums). On the
// spine cases:
//
//	share of the whole extraction        lesion  cord  cord−lesion  dilated
//	texture fused pass (counts, zones)      14 %  46 %         26 %     46 %
//	  of which GLCM pair counting            2 %  16 %          8 %     16 %
//	  of which GLSZM unions                  1 %   9 %          4 %      6 %
//	  of which NGTDM box sums                4 %   6 %          8 %      7 %
//	texture preparation (padded grid)        2 %   7 %         11 %      6 %
//	GLCM features (13 directions)           58 %  15 %         34 %     27 %
//	  of which MCC                          30 %   7 %         18 %     14 %
//	GLRLM features                           7 %   2 %          4 %      3 %
//	shape (mesh, diameters)                  7 %  17 %         15 %      7 %
//	first order                              2 %   2 %          1 %      4 %
//
// The GLCM features are a fixed cost per direction (13 matrices of up to
// Ng² entries, MCC's O(m³) tridiagonalisation), which is why they dominate
// the lesion (31 levels, 163 voxels); the fused pass grows with the voxels.
// Cropping and discretisation (PrepareROI, Bin) are 1–7 %. Shape and
// first order together are 5 %, 15 %, 13 %, 7 % and 8 % of the lesion,
// cord, cord minus lesion, dilated cord and cube (the table): under a
// quarter.
//
// Against pyradiomics from source (`make bench-radiomics`, load average
// 2.0 before and 1.3 after, nothing else running): lesion 16.04 ms /
// 0.34 ms = 46.8×, cord 23.73 / 0.66 = 36.2×, cord minus lesion 82.29 /
// 2.36 = 34.8×, dilated cord 81.79 / 2.33 = 35.1×; the cube's five texture
// families (Pictologics protocol) 36.8 ms of CPU on one core (target
// 80 ms).
//
// ExtractWorkers runs first order and shape beside the texture classes;
// texture.Families then splits its preparation between the workers, gives
// them the fused pass's tasks in turn (seven direction groups, whose equal
// pairs also give the GLSZM's zones, and the NGTDM), and computes the
// GLCM's per-direction features (MCC in groups of four directions) on the
// workers beside the other families' features. Every count is an integer,
// the NGTDM's s_i is added up in voxel order by one task and the GLCM's
// directions are averaged in order, so the values equal one worker's to
// the bit (TestExtractWorkersBitIdentical, texture's
// TestFusedMatchesOwnLoops). Two workers, wall time, the same run: the
// cube's texture 1.92× one worker's, the spine cases' whole extraction
// 1.08× (cord), 1.35× (dilated cord), 1.45× (cord minus lesion) and 1.09×
// (lesion): cropping, discretisation and the texture preparation run on
// one goroutine, the small ROIs' tasks are short, and one worker joins
// the GLSZM's equal pairs as it finds them (no lists to hand over). `scirad features
// -workers N` asks for this on one ROI. `make bench-radiomics` prints the
// Pictologics-style protocol (random 98³ region, five texture families,
// three fresh processes, median), the spine cases beside pyradiomics run
// from source with ratios, and this table's stages with the share of shape
// and first order, with the load average before and after.
//
// # Features and conformance
//
// The registry (Registry) lists pyradiomics' 107 default-enabled features in
// its output order. Every feature matches pyradiomics' baselines for brain1
// and breast1 (testdata/pyradiomics) within 1e-6 relative (measured: 3e-12),
// end to end through Extract, and so do the baselines' other columns that
// need no resegmentation: _normalization (normalize, normalizeScale 100, bin
// width 5), _2d (force2D), _FBN (bin count 64), _combined (weightingNorm
// no_weighting), _flatRegion (one grey level) and breast1_resampling (2 mm,
// B-spline). brain1_resampling does not match
// (0.05–45 %): it was written by pyradiomics 2.0.1b1 with SimpleITK 0.9.1 and
// its resampled ROI is 7 % smaller than the ROI's physical volume
// (TestBrain1ResamplingDeviation). Every feature with an IBSI consensus value
// for the digital phantom (testdata/ibsi1) matches it within IBSI's
// tolerance, except where pyradiomics defines it differently on purpose.
// Status per feature (IBSI code from testdata/ibsi1/pyradiomics_to_ibsi_phantom.csv):
//
//	firstorder_Energy                             N8CA  matches
//	firstorder_TotalEnergy                        —     no IBSI value; pyradiomics baselines
//	firstorder_Entropy                            TLU2  matches
//	firstorder_Minimum                            1GSF  matches
//	firstorder_10Percentile                       QG58  matches
//	firstorder_90Percentile                       8DWT  matches
//	firstorder_Maximum                            84IY  matches
//	firstorder_Mean                               Q4LE  matches
//	firstorder_Median                             Y12H  matches
//	firstorder_InterquartileRange                 SALO  matches
//	firstorder_Range                              2OJQ  matches
//	firstorder_MeanAbsoluteDeviation              4FUA  matches
//	firstorder_RobustMeanAbsoluteDeviation        1128  matches
//	firstorder_RootMeanSquared                    5ZWQ  matches
//	firstorder_Skewness                           KE2A  matches
//	firstorder_Kurtosis                           IPH6  matches (IBSI value + 3, not excess)
//	firstorder_Variance                           ECT3  matches
//	firstorder_Uniformity                         BJ5W  matches
//	shape_MeshVolume                              RNU0  matches
//	shape_VoxelVolume                             YEKZ  matches
//	shape_SurfaceArea                             C0JK  matches
//	shape_SurfaceVolumeRatio                      2PR5  matches
//	shape_Sphericity                              QCFX  matches
//	shape_Maximum3DDiameter                       L0JK  matches
//	shape_Maximum2DDiameterSlice                  —     no IBSI value; pyradiomics baselines
//	shape_Maximum2DDiameterColumn                 —     no IBSI value; pyradiomics baselines
//	shape_Maximum2DDiameterRow                    —     no IBSI value; pyradiomics baselines
//	shape_MajorAxisLength                         TDIC  matches
//	shape_MinorAxisLength                         P9VJ  deviates: covariance / N, IBSI / (N−1); tested
//	shape_LeastAxisLength                         7J51  deviates: covariance / N, IBSI / (N−1); tested
//	shape_Elongation                              Q3CK  matches
//	shape_Flatness                                N17B  matches
//	glcm_Autocorrelation                          QWB0  matches
//	glcm_JointAverage                             60VM  matches
//	glcm_ClusterProminence                        AE86  matches
//	glcm_ClusterShade                             7NFM  matches
//	glcm_ClusterTendency                          DG8W  matches
//	glcm_Contrast                                 ACUI  matches
//	glcm_Correlation                              NI2N  matches
//	glcm_DifferenceAverage                        TF7R  matches
//	glcm_DifferenceEntropy                        NTRS  matches
//	glcm_DifferenceVariance                       D3YU  matches
//	glcm_JointEnergy                              8ZQL  matches
//	glcm_JointEntropy                             TU9B  matches
//	glcm_Imc1                                     R8DG  matches
//	glcm_Imc2                                     JN9H  matches
//	glcm_Idm                                      WF0Z  matches
//	glcm_MCC                                      —     no IBSI value; pyradiomics baselines
//	glcm_Idmn                                     1QCO  matches
//	glcm_Id                                       IB1Z  matches
//	glcm_Idn                                      NDRX  matches
//	glcm_InverseVariance                          E8JP  matches
//	glcm_MaximumProbability                       GYBY  matches
//	glcm_SumAverage                               ZGXS  matches
//	glcm_SumEntropy                               P6QZ  matches
//	glcm_SumSquares                               UR99  matches
//	glrlm_ShortRunEmphasis                        22OV  matches
//	glrlm_LongRunEmphasis                         W4KF  matches
//	glrlm_GrayLevelNonUniformity                  R5YN  matches
//	glrlm_GrayLevelNonUniformityNormalized        OVBL  matches
//	glrlm_RunLengthNonUniformity                  W92Y  matches
//	glrlm_RunLengthNonUniformityNormalized        IC23  matches
//	glrlm_RunPercentage                           9ZK5  matches
//	glrlm_GrayLevelVariance                       8CE5  matches
//	glrlm_RunVariance                             SXLW  matches
//	glrlm_RunEntropy                              HJ9O  matches
//	glrlm_LowGrayLevelRunEmphasis                 V3SW  matches
//	glrlm_HighGrayLevelRunEmphasis                G3QZ  matches
//	glrlm_ShortRunLowGrayLevelEmphasis            HTZT  matches
//	glrlm_ShortRunHighGrayLevelEmphasis           GD3A  matches
//	glrlm_LongRunLowGrayLevelEmphasis             IVPO  matches
//	glrlm_LongRunHighGrayLevelEmphasis            3KUM  matches
//	glszm_SmallAreaEmphasis                       5QRC  matches
//	glszm_LargeAreaEmphasis                       48P8  matches
//	glszm_GrayLevelNonUniformity                  JNSA  matches
//	glszm_GrayLevelNonUniformityNormalized        Y1RO  matches
//	glszm_SizeZoneNonUniformity                   4JP3  matches
//	glszm_SizeZoneNonUniformityNormalized         VB3A  matches
//	glszm_ZonePercentage                          P30P  matches
//	glszm_GrayLevelVariance                       BYLV  matches
//	glszm_ZoneVariance                            3NSA  matches
//	glszm_ZoneEntropy                             GU8N  matches
//	glszm_LowGrayLevelZoneEmphasis                XMSY  matches
//	glszm_HighGrayLevelZoneEmphasis               5GN9  matches
//	glszm_SmallAreaLowGrayLevelEmphasis           5RAI  matches
//	glszm_SmallAreaHighGrayLevelEmphasis          HW1V  matches
//	glszm_LargeAreaLowGrayLevelEmphasis           YH51  matches
//	glszm_LargeAreaHighGrayLevelEmphasis          J17V  matches
//	ngtdm_Coarseness                              QCDE  matches
//	ngtdm_Contrast                                65HE  matches
//	ngtdm_Busyness                                NQ30  matches
//	ngtdm_Complexity                              HDEZ  matches
//	ngtdm_Strength                                1X9X  matches
//	gldm_SmallDependenceEmphasis                  SODN  matches
//	gldm_LargeDependenceEmphasis                  IMOQ  matches
//	gldm_GrayLevelNonUniformity                   FP8K  matches
//	gldm_DependenceNonUniformity                  Z87G  matches
//	gldm_DependenceNonUniformityNormalized        OKJI  matches
//	gldm_GrayLevelVariance                        1PFV  matches
//	gldm_DependenceVariance                       DNX2  matches
//	gldm_DependenceEntropy                        FCBV  matches
//	gldm_LowGrayLevelEmphasis                     TL9H  matches
//	gldm_HighGrayLevelEmphasis                    OAE7  matches
//	gldm_SmallDependenceLowGrayLevelEmphasis      EQ3F  matches
//	gldm_SmallDependenceHighGrayLevelEmphasis     JA6D  matches
//	gldm_LargeDependenceLowGrayLevelEmphasis      NBZI  matches
//	gldm_LargeDependenceHighGrayLevelEmphasis     9QMG  matches
//
// Bad input: an absent label, a one-voxel ROI, an ROI spanning fewer than
// minimumROIDimensions axes and non-finite intensities in the ROI are errors
// wrapping ErrROI (where applicable); an ROI touching the image edge is
// fine; a flat ROI (one grey level) gives pyradiomics' values (Skewness and
// Kurtosis 0, texture features of a one-level matrix).
package radiomics
