package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/synth"
)

func TestDeepCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{N: 10, Seed: 2, Size: synth.Small}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "deep.csv")
	var stdout, stderr bytes.Buffer
	args := []string{"deep", "-manifest", filepath.Join(dir, "manifest.csv"), "-arch", "resnet18", "-o", out}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "from scratch") || !strings.Contains(stderr.String(), "] 3/3 ") {
		t.Errorf("stderr lacks the from-scratch warning or the epoch progress:\n%s", stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	h := rows[0]
	if len(rows) != 11 || len(h) != 3+160 || h[0] != "patient_id" || h[3] != "resnet18_original_pc01" || h[162] != "resnet18_median_pc32" {
		t.Errorf("%d rows, header %v…", len(rows), h[:4])
	}
	var train int
	for _, r := range rows[1:] {
		if r[2] == "train" {
			train++
		}
	}
	if train != 7 {
		t.Errorf("%d training patients, want 7 of 10 (70/30 split)", train)
	}

	stderr.Reset()
	args[4] = "resnet50"
	if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `unknown architecture "resnet50"`) {
		t.Errorf("resnet50: exit %d, %s", code, stderr.String())
	}
}

func TestEmbedCommand(t *testing.T) {
	dir := t.TempDir()
	arch, _ := deep.ArchByName("resnet18")
	w := deep.NewParams(arch, 1000, 1).Torch()
	good := filepath.Join(dir, "r18.safetensors")
	write := func(path string, w map[string]deep.Tensor) {
		var buf bytes.Buffer
		if err := deep.WriteSafetensors(&buf, w, nil); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good, w)
	png := filepath.Join("..", "..", "..", "testdata", "deep", "embed_input.png")
	out := filepath.Join(dir, "emb.csv")
	var stdout, stderr bytes.Buffer
	args := []string{"embed", "-arch", "resnet18", "-weights", good, "-image", png, "-size", "64", "-o", out}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "f000,f001") || len(strings.Split(lines[1], ",")) != 512 {
		t.Errorf("embedding CSV: %d lines, header %.20s", len(lines), lines[0])
	}

	delete(w, "layer4.1.bn2.running_var")
	bad := filepath.Join(dir, "bad.safetensors")
	write(bad, w)
	stderr.Reset()
	args[4] = bad
	if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "layer4.1.bn2.running_var") {
		t.Errorf("missing tensor: exit %d, %s", code, stderr.String())
	}
}
