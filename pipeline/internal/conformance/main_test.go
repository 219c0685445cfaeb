package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const root = "../../.."

// stream writes go test -json events: for each test its log lines and its
// end.
type stream struct {
	b strings.Builder
}

func (s *stream) test(name, action string, logs ...string) {
	for _, l := range logs {
		// A t.Logf line starts with its file and line; the further lines
		// of a multi-line message are only indented.
		out := "    file_test.go:12: " + l + "\n"
		if strings.HasPrefix(l, " ") {
			out = "        " + l + "\n"
		}
		b, _ := json.Marshal(event{Action: "output", Test: name, Output: out})
		s.b.Write(append(b, '\n'))
	}
	b, _ := json.Marshal(event{Action: action, Test: name, Elapsed: 0.5})
	s.b.Write(append(b, '\n'))
}

// fixture is a complete, passing run, with the phase-1 test "2_b" ending
// as fail2b says and TestNonTextureIBSI/A counting extraA more tags than
// its reference file has.
func fixture(t *testing.T, fail2b string, extraA int) Results {
	t.Helper()
	var s stream
	for _, c := range ibsi1Configs {
		fams, err := referenceFamilies(filepath.Join(root, "testdata", "ibsi1", "ibsi_1_reference_values", ibsi1Files[c]))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, k := range fams {
			n += k
		}
		if c == "A" {
			n += extraA
		}
		s.test("TestNonTextureIBSI/"+c, "pass", fmt.Sprintf("config %s: %d/%d non-texture tags pass; closest to its tolerance: ivh_v90 (|diff| = 0.85 × tolerance); no consensus (not checked): []", c, n, n))
		name := "TestTextureConfigs/" + c
		if c == "phantom" {
			name = "TestTextureDigitalPhantom"
		}
		s.test(name, "pass", "configuration: 118/118 texture tags pass", "  cm 2D_avg      25/25", "  cm 3D_comb 25/25", "  rlm 3D_avg 16/16",
			"  szm 3D 16/16", "  dzm 3D 16/16", "  ngt 3D  5/ 5", "  ngl 3D 15/15")
	}
	for _, id := range ibsi2Phase1IDs {
		name := "TestIBSI2Phase1/" + strings.ReplaceAll(id, ".", "_")
		action := "pass"
		if id == "2.b" {
			action = fail2b
		}
		s.test(name, action, fmt.Sprintf("IBSI-2 %s (checkerboard, log): max deviation 0.0328 %% of range", strings.ReplaceAll(id, ".", "_")))
	}
	for _, dim := range []string{"A", "B"} {
		for f := 1; f <= 9; f++ {
			s.test(fmt.Sprintf("TestIBSI2Phase2/%d.%s", f, dim), "pass", fmt.Sprintf("IBSI-2 phase 2 %d.%s: 18/18 within tolerance (no consensus value: [])", f, dim))
		}
	}
	var lines []string
	for _, img := range []string{"original", "log-sigma-1-0-mm-3D", "log-sigma-3-mm-3D", "wavelet-LLH", "wavelet2-HHH", "square", "squareroot",
		"logarithm", "exponential", "gradient", "lbp-2D", "lbp-3D-k", "lbp-3D-m1"} {
		lines = append(lines, fmt.Sprintf("%-22s worst relative deviation %.2g", img, 1e-9))
	}
	s.test("TestImageTypesPyradiomics", "pass", lines...)
	s.test("TestITKBitExact", "pass")
	s.test("TestIBSIPhantomEndToEnd", "pass", "105 features checked against IBSI, 2 without an IBSI value")
	r := Results{}
	if err := r.Parse(strings.NewReader(s.b.String())); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTables(t *testing.T) {
	tables, err := Build(fixture(t, "pass", 0), root, pyradiomicsTypes)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := Document(&b, tables, "header\n"); err != nil {
		t.Fatal(err)
	}
	doc := b.String()
	for _, want := range []string{
		"| IBSI chapter 1: digital phantom and CT phantom configurations A–E | 71/71 |", // 6 tests × (6 non-texture + 6 texture families), the digital phantom without diagnostics
		"| IBSI chapter 2, phase 1: response maps | 33/33 |",
		"| IBSI chapter 2, phase 2: filter configurations on the CT phantom | 18/18 |",
		"| pyradiomics image types | 11/11 |",
		"| 2.b | pass | checkerboard | log | 0.0328 |",
		"| 10.b.1 | pass |",
		"| 9.B | pass | 18/18 | not logged by the test |",
		"| CT phantom config C | pass | GLCM: 2D_avg 25/25, 3D_comb 25/25 | 50/50 |",
		"| LoG | pass | log-sigma-1-0-mm-3D, log-sigma-3-mm-3D | 1e-09 |",
		"| LBP3D | pass | lbp-3D-k, lbp-3D-m1 | 1e-09 |",
		"| CT phantom config A | pass | all non-texture families | 134/134 | ivh_v90: 0.85 × tolerance |",
		"Not passing: none",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q:\n%s", want, doc)
		}
	}
	// A failing test is a failing row, and its log is shown.
	tables, err = Build(fixture(t, "fail", 0), root, pyradiomicsTypes)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	Document(&b, tables, "")
	if doc := b.String(); !strings.Contains(doc, "| 2.b | **FAIL** |") || !strings.Contains(doc, "| IBSI chapter 2, phase 1: response maps | 32/33 |") ||
		!strings.Contains(doc, "TestIBSI2Phase1/2_b: IBSI-2 2_b") || !strings.Contains(doc, "Not passing:\n\n- IBSI chapter 2, phase 1: response maps: 2.b checkerboard\n") {
		t.Errorf("a failed phase-1 test:\n%s", doc)
	}
	// A test that never ended, a total that does not add up, an image type
	// without images: errors, not tables.
	r := fixture(t, "", 0)
	if _, err := Build(r, root, pyradiomicsTypes); err == nil || !strings.Contains(err.Error(), "TestIBSI2Phase1/2_b did not run") {
		t.Errorf("a missing test: %v", err)
	}
	if _, err := Build(fixture(t, "pass", 1), root, pyradiomicsTypes); err == nil || !strings.Contains(err.Error(), "the test counted") {
		t.Errorf("non-texture totals off by one: %v", err)
	}
	if _, err := Build(fixture(t, "pass", 0), root, append(pyradiomicsTypes, "Laplacian")); err == nil || !strings.Contains(err.Error(), "no Laplacian image") {
		t.Errorf("an image type without images: %v", err)
	}
}

// A package that does not build: the error names the compiler's message.
func TestBuildFailure(t *testing.T) {
	r := Results{}
	err := r.Parse(strings.NewReader(`{"ImportPath":"x/pipeline/filter","Action":"build-output","Output":"pipeline/filter/simple.go:105:5: undefined: crop\n"}
{"ImportPath":"x/pipeline/filter","Action":"build-fail"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := IBSI2Phase1(r); err == nil || !strings.Contains(err.Error(), "undefined: crop") {
		t.Errorf("build failure: %v", err)
	}
}

func TestNonTextureFamily(t *testing.T) {
	for tag, want := range map[string]string{"morph_vol": "morph", "morph_mask_bb_dim_x_init_roi": "diag", "ivh_v90": "ivh",
		"mean_int_init_img": "diag", "stat_mean": "stat", "loc_peak_loc": "loc", "img_dim_x_init_img": "diag"} {
		if got := nonTextureFamily(tag); got != want {
			t.Errorf("%s: family %s, want %s", tag, got, want)
		}
	}
	if !isTexture("cm_joint_max_2D_avg") || isTexture("ih_mean") {
		t.Error("isTexture")
	}
}
