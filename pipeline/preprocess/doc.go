// Package preprocess implements the image preparation of Lin et al. (Sci Rep
// 2025, Methods, "The acquisition and preprocessing of T2-weighted MRI
// images"): (1) normalisation to [0, 1], (2) resampling to 1×1×1 mm, and
// (3) four denoising filters — mean, box, Gaussian and median — each giving
// a separate image ("channel") beside the original.
//
// # Choices the paper leaves open
//
//   - Normalisation is min–max over the whole image, optionally after
//     clipping to the [p, 100−p] percentiles (ClipPercentile), so one hot
//     voxel cannot squeeze the cord into a few grey levels.
//   - Work follows the ROI, not the field of view: the image is cropped to the
//     bounding box of the mask (every non-zero label) grown by Margin mm
//     before resampling and filtering, so a 512×512×16 scan costs what its
//     cord costs. Set FullField to keep the whole image.
//   - Resampling places the new voxels so that the first voxel's outer corner
//     stays where it was (ITK's convention for changing spacing) with
//     ⌈n·s/s'⌉ voxels per axis. Images are interpolated linearly (default)
//     or by cubic B-spline (ITK's order-3 B-spline with its mirror-boundary
//     prefilter); points outside the input take the nearest edge value.
//     Masks use nearest neighbour on the label map, which can never create a
//     label that was not there.
//   - Filters (docs/contract.md defaults): mean = 3×3×3 normalised mean, box = 5×5×5
//     normalised box, Gaussian σ = 1 mm (kernel truncated at 3σ, weights
//     renormalised), median = 3×3×3. Borders replicate the edge voxel
//     (scipy.ndimage mode "nearest", ITK's zero-flux Neumann condition).
//     Mean, box and Gaussian are separable and run axis by axis; the median
//     sorts each 3×3 cross-section once and merges three sorted columns.
package preprocess
