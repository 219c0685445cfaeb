package dicom

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
	"github.com/suyashkumar/dicom/pkg/uid"
)

// Transfer syntaxes read natively.
const (
	tsImplicitLE = "1.2.840.10008.1.2"
	tsExplicitLE = "1.2.840.10008.1.2.1"
	tsDeflated   = "1.2.840.10008.1.2.1.99"
	tsExplicitBE = "1.2.840.10008.1.2.2"
	tsRLE        = "1.2.840.10008.1.2.5"
	tsJPEGBase   = "1.2.840.10008.1.2.4.50"
)

// MaxFileBytes is the largest file read (and the largest inflated dataset).
const MaxFileBytes = 2 << 30

// MaxElements bounds the data elements (items and fragments included) of
// one file, so that a small file of tiny elements — or a deflate bomb —
// cannot make the parser allocate without end (about 150 bytes each).
// Real files hold thousands; an enhanced multi-frame file of a few
// thousand frames some tens of thousands.
const MaxElements = 1 << 18

// maxDepth bounds sequence nesting, so a hostile file cannot exhaust the stack.
const maxDepth = 64

const undefinedLength = 0xFFFFFFFF

// Tags (group<<16 | element).
const (
	tItem          = 0xFFFEE000
	tItemDelim     = 0xFFFEE00D
	tSeqDelim      = 0xFFFEE0DD
	tTransferSynt  = 0x00020010
	tPixelData     = 0x7FE00010
	tFloatPixel    = 0x7FE00008
	tDoublePixel   = 0x7FE00009
	tSOPClass      = 0x00080016
	tSOPInstance   = 0x00080018
	tModality      = 0x00080060
	tSeriesDesc    = 0x0008103E
	tRefSOPInst    = 0x00081155
	tSliceThick    = 0x00180050
	tSpacingSlices = 0x00180088
	tSeriesUID     = 0x0020000E
	tSeriesNumber  = 0x00200011
	tInstanceNum   = 0x00200013
	tIPP           = 0x00200032
	tIOP           = 0x00200037
	tFrameOfRef    = 0x00200052
	tSamples       = 0x00280002
	tPhotometric   = 0x00280004
	tNumFrames     = 0x00280008
	tRows          = 0x00280010
	tColumns       = 0x00280011
	tPixelSpacing  = 0x00280030
	tBitsAlloc     = 0x00280100
	tBitsStored    = 0x00280101
	tHighBit       = 0x00280102
	tPixelRep      = 0x00280103
	tIntercept     = 0x00281052
	tSlope         = 0x00281053
	tSharedFG      = 0x52009229
	tPerFrameFG    = 0x52009230
	tPlanePosSeq   = 0x00209113
	tPlaneOrSeq    = 0x00209116
	tPixMeasSeq    = 0x00289110
	tPixValTrSeq   = 0x00289145
	tFrameContent  = 0x00209111
	tStackPosition = 0x00209057
)

// element is one parsed data element. Value is a sub-slice of the file's
// bytes (no copy); Items holds a sequence's items, Frags an encapsulated
// Pixel Data's fragments (the basic offset table first).
type element struct {
	Tag   uint32
	VR    string
	Value []byte
	Items []*dataset
	Frags [][]byte
}

// dataset is the elements of a file or of a sequence item.
type dataset struct {
	el    map[uint32]*element
	order binary.ByteOrder
}

// file is a parsed DICOM file.
type file struct {
	path string
	ts   string // transfer syntax UID
	*dataset
}

// parser walks a byte buffer.
type parser struct {
	b        []byte
	pos      int
	count    int // elements parsed so far
	order    binary.ByteOrder
	implicit bool
}

// tagString names a tag for messages: "(7FE0,0010) PixelData".
func tagString(t uint32) string {
	s := fmt.Sprintf("(%04X,%04X)", t>>16, t&0xFFFF)
	if info, err := tag.Find(tag.Tag{Group: uint16(t >> 16), Element: uint16(t)}); err == nil && info.Name != "" {
		s += " " + info.Name
	}
	return s
}

