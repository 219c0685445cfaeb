package dicom

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
)

// frameDecoder checks that f's Pixel Data holds p.frames frames of
// p.rows×p.cols pixels and returns a function that decodes frame i into
// out (raw stored values, before any rescale). It reads native pixel data
// in the file's byte order, RLE Lossless and 8-bit JPEG Baseline;
// any other encapsulated transfer syntax is an error that names it.
func frameDecoder(f *file, p pixelFormat) (func(i int, out []float64) error, error) {
	e := f.el[tPixelData]
	n := p.rows * p.cols
	order := f.order
	if e.Frags == nil { // native
		var need int64
		if p.bitsAlloc == 1 {
			need = (int64(n)*int64(p.frames) + 7) / 8
		} else {
			need = int64(n) * int64(p.frames) * int64(p.bitsAlloc/8)
		}
		if int64(len(e.Value)) < need {
			return nil, fmt.Errorf("(7FE0,0010) PixelData: %d bytes, %d frames of %d×%d at %d bits need %d", len(e.Value), p.frames, p.cols, p.rows, p.bitsAlloc, need)
		}
		data := e.Value
		return func(i int, out []float64) error {
			unpack(data, order, p, i*n, out)
			return nil
		}, nil
	}
	frags := e.Frags
	if len(frags) > 0 {
		frags = frags[1:] // the basic offset table
	}
	var frames [][]byte
	switch {
	case len(frags) == p.frames:
		frames = frags
	case p.frames == 1 && len(frags) > 0:
		frames = [][]byte{bytes.Join(frags, nil)}
	default:
		return nil, fmt.Errorf("(7FE0,0010) PixelData: %d fragments for %d frames (frames split over fragments are not read)", len(frags), p.frames)
	}
	switch f.ts {
	case tsRLE:
		if p.bitsAlloc == 1 {
			return nil, fmt.Errorf("transfer syntax %s with BitsAllocated 1 is not read", tsName(f.ts))
		}
		return func(i int, out []float64) error {
			raw, err := decodeRLE(frames[i], n, p.bitsAlloc/8)
			if err != nil {
				return fmt.Errorf("frame %d: RLE: %w", i+1, err)
			}
			unpack(raw, binary.BigEndian, p, 0, out) // RLE segments are most significant byte first
			return nil
		}, nil
	case tsJPEGBase:
		if p.bitsAlloc != 8 {
			return nil, fmt.Errorf("transfer syntax %s with BitsAllocated %d: want 8", tsName(f.ts), p.bitsAlloc)
		}
		return func(i int, out []float64) error {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(frames[i]))
			if err != nil {
				return fmt.Errorf("frame %d: JPEG: %v", i+1, err)
			}
			if cfg.Width != p.cols || cfg.Height != p.rows {
				return fmt.Errorf("frame %d: JPEG is %d×%d, the header says %d×%d", i+1, cfg.Width, cfg.Height, p.cols, p.rows)
			}
			img, err := jpeg.Decode(bytes.NewReader(frames[i]))
			if err != nil {
				return fmt.Errorf("frame %d: JPEG: %v", i+1, err)
			}
			gray, ok := img.(*image.Gray)
			if !ok {
				return fmt.Errorf("frame %d: JPEG is %T, want one grey channel", i+1, img)
			}
			for y := range p.rows {
				for x := range p.cols {
					out[y*p.cols+x] = float64(gray.Pix[y*gray.Stride+x])
				}
			}
			return nil
		}, nil
	}
	return nil, fmt.Errorf("(0002,0010) transfer syntax %s: compressed pixel data this reader cannot decode (no Go decoder); decompress it first, e.g. gdcmconv --raw or dcmdjpeg", tsName(f.ts))
}

// unpack decodes len(out) stored values starting at pixel offset off.
func unpack(data []byte, order binary.ByteOrder, p pixelFormat, off int, out []float64) {
	shift := uint(p.highBit + 1 - p.bitsStored)
	if p.highBit+1 < p.bitsStored || p.highBit >= p.bitsAlloc {
		shift = 0
	}
	mask := uint32(1)<<uint(p.bitsStored) - 1
	if p.bitsStored >= 32 {
		mask = 0xFFFFFFFF
	}
	signBit := uint32(1) << uint(p.bitsStored-1)
	conv := func(x uint32) float64 {
		x = (x >> shift) & mask
		if p.pixelRep == 1 && x&signBit != 0 {
			return float64(int64(x) - int64(mask) - 1)
		}
		return float64(x)
	}
	switch p.bitsAlloc {
	case 1:
		for i := range out {
			b := off + i
			out[i] = float64(data[b/8] >> uint(b%8) & 1)
		}
	case 8:
		for i := range out {
			out[i] = conv(uint32(data[off+i]))
		}
	case 16:
		d := data[2*off:]
		for i := range out {
			out[i] = conv(uint32(order.Uint16(d[2*i:])))
		}
	case 32:
		d := data[4*off:]
		for i := range out {
			out[i] = conv(order.Uint32(d[4*i:]))
		}
	}
}

// decodeRLE decodes one RLE Lossless frame (PS3.5 annex G) of n pixels
// of bytesPer bytes into big-endian samples.
func decodeRLE(b []byte, n, bytesPer int) ([]byte, error) {
	if len(b) < 64 {
		return nil, fmt.Errorf("%d bytes: shorter than the 64-byte header", len(b))
	}
	nseg := int(binary.LittleEndian.Uint32(b))
	if nseg != bytesPer {
		return nil, fmt.Errorf("%d segments, want %d (one per byte of a sample)", nseg, bytesPer)
	}
	out := make([]byte, n*bytesPer)
	for s := range nseg {
		start := int(binary.LittleEndian.Uint32(b[4+4*s:]))
		end := len(b)
		if s+1 < nseg {
			end = int(binary.LittleEndian.Uint32(b[8+4*s:]))
		}
		if start < 64 || start > end || end > len(b) {
			return nil, fmt.Errorf("segment %d offsets %d..%d outside the %d-byte frame", s+1, start, end, len(b))
		}
		seg := b[start:end]
		pos := 0
		for i := 0; i < len(seg) && pos < n; {
			c := int(int8(seg[i]))
			i++
			switch {
			case c >= 0:
				m := c + 1
				if i+m > len(seg) {
					return nil, fmt.Errorf("segment %d: literal run past its end", s+1)
				}
				for _, x := range seg[i : i+m] {
					if pos < n {
						out[pos*bytesPer+s] = x
						pos++
					}
				}
				i += m
			case c > -128:
				if i >= len(seg) {
					return nil, fmt.Errorf("segment %d: replicate run past its end", s+1)
				}
				for range 1 - c {
					if pos < n {
						out[pos*bytesPer+s] = seg[i]
						pos++
					}
				}
				i++
			}
		}
		if pos < n {
			return nil, fmt.Errorf("segment %d decodes to %d bytes, want %d", s+1, pos, n)
		}
	}
	return out, nil
}
