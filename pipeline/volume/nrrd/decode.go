package nrrd

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volume"
)

// FormatError reports a malformed or unsupported NRRD file.
type FormatError struct {
	File  string // the path, set by ReadFile; empty from Decode
	Field string // the header field at fault ("sizes", "encoding", "data"…)
	Msg   string
}

func (e *FormatError) Error() string {
	s := "nrrd: " + e.Field + ": " + e.Msg
	if e.File != "" {
		s = e.File + ": " + s
	}
	return s
}

func formatErr(field, format string, args ...any) *FormatError {
	return &FormatError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func withFile(path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		c := *fe
		if c.File == "" {
			c.File = path
		}
		return &c
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

const bufSize = 1 << 20

// DecodeHeader reads and checks a NRRD header (attached or detached).
func DecodeHeader(r io.Reader) (*Header, error) {
	h, err := readHeader(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return nil, err
	}
	if _, _, err := h.Grid(); err != nil {
		return nil, err
	}
	return h, nil
}

// Decode reads an attached NRRD image into a volume (see the package doc
// for the geometry). A detached header is an error here: use ReadFile.
func Decode(r io.Reader) (*volume.Volume, error) {
	h, data, err := decodeAll(r, "")
	if err != nil {
		return nil, err
	}
	return h.volume(data)
}

// decodeAll reads the header and every element. dir is the directory of
// a detached data file; "" forbids detached data.
func decodeAll(r io.Reader, dir string) (*Header, []float64, error) {
	limit := inputSize(r)
	br := bufio.NewReaderSize(r, bufferFor(limit))
	h, err := readHeader(br)
	if err != nil {
		return nil, nil, err
	}
	g, _, err := h.Grid()
	if err != nil {
		return nil, nil, err
	}
	if err := membudget.Check(fmt.Sprintf("%v of %s", clipList(h.Sizes), h.Type), 8*float64(h.count())+8*float64(g.Len())); err != nil {
		return nil, nil, formatErr("sizes", "%v", err)
	}
	if h.DataFile == "" {
		data, err := h.readData(br, limit)
		return h, data, err
	}
	if dir == "" {
		return nil, nil, formatErr("data file", "detached data %s: read the header with ReadFile", outpath.Quote(h.DataFile))
	}
	name, err := dataFilePath(dir, h.DataFile)
	if err != nil {
		return nil, nil, formatErr("data file", "%v", err)
	}
	f, err := outpath.Open(name)
	if err != nil {
		return nil, nil, formatErr("data file", "%v", err)
	}
	defer f.Close()
	limit = inputSize(f)
	data, err := h.readData(bufio.NewReaderSize(f, bufferFor(limit)), limit)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Msg += " (in " + outpath.Quote(h.DataFile) + ")"
		}
	}
	return h, data, err
}

// volume checks that each voxel holds one element and builds the volume.
func (h *Header) volume(data []float64) (*volume.Volume, error) {
	g, per, err := h.Grid()
	if err != nil {
		return nil, err
	}
	if per != 1 {
		return nil, formatErr("sizes", "%v: %d elements per voxel along non-spatial axes; a scalar volume is needed (for a Slicer segmentation use ReadSegmentation)", h.Sizes, per)
	}
	return &volume.Volume{Grid: g, Data: data}, nil
}

func (h *Header) count() int {
	n := 1
	for _, s := range h.Sizes {
		n *= s
	}
	return n
}

// readData applies line skip, decoding and byte skip, then reads every
// element.
//
// limit bounds the bytes the input can hold (−1 if unknown); it caps what
// is allocated before the data arrive.
func (h *Header) readData(br *bufio.Reader, limit int64) ([]float64, error) {
	for k := 0; k < h.LineSkip; k++ {
		if _, err := br.ReadString('\n'); err != nil {
			return nil, formatErr("line skip", "data end after %d of %d skipped lines", k, h.LineSkip)
		}
	}
	n := h.count()
	var r io.Reader = br
	switch h.Encoding {
	case "text":
		return readText(br, n, limit)
	case "gzip":
		if limit >= 0 {
			limit *= maxInflate
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, formatErr("encoding", "gzip data: %v", err)
		}
		r = bufio.NewReaderSize(zr, bufSize)
	case "bzip2":
		limit = -1 // bzip2 can expand by millions
		r = bufio.NewReaderSize(bzip2.NewReader(br), bufSize)
	}
	size := h.Type.Size()
	need := int64(n) * int64(size)
	if h.Encoding == "gzip" || h.Encoding == "bzip2" {
		// A compressed stream yields at most what the header accounts for:
		// the byte skip and the data, or, with byte skip -1, the data and
		// as much again (capped by the memory budget). A bomb ends there.
		most := need + max(h.ByteSkip, 0)
		if h.ByteSkip == -1 {
			most = need + min(need, membudget.Limit()/4) + 1<<20
		}
		if h.ByteSkip > membudget.Limit() {
			return nil, formatErr("byte skip", "is %d: skipping that much compressed data is %v", h.ByteSkip, membudget.ErrBudget)
		}
		r = &capReader{r: r, left: most, what: h.Encoding}
	}
	switch {
	case h.ByteSkip > 0:
		if got, err := io.CopyN(io.Discard, r, h.ByteSkip); err != nil {
			return nil, formatErr("byte skip", "is %d but the data end after %d bytes", h.ByteSkip, got)
		}
	case h.ByteSkip == -1:
		// The data are the last need bytes: keep a window of the stream.
		// The window is bounded by the data really present, not by the header.
		tail, total, err := lastBytes(r, need)
		if err != nil {
			return nil, formatErr("data", "%v", err)
		}
		if total < need {
			return nil, formatErr("data", "truncated: want %d elements (%d bytes of %s), the data hold %d bytes", n, need, h.Type, total)
		}
		r = tail
	}
	return readBinary(r, n, h, limit)
}

