// Package volume defines scirad's 3D image type and its geometry: a flat
// voxel array with dimensions, spacing, origin and direction cosines, the
// transforms between voxel indices and physical coordinates, same-grid
// checks, bounding-box cropping and label extraction from a label map.
//
// It implements the "3D ROI" data model of Lin et al. (Sci Rep 2025):
// every later stage (preprocessing, radiomics, deep slices) reads volumes
// and masks through this type.
//
// # Conventions
//
// Voxels are stored x fastest: the voxel (i, j, k) is Data[i + Nx*(j + Ny*k)],
// the layout of NIfTI and NRRD files, so reading needs no transposition.
//
// Physical coordinates are in millimetres in the LPS frame used by ITK,
// SimpleITK and hence pyradiomics (x grows to the patient's left, y to the
// posterior, z to the superior). NIfTI stores RAS affines; its codec flips the
// first two axes on the way in and out. The voxel (i, j, k) lies at
//
//	p = Origin + D · diag(Spacing) · (i, j, k)ᵀ
//
// where D is the 3×3 direction matrix whose column c is the unit vector of
// index axis c (Direction is stored row-major, D[r][c] = Direction[3r+c]).
//
// Intensities are float64 whatever the file's datatype, as pyradiomics
// computes in float64; a volume of 512×512×24 voxels takes 50 MB.
package volume