// readFile parses the DICOM file at path.
func readFile(path string) (*file, error) {
	b, err := readInput(path) // regular files only; remembered as an input
	if err != nil {
		return nil, err
	}
	f, err := parseBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.path = path
	return f, nil
}

// hasMagic reports whether b starts with a DICOM preamble and "DICM".
func hasMagic(b []byte) bool { return len(b) >= 132 && string(b[128:132]) == "DICM" }

// errNotDICOM marks input that is not DICOM at all (as opposed to a
// damaged DICOM file).
var errNotDICOM = errors.New("not a DICOM file: no DICM preamble and no group 0002/0008 element at its start")

// parseBytes parses a whole DICOM file: the 128-byte preamble and "DICM"
// (optional), the file meta group in explicit little endian, then the data
// set in the transfer syntax the meta group names (implicit little endian
// when there is none).
func parseBytes(b []byte) (*file, error) {
	f := &file{ts: tsImplicitLE}
	p := &parser{b: b, order: binary.LittleEndian}
	meta := &dataset{el: map[uint32]*element{}, order: binary.LittleEndian}
	if hasMagic(b) {
		p.pos = 132
		// The meta group: explicit VR little endian, group 0002.
		for p.pos+4 <= len(b) && binary.LittleEndian.Uint16(b[p.pos:]) == 0x0002 {
			e, err := p.element(0)
			if err != nil {
				return nil, fmt.Errorf("file meta group: %w", err)
			}
			meta.el[e.Tag] = e
		}
		if e := meta.el[tTransferSynt]; e != nil {
			f.ts = trimString(e.Value)
		}
	} else {
		// No preamble: guess the encoding from the first element, as
		// pydicom does: group 0002 or 0008 with a plausible VR is explicit.
		if len(b) < 8 {
			return nil, errNotDICOM
		}
		g := binary.LittleEndian.Uint16(b)
		gbe := binary.BigEndian.Uint16(b)
		switch {
		case g == 0x0002 || g == 0x0008:
			if isVR(string(b[4:6])) {
				f.ts = tsExplicitLE
			}
		case gbe == 0x0008 && isVR(string(b[4:6])):
			f.ts = tsExplicitBE
		default:
			return nil, errNotDICOM
		}
		if g == 0x0002 { // a meta group without a preamble
			for p.pos+4 <= len(b) && binary.LittleEndian.Uint16(b[p.pos:]) == 0x0002 {
				e, err := p.element(0)
				if err != nil {
					return nil, fmt.Errorf("file meta group: %w", err)
				}
				meta.el[e.Tag] = e
			}
			if e := meta.el[tTransferSynt]; e != nil {
				f.ts = trimString(e.Value)
			}
		}
	}
	rest := b[p.pos:]
	metaCount := p.count
	switch f.ts {
	case tsImplicitLE:
		p = &parser{b: rest, order: binary.LittleEndian, implicit: true}
	case tsExplicitBE:
		p = &parser{b: rest, order: binary.BigEndian}
	case tsDeflated:
		limit := min(int64(MaxFileBytes), budgetLimit())
		inf, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(rest)), limit+1))
		if err != nil {
			return nil, fmt.Errorf("transfer syntax %s (deflated): %v", f.ts, err)
		}
		if int64(len(inf)) > limit {
			return nil, fmt.Errorf("transfer syntax %s (deflated): inflates to over %d bytes", f.ts, limit)
		}
		p = &parser{b: inf, order: binary.LittleEndian}
	default:
		if _, err := uid.Lookup(f.ts); err != nil && f.ts != "" {
			return nil, fmt.Errorf("(0002,0010) TransferSyntaxUID %q: unknown transfer syntax", f.ts)
		}
		// Every other transfer syntax encodes the data set in explicit
		// VR little endian; only Pixel Data differs.
		p = &parser{b: rest, order: binary.LittleEndian}
	}
	p.count = metaCount
	ds, err := p.dataset(len(p.b), 0)
	if err != nil {
		return nil, err
	}
	for t, e := range meta.el {
		ds.el[t] = e
	}
	f.dataset = ds
	return f, nil
}

