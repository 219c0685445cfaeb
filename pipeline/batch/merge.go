package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/atomicfile"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/internal/version"
	"github.com/scirad/scirad/pipeline/table"
)

// A shard file is a one-line header "# scirad shard {json}" (ShardHeader)
// and then a CSV: patient_id,center,rater,row,<features…>, one line per
// extraction of the shard's patients (rater 1, and rater 2 where a
// mask_rater2 exists); row is the patient's 0-based manifest position.
const shardMagic = "# scirad shard "

// ShardHeader is what a shard file says about itself; Merge requires every
// field but Shard and Rows to agree across shards.
type ShardHeader struct {
	Format   int    `json:"format"`
	Shard    int    `json:"shard"`
	Shards   int    `json:"shards"`
	Version  string `json:"version"`  // scirad build (internal/version)
	Settings string `json:"settings"` // radiomics.CohortSettings.Hash
	Manifest string `json:"manifest"` // ManifestHash of the whole manifest
	Patients int    `json:"patients"` // patients in the whole manifest
	Rows     int    `json:"rows"`     // patients in this shard
	Rater2   int    `json:"rater2"`   // of them, those with a second rater's row
}

// ManifestHash identifies a cohort by its patients' ids and centres, in
// order (not by paths, which differ between machines).
func ManifestHash(rows []cohort.ManifestEntry) string {
	h := sha256.New()
	for _, r := range rows {
		fmt.Fprintf(h, "%s\x00%s\n", r.ID, r.Center)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func idCenterHash(ids, centers []string) string {
	rows := make([]cohort.ManifestEntry, len(ids))
	for i := range ids {
		rows[i] = cohort.ManifestEntry{ID: ids[i], Center: centers[i]}
	}
	return ManifestHash(rows)
}

// WriteShard writes shard s of the cohort rows to path, atomically: res is
// ExtractCohort's result on the rows s.Pick(rows), in that order, and
// settings the hash of the settings it was extracted with.
func WriteShard(path string, s Shard, rows []cohort.ManifestEntry, settings string, res *Result) error {
	picked := s.Pick(rows)
	if res.Features.Rows() != len(picked) {
		return fmt.Errorf("batch: shard %s has %d patients, the result %d", s, len(picked), res.Features.Rows())
	}
	pos := map[string]int{}
	for _, i := range picked {
		pos[rows[i].ID] = i
	}
	t := &table.Table{IDName: "patient_id", MetaName: []string{"center", "rater", "row"}, Meta: make([][]string, 3), Names: res.Features.Names}
	for rater, r := range []*table.Table{res.Features, res.Rater2} {
		if r == nil {
			continue
		}
		for i, id := range r.IDs {
			p, ok := pos[id]
			if !ok {
				return fmt.Errorf("batch: patient %s is not in shard %s", id, s)
			}
			t.IDs = append(t.IDs, id)
			t.Meta[0] = append(t.Meta[0], r.Meta[0][i])
			t.Meta[1] = append(t.Meta[1], strconv.Itoa(rater+1))
			t.Meta[2] = append(t.Meta[2], strconv.Itoa(p))
			t.X = append(t.X, r.X[i])
		}
	}
	h := ShardHeader{Format: 1, Shard: s.K, Shards: s.N, Version: version.String(), Settings: settings,
		Manifest: ManifestHash(rows), Patients: len(rows), Rows: len(picked)}
	if res.Rater2 != nil {
		h.Rater2 = res.Rater2.Rows()
	}
	return writeShardFile(path, h, t.Write)
}

// writeShardFile writes the header line h and then body to path,
// atomically: a killed task leaves no shard file, never half of one.
func writeShardFile(path string, h ShardHeader, body func(io.Writer) error) error {
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		if _, err := fmt.Fprintf(w, "%s%s\n", shardMagic, head); err != nil {
			return err
		}
		return body(w)
	})
}

// shardRow is one extraction read back from a shard file.
type shardRow struct {
	id, center string
	rater, row int
	x          []float64
}

