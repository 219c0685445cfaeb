package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scirad/scirad/pipeline/hostile"
)

// hostileChildEnv makes the test binary run as scirad (TestMain): the
// corpus test starts one such process per case.
const hostileChildEnv = "SCIRAD_HOSTILE_CHILD"

// hostileAS is each case's address-space limit: 3 GiB, as
// `prlimit --as=3221225472`. Go reserves address space lazily, so this caps
// what a case can allocate; the memory budget derives from it (a quarter).
const hostileAS = 3 << 30

// hostileTimeout is each case's wall-clock limit: a case that needs more
// hangs.
const hostileTimeout = 60 * time.Second

func TestMain(m *testing.M) {
	if os.Getenv(hostileChildEnv) == "1" {
		os.Exit(hostileChild())
	}
	os.Exit(m.Run())
}

// hostileChild is scirad's main under RLIMIT_AS.
func hostileChild() int {
	lim := syscall.Rlimit{Cur: hostileAS, Max: hostileAS}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "hostile child: setrlimit:", err)
		return 3
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	return Main(os.Args[1:], os.Stdout, os.Stderr)
}

// TestHostileCorpus runs every case of the hostile corpus (package
// pipeline/hostile: memory bombs, degenerate geometry, detached NRRD data,
// numeric settings, outputs over inputs, error size, malformed files) as
// its own process under a 3 GiB address-space limit and a 60 s timeout.
// Each must exit non-zero with one short line on standard error — no panic,
// no runtime trace — and leave every input byte for byte as it was; the
// control cases must succeed. It logs the cases' peak resident memory and
// the run's time.
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile corpus runs about 600 processes")
	}
	dir := t.TempDir()
	cases, err := hostile.Generate(dir, "../../../testdata/wasm/bundle_rad.json")
	if err != nil {
		t.Fatal(err)
	}
	if only := os.Getenv("SCIRAD_HOSTILE_ONLY"); only != "" {
		cases = slices.DeleteFunc(cases, func(c hostile.Case) bool { return !strings.Contains(c.Name, only) })
	}
	before := hashTree(t, dir)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// SCIRAD_HOSTILE_BIN=bin/scirad runs that binary (a relative path is
	// from the repository root) under `prlimit --as=3221225472` instead of
	// this test binary as scirad.
	bin := os.Getenv("SCIRAD_HOSTILE_BIN")
	if bin != "" && !filepath.IsAbs(bin) {
		if bin, err = filepath.Abs(filepath.Join("../../..", bin)); err != nil {
			t.Fatal(err)
		}
	}
	if bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		c      hostile.Case
		code   int
		stderr string
		stdout string
		rss    int64 // KiB
		wall   time.Duration
		err    error
		hashes map[string]string
		after  map[string]string
	}
	results := make([]result, len(cases))
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cases[i]
				r := result{c: c, hashes: hashFiles(c.Inputs)}
				ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
				cmd := exec.CommandContext(ctx, exe, c.Args...)
				if bin != "" {
					cmd = exec.CommandContext(ctx, "prlimit", append([]string{fmt.Sprintf("--as=%d", hostileAS), "--", bin}, c.Args...)...)
				}
				cmd.Env = append(os.Environ(), hostileChildEnv+"=1", "SCIRAD_MAX_MEMORY=", "GOMAXPROCS=2")
				cmd.Dir = dir
				var so, se bytes.Buffer
				cmd.Stdout, cmd.Stderr = &so, &se
				t0 := time.Now()
				r.err = cmd.Run()
				r.wall = time.Since(t0)
				if ctx.Err() != nil {
					r.err = fmt.Errorf("still running after %v: killed", hostileTimeout)
				}
				cancel()
				if cmd.ProcessState != nil {
					r.code = cmd.ProcessState.ExitCode()
					if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
						r.rss = ru.Maxrss
					}
				}
				r.stderr, r.stdout = se.String(), so.String()
				r.after = hashFiles(c.Inputs)
				results[i] = r
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)

	var maxRSS int64
	var slowest result
	for _, r := range results {
		c := r.c
		maxRSS = max(maxRSS, r.rss)
		if r.wall > slowest.wall {
			slowest = r
		}
		for p, h := range r.hashes {
			if r.after[p] != h {
				t.Errorf("%s: input %s changed (SHA-256 %s → %s)", c.Name, p, h, r.after[p])
			}
		}
		if c.Control {
			if r.code != 0 {
				t.Errorf("%s: control case failed: exit %d, %v\n%s", c.Name, r.code, r.err, clip(r.stderr))
			}
			continue
		}
		if c.MayPass && r.code == 0 {
			continue
		}
		if msg := hostileVerdict(r.code, r.err, r.stderr); msg != "" {
			t.Errorf("%s: %s\n  scirad %s\n  stderr: %s", c.Name, msg, clip(strings.Join(c.Args, " ")), clip(r.stderr))
		}
		if strings.Contains(strings.ToLower(r.stdout), "nan") && r.code == 0 {
			t.Errorf("%s: NaN in the output with exit 0", c.Name)
		}
	}
	after := hashTree(t, dir)
	for p, h := range before {
		if after[p] != h {
			t.Errorf("corpus file %s changed or vanished", p)
		}
	}
	t.Logf("hostile corpus: %d cases in %.1f s (%d at a time); largest peak RSS %.0f MiB; slowest %s %.1f s",
		len(cases), elapsed.Seconds(), runtime.GOMAXPROCS(0), float64(maxRSS)/1024, slowest.c.Name, slowest.wall.Seconds())
}

// hostileVerdict says what is wrong with a hostile case's ending ("" when
// it ended cleanly): it must exit 1 or 2 by itself (not be killed, not
// time out) with exactly one line of at most 512 bytes on standard error,
// and no trace of a panic or a fatal runtime error.
func hostileVerdict(code int, err error, stderr string) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exit status 0: the hostile input was accepted"
	case !errors.As(err, &ee):
		return fmt.Sprintf("did not end by itself: %v", err)
	case code != 1 && code != 2:
		return fmt.Sprintf("exit status %d (%v): killed or crashed", code, err)
	}
	for _, bad := range []string{"panic", "goroutine ", "runtime.", "fatal error", "SIGSEGV", "out of memory"} {
		if strings.Contains(stderr, bad) {
			return fmt.Sprintf("standard error holds %q", bad)
		}
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	switch {
	case stderr == "":
		return "nothing on standard error"
	case len(lines) != 1:
		return fmt.Sprintf("%d lines on standard error, want 1", len(lines))
	case len(stderr) > 512:
		return fmt.Sprintf("a %d-byte error line, want at most 512", len(stderr))
	}
	return ""
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}

// hashFiles returns the SHA-256 of each regular file among paths (links
// followed); FIFOs, devices and missing files are skipped.
func hashFiles(paths []string) map[string]string {
	out := map[string]string{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		out[p] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return out
}

// hashTree hashes every regular file under dir except the outputs.
func hashTree(t *testing.T, dir string) map[string]string {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "out" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hashFiles(paths)
}
