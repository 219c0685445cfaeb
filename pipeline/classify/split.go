package classify

import (
	"fmt"
	"math"
	"slices"
)

// StratifiedSplit is the paper's stratified random split: within each class
// the rows are shuffled (seeded) and round(testFrac·n_c) of them go to the
// test set, so both sets keep the class ratio. With the paper's 82 patients
// (49 good, 33 bad) and testFrac 0.3 it gives 57 training and 25 test rows,
// the paper's cohort sizes. Indices are returned in increasing order.
//
// It is an error for testFrac to lie outside (0, 1), for y to hold a
// single class, or for either set to lack a class.
func StratifiedSplit(y []int, testFrac float64, seed uint64) (train, test []int, err error) {
	if !(testFrac > 0 && testFrac < 1) {
		return nil, nil, fmt.Errorf("classify: split: test fraction %g is not in (0, 1)", testFrac)
	}
	byClass, err := classRows(y)
	if err != nil {
		return nil, nil, err
	}
	r := newRand(seed)
	for c, rows := range byClass {
		r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		k := int(math.Round(testFrac * float64(len(rows))))
		if k == 0 || k == len(rows) {
			return nil, nil, fmt.Errorf("classify: split: class %d has %d rows, too few to put %g of them in the test set and keep some for training", c, len(rows), testFrac)
		}
		test = append(test, rows[:k]...)
		train = append(train, rows[k:]...)
	}
	slices.Sort(train)
	slices.Sort(test)
	return train, test, nil
}

// StratifiedKFold splits the rows into k folds with the class ratio kept:
// within each class the rows are shuffled (seeded) and dealt to the folds
// in turn. It returns each fold's held-out rows in increasing order. It is
// an error for a class to have fewer than k rows.
func StratifiedKFold(y []int, k int, seed uint64) ([][]int, error) {
	if k < 2 {
		return nil, fmt.Errorf("classify: k-fold: k = %d, need at least 2", k)
	}
	byClass, err := classRows(y)
	if err != nil {
		return nil, err
	}
	r := newRand(seed)
	folds := make([][]int, k)
	next := 0
	for c, rows := range byClass {
		if len(rows) < k {
			return nil, fmt.Errorf("classify: k-fold: class %d has %d rows, fewer than the %d folds", c, len(rows), k)
		}
		r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		for _, i := range rows {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	for _, f := range folds {
		slices.Sort(f)
	}
	return folds, nil
}

// Complement returns the indices in [0, n) that are not in held (which
// must be sorted).
func Complement(n int, held []int) []int {
	out := make([]int, 0, n-len(held))
	k := 0
	for i := 0; i < n; i++ {
		if k < len(held) && held[k] == i {
			k++
			continue
		}
		out = append(out, i)
	}
	return out
}

// classRows returns the row indices of class 0 and class 1, or an error
// when y is not a 0/1 vector with both classes.
func classRows(y []int) ([2][]int, error) {
	var rows [2][]int
	for i, v := range y {
		if v != 0 && v != 1 {
			return rows, fmt.Errorf("classify: label %d of row %d is not 0 or 1", v, i)
		}
		rows[v] = append(rows[v], i)
	}
	if len(rows[0]) == 0 || len(rows[1]) == 0 {
		return rows, fmt.Errorf("classify: the labels hold a single class (%d rows): need both 0 and 1", len(y))
	}
	return rows, nil
}

// Rows returns the rows idx of X and y.
func Rows(X [][]float64, y []int, idx []int) ([][]float64, []int) {
	Xs := make([][]float64, len(idx))
	ys := make([]int, len(idx))
	for k, i := range idx {
		Xs[k] = X[i]
		ys[k] = y[i]
	}
	return Xs, ys
}
