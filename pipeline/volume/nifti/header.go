package nifti

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// Header sizes and magic strings of the two versions.
const (
	sizeV1   = 348
	sizeV2   = 540
	offsetV1 = 352 // header + 4-byte extension flag
	offsetV2 = 544
)

var (
	magicV1 = []byte("n+1\x00")
	pairV1  = []byte("ni1\x00")
	magicV2 = []byte("n+2\x00\r\n\x1a\n")
	pairV2  = []byte("ni2\x00\r\n\x1a\n")
)

// Header is the part of a NIfTI-1 or NIfTI-2 header that scirad uses, in
// the wider NIfTI-2 types.
type Header struct {
	Version    int              // 1 or 2
	ByteOrder  binary.ByteOrder // detected from sizeof_hdr
	Dim        [8]int64         // dim[0] = number of dimensions, dim[1..] = sizes
	Datatype   Datatype
	Bitpix     int16
	Pixdim     [8]float64 // pixdim[0] = qfac; pixdim[1..3] = voxel size
	VoxOffset  int64      // byte offset of the voxel data
	SclSlope   float64
	SclInter   float64
	XYZTUnits  uint8
	QformCode  int32
	SformCode  int32
	Quatern    [3]float64 // quatern_b, quatern_c, quatern_d
	Qoffset    [3]float64 // qoffset_x, qoffset_y, qoffset_z
	Srow       [3][4]float64
	Descrip    string
	IntentCode int32
}

// parseHeader decodes the first sizeV1 or sizeV2 bytes. b must hold at
// least 4 bytes; more are requested through need when the version is known.
func parseHeader(first []byte, need func(n int) ([]byte, error)) (*Header, error) {
	if len(first) < 4 {
		return nil, formatErr("sizeof_hdr", "file too short for a NIfTI header")
	}
	h := &Header{}
	le, be := binary.LittleEndian.Uint32(first), binary.BigEndian.Uint32(first)
	switch {
	case le == sizeV1:
		h.Version, h.ByteOrder = 1, binary.LittleEndian
	case be == sizeV1:
		h.Version, h.ByteOrder = 1, binary.BigEndian
	case le == sizeV2:
		h.Version, h.ByteOrder = 2, binary.LittleEndian
	case be == sizeV2:
		h.Version, h.ByteOrder = 2, binary.BigEndian
	default:
		return nil, formatErr("sizeof_hdr", "is %d, want 348 (NIfTI-1) or 540 (NIfTI-2): not a NIfTI file", int32(le))
	}
	size := sizeV1
	if h.Version == 2 {
		size = sizeV2
	}
	b, err := need(size)
	if err != nil {
		return nil, formatErr("header", "truncated: want %d header bytes: %v", size, err)
	}
	if h.Version == 1 {
		err = h.parseV1(b)
	} else {
		err = h.parseV2(b)
	}
	if err != nil {
		return nil, err
	}
	return h, h.validate()
}

func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSpace(string(b))
}

func (h *Header) parseV1(b []byte) error {
	bo := h.ByteOrder
	i16 := func(off int) int16 { return int16(bo.Uint16(b[off:])) }
	f32 := func(off int) float64 { return float64(math.Float32frombits(bo.Uint32(b[off:]))) }
	magic := b[344:348]
	switch {
	case bytes.Equal(magic, pairV1):
		return formatErr("magic", `is "ni1" (separate .hdr/.img pair): only single-file NIfTI ("n+1") is supported`)
	case !bytes.Equal(magic, magicV1):
		return formatErr("magic", "is %q, want \"n+1\"", cstring(magic))
	}
	for k := range 8 {
		h.Dim[k] = int64(i16(40 + 2*k))
		h.Pixdim[k] = f32(76 + 4*k)
	}
	h.IntentCode = int32(i16(68))
	h.Datatype = Datatype(i16(70))
	h.Bitpix = i16(72)
	vo := f32(108)
	if math.IsNaN(vo) || vo != math.Trunc(vo) || vo < 0 || vo > 1<<40 {
		return formatErr("vox_offset", "is %g, want a whole number of bytes", vo)
	}
	h.VoxOffset = int64(vo)
	h.SclSlope = f32(112)
	h.SclInter = f32(116)
	h.XYZTUnits = b[123]
	h.Descrip = cstring(b[148:228])
	h.QformCode = int32(i16(252))
	h.SformCode = int32(i16(254))
	for k := range 3 {
		h.Quatern[k] = f32(256 + 4*k)
		h.Qoffset[k] = f32(268 + 4*k)
	}
	for r := range 3 {
		for c := range 4 {
			h.Srow[r][c] = f32(280 + 16*r + 4*c)
		}
	}
	return nil
}

