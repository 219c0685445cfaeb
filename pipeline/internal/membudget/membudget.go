// Package membudget is scirad's one memory budget: the most bytes any one
// reader or stage may allocate for data that the input decides the size of
// (voxels, derived volumes, texture matrices, image tensors). Each checks
// its whole planned allocation — every derived volume included — before it
// makes it, so that a tiny hostile file (a header declaring 2³⁰ voxels, a
// gzip or bzip2 bomb, binCount 10⁹) ends in a one-line error instead of an
// out-of-memory kill.
//
// The budget is, in order of precedence: Set (scirad's -max-memory flag),
// the SCIRAD_MAX_MEMORY environment variable, else Default (2 GiB: a
// 256-Mi-voxel image; the image, its mask and a stage's derived volumes of
// two patients at once fit a 24 GiB machine), lowered to an eighth of the
// process's address-space limit (ulimit -v, prlimit --as) or of its cgroup
// memory limit, whichever is smaller.
package membudget

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Default is the budget when neither Set nor SCIRAD_MAX_MEMORY gives one
// and no process limit is lower.
const Default int64 = 2 << 30

// EnvVar names the environment variable that sets the budget.
const EnvVar = "SCIRAD_MAX_MEMORY"

// ErrBudget is wrapped by every refusal.
var ErrBudget = errors.New("over the memory budget")

var (
	mu     sync.Mutex
	set    int64 // from Set; 0: unset
	cached int64 // derived budget; 0: not yet computed
)

// Set sets the budget in bytes (0 goes back to the environment/default).
func Set(bytes int64) {
	mu.Lock()
	defer mu.Unlock()
	set, cached = bytes, 0
}

// Limit is the budget in bytes.
func Limit() int64 {
	mu.Lock()
	defer mu.Unlock()
	if set > 0 {
		return set
	}
	if cached == 0 {
		cached = derive()
	}
	return cached
}

// Source says where the budget comes from, for messages.
func Source() string {
	mu.Lock()
	defer mu.Unlock()
	switch {
	case set > 0:
		return "-max-memory"
	case os.Getenv(EnvVar) != "":
		return EnvVar
	}
	return "default"
}

func derive() int64 {
	if s := os.Getenv(EnvVar); s != "" {
		if b, err := Parse(s); err == nil && b > 0 {
			return b
		}
	}
	// Under a process limit an eighth of it: the image, its mask, derived
	// volumes and one stage's working set are live together, and Go's heap
	// and address-space reservations come on top (a 512 MiB image and a
	// second allocation as large already fail under a 3 GiB ulimit -v).
	b := Default
	for _, lim := range []int64{addressSpaceLimit(), cgroupLimit()} {
		if lim > 0 {
			b = min(b, max(64<<20, lim/8))
		}
	}
	return b
}

func cgroupLimit() int64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && v > 0 && v < 1<<50 {
			return v
		}
	}
	return 0
}

// Parse reads a size: a number of bytes, or a number with a unit (K, M, G,
// T, with or without "iB"/"B"; powers of 1024), e.g. "16GiB", "512M".
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	lower := strings.ToLower(t)
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"tib", 1 << 40}, {"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10},
		{"tb", 1 << 40}, {"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10},
		{"t", 1 << 40}, {"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1}} {
		if strings.HasSuffix(lower, u.suffix) {
			lower, mult = strings.TrimSpace(strings.TrimSuffix(lower, u.suffix)), u.m
			break
		}
	}
	x, err := strconv.ParseFloat(lower, 64)
	if err != nil || !(x > 0) || x*mult > 1<<60 {
		return 0, fmt.Errorf("memory size %q: want a positive size such as 16GiB or 512MiB", clip(s))
	}
	return int64(x * mult), nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Check refuses an allocation of bytes (a float64, so that products of
// hostile sizes cannot overflow) for what, a short description that the
// error begins with ("nifti: 2048×2048×2048 voxels").
func Check(what string, bytes float64) error {
	lim := Limit()
	if bytes <= float64(lim) && !math.IsNaN(bytes) {
		return nil
	}
	return fmt.Errorf("%s: needs %s, %w of %s (raise it with -max-memory or %s)", what, Format(bytes), ErrBudget, Format(float64(lim)), EnvVar)
}

// Format prints a byte count with a binary unit.
func Format(b float64) string {
	switch {
	case math.IsNaN(b) || math.IsInf(b, 0):
		return "an unbounded amount"
	case b >= 1<<40*1024:
		return fmt.Sprintf("%.3g TiB", b/(1<<40))
	case b >= 1<<40:
		return fmt.Sprintf("%.1f TiB", b/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f bytes", b)
}
