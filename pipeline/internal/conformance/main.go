// Command conformance runs scirad's conformance tests against IBSI and
// pyradiomics and writes their outcome as one Markdown table per standard
// (docs/conformance.md): every IBSI chapter 1 test (digital phantom and CT
// phantom configurations A–E, per feature family), every IBSI chapter 2
// phase-1 response map and phase-2 configuration, and every pyradiomics
// image type, with pass/fail and the deviation the test measured.
//
// Nothing is copied by hand: the numbers are parsed from the tests' own
// logs (go test -json -v), and a test's pass or fail is go test's verdict.
// Run from the repository:
//
//	GOEXPERIMENT=simd go run ./pipeline/internal/conformance -o docs/conformance.md
//
// (make conformance does this; about 2–3 minutes on two cores.) It exits
// non-zero, writing nothing, when a test it expects is missing from the
// logs; it writes the table and exits 1 when a test fails.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scirad/scirad/pipeline/internal/atomicfile"
)

// Suite is one go test invocation.
type Suite struct {
	Pkg, Run string
}

// Suites are the tests the tables come from.
var Suites = []Suite{
	{"./pipeline/radiomics/ibsi/", "^(TestNonTextureIBSI|TestTextureDigitalPhantom|TestTextureConfigs)$"},
	{"./pipeline/filter/", "^(TestIBSI2Phase1|TestIBSI2Phase2|TestITKBitExact)$"},
	{"./pipeline/radiomics/", "^(TestImageTypesPyradiomics|TestIBSIPhantomEndToEnd)$"},
}

// Command is the go test command line of a suite, as the document prints it.
func (s Suite) Command() string {
	return fmt.Sprintf("GOEXPERIMENT=simd go test -count=1 -v -run '%s' %s", s.Run, s.Pkg)
}

// Test is one test or subtest's outcome in go test's JSON stream.
type Test struct {
	Name    string
	Action  string // pass, fail or skip; "" if it never ended
	Elapsed float64
	Output  []string // log lines, the "=== RUN"/"--- PASS" lines left out
}

// Results are the tests of all suites by name ("TestIBSI2Phase1/1_a_1").
type Results map[string]*Test

// event is one line of go test -json.
type event struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// buildOutput is the Results key of the compiler's messages (go test -json
// "build-output" events).
const buildOutput = "(build output)"

// Parse reads a go test -json stream into r.
func (r Results) Parse(rd io.Reader) error {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			return fmt.Errorf("go test -json: %v in %q", err, line)
		}
		if e.Action == "build-output" {
			e.Test, e.Action = buildOutput, "output"
		}
		if e.Test == "" {
			continue
		}
		t := r[e.Test]
		if t == nil {
			t = &Test{Name: e.Test}
			r[e.Test] = t
		}
		switch e.Action {
		case "pass", "fail", "skip":
			t.Action, t.Elapsed = e.Action, e.Elapsed
		case "output":
			o := strings.TrimRight(e.Output, "\n")
			s := strings.TrimSpace(o)
			if strings.HasPrefix(s, "=== ") || strings.HasPrefix(s, "--- ") {
				continue
			}
			// t.Logf lines start with "file.go:123: ".
			if i := strings.Index(s, ".go:"); i > 0 && !strings.Contains(s[:i], " ") {
				if j := strings.Index(s[i+4:], ": "); j >= 0 {
					s = strings.TrimSpace(s[i+4+j+2:])
				}
			}
			t.Output = append(t.Output, s)
		}
	}
	return sc.Err()
}

// need returns the test called name, or an error if the logs lack it.
func (r Results) need(name string) (*Test, error) {
	t := r[name]
	if t == nil || t.Action == "" {
		msg := ""
		if b := r[buildOutput]; b != nil {
			msg = ":\n" + strings.Join(b.Output, "\n")
		}
		return nil, fmt.Errorf("conformance: test %s did not run (renamed? build failure?)%s", name, msg)
	}
	return t, nil
}

// verdict is a table's pass/fail cell.
func verdict(ok bool) string {
	if ok {
		return "pass"
	}
	return "**FAIL**"
}

// Row is one line of a table.
type Row []string

