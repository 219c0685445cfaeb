package batch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/radiomics"
	"github.com/scirad/scirad/pipeline/table"
)

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"0/1", Shard{0, 1}, ""},
		{"3/8", Shard{3, 8}, ""},
		{" 7 / 8 ", Shard{7, 8}, ""},
		{"8/8", Shard{}, "outside 0…7"},
		{"-1/8", Shard{}, "outside"},
		{"1/0", Shard{}, "must be 1 to"},
		{"1/99999999", Shard{}, "must be 1 to"},
		{"1", Shard{}, "want K/N"},
		{"a/b", Shard{}, "want K/N"},
	} {
		got, err := ParseShard(c.in)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseShard(%q) error %v, want one containing %q", c.in, err, c.err)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	slurm := env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "3")
	resubmit := env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "1", "SLURM_ARRAY_TASK_MIN", "2", "SLURM_ARRAY_TASK_MAX", "2")
	k8s := env("JOB_COMPLETION_INDEX", "5")
	for _, c := range []struct {
		name   string
		flag   string
		shards int
		getenv func(string) string
		want   Shard
		err    string
	}{
		{"nothing", "", 0, env(), Shard{}, ""},
		{"flag", "1/3", 0, slurm, Shard{1, 3}, ""},
		{"flag and shards agree", "1/3", 3, env(), Shard{1, 3}, ""},
		{"flag and shards disagree", "1/3", 4, env(), Shard{}, "disagree"},
		{"slurm array 0-3", "", 0, slurm, Shard{2, 4}, ""},
		{"slurm resubmitted task without -shards", "", 0, resubmit, Shard{}, "give -shards N"},
		{"slurm resubmitted task with -shards", "", 4, resubmit, Shard{2, 4}, ""},
		{"slurm task beyond -shards", "", 2, slurm, Shard{}, "outside"},
		{"slurm garbage", "", 0, env("SLURM_ARRAY_TASK_ID", "x"), Shard{}, "not a whole number"},
		{"k8s with -shards", "", 8, k8s, Shard{5, 8}, ""},
		{"k8s without -shards", "", 0, k8s, Shard{}, "give -shards N"},
		{"-shards alone", "", 4, env(), Shard{}, "which shard"},
	} {
		got, err := ShardFromEnv(c.flag, c.shards, c.getenv)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.err)
		}
	}
}

// TestShardPartition: every patient is in exactly one shard, the shard
// depends on the id alone (not the manifest order or the other patients),
// and the shards are balanced on a large cohort.
func TestShardPartition(t *testing.T) {
	var rows []cohort.ManifestEntry
	for i := range 10000 {
		rows = append(rows, cohort.ManifestEntry{ID: fmt.Sprintf("SCI%05d", i)})
	}
	rev := slices.Clone(rows)
	slices.Reverse(rev)
	for _, n := range []int{1, 3, 8, 64} {
		count := make([]int, n)
		for k := range n {
			s := Shard{k, n}
			picked := s.Pick(rows)
			count[k] = len(picked)
			var a, b []string
			for _, i := range picked {
				a = append(a, rows[i].ID)
			}
			for _, i := range s.Pick(rev) {
				b = append(b, rev[i].ID)
			}
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Fatalf("shard %s: membership depends on the manifest order", s)
			}
			// Dropping half the cohort moves no one between shards.
			for _, i := range s.Pick(rows[:5000]) {
				if ShardOf(rows[i].ID, n) != k {
					t.Fatalf("shard %s: patient %s moved", s, rows[i].ID)
				}
			}
		}
		total, lo, hi := 0, slices.Min(count), slices.Max(count)
		for _, c := range count {
			total += c
		}
		if total != len(rows) {
			t.Fatalf("%d shards hold %d patients, want %d", n, total, len(rows))
		}
		if mean := len(rows) / n; float64(hi-lo) > 0.25*float64(mean)+10 {
			t.Errorf("%d shards unbalanced: %d to %d patients", n, lo, hi)
		}
	}
	if got := (Shard{3, 12}).Path("out/radiomics.csv"); got != "out/radiomics.shard-03-of-12.csv" {
		t.Errorf("Path: %s", got)
	}
}

