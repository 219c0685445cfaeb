package nrrd

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// Segment is one segment of a 3D Slicer segmentation.
type Segment struct {
	Name  string // Segment<N>_Name
	Label int    // Segment<N>_LabelValue: the segment's value in its layer
	Layer int    // Segment<N>_Layer: index into Segmentation.Layers
	ID    string // Segment<N>_ID
}

// Segmentation is a 3D Slicer .seg.nrrd.
type Segmentation struct {
	// Labels is one label map: each voxel holds the Label of the first
	// segment (in Segments order) that covers it, 0 where none does. For
	// the one-layer layout this is the file's array. Where segments in
	// different layers overlap, or share a label value, Labels cannot tell
	// them apart: use Mask.
	Labels *volume.Volume
	// Layers holds one label map per layer (len 1 for a 3D file).
	Layers   []*volume.Volume
	Segments []Segment // in the file's order, Segment0 first
}

// Mask returns the binary mask (1 inside) of Segments[i] and its voxel
// count.
func (s *Segmentation) Mask(i int) (*volume.Volume, int) {
	seg := s.Segments[i]
	return s.Layers[seg.Layer].Label(seg.Label)
}

// ReadSegmentation reads a 3D Slicer segmentation (.seg.nrrd), in the
// one-layer label-map layout or the overlapping-layers layout (see the
// package doc). Errors name the file and the field.
func ReadSegmentation(path string) (*Segmentation, error) {
	h, data, err := readFileAll(path)
	if err != nil {
		return nil, err
	}
	s, err := h.segmentation(data)
	return s, withFile(path, err)
}

func (h *Header) segmentation(data []float64) (*Segmentation, error) {
	g, per, err := h.Grid()
	if err != nil {
		return nil, err
	}
	axes := h.spatialAxes()
	// Layers: at most one non-spatial axis, and it must come first (Slicer
	// writes "kinds: list domain domain domain").
	nLayers := per
	if per > 1 {
		if len(axes) != h.Dimension-1 || contains(axes, 0) {
			return nil, formatErr("sizes", "%v: a segmentation has at most one non-spatial axis, the first", h.Sizes)
		}
	}
	segs, err := h.segments(nLayers)
	if err != nil {
		return nil, err
	}
	out := &Segmentation{Segments: segs}
	nv := g.Len()
	for l := 0; l < nLayers; l++ {
		v := &volume.Volume{Grid: g}
		if nLayers == 1 {
			v.Data = data
		} else {
			v.Data = make([]float64, nv)
			for i := range v.Data {
				v.Data[i] = data[i*nLayers+l]
			}
		}
		out.Layers = append(out.Layers, v)
	}
	if nLayers == 1 {
		out.Labels = out.Layers[0]
		return out, nil
	}
	out.Labels = volume.New(g)
	for i := len(segs) - 1; i >= 0; i-- { // first segment wins: paint it last
		layer := out.Layers[segs[i].Layer].Data
		l := float64(segs[i].Label)
		for k, x := range layer {
			if x == l {
				out.Labels.Data[k] = l
			}
		}
	}
	return out, nil
}

// segments reads the Segment<N>_* pairs, in N order.
func (h *Header) segments(nLayers int) ([]Segment, error) {
	byIndex := map[int]*Segment{}
	has := map[int]map[string]bool{}
	for _, kv := range h.KeyValues {
		rest, ok := strings.CutPrefix(kv.Key, "Segment")
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, "_")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 0 || n > 1<<16 {
			continue // Segmentation_* and other keys
		}
		s := byIndex[n]
		if s == nil {
			s = &Segment{}
			byIndex[n] = s
			has[n] = map[string]bool{}
		}
		has[n][field] = true
		key := kv.Key
		switch field {
		case "Name":
			s.Name = kv.Value
		case "ID":
			s.ID = kv.Value
		case "LabelValue":
			v, err := strconv.Atoi(strings.TrimSpace(kv.Value))
			if err != nil || v < 1 {
				return nil, formatErr(key, "is %q, want a positive integer", kv.Value)
			}
			s.Label = v
		case "Layer":
			v, err := strconv.Atoi(strings.TrimSpace(kv.Value))
			if err != nil || v < 0 {
				return nil, formatErr(key, "is %q, want a non-negative integer", kv.Value)
			}
			s.Layer = v
		}
	}
	if len(byIndex) == 0 {
		return nil, formatErr("Segment0_ID", "no Segment<N>_* key:=value pairs: not a Slicer segmentation")
	}
	idx := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idx = append(idx, n)
	}
	sort.Ints(idx)
	segs := make([]Segment, 0, len(idx))
	for _, n := range idx {
		s := *byIndex[n]
		// Slicer < 4.11: no label value or layer.
		if !has[n]["Layer"] {
			if nLayers > 1 {
				s.Layer = n
			}
		}
		if !has[n]["LabelValue"] {
			s.Label = 1
			if nLayers == 1 {
				s.Label = n + 1
			}
		}
		if s.Layer >= nLayers {
			return nil, formatErr(fmt.Sprintf("Segment%d_Layer", n), "is %d but the file has %d layers", s.Layer, nLayers)
		}
		if s.Label > math.MaxInt32 {
			return nil, formatErr(fmt.Sprintf("Segment%d_LabelValue", n), "is %d: too large", s.Label)
		}
		segs = append(segs, s)
	}
	return segs, nil
}
