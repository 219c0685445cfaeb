package synth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadOptions: options a user types (-n, -size, -out) give one-line
// errors that say what is wanted.
func TestBadOptions(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{N: 3}, "synth: need at least 4 patients, got 3"},
		{Options{N: -5}, "synth: need at least 4 patients, got -5"},
		{Options{N: 10000}, "synth: at most 9999 patients, got 10000"},
		{Options{N: 8, Size: 7}, "synth: unknown size 7"},
	} {
		if _, err := Plan(c.o); err == nil || err.Error() != c.want {
			t.Errorf("Plan(%+v): %v, want %q", c.o, err, c.want)
		}
	}
	if _, err := ParseSize("huge"); err == nil || err.Error() != `unknown size "huge" (want small or paper)` {
		t.Errorf("ParseSize: %v", err)
	}
	// An output folder that is a file: an error naming it, nothing written.
	file := filepath.Join(t.TempDir(), "cohort")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(file, Options{N: 4, Seed: 1, Workers: 1})
	if err == nil || !strings.Contains(err.Error(), file) || strings.Contains(err.Error(), "\n") {
		t.Errorf("Write into a file: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Errorf("the file now holds %q", b)
	}
}
