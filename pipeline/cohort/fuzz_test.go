package cohort_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
)

// The cohort readers take paths, so the fuzz targets write each input to a
// file in a folder of their own (fuzz workers are separate processes, and
// each calls its target sequentially).

// readFuzzed writes in to path and reads it with read. An error must be one
// line starting with the path; ok reports whether the file read.
func readFuzzed[T any](t *testing.T, path string, in []byte, read func(string) (T, error)) (v T, ok bool) {
	t.Helper()
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := read(path)
	if err != nil {
		if msg := err.Error(); !strings.HasPrefix(msg, path+": ") || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("error not one line naming %s: %q", path, msg)
		}
		return v, false
	}
	return v, true
}

// roundTrip writes v with write to the file back and fails unless read
// gives v again.
func roundTrip[T any](t *testing.T, back string, v T, write func(io.Writer, T) error, read func(string) (T, error)) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, v); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(back, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := read(back)
	if err != nil {
		t.Fatalf("what was written does not read back: %v\n%s", err, buf.Bytes())
	}
	if !reflect.DeepEqual(v, again) {
		t.Fatalf("round trip changed the rows:\n%+v\n%+v", v, again)
	}
}

// FuzzReadClinical: no panic; errors are one line naming the file; what
// reads writes back (WriteClinical) to a file that reads to the same
// patients, all within the documented ranges and categories.
func FuzzReadClinical(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cohort", "clinical_n30.csv"))
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	f.Add([]byte(strings.Join(lines[:4], "")))
	f.Add([]byte("\ufeff" + strings.Join(lines[:2], "")))
	f.Add([]byte("extra,uems_1y,asia_1y,uems_admission,asia_admission,cause,days_to_surgery,sex,age,center,patient_id\n" +
		"x, 50 ,e,0,a,Fall,0,FEMALE,130,C, P1 \n"))
	f.Add([]byte(lines[0] + "P1,A,40,male,3,fall,C,20,D,30\nP1,B,nan,cat,-1,fall,F,51,D,30\n"))
	path := filepath.Join(f.TempDir(), "clinical.csv")
	back := path + ".back"
	f.Fuzz(func(t *testing.T, in []byte) {
		ps, ok := readFuzzed(t, path, in, cohort.ReadClinical)
		if !ok {
			return
		}
		for _, p := range ps {
			if p.ID == "" || p.Center == "" || p.Age < 0 || p.Age > 130 || p.UEMSAdmission < 0 ||
				p.UEMSAdmission > cohort.MaxUEMS || p.UEMS1y < 0 || p.UEMS1y > cohort.MaxUEMS || p.DaysToSurgery < 0 {
				t.Fatalf("patient out of range: %+v", p)
			}
		}
		roundTrip(t, back, ps, cohort.WriteClinical, cohort.ReadClinical)
	})
}

// FuzzReadManifest: no panic; errors are one line naming the file; what
// reads names files that exist, and writes back (WriteManifest, absolute
// paths) to a manifest that reads to the same entries.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte("patient_id,center,image,mask,mask_rater2\nP1,A,img.nii,mask.nii,\nP2,B,img.nii,mask.nii,mask.nii\n"))
	f.Add([]byte("mask,image,center,patient_id\r\n./mask.nii,sub/../img.nii,A,P1\r\n"))
	f.Add([]byte("patient_id,center,image,mask\nP1,A,img.nii,\nP1,A,nope.nii,mask.nii\n"))
	dir := f.TempDir()
	for _, name := range []string{"img.nii", "mask.nii"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "manifest.csv")
	back := filepath.Join(dir, "back.csv")
	f.Fuzz(func(t *testing.T, in []byte) {
		es, ok := readFuzzed(t, path, in, cohort.ReadManifest)
		if !ok {
			return
		}
		for _, e := range es {
			for _, p := range []string{e.Image, e.Mask} {
				if _, err := os.Stat(p); err != nil {
					t.Fatalf("entry %+v names a missing file: %v", e, err)
				}
			}
		}
		roundTrip(t, back, es, cohort.WriteManifest, cohort.ReadManifest)
	})
}
