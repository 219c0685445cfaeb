// Package nrrd reads and writes NRRD images (teem's "nearly raw raster
// data": attached .nrrd and detached .nhdr headers) and reads 3D Slicer
// segmentations (.seg.nrrd) as scirad volumes.
//
// It is the second image input of the paper's pipeline (Lin et al., Sci
// Rep 2025, "MRI acquisition and segmentation": the masks were drawn in 3D
// Slicer, whose native format is NRRD), and it reads pyradiomics' own test
// images. The API has the shape of image/png: Decode and DecodeHeader read
// from an io.Reader, Encode writes with Options, and ReadFile and
// WriteFile wrap them for paths; ReadFile also follows a detached header's
// "data file". Malformed input returns a *FormatError naming the field; it
// never panics, and the data array is never allocated from an unchecked
// header (volume.MaxVoxels bounds the element count before any
// allocation, and memory then grows only as data arrive).
//
// # What is read
//
// Following the NRRD0001–NRRD0005 format definition
// (https://teem.sourceforge.net/nrrd/format.html):
//
//   - type: every integer type from int8 to uint64, float and double, under
//     any of their spellings ("short", "signed short int", "int16_t"…);
//     "block" is refused.
//   - encoding: raw, gzip (gz), bzip2 (bz2) and text (txt, ascii); hex is
//     refused.
//   - endian: little or big (required for multi-byte raw data).
//   - line skip and byte skip (byte skip −1: the data are the last bytes
//     of the raw file or of the decompressed stream, as teem reads them).
//   - data file: one detached file, its name relative to the header's
//     directory (ReadFile only); LIST and formatted multi-file forms are
//     refused.
//   - space (LPS, RAS, LAS and their long and "-time" names; scanner-xyz
//     and 3D-right/left-handed are read as LPS, unconverted) or space
//     dimension, space directions ("none" marks a non-spatial axis), space
//     origin; without space directions, spacings and an identity
//     direction, origin 0.
//   - key:=value pairs, kept in order.
//
// # Geometry
//
// The spatial axes (those with a space direction, else those of kind
// domain/space, else all) become the volume's i, j, k in file order.
// Spacing is the norm of each space direction and the direction matrix its
// normalised columns. RAS and LAS coordinates are converted to scirad's LPS
// by negating x and y (RAS) or y (LAS). A 2D image becomes one slice.
// Decode refuses a non-spatial axis longer than 1 (vector or multi-layer
// data); ReadSegmentation reads those.
//
// # Slicer segmentations
//
// A .seg.nrrd is a NRRD whose key:=value pairs describe segments:
// Segment<N>_ID, _Name, _LabelValue and _Layer. In the "label-map" layout
// (3D, one layer) each voxel holds the label value of its segment; in the
// overlapping layout the first axis (kind list) holds one layer per
// element, and a segment is the voxels of its layer equal to its label
// value. Files from Slicer before 4.11 have no _LabelValue/_Layer keys:
// each segment then is layer N with value 1 (4D) or value N+1 (3D).
//
// # Writing
//
// Encode writes an attached NRRD0004 header (type, dimension 3,
// left-posterior-superior space, sizes, space directions, kinds, endian
// little, encoding, space origin) with floats printed so that they
// round-trip exactly, followed by raw or gzip data.
package nrrd
