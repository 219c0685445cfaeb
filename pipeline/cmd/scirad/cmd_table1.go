package main

import (
	"io"
	"path/filepath"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
)

// runTable1 builds the paper's Table 1 from a cohort folder (package
// cohort). Images are checked for existence only; `scirad run` validates
// them in full.
func runTable1(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("table1", "-cohort DIR [-o table1.csv] [-html table1.html] [-check-images]",
		"scirad table1 -cohort out/toy -o table1.csv -html table1.html", stderr)
	dir := fs.String("cohort", "", "cohort folder (clinical.csv, manifest.csv)")
	out := fs.String("o", "", "CSV output (default: standard output)")
	html := fs.String("html", "", "also write the table as an HTML fragment")
	check := fs.Bool("check-images", false, "read every image and mask and check grids and labels")
	if err := parse(fs, args, "cohort"); err != nil {
		return err
	}
	ins := []string{filepath.Join(*dir, "clinical.csv"), filepath.Join(*dir, "manifest.csv")}
	if err := outpath.CheckAll([]string{*out, *html}, ins); err != nil {
		return err
	}
	c, err := cohort.LoadOptions(*dir, &cohort.Options{SkipImages: !*check})
	if err != nil {
		return err
	}
	t, err := c.Table1()
	if err != nil {
		return err
	}
	if *html != "" {
		if err := table.WriteFileAtomic(*html, t.WriteHTML); err != nil {
			return err
		}
	}
	if *out == "" {
		return t.WriteCSV(stdout)
	}
	return table.WriteFileAtomic(*out, t.WriteCSV)
}
