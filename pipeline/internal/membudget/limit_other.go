//go:build !unix

package membudget

// addressSpaceLimit: no rlimits here (the browser's WebAssembly).
func addressSpaceLimit() int64 { return 0 }
