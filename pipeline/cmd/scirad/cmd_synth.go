package main

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/scirad/scirad/pipeline/synth"
)

// runSynth writes a synthetic multicentre SCI cohort (package synth).
func runSynth(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("synth", "-out DIR [-n 82] [-seed 1] [-size small|paper] [-workers N]",
		"scirad synth -out out/toy -n 82 -seed 1 -size small", stderr)
	out := fs.String("out", "", "cohort folder to write (created if missing)")
	n := fs.Int("n", 82, "number of patients")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives byte-identical files")
	size := fs.String("size", "small", "grid: small (64×112×8–12, 1.2 mm) or paper (256×512×12–16, 0.47 mm)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "patients rendered at once (output does not depend on it)")
	if err := parse(fs, args, "out"); err != nil {
		return err
	}
	sz, err := synth.ParseSize(*size)
	if err != nil {
		return fmt.Errorf("-size: %w", err)
	}
	if *n < 4 {
		return fmt.Errorf("-n: need at least 4 patients, got %d", *n)
	}
	start := time.Now()
	s, err := synth.Write(*out, synth.Options{N: *n, Seed: *seed, Size: sz, Workers: max(1, *workers)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d patients (%d good, %d poor prognosis; threshold %.3f), %d files, %d bytes, %.1fs\n",
		*out, s.Patients, s.Good, s.Poor, s.Threshold, s.Files, s.Bytes, time.Since(start).Seconds())
	return nil
}
