// Package featuremap computes voxel-based radiomics feature maps: for every
// voxel of a region of interest, the features of the small neighbourhood
// (kernel) around it, written as one image per feature on the image grid.
// A map shows where in the cord a texture lives — the radiomics companion
// of Grad-CAM. The values are pyradiomics' voxel-based extraction
// (RadiomicsFeatureExtractor.execute(..., voxelBased=True), `pyradiomics
// --mode voxel`), voxel by voxel.
//
// # Semantics (pyradiomics 3.1, radiomics/base.py _calculateVoxels,
// featureextractor.py, the C extension's kernel bounding boxes)
//
//   - The ROI is checked as for segment-based extraction (label present,
//     minimumROIDimensions, …) and the image is cropped to the ROI's box
//     grown by kernelRadius, clipped to the image (cropToTumorMask with
//     padDistance = kernelRadius).
//   - Grey levels are binned (binWidth or binCount) over the ROI's
//     intensities, or with maskedKernel false over the whole crop; Ng and
//     the set of grey levels are the ROI's (crop's), not the kernel's: Idmn
//     and Idn divide by the ROI's Ng, and a one-level kernel in a
//     many-level ROI has MCC 0.
//   - The kernel of ROI voxel v is the box [v−r, v+r]³ clipped to the crop
//     (one voxel thick along the force2D axis). With maskedKernel (the
//     default) it holds the box's ROI voxels only, otherwise every crop
//     voxel. First-order features are computed on the kernel's
//     intensities, texture matrices on the kernel's box alone (pairs, runs,
//     zones and neighbourhoods do not leave it).
//   - Every map voxel outside the ROI is initValue (0 by default).
//   - voxelBatch: pyradiomics computes the ROI voxels (in its order, z
//     slowest) in batches, which changes two GLCM maps. Directions with no
//     pair in any kernel of a batch are dropped; where one kernel lacks a
//     pair along a direction that others have, its matrix is NaN there.
//     JointAverage, a plain mean over directions, is then NaN for that
//     voxel; MCC's eigenvalue solver refuses the whole batch and the batch
//     stays initValue. With the default single batch, MCC is initValue
//     over the whole map for almost every real ROI (a border voxel of a
//     thin ROI lacks some direction). This is reproduced, not fixed, so
//     that maps compare with pyradiomics'.
//
// Shape has no maps (pyradiomics computes shape per ROI only).
// Normalisation and resampling are refused: maps live on the image grid
// as given. Filtered image types are not implemented yet.
//
// # Conformance
//
// TestPyradiomicsVoxelBased compares every map with values written by
// pyradiomics' own voxel-based code (testdata/featuremap, make_golden.py):
// the 163-voxel spine lesion, a 246-voxel patch of the spine cord and the
// 141-voxel lesion of a second (float32) spine MRI, with
// kernelRadius 1 and 2, an unmasked kernel, binCount 16, distances [1, 2]
// with gldm_a 1 and an asymmetric GLCM, force2D, voxelBatch 7 with
// initValue −1 and weightingNorm no_weighting: every voxel of every map
// within 1e-6 relative (measured: 6e-12 at most on the first image, in
// Skewness; MCC 5e-9; TotalEnergy 5e-8 on the float32 image, whose voxel
// size is read from its header). Checked once beyond the committed cases:
// the whole 4,275-voxel cord, default and voxelBatch 500, every map and
// voxel within 1.1e-9.
//
// # Cost
//
// Each kernel's matrices are built from its box and the features computed
// by package radiomics/texture (texture.KernelTexture: one kernel image for
// the five texture classes, the sums over p_{x+y} and p_{x−y} over their
// non-zero entries); MCC comes from the kernel's levels only (blocks of
// linked levels, Householder + QL) and only where pyradiomics' batch rule
// keeps it; ROI voxels are spread over all cores (Settings.Workers).
// Memory holds the first-order or the texture values of the ROI voxels
// (one float64 per map and ROI voxel) plus one image: Each hands the maps
// over one by one.
//
// Measured side by side on the 2-core CI machine under a load of about 10
// (CPU time of one core; make_golden.py time for pyradiomics, best of 3;
// `make bench-maps` for scirad, cpu-ns/op, 5 runs × 3, median), all 93
// maps, kernelRadius 1, bin width 25:
//
//	ROI                     pyradiomics    scirad     ratio
//	spine lesion, 163 vox   0.91 s         29 ms      31×
//	spine cord, 4275 vox    11.3 s         408 ms     28×
//
// GLCM maps of a random 16³ cube (32 levels, every voxel): 0.32 s of one
// core. Every voxel of the 99×99×29 spine image: 35 s of CPU on two
// workers, about 18 s on an idle 2-core machine (76 s of wall time under
// that load). In Chromium (WebAssembly), one GLCM map of a toy patient's
// 169-voxel lesion: 50 ms.
//
// Kernels are recomputed from their box rather than updated as the kernel
// slides: with kernelRadius 1 a kernel holds at most 27 voxels, building
// its matrices is a few percent of the time, and the rest — features per
// direction (logarithms, MCC's eigenvalues) — must be evaluated per voxel
// whatever way the matrices are kept.
package featuremap
