package nrrd

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/atomicfile"

	"github.com/scirad/scirad/pipeline/volume"
)

// Options control Encode. The zero value (or nil) writes float, gzip.
type Options struct {
	Type Type // element type; "" means Float32
	Raw  bool // raw encoding instead of gzip
}

func (o *Options) norm() Options {
	var opt Options
	if o != nil {
		opt = *o
	}
	if opt.Type == "" {
		opt.Type = Float32
	}
	if opt.Type.Size() == 0 {
		panic(fmt.Sprintf("nrrd: Options.Type %q is not a NRRD type", opt.Type))
	}
	return opt
}

// Encode writes v as an attached NRRD (see the package doc). Integer types
// need integral voxel values within the type's range and float needs values
// within its range (NaN and ±Inf pass); the first voxel that does not fit
// is an error. Nothing is rescaled.
func Encode(w io.Writer, v *volume.Volume, o *Options) error {
	opt := o.norm()
	if err := checkVolume(v, opt); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(headerText(v, opt, "")); err != nil {
		return err
	}
	if err := encodeData(bw, v, opt); err != nil {
		return err
	}
	return bw.Flush()
}

func checkFits(v *volume.Volume, t Type) error {
	if len(v.Data) != v.Len() {
		panic(fmt.Sprintf("nrrd: volume has %d voxels for dims %v", len(v.Data), v.Dims))
	}
	lo, end, isInt := t.integer()
	if err := v.CheckSampleRange(isInt, lo, end, t == Float32); err != nil {
		return fmt.Errorf("nrrd: %v does not fit type %s", err, t)
	}
	return nil
}

// checkVolume refuses what Encode cannot write faithfully.
func checkVolume(v *volume.Volume, opt Options) error {
	if err := v.Grid.Check(); err != nil {
		return fmt.Errorf("nrrd: cannot write: %w", err)
	}
	return checkFits(v, opt.Type)
}

func encodeData(w io.Writer, v *volume.Volume, opt Options) error {
	var zw *gzip.Writer
	if !opt.Raw {
		zw, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
		w = zw
	}
	size := opt.Type.Size()
	buf := make([]byte, chunk*size)
	for start := 0; start < len(v.Data); start += chunk {
		src := v.Data[start:min(len(v.Data), start+chunk)]
		b := buf[:len(src)*size]
		encodeSamples(b, src, opt.Type, binary.LittleEndian)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// fmtFloat prints x so that it parses back to the same float64.
func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func headerText(v *volume.Volume, opt Options, dataFile string) string {
	var b strings.Builder
	b.WriteString("NRRD0004\n")
	b.WriteString("# Complete NRRD file format specification at:\n")
	b.WriteString("# http://teem.sourceforge.net/nrrd/format.html\n")
	names := map[Type]string{Int8: "int8", Uint8: "uint8", Int16: "int16", Uint16: "uint16",
		Int32: "int32", Uint32: "uint32", Int64: "int64", Uint64: "uint64", Float32: "float", Float64: "double"}
	fmt.Fprintf(&b, "type: %s\n", names[opt.Type])
	b.WriteString("dimension: 3\n")
	b.WriteString("space: left-posterior-superior\n")
	fmt.Fprintf(&b, "sizes: %d %d %d\n", v.Dims[0], v.Dims[1], v.Dims[2])
	b.WriteString("space directions:")
	for c := range 3 {
		s := v.Spacing[c]
		fmt.Fprintf(&b, " (%s,%s,%s)", fmtFloat(v.Direction[c]*s), fmtFloat(v.Direction[3+c]*s), fmtFloat(v.Direction[6+c]*s))
	}
	b.WriteString("\nkinds: domain domain domain\n")
	if opt.Type.Size() > 1 {
		b.WriteString("endian: little\n")
	}
	if opt.Raw {
		b.WriteString("encoding: raw\n")
	} else {
		b.WriteString("encoding: gzip\n")
	}
	fmt.Fprintf(&b, "space origin: (%s,%s,%s)\n", fmtFloat(v.Origin[0]), fmtFloat(v.Origin[1]), fmtFloat(v.Origin[2]))
	if dataFile != "" {
		fmt.Fprintf(&b, "data file: %s\n", dataFile)
	} else {
		b.WriteString("\n")
	}
	return b.String()
}

// WriteFile writes v to path: an attached NRRD for ".nrrd", or for ".nhdr"
// a detached header and a data file beside it named after it (".raw" or
// ".raw.gz"). Each file is written to a temporary file and renamed, the
// data file first.
func WriteFile(path string, v *volume.Volume, o *Options) error {
	opt := o.norm()
	if err := checkVolume(v, opt); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var err error
	if strings.HasSuffix(strings.ToLower(path), ".nhdr") {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".raw"
		if !opt.Raw {
			name += ".gz"
		}
		err = atomicfile.WriteFile(filepath.Join(filepath.Dir(path), name), func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, bufSize)
			if err := encodeData(bw, v, opt); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err == nil {
			err = atomicfile.WriteFile(path, func(w io.Writer) error {
				_, err := io.WriteString(w, headerText(v, opt, name))
				return err
			})
		}
	} else {
		err = atomicfile.WriteFile(path, func(w io.Writer) error { return Encode(w, v, &opt) })
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