// Table is one Markdown table with its heading, text and command.
type Table struct {
	Title, Text, Command string
	Header               Row
	Rows                 []Row
	Pass, Total          int
	Failures             []string
}

func (t *Table) add(ok bool, cells ...string) {
	t.Total++
	if ok {
		t.Pass++
	}
	t.Rows = append(t.Rows, append(Row(cells[:1:1]), append([]string{verdict(ok)}, cells[1:]...)...))
}

// failures collects the error lines of a failed test.
func (t *Table) failures(tt *Test) {
	if tt.Action == "fail" {
		for _, o := range tt.Output {
			t.Failures = append(t.Failures, tt.Name+": "+o)
		}
	}
}

var (
	reNonTexture = regexp.MustCompile(`^config (\S+): (\d+)/(\d+) non-texture tags pass; closest to its tolerance: (\S*) \(\|diff\| = ([0-9.eE+-]+) × tolerance\)`)
	reNTFail     = regexp.MustCompile(`^fail (\S+):`)
	reTexGroup   = regexp.MustCompile(`^(cm|rlm|szm|dzm|ngt|ngl) (\S+)\s+(\d+)/\s*(\d+)$`)
	reTexTotal   = regexp.MustCompile(`: (\d+)/(\d+) texture tags pass$`)
	rePhase1     = regexp.MustCompile(`^IBSI-2 (\S+) \((\S+), (\S+)\): max deviation (\S+) % of range`)
	rePhase2     = regexp.MustCompile(`^IBSI-2 phase 2 (\S+): (\d+)/(\d+) within tolerance(?: \(no consensus value: \[([^\]]*)\]\))?`)
	rePhase2Dev  = regexp.MustCompile(`closest to (?:its )?tolerance: (\S+) \(\|diff\| = ([0-9.eE+-]+) × tolerance\)`)
	reImageType  = regexp.MustCompile(`^(\S+)\s+worst relative deviation (\S+)$`)
	reEndToEnd   = regexp.MustCompile(`^(\d+) features checked against IBSI, (\d+) without an IBSI value`)
)

// families are IBSI chapter 1's feature families, as the tags start.
var textureFamilies = []string{"cm", "rlm", "szm", "dzm", "ngt", "ngl"}

var familyNames = map[string]string{
	"diag": "diagnostics (img_, vox_, int_mask_, morph_mask_, …_int_)", "morph": "morphology", "loc": "local intensity",
	"stat": "intensity statistics", "ih": "intensity histogram", "ivh": "intensity-volume histogram",
	"cm": "GLCM", "rlm": "GLRLM", "szm": "GLSZM", "dzm": "GLDZM", "ngt": "NGTDM", "ngl": "NGLDM",
}

// nonTextureFamily is the family of a non-texture tag ("diag" for IBSI's
// diagnostic tags).
func nonTextureFamily(tag string) string {
	for _, p := range []string{"img_", "vox_", "int_mask_", "morph_mask_", "mean_int_", "min_int_", "max_int_"} {
		if strings.HasPrefix(tag, p) {
			return "diag"
		}
	}
	return tag[:max(strings.IndexByte(tag, '_'), 0)]
}

func isTexture(tag string) bool {
	return slices.Contains(textureFamilies, tag[:max(strings.IndexByte(tag, '_'), 0)])
}

// referenceFamilies counts, per family, the non-texture tags of an IBSI
// chapter 1 reference file that have a consensus value.
func referenceFamilies(path string) (map[string]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(strings.TrimSpace(line), ";")
		if i == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("%s: line %d: want value;tolerance;tag", path, i+1)
		}
		if f[0] == "" || isTexture(f[2]) {
			continue
		}
		n[nonTextureFamily(f[2])]++
	}
	return n, nil
}

// ibsi1Files are the reference files of IBSI chapter 1's tests.
var ibsi1Files = map[string]string{
	"phantom": "ibsi_1_dig_phantom.csv", "A": "ibsi_1_chest_config_a.csv", "B": "ibsi_1_chest_config_b.csv",
	"C": "ibsi_1_chest_config_c.csv", "D": "ibsi_1_chest_config_d.csv", "E": "ibsi_1_chest_config_e.csv",
}

