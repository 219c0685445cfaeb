package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
)

// inputKey identifies a patient's inputs: id, rater, and each file's path,
// size and modification time.
func inputKey(id string, rater int, paths ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d", id, rater)
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "|%s|%d|%d", p, st.Size(), st.ModTime().UnixNano())
		} else {
			fmt.Fprintf(h, "|%s|?", p)
		}
	}
	return id + "/" + strconv.Itoa(rater) + "/" + hex.EncodeToString(h.Sum(nil)[:8])
}

// The resume sidecar is a CSV: a comment line "# scirad extract v2 <hash>",
// a header "key,<columns…>,crc32c", then one row per finished extraction
// whose last field is the CRC-32C (Castagnoli, 8 hex digits) of the row's
// other fields joined by commas. A row whose checksum does not match — cut
// short by an interruption, even inside its last number, or damaged — is
// not reused: that extraction runs again. A file written by an older
// scirad (no checksums) is started afresh.
const sidecarMagic = "# scirad extract v2 "

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// rowSum is the checksum field of a sidecar row.
func rowSum(fields []string) string {
	return fmt.Sprintf("%08x", crc32.Checksum([]byte(strings.Join(fields, ",")), castagnoli))
}

// openRegular opens path for reading only when it is a regular file (a
// FIFO planted at the sidecar's name must not hang the run).
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("resume file %s is a symbolic link: refusing to use it", outpath.Quote(path))
		}
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("resume file %s is not a regular file", outpath.Quote(path))
	}
	return f, nil
}

// readSidecar returns the intact rows of the sidecar at path written with
// the settings hash and columns cols, by key. A missing file, or one
// written with other settings, gives none.
func readSidecar(path, hash string, cols []string) (map[string][]float64, error) {
	out := map[string][]float64{}
	f, err := openRegular(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	first, err := br.ReadString('\n')
	if err != nil || strings.TrimSpace(first) != sidecarMagic+hash {
		return out, nil // other settings, an older format or unreadable: start afresh
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil || len(head) != len(cols)+2 || !slices.Equal(head[1:len(head)-1], cols) {
		return map[string][]float64{}, nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue // a damaged line: skip it, keep reading
			}
			break
		}
		if len(rec) != len(cols)+2 || rec[len(rec)-1] != rowSum(rec[:len(rec)-1]) {
			continue // torn or damaged: recompute this extraction
		}
		vals := make([]float64, len(cols))
		ok := true
		for i, s := range rec[1 : len(rec)-1] {
			if vals[i], err = strconv.ParseFloat(s, 64); err != nil {
				ok = false
				break
			}
		}
		if ok {
			out[rec[0]] = vals
		}
	}
	return out, nil
}

type sidecar struct {
	mu sync.Mutex
	f  *os.File
}

// openSidecar opens the resume file for appending; it starts a new file
// (header included) unless keep says the existing one matches. Neither
// follows a symbolic link at path (outpath.Create, outpath.OpenAppend).
func openSidecar(path, hash string, cols []string, keep bool) (*sidecar, error) {
	if keep {
		f, err := outpath.OpenAppend(path)
		if err != nil {
			return nil, err
		}
		// A row cut short by an interruption has no newline: end it so the
		// next row starts on a line of its own (readSidecar skips it).
		if st, err := f.Stat(); err == nil && st.Size() > 0 {
			last := make([]byte, 1)
			if r, err := openRegular(path); err == nil {
				r.ReadAt(last, st.Size()-1)
				r.Close()
				if last[0] != '\n' {
					f.WriteString("\n")
				}
			}
		}
		return &sidecar{f: f}, nil
	}
	f, err := outpath.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	fmt.Fprintln(f, sidecarMagic+hash)
	w.Write(slices.Concat([]string{"key"}, cols, []string{"crc32c"}))
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return nil, err
	}
	return &sidecar{f: f}, nil
}

// append writes one finished extraction, with its checksum, in one write.
func (s *sidecar) append(key string, vals []float64) error {
	rec := make([]string, 1+len(vals), 2+len(vals))
	rec[0] = key
	for i, v := range vals {
		rec[i+1] = table.FormatFloat(v)
	}
	rec = append(rec, rowSum(rec))
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(rec)
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := io.WriteString(s.f, b.String())
	return err
}

func (s *sidecar) close() { s.f.Close() }
