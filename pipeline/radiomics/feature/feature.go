// Package feature holds the two small types every radiomics feature family
// shares: a registry entry (Def) and a computed value (Value). The families
// live in their own packages (radiomics for first order, shape, texture) and
// the radiomics package assembles their registries into one.
package feature

// Def is one registry entry: a feature's pyradiomics class and name, its
// IBSI identifier (the four-letter code of the IBSI reference manual, empty
// where IBSI defines none) and a one-line summary.
type Def struct {
	Class   string // pyradiomics class: firstorder, shape, glcm, glrlm, glszm, ngtdm, gldm
	Name    string // pyradiomics feature name, e.g. "Contrast"
	IBSI    string // IBSI code, e.g. "ACUI"; "" if IBSI has no such feature
	Summary string
}

// Key is the class-qualified name pyradiomics prints after the image type:
// "glcm_Contrast".
func (d Def) Key() string { return d.Class + "_" + d.Name }

// Value is a computed feature.
type Value struct {
	Def
	Value float64
}
