package synth

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// Summary reports what Write wrote.
type Summary struct {
	Patients, Good, Poor int
	Threshold            float64 // the outcome threshold on δ
	Files                int
	Bytes                int64
}

// Write plans a cohort with o and writes it to dir (created if needed):
//
//	clinical.csv, manifest.csv
//	images/SCInnn.nii.gz              int16 T2-like image
//	masks/SCInnn.nii.gz               uint8 labels, rater 1
//	masks/SCInnn_rater2.nii.gz        uint8 labels, rater 2
//
// Files are gzip-compressed NIfTI-1 written through a temporary file and a
// rename. The bytes depend only on o (gzip headers carry no time stamp),
// whatever o.Workers is.
func Write(dir string, o Options) (*Summary, error) {
	c, err := Plan(o)
	if err != nil {
		return nil, err
	}
	return c.Write(dir)
}

// Write renders every patient of c and writes the cohort folder; see the
// package-level Write.
func (c *Cohort) Write(dir string) (*Summary, error) {
	for _, sub := range []string{"images", "masks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	es := make([]cohort.ManifestEntry, len(c.Cases))
	for i, k := range c.Cases {
		es[i] = cohort.ManifestEntry{ID: k.ID, Center: k.Center,
			Image: "images/" + k.ID + ".nii.gz",
			Mask:  "masks/" + k.ID + ".nii.gz",
			Mask2: "masks/" + k.ID + "_rater2.nii.gz"}
	}
	workers := max(1, c.Workers)
	jobs := make(chan int)
	errs := make([]error, len(c.Cases))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = c.writePatient(dir, i, es[i])
			}
		}()
	}
	for i := range c.Cases {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := table.WriteFileAtomic(filepath.Join(dir, "clinical.csv"), func(w io.Writer) error {
		return cohort.WriteClinical(w, c.Patients)
	}); err != nil {
		return nil, err
	}
	if err := table.WriteFileAtomic(filepath.Join(dir, "manifest.csv"), func(w io.Writer) error {
		return cohort.WriteManifest(w, es)
	}); err != nil {
		return nil, err
	}
	out, err := cohort.DeriveOutcome(c.Patients)
	if err != nil {
		return nil, err
	}
	s := &Summary{Patients: len(c.Cases), Good: out.Good, Poor: out.Poor, Threshold: out.Threshold}
	files := []string{"clinical.csv", "manifest.csv"}
	for _, e := range es {
		files = append(files, e.Image, e.Mask, e.Mask2)
	}
	for _, f := range files {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		s.Files++
		s.Bytes += st.Size()
	}
	return s, nil
}

func (c *Cohort) writePatient(dir string, i int, e cohort.ManifestEntry) error {
	img, m1, m2, err := c.Render(i)
	if err != nil {
		return err
	}
	if err := nifti.WriteFile(filepath.Join(dir, e.Image), img, &nifti.Options{Datatype: nifti.Int16}); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := nifti.WriteFile(filepath.Join(dir, e.Mask), m1, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := nifti.WriteFile(filepath.Join(dir, e.Mask2), m2, &nifti.Options{Datatype: nifti.Uint8}); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}
