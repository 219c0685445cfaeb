//go:build unix

package hostile

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
)

const (
	dicomUID      = "1.2.826.0.1.3680043.9.7133.77"
	explicitLE    = "1.2.840.10008.1.2.1"
	deflatedLE    = "1.2.840.10008.1.2.1.99"
	jpeg2000      = "1.2.840.10008.1.2.4.90"
	undefinedSQ   = "\x08\x00\x15\x11SQ\x00\x00\xff\xff\xff\xff"
	undefinedItem = "\xfe\xff\x00\xe0\xff\xff\xff\xff"
)

// dicomSeries writes the base image as a DICOM series folder (10 axial
// slices of 20×20, 1 mm pixels, 1.5 mm apart: the base grid), with
// slice k replaced by bad[k] when given, and returns the folder.
func (g *gen) dicomSeries(rel string, bad map[int][]byte) string {
	for k := range 10 {
		px := make([]byte, 0, 800)
		for j := range 20 {
			for i := range 20 {
				x := g.baseV.At(i, j, k) + 100 // whole, non-negative: 16-bit unsigned
				px = binary.LittleEndian.AppendUint16(px, uint16(math.Round(x)))
			}
		}
		data := dicomtest.File(explicitLE, dicomtest.Slice(dicomUID, 20, 20, 1.5*float64(k), "", px))
		if b, ok := bad[k]; ok {
			data = b
		}
		g.write(fmt.Sprintf("%s/slice%02d.dcm", rel, k), data)
	}
	return g.path(rel)
}

