package radiomics

// Minimal readers for the test files (gzip NRRD of pyradiomics' test data,
// gzip NIfTI-1 of the spine cases), so that these tests do not depend on the
// codec package. They read what those files hold and nothing more.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/scirad/scirad/pipeline/volume"
)

func readTestNRRD(t testing.TB, path string) *volume.Volume {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	fields := map[string]string{}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: header: %v", path, err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ": "); ok {
			fields[k] = v
		}
	}
	var g volume.Grid
	for a, s := range strings.Fields(fields["sizes"]) {
		g.Dims[a], _ = strconv.Atoi(s)
	}
	parseVec := func(s string) [3]float64 {
		var v [3]float64
		for a, x := range strings.Split(strings.Trim(s, "()"), ",") {
			v[a], _ = strconv.ParseFloat(strings.TrimSpace(x), 64)
		}
		return v
	}
	for c, s := range strings.Fields(fields["space directions"]) {
		d := parseVec(s)
		n := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
		g.Spacing[c] = n
		for r := 0; r < 3; r++ {
			g.Direction[3*r+c] = d[r] / n
		}
	}
	g.Origin = parseVec(fields["space origin"])
	if fields["encoding"] != "gzip" || fields["endian"] != "little" {
		t.Fatalf("%s: unsupported encoding", path)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	v := volume.New(g)
	switch fields["type"] {
	case "short":
		for i := range v.Data {
			v.Data[i] = float64(int16(binary.LittleEndian.Uint16(data[2*i:])))
		}
	case "int":
		for i := range v.Data {
			v.Data[i] = float64(int32(binary.LittleEndian.Uint32(data[4*i:])))
		}
	default:
		t.Fatalf("%s: type %s", path, fields["type"])
	}
	return v
}

// readTestNIfTI reads a gzip NIfTI-1 file, with the sform as geometry (RAS
// turned into LPS).
func readTestNIfTI(t testing.TB, path string) *volume.Volume {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	i16 := func(o int) int { return int(int16(le.Uint16(b[o:]))) }
	f32 := func(o int) float64 { return float64(math.Float32frombits(le.Uint32(b[o:]))) }
	var g volume.Grid
	for a := 0; a < 3; a++ {
		g.Dims[a] = i16(42 + 2*a)
	}
	dtype := i16(70)
	off := int(f32(108))
	slope, inter := f32(112), f32(116)
	if slope == 0 {
		slope, inter = 1, 0
	}
	var srow [3][4]float64
	for r := 0; r < 3; r++ {
		for c := 0; c < 4; c++ {
			srow[r][c] = f32(280 + 16*r + 4*c)
		}
	}
	flip := [3]float64{-1, -1, 1} // RAS → LPS
	for c := 0; c < 3; c++ {
		n := math.Sqrt(srow[0][c]*srow[0][c] + srow[1][c]*srow[1][c] + srow[2][c]*srow[2][c])
		g.Spacing[c] = n
		for r := 0; r < 3; r++ {
			g.Direction[3*r+c] = flip[r] * srow[r][c] / n
		}
	}
	for r := 0; r < 3; r++ {
		g.Origin[r] = flip[r] * srow[r][3]
	}
	v := volume.New(g)
	d := b[off:]
	for i := range v.Data {
		var x float64
		switch dtype {
		case 2:
			x = float64(d[i])
		case 4:
			x = float64(int16(le.Uint16(d[2*i:])))
		case 16:
			x = float64(math.Float32frombits(le.Uint32(d[4*i:])))
		case 64:
			x = math.Float64frombits(le.Uint64(d[8*i:]))
		default:
			t.Fatalf("%s: datatype %d", path, dtype)
		}
		v.Data[i] = x*slope + inter
	}
	return v
}

var _ = fmt.Sprint
