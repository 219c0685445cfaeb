package main

import (
	"slices"
	"testing"
)

func TestPreemptOffEnv(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
		ok   bool
	}{
		{[]string{"HOME=/root"}, []string{"HOME=/root", "GODEBUG=asyncpreemptoff=1"}, true},
		{[]string{"GODEBUG=", "A=b"}, []string{"GODEBUG=asyncpreemptoff=1", "A=b"}, true},
		{[]string{"GODEBUG=gctrace=1"}, []string{"GODEBUG=gctrace=1,asyncpreemptoff=1"}, true},
		{[]string{"GODEBUG=asyncpreemptoff=0"}, nil, false},
		{[]string{"X=1", "GODEBUG=gctrace=1,asyncpreemptoff=1"}, nil, false},
	} {
		got, ok := preemptOffEnv(c.in)
		if ok != c.ok || !slices.Equal(got, c.want) {
			t.Errorf("preemptOffEnv(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
