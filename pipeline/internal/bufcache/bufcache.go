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
	Min  = 1 << 11
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
		// The smallest array that holds n, so that a small ROI's arrays
		// leave the larger ones to the larger requests.
		best := -1
		for k, b := range c.free {
			if cap(b) >= n && (best < 0 || cap(b) < cap(c.free[best])) {
				best = k
			}
		}
		if best >= 0 {
			b := c.free[best]
			c.free = append(c.free[:best], c.free[best+1:]...)
			c.held -= cap(b)
			c.mu.Unlock()
			return b[:n]
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
