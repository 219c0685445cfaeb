package progress

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestBarEdgeCases: a stage with no work (total 0) prints one line and
// never divides by zero; steps past the total keep a full bar and print no
// further line; a nil writer prints nothing.
func TestBarEdgeCases(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "empty", 0)
	b.Step()
	if got := strings.Count(buf.String(), "\n"); got != 1 || !strings.Contains(buf.String(), "empty") {
		t.Errorf("total 0: %d lines %q", got, buf.String())
	}
	buf.Reset()
	b = New(&buf, "over", 2)
	for range 5 {
		b.Step()
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	last := lines[len(lines)-1]
	if len(lines) != 3 || !strings.Contains(last, "[##############################] 2/2") {
		t.Errorf("steps past the total: %q", buf.String())
	}
	New(nil, "silent", 3).Add(3, "done")
}

// BenchmarkStep: the cost of a step between drawn lines, which every
// patient, epoch and fitted model pays.
func BenchmarkStep(b *testing.B) {
	bar := New(io.Discard, "bench", 1<<40)
	for b.Loop() {
		bar.Step()
	}
}