// readShard reads one shard file.
func readShard(path string) (ShardHeader, []string, []shardRow, error) {
	var h ShardHeader
	f, err := outpath.Open(path)
	if err != nil {
		return h, nil, nil, err
	}
	defer f.Close()
	name := outpath.Quote(path)
	br := bufio.NewReader(f)
	first, err := br.ReadString('\n')
	if !strings.HasPrefix(first, shardMagic) {
		return h, nil, nil, fmt.Errorf("%s is not a scirad shard file (written by scirad extract -shard K/N)", name)
	}
	if err != nil {
		return h, nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	dec := json.NewDecoder(strings.NewReader(strings.TrimPrefix(first, shardMagic)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Format != 1 {
		return h, nil, nil, fmt.Errorf("%s: unreadable shard header (format %d): %v", name, h.Format, err)
	}
	if _, err := checkShard(h.Shard, h.Shards, name); err != nil {
		return h, nil, nil, err
	}
	cr := csv.NewReader(br)
	head, err := cr.Read()
	if err != nil {
		return h, nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(head) < 4 || !slices.Equal(head[:4], []string{"patient_id", "center", "rater", "row"}) {
		return h, nil, nil, fmt.Errorf("%s: header must start patient_id,center,rater,row", name)
	}
	cols := head[4:]
	var rows []shardRow
	for line := 3; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return h, nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		r := shardRow{id: rec[0], center: rec[1], x: make([]float64, len(cols))}
		r.rater, err = strconv.Atoi(rec[2])
		if err != nil || (r.rater != 1 && r.rater != 2) {
			return h, nil, nil, fmt.Errorf("%s: line %d: rater %q, want 1 or 2", name, line, clip(rec[2]))
		}
		r.row, err = strconv.Atoi(rec[3])
		if err != nil || r.row < 0 || r.row >= h.Patients {
			return h, nil, nil, fmt.Errorf("%s: line %d: row %q outside the manifest's %d patients", name, line, clip(rec[3]), h.Patients)
		}
		if ShardOf(r.id, h.Shards) != h.Shard {
			return h, nil, nil, fmt.Errorf("%s: line %d: patient %s belongs to shard %d/%d, not %d", name, line, clip(r.id), ShardOf(r.id, h.Shards), h.Shards, h.Shard)
		}
		for j, s := range rec[4:] {
			if r.x[j], err = strconv.ParseFloat(s, 64); err != nil {
				return h, nil, nil, fmt.Errorf("%s: line %d (patient %s), column %s: %q is not a number", name, line, clip(r.id), cols[j], clip(s))
			}
		}
		rows = append(rows, r)
	}
	return h, cols, rows, nil
}

// Merge reads the shard files at paths and returns the tables that
// ExtractCohort would have returned for the whole manifest, rows in
// manifest order, and the shards' common header. It is an error unless
// every shard 0…N-1 is given exactly once, every patient of the manifest
// is present exactly once (rater 2 at most once too), and every shard was
// written by the same scirad version with the same settings, manifest and
// columns. The error names the missing shards, so only those need to be
// run again.
func Merge(paths []string) (*Result, *ShardHeader, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("merge: no shard files given")
	}
	var (
		ref     ShardHeader
		refCols []string
		refPath string
		byShard = map[int]string{}
		rater1  [][]float64
		rater2  [][]float64
		ids     []string
		centers []string
		ids2    []string
		seenID  = map[string]int{}
	)
	for n, p := range paths {
		h, cols, rows, err := readShard(p)
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			ref, refCols, refPath = h, cols, p
			rater1 = make([][]float64, h.Patients)
			rater2 = make([][]float64, h.Patients)
			ids = make([]string, h.Patients)
			ids2 = make([]string, h.Patients)
			centers = make([]string, h.Patients)
		}
		if err := sameRun(h, ref, p, refPath); err != nil {
			return nil, nil, err
		}
		if !slices.Equal(cols, refCols) {
			return nil, nil, fmt.Errorf("merge: %s has other feature columns than %s", outpath.Quote(p), outpath.Quote(refPath))
		}
		if err := once(byShard, h, p); err != nil {
			return nil, nil, err
		}
		count, count2 := 0, 0
		for _, r := range rows {
			if q, ok := seenID[r.id]; ok && q != r.row {
				return nil, nil, fmt.Errorf("merge: patient %s at manifest rows %d and %d", clip(r.id), q, r.row)
			}
			seenID[r.id] = r.row
			dst, idsOf := rater1, ids
			if r.rater == 2 {
				dst, idsOf = rater2, ids2
				count2++
			} else {
				count++
			}
			if dst[r.row] != nil {
				return nil, nil, fmt.Errorf("merge: patient %s (rater %d) present twice (%s)", clip(r.id), r.rater, outpath.Quote(p))
			}
			dst[r.row], idsOf[r.row] = r.x, r.id
			if r.rater == 1 {
				centers[r.row] = r.center
			}
		}
		if count != h.Rows || count2 != h.Rater2 {
			return nil, nil, fmt.Errorf("merge: %s holds %d patients (%d with a second rater), its header says %d (%d)",
				outpath.Quote(p), count, count2, h.Rows, h.Rater2)
		}
	}
	if err := allShards(byShard, ref.Shards); err != nil {
		return nil, nil, err
	}
	var missing []string
	for i, x := range rater1 {
		if x == nil {
			missing = append(missing, strconv.Itoa(i))
		} else if ids2[i] != "" && ids2[i] != ids[i] {
			return nil, nil, fmt.Errorf("merge: manifest row %d is patient %s for rater 1 and %s for rater 2", i, clip(ids[i]), clip(ids2[i]))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("merge: %d of %d patients missing (manifest rows %s)", len(missing), ref.Patients, listShort(missing))
	}
	if idCenterHash(ids, centers) != ref.Manifest {
		return nil, nil, errors.New("merge: the shards' patients and centres do not make up the manifest they were extracted from")
	}
	res := &Result{}
	for rater, xs := range [][][]float64{rater1, rater2} {
		t := &table.Table{IDName: "patient_id", MetaName: []string{"center"}, Meta: [][]string{nil}, Names: refCols}
		for i, x := range xs {
			if x == nil {
				continue
			}
			t.IDs = append(t.IDs, ids[i])
			t.Meta[0] = append(t.Meta[0], centers[i])
			t.X = append(t.X, x)
		}
		if rater == 0 {
			res.Features = t
		} else if t.Rows() > 0 {
			res.Rater2 = t
		}
	}
	return res, &ref, nil
}

// listShort joins up to 20 items and says how many more there are.
func listShort(s []string) string {
	if len(s) <= 20 {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:20], ", ") + fmt.Sprintf(" and %d more", len(s)-20)
}

// sameRun refuses a shard h (file p) of another run than ref (file refPath).
func sameRun(h, ref ShardHeader, p, refPath string) error {
	for _, d := range []struct {
		what      string
		have, ref any
	}{
		{"scirad version", h.Version, ref.Version},
		{"settings hash", h.Settings, ref.Settings},
		{"manifest hash", h.Manifest, ref.Manifest},
		{"number of shards", h.Shards, ref.Shards},
		{"number of patients", h.Patients, ref.Patients},
	} {
		if d.have != d.ref {
			return fmt.Errorf("merge: %s has %s %v, %s has %v: shards of one extraction only",
				outpath.Quote(p), d.what, d.have, outpath.Quote(refPath), d.ref)
		}
	}
	return nil
}

// once records shard h's file p, refusing a shard given twice.
func once(byShard map[int]string, h ShardHeader, p string) error {
	if q, dup := byShard[h.Shard]; dup {
		return fmt.Errorf("merge: shard %d/%d given twice: %s and %s", h.Shard, h.Shards, outpath.Quote(q), outpath.Quote(p))
	}
	byShard[h.Shard] = p
	return nil
}

// allShards refuses a set of shards that lacks one of 0…n-1, naming them.
func allShards(byShard map[int]string, n int) error {
	var missing []string
	for k := range n {
		if _, ok := byShard[k]; !ok {
			missing = append(missing, strconv.Itoa(k))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: %d of %d shards missing: %s (rerun them: -shard K/%d, or sbatch --array=K,… with -shards %d)",
			len(missing), n, listShort(missing), n, n)
	}
	return nil
}