// capReader fails once more than left bytes have been read: a compressed
// stream that decompresses beyond what the header accounts for.
type capReader struct {
	r    io.Reader
	left int64
	what string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a stream that ends here from a longer one.
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("%s data decompress to more bytes than the header's sizes and byte skip account for", c.what)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// AllowExternalData lets ReadFile read a detached data file outside the
// header's folder (an absolute path, ../, or a symbolic link that leaves
// it). By default only a regular file inside that folder, once links are
// followed, is read; scirad's -nrrd-external-data flag sets this.
var AllowExternalData = false

// dataFilePath resolves a detached header's data file name against the
// header's folder dir and checks it against AllowExternalData.
func dataFilePath(dir, name string) (string, error) {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if !AllowExternalData && !outpath.Within(dir, p) {
		return "", fmt.Errorf("%s is outside the header's folder (after following links); only files beside the header are read unless -nrrd-external-data is given", outpath.Quote(name))
	}
	return p, nil
}

func clipList(s []int) string {
	if len(s) > 4 {
		return fmt.Sprint(s[:4]) + "…"
	}
	return fmt.Sprint(s)
}

// maxInflate is deflate's largest expansion ratio (1032:1).
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

// bufferFor sizes a read buffer: bufSize, or less for a small input.
func bufferFor(limit int64) int {
	if limit >= 0 && limit < bufSize {
		return int(max(limit, 16))
	}
	return bufSize
}

// firstCap is the capacity to allocate for n elements of size bytes from
// an input of at most limit bytes (−1: unknown).
func firstCap(n, size int, limit int64) int {
	if limit >= 0 {
		return int(min(int64(n), limit/int64(size)+1))
	}
	return min(n, firstAlloc)
}

// lastBytes returns a reader over the last n bytes of r and r's length.
func lastBytes(r io.Reader, n int64) (io.Reader, int64, error) {
	var buf []byte
	var total int64
	chunk := make([]byte, 1<<16)
	for {
		m, err := r.Read(chunk)
		total += int64(m)
		buf = append(buf, chunk[:m]...)
		if int64(len(buf)) > 2*n+int64(len(chunk)) {
			buf = append(buf[:0], buf[int64(len(buf))-n:]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, total, err
		}
	}
	if int64(len(buf)) > n {
		buf = buf[int64(len(buf))-n:]
	}
	return &sliceReader{buf}, total, nil
}

type sliceReader struct{ b []byte }

func (s *sliceReader) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// firstAlloc bounds the elements allocated before the data have arrived
// from an input of unknown size (4 Mi elements = 32 MiB); chunk is the
// number converted per read.
const (
	firstAlloc = 1 << 22
	chunk      = 1 << 16
)

func readBinary(r io.Reader, n int, h *Header, limit int64) ([]float64, error) {
	size := h.Type.Size()
	data := make([]float64, 0, firstCap(n, size, limit))
	buf := make([]byte, min(n, chunk)*size)
	bo := h.ByteOrder
	if bo == nil { // one-byte types, or an endian-free header: order unused
		bo = binary.LittleEndian
	}
	for len(data) < n {
		m := min(n-len(data), chunk)
		b := buf[:m*size]
		if got, err := io.ReadFull(r, b); err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				return nil, formatErr("data", "reading element %d: %v", len(data)+got/size, err)
			}
			return nil, formatErr("data", "truncated: want %d elements (%d bytes of %s), the data end after %d bytes",
				n, int64(n)*int64(size), h.Type, int64(len(data))*int64(size)+int64(got))
		}
		start := len(data)
		data = append(data, make([]float64, m)...)
		decodeSamples(data[start:], b, h.Type, bo)
	}
	return data, nil
}

// readText parses n numbers separated by white space (or commas).
func readText(br *bufio.Reader, n int, limit int64) ([]float64, error) {
	data := make([]float64, 0, firstCap(n, 1, limit))
	var tok []byte
	flush := func() error {
		if len(tok) == 0 {
			return nil
		}
		x, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return formatErr("data", "text element %d is %q, not a number", len(data), clip(string(tok)))
		}
		data = append(data, x)
		tok = tok[:0]
		return nil
	}
	for len(data) < n {
		c, err := br.ReadByte()
		if err != nil {
			if err := flush(); err != nil {
				return nil, err
			}
			if len(data) < n {
				return nil, formatErr("data", "truncated: want %d text elements, found %d", n, len(data))
			}
			break
		}
		switch c {
		case ' ', '\t', '\n', '\r', ',', '\f', '\v':
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			if len(tok) > 64 {
				return nil, formatErr("data", "text element %d is longer than 64 characters", len(data))
			}
			tok = append(tok, c)
		}
	}
	return data, nil
}

// ReadFile decodes the NRRD at path: an attached .nrrd, or a detached
// .nhdr whose data file is read relative to the header's directory.
func ReadFile(path string) (*volume.Volume, error) {
	h, data, err := readFileAll(path)
	if err != nil {
		return nil, err
	}
	v, err := h.volume(data)
	return v, withFile(path, err)
}

func readFileAll(path string) (*Header, []float64, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	h, data, err := decodeAll(f, filepath.Dir(path))
	return h, data, withFile(path, err)
}

// ReadHeaderFile decodes only the header of the NRRD at path.
func ReadHeaderFile(path string) (*Header, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := DecodeHeader(f)
	return h, withFile(path, err)
}
