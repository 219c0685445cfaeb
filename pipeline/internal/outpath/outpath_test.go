package outpath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCheckIdentity covers every way an output path can reach an input:
// the same name, another spelling, a link to it, a folder reached through
// a link, a hard link, and a link planted where the output goes.
func TestCheckIdentity(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	write(t, in, "x")
	other := filepath.Join(dir, "sub")
	os.Mkdir(other, 0o755)
	os.Symlink(in, filepath.Join(dir, "link.csv"))
	os.Symlink(dir, filepath.Join(other, "up"))
	os.Link(in, filepath.Join(dir, "hard.csv"))
	refused := []string{
		in,
		filepath.Join(dir, ".", "sub", "..", "in.csv"),
		filepath.Join(dir, "link.csv"),
		filepath.Join(other, "up", "in.csv"),
		filepath.Join(dir, "hard.csv"),
	}
	for _, out := range refused {
		if err := Check(out, in); !errors.Is(err, ErrInput) {
			t.Errorf("Check(%s, %s) = %v, want a refusal", out, in, err)
		}
		// And the other way round: the input named through the link.
		if err := Check(in, out); !errors.Is(err, ErrInput) {
			t.Errorf("Check(%s, %s) = %v, want a refusal", in, out, err)
		}
	}
	for _, out := range []string{filepath.Join(dir, "new.csv"), filepath.Join(other, "in.csv"), filepath.Join(other, "up", "missing", "x.csv")} {
		if err := Check(out, in, ""); err != nil {
			t.Errorf("Check(%s) = %v, want nil", out, err)
		}
	}
	// A missing output reached through a linked folder equals the same missing path.
	a, b := filepath.Join(other, "up", "new.csv"), filepath.Join(dir, "new.csv")
	if err := CheckAll([]string{a, b}, nil); err == nil {
		t.Errorf("CheckAll(%s, %s) = nil, want 'same file'", a, b)
	}
}

func TestCheckKind(t *testing.T) {
	dir := t.TempDir()
	for _, out := range []string{"/dev/null", dir} {
		if err := Check(out); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Check(%s) = %v, want 'not a regular file'", out, err)
		}
	}
}

func TestOpenRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	for _, p := range []string{"/dev/zero", dir, fifo} {
		go func() { _, err := Open(p); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "want a regular file") {
				t.Errorf("Open(%s) = %v, want a refusal", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Open(%s) hangs", p)
		}
	}
}

// TestTrackedInputs: once tracking, a file opened for reading is never
// written, whatever the spelling of the output path.
func TestTrackedInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	write(t, in, "x")
	os.Symlink(dir, filepath.Join(dir, "again"))
	Track(true)
	defer Track(false)
	f, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, out := range []string{in, filepath.Join(dir, "again", "in.csv")} {
		if _, err := Create(out); !errors.Is(err, ErrInput) {
			t.Errorf("Create(%s) = %v, want a refusal", out, err)
		}
	}
	if b, _ := os.ReadFile(in); string(b) != "x" {
		t.Fatalf("input changed: %q", b)
	}
	Track(false)
	if f, err := Create(in); err != nil {
		t.Errorf("untracked Create: %v", err)
	} else {
		f.Close()
	}
}

func TestCreateDoesNotFollowLinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	write(t, victim, "keep")
	link := filepath.Join(dir, "out.resume")
	os.Symlink(victim, link)
	if f, err := Create(link); err == nil {
		f.Close()
		t.Fatal("Create followed a symbolic link")
	}
	if f, err := OpenAppend(link); err == nil {
		f.Close()
		t.Fatal("OpenAppend followed a symbolic link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("victim changed: %q", b)
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	write(t, p, "0123456789")
	if _, err := ReadFile(p, 9); err == nil {
		t.Error("ReadFile over the limit: no error")
	}
	if b, err := ReadFile(p, 10); err != nil || string(b) != "0123456789" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
}

func TestQuote(t *testing.T) {
	q := Quote(strings.Repeat("a", 10000) + "\x1b[2J")
	if len(q) > 200 || strings.ContainsRune(q, 0x1b) {
		t.Errorf("Quote: %d bytes, %q", len(q), q)
	}
}
