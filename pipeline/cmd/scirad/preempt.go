package main

import "strings"

// preemptOffEnv returns env with asyncpreemptoff=1 added to GODEBUG (kept
// settings first), and false when GODEBUG already names asyncpreemptoff
// (then scirad runs as it is).
func preemptOffEnv(env []string) ([]string, bool) {
	out := make([]string, 0, len(env)+1)
	found := false
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			if strings.Contains(v, "asyncpreemptoff") {
				return nil, false
			}
			found = true
			if v != "" {
				v += ","
			}
			kv = "GODEBUG=" + v + "asyncpreemptoff=1"
		}
		out = append(out, kv)
	}
	if !found {
		out = append(out, "GODEBUG=asyncpreemptoff=1")
	}
	return out, true
}
