//go:build js

package featuremap

import "fmt"

// checkMemory refuses more than 1 GiB in the browser, where package
// membudget (which reads the process's limits) does not build.
func checkMemory(what string, bytes float64) error {
	if bytes > 1<<30 {
		return fmt.Errorf("featuremap: %s need %.0f MiB, more than the page's 1024 MiB", what, bytes/(1<<20))
	}
	return nil
}
