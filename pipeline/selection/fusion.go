package selection

import (
	"fmt"
	"strings"

	"github.com/scirad/scirad/pipeline/table"
)

// Signature is one of the paper's feature sets: radiomics alone, one
// ResNet's deep features alone, or their fusion (Methods, "Feature fusion
// and selection": 1070 radiomics + 160 deep = 1230 columns).
type Signature struct {
	Name     string   // "Rad", "ResNet34", "Rad+ResNet34", …
	Prefixes []string // column-name prefixes that belong to it
}

// RadiomicsPrefixes are the column prefixes of radiomics features (docs/contract.md:
// {roi}_{image}_{class}_{Feature}, roi lesion or cord).
func RadiomicsPrefixes() []string { return []string{"lesion_", "cord_"} }

// Signatures returns the paper's seven signatures, in Table 2's order.
func Signatures() []Signature {
	rad := RadiomicsPrefixes()
	var out []Signature
	out = append(out, Signature{"Rad", rad})
	archs := []string{"18", "34", "152"}
	for _, a := range archs {
		out = append(out, Signature{"ResNet" + a, []string{"resnet" + a + "_"}})
	}
	for _, a := range archs {
		out = append(out, Signature{"Rad+ResNet" + a, append(RadiomicsPrefixes(), "resnet"+a+"_")})
	}
	return out
}

// SignatureByName returns the signature called name (case-insensitive).
func SignatureByName(name string) (Signature, error) {
	var names []string
	for _, s := range Signatures() {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Signature{}, fmt.Errorf("selection: unknown signature %q (have %s)", name, strings.Join(names, ", "))
}

// Columns returns the feature names of t that belong to s, in t's order.
func (s Signature) Columns(names []string) []string {
	var out []string
	for _, n := range names {
		for _, p := range s.Prefixes {
			if strings.HasPrefix(n, p) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// Complete reports whether names hold columns for every part of s
// (radiomics and, for a fusion, the ResNet's).
func (s Signature) Complete(names []string) bool {
	hasRad, hasDeep := false, false
	needRad, needDeep := false, false
	for _, p := range s.Prefixes {
		if strings.HasPrefix(p, "resnet") {
			needDeep = true
		} else {
			needRad = true
		}
	}
	for _, n := range names {
		for _, p := range s.Prefixes {
			if strings.HasPrefix(n, p) {
				if strings.HasPrefix(p, "resnet") {
					hasDeep = true
				} else {
					hasRad = true
				}
			}
		}
	}
	return (hasRad || !needRad) && (hasDeep || !needDeep)
}

// Available returns the signatures that t's columns support.
func Available(names []string) []Signature {
	var out []Signature
	for _, s := range Signatures() {
		if s.Complete(names) {
			out = append(out, s)
		}
	}
	return out
}

// Table returns t restricted to s's columns (metadata kept). It is an
// error for t to lack a part of s.
func (s Signature) Table(t *table.Table) (*table.Table, error) {
	if !s.Complete(t.Names) {
		return nil, fmt.Errorf("selection: signature %s needs columns starting with %s; the table has none of some", s.Name, strings.Join(s.Prefixes, " or "))
	}
	return t.SelectColumns(s.Columns(t.Names))
}
