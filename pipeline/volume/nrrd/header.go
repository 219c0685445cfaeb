package nrrd

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/volume"
)

// maxHeader bounds the header text (Slicer's largest headers are a few
// tens of kilobytes).
const maxHeader = 1 << 22

// KeyValue is one key:=value pair of the header.
type KeyValue struct{ Key, Value string }

// Header is a parsed NRRD header.
type Header struct {
	Version   int // the digit of the NRRD000X magic
	Type      Type
	Dimension int
	Sizes     []int
	ByteOrder binary.ByteOrder // nil when the header has no endian field
	Encoding  string           // raw, gzip, bzip2 or text
	Space     string           // canonical space name, "" if none
	// SpaceDirections has one entry per axis: nil for "none", else a vector
	// of the space dimension, in the header's space (not yet LPS).
	SpaceDirections [][]float64
	SpaceOrigin     []float64 // in the header's space
	Spacings        []float64 // per axis, NaN for none; used without space directions
	Kinds           []string  // per axis, lower case; nil if absent
	DataFile        string    // detached data file, "" when attached
	LineSkip        int
	ByteSkip        int64 // −1: the data end the file
	KeyValues       []KeyValue
	fields          map[string]string
}

// Value returns the value of key:=value pair key, and whether it exists.
func (h *Header) Value(key string) (string, bool) {
	for _, kv := range h.KeyValues {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// spaceSigns gives, for each named space, the signs that take its first
// three coordinates to LPS.
var spaceSigns = map[string][3]float64{
	"left-posterior-superior": {1, 1, 1}, "right-anterior-superior": {-1, -1, 1},
	"left-anterior-superior": {1, -1, 1}, "scanner-xyz": {1, 1, 1},
	"3d-right-handed": {1, 1, 1}, "3d-left-handed": {1, 1, 1},
}

var spaceAliases = map[string]string{
	"lps": "left-posterior-superior", "ras": "right-anterior-superior", "las": "left-anterior-superior",
	"lpst": "left-posterior-superior-time", "rast": "right-anterior-superior-time",
	"last": "left-anterior-superior-time",
}

// readHeader reads the magic line and the header fields up to the blank
// line (or the end of a detached header).
func readHeader(br *bufio.Reader) (*Header, error) {
	h := &Header{fields: map[string]string{}, ByteSkip: 0}
	total := 0
	line, err := readLine(br, &total)
	if err != nil && line == "" {
		return nil, formatErr("magic", "empty file: want a NRRD000X magic line")
	}
	if len(line) != 8 || !strings.HasPrefix(line, "NRRD000") || line[7] < '1' || line[7] > '5' {
		if len(line) > 16 {
			line = line[:16] + "…"
		}
		return nil, formatErr("magic", "first line is %q, want NRRD0001..NRRD0005", line)
	}
	h.Version = int(line[7] - '0')
	for {
		line, err := readLine(br, &total)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if line == "" {
			break // blank line (or end of a detached header)
		}
		if line[0] == '#' {
			continue
		}
		ikv, ifd := strings.Index(line, ":="), strings.Index(line, ": ")
		switch {
		case ikv >= 0 && (ifd < 0 || ikv < ifd):
			h.KeyValues = append(h.KeyValues, KeyValue{unescape(line[:ikv]), unescape(line[ikv+2:])})
		case ifd > 0:
			name := normField(line[:ifd])
			if _, dup := h.fields[name]; dup {
				return nil, formatErr(line[:ifd], "field given twice")
			}
			h.fields[name] = strings.TrimSpace(line[ifd+2:])
		default:
			return nil, formatErr("header", "line %q is neither \"field: value\" nor \"key:=value\"", clip(line))
		}
		if err == io.EOF {
			break
		}
	}
	return h, h.parseFields()
}

// readLine reads one header line without its end of line, counting bytes
// against maxHeader. It returns io.EOF with the last line of a header
// that has no final newline.
func readLine(br *bufio.Reader, total *int) (string, error) {
	var sb strings.Builder
	for {
		frag, err := br.ReadSlice('\n')
		*total += len(frag)
		if *total > maxHeader {
			return "", formatErr("header", "longer than %d bytes without a blank line", maxHeader)
		}
		sb.Write(frag)
		if err == bufio.ErrBufferFull {
			continue
		}
		s := strings.TrimRight(sb.String(), "\r\n")
		if err != nil {
			if err == io.EOF {
				return s, io.EOF
			}
			return s, err
		}
		return s, nil
	}
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// unescape decodes the \n and \\ escapes allowed in key:=value pairs.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\n`, "\n", `\\`, `\`).Replace(s)
}

// normField gives the field name its canonical spelling: lower case, no
// spaces ("space directions" and "spacedirections" are the same field).
func normField(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

func (h *Header) parseFields() error {
	f := h.fields
	need := func(name string) (string, error) {
		v, ok := f[name]
		if !ok {
			return "", formatErr(name, "required field is missing")
		}
		return v, nil
	}
	// type
	v, err := need("type")
	if err != nil {
		return err
	}
	t, ok := parseType(v)
	if !ok {
		return formatErr("type", "%q is not supported; want an integer type, float or double", v)
	}
	h.Type = t
	// dimension and sizes
	if v, err = need("dimension"); err != nil {
		return err
	}
	d, err := strconv.Atoi(v)
	if err != nil || d < 1 || d > 16 {
		return formatErr("dimension", "is %q, want 1..16", v)
	}
	h.Dimension = d
	if v, err = need("sizes"); err != nil {
		return err
	}
	words := strings.Fields(v)
	if len(words) != d {
		return formatErr("sizes", "has %d values for dimension %d", len(words), d)
	}
	n := int64(1)
	for k, w := range words {
		s, err := strconv.ParseInt(w, 10, 64)
		if err != nil || s < 1 {
			return formatErr("sizes", "axis %d size is %q, want a positive integer", k, w)
		}
		if s > volume.MaxVoxels || n*s > volume.MaxVoxels {
			return formatErr("sizes", "%v hold more than %d elements", words, volume.MaxVoxels)
		}
		n *= s
		h.Sizes = append(h.Sizes, int(s))
	}
	// encoding
	if v, err = need("encoding"); err != nil {
		return err
	}
	switch strings.ToLower(v) {
	case "raw":
		h.Encoding = "raw"
	case "gzip", "gz":
		h.Encoding = "gzip"
	case "bzip2", "bz2":
		h.Encoding = "bzip2"
	case "txt", "text", "ascii":
		h.Encoding = "text"
	default:
		return formatErr("encoding", "%q is not supported; want raw, gzip, bzip2 or text", v)
	}
	// endian
	if v, ok := f["endian"]; ok {
		switch strings.ToLower(v) {
		case "little":
			h.ByteOrder = binary.LittleEndian
		case "big":
			h.ByteOrder = binary.BigEndian
		default:
			return formatErr("endian", "is %q, want little or big", v)
		}
	} else if h.Type.Size() > 1 && h.Encoding != "text" {
		return formatErr("endian", "required field is missing for %d-byte %s data", h.Type.Size(), h.Type)
	}
	// skips and data file
	if v, ok := f["lineskip"]; ok {
		s, err := strconv.Atoi(v)
		if err != nil || s < 0 {
			return formatErr("line skip", "is %q, want a non-negative integer", v)
		}
		h.LineSkip = s
	}
	if v, ok := f["byteskip"]; ok {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s < -1 {
			return formatErr("byte skip", "is %q, want -1 or a non-negative integer", v)
		}
		if s == -1 && h.Encoding == "text" {
			return formatErr("byte skip", "-1 is meaningless for text encoding")
		}
		h.ByteSkip = s
	}
	if v, ok := f["datafile"]; ok {
		if strings.HasPrefix(v, "LIST") || strings.Contains(v, "%") || len(strings.Fields(v)) > 1 {
			return formatErr("data file", "%q: only a single detached data file is supported", v)
		}
		h.DataFile = v
	}
	return h.parseSpace()
}

func (h *Header) parseSpace() error {
	f := h.fields
	spaceDim := 0
	if v, ok := f["space"]; ok {
		name := strings.ToLower(v)
		if a, ok := spaceAliases[name]; ok {
			name = a
		}
		base := strings.TrimSuffix(name, "-time")
		if _, ok := spaceSigns[base]; !ok {
			return formatErr("space", "%q is not a known space", v)
		}
		h.Space = name
		spaceDim = 3
		if base != name {
			spaceDim = 4
		}
		if _, ok := f["spacedimension"]; ok {
			return formatErr("space dimension", "given together with space")
		}
	} else if v, ok := f["spacedimension"]; ok {
		d, err := strconv.Atoi(v)
		if err != nil || d < 1 || d > 8 {
			return formatErr("space dimension", "is %q, want 1..8", v)
		}
		spaceDim = d
	}
	if v, ok := f["kinds"]; ok {
		h.Kinds = strings.Fields(strings.ToLower(v))
		if len(h.Kinds) != h.Dimension {
			return formatErr("kinds", "has %d values for dimension %d", len(h.Kinds), h.Dimension)
		}
	}
	if v, ok := f["spacedirections"]; ok {
		if spaceDim == 0 {
			return formatErr("space directions", "given without space or space dimension")
		}
		vecs, err := parseVectors(v)
		if err != nil {
			return formatErr("space directions", "%v", err)
		}
		if len(vecs) != h.Dimension {
			return formatErr("space directions", "has %d entries for dimension %d", len(vecs), h.Dimension)
		}
		for k, vec := range vecs {
			if vec != nil && len(vec) != spaceDim {
				return formatErr("space directions", "axis %d has %d components, want %d", k, len(vec), spaceDim)
			}
		}
		h.SpaceDirections = vecs
	}
	if v, ok := f["spaceorigin"]; ok {
		vecs, err := parseVectors(v)
		if err != nil || len(vecs) != 1 || vecs[0] == nil || len(vecs[0]) != spaceDim {
			return formatErr("space origin", "is %q, want one vector of %d components", clip(v), spaceDim)
		}
		h.SpaceOrigin = vecs[0]
	}
	if v, ok := f["spacings"]; ok {
		words := strings.Fields(v)
		if len(words) != h.Dimension {
			return formatErr("spacings", "has %d values for dimension %d", len(words), h.Dimension)
		}
		for _, w := range words {
			s, err := strconv.ParseFloat(w, 64)
			if err != nil {
				return formatErr("spacings", "value %q is not a number", w)
			}
			h.Spacings = append(h.Spacings, s)
		}
	}
	return nil
}

// parseVectors reads "(x,y,z) none (x,y,z)": nil for none.
func parseVectors(s string) ([][]float64, error) {
	var out [][]float64
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if strings.HasPrefix(strings.ToLower(s), "none") {
			out = append(out, nil)
			s = s[4:]
			continue
		}
		if s[0] != '(' {
			return nil, fmt.Errorf("want \"(x,y,z)\" or none at %q", clip(s))
		}
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return nil, fmt.Errorf("unclosed vector %q", clip(s))
		}
		var vec []float64
		for _, w := range strings.Split(s[1:end], ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
			if err != nil {
				return nil, fmt.Errorf("component %q is not a number", w)
			}
			vec = append(vec, x)
		}
		out = append(out, vec)
		s = s[end+1:]
	}
	return out, nil
}

// spatialAxes lists the axes that carry space: those with a space
// direction, else those of kind domain or space, else all.
func (h *Header) spatialAxes() []int {
	var axes []int
	switch {
	case h.SpaceDirections != nil:
		for k, v := range h.SpaceDirections {
			if v != nil {
				axes = append(axes, k)
			}
		}
	case h.Kinds != nil:
		for k, kind := range h.Kinds {
			if kind == "domain" || kind == "space" {
				axes = append(axes, k)
			}
		}
	default:
		for k := range h.Dimension {
			axes = append(axes, k)
		}
	}
	return axes
}

// Grid returns the geometry of the spatial axes in LPS (see the package
// doc) and the number of elements per voxel (the product of the sizes of
// the non-spatial axes).
func (h *Header) Grid() (volume.Grid, int, error) {
	g := volume.Grid{Dims: [3]int{1, 1, 1}, Spacing: [3]float64{1, 1, 1}, Direction: volume.Identity}
	axes := h.spatialAxes()
	if len(axes) == 0 || len(axes) > 3 {
		return g, 0, formatErr("space directions", "%d spatial axes, want 1 to 3", len(axes))
	}
	per := 1
	for k, s := range h.Sizes {
		if !contains(axes, k) {
			per *= s
		}
	}
	sign := [3]float64{1, 1, 1}
	if h.Space != "" {
		sign = spaceSigns[strings.TrimSuffix(h.Space, "-time")]
	}
	var cols [3][3]float64
	for a, k := range axes {
		g.Dims[a] = h.Sizes[k]
		switch {
		case h.SpaceDirections != nil:
			d := h.SpaceDirections[k]
			n := 0.0
			for r := 0; r < 3 && r < len(d); r++ {
				cols[a][r] = sign[r] * d[r]
				n += d[r] * d[r]
			}
			for r := 3; r < len(d); r++ {
				n += d[r] * d[r]
			}
			n = math.Sqrt(n)
			if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
				return g, 0, formatErr("space directions", "axis %d is %v: want a finite non-zero vector", k, d)
			}
			g.Spacing[a] = n
		default:
			if h.Spacings != nil && !math.IsNaN(h.Spacings[k]) {
				s := h.Spacings[k]
				if s == 0 || math.IsInf(s, 0) {
					return g, 0, formatErr("spacings", "axis %d spacing is %g", k, s)
				}
				g.Spacing[a] = math.Abs(s)
				cols[a][a] = math.Copysign(1, s)
			} else {
				cols[a][a] = 1
			}
		}
	}
	if h.SpaceDirections != nil {
		for a := range axes {
			cols[a] = unit(cols[a], g.Spacing[a])
		}
	}
	// A 1D or 2D image in 3D space: complete the frame with unit vectors
	// orthogonal to the given ones (the cross product for 2D).
	switch len(axes) {
	case 1:
		cols[1], cols[2] = orthonormalPair(cols[0])
	case 2:
		cols[2] = unit(cross(cols[0], cols[1]), 0)
		if cols[2] == [3]float64{} {
			return g, 0, formatErr("space directions", "the two axes are parallel")
		}
	}
	for a := range 3 {
		for r := range 3 {
			g.Direction[3*r+a] = cols[a][r]
		}
	}
	if h.SpaceOrigin != nil {
		for r := 0; r < 3 && r < len(h.SpaceOrigin); r++ {
			o := h.SpaceOrigin[r]
			if math.IsNaN(o) || math.IsInf(o, 0) {
				return g, 0, formatErr("space origin", "component %d is %g", r, o)
			}
			g.Origin[r] = sign[r] * o
		}
	}
	if err := g.Check(); err != nil {
		return g, 0, formatErr("space directions", "%v", err)
	}
	return g, per, nil
}

func contains(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func unit(v [3]float64, n float64) [3]float64 {
	if n == 0 {
		n = math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
	}
	if n == 0 {
		return v
	}
	return [3]float64{v[0] / n, v[1] / n, v[2] / n}
}

func cross(u, v [3]float64) [3]float64 {
	return [3]float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
}

// orthonormalPair completes the unit vector u to a right-handed frame.
func orthonormalPair(u [3]float64) (v, w [3]float64) {
	a := [3]float64{1, 0, 0}
	if math.Abs(u[0]) > 0.9 {
		a = [3]float64{0, 1, 0}
	}
	v = unit(cross(u, a), 0)
	w = cross(u, v)
	return v, w
}
