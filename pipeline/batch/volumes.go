package batch

import (
	"bufio"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/internal/version"
	"github.com/scirad/scirad/pipeline/volume"
)

// Volumes is one patient's preprocessed volumes as the deep stage takes
// them (deep.Patient's fields), with the patient's manifest position.
type Volumes struct {
	Row    int // 0-based manifest position
	ID     string
	Center string
	Images []*volume.Volume
	Mask   *volume.Volume
}

// A volumes shard file is the one-line header of a shard file (kind
// "volumes") followed by the gob encoding of []Volumes: the per-patient
// part of the deep stage (reading and preprocessing) run as a shard, so
// that the training, which needs every patient, reads no image.
const volumesFormat = 2

// WriteVolumesShard writes shard s's preprocessed patients vs (the rows
// s.Pick(rows), in that order) to path, atomically; settings identifies
// the preprocessing.
func WriteVolumesShard(path string, s Shard, rows []cohort.ManifestEntry, settings string, vs []Volumes) error {
	picked := s.Pick(rows)
	if len(vs) != len(picked) {
		return fmt.Errorf("batch: shard %s has %d patients, %d volumes given", s, len(picked), len(vs))
	}
	for i, v := range vs {
		if r := rows[picked[i]]; v.ID != r.ID || v.Row != picked[i] || v.Center != r.Center {
			return fmt.Errorf("batch: volumes %d are patient %s (row %d), want %s (row %d)", i, v.ID, v.Row, r.ID, picked[i])
		}
	}
	h := ShardHeader{Format: volumesFormat, Shard: s.K, Shards: s.N, Version: version.String(), Settings: settings,
		Manifest: ManifestHash(rows), Patients: len(rows), Rows: len(vs)}
	return writeShardFile(path, h, func(w io.Writer) error { return gob.NewEncoder(w).Encode(vs) })
}

// MergeVolumes reads volumes shard files and returns every patient's
// volumes in manifest order, with the same checks as Merge: every shard
// and patient exactly once, one version, settings and manifest.
func MergeVolumes(paths []string) ([]Volumes, *ShardHeader, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("merge: no shard files given")
	}
	var (
		ref     ShardHeader
		byShard = map[int]string{}
		out     []Volumes
	)
	for n, p := range paths {
		h, vs, err := readVolumesShard(p)
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			ref = h
			out = make([]Volumes, h.Patients)
		}
		if err := sameRun(h, ref, p, paths[0]); err != nil {
			return nil, nil, err
		}
		if err := once(byShard, h, p); err != nil {
			return nil, nil, err
		}
		for _, v := range vs {
			if v.Row < 0 || v.Row >= h.Patients || ShardOf(v.ID, h.Shards) != h.Shard || len(v.Images) == 0 || v.Mask == nil {
				return nil, nil, fmt.Errorf("merge: %s: patient %s (row %d) does not belong there", outpath.Quote(p), clip(v.ID), v.Row)
			}
			if out[v.Row].ID != "" {
				return nil, nil, fmt.Errorf("merge: patient %s present twice", clip(v.ID))
			}
			out[v.Row] = v
		}
	}
	if err := allShards(byShard, ref.Shards); err != nil {
		return nil, nil, err
	}
	ids, centers := make([]string, len(out)), make([]string, len(out))
	for i, v := range out {
		if v.ID == "" {
			return nil, nil, fmt.Errorf("merge: the patient at manifest row %d is missing", i)
		}
		ids[i], centers[i] = v.ID, v.Center
	}
	if idCenterHash(ids, centers) != ref.Manifest {
		return nil, nil, errors.New("merge: the shards' patients and centres do not make up the manifest they were extracted from")
	}
	return out, &ref, nil
}

func readVolumesShard(path string) (ShardHeader, []Volumes, error) {
	var h ShardHeader
	f, err := outpath.Open(path)
	if err != nil {
		return h, nil, err
	}
	defer f.Close()
	name := outpath.Quote(path)
	br := bufio.NewReader(f)
	first, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(first, shardMagic) {
		return h, nil, fmt.Errorf("%s is not a scirad shard file", name)
	}
	dec := json.NewDecoder(strings.NewReader(strings.TrimPrefix(first, shardMagic)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Format != volumesFormat {
		return h, nil, fmt.Errorf("%s: not a volumes shard (format %d, want %d; %v)", name, h.Format, volumesFormat, err)
	}
	if _, err := checkShard(h.Shard, h.Shards, name); err != nil {
		return h, nil, err
	}
	var vs []Volumes
	if err := gob.NewDecoder(br).Decode(&vs); err != nil {
		return h, nil, fmt.Errorf("%s: %v", name, err)
	}
	for _, v := range vs {
		for _, im := range append(slicesOf(v.Images), v.Mask) {
			if im != nil && (im.Grid.Check() != nil || len(im.Data) != im.Dims[0]*im.Dims[1]*im.Dims[2]) {
				return h, nil, fmt.Errorf("%s: patient %s: a damaged volume", name, clip(v.ID))
			}
		}
	}
	if len(vs) != h.Rows {
		return h, nil, fmt.Errorf("merge: %s holds %d patients, its header says %d", name, len(vs), h.Rows)
	}
	return h, vs, nil
}

func slicesOf(v []*volume.Volume) []*volume.Volume { return append([]*volume.Volume(nil), v...) }
