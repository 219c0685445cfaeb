// Package outpath keeps scirad's outputs off its inputs. Every command
// that writes a file goes through it, so that no choice of paths — the
// same name, a symbolic link to an input, a folder reached through a
// symbolic link, a hard link, a derived name such as <o>_icc.csv or
// <o>.resume — makes scirad write over a file it reads.
//
// Three mechanisms work together:
//
//   - Check (and CheckAll) compare outputs with inputs by file identity
//     (device and inode, after following every symbolic link), and by
//     resolved path when the output does not exist yet. Commands call it
//     before any work, with every output they will write, derived ones
//     included.
//   - Open opens an input for reading: only a regular file (a FIFO, a
//     device, a socket or a folder is refused before anything is read, so
//     /dev/zero cannot fill memory and a FIFO cannot hang), and, while
//     tracking is on (scirad's command line turns it on), the file is
//     remembered, so that WriteCheck — called by atomicfile.WriteFile and by
//     Create — refuses to write over any file this process has read.
//   - Create and OpenAppend open an output without following a symbolic
//     link at its last element (O_NOFOLLOW), so a planted link cannot
//     redirect a write.
package outpath

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// ErrInput is wrapped by every refusal to write over an input.
var ErrInput = errors.New("refusing to write over an input")

// Check refuses out when it names the same file as one of inputs (empty
// strings are skipped): by identity after following links when both
// exist, by resolved path otherwise. It also refuses an existing out that
// is not a regular file (a device, a FIFO, a folder): outputs are written
// beside it and renamed over it, which must not replace /dev/null.
func Check(out string, inputs ...string) error {
	if out == "" {
		return nil
	}
	if err := checkKind(out); err != nil {
		return err
	}
	ro := resolve(out)
	so, errO := os.Stat(out)
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if errO == nil {
			if si, err := os.Stat(in); err == nil && os.SameFile(so, si) {
				return refusal(out, in)
			}
		}
		if ro != "" && ro == resolve(in) {
			return refusal(out, in)
		}
	}
	return nil
}

// CheckAll checks each output against every input, as Check does, and the
// outputs against each other: two outputs that are the same file would
// leave only the last one written.
func CheckAll(outputs, inputs []string) error {
	for i, o := range outputs {
		if err := Check(o, inputs...); err != nil {
			return err
		}
		for _, p := range outputs[:i] {
			if o != "" && p != "" && Check(o, p) != nil {
				return fmt.Errorf("outputs %s and %s are the same file: choose distinct names", Quote(p), Quote(o))
			}
		}
	}
	return nil
}

func refusal(out, in string) error {
	if out == in {
		return fmt.Errorf("output %s is also an input: %w", Quote(out), ErrInput)
	}
	return fmt.Errorf("output %s is the input %s (the same file once links are followed): %w", Quote(out), Quote(in), ErrInput)
}

// checkKind refuses an existing out that is not a regular file. A
// dangling or valid symbolic link is judged by what it points to; it is
// itself replaced, never written through.
func checkKind(out string) error {
	st, err := os.Stat(out)
	if err != nil {
		return nil // missing (or a dangling link): it will be created
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("output %s exists and is not a regular file (%s): choose a file name", Quote(out), kind(st.Mode()))
	}
	return nil
}

// Within reports whether path, once links are followed, lies inside the
// folder dir (or is dir itself).
func Within(dir, path string) bool {
	rd, rp := resolve(dir), resolve(path)
	if rd == "" || rp == "" {
		return false
	}
	if rd == rp {
		return true
	}
	rel, err := filepath.Rel(rd, rp)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve returns the absolute path of p with every symbolic link in its
// existing part followed; the missing tail is appended as written.
// It returns "" when p cannot be made absolute.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	rest := ""
	cur := abs
	for {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// Resolve is the absolute path of p with its symbolic links followed, as
// Check compares paths.
func Resolve(p string) string { return resolve(p) }

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	case m&os.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file"
}

// Quote prints a path (or any text from the user) for a one-line error:
// quoted, control characters escaped, at most 160 bytes kept (the start
// and the end, joined by …).
func Quote(s string) string {
	const max = 160
	if len(s) > max {
		s = s[:max*2/3] + "…" + s[len(s)-max/3:]
	}
	return fmt.Sprintf("%q", s)
}

// --- inputs: opening and tracking ---

var (
	mu       sync.Mutex
	tracking bool
	read     = map[string]bool{} // resolved paths of the inputs opened
)

// Track turns the memory of inputs on or off, and forgets the inputs
// remembered so far. scirad's command line turns it on for each command;
// library callers (tests, notebooks) that rewrite files they have read
// leave it off.
func Track(on bool) {
	mu.Lock()
	defer mu.Unlock()
	tracking = on
	read = map[string]bool{}
}

// Note remembers path as an input while tracking is on.
func Note(path string) {
	mu.Lock()
	defer mu.Unlock()
	if tracking {
		if r := resolve(path); r != "" {
			read[r] = true
		}
	}
}

// Open opens path for reading. Only a regular file is accepted (after
// following links): a FIFO is not opened at all (that would wait for a
// writer), and a device, socket or folder is refused before a byte is read.
// The file is remembered as an input while tracking is on.
func Open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &os.PathError{Op: "open", Path: path, Err: fmt.Errorf("is %s; want a regular file", kind(st.Mode()))}
	}
	// O_NONBLOCK: should path have been swapped for a FIFO since the Stat,
	// opening it must not wait for a writer; the Stat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("is %s; want a regular file", kind(st.Mode()))
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	Note(path)
	return f, nil
}

// ReadFile reads the whole of the regular file at path, at most limit
// bytes (a longer file is an error), through Open.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d this file may hold", Quote(path), st.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: more than the %d bytes this file may hold", Quote(path), limit)
	}
	return b, nil
}

// WriteCheck refuses to write path when it is one of the inputs this
// process has opened (while tracking), or an existing non-regular file.
// atomicfile.WriteFile and Create call it; commands call Check earlier,
// before any work.
func WriteCheck(path string) error {
	if err := checkKind(path); err != nil {
		return err
	}
	mu.Lock()
	on := tracking
	var ins []string
	if on {
		for p := range read {
			ins = append(ins, p)
		}
	}
	mu.Unlock()
	if !on {
		return nil
	}
	return Check(path, ins...)
}

// Create creates or truncates path for writing (mode 0644) without
// following a symbolic link at its last element, after WriteCheck.
func Create(path string) (*os.File, error) {
	if err := WriteCheck(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|oNofollow, 0o644)
	return f, linkErr(path, err)
}

// CreateExcl creates path, which must not exist (O_EXCL: not even as a
// symbolic link).
func CreateExcl(path string) (*os.File, error) {
	if err := WriteCheck(path); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// OpenAppend opens the existing regular file path for appending without
// following a symbolic link at its last element, after WriteCheck.
func OpenAppend(path string) (*os.File, error) {
	if err := WriteCheck(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|oNofollow|oNonblock, 0)
	if err != nil {
		return nil, linkErr(path, err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file", Quote(path))
	}
	return f, nil
}

func linkErr(path string, err error) error {
	if errors.Is(err, syscall.ELOOP) {
		return fmt.Errorf("output %s is a symbolic link: refusing to write through it", Quote(path))
	}
	return err
}