// isVR reports whether s is a DICOM value representation.
func isVR(s string) bool {
	switch s {
	case "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
		"OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV":
		return true
	}
	return false
}

// longVR reports whether an explicit VR has a 4-byte length.
func longVR(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV":
		return true
	}
	return false
}

// dataset parses elements up to end (an offset into p.b), or up to an
// item delimiter when end is -1.
func (p *parser) dataset(end, depth int) (*dataset, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("sequences nested over %d deep", maxDepth)
	}
	ds := &dataset{el: map[uint32]*element{}, order: p.order}
	for {
		if end >= 0 && p.pos >= end {
			return ds, nil
		}
		if end < 0 && p.pos >= len(p.b) {
			return nil, errors.New("item without delimiter: file ends inside a sequence")
		}
		e, err := p.element(depth)
		if err != nil {
			return nil, err
		}
		if e.Tag == tItemDelim {
			if end < 0 {
				return ds, nil
			}
			continue // stray delimiter in a defined-length item: ignored, as dcmtk does
		}
		if end >= 0 && p.pos > end {
			return nil, fmt.Errorf("element %s runs past the end of its item", tagString(e.Tag))
		}
		ds.el[e.Tag] = e
	}
}

// u16 and u32 read at p.pos in p.order, checking the bounds.
func (p *parser) need(n int, what string) error {
	if n < 0 || p.pos+n > len(p.b) {
		return fmt.Errorf("truncated at byte %d: %s needs %d bytes, %d left", p.pos, what, n, len(p.b)-p.pos)
	}
	return nil
}

func (p *parser) u16() uint16 { v := p.order.Uint16(p.b[p.pos:]); p.pos += 2; return v }
func (p *parser) u32() uint32 { v := p.order.Uint32(p.b[p.pos:]); p.pos += 4; return v }

// element parses one element at p.pos.
func (p *parser) element(depth int) (*element, error) {
	if err := p.need(8, "an element header"); err != nil {
		return nil, err
	}
	if p.count++; p.count > MaxElements {
		return nil, fmt.Errorf("over %d data elements", MaxElements)
	}
	g, el := p.u16(), p.u16()
	t := uint32(g)<<16 | uint32(el)
	order := p.order
	if g == 0x0002 { // the meta group is always little endian
		order = binary.LittleEndian
	}
	var vr string
	var length uint32
	switch {
	case g == 0xFFFE: // items and delimiters: no VR in any syntax
		length = p.u32()
	case p.implicit:
		vr = dictVR(t)
		length = p.u32()
	default:
		vr = string(p.b[p.pos : p.pos+2])
		p.pos += 2
		if !isVR(vr) {
			return nil, fmt.Errorf("element %s: invalid VR %q", tagString(t), vr)
		}
		if longVR(vr) {
			if p.pos+6 > len(p.b) {
				return nil, fmt.Errorf("truncated at byte %d: element %s length needs 6 bytes, %d left", p.pos, tagString(t), len(p.b)-p.pos)
			}
			p.pos += 2
			length = order.Uint32(p.b[p.pos:])
			p.pos += 4
		} else {
			length = uint32(order.Uint16(p.b[p.pos:]))
			p.pos += 2
		}
	}
	e := &element{Tag: t, VR: vr}
	if t == tItemDelim || t == tSeqDelim {
		return e, nil
	}
	if length == undefinedLength {
		switch {
		case t == tPixelData:
			return e, p.fragments(e)
		case vr == "SQ" || vr == "UN" || vr == "" || t == tItem:
			if t == tItem { // an item inside a sequence is handled by sequence
				return nil, fmt.Errorf("item tag outside a sequence at byte %d", p.pos-8)
			}
			return e, p.sequence(e, -1, depth)
		default:
			return nil, fmt.Errorf("element %s (VR %s): undefined length is only allowed for sequences and pixel data", tagString(t), vr)
		}
	}
	if int64(p.pos)+int64(length) > int64(len(p.b)) {
		return nil, fmt.Errorf("element %s declares %d bytes, only %d left in the file", tagString(t), length, len(p.b)-p.pos)
	}
	if vr == "SQ" {
		return e, p.sequence(e, p.pos+int(length), depth)
	}
	if t == tItem {
		return nil, fmt.Errorf("item tag outside a sequence at byte %d", p.pos-8)
	}
	e.Value = p.b[p.pos : p.pos+int(length)]
	p.pos += int(length)
	return e, nil
}

