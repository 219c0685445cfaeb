// Package bufcache keeps a few large arrays between calls. Unlike a
// sync.Pool, a Cache is not emptied by the garbage collector, so a large
// ROI's work arrays are reused instead of being allocated and faulted in
// afresh on every call (on a 98³ ROI a fresh 4 MB array cost up to 5 ms of
// page faults). Arrays under Min elements are allocated as usual; at most
// Len arrays of at most Max elements, Held elements in all, are kept per
// Cache, for the life of the process.
package bufcache

import "sync"

// The bounds of every Cache, in elements.
const (
	Min  = 1 << 16
	Max  = 1 << 23
	Len  = 6
	Held = 1 << 23
)

// Cache holds arrays of T for reuse. The zero value is ready.
type Cache[T any] struct {
	mu   sync.Mutex
	free [][]T
	held int // Σ cap(free[k])
}

// Get returns an array of n elements, not cleared when it comes from the
// cache.
func (c *Cache[T]) Get(n int) []T {
	if n >= Min {
		c.mu.Lock()
		for k, b := range c.free {
			if cap(b) >= n {
				c.free = append(c.free[:k], c.free[k+1:]...)
				c.held -= cap(b)
				c.mu.Unlock()
				return b[:n]
			}
		}
		c.mu.Unlock()
	}
	return make([]T, n)
}

// Put hands b back for reuse; b must not be used after.
func (c *Cache[T]) Put(b []T) {
	if cap(b) < Min || cap(b) > Max {
		return
	}
	c.mu.Lock()
	if len(c.free) < Len && c.held+cap(b) <= Held {
		c.free = append(c.free, b)
		c.held += cap(b)
	}
	c.mu.Unlock()
}
