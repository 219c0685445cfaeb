// Package ibsi is an IBSI chapter 1 engine: the image-processing chain and
// the features of the Image Biomarker Standardisation Initiative's reference
// manual (Zwanenburg et al., arXiv:1612.07003), checked against the IBSI
// consensus values of the digital phantom (phase 1) and of the CT radiomics
// phantom's configurations A–E (phase 2).
//
// # Processing (config.go, prepare.go)
//
// ConfigByName returns "phantom" (no processing) or one of the CT
// configurations:
//
//	cfg  texture  interpolation          re-segmentation            discretisation  IVH
//	A    2D       none                   [-500, 400] HU             FBS 25 HU       none (HU)
//	B    2D       2×2 mm in-plane, lin.  [-500, 400] HU             FBN 32          none (HU)
//	C    3D       2×2×2 mm, linear       [-1000, 400] HU            FBS 25 HU       FBS 2.5 HU
//	D    3D       2×2×2 mm, linear       mean ± 3 SD                FBN 32          none (HU)
//	E    3D       2×2×2 mm, cubic spline [-1000, 400] ∩ mean ± 3 SD FBN 32          FBN 1000
//
// Prepare resamples image and mask on a grid of ⌈n·s/s'⌉ voxels per axis
// whose centre is the old grid's centre ("align grid centres"); the image
// linearly or by an interpolating cubic B-spline (values beyond the image:
// the nearest voxel), rounded to integer HU; the mask linearly (0 beyond the
// image) and kept where ≥ 0.5 (partial-volume threshold). The
// morphological mask is that mask; the intensity mask is it re-segmented by
// range and, where set, by outliers (population mean ± 3 SD of the ROI's
// intensities, intersected with the range). The result is cropped to the
// ROI plus the local-intensity sphere's radius. Prepared.Diagnostics holds
// IBSI's diagnostic values (img_dim_*, vox_dim_*, *_int_*_img,
// int_mask_*/morph_mask_* at the init, interp and reseg stages).
// The interpolation equals scipy.ndimage.map_coordinates (what MIRP uses) to
// 1e-9 (prepare_test.go, testdata/ibsi_prepare).
// Discretise bins the intensity mask (FBS from the range's lower bound, FBN
// between the ROI's minimum and maximum).
//
// # Features (morph.go, intensity.go; texture*.go by a separate file set)
//
// NonTexture returns the morph_, loc_, stat_, ih_ and ivh_ families plus the
// diagnostics. Reused rather than rewritten: the marching-cubes mesh volume,
// area, maximum diameter and principal axes come from package
// radiomics/shape (its exact quickhull also gives the convex hull,
// shape.ConvexHull); the intensity statistics and histogram moments,
// percentiles, entropy and uniformity from radiomics.FirstOrder (the same
// definitions; IBSI's kurtosis is FirstOrder's minus 3). IBSI's PCA uses
// the sample covariance (N − 1) where pyradiomics uses N: the eigenvalues are
// rescaled. Moran's I and Geary's C are exact over all voxel pairs, with
// the pair sums computed as correlations in the Fourier domain (≈ 0.1 s for
// 114,596 voxels instead of minutes). The oriented minimum bounding box
// (every hull-face direction with the exact minimum-area rectangle across it)
// and the minimum-volume enclosing ellipsoid (Khachiyan's algorithm with
// away steps, to 1e-6) have no IBSI consensus value: morph_test.go checks
// them on analytic shapes (a rotated box, points on a rotated ellipsoid).
// The IVH area under the curve (no consensus value either) is not computed.
//
// # Conformance (nontexture_test.go)
//
// IBSI's rule: |value − reference| ≤ tolerance, and for tolerance 0 the value
// rounded to the reference's printed significant digits equals it.
//
//	data set            non-texture tags with a consensus value  pass
//	digital phantom     74                                        74
//	CT configuration A  134 (60 of them diagnostics)              134
//	CT configuration B  134                                       134
//	CT configuration C  134                                       134
//	CT configuration D  134                                       134
//	CT configuration E  134                                       134
//
// Regenerate with
//
//	GOEXPERIMENT=simd go test ./pipeline/radiomics/ibsi/ -run TestNonTextureIBSI -v
//
// The CT phantom (testdata/ibsi_ct_phantom, CC BY-NC 3.0, test data only)
// is Lambin P., Radiomics Digital Phantom, CancerData (2016),
// doi:10.17195/candat.2016.08.1; the reference values are IBSI's consensus
// values as published with MIRP (oncoray/mirp), testdata/ibsi1.
package ibsi