// sequence parses a sequence's items up to end (-1: up to the sequence
// delimiter).
func (p *parser) sequence(e *element, end, depth int) error {
	if depth+1 > maxDepth {
		return fmt.Errorf("sequences nested over %d deep", maxDepth)
	}
	// A UN element of undefined length is a sequence in implicit little
	// endian (PS3.5 6.2.2).
	saved := p.implicit
	savedOrder := p.order
	if e.VR == "UN" {
		p.implicit, p.order = true, binary.LittleEndian
		defer func() { p.implicit, p.order = saved, savedOrder }()
	}
	for {
		if end >= 0 && p.pos >= end {
			return nil
		}
		if err := p.need(8, "a sequence item header"); err != nil {
			return fmt.Errorf("sequence %s: %w", tagString(e.Tag), err)
		}
		if p.count++; p.count > MaxElements {
			return fmt.Errorf("over %d data elements", MaxElements)
		}
		g, el := p.u16(), p.u16()
		t := uint32(g)<<16 | uint32(el)
		length := p.u32()
		switch t {
		case tSeqDelim:
			if end < 0 {
				return nil
			}
			continue
		case tItem:
		default:
			return fmt.Errorf("sequence %s: found %s where an item should start", tagString(e.Tag), tagString(t))
		}
		var item *dataset
		var err error
		if length == undefinedLength {
			item, err = p.dataset(-1, depth+1)
		} else {
			if err := p.need(int(length), "a sequence item"); err != nil {
				return fmt.Errorf("sequence %s: item declares %d bytes, only %d left", tagString(e.Tag), length, len(p.b)-p.pos)
			}
			item, err = p.dataset(p.pos+int(length), depth+1)
		}
		if err != nil {
			if depth > 0 {
				return err // named once, at the outermost sequence
			}
			return fmt.Errorf("sequence %s: %w", tagString(e.Tag), err)
		}
		e.Items = append(e.Items, item)
	}
}

// fragments reads encapsulated Pixel Data: items up to the sequence
// delimiter.
func (p *parser) fragments(e *element) error {
	for {
		if err := p.need(8, "a pixel data fragment header"); err != nil {
			return fmt.Errorf("encapsulated pixel data: %w", err)
		}
		if p.count++; p.count > MaxElements {
			return fmt.Errorf("over %d data elements", MaxElements)
		}
		g, el := p.u16(), p.u16()
		t := uint32(g)<<16 | uint32(el)
		length := p.u32()
		if t == tSeqDelim {
			return nil
		}
		if t != tItem || length == undefinedLength {
			return fmt.Errorf("encapsulated pixel data: found %s where a fragment should start", tagString(t))
		}
		if err := p.need(int(length), "a pixel data fragment"); err != nil {
			return fmt.Errorf("encapsulated pixel data: fragment declares %d bytes, only %d left", length, len(p.b)-p.pos)
		}
		e.Frags = append(e.Frags, p.b[p.pos:p.pos+int(length)])
		p.pos += int(length)
	}
}

// dictVR is the VR of t in the DICOM dictionary (suyashkumar/dicom's), for
// implicit VR files. Unknown and private tags are UN; multi-VR entries
// ("US or SS", "OB or OW") take their first.
func dictVR(t uint32) string {
	if t&0xFFFF == 0 {
		return "UL" // group length
	}
	info, err := tag.Find(tag.Tag{Group: uint16(t >> 16), Element: uint16(t)})
	if err != nil {
		return "UN"
	}
	vr := info.VR
	if i := strings.IndexByte(vr, ' '); i > 0 {
		vr = vr[:i]
	}
	if !isVR(vr) {
		return "UN"
	}
	return vr
}

// trimString strips the padding of a string value.
func trimString(b []byte) string { return strings.Trim(string(b), " \x00") }