func (h *Header) parseV2(b []byte) error {
	bo := h.ByteOrder
	f64 := func(off int) float64 { return math.Float64frombits(bo.Uint64(b[off:])) }
	i64 := func(off int) int64 { return int64(bo.Uint64(b[off:])) }
	magic := b[4:12]
	switch {
	case bytes.Equal(magic, pairV2):
		return formatErr("magic", `is "ni2" (separate .hdr/.img pair): only single-file NIfTI ("n+2") is supported`)
	case !bytes.Equal(magic, magicV2):
		return formatErr("magic", "is %q, want \"n+2\\0\\r\\n\\032\\n\"", magic)
	}
	h.Datatype = Datatype(bo.Uint16(b[12:]))
	h.Bitpix = int16(bo.Uint16(b[14:]))
	for k := range 8 {
		h.Dim[k] = i64(16 + 8*k)
		h.Pixdim[k] = f64(104 + 8*k)
	}
	h.VoxOffset = i64(168)
	h.SclSlope = f64(176)
	h.SclInter = f64(184)
	h.Descrip = cstring(b[240:320])
	h.QformCode = int32(bo.Uint32(b[344:]))
	h.SformCode = int32(bo.Uint32(b[348:]))
	for k := range 3 {
		h.Quatern[k] = f64(352 + 8*k)
		h.Qoffset[k] = f64(376 + 8*k)
	}
	for r := range 3 {
		for c := range 4 {
			h.Srow[r][c] = f64(400 + 32*r + 8*c)
		}
	}
	h.XYZTUnits = uint8(bo.Uint32(b[500:]))
	h.IntentCode = int32(bo.Uint32(b[504:]))
	return nil
}

// validate checks everything Decode relies on before it allocates.
func (h *Header) validate() error {
	nd := h.Dim[0]
	if nd < 1 || nd > 7 {
		return formatErr("dim[0]", "is %d, want 1..7", nd)
	}
	for k := int64(1); k <= nd; k++ {
		if h.Dim[k] < 1 {
			return formatErr(fmt.Sprintf("dim[%d]", k), "is %d, want ≥ 1", h.Dim[k])
		}
		if k > 3 && h.Dim[k] != 1 {
			return formatErr(fmt.Sprintf("dim[%d]", k), "is %d: only 3D images are supported (4D/5D files must hold one volume)", h.Dim[k])
		}
	}
	if _, err := h.voxels(); err != nil {
		return err
	}
	if h.Datatype.Size() == 0 {
		return formatErr("datatype", "%v (code %d) is not supported; want uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32 or float64", h.Datatype, int16(h.Datatype))
	}
	min := int64(sizeV1)
	if h.Version == 2 {
		min = sizeV2
	}
	if h.VoxOffset < min {
		return formatErr("vox_offset", "is %d, want ≥ %d (the header size)", h.VoxOffset, min)
	}
	if s := h.SclSlope; s != 0 && !math.IsNaN(s) && !math.IsInf(s, 0) && (math.IsNaN(h.SclInter) || math.IsInf(h.SclInter, 0)) {
		return formatErr("scl_inter", "is %g with scl_slope %g: want a finite intercept", h.SclInter, s)
	}
	return nil
}

// Dims is the 3D size of the image: dim[1..3], with 1 for a missing axis.
func (h *Header) Dims() [3]int {
	d := [3]int{1, 1, 1}
	for k := 0; k < 3 && int64(k) < h.Dim[0]; k++ {
		d[k] = int(h.Dim[k+1])
	}
	return d
}

// voxels is the voxel count, refused beyond volume.MaxVoxels.
func (h *Header) voxels() (int, error) {
	n := int64(1)
	for k, d := range h.Dims() {
		if int64(d) > maxVoxels || n*int64(d) > maxVoxels {
			return 0, formatErr(fmt.Sprintf("dim[%d]", k+1), "dims %v hold more than %d voxels", h.Dim[1:h.Dim[0]+1], maxVoxels)
		}
		n *= int64(d)
	}
	return int(n), nil
}

// Scaling returns the slope and intercept applied to stored values, and
// whether scaling applies (scl_slope neither 0 nor non-finite).
func (h *Header) Scaling() (slope, inter float64, ok bool) {
	s := h.SclSlope
	if s == 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return 1, 0, false
	}
	return s, h.SclInter, true
}