var ibsi1Configs = []string{"phantom", "A", "B", "C", "D", "E"}

func configLabel(c string) string {
	if c == "phantom" {
		return "digital phantom"
	}
	return "CT phantom config " + c
}

// IBSI1 is the chapter 1 table: per test and family the tags within
// tolerance.
func IBSI1(r Results, root string) (*Table, error) {
	t := &Table{
		Title: "IBSI chapter 1: digital phantom and CT phantom configurations A–E",
		Text: "Every feature with a consensus value (IBSI reference manual, arXiv:1612.07003; reference files " +
			"testdata/ibsi1/ibsi_1_reference_values) within IBSI's tolerance, per test and feature family. " +
			"Texture families are split by aggregation as IBSI tags them. The deviation is the non-texture tag closest to its " +
			"tolerance, |value − reference| / tolerance, per test (the texture tests report counts only).",
		Command: Suites[0].Command(),
		Header:  Row{"test", "result", "family", "within tolerance", "closest to tolerance"},
	}
	for _, c := range ibsi1Configs {
		nt, err := r.need("TestNonTextureIBSI/" + c)
		if err != nil {
			return nil, err
		}
		t.failures(nt)
		fams, err := referenceFamilies(filepath.Join(root, "testdata", "ibsi1", "ibsi_1_reference_values", ibsi1Files[c]))
		if err != nil {
			return nil, err
		}
		var m []string
		failed := map[string]int{}
		for _, o := range nt.Output {
			if x := reNonTexture.FindStringSubmatch(o); x != nil && x[1] == c {
				m = x
			}
			if x := reNTFail.FindStringSubmatch(o); x != nil {
				failed[nonTextureFamily(x[1])]++
			}
		}
		if m == nil {
			return nil, fmt.Errorf("conformance: TestNonTextureIBSI/%s logs no \"config %s: n/m non-texture tags pass\" line", c, c)
		}
		pass, total := atoi(m[2]), atoi(m[3])
		sum := 0
		for _, n := range fams {
			sum += n
		}
		if sum != total {
			return nil, fmt.Errorf("conformance: %s has %d non-texture tags with a consensus value, the test counted %d", ibsi1Files[c], sum, total)
		}
		// The test's own total and closest tag (a summary, not counted again).
		t.Rows = append(t.Rows, Row{configLabel(c), verdict(nt.Action == "pass" && pass == total), "all non-texture families",
			fmt.Sprintf("%d/%d", pass, total), fmt.Sprintf("%s: %s × tolerance", m[4], m[5])})
		for _, f := range []string{"morph", "loc", "stat", "ih", "ivh", "diag"} {
			if fams[f] == 0 {
				continue
			}
			p := fams[f] - failed[f]
			t.add(nt.Action == "pass" && p == fams[f], configLabel(c), "· "+familyNames[f], fmt.Sprintf("%d/%d", p, fams[f]), "")
		}
		texName := "TestTextureConfigs/" + c
		if c == "phantom" {
			texName = "TestTextureDigitalPhantom"
		}
		tx, err := r.need(texName)
		if err != nil {
			return nil, err
		}
		t.failures(tx)
		byFam := map[string][]string{}
		pf, tf := map[string]int{}, map[string]int{}
		gsum, logged := 0, -1
		for _, o := range tx.Output {
			if x := reTexGroup.FindStringSubmatch(o); x != nil {
				p, n := atoi(x[3]), atoi(x[4])
				byFam[x[1]] = append(byFam[x[1]], fmt.Sprintf("%s %d/%d", x[2], p, n))
				pf[x[1]] += p
				tf[x[1]] += n
				gsum += n
			}
			if x := reTexTotal.FindStringSubmatch(o); x != nil {
				logged = atoi(x[2])
			}
		}
		if logged < 0 || gsum != logged || len(byFam) != len(textureFamilies) {
			return nil, fmt.Errorf("conformance: %s: texture groups sum to %d of %d logged tags, families %d (want 6)", texName, gsum, logged, len(byFam))
		}
		for _, f := range textureFamilies {
			t.add(tx.Action == "pass" && pf[f] == tf[f], configLabel(c), familyNames[f]+": "+strings.Join(byFam[f], ", "), fmt.Sprintf("%d/%d", pf[f], tf[f]), "")
		}
	}
	return t, nil
}

