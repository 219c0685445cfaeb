package dicomtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// Element appends one explicit VR little endian data element to b: tag
// (group, element), VR, value (padded to even length for text VRs by the
// caller; see Str).
func Element(b *bytes.Buffer, group, elem uint16, vr string, value []byte) {
	binary.Write(b, binary.LittleEndian, group)
	binary.Write(b, binary.LittleEndian, elem)
	b.WriteString(vr)
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV":
		b.Write([]byte{0, 0})
		binary.Write(b, binary.LittleEndian, uint32(len(value)))
	default:
		binary.Write(b, binary.LittleEndian, uint16(len(value)))
	}
	b.Write(value)
}

// Str is a text value padded to even length.
func Str(s string) []byte {
	if len(s)%2 == 1 {
		s += " "
	}
	return []byte(s)
}

// U16 is a little-endian US value.
func U16(x uint16) []byte { return binary.LittleEndian.AppendUint16(nil, x) }

// File is a DICOM file: the 128-byte preamble, "DICM", a meta group
// naming the transfer syntax ts, then body (the data set, encoded as ts
// says).
func File(ts string, body []byte) []byte {
	var meta bytes.Buffer
	Element(&meta, 2, 0x10, "UI", Str(ts))
	var b bytes.Buffer
	b.Write(make([]byte, 128))
	b.WriteString("DICM")
	Element(&b, 2, 0, "UL", binary.LittleEndian.AppendUint32(nil, uint32(meta.Len())))
	b.Write(meta.Bytes())
	b.Write(body)
	return b.Bytes()
}

// Slice is the data set of one axial CT slice of series uid: rows×cols
// unsigned 16-bit pixels, 1 mm apart, at height z, NumberOfFrames frames
// unless empty, and pixels as its Pixel Data, written as given (a hostile
// file may hold fewer bytes than its header claims).
func Slice(uid string, rows, cols uint16, z float64, frames string, pixels []byte) []byte {
	var b bytes.Buffer
	Element(&b, 0x08, 0x16, "UI", Str("1.2.840.10008.5.1.4.1.1.2"))
	Element(&b, 0x08, 0x60, "CS", Str("CT"))
	Element(&b, 0x20, 0x0E, "UI", Str(uid))
	Element(&b, 0x20, 0x32, "DS", Str(fmt.Sprintf(`0\0\%g`, z)))
	Element(&b, 0x20, 0x37, "DS", Str(`1\0\0\0\1\0`))
	Element(&b, 0x28, 0x02, "US", U16(1))
	if frames != "" {
		Element(&b, 0x28, 0x08, "IS", Str(frames))
	}
	Element(&b, 0x28, 0x10, "US", U16(rows))
	Element(&b, 0x28, 0x11, "US", U16(cols))
	Element(&b, 0x28, 0x30, "DS", Str(`1\1`))
	Element(&b, 0x28, 0x100, "US", U16(16))
	Element(&b, 0x28, 0x101, "US", U16(16))
	Element(&b, 0x28, 0x103, "US", U16(0))
	Element(&b, 0x7FE0, 0x10, "OW", pixels)
	return b.Bytes()
}

// Seq is a sequence's value: each data set as an item of defined length.
func Seq(items ...[]byte) []byte {
	var b bytes.Buffer
	for _, it := range items {
		binary.Write(&b, binary.LittleEndian, uint16(0xFFFE))
		binary.Write(&b, binary.LittleEndian, uint16(0xE000))
		binary.Write(&b, binary.LittleEndian, uint32(len(it)))
		b.Write(it)
	}
	return b.Bytes()
}

// Contour is one CLOSED_PLANAR contour: its points (LPS mm) and the
// NumberOfContourPoints to write (the true count when N is "").
type Contour struct {
	Points [][3]float64
	N      string
}

// RTStruct is an RT Structure Set on series uid: one ROI per name, with
// its contours.
func RTStruct(uid string, names []string, contours [][]Contour) []byte {
	var b bytes.Buffer
	Element(&b, 0x08, 0x16, "UI", Str("1.2.840.10008.5.1.4.1.1.481.3"))
	Element(&b, 0x08, 0x60, "CS", Str("RTSTRUCT"))
	Element(&b, 0x20, 0x0E, "UI", Str(uid+".9"))
	var series, study, frame bytes.Buffer
	Element(&series, 0x20, 0x0E, "UI", Str(uid))
	Element(&study, 0x3006, 0x14, "SQ", Seq(series.Bytes()))
	Element(&frame, 0x3006, 0x12, "SQ", Seq(study.Bytes()))
	Element(&b, 0x3006, 0x10, "SQ", Seq(frame.Bytes()))
	var rois, roiContours [][]byte
	for i, name := range names {
		var r bytes.Buffer
		Element(&r, 0x3006, 0x22, "IS", Str(fmt.Sprint(i+1)))
		Element(&r, 0x3006, 0x26, "LO", Str(name))
		rois = append(rois, r.Bytes())
		var cs [][]byte
		for _, c := range contours[i] {
			var cb bytes.Buffer
			Element(&cb, 0x3006, 0x42, "CS", Str("CLOSED_PLANAR"))
			n := c.N
			if n == "" {
				n = fmt.Sprint(len(c.Points))
			}
			Element(&cb, 0x3006, 0x46, "IS", Str(n))
			var data []string
			for _, p := range c.Points {
				data = append(data, fmt.Sprintf(`%g\%g\%g`, p[0], p[1], p[2]))
			}
			Element(&cb, 0x3006, 0x50, "DS", Str(strings.Join(data, `\`)))
			cs = append(cs, cb.Bytes())
		}
		var rc bytes.Buffer
		Element(&rc, 0x3006, 0x84, "IS", Str(fmt.Sprint(i+1)))
		Element(&rc, 0x3006, 0x40, "SQ", Seq(cs...))
		roiContours = append(roiContours, rc.Bytes())
	}
	Element(&b, 0x3006, 0x20, "SQ", Seq(rois...))
	Element(&b, 0x3006, 0x39, "SQ", Seq(roiContours...))
	return File("1.2.840.10008.1.2.1", b.Bytes())
}
