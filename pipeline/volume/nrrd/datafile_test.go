package nrrd

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDetachedDataPolicy: a detached header's data file is read only when
// it is a regular file inside the header's folder once links are
// followed, unless AllowExternalData; devices and FIFOs never.
func TestDetachedDataPolicy(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "h")
	os.Mkdir(dir, 0o755)
	raw := bytes.Repeat([]byte{7}, 8)
	os.WriteFile(filepath.Join(dir, "in.raw"), raw, 0o644)
	os.WriteFile(filepath.Join(root, "out.raw"), raw, 0o644)
	os.Symlink(filepath.Join(root, "out.raw"), filepath.Join(dir, "link.raw"))
	syscall.Mkfifo(filepath.Join(dir, "fifo.raw"), 0o644)
	header := func(name, file string) string {
		p := filepath.Join(dir, name+".nhdr")
		os.WriteFile(p, []byte("NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\ndata file: "+file+"\n"), 0o644)
		return p
	}
	read := func(p string) error {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(p); done <- err }()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: reading hangs", p)
			return nil
		}
	}
	if err := read(header("ok", "in.raw")); err != nil {
		t.Fatalf("data beside the header: %v", err)
	}
	for _, file := range []string{"../out.raw", filepath.Join(root, "out.raw"), "link.raw", "/etc/passwd", "../../../../../../etc/passwd"} {
		err := read(header("x", file))
		if err == nil || !strings.Contains(err.Error(), "outside the header's folder") {
			t.Errorf("data file %s: %v, want a refusal", file, err)
		}
	}
	for _, file := range []string{"/dev/zero", "fifo.raw"} {
		if err := read(header("x", file)); err == nil {
			t.Errorf("data file %s: read", file)
		}
	}
	AllowExternalData = true
	defer func() { AllowExternalData = false }()
	if err := read(header("x", "../out.raw")); err != nil {
		t.Errorf("with AllowExternalData: %v", err)
	}
	if err := read(header("x", "/dev/zero")); err == nil {
		t.Error("with AllowExternalData, /dev/zero read")
	}
}

// TestCompressedStreamBounded: gzip data that decompress to far more than
// the header accounts for end in an error after a bounded read.
func TestCompressedStreamBounded(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: gzip\nbyte skip: -1\n\n")
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 32 { // 32 MiB of zeros: 32 times what the header accounts for and its slack
		zw.Write(zero)
	}
	zw.Close()
	start := time.Now()
	_, err := Decode(bytes.NewReader(buf.Bytes()))
	if err == nil || !strings.Contains(err.Error(), "decompress to more bytes") {
		t.Errorf("Decode = %v, want the stream refused", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: the stream was read to its end", d)
	}
}