// ibsi2Phase1IDs are chapter 2's 33 phase-1 response maps (test names use
// '_' for '.').
var ibsi2Phase1IDs = []string{"1.a.1", "1.a.2", "1.a.3", "1.a.4", "1.b.1", "2.a", "2.b", "2.c",
	"3.a.1", "3.a.2", "3.a.3", "3.b.1", "3.b.2", "3.b.3", "3.c.1", "3.c.2", "3.c.3",
	"4.a.1", "4.a.2", "4.b.1", "4.b.2", "5.a.1", "5.a.2", "6.a.1", "6.a.2", "7.a.1", "7.a.2",
	"8.a.1", "8.a.2", "8.a.3", "9.a", "9.b.1", "10.b.1"}

// IBSI2Phase1 is the table of chapter 2's phase-1 response maps.
func IBSI2Phase1(r Results) (*Table, error) {
	t := &Table{
		Title: "IBSI chapter 2, phase 1: response maps",
		Text: "Every voxel of the filter's response map within 1 % of the consensus map's range (testdata/ibsi2/response_maps); " +
			"deviation = max |response − consensus| in % of the consensus map's range.",
		Command: Suites[1].Command(),
		Header:  Row{"id", "result", "phantom", "filter", "max deviation (% of range)"},
	}
	for _, id := range ibsi2Phase1IDs {
		tt, err := r.need("TestIBSI2Phase1/" + strings.ReplaceAll(id, ".", "_"))
		if err != nil {
			return nil, err
		}
		t.failures(tt)
		var m []string
		for _, o := range tt.Output {
			if x := rePhase1.FindStringSubmatch(o); x != nil {
				m = x
			}
		}
		if m == nil {
			return nil, fmt.Errorf("conformance: %s logs no max deviation", tt.Name)
		}
		dev, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			return nil, fmt.Errorf("conformance: %s: deviation %q", tt.Name, m[4])
		}
		t.add(tt.Action == "pass" && dev <= 1, id, m[2], m[3], m[4])
	}
	return t, nil
}

// IBSI2Phase2 is the table of chapter 2's phase-2 configurations.
func IBSI2Phase2(r Results) (*Table, error) {
	t := &Table{
		Title: "IBSI chapter 2, phase 2: filter configurations on the CT phantom",
		Text: "The 18 intensity statistics of each filter configuration (1 none, 2 mean, 3–4 LoG, 5 Laws, 6 Gabor, 7–8 wavelets, " +
			"9 Simoncelli; A = 2D, B = 3D) on the IBSI CT phantom within the consensus tolerance (reference_values.csv in testdata/ibsi2).",
		Command: Suites[1].Command(),
		Header:  Row{"configuration", "result", "within tolerance", "closest to tolerance"},
	}
	for _, dim := range []string{"A", "B"} {
		for f := 1; f <= 9; f++ {
			id := fmt.Sprintf("%d.%s", f, dim)
			tt, err := r.need("TestIBSI2Phase2/" + id)
			if err != nil {
				return nil, err
			}
			t.failures(tt)
			var m, d []string
			for _, o := range tt.Output {
				if x := rePhase2.FindStringSubmatch(o); x != nil {
					m = x
					d = rePhase2Dev.FindStringSubmatch(o)
				}
			}
			if m == nil {
				return nil, fmt.Errorf("conformance: %s logs no \"n/m within tolerance\"", tt.Name)
			}
			dev := "not logged by the test"
			if d != nil {
				dev = d[1] + ": " + d[2] + " × tol"
			}
			n := m[2] + "/" + m[3]
			if m[4] != "" {
				n += " (no consensus value: " + m[4] + ")"
			}
			t.add(tt.Action == "pass" && m[2] == m[3], id, n, dev)
		}
	}
	return t, nil
}

// imageType maps a derived image's name to pyradiomics' image type.
func imageType(name string) string {
	for _, p := range []struct{ prefix, typ string }{
		{"original", "Original"}, {"log-sigma-", "LoG"}, {"wavelet", "Wavelet"}, {"squareroot", "SquareRoot"},
		{"square", "Square"}, {"logarithm", "Logarithm"}, {"exponential", "Exponential"}, {"gradient", "Gradient"},
		{"lbp-2D", "LBP2D"}, {"lbp-3D", "LBP3D"},
	} {
		if strings.HasPrefix(name, p.prefix) {
			return p.typ
		}
	}
	return ""
}

