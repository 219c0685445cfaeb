// Command gen writes scirad's hostile-input corpus (package
// pipeline/hostile) into a folder and lists its cases, one per
// line: name, then the scirad command line.
//
//	go run ./testdata/hostile/gen -out /tmp/hostile
//
// TestHostileCorpus (pipeline/cmd/scirad) generates the same corpus in a
// temporary folder and runs every case under a memory cap and a timeout.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/scirad/scirad/pipeline/hostile"
)

func main() {
	out := flag.String("out", "", "folder to write the corpus to (created)")
	bundle := flag.String("bundle", "testdata/wasm/bundle_rad.json", "a valid predictor bundle, mutated by the bundle cases")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	cases, err := hostile.Generate(*out, *bundle)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, c := range cases {
		args := make([]string, len(c.Args))
		for i, a := range c.Args {
			if len(a) > 80 {
				a = a[:80] + fmt.Sprintf("…(%d bytes)", len(a))
			}
			args[i] = a
		}
		fmt.Printf("%s\tscirad %s\n", c.Name, strings.Join(args, " "))
	}
	fmt.Fprintf(os.Stderr, "gen: %d cases in %s\n", len(cases), *out)
}
