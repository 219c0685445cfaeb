// Package dicom reads clinical inputs: DICOM image series as volumes with
// world geometry, RT Structure Sets (RTSTRUCT) rasterised on an image grid,
// and DICOM Segmentations (SEG) as one binary mask per segment.
//
// # Parsing
//
// Files are parsed here, element by element, with the data dictionary and
// UID table of github.com/suyashkumar/dicom (pkg/tag, pkg/uid) for implicit
// VR and for messages. Its own parser is not used: it logs to standard
// error, allocates a declared value length before checking that the file
// holds it, and keeps every pixel as a Go slice. Here every declared length
// is checked against the bytes left before anything is taken, values are
// sub-slices of the file, sequences nest at most 64 deep, and a file is at
// most MaxFileBytes; the volume itself is checked against
// volume.MaxVoxels and scirad's memory budget before it is allocated. Every
// error is one line naming the file and the element.
//
// Transfer syntaxes: implicit VR little endian, explicit VR little and big
// endian, deflated explicit VR little endian, and files without a preamble
// or meta group (implicit little endian unless the first element says
// otherwise). Encapsulated pixel data is decoded for RLE Lossless and 8-bit
// JPEG Baseline (Go's image/jpeg); any other compressed syntax (JPEG
// Lossless, JPEG-LS, JPEG 2000, …) is a one-line error naming the syntax.
//
// # Image series
//
// ReadSeries takes a folder (searched recursively; files that are not
// DICOM are skipped, a damaged DICOM file is an error) or a list of files.
// Files are grouped by SeriesInstanceUID; RTSTRUCT, SEG, RT plan/dose and
// SR series are not images. When several image series remain,
// Options.Series chooses one by UID, SeriesNumber or SeriesDescription,
// and the error otherwise lists them all.
//
// Every frame of the series — each single-frame file, or each frame of an
// enhanced multi-frame file through its per-frame and shared functional
// groups (PlanePosition, PlaneOrientation, PixelMeasures,
// PixelValueTransformation) — must share ImageOrientationPatient (within
// 1e-4) and PixelSpacing. With row direction r and column direction c
// (ImageOrientationPatient) and normal n = r × c, frames are sorted by
// ImagePositionPatient · n; two frames at one position are refused (several
// stacks or echoes in one series), the gaps between neighbours must agree
// within SpacingTolerance (1 %) of their median, else the error names the
// two slices furthest from it and their gap, and the positions must move
// along n (a gantry tilt is refused). The volume is then
//
//	voxel (i, j, k) = column i, row j of the k-th frame along n
//	Origin    = ImagePositionPatient of the first frame
//	Spacing   = (PixelSpacing[1], PixelSpacing[0], mean gap)
//	Direction = columns r, c, n
//
// in LPS millimetres, the convention of package volume and of the NIfTI and
// NRRD codecs. The index grid is thus always right-handed, as ITK's
// series reader (and so pyradiomics on DICOM) and IBSI's NIfTI copy of its
// phantom have it; InstanceNumber is not used (IBSI's runs against the
// slice positions, plastimatch's with them). A left-handed NIfTI copied to
// DICOM therefore reads with its slice axis reversed: the same voxels in
// world space, but mesh-based shape features (MeshVolume, SurfaceArea and
// the two derived from them) are not invariant under that mirroring and
// may differ in the fourth digit (they do on a toy cord, also between the
// NIfTI and its mirror written by nibabel; not on the spine test cases).
// A single frame takes SpacingBetweenSlices, else SliceThickness, else
// 1 mm as its slice spacing. Stored values are read as BitsAllocated,
// BitsStored, HighBit and PixelRepresentation say (sign-extended from
// BitsStored), then RescaleSlope and RescaleIntercept (per frame where
// they differ) are applied. Colour images are refused.
//
// # RTSTRUCT rasterisation
//
// Each ROI (StructureSetROISequence) is rasterised on the image grid, one
// slice at a time. A CLOSED_PLANAR contour's points are mapped to
// continuous voxel indices; they must all lie within SliceTolerance (0.1
// of a slice) of one slice k of the grid, and k must be inside it — else the
// contour is refused with an error naming the ROI and the index it lies
// at. On that slice the voxel centre (i, j) is inside the polygon by the
// crossing rule: the edges that cross the row y = j (half-open: exactly one
// end strictly above it) are cut at x, and the centre is inside when an
// odd number of cuts lie at x > i — so a centre on a left edge is in and on
// a right edge out. The fills of all contours of the ROI on one slice are
// combined by exclusive or (even–odd), so a contour inside another is a
// hole and a contour inside a hole is an island. A contour whose two ends
// lie on the edge of the image, more than 1.5 voxels apart, is a structure
// that crosses the image's edge written as a curve from edge to edge
// (plastimatch does so): it is continued by the open contour of its slice
// that starts nearest its end, so the joined polygon runs along the image's
// edge instead of cutting across the structure; its points on the centres
// of edge voxels move half a voxel out of the image, so that those voxels
// count as inside. POINT and OPEN_PLANAR
// contours enclose nothing and are ignored. The grid is the one the caller
// gives, or else the referenced series' (ReferencedGrid: read earlier in
// this process, or found in the RTSTRUCT's folder or its parent).
//
// # DICOM-SEG
//
// Each segment of SegmentSequence becomes its own binary mask, so
// overlapping segments stay apart. Each frame is placed by its
// PlanePositionSequence and ReferencedSegmentNumber; BINARY frames are bit
// packed (BitsAllocated 1), FRACTIONAL frames cover a voxel where the
// value is at least FractionalThreshold (0.5) of MaximumFractionalValue.
// The grid is the caller's (the image's: frames must lie on its voxels)
// or the one the frames span.
//
// # Speed
//
// Reading the IBSI CT phantom (60 slices of 204×201, 5 MB; the benchmarks
// in bench_test.go, 5 interleaved rounds of 10 on the 2-core CI machine,
// medians) takes 27 ms; Debian's dcm2niix v1.0.20220720 converting the
// same series to an uncompressed NIfTI takes 37 ms, scirad's read plus
// NIfTI write 60 ms.
//
// Mapping segment names to scirad's labels (injured cord = 1, rest of the
// cord = 2) is done by package volio, as for Slicer's .seg.nrrd.
package dicom
