package volume

import (
	"math"
	"strings"
	"testing"
)

// TestGridCheckDegenerate: every reader calls Grid.Check, so a grid that
// PhysicalToIndex could not invert (or that maps to non-finite millimetres)
// never reaches a command.
func TestGridCheckDegenerate(t *testing.T) {
	ok := NewGrid([3]int{4, 4, 4}, [3]float64{1, 1, 1})
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	oblique := ok
	c, s := math.Cos(0.3), math.Sin(0.3)
	oblique.Direction = [9]float64{c, -s, 0, s, c, 0, 0, 0, 1}
	if err := oblique.Check(); err != nil {
		t.Errorf("a rotation: %v", err)
	}
	for name, edit := range map[string]func(g *Grid){
		"collinear":       func(g *Grid) { g.Direction = [9]float64{1, 1, 0, 0, 0, 0, 0, 0, 1} },
		"nearly singular": func(g *Grid) { g.Direction = [9]float64{1, 1, 0, 0, 1e-9, 0, 0, 0, 1} },
		"not unit":        func(g *Grid) { g.Direction[0] = 2 },
		"tiny spacing":    func(g *Grid) { g.Spacing[1] = 1e-300 },
		"huge spacing":    func(g *Grid) { g.Spacing[2] = 1e300 },
		"huge origin":     func(g *Grid) { g.Origin[0] = 1e300 },
		"nan direction":   func(g *Grid) { g.Direction[4] = math.NaN() },
	} {
		g := ok
		edit(&g)
		err := g.Check()
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: Check = %v, want a one-line error", name, err)
		}
	}
}
