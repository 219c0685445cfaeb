// Package atomicfile writes output files so that a failed or interrupted
// write never leaves a partial file and an input is never truncated while
// it is being read: the data go to a temporary file beside the target,
// which is renamed over it only when everything was written.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/internal/outpath"
)

// WriteFile writes through fill into a temporary file in path's folder and
// renames it to path (mode 0644) when fill and the close succeed; otherwise
// it removes the temporary file and leaves path as it was. It refuses
// (outpath.WriteCheck) a path that is an input this process has read, or
// an existing file that is not a regular one; the rename replaces a
// symbolic link at path, it never writes through it.
func WriteFile(path string, fill func(io.Writer) error) error {
	if err := outpath.WriteCheck(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
