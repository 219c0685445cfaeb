package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
)

// FuzzPlan plans cohorts of any size and seed and checks that what it
// would write is a valid clinical.csv: every patient passes
// cohort.ReadClinical's checks and reads back unchanged, and the outcome
// has two classes.
func FuzzPlan(f *testing.F) {
	f.Add(uint16(82), uint64(1))
	f.Add(uint16(4), uint64(0))
	f.Add(uint16(30), uint64(7))
	f.Add(uint16(511), uint64(1<<63))
	path := filepath.Join(f.TempDir(), "clinical.csv")
	f.Fuzz(func(t *testing.T, n uint16, seed uint64) {
		o := Options{N: int(n)%300 + 4, Seed: seed}
		c, err := Plan(o)
		if err != nil {
			t.Fatalf("Plan(%+v): %v", o, err)
		}
		var buf bytes.Buffer
		if err := cohort.WriteClinical(&buf, c.Patients); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		ps, err := cohort.ReadClinical(path)
		if err != nil {
			t.Fatalf("Plan(%+v) writes a clinical.csv that does not validate: %v", o, err)
		}
		if !reflect.DeepEqual(ps, c.Patients) {
			t.Fatalf("Plan(%+v): clinical.csv does not read back to the planned patients", o)
		}
		out, err := cohort.DeriveOutcome(ps)
		if err != nil || out.Good == 0 || out.Poor == 0 {
			t.Fatalf("Plan(%+v): outcome %+v, %v", o, out, err)
		}
	})
}
