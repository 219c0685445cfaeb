package nifti

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volume"
)

// FormatError reports a malformed or unsupported NIfTI file.
type FormatError struct {
	File  string // the path, set by ReadFile; empty from Decode
	Field string // the header field at fault ("dim[4]", "datatype", "data"…)
	Msg   string
}

func (e *FormatError) Error() string {
	s := "nifti: " + e.Field + ": " + e.Msg
	if e.File != "" {
		s = e.File + ": " + s
	}
	return s
}

func formatErr(field, format string, args ...any) *FormatError {
	return &FormatError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// withFile names path in a FormatError, or prefixes other errors with it.
func withFile(path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		c := *fe
		c.File = path
		return &c
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// bufSize is the read buffer: large reads keep the gzip decoder busy.
const bufSize = 1 << 20

// stream opens r for header and data reads: a buffered reader over the
// plain or the gunzipped bytes.
//
// limit is an upper bound on the bytes the stream can yield, from the
// input's size when it is known (maxInflate times it for gzip), else −1.
func stream(r io.Reader) (br *bufio.Reader, check func() error, limit int64, err error) {
	limit = inputSize(r)
	br = bufio.NewReaderSize(r, bufferFor(limit))
	magic, err := br.Peek(2)
	if err != nil && len(magic) < 2 {
		return nil, nil, 0, formatErr("sizeof_hdr", "file too short for a NIfTI header")
	}
	if magic[0] != 0x1f || magic[1] != 0x8b {
		return br, func() error { return nil }, limit, nil
	}
	if limit >= 0 {
		limit *= maxInflate
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, 0, formatErr("gzip", "%v", err)
	}
	zr.Multistream(true)
	// After the data, drain a little of the stream so that gzip verifies its
	// CRC for files that end there (the usual case).
	check = func() error {
		_, err := io.CopyN(io.Discard, zr, 1<<16)
		if err != nil && err != io.EOF {
			return formatErr("gzip", "%v", err)
		}
		return nil
	}
	return bufio.NewReaderSize(zr, bufferFor(limit)), check, limit, nil
}

// bufferFor sizes a read buffer: bufSize, or less for a small input.
func bufferFor(limit int64) int {
	if limit >= 0 && limit < bufSize {
		return int(max(limit, 16))
	}
	return bufSize
}

// maxInflate is deflate's largest expansion ratio (a run of one byte
// encodes 258 bytes in about two bits: 1032:1).
const maxInflate = 1032

// inputSize is the number of bytes left in r when r can tell, else −1.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, bytes.Buffer, strings.Reader
		return int64(r.Len())
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		pos, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return st.Size() - pos
	}
	return -1
}

func readHeader(br *bufio.Reader) (*Header, error) {
	first, _ := br.Peek(4)
	return parseHeader(first, func(n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, err
		}
		return b, nil
	})
}

// DecodeHeader reads only the header of a NIfTI-1 or NIfTI-2 stream,
// plain or gzip-compressed, and checks it as Decode would.
func DecodeHeader(r io.Reader) (*Header, error) {
	br, _, _, err := stream(r)
	if err != nil {
		return nil, err
	}
	h, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	if _, err := h.Grid(); err != nil {
		return nil, err
	}
	return h, nil
}

// Decode reads a NIfTI-1 or NIfTI-2 image, plain or gzip-compressed, into
// a volume with scaling applied and the geometry in LPS (see the package
// doc).
func Decode(r io.Reader) (*volume.Volume, error) {
	br, check, limit, err := stream(r)
	if err != nil {
		return nil, err
	}
	h, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	g, err := h.Grid()
	if err != nil {
		return nil, err
	}
	hdr := int64(sizeV1)
	if h.Version == 2 {
		hdr = sizeV2
	}
	if skip := h.VoxOffset - hdr; skip > 0 {
		if n, err := io.CopyN(io.Discard, br, skip); err != nil {
			return nil, formatErr("vox_offset", "is %d but the file ends %d bytes after the header", h.VoxOffset, n)
		}
	}
	n, _ := h.voxels()
	if err := membudget.Check(fmt.Sprintf("dims %v", h.Dims()), 8*float64(n)); err != nil {
		return nil, formatErr("dim", "%v", err)
	}
	data, err := readData(br, n, h, limit)
	if err != nil {
		return nil, err
	}
	if err := check(); err != nil {
		return nil, err
	}
	if slope, inter, ok := h.Scaling(); ok && (slope != 1 || inter != 0) {
		for i, x := range data {
			data[i] = x*slope + inter
		}
	}
	return &volume.Volume{Grid: g, Data: data}, nil
}

// firstAlloc bounds the voxels allocated before the data have arrived
// when the input's size is unknown, so that a header announcing a huge
// image costs memory only as its data prove to be there (4 Mi voxels =
// 32 MiB); when the size is known the bound is what the input can hold.
const firstAlloc = 1 << 22

// chunkVoxels is the number of voxels converted per read.
const chunkVoxels = 1 << 16

// readData reads n voxels of h's datatype and converts them to float64.
func readData(r io.Reader, n int, h *Header, limit int64) ([]float64, error) {
	size := h.Datatype.Size()
	first := min(n, firstAlloc)
	if limit >= 0 {
		first = int(min(int64(n), limit/int64(size)+1))
	}
	data := make([]float64, 0, first)
	buf := make([]byte, min(n, chunkVoxels)*size)
	for len(data) < n {
		m := min(n-len(data), chunkVoxels)
		b := buf[:m*size]
		if got, err := io.ReadFull(r, b); err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				return nil, formatErr("data", "reading voxel %d: %v", len(data)+got/size, err)
			}
			return nil, formatErr("data", "truncated: want %d voxels (%d bytes of %v), file ends after %d bytes",
				n, int64(n)*int64(size), h.Datatype, int64(len(data))*int64(size)+int64(got))
		}
		start := len(data)
		data = append(data, make([]float64, m)...)
		decodeSamples(data[start:], b, h.Datatype, h.ByteOrder)
	}
	return data, nil
}

// ReadFile decodes the NIfTI file at path (.nii or .nii.gz; compression is
// sniffed, not taken from the name). Errors name the file.
func ReadFile(path string) (*volume.Volume, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := Decode(f)
	return v, withFile(path, err)
}

// ReadHeaderFile decodes only the header of the NIfTI file at path.
func ReadHeaderFile(path string) (*Header, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := DecodeHeader(f)
	return h, withFile(path, err)
}
