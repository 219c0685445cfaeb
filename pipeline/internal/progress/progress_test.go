package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestBarIntoAFilePrintsTenthsOnly(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "extract", 100)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				b.Step()
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines, want 11 (0%%, 10%%, …, 100%%):\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[10], "[##############################] 100/100") {
		t.Fatalf("last line %q", lines[10])
	}
	if strings.Contains(buf.String(), "\r") {
		t.Fatal("carriage returns in a non-terminal log")
	}
}

func TestBarNote(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "resnet18 median", 2)
	b.Add(1, "loss 0.6931")
	b.Add(1, "loss 0.5000")
	if !strings.Contains(buf.String(), "2/2") || !strings.HasSuffix(strings.TrimSpace(buf.String()), "loss 0.5000") {
		t.Fatalf("%q", buf.String())
	}
}
