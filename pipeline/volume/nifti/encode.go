package nifti

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/scirad/scirad/pipeline/internal/atomicfile"

	"github.com/scirad/scirad/pipeline/volume"
)

// Options control Encode. The zero value (or nil) writes NIfTI-1, float32,
// uncompressed.
type Options struct {
	Datatype Datatype // voxel type; 0 means Float32
	Version  int      // 1 or 2; 0 means 1
	Compress bool     // gzip the stream (level 1)
}

// Encode writes v as a single-file NIfTI image. Integer datatypes need
// integral voxels within the type's range and float32 needs finite values
// within its range (NaN and ±Inf pass through); the first voxel that does
// not fit is an error. Nothing is rescaled: scl_slope = 1, scl_inter = 0.
func Encode(w io.Writer, v *volume.Volume, o *Options) error {
	var opt Options
	if o != nil {
		opt = *o
	}
	if opt.Datatype == 0 {
		opt.Datatype = Float32
	}
	if opt.Version == 0 {
		opt.Version = 1
	}
	if opt.Version != 1 && opt.Version != 2 {
		panic(fmt.Sprintf("nifti: Options.Version %d, want 1 or 2", opt.Version))
	}
	size := opt.Datatype.Size()
	if size == 0 {
		return fmt.Errorf("nifti: cannot write datatype %v", opt.Datatype)
	}
	if len(v.Data) != v.Len() {
		panic(fmt.Sprintf("nifti: volume has %d voxels for dims %v", len(v.Data), v.Dims))
	}
	if err := v.Grid.Check(); err != nil {
		return fmt.Errorf("nifti: cannot write: %w", err)
	}
	if err := checkFits(v, opt.Datatype); err != nil {
		return err
	}
	for _, d := range v.Dims {
		if opt.Version == 1 && d > math.MaxInt16 {
			return fmt.Errorf("nifti: dimension %d exceeds NIfTI-1's limit of %d: write NIfTI-2", d, math.MaxInt16)
		}
	}
	var zw *gzip.Writer
	out := w
	if opt.Compress {
		zw, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
		out = zw
	}
	bw := bufio.NewWriterSize(out, bufSize)
	hdr := header(v, opt)
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, chunkVoxels*size)
	for start := 0; start < len(v.Data); start += chunkVoxels {
		src := v.Data[start:min(len(v.Data), start+chunkVoxels)]
		b := buf[:len(src)*size]
		encodeSamples(b, src, opt.Datatype, binary.LittleEndian)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

func checkFits(v *volume.Volume, d Datatype) error {
	lo, end, isInt := d.integer()
	if err := v.CheckSampleRange(isInt, lo, end, d == Float32); err != nil {
		return fmt.Errorf("nifti: %v does not fit datatype %v", err, d)
	}
	return nil
}

// header builds the header bytes, the extension flag included.
func header(v *volume.Volume, o Options) []byte {
	A := gridAffine(v.Grid)
	bcd, qfac, qok := quaternion(v.Direction)
	bo := binary.LittleEndian
	size := o.Datatype.Size()
	qcode := int32(1)
	if !qok {
		qcode, bcd, qfac = 0, [3]float64{}, 1
	}
	if o.Version == 1 {
		b := make([]byte, offsetV1)
		f32 := func(off int, x float64) { bo.PutUint32(b[off:], math.Float32bits(float32(x))) }
		i16 := func(off int, x int) { bo.PutUint16(b[off:], uint16(int16(x))) }
		bo.PutUint32(b[0:], sizeV1)
		b[38] = 'r' // "regular", as nibabel writes
		i16(40, 3)
		for k := range 3 {
			i16(42+2*k, v.Dims[k])
			f32(80+4*k, v.Spacing[k])
		}
		for k := 4; k < 8; k++ {
			i16(40+2*k, 1)
		}
		i16(70, int(o.Datatype))
		i16(72, 8*size)
		f32(76, qfac)
		f32(108, offsetV1)
		f32(112, 1)
		b[123] = 2 // xyzt_units: mm
		i16(252, int(qcode))
		i16(254, 1)
		for k := range 3 {
			f32(256+4*k, bcd[k])
			f32(268+4*k, A[k][3])
		}
		for r := range 3 {
			for c := range 4 {
				f32(280+16*r+4*c, A[r][c])
			}
		}
		copy(b[344:], magicV1)
		return b
	}
	b := make([]byte, offsetV2)
	f64 := func(off int, x float64) { bo.PutUint64(b[off:], math.Float64bits(x)) }
	i64 := func(off int, x int64) { bo.PutUint64(b[off:], uint64(x)) }
	bo.PutUint32(b[0:], sizeV2)
	copy(b[4:], magicV2)
	bo.PutUint16(b[12:], uint16(o.Datatype))
	bo.PutUint16(b[14:], uint16(8*size))
	i64(16, 3)
	for k := range 3 {
		i64(24+8*k, int64(v.Dims[k]))
		f64(112+8*k, v.Spacing[k])
	}
	for k := 4; k < 8; k++ {
		i64(16+8*k, 1)
	}
	f64(104, qfac)
	i64(168, offsetV2)
	f64(176, 1)
	bo.PutUint32(b[344:], uint32(qcode))
	bo.PutUint32(b[348:], 1)
	for k := range 3 {
		f64(352+8*k, bcd[k])
		f64(376+8*k, A[k][3])
	}
	for r := range 3 {
		for c := range 4 {
			f64(400+32*r+8*c, A[r][c])
		}
	}
	bo.PutUint32(b[500:], 2)
	return b
}

// WriteFile encodes v to path, gzip-compressed when path ends in ".gz"
// (whatever o.Compress says). The file is written to a temporary file in
// the same directory and renamed, so a failed write leaves no partial file
// and never truncates an existing one until the new one is complete.
func WriteFile(path string, v *volume.Volume, o *Options) error {
	var opt Options
	if o != nil {
		opt = *o
	}
	opt.Compress = strings.HasSuffix(strings.ToLower(path), ".gz")
	err := atomicfile.WriteFile(path, func(w io.Writer) error { return Encode(w, v, &opt) })
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
