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
// as given. Filtered image types (imageType) are applied to the whole image
// by package filter, as pyradiomics does before cropping, and each derived
// image gets its maps (Each; TestImageTypes).
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
// size is read from its header). Checked beyond the committed cases, with
// the sliding kernels too: the whole 4,275-voxel cord, default and
// voxelBatch 500, every map and voxel within 1.1e-9 (MCC).
//
// # Sliding kernels
//
// ROI voxels go to the workers in chunks of 32, in pyradiomics' order (x
// fastest). Within a chunk, the kernel of the next voxel of the same row
// (same y and z extent) is reached by sliding along x: the planes that
// leave are taken out of the kernel's counts and the planes that enter
// are put in (slider.moveTo); at a new row, after a gap wider than the
// kernel, or at a chunk's first voxel the counts are rebuilt from the box,
// plane by plane. Every count is an integer and every feature is computed
// from the counts in sorted cell order, so a slid kernel gives the same
// bits as a rebuilt one however the voxels were chunked: the maps are
// bit-identical on any number of workers and to kernels rebuilt at every
// voxel (TestSlideBitIdentical), and slid counters equal rebuilt ones
// along random rows with gaps (TestSlideCountsEqualRebuild). With force2D
// along x (force2Ddimension 2) a kernel is one voxel thick in x, so the
// next kernel shares no plane with it and is in effect rebuilt.
//
//   - First order (foSlider): the grey-level histogram and the sorted
//     intensities slide (a leaving voxel's value found by binary search and
//     removed, an entering one inserted), which replaces a sort per kernel;
//     the moments are still summed over the box in pyradiomics' order.
//   - GLCM (glcmSlider): per direction, the counts P(i,j) of the pairs with
//     both voxels in the kernel. Removing plane x takes out the pairs with a
//     voxel in x and both in the kernel before the move; adding it puts in
//     those with a voxel in x and both in the kernel after it (a pair inside
//     the plane counted once); with the kernel's level histogram for MCC.
//   - GLRLM (runCounter): partly. A run along a direction with dx = 0 lies in
//     one plane x = const, so those directions' runs are sums over planes and
//     slide (4 of the 13 directions in 3D, 1 of 4 with force2D along z),
//     with the count of planes holding a line of two kernel voxels
//     (pyradiomics keeps a direction only then). A run along a direction with
//     dx ≠ 0 crosses the planes: the leaving plane shortens it instead of
//     removing it, and a run's length is not a sum of per-plane parts, so
//     those directions are recounted from the box at every voxel.
//   - GLDM and NGTDM (nbrSlider): each kernel voxel's number of neighbours
//     in the kernel, the sum of their levels and its number of dependent
//     neighbours are sums over (voxel, neighbour) pairs inside the kernel
//     and slide pair by pair (integers); the GLDM matrix P(i, dependence+1)
//     follows every change. NGTDM's s_i = Σ |i − Ā| is a sum of floats: a
//     running update would round differently from a rebuild, so it is summed
//     afresh over the kernel (box order) from the slid counts.
//   - GLSZM (zoneCounter): rebuilt in every box. Zones are connected
//     components: a voxel that enters can merge zones and one that leaves
//     can split one, and no count of the previous kernel tells which; the
//     flood fill runs over the box's voxels (27 at kernelRadius 1) without
//     allocating.
//
// With weightingNorm set, GLCM and GLRLM (whose direction matrices are then
// merged with weights) are computed by package radiomics/texture
// (texture.KernelTexture) from each kernel's box, as before; every other
// case uses only the kernels above.
//
// # Cost
//
// Features still cost more than counting: per kernel and direction, the
// GLCM features need logarithms over the matrix's cells, its marginals and
// the products of marginals (HXY2), and MCC the eigenvalues of a matrix
// over the kernel's levels (Householder + QL, only where pyradiomics' batch
// rule keeps MCC). Profile of the whole-image map set (every voxel of the
// 99×99×29 spine image, all 93 maps, kernelRadius 1, GOMAXPROCS=1,
// `go test -run '^$' -bench MapsWholeImage -benchtime 1x -cpuprofile`,
// 23 s of CPU; shares of the kernels' time): GLCM features 62% (within
// them MCC 19% of the whole, its eigenvalues 12%, and logarithms 18%),
// GLRLM 17% (recounting the dx ≠ 0 directions 7%), GLSZM 7%, sliding the
// GLCM pairs 6%, GLDM + NGTDM 5%, first order 2%; sorting counters' cells
// is 11% across the families. The profile also puts 20–24% of all
// samples in runtime.asyncPreempt; with GODEBUG=asyncpreemptoff=1 the CPU
// time is the same (24.7 s against 25.0 s), so that is an artefact of
// sampling on the loaded machine, not a cost. With each box rebuilt by
// texture.KernelTexture the same run took 40 s of CPU and allocated 14 GB
// (malloc and GC about 15%); now 250 MB. A counter kept sorted as it
// changes (instead of sorting its cells per kernel) measured 7% slower on
// the cord, and stays unsorted.
//
// Memory holds the first-order or the texture values of the ROI voxels
// (one float64 per map and ROI voxel) plus one image — Each hands the maps
// over one by one — and per worker its counters (prepared.counterBytes:
// GLCM cells per direction and level pair, GLRLM, GLSZM and GLDM cells,
// three int32 per crop voxel), all checked against the memory budget
// (package membudget) before they are allocated.
//
// Measured side by side on the shared 2-core machine under a load average
// of about 9 (CPU time of one core; pyradiomics:
// `OMP_NUM_THREADS=1 /usr/bin/python3 testdata/featuremap/make_golden.py PYRAD time`,
// median of 3, run before and after scirad; scirad: `make bench-maps`,
// cpu-ns/op with GOMAXPROCS=1, 5 runs × 3, median), all 93 maps,
// kernelRadius 1, bin width 25:
//
//	ROI                     pyradiomics      scirad     ratio
//	spine lesion, 163 vox   1.52 / 1.44 s    20.6 ms    70–74×
//	spine cord, 4275 vox    13.8 / 14.0 s    270 ms     51–52×
//
// (With each box rebuilt by package texture, under a load of about 10:
// 29 ms and 408 ms, 31× and 28×.) GLCM maps of a random 16³ cube (32
// levels, every voxel): 0.20 s of one core (was 0.32 s; pytorchradiomics:
// 636 s on a CPU, 23.8 s on a GPU). Every voxel of the 99×99×29 spine image,
// all 93 maps, GOMAXPROCS=1: 23.5 s of CPU (median of 3: 23.2, 23.5,
// 23.6 s; 63–71 s of wall time, the load leaving a third of a core).
// The code before these kernels (each box rebuilt by texture.KernelTexture,
// built with the same package texture), alternated with it in one session
// under a load of 8–10: 34.9 and 33.5 s against 23.9 and 23.6 s (1.43×);
// pyradiomics' rate on the cord (3.3 ms per voxel) makes that image about
// 16 minutes. In Chromium (WebAssembly), one GLCM map of a toy patient's
// 169-voxel lesion: 119–171 ms in three runs under a load of 8–10 (the
// whole featureMap call 187–268 ms; natively 5–32 ms;
// `go test ./wasm -run TestBrowserFeatureMap -v`; 50 ms with the rebuilt
// kernels, measured earlier under another load).
package featuremap
