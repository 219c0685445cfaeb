package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/synth"
)

// TestDeepShards: the per-patient part of scirad deep (reading and
// preprocessing) run as shards, then the training with -inputs, writes the
// same table as scirad deep reading the images itself.
func TestDeepShards(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 8, Seed: 2, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, "manifest.csv")
	one := filepath.Join(dir, "one.csv")
	common := []string{"deep", "-manifest", manifest, "-arch", "resnet18", "-epochs", "1"}
	if rc, _, e := runMain(append(common, "-o", one)...); rc != 0 {
		t.Fatalf("deep: %s", e)
	}
	out := filepath.Join(dir, "deep.csv")
	for _, k := range []string{"0/2", "1/2"} {
		if rc, o, e := runMain("deep", "-manifest", manifest, "-o", out, "-shard", k); rc != 0 || !strings.Contains(o, "deep.shard-") {
			t.Fatalf("deep -shard %s: %s%s", k, o, e)
		}
	}
	inputs := filepath.Join(dir, "deep.shard-*-of-2.inputs")
	if rc, _, e := runMain(append(common, "-o", out, "-inputs", filepath.Join(dir, "deep.shard-0-of-2.inputs"))...); rc != 1 || !strings.Contains(e, "1 of 2 shards missing: 1") {
		t.Errorf("one shard of two: exit %d, %s", rc, e)
	}
	if rc, _, e := runMain(append(common, "-o", out, "-inputs", inputs)...); rc != 0 {
		t.Fatalf("deep -inputs: %s", e)
	}
	a, _ := os.ReadFile(one)
	b, _ := os.ReadFile(out)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("deep features from sharded inputs differ from a single deep run")
	}
}
