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
		"and IBSI chapter 2 filters; LBP3D excluded; a wrong name lists them all); empty: the paper's mean,box,gaussian,median; e.g. "+filtersExample)
}

// parseFilters splits fs's -filters value v and checks every name against
// the registry: nil for the empty value (the paper's four). A bad value is
// a usage error, as a bad flag is: one line naming -filters on fs's output
// and errUsage. The registry's names are longer than one line, so for an
// unknown name they come first, one line per group.
func parseFilters(fs *flag.FlagSet, v string) ([]string, error) {
	fail := func(format string, a ...any) ([]string, error) {
		fmt.Fprintf(fs.Output(), "%s: -filters: %s (%s -h lists the flags)\n", fs.Name(), oneLine(fmt.Sprintf(format, a...)), fs.Name())
		return nil, errUsage
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n == "" {
			return fail("%q has an empty name (want comma-separated names, e.g. %s)", v, filtersExample)
		}
		out = append(out, n)
	}
	for _, n := range out {
		if _, err := gallery.Lookup(n); err == nil || n == "original" {
			continue
		}
		var groups []string
		byGroup := map[string][]string{}
		for _, e := range gallery.Entries() {
			if byGroup[e.Group] == nil {
				groups = append(groups, e.Group)
			}
			byGroup[e.Group] = append(byGroup[e.Group], e.Name)
		}
		fmt.Fprintln(fs.Output(), "filters of the registry (package gallery; LBP3D ones are refused in a cohort):")
		for _, g := range groups {
			fmt.Fprintf(fs.Output(), "  %s: %s\n", g, strings.Join(byGroup[g], ", "))
		}
		return fail("no filter %q (the registry's filters are listed above)", n)
	}
	if err := gallery.CheckFilters(out); err != nil {
		return fail("%s", strings.TrimPrefix(err.Error(), "gallery: "))
	}
	return out, nil
}