// dicom adds the DICOM, RTSTRUCT and DICOM-SEG cases: hostile series
// through every command that reads an image, hostile RTSTRUCT/SEG masks
// with the valid DICOM series, and the valid series and RTSTRUCT as
// controls.
func (g *gen) dicom() {
	valid := g.dicomSeries("dcm/valid", nil)
	n := len(g.cases)
	g.pairCases("control/dicom-series", valid, g.mask, false)
	square := func(a, b, z float64) dicomtest.Contour {
		return dicomtest.Contour{Points: [][3]float64{{a, a, z}, {b, a, z}, {b, b, z}, {a, b, z}}}
	}
	var lesion, cord []dicomtest.Contour
	for k := 2; k < 8; k++ {
		cord = append(cord, square(4.5, 14.5, 1.5*float64(k)))
		if k >= 3 && k < 7 {
			lesion = append(lesion, square(7.5, 11.5, 1.5*float64(k)))
		}
	}
	rt := g.write("dcm/valid_rtstruct.dcm", dicomtest.RTStruct(dicomUID, []string{"injured cord", "spinal cord"}, [][]dicomtest.Contour{lesion, cord}))
	g.dicomMaskCases("control/dicom-rtstruct", valid, rt)
	for i := n; i < len(g.cases); i++ {
		g.cases[i].Control = true
	}

	slice0 := func(rows, cols uint16, frames string, pixels int) []byte {
		return dicomtest.File(explicitLE, dicomtest.Slice(dicomUID, rows, cols, 0, frames, make([]byte, pixels)))
	}
	huge := slice0(20, 20, "", 800)
	binary.LittleEndian.PutUint32(huge[len(huge)-804:], 0xFFFFFFF0) // Pixel Data's length
	var bomb bytes.Buffer
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	var e bytes.Buffer
	dicomtest.Element(&e, 0x08, 0x10, "LO", []byte("xx"))
	for range 3 << 20 {
		w.Write(e.Bytes())
	}
	w.Close()
	var deep bytes.Buffer
	for range 100000 {
		deep.WriteString(undefinedSQ + undefinedItem)
	}
	j2k := append(dicomtest.Slice(dicomUID, 20, 20, 0, "", nil)[:0:0], dicomtest.Slice(dicomUID, 20, 20, 0, "", nil)...)
	j2k = j2k[:len(j2k)-12] // an encapsulated Pixel Data instead: offset table, one fragment
	j2k = append(j2k, "\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff\xfe\xff\x00\xe0\x00\x00\x00\x00\xfe\xff\x00\xe0\x04\x00\x00\x00\xff\x4f\xff\x51\xfe\xff\xdd\xe0\x00\x00\x00\x00"...)
	for name, bad := range map[string][]byte{
		"mem/dicom-65535x65535":       slice0(65535, 65535, "", 800),
		"mem/dicom-frames-1e9":        slice0(20, 20, "1000000000", 800),
		"mem/dicom-length-4GiB":       huge,
		"mem/dicom-deflate-bomb":      dicomtest.File(deflatedLE, bomb.Bytes()),
		"bad/dicom-nesting-100000":    dicomtest.File(explicitLE, deep.Bytes()),
		"bad/dicom-truncated-slice":   slice0(20, 20, "", 800)[:300],
		"bad/dicom-jpeg2000":          dicomtest.File(jpeg2000, j2k),
		"bad/dicom-not-dicom-but-dcm": []byte("DICM? no: a text file named .dcm\n"),
	} {
		dir := g.dicomSeries("dcm/"+filepath.Base(name), map[int][]byte{5: bad})
		g.pairCases(name, dir, g.mask, false)
	}
	gap := g.dicomSeries("dcm/gap", map[int][]byte{4: []byte("not DICOM: slice 4 is missing")})
	g.pairCases("geom/dicom-missing-slice", gap, g.mask, false)

	far := []dicomtest.Contour{square(4.5, 14.5, 150)}
	between := []dicomtest.Contour{square(4.5, 14.5, 2.2)}
	claim := []dicomtest.Contour{{Points: square(4.5, 14.5, 3).Points, N: "1000000000"}}
	huge1e300 := []dicomtest.Contour{{Points: [][3]float64{{-1e300, -1e300, 3}, {1e300, -1e300, 3}, {0, 1e300, 3}}}}
	for name, cs := range map[string][]dicomtest.Contour{
		"geom/rtstruct-contour-off-grid":       far,
		"geom/rtstruct-contour-between-slices": between,
		"mem/rtstruct-points-1e9":              claim,
	} {
		p := g.write("dcm/"+filepath.Base(name)+".dcm", dicomtest.RTStruct(dicomUID, []string{"injured cord", "spinal cord"}, [][]dicomtest.Contour{lesion, cs}))
		g.dicomMaskCases(name, valid, p)
	}
	p := g.write("dcm/rtstruct-1e300.dcm", dicomtest.RTStruct(dicomUID, []string{"injured cord", "spinal cord"}, [][]dicomtest.Contour{lesion, huge1e300}))
	g.dicomMaskCases("num/rtstruct-points-1e300", valid, p)
	for _, c := range []string{"num/rtstruct-points-1e300/features", "num/rtstruct-points-1e300/preprocess"} {
		for i := range g.cases {
			if g.cases[i].Name == c {
				g.cases[i].MayPass = true // clipped to the grid: the cord covers every slice 2 voxel
			}
		}
	}
	var seg bytes.Buffer
	dicomtest.Element(&seg, 0x08, 0x16, "UI", dicomtest.Str("1.2.840.10008.5.1.4.1.1.66.4"))
	dicomtest.Element(&seg, 0x08, 0x60, "CS", dicomtest.Str("SEG"))
	dicomtest.Element(&seg, 0x20, 0x0E, "UI", dicomtest.Str(dicomUID+".8"))
	dicomtest.Element(&seg, 0x28, 0x08, "IS", dicomtest.Str("1000000000"))
	dicomtest.Element(&seg, 0x28, 0x10, "US", dicomtest.U16(20))
	dicomtest.Element(&seg, 0x28, 0x11, "US", dicomtest.U16(20))
	dicomtest.Element(&seg, 0x28, 0x100, "US", dicomtest.U16(1))
	dicomtest.Element(&seg, 0x62, 0x01, "CS", dicomtest.Str("BINARY"))
	dicomtest.Element(&seg, 0x7FE0, 0x10, "OB", make([]byte, 50))
	g.dicomMaskCases("mem/seg-frames-1e9", valid, g.write("dcm/seg-frames.dcm", dicomtest.File(explicitLE, seg.Bytes())))
}

// dicomMaskCases runs features and preprocess on a DICOM series with an
// RTSTRUCT or DICOM-SEG mask.
func (g *gen) dicomMaskCases(name, series, mask string) {
	ins := []string{series, mask}
	g.add(name+"/features", ins, "features", "-image", series, "-mask", mask, "-o", filepath.Join(g.outDir(name+"/features"), "f.csv"))
	g.add(name+"/preprocess", ins, "preprocess", "-image", series, "-mask", mask, "-out", g.outDir(name+"/preprocess"))
}
