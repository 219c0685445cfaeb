package nifti

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Datatype is a NIfTI datatype code (the header's datatype field).
type Datatype int16

// The datatypes scirad reads. Codes are those of nifti1.h.
const (
	Uint8   Datatype = 2
	Int16   Datatype = 4
	Int32   Datatype = 8
	Float32 Datatype = 16
	Float64 Datatype = 64
	Int8    Datatype = 256
	Uint16  Datatype = 512
	Uint32  Datatype = 768
	Int64   Datatype = 1024
	Uint64  Datatype = 1280
)

var datatypeNames = map[Datatype]string{
	1: "binary", Uint8: "uint8", Int16: "int16", Int32: "int32", Float32: "float32",
	32: "complex64", Float64: "float64", 128: "rgb24", Int8: "int8", Uint16: "uint16",
	Uint32: "uint32", Int64: "int64", Uint64: "uint64", 1536: "float128",
	1792: "complex128", 2048: "complex256", 2304: "rgba32",
}

// String is the nifti1.h name of the datatype, or its code.
func (d Datatype) String() string {
	if s, ok := datatypeNames[d]; ok {
		return s
	}
	return fmt.Sprintf("datatype(%d)", int16(d))
}

// Size is the number of bytes per voxel, or 0 if scirad does not read the
// datatype.
func (d Datatype) Size() int {
	switch d {
	case Uint8, Int8:
		return 1
	case Int16, Uint16:
		return 2
	case Int32, Uint32, Float32:
		return 4
	case Int64, Uint64, Float64:
		return 8
	}
	return 0
}

// integer reports whether d holds integers, with its range [lo, end):
// end is exclusive so that it is exact in float64 for the 64-bit types too.
func (d Datatype) integer() (lo, end float64, ok bool) {
	switch d {
	case Uint8:
		return 0, 1 << 8, true
	case Int8:
		return -1 << 7, 1 << 7, true
	case Int16:
		return -1 << 15, 1 << 15, true
	case Uint16:
		return 0, 1 << 16, true
	case Int32:
		return -1 << 31, 1 << 31, true
	case Uint32:
		return 0, 1 << 32, true
	case Int64:
		return -1 << 63, 1 << 63, true
	case Uint64:
		return 0, 1 << 64, true
	}
	return 0, 0, false
}

// decodeSamples converts len(dst) voxels of type d from src, which holds
// exactly len(dst)*d.Size() bytes in byte order bo.
func decodeSamples(dst []float64, src []byte, d Datatype, bo binary.ByteOrder) {
	switch d {
	case Uint8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case Int16:
		if bo == binary.LittleEndian {
			for i := range dst {
				dst[i] = float64(int16(binary.LittleEndian.Uint16(src[2*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = float64(int16(bo.Uint16(src[2*i:])))
		}
	case Uint16:
		for i := range dst {
			dst[i] = float64(bo.Uint16(src[2*i:]))
		}
	case Int32:
		for i := range dst {
			dst[i] = float64(int32(bo.Uint32(src[4*i:])))
		}
	case Uint32:
		for i := range dst {
			dst[i] = float64(bo.Uint32(src[4*i:]))
		}
	case Float32:
		if bo == binary.LittleEndian {
			for i := range dst {
				dst[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = float64(math.Float32frombits(bo.Uint32(src[4*i:])))
		}
	case Int64:
		for i := range dst {
			dst[i] = float64(int64(bo.Uint64(src[8*i:])))
		}
	case Uint64:
		for i := range dst {
			dst[i] = float64(bo.Uint64(src[8*i:]))
		}
	case Float64:
		for i := range dst {
			dst[i] = math.Float64frombits(bo.Uint64(src[8*i:]))
		}
	default:
		panic("nifti: decodeSamples of unsupported datatype " + d.String())
	}
}

// encodeSamples is the inverse of decodeSamples; the caller has checked
// that every value fits d.
func encodeSamples(dst []byte, src []float64, d Datatype, bo binary.ByteOrder) {
	switch d {
	case Uint8:
		for i, x := range src {
			dst[i] = uint8(x)
		}
	case Int8:
		for i, x := range src {
			dst[i] = uint8(int8(x))
		}
	case Int16:
		for i, x := range src {
			bo.PutUint16(dst[2*i:], uint16(int16(x)))
		}
	case Uint16:
		for i, x := range src {
			bo.PutUint16(dst[2*i:], uint16(x))
		}
	case Int32:
		for i, x := range src {
			bo.PutUint32(dst[4*i:], uint32(int32(x)))
		}
	case Uint32:
		for i, x := range src {
			bo.PutUint32(dst[4*i:], uint32(x))
		}
	case Float32:
		for i, x := range src {
			bo.PutUint32(dst[4*i:], math.Float32bits(float32(x)))
		}
	case Int64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], uint64(int64(x)))
		}
	case Uint64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], uint64(x))
		}
	case Float64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], math.Float64bits(x))
		}
	default:
		panic("nifti: encodeSamples of unsupported datatype " + d.String())
	}
}
