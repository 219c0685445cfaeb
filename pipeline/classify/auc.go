package classify

import (
	"cmp"
	"slices"
)

// AUC is the area under the ROC curve of scores against 0/1 labels in its
// Mann–Whitney form,
//
//	AUC = (1 / (n₀ n₁)) Σ_{i: y=1} Σ_{j: y=0} [s_i > s_j] + ½ [s_i = s_j],
//
// with higher scores meaning class 1. It is computed from mid-ranks in
// O(n log n). It returns NaN when a class is absent. This is scirad's one
// AUC: evaluate.AUC checks its input and calls it, and evaluate.DeLong adds
// the confidence interval.
func AUC(score []float64, y []int) float64 {
	if len(score) != len(y) {
		panic("classify: AUC length mismatch")
	}
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(score[a], score[b]) })
	var rankSum float64
	var n1 int
	for lo := 0; lo < len(idx); {
		hi := lo + 1
		for hi < len(idx) && score[idx[hi]] == score[idx[lo]] {
			hi++
		}
		mid := float64(lo+hi+1) / 2 // mean of ranks lo+1 … hi
		for _, i := range idx[lo:hi] {
			if y[i] == 1 {
				rankSum += mid
				n1++
			}
		}
		lo = hi
	}
	n0 := len(y) - n1
	if n0 == 0 || n1 == 0 {
		return nan()
	}
	return (rankSum - float64(n1)*float64(n1+1)/2) / (float64(n0) * float64(n1))
}
