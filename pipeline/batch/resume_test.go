package batch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/radiomics"
)

// TestResumeTornRow: a sidecar whose last row was cut inside its last
// number (as a kill during the write leaves it), or whose row was damaged
// in the middle, is not reused for that extraction: it is recomputed, and
// the table equals a fresh extraction. Without the per-row checksum the
// shortened number would parse and be reused silently.
func TestResumeTornRow(t *testing.T) {
	rows := writeToyCohort(t, 3) // 5 extractions: a, a2, b, c, c2
	cs := radiomics.PaperCohortSettings()
	side := filepath.Join(t.TempDir(), "r.csv.resume")
	fresh, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 1, Resume: side})
	if err != nil {
		t.Fatal(err)
	}
	want := tableBytes(t, fresh.Features)
	orig, err := os.ReadFile(side)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(orig), "\n"), "\n")
	last := lines[len(lines)-1]
	comma := strings.LastIndex(last, ",")
	prev := strings.LastIndex(last[:comma], ",")
	for _, c := range []struct {
		name string
		body string
	}{
		// Cut inside the checksum, the row's last number.
		{"cut inside the checksum", strings.Join(lines[:len(lines)-1], "") + last[:comma+4]},
		// Cut inside the last feature value: the checksum is gone.
		{"cut inside the last value", strings.Join(lines[:len(lines)-1], "") + last[:prev+1+(comma-prev)/2]},
		// A digit changed in the middle of the row, length kept.
		{"a damaged digit", strings.Join(lines[:len(lines)-1], "") + flipDigit(last, len(last)/2) + "\n"},
	} {
		if err := os.WriteFile(side, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 1, Resume: side})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Reused != 4 {
			t.Errorf("%s: reused %d extractions, want 4 (the damaged row recomputed)", c.name, res.Reused)
		}
		if !bytes.Equal(tableBytes(t, res.Features), want) {
			t.Errorf("%s: the resumed table differs from a fresh extraction", c.name)
		}
		// The recomputed row was appended on a line of its own: a third
		// run reuses all five.
		again, err := ExtractCohort(context.Background(), rows, cs, Options{Workers: 1, Resume: side})
		if err != nil || again.Reused != 5 {
			t.Errorf("%s: third run reused %d (%v), want 5", c.name, again.Reused, err)
		}
	}
	// A sidecar of the format before checksums is started afresh.
	old := strings.Replace(string(orig), sidecarMagic, "# scirad extract ", 1)
	if err := os.WriteFile(side, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ExtractCohort(context.Background(), rows[:1], cs, Options{Resume: side})
	if err != nil || res.Reused != 0 {
		t.Errorf("old-format sidecar: reused %d (%v), want 0", res.Reused, err)
	}
	// A symbolic link at the sidecar's name is refused, not written through.
	target := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(t.TempDir(), "link.resume")
	os.Symlink(target, link)
	if _, err := ExtractCohort(context.Background(), rows[:1], cs, Options{Resume: link}); err == nil {
		t.Error("a symbolic link as the resume file: no error")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
}

// flipDigit changes the first digit at or after i.
func flipDigit(s string, i int) string {
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= '0' && b[i] <= '8' {
			b[i]++
			return string(b)
		}
	}
	panic("no digit to flip")
}
