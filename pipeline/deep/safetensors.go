package deep

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// Tensor is a dense float32 array in row-major (C) order.
type Tensor struct {
	Shape []int
	Data  []float32
}

// size is the number of elements of shape.
func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// maxSafetensorsHeader bounds the JSON header: a header larger than this is
// corrupt, and refusing it avoids a huge allocation.
const maxSafetensorsHeader = 100 << 20

type safetensorsEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// ReadSafetensors reads every tensor of a safetensors file
// (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
// length, a JSON header mapping names to dtype, shape and byte offsets into
// the data block, then the raw little-endian data. F32, F64, F16 and BF16
// tensors are converted to float32; integer tensors (torchvision's
// num_batches_tracked) are skipped. Errors name the file and the tensor.
func ReadSafetensors(path string) (map[string]Tensor, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	out, err := readSafetensors(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

func readSafetensors(r io.ReaderAt, fileSize int64) (map[string]Tensor, error) {
	var lenBuf [8]byte
	if _, err := r.ReadAt(lenBuf[:], 0); err != nil {
		return nil, errors.New("safetensors: file shorter than its 8-byte header length")
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen > maxSafetensorsHeader || int64(hlen) > fileSize-8 {
		return nil, fmt.Errorf("safetensors: header length %d is larger than the file (%d bytes) allows", hlen, fileSize)
	}
	header := make([]byte, hlen)
	if _, err := r.ReadAt(header, 8); err != nil {
		return nil, fmt.Errorf("safetensors: reading header: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, fmt.Errorf("safetensors: header is not JSON: %w", err)
	}
	dataStart := 8 + int64(hlen)
	out := make(map[string]Tensor, len(raw))
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		var e safetensorsEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: bad header entry: %w", name, err)
		}
		var width int64
		switch e.DType {
		case "F32":
			width = 4
		case "F64":
			width = 8
		case "F16", "BF16":
			width = 2
		case "I64", "I32", "I16", "I8", "U8", "BOOL":
			continue
		default:
			return nil, fmt.Errorf("safetensors: tensor %q: unsupported dtype %q", name, e.DType)
		}
		n := int64(1)
		for _, d := range e.Shape {
			if d < 0 || d > 1<<31 {
				return nil, fmt.Errorf("safetensors: tensor %q: bad dimension %d", name, d)
			}
			n *= int64(d)
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end-begin != n*width || dataStart+end > fileSize {
			return nil, fmt.Errorf("safetensors: tensor %q: data offsets [%d, %d] do not fit shape %v × %s in a %d-byte file",
				name, begin, end, e.Shape, e.DType, fileSize)
		}
		buf := make([]byte, end-begin)
		if _, err := r.ReadAt(buf, dataStart+begin); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		data := make([]float32, n)
		for i := range data {
			switch e.DType {
			case "F32":
				data[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
			case "F64":
				data[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
			case "BF16":
				data[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
			case "F16":
				data[i] = halfToFloat(binary.LittleEndian.Uint16(buf[2*i:]))
			}
		}
		out[name] = Tensor{Shape: slices.Clone(e.Shape), Data: data}
	}
	return out, nil
}

// halfToFloat converts an IEEE 754 binary16 value to float32.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: mant × 2^-24
		f := float32(mant) * float32(math.Ldexp(1, -24))
		if sign != 0 {
			f = -f
		}
		return f
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// WriteSafetensors writes tensors as F32 in the safetensors format, names in
// sorted order, with optional string metadata.
func WriteSafetensors(w io.Writer, tensors map[string]Tensor, metadata map[string]string) error {
	names := make([]string, 0, len(tensors))
	for n := range tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	var hdr strings.Builder
	hdr.WriteByte('{')
	if len(metadata) > 0 {
		m, err := json.Marshal(metadata)
		if err != nil {
			return err
		}
		fmt.Fprintf(&hdr, "%q:%s,", "__metadata__", m)
	}
	var off int64
	for i, n := range names {
		t := tensors[n]
		if size(t.Shape) != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v holds %d values, data has %d", n, t.Shape, size(t.Shape), len(t.Data))
		}
		shape, _ := json.Marshal(append([]int{}, t.Shape...))
		key, _ := json.Marshal(n)
		if i > 0 {
			hdr.WriteByte(',')
		}
		end := off + 4*int64(len(t.Data))
		fmt.Fprintf(&hdr, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, key, shape, off, end)
		off = end
	}
	hdr.WriteByte('}')
	h := []byte(hdr.String())
	for len(h)%8 != 0 { // the format recommends 8-byte alignment of the data block
		h = append(h, ' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(h)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return err
	}
	if _, err := w.Write(h); err != nil {
		return err
	}
	for _, n := range names {
		d := tensors[n].Data
		buf := make([]byte, 4*len(d))
		for i, v := range d {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}
