// Command scirad runs the stages of the scirad pipeline (Lin et al., Sci Rep
// 2025) from the command line: synthesise a toy cohort, preprocess, extract
// radiomics and deep features, harmonise, select, classify, evaluate, and
// run the whole paper end to end.
//
// Usage:
//
//	scirad <command> [flags]
//	scirad <command> -h
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// command is one subcommand: its name, a one-line summary, and the function
// that parses its flags and runs it.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"synth", "write a synthetic multicentre SCI cohort", runSynth},
		{"table1", "build the paper's Table 1 from a cohort", runTable1},
		{"preprocess", "normalise, resample and filter one image and mask", runPreprocess},
		{"features", "pyradiomics-compatible features of one image and ROI", runFeatures},
		{"extract", "radiomics features of every patient in a manifest", runExtract},
		{"deep", "train ResNets and write PCA-reduced deep features", runDeep},
		{"embed", "pooled ResNet features of one 2D image", runEmbed},
		{"harmonize", "ComBat harmonisation across centres", runHarmonize},
		{"select", "feature selection: Mann-Whitney, Spearman, mRMR, LASSO", runSelect},
		{"classify", "fit a classifier on a training table, predict a test table", runClassify},
		{"evaluate", "AUC with DeLong CI and threshold metrics of predictions", runEvaluate},
		{"run", "the whole paper end to end, with tables, figures and report", runRun},
		{"predict", "score one patient with a predictor bundle written by run", runPredict},
	}
}

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is unset.
// Training a ResNet152 keeps about 1.3 GB live; with Go's default pacing
// the heap would grow to twice that before a collection, so the limit keeps
// `scirad run` under 2 GiB resident at a small cost in collection time.
const defaultMemoryLimit = 1800 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs scirad with args and returns the exit status; tests call it.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "scirad %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "scirad: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "scirad: radiomics and deep-learning prognosis of cervical spinal cord injury")
	fmt.Fprintln(w, "\nUsage: scirad <command> [flags]   (scirad <command> -h for its flags and an example)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
}

// errUsage marks a flag-parsing failure whose message the flag package has
// already printed.
var errUsage = errors.New("usage")

// newFlags returns a flag set whose -h prints the synopsis, the flags and an
// example. Parse errors are reported by the flag package itself.
func newFlags(name, synopsis, example string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("scirad "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: scirad %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nExample:\n  %s\n", strings.TrimSpace(example))
	}
	return fs
}

// parse parses args with fs and checks that every flag in required was set.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, r := range required {
		if !set[r] {
			fmt.Fprintf(fs.Output(), "%s: -%s is required\n", fs.Name(), r)
			fs.Usage()
			return errUsage
		}
	}
	return nil
}
