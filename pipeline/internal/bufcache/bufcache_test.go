package bufcache

import "testing"

// TestCacheBounded: the cache keeps arrays for reuse but never holds
// more than Len of them or Held elements in all, and
// arrays below Min or above Max are not kept.
func TestCacheBounded(t *testing.T) {
	var c Cache[uint8]
	c.Put(make([]uint8, Min-1))
	c.Put(make([]uint8, Max+1))
	if len(c.free) != 0 {
		t.Fatalf("kept %d arrays outside [Min, Max]", len(c.free))
	}
	for range 2 * Len {
		c.Put(make([]uint8, Max/2))
	}
	if c.held > Held || len(c.free) > Len || c.held != len(c.free)*(Max/2) {
		t.Fatalf("holds %d arrays, %d elements (at most %d, %d)", len(c.free), c.held, Len, Held)
	}
	n := len(c.free)
	b := c.Get(Min)
	if cap(b) != Max/2 || len(b) != Min || len(c.free) != n-1 || c.held != (n-1)*(Max/2) {
		t.Fatalf("get: cap %d len %d, %d left holding %d", cap(b), len(b), len(c.free), c.held)
	}
}

// TestCacheBestFit: Get takes the smallest array that holds the request,
// so a small ROI does not take the array a large one needs.
func TestCacheBestFit(t *testing.T) {
	var c Cache[int32]
	c.Put(make([]int32, 8*Min))
	c.Put(make([]int32, 2*Min))
	c.Put(make([]int32, 4*Min))
	if b := c.Get(Min); cap(b) != 2*Min {
		t.Fatalf("Get(Min) took an array of %d, want the smallest (%d)", cap(b), 2*Min)
	}
	if b := c.Get(3 * Min); cap(b) != 4*Min {
		t.Fatalf("Get(3 Min) took an array of %d, want %d", cap(b), 4*Min)
	}
}
