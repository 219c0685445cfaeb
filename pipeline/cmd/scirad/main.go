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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volume/nrrd"
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
		{"maps", "voxel-based feature maps (one NIfTI per feature) of one ROI", runMaps},
		{"extract", "radiomics features of every patient in a manifest", runExtract},
		{"merge", "join the shard files of scirad extract -shard into one table", runMerge},
		{"deep", "train ResNets and write PCA-reduced deep features", runDeep},
		{"embed", "pooled ResNet features of one 2D image", runEmbed},
		{"harmonize", "ComBat harmonisation across centres", runHarmonize},
		{"select", "feature selection: Mann-Whitney, Spearman, mRMR, LASSO", runSelect},
		{"classify", "fit a classifier on a training table, predict a test table", runClassify},
		{"evaluate", "AUC with DeLong CI and threshold metrics of predictions", runEvaluate},
		{"run", "the whole paper end to end, with tables, figures and report", runRun},
		{"predict", "score one patient with a predictor bundle written by run", runPredict},
		{"convert", "a DICOM series and its RTSTRUCT/SEG as NIfTI", runConvert},
	}
}

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is unset.
// Training a ResNet152 keeps about 1.3 GB live; with Go's default pacing
// the heap would grow to twice that before a collection, so the limit keeps
// `scirad run` under 2 GiB resident at a small cost in collection time.
const defaultMemoryLimit = 1800 << 20

func main() {
	withoutAsyncPreemption()
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
		// While the command runs, every input it opens is remembered and
		// never written (package outpath), and its diagnostics are held
		// back for a few seconds: a command that fails early prints its
		// one-line error alone, without the progress that led to it.
		outpath.Track(true)
		held := holdOutput(stderr, holdFor)
		err := c.run(args[1:], stdout, held.writer())
		outpath.Track(false)
		membudget.Set(0)
		nrrd.AllowExternalData = false
		switch {
		case err == nil:
			held.release()
			return 0
		case errors.Is(err, flag.ErrHelp):
			held.release()
			return 0
		case errors.Is(err, errUsage):
			held.release()
			return 2
		default:
			held.drop()
			fmt.Fprintf(stderr, "scirad %s: %s\n", c.name, oneLine(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(stderr, "scirad: unknown command %s (scirad -h lists the commands)\n", outpath.Quote(args[0]))
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
// example. Every command has -max-memory; those that read images have
// -nrrd-external-data too. A parse error is one line (parse prints it).
func newFlags(name, synopsis, example string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("scirad "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: scirad %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nExample:\n  %s\n", strings.TrimSpace(example))
	}
	fs.Func("max-memory", fmt.Sprintf("memory `budget` of any one reader or stage, e.g. 16GiB (default %s; also %s)",
		membudget.Format(float64(membudget.Limit())), membudget.EnvVar), func(v string) error {
		b, err := membudget.Parse(v)
		if err == nil {
			membudget.Set(b)
		}
		return err
	})
	if slices.Contains(imageCommands, name) {
		fs.BoolFunc("nrrd-external-data", "read a detached NRRD data file outside the header's folder (by default only a regular file beside the .nhdr, once links are followed, is read)", func(v string) error {
			on, err := strconv.ParseBool(v)
			nrrd.AllowExternalData = on
			return err
		})
	}
	return fs
}

// imageCommands read images (and so may meet a detached NRRD header).
var imageCommands = []string{"table1", "preprocess", "features", "maps", "extract", "deep", "embed", "run", "predict", "convert"}

// parse parses args with fs and checks that every flag in required was set.
// A mistake prints one line naming it and pointing to -h.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	out, usage := fs.Output(), fs.Usage
	fail := func(format string, a ...any) error {
		fmt.Fprintf(out, "%s: %s (%s -h lists the flags)\n", fs.Name(), oneLine(fmt.Sprintf(format, a...)), fs.Name())
		return errUsage
	}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return err
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, r := range required {
		if !set[r] {
			return fail("-%s is required", r)
		}
	}
	return nil
}

// maxErrorBytes bounds the error line: the start and the end of a longer
// message are kept.
const maxErrorBytes = 400

// oneLine makes a message one short line: line breaks and other control
// characters escaped (a file's contents cannot move the terminal), at most
// maxErrorBytes kept.
func oneLine(msg string) string {
	var b strings.Builder
	for _, r := range msg {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError || unicode.IsControl(r) || (!unicode.IsPrint(r) && !unicode.IsSpace(r)):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) <= maxErrorBytes {
		return s
	}
	head, tail := s[:maxErrorBytes*3/4], s[len(s)-maxErrorBytes/4:]
	for !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	for !utf8.ValidString(tail) {
		tail = tail[1:]
	}
	return head + " … " + tail
}

// holdFor is how long a command's diagnostics are held back.
const holdFor = 5 * time.Second

// heldWriter holds what a command writes to standard error until release,
// drop, holdFor or 64 KiB, whichever comes first; after that, writes pass
// straight through. A terminal is never held: its progress bars redraw in
// place and a person is watching.
type heldWriter struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	live  bool
	timer *time.Timer
}

func holdOutput(w io.Writer, d time.Duration) *heldWriter {
	h := &heldWriter{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			h.live = true
			return h
		}
	}
	h.timer = time.AfterFunc(d, h.release)
	return h
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	if h.live {
		h.mu.Unlock()
		return h.w.Write(p)
	}
	h.buf = append(h.buf, p...)
	full := len(h.buf) > 64<<10
	h.mu.Unlock()
	if full {
		h.release()
	}
	return len(p), nil
}

// writer is what the command writes its diagnostics to: h, or the
// terminal itself (so that progress bars still see a terminal).
func (h *heldWriter) writer() io.Writer {
	if h.timer == nil {
		return h.w
	}
	return h
}

// release writes what was held and lets later writes through.
func (h *heldWriter) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.timer != nil {
		h.timer.Stop()
	}
	if !h.live {
		h.live = true
		h.w.Write(h.buf)
		h.buf = nil
	}
}

// drop forgets what was held (the command failed: its error says why).
func (h *heldWriter) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.timer != nil {
		h.timer.Stop()
	}
	h.buf = nil
	h.live = true
}
