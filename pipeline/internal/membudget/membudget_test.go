package membudget

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{"16GiB": 16 << 30, "512M": 512 << 20, "1.5g": 3 << 29, "4096": 4096, " 2 GB ": 2 << 30, "1KiB": 1024} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1G", "0", "NaN", "1e30T", strings.Repeat("9", 1000)} {
		if _, err := Parse(in); err == nil || len(err.Error()) > 120 {
			t.Errorf("Parse(%q): %v, want a short error", in, err)
		}
	}
}

// TestCheck: the one budget refuses what exceeds it — products of hostile
// sizes included (float64: no overflow) — and names how to raise it.
func TestCheck(t *testing.T) {
	Set(1 << 30)
	defer Set(0)
	if err := Check("x", 1<<30); err != nil {
		t.Errorf("at the budget: %v", err)
	}
	huge := 1e300
	for _, b := range []float64{1<<30 + 1, huge * huge, 8 * 32767 * 32767 * 32767} {
		err := Check("nifti: dims [32767 32767 32767]", b)
		if !errors.Is(err, ErrBudget) || !strings.Contains(err.Error(), "-max-memory") || !strings.HasPrefix(err.Error(), "nifti: dims") {
			t.Errorf("Check(%g) = %v", b, err)
		}
	}
	t.Setenv(EnvVar, "3GiB")
	Set(0)
	if Limit() != 3<<30 || Source() != EnvVar {
		t.Errorf("with %s=3GiB: Limit %d, source %s", EnvVar, Limit(), Source())
	}
}
