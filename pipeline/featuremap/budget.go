//go:build !js

package featuremap

import "github.com/scirad/scirad/pipeline/internal/membudget"

// checkMemory refuses an allocation over the process's memory budget
// (package membudget) with a one-line error.
func checkMemory(what string, bytes float64) error { return membudget.Check(what, bytes) }
