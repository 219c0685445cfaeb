package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
)

// TestShardMerge: scirad extract -shard K/N (and the Slurm array variables
// in its place) then scirad merge write the three files of one scirad
// extract, byte for byte; an incomplete set is refused, naming the shard.
func TestShardMerge(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 6, Seed: 3, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, "manifest.csv")
	one := filepath.Join(dir, "one", "radiomics.csv")
	os.MkdirAll(filepath.Dir(one), 0o755)
	if rc, _, e := runMain("extract", "-manifest", manifest, "-o", one, "-q", "-icc", "0.8"); rc != 0 {
		t.Fatalf("extract: %s", e)
	}
	sh := filepath.Join(dir, "sh", "radiomics.csv")
	os.MkdirAll(filepath.Dir(sh), 0o755)
	if rc, out, e := runMain("extract", "-manifest", manifest, "-o", sh, "-q", "-shard", "0/3"); rc != 0 || !strings.Contains(out, "radiomics.shard-0-of-3.csv") {
		t.Fatalf("extract -shard 0/3: %s%s", out, e)
	}
	// Tasks 1 and 2 of a Slurm array 0-2.
	for _, k := range []string{"1", "2"} {
		t.Setenv("SLURM_ARRAY_TASK_ID", k)
		t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
		t.Setenv("SLURM_ARRAY_TASK_MIN", "0")
		t.Setenv("SLURM_ARRAY_TASK_MAX", "2")
		if rc, _, e := runMain("extract", "-manifest", manifest, "-o", sh, "-q"); rc != 0 {
			t.Fatalf("extract as array task %s: %s", k, e)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "sh", "radiomics.shard-*-of-3.csv"))
	if len(shards) != 3 {
		t.Fatalf("shard files %v", shards)
	}
	merged := filepath.Join(dir, "sh", "merged.csv")
	if rc, _, e := runMain("merge", "-o", merged, shards[1]); rc != 1 || !strings.Contains(e, "2 of 3 shards missing: 0, 2") {
		t.Errorf("merge of one shard: exit %d, %s", rc, e)
	}
	if rc, _, e := runMain("merge", "-o", shards[0], shards[0], shards[1], shards[2]); rc != 1 || !strings.Contains(e, "input") {
		t.Errorf("merge over a shard: exit %d, %s", rc, e)
	}
	if rc, _, e := runMain("merge", "-o", merged); rc != 2 || !strings.Contains(e, "no shard files") {
		t.Errorf("merge without shards: exit %d, %s", rc, e)
	}
	if rc, _, e := runMain("merge", "-o", merged, "-icc", "0.8", shards[2], shards[0], shards[1]); rc != 0 {
		t.Fatalf("merge: %s", e)
	}
	for _, suf := range []string{".csv", "_rater2.csv", "_icc.csv"} {
		a, errA := os.ReadFile(strings.TrimSuffix(one, ".csv") + suf)
		b, errB := os.ReadFile(strings.TrimSuffix(merged, ".csv") + suf)
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: merged differs from one process (%v, %v)", suf, errA, errB)
		}
	}
}