// PyRadiomics is the table of pyradiomics' image types.
func PyRadiomics(r Results, types []string) (*Table, error) {
	t := &Table{
		Title: "pyradiomics image types",
		Text: "Every feature of every derived image on real spinal-cord MRI (testdata/filters/golden.json, made by " +
			"testdata/filters/make_golden.py with pyradiomics from source, ITK, PyWavelets, scikit-image, SciPy) within 1e-6 " +
			"relative of pyradiomics' value; deviation = the largest relative deviation among the type's images and features. " +
			"LoG and Gradient are also compared bit for bit with ITK's filters (TestITKBitExact).",
		Command: Suites[2].Command() + "\n" + Suites[1].Command(),
		Header:  Row{"image type", "result", "images compared", "worst relative deviation"},
	}
	tt, err := r.need("TestImageTypesPyradiomics")
	if err != nil {
		return nil, err
	}
	t.failures(tt)
	itk, err := r.need("TestITKBitExact")
	if err != nil {
		return nil, err
	}
	t.failures(itk)
	imgs := map[string][]string{}
	worst := map[string]float64{}
	for _, o := range tt.Output {
		x := reImageType.FindStringSubmatch(o)
		if x == nil {
			continue
		}
		typ := imageType(x[1])
		if typ == "" {
			return nil, fmt.Errorf("conformance: image %s: no pyradiomics image type", x[1])
		}
		v, err := strconv.ParseFloat(x[2], 64)
		if err != nil {
			return nil, fmt.Errorf("conformance: %s: deviation %q", x[1], x[2])
		}
		imgs[typ] = append(imgs[typ], x[1])
		worst[typ] = math.Max(worst[typ], v)
	}
	e2e, err := r.need("TestIBSIPhantomEndToEnd")
	if err != nil {
		return nil, err
	}
	t.failures(e2e)
	var m []string
	for _, o := range e2e.Output {
		if x := reEndToEnd.FindStringSubmatch(o); x != nil {
			m = x
		}
	}
	if m == nil {
		return nil, fmt.Errorf("conformance: TestIBSIPhantomEndToEnd logs no \"n features checked against IBSI\"")
	}
	t.add(e2e.Action == "pass", "Original on the IBSI digital phantom", m[1]+" features with an IBSI value (pyradiomics' definitions; "+m[2]+" have none)",
		"within IBSI's tolerance (minor and least axis length: pyradiomics' N, not N−1, tested apart)")
	for _, typ := range types {
		if len(imgs[typ]) == 0 {
			return nil, fmt.Errorf("conformance: TestImageTypesPyradiomics compares no %s image", typ)
		}
		ok := tt.Action == "pass" && worst[typ] <= 1e-6
		if typ == "LoG" || typ == "Gradient" {
			ok = ok && itk.Action == "pass"
		}
		sort.Strings(imgs[typ])
		t.add(ok, typ, strings.Join(imgs[typ], ", "), strconv.FormatFloat(worst[typ], 'g', 2, 64))
	}
	return t, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Document renders the tables.
func Document(w io.Writer, tables []*Table, header string) error {
	var b strings.Builder
	b.WriteString("# Conformance: IBSI chapters 1 and 2, pyradiomics image types\n\n")
	b.WriteString("<!-- Generated by `make conformance` (go run ./pipeline/internal/conformance); do not edit by hand. -->\n\n")
	b.WriteString(header)
	b.WriteString("\n| table | passed |\n|---|---|\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "| %s | %d/%d |\n", t.Title, t.Pass, t.Total)
	}
	var failing []string
	for _, t := range tables {
		for _, r := range t.Rows {
			if r[1] != verdict(true) {
				failing = append(failing, t.Title+": "+strings.Join(r[:1], "")+" "+r[2])
			}
		}
	}
	if len(failing) == 0 {
		b.WriteString("\nNot passing: none — every test id and image type below passes.\n")
	} else {
		b.WriteString("\nNot passing:\n\n")
		for _, f := range failing {
			fmt.Fprintf(&b, "- %s\n", f)
		}
	}
	for _, t := range tables {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n    %s\n\n", t.Title, t.Text, strings.ReplaceAll(t.Command, "\n", "\n    "))
		fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(t.Header, " | "), strings.Repeat("---|", len(t.Header)))
		for _, r := range t.Rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(r, " | "))
		}
		fmt.Fprintf(&b, "\n%d/%d pass.\n", t.Pass, t.Total)
		if len(t.Failures) > 0 {
			b.WriteString("\nFailing tests' logs:\n\n")
			for _, f := range t.Failures {
				fmt.Fprintf(&b, "    %s\n", f)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Build parses the results into the tables.
func Build(r Results, root string, types []string) ([]*Table, error) {
	t1, err := IBSI1(r, root)
	if err != nil {
		return nil, err
	}
	p1, err := IBSI2Phase1(r)
	if err != nil {
		return nil, err
	}
	p2, err := IBSI2Phase2(r)
	if err != nil {
		return nil, err
	}
	py, err := PyRadiomics(r, types)
	if err != nil {
		return nil, err
	}
	return []*Table{t1, p1, p2, py}, nil
}

func repoRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("conformance: run it inside the scirad repository (no go.mod above the working directory)")
		}
		d = filepath.Dir(d)
	}
}

