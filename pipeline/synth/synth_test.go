package synth

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
)

// TestTable1Reproduced checks the default 82-patient plan against the
// paper's Table 1: class sizes, exact counts, and means and SDs within the
// rounding the integer scores allow.
func TestTable1Reproduced(t *testing.T) {
	c, err := Plan(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := cohort.DeriveOutcome(c.Patients)
	if err != nil {
		t.Fatal(err)
	}
	if o.Good != 49 || o.Poor != 33 {
		t.Errorf("%d good / %d poor, want 49 / 33", o.Good, o.Poor)
	}
	if o.Threshold <= -5 || o.Threshold >= -4 {
		t.Errorf("threshold %g, want in (-5, -4) (paper -4.55)", o.Threshold)
	}
	tab, err := cohort.BuildTable1(c.Patients, o.Labels, o.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]cohort.Row{}
	var cur string
	for _, r := range tab.Rows {
		if !r.Level {
			cur = r.Label
		}
		rows[cur] = append(rows[cur], r)
	}
	// Paper's Table 1 (good, poor).
	for label, want := range map[string][4]float64{
		"Age, mean (SD), y":                                          {52.07, 12.7, 52.73, 12.53},
		"Time from injury to surgery, mean (SD), day":                {15.3, 17.87, 11.16, 9.73},
		"ASIA motor score-upper extremities at admission, mean (SD)": {25.57, 16.05, 22.64, 14.41},
	} {
		r := rows[label][0]
		got := [4]float64{r.MeanGood, r.SDGood, r.MeanPoor, r.SDPoor}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 0.35 {
				t.Errorf("%s: got %.2f, paper %.2f (mean/SD good, mean/SD poor: %v)", label, got[i], want[i], got)
			}
		}
		if !r.HasP || r.P < 0.05 {
			t.Errorf("%s: p = %v, want > 0.05 as in the paper", label, r.P)
		}
	}
	for label, want := range map[string][][2]int{
		"Sex":                     {{34, 29}, {15, 4}},
		"Cause of injury":         {{20, 15}, {11, 6}, {5, 3}, {13, 9}},
		"ASIA grade at admission": {{8, 5}, {6, 9}, {16, 7}, {15, 10}, {4, 2}},
		"ASIA grade at 1 years":   {{4, 3}, {4, 3}, {5, 7}, {29, 18}, {7, 2}},
	} {
		for i, w := range want {
			r := rows[label][i+1]
			if r.CountGood != w[0] || r.CountPoor != w[1] {
				t.Errorf("%s %s: %d/%d, paper %d/%d", label, r.Label, r.CountGood, r.CountPoor, w[0], w[1])
			}
		}
	}
	for _, p := range c.Patients {
		if p.UEMS1y < 0 || p.UEMS1y > 50 || p.UEMSAdmission < 0 || p.UEMSAdmission > 50 {
			t.Errorf("%s: UEMS out of range %v %v", p.ID, p.UEMSAdmission, p.UEMS1y)
		}
	}
}

func TestPlanScales(t *testing.T) {
	for _, n := range []int{4, 12, 30, 200} {
		c, err := Plan(Options{N: n, Seed: 5})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		o, err := cohort.DeriveOutcome(c.Patients)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if want := int(math.Round(float64(n) * 49 / 82)); o.Good != want {
			t.Errorf("n=%d: %d good, want %d", n, o.Good, want)
		}
	}
	if _, err := Plan(Options{N: 3}); err == nil {
		t.Error("n=3: no error")
	}
}

// TestMasks renders every patient of a 30-patient small cohort: both
// labels present in both raters' masks, labels only inside the image's
// cord, and the raters agree as two radiologists would (Dice of the
// lesion 0.6–0.98, not identical).
func TestMasks(t *testing.T) {
	c, err := Plan(Options{N: 30, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var diceSum float64
	for i, k := range c.Cases {
		img, m1, m2, err := c.Render(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := img.SameGrid(m1.Grid, 0); err != nil {
			t.Fatal(err)
		}
		var n [2][3]int
		var both int
		for j := range m1.Data {
			a, b := int(m1.Data[j]), int(m2.Data[j])
			n[0][a]++
			n[1][b]++
			if a == 1 && b == 1 {
				both++
			}
			if x := img.Data[j]; x < 0 || x > 32767 || x != math.Trunc(x) {
				t.Fatalf("%s: voxel %g not int16", k.ID, x)
			}
		}
		for r := range n {
			if n[r][1] < 20 || n[r][2] < 500 {
				t.Errorf("%s rater %d: %d lesion, %d cord voxels", k.ID, r+1, n[r][1], n[r][2])
			}
		}
		dice := 2 * float64(both) / float64(n[0][1]+n[1][1])
		if dice < 0.5 || dice == 1 {
			t.Errorf("%s: lesion Dice between raters %.3f", k.ID, dice)
		}
		diceSum += dice
	}
	m := diceSum / float64(len(c.Cases))
	t.Logf("mean lesion Dice between raters: %.3f", m)
	if m < 0.7 || m > 0.98 {
		t.Errorf("mean lesion Dice %.3f, want 0.7–0.98", m)
	}
}

// TestDeterministic writes the same small cohort with one and with three
// workers and compares every byte.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := Write(a, Options{N: 5, Seed: 9, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Write(b, Options{N: 5, Seed: 9, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if *sa != *sb || sa.Files != 2+3*5 {
		t.Errorf("summaries %+v vs %+v", sa, sb)
	}
	err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs (%v)", rel, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The folder loads and validates.
	if _, err := cohort.Load(a); err != nil {
		t.Error(err)
	}
	// Another seed gives another cohort.
	c1, _ := Plan(Options{Seed: 1})
	c2, _ := Plan(Options{Seed: 2})
	if c1.Cases[0] == c2.Cases[0] {
		t.Error("seeds 1 and 2 give the same first patient")
	}
}

// TestCentresDiffer checks that the centre effect is visible in a simple
// feature (mean CSF-to-cord-normalised intensity would cancel it; the raw
// cord mean must not).
func TestCentresDiffer(t *testing.T) {
	c, err := Plan(Options{N: 24, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]float64{}
	cnt := map[string]float64{}
	for i, k := range c.Cases {
		img, m1, _, err := c.Render(i)
		if err != nil {
			t.Fatal(err)
		}
		var s, n float64
		for j, l := range m1.Data {
			if l == 2 {
				s += img.Data[j]
				n++
			}
		}
		sum[k.Center] += s / n
		cnt[k.Center]++
	}
	a, b := sum["A"]/cnt["A"], sum["B"]/cnt["B"]
	if b < 1.5*a {
		t.Errorf("mean cord intensity A %.0f, B %.0f: centre B should be far brighter", a, b)
	}
}

// Every planned cohort passes the cohort checks: the outcome steering once
// pushed a poor-prognosis patient's one-year score above 50 (n 30, seed 7;
// n 50, seed 12).
func TestPlanScoresInRange(t *testing.T) {
	for _, c := range []struct {
		n    int
		seed uint64
	}{{30, 7}, {50, 12}, {82, 1}, {20, 3}} {
		co, err := Plan(Options{N: c.n, Seed: c.seed, Size: Small})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range co.Patients {
			if p.UEMS1y < 0 || p.UEMS1y > cohort.MaxUEMS || p.UEMSAdmission < 0 || p.UEMSAdmission > cohort.MaxUEMS {
				t.Errorf("n %d seed %d: %s has UEMS %g → %g outside [0, %d]", c.n, c.seed, p.ID, p.UEMSAdmission, p.UEMS1y, cohort.MaxUEMS)
			}
		}
	}
}
