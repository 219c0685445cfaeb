package run

import (
	"github.com/scirad/scirad/pipeline/classify"
	"github.com/scirad/scirad/pipeline/cohort"
)

// StageSeed is the seed of one stage of a run with the given seed: the
// stage's name hashed (FNV-1a) and mixed with the run's seed, so stages draw
// independent streams and a stage added later changes no other stage.
func StageSeed(seed uint64, stage string) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range []byte(stage) {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h ^ (seed * 0x9e3779b97f4a7c15)
}

// Split is the run's stratified training/test split of c's patient indices
// for profile p and seed: the split Run uses, for notebooks and tools that
// work on the same patients outside a run.
func Split(c *cohort.Cohort, p Profile, seed uint64) (train, test []int, err error) {
	return classify.StratifiedSplit(c.Labels(), p.TestFraction, StageSeed(seed, "split"))
}
