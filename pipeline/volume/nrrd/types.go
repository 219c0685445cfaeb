package nrrd

import (
	"encoding/binary"
	"math"
	"strings"
)

// Type is a NRRD element type, by its canonical name.
type Type string

// The element types scirad reads and writes.
const (
	Int8    Type = "int8"
	Uint8   Type = "uint8"
	Int16   Type = "int16"
	Uint16  Type = "uint16"
	Int32   Type = "int32"
	Uint32  Type = "uint32"
	Int64   Type = "int64"
	Uint64  Type = "uint64"
	Float32 Type = "float"
	Float64 Type = "double"
)

// typeNames maps every spelling the NRRD definition allows to the
// canonical type.
var typeNames = map[string]Type{
	"signed char": Int8, "int8": Int8, "int8_t": Int8,
	"uchar": Uint8, "unsigned char": Uint8, "uint8": Uint8, "uint8_t": Uint8,
	"short": Int16, "short int": Int16, "signed short": Int16, "signed short int": Int16, "int16": Int16, "int16_t": Int16,
	"ushort": Uint16, "unsigned short": Uint16, "unsigned short int": Uint16, "uint16": Uint16, "uint16_t": Uint16,
	"int": Int32, "signed int": Int32, "int32": Int32, "int32_t": Int32,
	"uint": Uint32, "unsigned int": Uint32, "uint32": Uint32, "uint32_t": Uint32,
	"longlong": Int64, "long long": Int64, "long long int": Int64, "signed long long": Int64,
	"signed long long int": Int64, "int64": Int64, "int64_t": Int64,
	"ulonglong": Uint64, "unsigned long long": Uint64, "unsigned long long int": Uint64, "uint64": Uint64, "uint64_t": Uint64,
	"float": Float32, "double": Float64,
}

func parseType(s string) (Type, bool) {
	t, ok := typeNames[strings.ToLower(strings.Join(strings.Fields(s), " "))]
	return t, ok
}

// Size is the number of bytes per element, 0 for an unknown type.
func (t Type) Size() int {
	switch t {
	case Int8, Uint8:
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

// integer returns the range [lo, end) of an integer type.
func (t Type) integer() (lo, end float64, ok bool) {
	switch t {
	case Int8:
		return -1 << 7, 1 << 7, true
	case Uint8:
		return 0, 1 << 8, true
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

// decodeSamples converts len(dst) elements of type t from src (exactly
// len(dst)*t.Size() bytes, byte order bo).
func decodeSamples(dst []float64, src []byte, t Type, bo binary.ByteOrder) {
	switch t {
	case Int8:
		for i := range dst {
			dst[i] = float64(int8(src[i]))
		}
	case Uint8:
		for i := range dst {
			dst[i] = float64(src[i])
		}
	case Int16:
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
	case Int64:
		for i := range dst {
			dst[i] = float64(int64(bo.Uint64(src[8*i:])))
		}
	case Uint64:
		for i := range dst {
			dst[i] = float64(bo.Uint64(src[8*i:]))
		}
	case Float32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(bo.Uint32(src[4*i:])))
		}
	case Float64:
		for i := range dst {
			dst[i] = math.Float64frombits(bo.Uint64(src[8*i:]))
		}
	default:
		panic("nrrd: decodeSamples of type " + string(t))
	}
}

// encodeSamples is the inverse of decodeSamples for values that fit t.
func encodeSamples(dst []byte, src []float64, t Type, bo binary.ByteOrder) {
	switch t {
	case Int8, Uint8:
		for i, x := range src {
			if t == Int8 {
				dst[i] = uint8(int8(x))
			} else {
				dst[i] = uint8(x)
			}
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
	case Int64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], uint64(int64(x)))
		}
	case Uint64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], uint64(x))
		}
	case Float32:
		for i, x := range src {
			bo.PutUint32(dst[4*i:], math.Float32bits(float32(x)))
		}
	case Float64:
		for i, x := range src {
			bo.PutUint64(dst[8*i:], math.Float64bits(x))
		}
	default:
		panic("nrrd: encodeSamples of type " + string(t))
	}
}
