// Package filter computes pyradiomics' derived image types from a
// volume.Volume: the images pyradiomics' imageoperations.get<Type>Image
// yield for LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential,
// Gradient, LBP2D and LBP3D. The radiomics package extracts features from
// them under pyradiomics' names (log-sigma-3-0-mm-3D, wavelet-LLH, square,
// …); Apply is the one entry point (the registry Types lists the names).
//
// Each filter reproduces the arithmetic of the tool pyradiomics calls, so
// that features of the filtered images equal pyradiomics' within 1e-6
// relative (testdata/filters holds the golden values and the script that
// made them):
//
//   - LoG: SimpleITK's LaplacianRecursiveGaussianImageFilter with
//     NormalizeAcrossScale (ITK 5's Deriche-style recursive Gaussian of
//     second order along one axis and zero order along the others, lines
//     filtered in double, intermediate images stored in float32, the three
//     second derivatives summed in float32 scaled by 1/spacing²), output
//     float32 as SimpleITK gives it. sigma is in mm.
//   - Wavelet: pyradiomics' _swt3: the image padded by one wrapped voxel
//     along every odd axis, then PyWavelets' level-1 stationary wavelet
//     transform (periodic convolution with the wavelet's dec_lo / dec_hi,
//     axes x, y, z in turn) repeated on the approximation for start_level +
//     level levels; the padding is cropped again. Names: wavelet-LLH (x low,
//     y low, z high), wavelet2-… from the second kept level, and the last
//     approximation wavelet-LLL.
//   - Square, SquareRoot, Logarithm, Exponential: pyradiomics' formulas,
//     rescaled to the original image's largest absolute value.
//   - Gradient: ITK's GradientMagnitudeImageFilter (central differences
//     scaled by 1/spacing unless gradientUseSpacing is false, edge voxels
//     repeated), in double, output float32.
//   - LBP2D: scikit-image's local_binary_pattern in every slice normal to
//     force2Ddimension (bilinear samples on a circle, constant-0 border).
//   - LBP3D: pyradiomics' spherical-harmonics LBP (Banerjee et al. 2013) on
//     the ROI voxels: cubic B-spline samples (scipy's map_coordinates) on a
//     trimesh icosphere, levels lbp-3D-m1…, and the samples' kurtosis
//     lbp-3D-k.
//
// With Options.Region (the ROI box) every filter computes only what the
// box's voxels need, bit-identical there, and with Options.Crop returns the
// box alone (TestRegionBitExact, TestCropBitExact): LoG keeps, pass by
// pass, only the lines and samples later passes read; the one-level
// wavelet keeps each sub-band over the box its later passes read; LBP3D
// prefilters only the ROI's coefficient box. Under GOEXPERIMENT=simd on
// AVX2 the hot loops run four lanes per register, multiply then add in the
// scalar order, never fused, so that every lane is rounded as the scalar
// code rounds it: LoG's recursive Gaussian four lines per register, three
// registers at a time, reading and writing the image in place along y and
// z (TestPassFast); the wavelet's convolution four outputs per register
// (TestSwtLine); LBP3D four ROI voxels along x per register — spline sums,
// rounding, kurtosis and spherical-harmonic sums (TestLBP3DFast), its
// spline prefilter four lines per register (TestSplineCoefficients) — and
// maxAbs and integral (TestMaxAbs, TestIntegral). The scalar code they are
// checked against is what TestITKBitExact and the golden values check.
// LBP2D computes its bilinear taps once per row and column
// (TestLBP2DReference).
// Profile and timing against pyradiomics: make bench-imagetypes.
//
// # IBSI chapter 2 filters
//
// IBSI (ibsi.go, ibsi_fft.go) holds the filters of IBSI chapter 2 (arXiv
// 2006.05470): mean, Laplacian of Gaussian (truncation 4σ), Laws kernels
// (L3 E3 S3 L5 E5 S5 W5 R5, energy map of distance δ), Gabor (per plane,
// orientation step, orthogonal planes pooled), undecimated separable
// wavelets (any PyWavelets filter: haar, db2, db3, coif1, …; at a level,
// decomposed or rotation invariant over the 24 cube rotations, 4 in 2D),
// Simoncelli and Riesz transforms of LoG and Simoncelli responses; the
// boundary modes constant, nearest, periodic and mirror; 2D (each axial
// slice) and 3D. They run by name as image types ("ibsi-log sigma=1.5",
// see IBSIPrefix); pyradiomics' types above stay as they are.
//
// Conformance, every voxel within 1 % of the consensus map's range
// (GOEXPERIMENT=simd go test ./pipeline/filter/ -run TestIBSI2Phase1 -v;
// maps in testdata/ibsi2), max deviation in % of range:
//
//	1.a.1-4 mean 3D (4 modes)      0 / 0 / 0.0039 / 0     pass
//	1.b.1   mean 2D                0                      pass
//	2.a 2.b 2.c LoG 3D/3D/2D       0.0013 / 0.033 / 0.024 pass
//	3.a.1-3 Laws E5L5S5            0 / 0 / 0              pass
//	3.b.1-3 Laws E3W5R5            0 / 0 / 0              pass
//	3.c.1-3 Laws L5S5 2D           0 / 0 / 0              pass
//	4.a.1-2 Gabor impulse          3e-6 / 3e-6            pass
//	4.b.1-2 Gabor sphere           0.011 / 0.11           pass
//	5.a.1-2 db2 LHL                0 / 0                  pass
//	6.a.1-2 coif1 HHL periodic     0 / 0                  pass
//	7.a.1-2 haar level 2 invariant 0 / 0                  pass
//	8.a.1-3 Simoncelli 1-3         0.38 / 0 / 0           pass
//	9.a 9.b.1 Riesz-LoG            0.047 / 0.64           pass
//	10.b.1 Riesz-Simoncelli        0.79                   pass
//
// (0: below 1e-4 %.) Phase 2, the 18 intensity statistics of every filter
// configuration 1–9, 2D (A) and 3D (B), on the IBSI CT phantom after IBSI's
// processing (radiomics/ibsi.Prepare: 3D 1 mm cubic spline, rounding;
// re-segmentation [-1000, 400] HU): 18/18 configurations, 323/323 values
// within tolerance (8.B's stat_qcod has no consensus value) —
// go test ./pipeline/filter/ -run TestIBSI2Phase2 -v.
package filter
