//go:build !js

package main

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
)

func labelVolume() *volume.Volume {
	v := &volume.Volume{Grid: volume.NewGrid([3]int{4, 3, 2}, [3]float64{0.5, 0.5, 3})}
	v.Data = make([]float64, 24)
	v.Data[v.Index(1, 1, 0)] = 1
	v.Data[v.Index(2, 1, 1)] = 2
	return v
}

// decodeVolume reads NIfTI (plain or gzip, by name or by magic) and
// attached NRRD from bytes into the volume the file holds, and refuses what
// the page must not load, naming the file.
func TestDecodeVolume(t *testing.T) {
	v := labelVolume()
	var ni, niz, nr bytes.Buffer
	if err := nifti.Encode(&ni, v, nil); err != nil {
		t.Fatal(err)
	}
	if err := nifti.Encode(&niz, v, &nifti.Options{Compress: true}); err != nil {
		t.Fatal(err)
	}
	if err := nrrd.Encode(&nr, v, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"mask.nii", ni.Bytes()}, {"mask.nii.gz", niz.Bytes()}, {"mask.nrrd", nr.Bytes()}, {"mask", nr.Bytes()}, {"mask.bin", niz.Bytes()}} {
		got, err := decodeVolume(c.name, c.data, true)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.Dims != v.Dims || !slicesEqual(got.Data, v.Data) {
			t.Errorf("%s: dims %v data %v; want %v %v", c.name, got.Dims, got.Data, v.Dims, v.Data)
		}
	}

	frac := labelVolume()
	frac.Data[0] = 0.5
	var fr bytes.Buffer
	if err := nifti.Encode(&fr, frac, nil); err != nil {
		t.Fatal(err)
	}
	absurd := bytes.Clone(ni.Bytes()[:352])
	for k, d := range []int16{1024, 1024, 64} { // 64 Mi voxels, beyond MaxVoxels
		binary.LittleEndian.PutUint16(absurd[42+2*k:], uint16(d))
	}
	for _, c := range []struct {
		name     string
		data     []byte
		labelMap bool
		want     string
	}{
		{"notes.txt", []byte("patient notes\n"), false, "notes.txt: "},
		{"empty.nii", nil, false, "empty.nii: "},
		{"cut.nii.gz", niz.Bytes()[:niz.Len()/2], false, "cut.nii.gz: "},
		{"absurd.nii", absurd, false, "absurd.nii: dimensions 1024×1024×64 (67108864 voxels) exceed the browser demo's limit"},
		{"frac.nii", fr.Bytes(), true, "frac.nii: label map voxel (0,0,0) is 0.5"},
	} {
		_, err := decodeVolume(c.name, c.data, c.labelMap)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := decodeVolume("frac.nii", fr.Bytes(), false); err != nil {
		t.Errorf("a fractional image is a valid image: %v", err)
	}
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