func main() {
	out := flag.String("o", "", "write the Markdown here (e.g. docs/conformance.md); default standard output")
	logs := flag.String("json", "", "comma-separated go test -json outputs of the suites' commands, read instead of running them")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: conformance [-o FILE]\n\nRuns the IBSI and pyradiomics conformance tests and writes their table.\n"+
			"Example:\n\tGOEXPERIMENT=simd go run ./pipeline/internal/conformance -o docs/conformance.md\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*out, *logs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// pyradiomicsTypes are the image types the table must cover: every
// pyradiomics type (filter.Types), listed here so that this command does
// not build the filter package into itself.
var pyradiomicsTypes = []string{"Original", "LoG", "Wavelet", "Square", "SquareRoot", "Logarithm", "Exponential", "Gradient", "LBP2D", "LBP3D"}

func run(out, logs string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	r := Results{}
	var times []string
	if logs != "" {
		for _, f := range strings.Split(logs, ",") {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			if err := r.Parse(bytes.NewReader(b)); err != nil {
				return fmt.Errorf("%s: %v", f, err)
			}
		}
		times = append(times, "read from "+logs)
	}
	for _, s := range Suites {
		if logs != "" {
			break
		}
		fmt.Fprintf(os.Stderr, "conformance: %s\n", s.Command())
		t0 := time.Now()
		cmd := exec.Command("go", "test", "-count=1", "-json", "-v", "-timeout", "30m", "-run", s.Run, s.Pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOEXPERIMENT=simd")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		if err := r.Parse(&stdout); err != nil {
			return fmt.Errorf("%s: %v\n%s", s.Pkg, err, stderr.String())
		}
		if runErr != nil && stdout.Len() == 0 {
			return fmt.Errorf("%s: %v\n%s", s.Command(), runErr, stderr.String())
		}
		times = append(times, fmt.Sprintf("%s %.0f s", s.Pkg, time.Since(t0).Seconds()))
	}
	tables, err := Build(r, root, pyradiomicsTypes)
	if err != nil {
		return err
	}
	commit := "unknown"
	if b, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(b))
	}
	header := fmt.Sprintf("Measured at commit %s on %s (%s, %s/%s, %d CPUs) by running the tests below (%s). "+
		"Regenerate with\n\n    make conformance\n\n", commit, time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), strings.Join(times, ", "))
	write := func(w io.Writer) error { return Document(w, tables, header) }
	if out == "" {
		err = write(os.Stdout)
	} else {
		err = atomicfile.WriteFile(out, write)
	}
	if err != nil {
		return err
	}
	for _, t := range tables {
		if t.Pass != t.Total {
			return fmt.Errorf("conformance: %s: %d of %d fail", t.Title, t.Total-t.Pass, t.Total)
		}
	}
	return nil
}
