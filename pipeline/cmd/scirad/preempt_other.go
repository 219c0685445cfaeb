//go:build !(linux || darwin)

package main

// withoutAsyncPreemption does nothing here (see preempt_unix.go).
func withoutAsyncPreemption() {}
