package batch

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/toyvol"
	"github.com/scirad/scirad/pipeline/volume"
)

// TestVolumesShards: preprocessed volumes written as shards and merged
// come back bit for bit in manifest order; an incomplete set, or shards of
// other settings, are refused.
func TestVolumesShards(t *testing.T) {
	var rows []cohort.ManifestEntry
	for i := range 7 {
		rows = append(rows, cohort.ManifestEntry{ID: string(rune('a' + i)), Center: []string{"A", "B"}[i%2]})
	}
	vols := func(i int) Volumes {
		img, mask := toyvol.Patient(i, [3]float64{0.8, 0.8, 2})
		img.Data[3] = 1.0 / 3 // a value no decimal writes exactly
		return Volumes{Row: i, ID: rows[i].ID, Center: rows[i].Center, Images: []*volume.Volume{img, img}, Mask: mask}
	}
	dir := t.TempDir()
	write := func(n int, settings string) []string {
		var paths []string
		for k := range n {
			s := Shard{k, n}
			var vs []Volumes
			for _, i := range s.Pick(rows) {
				vs = append(vs, vols(i))
			}
			p := s.Path(dir + "/" + settings + ".inputs")
			if err := WriteVolumesShard(p, s, rows, settings, vs); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		return paths
	}
	paths := write(3, "s1")
	got, h, err := MergeVolumes([]string{paths[2], paths[0], paths[1]})
	if err != nil {
		t.Fatal(err)
	}
	if h.Patients != 7 || len(got) != 7 {
		t.Fatalf("%d patients, header %+v", len(got), h)
	}
	for i, v := range got {
		if !reflect.DeepEqual(v, vols(i)) {
			t.Fatalf("patient %d differs after the round trip", i)
		}
	}
	other := write(3, "s2")
	for _, c := range []struct {
		paths []string
		err   string
	}{
		{paths[:2], "1 of 3 shards missing: 2"},
		{[]string{paths[0], other[1], paths[2]}, "settings hash"},
		{[]string{paths[0], paths[0], paths[1], paths[2]}, "given twice"},
	} {
		if _, _, err := MergeVolumes(c.paths); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("error %v, want %q", err, c.err)
		}
	}
}
