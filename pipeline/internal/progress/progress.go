// Package progress draws the one-line progress bars of scirad's long stages
// (extraction over patients, training epochs, model fitting). On a terminal
// the bar is redrawn in place, at most ten times a second; into a file or a
// pipe it prints a plain line at every tenth of the work, so logs stay short;
// on a writer that can show live lines (a notebook's display cell, see
// LiveWriter) each bar keeps one line of its own, replaced in place.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar is a progress bar over a known number of steps. Its methods may be
// called from several goroutines.
type Bar struct {
	mu        sync.Mutex
	w         io.Writer
	label     string
	total     int
	done      int
	note      string
	start     time.Time
	last      time.Time
	lastTenth int
	tty       bool
	live      func(line string)
}

// LiveWriter is a writer that can also show lines that are later replaced
// in place, as a notebook's display cells can (kernel/display.Progress).
// Live returns a function that shows a line in a place of its own, each
// call replacing what the previous one showed there.
type LiveWriter interface {
	io.Writer
	Live() func(line string)
}

// New starts a bar of total steps on w (nil means no output).
func New(w io.Writer, label string, total int) *Bar {
	if w == nil {
		w = io.Discard
	}
	b := &Bar{w: w, label: label, total: total, start: time.Now(), tty: isTerminal(w), lastTenth: -1}
	if lw, ok := w.(LiveWriter); ok {
		b.live = lw.Live()
	}
	b.mu.Lock()
	b.draw(true)
	b.mu.Unlock()
	return b
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Step advances the bar by one step.
func (b *Bar) Step() { b.Add(1, "") }

// Add advances the bar by n steps and, when note is not empty, replaces the
// text shown after the count (a loss, a learning rate).
func (b *Bar) Add(n int, note string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if note != "" {
		b.note = note
	}
	b.draw(b.done >= b.total)
}

func (b *Bar) draw(force bool) {
	now := time.Now()
	const width = 30
	fill := 0
	tenth := 10
	if b.total > 0 {
		fill = width * min(b.done, b.total) / b.total
		tenth = 10 * min(b.done, b.total) / b.total
	}
	line := fmt.Sprintf("   %-22s [%s%s] %d/%d %6.1fs %s", b.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill),
		b.done, b.total, now.Sub(b.start).Seconds(), b.note)
	switch {
	case b.live != nil:
		if force || now.Sub(b.last) >= 100*time.Millisecond {
			b.live(strings.TrimRight(line, " "))
			b.last = now
		}
	case b.tty:
		if force || now.Sub(b.last) >= 100*time.Millisecond {
			fmt.Fprintf(b.w, "\r%s", line)
			b.last = now
		}
		if b.done >= b.total && b.total > 0 {
			fmt.Fprintln(b.w)
		}
	case tenth > b.lastTenth:
		fmt.Fprintln(b.w, strings.TrimRight(line, " "))
		b.lastTenth = tenth
	}
}
