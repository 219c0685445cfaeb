package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/scirad/scirad/pipeline/filter/gallery"
)

// filtersExample is a -filters value: the paper's four, a LoG and a
// wavelet decomposition.
const filtersExample = "mean,box,gaussian,median,log-sigma-2-0-mm-3D,wavelet-LLH"

// filtersFlag adds -filters, the filtered images of a cohort extraction
// (radiomics.CohortSettings.Filters), to fs; parseFilters reads it.
func filtersFlag(fs *flag.FlagSet) *string {
	return fs.String("filters", "", "comma-separated filtered `images` extracted beside the original, each applied to the preprocessed original, "+
		"named as the filter registry (package gallery: the paper's four, pyradiomics' image types such as log-sigma-3-0-mm-3D, wavelet-HLL, square, "+
		"and IBSI chapter 2 filters; LBP3D excluded); empty: the paper's mean,box,gaussian,median; e.g. "+filtersExample)
}

// parseFilters splits a -filters value and checks every name against the
// registry: nil for the empty value (the paper's four), a one-line error
// naming the flag otherwise.
func parseFilters(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n == "" {
			return nil, fmt.Errorf("-filters %q: an empty name (want comma-separated names, e.g. %s)", v, filtersExample)
		}
		out = append(out, n)
	}
	if err := gallery.CheckFilters(out); err != nil {
		return nil, fmt.Errorf("-filters: %w", err)
	}
	return out, nil
}
