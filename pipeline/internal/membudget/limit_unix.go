//go:build unix

package membudget

import (
	"math"
	"syscall"
)

// addressSpaceLimit is RLIMIT_AS (ulimit -v, prlimit --as) in bytes, 0 if
// unlimited.
func addressSpaceLimit() int64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err != nil || r.Cur == ^uint64(0) || r.Cur > math.MaxInt64 {
		return 0
	}
	return int64(r.Cur)
}
