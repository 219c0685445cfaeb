package texture

import "testing"

// TestBufCacheBounded: the cache keeps arrays for reuse but never holds
// more than bufCacheLen of them or bufCacheHeld elements in all, and
// arrays below bufCacheMin or above bufCacheMax are not kept.
func TestBufCacheBounded(t *testing.T) {
	var c bufCache[uint8]
	c.put(make([]uint8, bufCacheMin-1))
	c.put(make([]uint8, bufCacheMax+1))
	if len(c.free) != 0 {
		t.Fatalf("kept %d arrays outside [bufCacheMin, bufCacheMax]", len(c.free))
	}
	for range 2 * bufCacheLen {
		c.put(make([]uint8, bufCacheMax/2))
	}
	if c.held > bufCacheHeld || len(c.free) > bufCacheLen || c.held != len(c.free)*(bufCacheMax/2) {
		t.Fatalf("holds %d arrays, %d elements (at most %d, %d)", len(c.free), c.held, bufCacheLen, bufCacheHeld)
	}
	n := len(c.free)
	b := c.get(bufCacheMin)
	if cap(b) != bufCacheMax/2 || len(b) != bufCacheMin || len(c.free) != n-1 || c.held != (n-1)*(bufCacheMax/2) {
		t.Fatalf("get: cap %d len %d, %d left holding %d", cap(b), len(b), len(c.free), c.held)
	}
}
