package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// simpleMeasures are image measures anyone would try first: lesion size
// and intensity statistics of both ROIs, each normalised by the patient's
// own cord intensity so that centre scaling cancels.
func simpleMeasures(t testing.TB, c *Cohort, i int) []float64 {
	img, m1, _, err := c.Render(i)
	if err != nil {
		t.Fatal(err)
	}
	var l, r []float64
	for j, x := range img.Data {
		switch m1.Data[j] {
		case 1:
			l = append(l, x)
		case 2:
			r = append(r, x)
		}
	}
	ml, sl := meanSD(l)
	mr, sr := meanSD(r)
	return []float64{math.Log(float64(len(l))), ml / mr, sl / ml, sr / mr}
}

func meanSD(x []float64) (m, s float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, math.Sqrt(s / float64(len(x)-1))
}

// auc is the Mann–Whitney estimate of P(score of a 1 > score of a 0).
func auc(score []float64, y []int) float64 {
	var num, n1, n0 float64
	for i := range score {
		for j := range score {
			if y[i] == 1 && y[j] == 0 {
				switch {
				case score[i] > score[j]:
					num++
				case score[i] == score[j]:
					num += 0.5
				}
			}
		}
		if y[i] == 1 {
			n1++
		} else {
			n0++
		}
	}
	return num / (n1 * n0)
}

// logistic fits an L2-penalised (λ = 1e-2) logistic regression by Newton's
// method on z-scored features and returns a scorer.
func logistic(x [][]float64, y []int) func([]float64) float64 {
	p := len(x[0])
	mu, sd := make([]float64, p), make([]float64, p)
	for j := range p {
		col := make([]float64, len(x))
		for i := range x {
			col[i] = x[i][j]
		}
		mu[j], sd[j] = meanSD(col)
	}
	z := func(r []float64) []float64 {
		out := []float64{1}
		for j, v := range r {
			out = append(out, (v-mu[j])/sd[j])
		}
		return out
	}
	w := make([]float64, p+1)
	for range 50 {
		g := make([]float64, p+1)
		h := make([][]float64, p+1)
		for a := range h {
			h[a] = make([]float64, p+1)
			h[a][a] = 1e-2
			g[a] = 1e-2 * w[a]
		}
		for i := range x {
			zi := z(x[i])
			var eta float64
			for a := range zi {
				eta += w[a] * zi[a]
			}
			pi := 1 / (1 + math.Exp(-eta))
			for a := range zi {
				g[a] -= (float64(y[i]) - pi) * zi[a]
				for b := range zi {
					h[a][b] += pi * (1 - pi) * zi[a] * zi[b]
				}
			}
		}
		step := solve(h, g)
		for a := range w {
			w[a] -= step[a]
		}
	}
	return func(r []float64) float64 {
		zi := z(r)
		var eta float64
		for a := range zi {
			eta += w[a] * zi[a]
		}
		return eta
	}
}

// solve is Gaussian elimination with partial pivoting (a is overwritten).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	b = slices.Clone(b)
	for c := range n {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x
}

// cvAUC is the out-of-fold AUC of logistic regression, k-fold, pooled
// over `repeats` random fold assignments.
func cvAUC(x [][]float64, y []int, folds, repeats int, seed uint64) float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	var total float64
	for range repeats {
		perm := rng.Perm(len(y))
		score := make([]float64, len(y))
		for f := range folds {
			var tx [][]float64
			var ty []int
			for r, i := range perm {
				if r%folds != f {
					tx = append(tx, x[i])
					ty = append(ty, y[i])
				}
			}
			m := logistic(tx, ty)
			for r, i := range perm {
				if r%folds == f {
					score[i] = m(x[i])
				}
			}
		}
		total += auc(score, y)
	}
	return total / float64(repeats)
}

// TestLearnable checks, on the default 82-patient small cohort, that the
// outcome is learnable from simple image measures (cross-validated
// logistic AUC well above chance) and not from shuffled labels.
func TestLearnable(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 82 patients")
	}
	c, err := Plan(Options{N: 82, Seed: 1, Size: Small})
	if err != nil {
		t.Fatal(err)
	}
	var x, xs [][]float64
	y := make([]int, len(c.Cases))
	sev := make([]float64, len(c.Cases))
	for i, k := range c.Cases {
		m := simpleMeasures(t, c, i)
		x = append(x, m)
		xs = append(xs, m[:2]) // lesion voxel count and mean intensity only
		if k.Good {
			y[i] = 1
		}
		sev[i] = -k.Severity
	}
	shuffled := slices.Clone(y)
	rand.New(rand.NewPCG(3, 3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	a2 := cvAUC(xs, y, 5, 20, 1)
	a4 := cvAUC(x, y, 5, 20, 1)
	as := cvAUC(x, shuffled, 5, 20, 1)
	t.Logf("5-fold CV logistic AUC: lesion count+mean %.3f, +SDs %.3f, shuffled labels %.3f", a2, a4, as)
	if a4 < 0.7 {
		t.Errorf("simple measures reach AUC %.3f, want ≥ 0.7", a4)
	}
	if as > 0.65 {
		t.Errorf("shuffled labels reach AUC %.3f, want near 0.5", as)
	}
}
