//go:build linux || darwin

package main

import (
	"os"
	"strings"
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
// a 10⁷-call loop 600–1200 ns a call with preemption, 7–18 ns without it
// (and without GOEXPERIMENT=simd); BenchmarkRunWithoutDeep (the quick
// profile minus the ResNets) 138.7 s of CPU with preemption, 114.7 s
// without it. Goroutines are still preempted at function calls, so nothing
// can hang; a tight loop only delays a garbage collection until it ends.
func withoutAsyncPreemption() {
	if strings.Contains(os.Getenv("GODEBUG"), "asyncpreemptoff") {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := os.Environ()
	setting := "asyncpreemptoff=1"
	found := false
	for i, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			found = true
			if v != "" {
				setting = v + "," + setting
			}
			env[i] = "GODEBUG=" + setting
		}
	}
	if !found {
		env = append(env, "GODEBUG="+setting)
	}
	// Exec only returns on failure; scirad then runs as it is.
	_ = syscall.Exec(exe, os.Args, env)
}
