//go:build unix

package outpath

import "syscall"

// Open flags: never wait for a FIFO's writer, never follow a link at the
// last path element.
const (
	oNonblock = syscall.O_NONBLOCK
	oNofollow = syscall.O_NOFOLLOW
)