// has reports whether the element is present.
func (d *dataset) has(t uint32) bool { return d != nil && d.el[t] != nil }

// str returns a string element, trimmed ("" when absent).
func (d *dataset) str(t uint32) string {
	if d == nil || d.el[t] == nil {
		return ""
	}
	return trimString(d.el[t].Value)
}

// floats returns a numeric element's values: DS and IS parsed as text, FL,
// FD, US, SS, UL and SL decoded in the data set's byte order. Absent:
// nil, nil.
func (d *dataset) floats(t uint32) ([]float64, error) {
	if d == nil || d.el[t] == nil {
		return nil, nil
	}
	e := d.el[t]
	v := e.Value
	vr := e.VR
	if vr == "UN" || vr == "" {
		vr = dictVR(t)
	}
	var out []float64
	switch vr {
	case "FD", "OD":
		if len(v)%8 != 0 {
			return nil, fmt.Errorf("%s: %d bytes is not a whole number of FD values", tagString(t), len(v))
		}
		for i := 0; i+8 <= len(v); i += 8 {
			out = append(out, math.Float64frombits(d.order.Uint64(v[i:])))
		}
	case "FL", "OF":
		if len(v)%4 != 0 {
			return nil, fmt.Errorf("%s: %d bytes is not a whole number of FL values", tagString(t), len(v))
		}
		for i := 0; i+4 <= len(v); i += 4 {
			out = append(out, float64(math.Float32frombits(d.order.Uint32(v[i:]))))
		}
	case "US", "SS":
		if len(v)%2 != 0 {
			return nil, fmt.Errorf("%s: %d bytes is not a whole number of %s values", tagString(t), len(v), vr)
		}
		for i := 0; i+2 <= len(v); i += 2 {
			x := d.order.Uint16(v[i:])
			if vr == "SS" {
				out = append(out, float64(int16(x)))
			} else {
				out = append(out, float64(x))
			}
		}
	case "UL", "SL":
		if len(v)%4 != 0 {
			return nil, fmt.Errorf("%s: %d bytes is not a whole number of %s values", tagString(t), len(v), vr)
		}
		for i := 0; i+4 <= len(v); i += 4 {
			x := d.order.Uint32(v[i:])
			if vr == "SL" {
				out = append(out, float64(int32(x)))
			} else {
				out = append(out, float64(x))
			}
		}
	default: // DS, IS and anything textual
		s := trimString(v)
		if s == "" {
			return nil, nil
		}
		for _, part := range strings.Split(s, `\`) {
			x, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s: %q is not a finite number", tagString(t), part)
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// nfloats returns exactly n values of t, or an error naming the field.
func (d *dataset) nfloats(t uint32, name string, n int) ([]float64, error) {
	v, err := d.floats(t)
	if err != nil {
		return nil, fmt.Errorf("%s %w", name, err)
	}
	if len(v) != n {
		return nil, fmt.Errorf("%s %s: %d values, want %d", tagString(t), name, len(v), n)
	}
	return v, nil
}

// int1 returns a single integer value of t, def when absent.
func (d *dataset) int1(t uint32, name string, def int) (int, error) {
	v, err := d.floats(t)
	if err != nil {
		return 0, fmt.Errorf("%s %w", name, err)
	}
	if len(v) == 0 {
		return def, nil
	}
	x := v[0]
	if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
		return 0, fmt.Errorf("%s %s: %g is not an integer", tagString(t), name, x)
	}
	return int(x), nil
}

// seq returns the items of a sequence element (nil when absent).
func (d *dataset) seq(t uint32) []*dataset {
	if d == nil || d.el[t] == nil {
		return nil
	}
	return d.el[t].Items
}

// first returns the first item of a sequence, or nil.
func (d *dataset) first(t uint32) *dataset {
	s := d.seq(t)
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

// tsName is a transfer syntax's name for messages.
func tsName(ts string) string {
	if info, err := uid.Lookup(ts); err == nil {
		return fmt.Sprintf("%s (%s)", ts, info.Name)
	}
	return ts
}
