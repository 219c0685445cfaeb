package batch

import (
	"context"

	"github.com/scirad/scirad/pipeline/internal/pool"
)

// ForEach calls f(i) for i = 0 … n-1 on up to workers goroutines (0 means
// runtime.GOMAXPROCS(0)); see pool.ForEach.
func ForEach(ctx context.Context, workers, n int, f func(i int) error) error {
	return pool.ForEach(ctx, workers, n, f)
}
