package nrrd

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTeem reads the fixtures that teem's unu (Debian teem-apps
// 1.12.0~20160122-5) wrote with testdata/volume/make_nrrd_fixtures.sh, in
// every type, encoding and byte order, and compares each voxel with the
// value teem itself read back (F.values.txt, printed by teem to about 8
// significant digits, hence the 1e-6 relative tolerance), and the
// geometry with the space directions and origin given to unu make,
// converted to LPS.
func TestTeem(t *testing.T) {
	dir := filepath.Join(testdata, "volume/nrrd/teem")
	files, _ := filepath.Glob(filepath.Join(dir, "*.values.txt"))
	if len(files) != 12 {
		t.Fatalf("%d teem fixtures, want 12", len(files))
	}
	// unu make -dirs '(0.9,0.1,0) (-0.1,0.9,0.2) (0,-0.5,2.5)' -orig '(10.5,-20.25,30)'.
	dirs := [3][3]float64{{0.9, 0.1, 0}, {-0.1, 0.9, 0.2}, {0, -0.5, 2.5}}
	origin := [3]float64{10.5, -20.25, 30}
	for _, vf := range files {
		name := strings.TrimSuffix(filepath.Base(vf), ".values.txt")
		t.Run(name, func(t *testing.T) {
			want := readValues(t, vf)
			v, err := ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if v.Dims != [3]int{5, 4, 3} || len(v.Data) != len(want) {
				t.Fatalf("dims %v, %d values; want 5x4x3 and %d", v.Dims, len(v.Data), len(want))
			}
			for i, x := range want {
				if !close(v.Data[i], x, 1e-6) {
					t.Fatalf("voxel %d = %.9g, teem %.9g", i, v.Data[i], x)
				}
			}
			sign := [3]float64{1, 1, 1}
			switch {
			case name == "spacings_only.nrrd":
				if v.Spacing != [3]float64{0.5, 0.75, 3} || v.Origin != [3]float64{} || v.Direction != [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1} {
					t.Errorf("grid %v, want spacing (0.5,0.75,3), identity, origin 0", v.Grid)
				}
				return
			case strings.HasPrefix(name, "ras_"), name == "detached.nhdr":
				sign = [3]float64{-1, -1, 1}
			case strings.HasPrefix(name, "las_"):
				sign = [3]float64{1, -1, 1}
			}
			for c := range 3 {
				for r := range 3 {
					got := v.Direction[3*r+c] * v.Spacing[c]
					if !close(got, sign[r]*dirs[c][r], 1e-12) {
						t.Fatalf("space direction %d = %v·%g, want %v in LPS", c, v.Direction, v.Spacing[c], dirs[c])
					}
				}
				if !close(v.Origin[c], sign[c]*origin[c], 1e-12) {
					t.Errorf("origin %v, want %v in LPS", v.Origin, origin)
				}
			}
		})
	}
}

func readValues(t *testing.T, path string) []float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		x, err := strconv.ParseFloat(strings.TrimSpace(sc.Text()), 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no values", path)
	}
	return out
}
