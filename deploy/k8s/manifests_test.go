// Package k8s_test checks the Kubernetes manifests in deploy/k8s: each
// decodes strictly (an unknown or misspelt field is an error) into the
// parts of the batch/v1 Job schema they use, and the fields that matter
// agree with each other and with scirad's flags.
package k8s_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scirad/scirad/pipeline/batch"
)

// The subset of Kubernetes' batch/v1 Job (k8s.io/api/batch/v1, core/v1)
// the manifests use, with the API's field names.
type job struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
	Spec       jobSpec    `yaml:"spec"`
}

type objectMeta struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

type jobSpec struct {
	CompletionMode          string      `yaml:"completionMode"` // NonIndexed (default) or Indexed
	Completions             *int32      `yaml:"completions"`
	Parallelism             *int32      `yaml:"parallelism"`
	BackoffLimit            *int32      `yaml:"backoffLimit"`
	BackoffLimitPerIndex    *int32      `yaml:"backoffLimitPerIndex"`
	MaxFailedIndexes        *int32      `yaml:"maxFailedIndexes"`
	TTLSecondsAfterFinished *int32      `yaml:"ttlSecondsAfterFinished"`
	Template                podTemplate `yaml:"template"`
}

type podTemplate struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     podSpec    `yaml:"spec"`
}

type podSpec struct {
	RestartPolicy string      `yaml:"restartPolicy"`
	Containers    []container `yaml:"containers"`
	Volumes       []volume    `yaml:"volumes"`
}

type container struct {
	Name         string        `yaml:"name"`
	Image        string        `yaml:"image"`
	Command      []string      `yaml:"command"`
	Args         []string      `yaml:"args"`
	Resources    resources     `yaml:"resources"`
	VolumeMounts []volumeMount `yaml:"volumeMounts"`
}

type resources struct {
	Requests map[string]string `yaml:"requests"`
	Limits   map[string]string `yaml:"limits"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

type volume struct {
	Name                  string `yaml:"name"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
	} `yaml:"persistentVolumeClaim"`
}

