package run

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// StageTiming is one stage's wall time and peak resident memory.
type StageTiming struct {
	Name      string  `json:"name"`
	Seconds   float64 `json:"seconds"`
	PeakRSSMB float64 `json:"peak_rss_mb"` // peak resident set during the stage; 0 where unknown
	Summary   string  `json:"summary"`
}

// stages runs named stages in order, timing them and printing one summary
// line per stage.
type stages struct {
	log     io.Writer
	timings []StageTiming
}

// do runs f as stage name. f returns a one-line summary.
func (s *stages) do(name string, f func() (string, error)) error {
	resetPeakRSS()
	fmt.Fprintf(s.log, "== %s\n", name)
	start := time.Now()
	summary, err := f()
	t := StageTiming{Name: name, Seconds: time.Since(start).Seconds(), PeakRSSMB: peakRSSMB(), Summary: summary}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	s.timings = append(s.timings, t)
	fmt.Fprintf(s.log, "   %-10s %6.1fs  peak %5.0f MB  %s\n", name, t.Seconds, t.PeakRSSMB, summary)
	return nil
}

// resetPeakRSS clears the kernel's high-water mark of this process's
// resident set (Linux: writing 5 to /proc/self/clear_refs), so that each
// stage reports its own peak.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMB reads VmHWM from /proc/self/status.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