// extractShards runs each shard of n over rows, as separate processes
// would, and returns the shard files.
func extractShards(t *testing.T, dir string, rows []cohort.ManifestEntry, cs radiomics.CohortSettings, n int) []string {
	t.Helper()
	var paths []string
	for k := range n {
		s := Shard{k, n}
		var sub []cohort.ManifestEntry
		for _, i := range s.Pick(rows) {
			sub = append(sub, rows[i])
		}
		path := s.Path(filepath.Join(dir, "radiomics.csv"))
		res, err := ExtractCohort(context.Background(), sub, cs, Options{Workers: 1, Resume: path + ".resume"})
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteShard(path, s, rows, cs.Hash(), res); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

func tableBytes(t *testing.T, tb *table.Table) []byte {
	t.Helper()
	if tb == nil {
		return nil
	}
	var b bytes.Buffer
	if err := tb.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMergeEqualsWhole: for 1 to 5 shards (5 patients, so some shards are
// empty), the merged tables are byte for byte those of one extraction.
func TestMergeEqualsWhole(t *testing.T) {
	rows := writeToyCohort(t, 5)
	cs := radiomics.PaperCohortSettings()
	whole, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := tableBytes(t, whole.Features), tableBytes(t, whole.Rater2)
	for n := 1; n <= 5; n++ {
		paths := extractShards(t, t.TempDir(), rows, cs, n)
		slices.Reverse(paths) // the order of the files does not matter
		got, h, err := Merge(paths)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		if h.Shards != n || h.Patients != 5 || h.Settings != cs.Hash() {
			t.Errorf("%d shards: header %+v", n, h)
		}
		if !bytes.Equal(tableBytes(t, got.Features), w1) || !bytes.Equal(tableBytes(t, got.Rater2), w2) {
			t.Fatalf("%d shards: merged tables differ from the single extraction", n)
		}
	}
}

// TestMergeRefuses: a missing shard, a shard given twice, shards of other
// settings, a dropped patient, a patient in the wrong shard, foreign files.
func TestMergeRefuses(t *testing.T) {
	rows := writeToyCohort(t, 5)
	cs := radiomics.PaperCohortSettings()
	dir := t.TempDir()
	paths := extractShards(t, dir, rows, cs, 3)
	cs16 := cs
	cs16.Features.BinCount = 16
	other := extractShards(t, t.TempDir(), rows, cs16, 3)
	fewer := extractShards(t, t.TempDir(), rows[:4], cs, 3)
	edit := func(name string, f func(string) string) string {
		b, err := os.ReadFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(f(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lines := func(s string) []string { return strings.SplitAfter(s, "\n") }
	dropLast := edit("drop.csv", func(s string) string {
		l := lines(s)
		return strings.Join(l[:len(l)-2], "") // the last row (and the empty tail)
	})
	otherVersion := edit("version.csv", func(s string) string {
		return strings.Replace(s, `"version":"`, `"version":"v9.9.9 `, 1)
	})
	wrongShard := edit("wrong.csv", func(s string) string {
		return strings.Replace(s, `"shard":1,`, `"shard":2,`, 1)
	})
	for _, c := range []struct {
		name  string
		paths []string
		err   string
	}{
		{"missing shard", paths[:2], "1 of 3 shards missing: 2"},
		{"shard twice", []string{paths[0], paths[1], paths[1], paths[2]}, "given twice"},
		{"other settings", []string{paths[0], other[1], paths[2]}, "settings hash"},
		{"other manifest", []string{paths[0], fewer[1], paths[2]}, "manifest hash"},
		{"other version", []string{paths[0], otherVersion, paths[2]}, "scirad version"},
		{"patient dropped", []string{paths[0], dropLast, paths[2]}, "its header says"},
		{"patient in the wrong shard", []string{paths[0], wrongShard, paths[2]}, "belongs to shard"},
		{"not a shard", []string{paths[0], paths[1] + ".resume", paths[2]}, "not a scirad shard file"},
		{"nothing", nil, "no shard files"},
	} {
		_, _, err := Merge(c.paths)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.err)
		}
	}
}
