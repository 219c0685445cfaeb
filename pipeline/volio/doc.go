// Package volio reads and writes scirad's images and label maps by file
// name, dispatching on the extension to the NIfTI and NRRD codecs:
//
//	.nii, .nii.gz          NIfTI-1/2 (package nifti)
//	.nrrd, .nhdr           NRRD, attached or detached (package nrrd)
//	.seg.nrrd              3D Slicer segmentation (nrrd.ReadSegmentation)
//	a folder               a DICOM image series (package dicom); "dir#X"
//	                       picks series X (UID, number or description)
//	.dcm, or a DICOM file  an image (multi-frame) for ReadImage; an
//	                       RTSTRUCT or DICOM-SEG for the label-map readers
//
// Extensions are matched without regard to case. It implements the file
// side of the data contract in docs/contract.md ("images/…", "masks/…"): every
// stage that takes a path (the CLI, the cohort loader, notebooks) goes
// through ReadImage and ReadLabelMap, so all formats behave alike.
//
// # Label maps
//
// A label map holds 1 for the injured cord ("segmentation 1" in Lin et al.,
// Sci Rep 2025) and 2 for the rest of the cord ("segmentation 2"). A NIfTI
// or NRRD mask is read as is; its values must be whole numbers.
//
// A Slicer .seg.nrrd (or a .nrrd whose header has Segment0_* key:=value
// pairs) is mapped to those labels by segment name, compared
// without regard to case, with "_" and "-" read as spaces:
//
//   - label 1: a name containing "lesion", "injur", "oedema" or "edema", or
//     equal to "segmentation 1" or "segment 1";
//   - label 2: otherwise a name containing "cord", or equal to
//     "segmentation 2" or "segment 2".
//
// Segments whose names say neither take the labels the names left free,
// in file order, so two unnamed segments are 1 then 2. Two segments whose
// names clash (two lesions) are taken in file order too. A file with more
// than two segments must name exactly one lesion and one cord segment (the
// others are then ignored); a file with one segment gives label 1 unless its name says cord. Where the
// two segments overlap (Slicer's layered layout, or a cord segment drawn
// over the lesion), the voxel is label 1: label 2 is the cord minus the
// lesion.
//
// An RTSTRUCT or DICOM-SEG follows the same name mapping, its ROI names
// (ROIName) or segment labels (SegmentLabel) read as segment names, each ROI
// rasterised as package dicom describes. ReadLabelMapOn rasterises an
// RTSTRUCT on the image grid it is given; ReadLabelMap uses the grid of the
// series the RTSTRUCT references (read earlier by ReadImage, or found in
// the RTSTRUCT's folder or its parent). ReadSegments keeps every ROI
// apart, overlapping segments included, for per-label extraction.
//
// # Writing
//
// WriteImage picks the narrowest exact datatype: uint8 or int16 when every
// voxel is a whole number in range (masks, integer MRI), else float32
// (preprocessed images; float32 keeps 7 significant digits). Files are
// written to a temporary name and renamed.
package volio
