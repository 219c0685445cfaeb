//go:build !js

package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume/dicom"
)

// TestDecodeDICOMFiles: the files of a DICOM series, packed as app.js
// packs a multiple-file pick, decode to the series dicom.ReadSeries reads
// (plastimatch's spine copy, testdata/dicom); a single .dcm too.
func TestDecodeDICOMFiles(t *testing.T) {
	f, err := os.Open("../testdata/dicom/spine_plastimatch.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var files []dicom.File
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg && strings.Contains(h.Name, "/image") {
			b, _ := io.ReadAll(tr)
			files = append(files, dicom.File{Name: h.Name, Data: b})
		}
	}
	sort.Slice(files, func(a, b int) bool { return files[a].Name > files[b].Name }) // order must not matter
	packed := []byte(filesMagic)
	for _, fd := range files {
		packed = binary.BigEndian.AppendUint32(packed, uint32(len(fd.Name)))
		packed = append(packed, fd.Name...)
		packed = binary.BigEndian.AppendUint32(packed, uint32(len(fd.Data)))
		packed = append(packed, fd.Data...)
	}
	v, err := decodeVolume("29 files", packed, false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := dicom.ReadSeriesData(nil, files...)
	if err != nil {
		t.Fatal(err)
	}
	if v.Grid != want.Grid || v.Dims != [3]int{99, 99, 29} {
		t.Fatalf("grid %v, want %v", v.Grid, want.Grid)
	}
	for i := range v.Data {
		if v.Data[i] != want.Data[i] {
			t.Fatalf("voxel %d differs", i)
		}
	}
	one, err := decodeVolume("slice.dcm", files[0].Data, false)
	if err != nil || one.Dims[2] != 1 {
		t.Errorf("one .dcm: %v", err)
	}
	if _, err := decodeVolume("x", append([]byte(filesMagic), 0, 0, 0, 9), false); err == nil || strings.Contains(err.Error(), "\\n") {
		t.Errorf("truncated pack: %v", err)
	}
}
