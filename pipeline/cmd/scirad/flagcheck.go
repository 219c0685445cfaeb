package main

import "fmt"

// checkSelectFlags refuses numeric settings of scirad select that the
// selection chain cannot honour (they would otherwise pass silently: an
// alpha of 2 keeps every feature, -folds 0 falls back to a default).
func checkSelectFlags(alpha, rho float64, folds, mrmrK, minKeep int) error {
	switch {
	case !(alpha > 0 && alpha <= 1):
		return fmt.Errorf("-alpha %g: want a p-value threshold in (0, 1]", alpha)
	case !(rho > 0 && rho <= 1):
		return fmt.Errorf("-rho %g: want a |ρ| threshold in (0, 1]", rho)
	case folds < 2 || folds > 1000:
		return fmt.Errorf("-folds %d: want 2 to 1000 cross-validation folds", folds)
	case mrmrK < -1 || mrmrK == 0:
		return fmt.Errorf("-mrmr-k %d: want a positive number of features, or -1 for all", mrmrK)
	case minKeep < 0:
		return fmt.Errorf("-min-keep %d: want 0 or more", minKeep)
	}
	return nil
}
