//go:build !unix

package outpath

// Open flags: none here (the browser's WebAssembly has no FIFOs or links).
const (
	oNonblock = 0
	oNofollow = 0
)
