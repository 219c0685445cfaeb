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

// liveLines is a LiveWriter that records each live place's lines.
type liveLines struct {
	bytes.Buffer
	places [][]string
}

func (l *liveLines) Live() func(string) {
	i := len(l.places)
	l.places = append(l.places, nil)
	return func(s string) { l.places[i] = append(l.places[i], s) }
}

// TestBarLive: on a LiveWriter a bar writes nothing to the stream; it
// replaces its own live line, first drawn at 0 and last at the total, and
// two bars keep two places.
func TestBarLive(t *testing.T) {
	var w liveLines
	a := New(&w, "first", 3)
	b := New(&w, "second", 1)
	for range 3 {
		a.Step()
	}
	b.Step()
	if w.Len() != 0 {
		t.Errorf("a live bar wrote to the stream: %q", w.String())
	}
	if len(w.places) != 2 {
		t.Fatalf("%d live places, want one per bar", len(w.places))
	}
	first := w.places[0]
	if !strings.Contains(first[0], "first") || !strings.Contains(first[0], "0/3") || !strings.Contains(first[len(first)-1], "3/3") {
		t.Errorf("first bar's lines %q: want 0/3 first and 3/3 last", first)
	}
	if last := w.places[1][len(w.places[1])-1]; !strings.Contains(last, "second") || !strings.Contains(last, "1/1") {
		t.Errorf("second bar's last line %q", last)
	}
}
