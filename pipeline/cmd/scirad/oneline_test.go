package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestOneLine: every error scirad prints is one line of at most
// maxErrorBytes, with control characters (a file's terminal escapes)
// escaped and UTF-8 kept valid.
func TestOneLine(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("é", 300000),
		"a\nb\r\nc\x1b[2J\x07" + strings.Repeat("x", 1000),
		"short",
	} {
		got := oneLine(in)
		if len(got) > maxErrorBytes+8 || strings.ContainsAny(got, "\n\r\x1b\x07") || !utf8.ValidString(got) {
			t.Errorf("oneLine(%.20q…) = %d bytes %.60q", in, len(got), got)
		}
	}
	if got := oneLine("short"); got != "short" {
		t.Errorf("oneLine(short) = %q", got)
	}
}
