// Package pool runs scirad's independent per-item work (patients, folds,
// resamples) on a fixed number of goroutines: one worker pool for the
// cohort extraction, the resampling of the modelling process and the run's
// per-signature stages.
package pool

import (
	"context"
	"runtime"
	"sync"
)

// ForEach calls f(i) for i = 0 … n-1 on up to workers goroutines (0 means
// runtime.GOMAXPROCS(0)), handing out indices in order. It stops handing
// out indices once ctx is cancelled or an f has failed, waits for the calls
// in flight, and returns ctx's error, or else the error of the lowest index
// that failed.
func ForEach(ctx context.Context, workers, n int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu     sync.Mutex
		next   int
		failed bool
		errs   = make([]error, n)
		wg     sync.WaitGroup
	)
	for range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := failed
				mu.Unlock()
				if i >= n || stop || ctx.Err() != nil {
					return
				}
				if errs[i] = f(i); errs[i] != nil {
					mu.Lock()
					failed = true
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
