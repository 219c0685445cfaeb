package toy

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestDir(t *testing.T) {
	t.Setenv(EnvOut, "")
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	// The test runs in kernel/toy: the repository root is two levels up.
	root, _ := filepath.Abs("../..")
	if want := filepath.Join(root, "out", "notebooks"); d != want {
		t.Errorf("Dir() = %s, want %s", d, want)
	}
	t.Setenv(EnvOut, "rel/out")
	d, err = Dir()
	if err != nil || !filepath.IsAbs(d) || filepath.Base(d) != "out" {
		t.Errorf("Dir() with %s=rel/out: %s, %v; want an absolute path ending in out", EnvOut, d, err)
	}
}

// TestCohortConcurrent writes the toy cohort from two goroutines at once,
// as two notebooks executed together do: both get the same complete folder
// and no temporary folder is left behind.
func TestCohortConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 40-patient cohort (about 2 s)")
	}
	dir := t.TempDir()
	var wg sync.WaitGroup
	paths, errs := make([]string, 2), make([]error, 2)
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths[g], errs[g] = Cohort(dir)
		}()
	}
	wg.Wait()
	for g := range 2 {
		if errs[g] != nil || paths[g] != filepath.Join(dir, "cohort") {
			t.Fatalf("goroutine %d: %s, %v", g, paths[g], errs[g])
		}
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Patients) != Patients {
		t.Errorf("%d patients, want %d", len(c.Patients), Patients)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only cohort", names)
	}
	train, test, err := Split(c)
	if err != nil || len(train)+len(test) != Patients || len(test) != 12 {
		t.Errorf("split %d/%d, %v; want 28/12", len(train), len(test), err)
	}
}

func TestSettings(t *testing.T) {
	p := Profile()
	if p.Name != "notebook" || len(p.DeepArchs) != 1 || p.DeepArchs[0] != "resnet34" || p.Perms != 20 || p.Bootstraps != 20 || p.Repeats != 2 {
		t.Errorf("Profile() = %+v", p)
	}
	if c := DeepConfig("resnet18"); c.Size != 32 || c.Train.Epochs != 8 || c.Arch != "resnet18" {
		t.Errorf("DeepConfig = %+v", c)
	}
	if c := GradCAMConfig("resnet18"); c.Size != 64 || c.Train.Epochs != 3 {
		t.Errorf("GradCAMConfig = %+v", c)
	}
	cfg, err := RunConfig(t.TempDir(), "06", nil)
	if err == nil && filepath.Base(cfg.Out) != "run-06" {
		t.Errorf("RunConfig out = %s", cfg.Out)
	}
}
