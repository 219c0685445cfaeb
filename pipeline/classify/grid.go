package classify

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Grid returns the hyperparameter grid of model name (see the package doc
// for the values), each point seeded with seed.
func Grid(name string, seed uint64) ([]Estimator, error) {
	var g []Estimator
	switch name {
	case "lr":
		for _, c := range []float64{0.01, 0.1, 1, 10, 100} {
			g = append(g, LogisticRegression{C: c})
		}
	case "svm":
		for _, c := range []float64{0.1, 1, 10} {
			for _, gam := range []float64{0, 0.01, 0.1} {
				g = append(g, SVM{Kernel: "rbf", C: c, Gamma: gam, Seed: seed})
			}
		}
		for _, c := range []float64{0.1, 1, 10} {
			g = append(g, SVM{Kernel: "linear", C: c, Seed: seed})
		}
	case "rf":
		for _, d := range []int{0, 3, 5} {
			for _, l := range []int{1, 3} {
				g = append(g, RandomForest{MaxDepth: d, MinSamplesLeaf: l, Seed: seed})
			}
		}
	case "nb":
		for _, v := range []float64{1e-9, 1e-7, 1e-5, 1e-3, 1e-1} {
			g = append(g, GaussianNB{VarSmoothing: v})
		}
	case "mlp":
		for _, h := range []int{50, 100} {
			for _, a := range []float64{1e-4, 1e-2, 1} {
				g = append(g, MLP{Hidden: h, Alpha: a, Seed: seed})
			}
		}
	case "gbdt":
		for _, lr := range []float64{0.05, 0.1} {
			for _, nl := range []int{4, 31} {
				for _, md := range []int{5, 20} {
					g = append(g, GBDT{LearningRate: lr, NumLeaves: nl, MinDataInLeaf: md})
				}
			}
		}
	default:
		_, err := New(name, seed)
		return nil, err
	}
	return g, nil
}

// GridSearchCV is an Estimator that picks the grid point with the best
// mean cross-validated AUC and refits it on all rows, scikit-learn's
// GridSearchCV(scoring="roc_auc", cv=StratifiedKFold(shuffle=True)).
type GridSearchCV struct {
	// Points is the grid (see Grid).
	Points []Estimator
	// Folds is the number of stratified folds; zero means 5. When a
	// class has fewer rows than Folds, Folds drops to that count (at
	// least 2).
	Folds int
	// Seed seeds the fold assignment.
	Seed uint64
	// Workers bounds the grid points fitted at once; zero means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
}

// Name is the name of the grid's model.
func (g GridSearchCV) Name() string {
	if len(g.Points) == 0 {
		return "grid"
	}
	return g.Points[0].Name()
}

// SearchResult is the outcome of a grid search.
type SearchResult struct {
	// Scores[k] is the mean fold AUC of Points[k]; SD[k] its standard
	// deviation over folds (n − 1 denominator).
	Scores, SD []float64
	// Best indexes the best point (the first of equal scores).
	Best int
	// Model is the best point refitted on all rows.
	Model Model
}

// Fit runs the search and returns the refitted best model.
func (g GridSearchCV) Fit(X [][]float64, y []int) (Model, error) {
	r, err := g.Search(X, y)
	if err != nil {
		return nil, err
	}
	return r.Model, nil
}

// Search scores every grid point and refits the best.
func (g GridSearchCV) Search(X [][]float64, y []int) (*SearchResult, error) {
	if len(g.Points) == 0 {
		return nil, fmt.Errorf("classify: grid search: empty grid")
	}
	if _, err := checkXY(X, y); err != nil {
		return nil, err
	}
	k := g.Folds
	if k == 0 {
		k = 5
	}
	n0, n1 := classCounts(y)
	k = min(k, n0, n1)
	if k < 2 {
		return nil, fmt.Errorf("classify: grid search: a class has %d row(s), too few for cross-validation", min(n0, n1))
	}
	folds, err := StratifiedKFold(y, k, g.Seed)
	if err != nil {
		return nil, err
	}
	res := &SearchResult{Scores: make([]float64, len(g.Points)), SD: make([]float64, len(g.Points))}
	errs := make([]error, len(g.Points))
	workers := g.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for p, est := range g.Points {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res.Scores[p], res.SD[p], errs[p] = CrossValAUC(est, X, y, folds)
		}()
	}
	wg.Wait()
	for p, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("classify: grid search, point %d (%+v): %v", p, g.Points[p], err)
		}
	}
	for p, s := range res.Scores {
		if s > res.Scores[res.Best] {
			res.Best = p
		}
	}
	res.Model, err = g.Points[res.Best].Fit(X, y)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CrossValAUC fits est on all rows but each fold's and scores the fold by
// AUC; it returns the mean and standard deviation (n − 1) of the fold AUCs.
func CrossValAUC(est Estimator, X [][]float64, y []int, folds [][]int) (mean, sd float64, err error) {
	aucs := make([]float64, len(folds))
	for f, held := range folds {
		Xt, yt := Rows(X, y, Complement(len(y), held))
		Xv, yv := Rows(X, y, held)
		m, err := est.Fit(Xt, yt)
		if err != nil {
			return 0, 0, fmt.Errorf("fold %d: %v", f+1, err)
		}
		p, err := m.PredictProba(Xv)
		if err != nil {
			return 0, 0, fmt.Errorf("fold %d: %v", f+1, err)
		}
		aucs[f] = AUC(p, yv)
		if math.IsNaN(aucs[f]) {
			return 0, 0, fmt.Errorf("fold %d holds a single class", f+1)
		}
	}
	return meanSD(aucs)
}

func meanSD(v []float64) (mean, sd float64, err error) {
	for _, a := range v {
		mean += a
	}
	mean /= float64(len(v))
	if len(v) > 1 {
		for _, a := range v {
			sd += (a - mean) * (a - mean)
		}
		sd = math.Sqrt(sd / float64(len(v)-1))
	}
	return mean, sd, nil
}
