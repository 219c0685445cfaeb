// Package nifti reads and writes NIfTI-1 and NIfTI-2 single-file images
// (.nii, and .nii.gz when gzip-compressed) as scirad volumes.
//
// It is the image input of the paper's pipeline (Lin et al., Sci Rep 2025,
// "MRI acquisition and segmentation"): the sagittal T2 images and the
// lesion/cord masks arrive as NIfTI, and every preprocessed image is written
// back as NIfTI.
//
// The API has the shape of image/png: Decode and DecodeHeader read from an
// io.Reader (plain or gzip, sniffed from the gzip magic), Encode writes with
// Options, and ReadFile and WriteFile wrap them for paths. Malformed input
// returns a *FormatError naming the header field; it never panics, and the
// voxel array is never allocated from an unchecked header.
//
// # Geometry
//
// The voxel-to-world affine A (RAS+, mm) is chosen as nibabel 5's
// Nifti1Header.get_best_affine does:
//
//   - sform_code 1..5: A is the srow_x, srow_y, srow_z rows;
//   - else qform_code 1..5: A = [R · diag(pixdim1, pixdim2, qfac·pixdim3) | qoffset],
//     with R the rotation of the unit quaternion (a, b, c, d),
//     a = √(1 − b² − c² − d²), and qfac = −1 when pixdim[0] < 0, else 1;
//   - else (both codes 0, "ANALYZE" method): A = diag(−pixdim1, pixdim2, pixdim3)
//     with the volume centre at the world origin, nibabel's get_base_affine.
//     (nifti1_io and ITK put voxel 0 at the origin instead; nibabel is the
//     reference here.)
//
// Codes outside 0..5 count as 0, as nibabel's header check resets them.
//
// The volume's spacing is the norm of each of the first three columns of
// A, its direction matrix those columns divided by their norms (so an
// oblique or sheared affine is kept exactly), and its origin the
// translation column. NIfTI's world frame is RAS and scirad's is LPS, so
// the first two rows of A are negated on reading and again on writing.
// Negative or zero pixdim[1..3] are read as |pixdim| and 1, as nibabel's
// header fixer does.
//
// # Intensities
//
// Datatypes uint8, int8, int16, uint16, int32, uint32, int64, uint64,
// float32 and float64 are read, little- or big-endian (detected from
// sizeof_hdr). Values are scaled as x·scl_slope + scl_inter unless
// scl_slope is 0 or not finite, which means "no scaling" (NIfTI-1 standard,
// nibabel). Complex, RGB and bit datatypes are refused.
//
// Only 3D data are read: a 2D image becomes one slice (dim[3] = 1), and a
// file with dim[0] > 3 is accepted only if every dimension past the third
// is 1; a 4D or 5D file holding more than one volume is an error (scirad
// never needs time series, and silently taking the first volume would hide
// a wrong input). Header/image pairs (.hdr/.img, magic "ni1") are not
// supported.
//
// # Writing
//
// Encode writes one volume with its affine in both the sform and the qform
// (codes 1, "scanner anatomical"); a direction matrix that is not a
// rotation or reflection (a shear) is written as sform only. Integer
// datatypes require integral voxel values in range; nothing is rescaled.
// Compressed files use gzip level 1, nibabel's default.
package nifti