func decode(t *testing.T, path string) job {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var j job
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if j.APIVersion != "batch/v1" || j.Kind != "Job" {
		t.Errorf("%s: %s %s, want batch/v1 Job", path, j.APIVersion, j.Kind)
	}
	if !regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`).MatchString(j.Metadata.Name) || len(j.Metadata.Name) > 63 {
		t.Errorf("%s: name %q is not a DNS label", path, j.Metadata.Name)
	}
	ps := j.Spec.Template.Spec
	// A Job's pods must not restart in place (the API refuses Always).
	if ps.RestartPolicy != "Never" && ps.RestartPolicy != "OnFailure" {
		t.Errorf("%s: restartPolicy %q", path, ps.RestartPolicy)
	}
	if len(ps.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", path, len(ps.Containers))
	}
	c := ps.Containers[0]
	if c.Name == "" || c.Image == "" || len(c.Command) == 0 {
		t.Errorf("%s: container needs a name, an image and a command", path)
	}
	vols := map[string]bool{}
	for _, v := range ps.Volumes {
		vols[v.Name] = true
		if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName == "" {
			t.Errorf("%s: volume %s has no claim", path, v.Name)
		}
	}
	for _, m := range c.VolumeMounts {
		if !vols[m.Name] {
			t.Errorf("%s: mount of unknown volume %q", path, m.Name)
		}
	}
	for _, rl := range []map[string]string{c.Resources.Requests, c.Resources.Limits} {
		for k, q := range rl {
			if _, err := quantity(q); err != nil || (k != "cpu" && k != "memory") {
				t.Errorf("%s: resource %s: %q (%v)", path, k, q, err)
			}
		}
	}
	for _, k := range []string{"cpu", "memory"} {
		req, _ := quantity(c.Resources.Requests[k])
		lim, _ := quantity(c.Resources.Limits[k])
		if req <= 0 || lim < req {
			t.Errorf("%s: %s request %q, limit %q", path, k, c.Resources.Requests[k], c.Resources.Limits[k])
		}
	}
	return j
}

// quantity parses the Kubernetes quantities the manifests use: a number
// with an optional m (milli) or Ki/Mi/Gi suffix.
func quantity(s string) (float64, error) {
	mult := 1.0
	for suf, m := range map[string]float64{"m": 1e-3, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30} {
		if strings.HasSuffix(s, suf) {
			s, mult = strings.TrimSuffix(s, suf), m
			break
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x < 0 {
		return 0, fmt.Errorf("quantity %q", s)
	}
	return x * mult, nil
}

// flagValue is the value after -name in args.
func flagValue(t *testing.T, args []string, name string) string {
	t.Helper()
	i := slices.Index(args, "-"+name)
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("args %v: no -%s", args, name)
	}
	return args[i+1]
}

func TestManifests(t *testing.T) {
	ex := decode(t, "extract-job.yaml")
	mg := decode(t, "merge-job.yaml")
	s := ex.Spec
	if s.CompletionMode != "Indexed" || s.Completions == nil || s.Parallelism == nil || *s.Parallelism < 1 {
		t.Fatalf("extract: completionMode %q, completions %v: want an Indexed Job", s.CompletionMode, s.Completions)
	}
	// backoffLimitPerIndex is only allowed on an Indexed Job whose pods
	// are not restarted in place.
	if s.BackoffLimitPerIndex != nil && s.Template.Spec.RestartPolicy != "Never" {
		t.Error("extract: backoffLimitPerIndex needs restartPolicy Never")
	}
	c := s.Template.Spec.Containers[0]
	if !slices.Equal(c.Command, []string{"scirad"}) || len(c.Args) == 0 || c.Args[0] != "extract" {
		t.Fatalf("extract: command %v %v, want scirad extract", c.Command, c.Args)
	}
	shards, err := strconv.Atoi(flagValue(t, c.Args, "shards"))
	if err != nil || shards != int(*s.Completions) {
		t.Errorf("extract: -shards %q, completions %d: must be equal", flagValue(t, c.Args, "shards"), *s.Completions)
	}
	// Every pod index is a shard scirad accepts (JOB_COMPLETION_INDEX with -shards).
	for k := range int(*s.Completions) {
		sh, err := batch.ShardFromEnv("", shards, func(v string) string {
			if v == "JOB_COMPLETION_INDEX" {
				return strconv.Itoa(k)
			}
			return ""
		})
		if err != nil || sh != (batch.Shard{K: k, N: shards}) {
			t.Errorf("pod %d: shard %v, %v", k, sh, err)
		}
	}
	// -workers matches the CPUs requested.
	cpu, _ := quantity(c.Resources.Requests["cpu"])
	if w := flagValue(t, c.Args, "workers"); w != strconv.Itoa(int(cpu)) {
		t.Errorf("extract: -workers %s with %g CPUs requested", w, cpu)
	}
	// The merge reads exactly the shards the extraction writes.
	out := flagValue(t, c.Args, "o")
	m := mg.Spec.Template.Spec.Containers[0]
	script := strings.Join(m.Args, " ")
	glob := strings.TrimSuffix(out, ".csv") + ".shard-*-of-" + strconv.Itoa(shards) + ".csv"
	if !strings.Contains(script, "scirad merge -o "+out+" "+glob) {
		t.Errorf("merge: %q, want scirad merge -o %s %s", script, out, glob)
	}
	if mg.Spec.CompletionMode == "Indexed" || mg.Spec.Completions == nil || *mg.Spec.Completions != 1 {
		t.Error("merge: want one non-indexed completion")
	}
	if m.Image != c.Image {
		t.Errorf("merge image %s, extract image %s: shards are merged by the same scirad version only", m.Image, c.Image)
	}
	claim := func(j job) string { return j.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName }
	if claim(ex) != claim(mg) {
		t.Errorf("extract writes to claim %s, merge reads %s", claim(ex), claim(mg))
	}
}

// TestStrictDecode: a misspelt field fails the decoding, so the check
// above would catch one in the manifests.
func TestStrictDecode(t *testing.T) {
	var j job
	dec := yaml.NewDecoder(strings.NewReader("apiVersion: batch/v1\nkind: Job\nspec:\n  completionMod: Indexed\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&j); err == nil || !strings.Contains(err.Error(), "completionMod") {
		t.Errorf("misspelt field: %v", err)
	}
}
