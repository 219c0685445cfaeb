package run

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"

	"github.com/scirad/scirad/pipeline/internal/version"
)

// Provenance is run.json: what was run, on what, with which settings, and
// how long each stage took.
type Provenance struct {
	Version       string  `json:"version"`
	GoVersion     string  `json:"go_version"`
	Seed          uint64  `json:"seed"`
	Profile       Profile `json:"profile"`
	ThresholdFrom string  `json:"outcome_threshold_from"` // all patients (the paper) or the training patients only
	// Images are the images extracted and fed to the networks when the
	// run chose its filters (Config.Filters); absent: the paper's five.
	Images       []string          `json:"images,omitempty"`
	Cohort       string            `json:"cohort"`
	Backend      string            `json:"gomlx_backend"`
	Inputs       map[string]string `json:"inputs_sha256"` // path relative to the cohort → hash
	InputsDigest string            `json:"inputs_digest"` // hash of the sorted (path, hash) list
	Train        []string          `json:"train_ids"`
	Test         []string          `json:"test_ids"`
	Timings      []StageTiming     `json:"timings"`
	TotalSeconds float64           `json:"total_seconds"`
}

// Version is the module version and VCS revision the binary was built from
// (shard files carry the same, internal/version).
func Version() string { return version.String() }

// provenance returns run.json's content. The input files are hashed once;
// the timings are the ones recorded so far.
func (r *Result) provenance() *Provenance {
	if r.prov == nil {
		r.prov = r.hashInputs()
	}
	p := *r.prov
	p.Timings = r.Timings
	p.TotalSeconds = 0
	for _, t := range r.Timings {
		p.TotalSeconds += t.Seconds
	}
	return &p
}

func (r *Result) hashInputs() *Provenance {
	p := &Provenance{
		Version: Version(), Seed: r.Config.Seed, Profile: r.Config.Profile, ThresholdFrom: r.thresholdFrom(),
		Images: imagesIfChosen(r.Config),
		Cohort: r.Config.Cohort, Backend: os.Getenv("GOMLX_BACKEND"), Inputs: map[string]string{},
	}
	if p.Backend == "" {
		p.Backend = "go (pure Go, the default)"
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		p.GoVersion = bi.GoVersion
	}
	files := []string{filepath.Join(r.Cohort.Dir, "clinical.csv"), filepath.Join(r.Cohort.Dir, "manifest.csv")}
	for _, pt := range r.Cohort.Patients {
		files = append(files, pt.Image, pt.Mask)
		if pt.Mask2 != "" {
			files = append(files, pt.Mask2)
		}
	}
	var keys []string
	for _, f := range files {
		rel, err := filepath.Rel(r.Cohort.Dir, f)
		if err != nil {
			rel = f
		}
		p.Inputs[rel] = hashFile(f)
		keys = append(keys, rel)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		io.WriteString(h, k+"\x00"+p.Inputs[k]+"\n")
	}
	p.InputsDigest = hex.EncodeToString(h.Sum(nil))
	for _, i := range r.Train {
		p.Train = append(p.Train, r.Cohort.Patients[i].ID)
	}
	for _, i := range r.Test {
		p.Test = append(p.Test, r.Cohort.Patients[i].ID)
	}
	return p
}

func hashFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable: " + err.Error()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (r *Result) writeProvenance() error {
	b, err := json.MarshalIndent(r.provenance(), "", "  ")
	if err != nil {
		return err
	}
	return writeBytes(r.path("run.json"), append(b, '\n'))
}

// imagesIfChosen names the run's images when Config.Filters chose them,
// nil for the paper's (so run.json stays as before the option).
func imagesIfChosen(c Config) []string {
	if len(c.Filters) == 0 {
		return nil
	}
	return c.cohortSettings().ImageNames()
}
