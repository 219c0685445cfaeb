package cohort_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
)

const clinicalHead = "patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\n"

// TestReadersBadInput checks each data problem of the two CSV readers
// gives one line that names the file and the problem.
func TestReadersBadInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "img.nii"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file, in, want string
	}{
		{"empty clinical", "clinical.csv", "", "empty file, expected a header with patient_id,center,age"},
		{"header only", "clinical.csv", clinicalHead, "no rows"},
		{"ragged row", "clinical.csv", clinicalHead + "P1,A,40\n", "wrong number of fields"},
		{"bare quote", "clinical.csv", clinicalHead + "P\"1,A,40,male,3,fall,C,20,D,30\n", `bare " in non-quoted-field`},
		{"repeated column", "clinical.csv", "age," + clinicalHead, `column "age" appears twice`},
		{"empty id", "clinical.csv", clinicalHead + ",A,40,male,3,fall,C,20,D,30\n", "empty patient_id: line 2"},
		{"id with a newline", "clinical.csv", clinicalHead + "\"P\n1\",A,40,male,3,fall,C,20,D,30\n\"P\n1\",A,40,male,3,fall,C,20,D,30\n", `duplicate patient_id: "P\n1"`},
		{"empty centre", "clinical.csv", clinicalHead + "P1, ,40,male,3,fall,C,20,D,30\n", "column center: empty: P1"},
		{"infinite age", "clinical.csv", clinicalHead + "P1,A,Inf,male,3,fall,C,20,D,30\n", `column age: not a finite number: P1 ("Inf")`},
		{"negative days", "clinical.csv", clinicalHead + "P1,A,40,male,-2,fall,C,20,D,30\n", "column days_to_surgery: outside [0, 36500]: P1 (-2)"},
		{"empty grade", "clinical.csv", clinicalHead + "P1,A,40,male,3,fall,,20,D,30\n", `column asia_admission: unknown category (expected A|B|C|D|E): P1 ("")`},
		{"empty manifest", "manifest.csv", "", "empty file, expected a header with patient_id,center,image,mask"},
		{"empty image path", "manifest.csv", "patient_id,center,image,mask\nP1,A,,img.nii\n", "column image: empty path: P1"},
		{"missing rater-2 mask", "manifest.csv", "patient_id,center,image,mask,mask_rater2\nP1,A,img.nii,img.nii,r2.nii\n", "column mask_rater2: file not found: P1 (r2.nii)"},
		{"header with a tab", "manifest.csv", "patient_id\tcenter\n", `missing column(s) patient_id, center, image, mask (header has "patient_id\tcenter")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			if err := os.WriteFile(p, []byte(c.in), 0o644); err != nil {
				t.Fatal(err)
			}
			var err error
			if c.file == "clinical.csv" {
				_, err = cohort.ReadClinical(p)
			} else {
				_, err = cohort.ReadManifest(p)
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, p+": ") || strings.Contains(msg, "\n") || !strings.Contains(msg, c.want) {
				t.Errorf("error %q\nwant one line starting with the path and holding %q", msg, c.want)
			}
		})
	}
	if _, err := cohort.ReadClinical(filepath.Join(dir, "absent.csv")); err == nil || !strings.Contains(err.Error(), "absent.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// TestOutcomeAndTable1BadInput covers the data problems past the readers:
// no patients, one outcome class, labels that do not fit the patients.
func TestOutcomeAndTable1BadInput(t *testing.T) {
	if _, err := cohort.DeriveOutcome(nil); err == nil || err.Error() != "no patients" {
		t.Errorf("no patients: %v", err)
	}
	ps, o := n30(t)
	if _, err := cohort.BuildTable1(ps, o.Labels[1:], o.Threshold); err == nil || !strings.Contains(err.Error(), "table 1: 29 labels for 30 patients") {
		t.Errorf("short labels: %v", err)
	}
	bad := append([]int(nil), o.Labels...)
	bad[3] = 2
	if _, err := cohort.BuildTable1(ps, bad, o.Threshold); err == nil || !strings.Contains(err.Error(), "patient SCI004 has label 2, want 0 or 1") {
		t.Errorf("label 2: %v", err)
	}
	if _, err := cohort.BuildTable1(ps, make([]int, len(ps)), o.Threshold); !errors.Is(err, cohort.ErrOneClass) || !strings.Contains(err.Error(), "0 good, 30 poor") {
		t.Errorf("one class: %v", err)
	}
}

// TestLoadOneClassNamesTheFile: a cohort whose outcome has one class is
// refused with clinical.csv's path in the message.
func TestLoadOneClassNamesTheFile(t *testing.T) {
	dir := copyToy(t)
	p := filepath.Join(dir, "clinical.csv")
	rows := readRows(t, p)
	for i := 1; i < len(rows); i++ {
		rows[i][col(rows, "uems_admission")] = "20"
		rows[i][col(rows, "uems_1y")] = "30"
	}
	writeRows(t, p, rows)
	_, err := cohort.LoadOptions(dir, &cohort.Options{SkipImages: true})
	if !errors.Is(err, cohort.ErrOneClass) || !strings.Contains(err.Error(), "clinical.csv: ") {
		t.Errorf("one class: %v", err)
	}
}
