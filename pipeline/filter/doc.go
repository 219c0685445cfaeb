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
package filter
