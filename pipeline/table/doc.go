// Package table is scirad's feature table: one row per patient, an id, a few
// string metadata columns (centre, outcome label, split) and named numeric
// feature columns. It is the currency between the feature stages
// (radiomics, deep) and the statistics stages (harmonize, selection,
// classify, evaluate), read and written as CSV in the layout docs/contract.md fixes:
//
//	patient_id,center,outcome,lesion_original_firstorder_Mean,...
//
// The first column is the id (header "patient_id" or "id"). A column is
// metadata if its name is one of DefaultMeta or is named by the caller;
// every other column is a feature and must hold finite numbers. Numbers are
// written with strconv's shortest round-trip form, so writing a table and
// reading it back gives the same float64 bits, and the same table always
// gives the same bytes.
package table
