//go:build linux || darwin

package main

import (
	"os"
	"syscall"
)

// withoutAsyncPreemption re-executes scirad with GODEBUG=asyncpreemptoff=1
// unless GODEBUG already says anything about asyncpreemptoff (set it to 0
// to keep the runtime's default).
//
// Why: built with GOEXPERIMENT=simd (as scirad is, for GoMLX's AVX-512
// matrix multiply), Go 1.26's asynchronous preemption leaves the CPU's
// upper vector state dirty, after which code that mixes VEX and legacy SSE
// instructions — math.Exp's assembly above all — runs up to two orders of
// magnitude slower. Measured on the 2-core development machine: math.Exp in
// a 10⁷-call loop 600–2300 ns a call with preemption, 7–24 ns without it
// (and without GOEXPERIMENT=simd); BenchmarkRunWithoutDeep (the quick
// profile minus the ResNets) 138.7 s of CPU with preemption, 114.7 s
// without it. Goroutines are still preempted at function calls, so nothing
// can hang; a tight loop only delays a garbage collection until it ends.
func withoutAsyncPreemption() {
	env, ok := preemptOffEnv(os.Environ())
	if !ok {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	// Exec only returns on failure; scirad then runs as it is.
	_ = syscall.Exec(exe, os.Args, env)
}
