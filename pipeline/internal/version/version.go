// Package version names the scirad build: the module version and the VCS
// revision the binary was built from. run.json records it, and shard files
// carry it so that scirad merge refuses shards of different builds.
package version

import "runtime/debug"

// String is the module version and VCS revision ("(devel) 1a2b… (modified)").
func String() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}
