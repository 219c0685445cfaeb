package batch

import (
	"errors"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/cohort"
)

// Shard is one part of a cohort split N ways: the patients whose id hashes
// to K modulo N (0 ≤ K < N). The zero Shard (N = 0) is the whole cohort.
type Shard struct{ K, N int }

// Whole reports whether s is the whole cohort (no sharding).
func (s Shard) Whole() bool { return s.N == 0 }

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// ShardOf is the shard, of n, that holds the patient id: FNV-1a (64 bits)
// of the id modulo n. It depends on the id alone.
func ShardOf(id string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64() % uint64(n))
}

// Pick returns the indices of the rows in s, in manifest order; every row
// when s is Whole.
func (s Shard) Pick(rows []cohort.ManifestEntry) []int {
	var out []int
	for i, r := range rows {
		if s.Whole() || ShardOf(r.ID, s.N) == s.K {
			out = append(out, i)
		}
	}
	return out
}

// Path is the file shard s of the output out is written to:
// radiomics.csv becomes radiomics.shard-03-of-08.csv.
func (s Shard) Path(out string) string {
	ext := filepath.Ext(out)
	w := len(strconv.Itoa(s.N - 1))
	return fmt.Sprintf("%s.shard-%0*d-of-%0*d%s", strings.TrimSuffix(out, ext), w, s.K, w, s.N, ext)
}

// MaxShards bounds N: more shards than this is a typo, not a cluster.
const MaxShards = 1 << 20

// ParseShard parses "K/N" with 0 ≤ K < N.
func ParseShard(v string) (Shard, error) {
	ks, ns, ok := strings.Cut(v, "/")
	k, errK := strconv.Atoi(strings.TrimSpace(ks))
	n, errN := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || errK != nil || errN != nil {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 0/8 (K counts from 0)", clip(v))
	}
	return checkShard(k, n, "shard "+strconv.Quote(clip(v)))
}

func checkShard(k, n int, what string) (Shard, error) {
	if n < 1 || n > MaxShards {
		return Shard{}, fmt.Errorf("%s: the number of shards must be 1 to %d, got %d", what, MaxShards, n)
	}
	if k < 0 || k >= n {
		return Shard{}, fmt.Errorf("%s: shard index %d outside 0…%d (K counts from 0)", what, k, n-1)
	}
	return Shard{k, n}, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// ShardFromEnv decides which shard this process computes. flag is the
// -shard K/N value and shards the -shards N value (0 when not given);
// getenv reads the environment (os.Getenv).
//
//   - -shard K/N wins; -shards, if given, must agree with N.
//   - Otherwise SLURM_ARRAY_TASK_ID is K (a job array, sbatch --array=0-7).
//     N is -shards when given, else SLURM_ARRAY_TASK_COUNT — accepted only
//     when the array is 0…COUNT-1 (SLURM_ARRAY_TASK_MIN = 0 and
//     SLURM_ARRAY_TASK_MAX = COUNT-1): a resubmitted subset (--array=3)
//     must say -shards N, since its count is 1.
//   - Otherwise JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is K and
//     -shards N is required (the Job's completions).
//   - Otherwise, with -shards alone it is an error (which shard?); with
//     neither, the whole cohort.
func ShardFromEnv(flag string, shards int, getenv func(string) string) (Shard, error) {
	if flag != "" {
		s, err := ParseShard(flag)
		if err != nil {
			return Shard{}, err
		}
		if shards != 0 && shards != s.N {
			return Shard{}, fmt.Errorf("-shard %s and -shards %d disagree", s, shards)
		}
		return s, nil
	}
	atoi := func(name string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(getenv(name)))
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a whole number", name, clip(getenv(name)))
		}
		return v, nil
	}
	if getenv("SLURM_ARRAY_TASK_ID") != "" {
		k, err := atoi("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return Shard{}, err
		}
		if shards != 0 {
			return checkShard(k, shards, "SLURM_ARRAY_TASK_ID with -shards")
		}
		n, err := atoi("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return Shard{}, fmt.Errorf("%v: give -shards N", err)
		}
		lo, errLo := atoi("SLURM_ARRAY_TASK_MIN")
		hi, errHi := atoi("SLURM_ARRAY_TASK_MAX")
		if errLo != nil || errHi != nil || lo != 0 || hi != n-1 {
			return Shard{}, fmt.Errorf("the job array is %s-%s, not 0-%d: the shard count is not known, give -shards N",
				clip(getenv("SLURM_ARRAY_TASK_MIN")), clip(getenv("SLURM_ARRAY_TASK_MAX")), n-1)
		}
		return checkShard(k, n, "SLURM_ARRAY_TASK_ID")
	}
	if getenv("JOB_COMPLETION_INDEX") != "" {
		k, err := atoi("JOB_COMPLETION_INDEX")
		if err != nil {
			return Shard{}, err
		}
		if shards == 0 {
			return Shard{}, errors.New("JOB_COMPLETION_INDEX is set: give -shards N, the Indexed Job's completions")
		}
		return checkShard(k, shards, "JOB_COMPLETION_INDEX with -shards")
	}
	if shards != 0 {
		return Shard{}, fmt.Errorf("-shards %d without -shard K/N, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX: which shard is this?", shards)
	}
	return Shard{}, nil
}
