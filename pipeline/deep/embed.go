package deep

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// ReadImage2D reads a 2-D grey image for embedding, scaled to [0, 1]:
//
//   - PNG: grey values divided by 255 (8-bit) or 65535 (16-bit); a colour
//     PNG is converted to grey by Go's luminance rule (color.Gray16Model).
//     Row 0 is the top row.
//   - NIfTI, NRRD or anything else volio reads: a volume with one voxel along
//     some axis is that slice; otherwise slice (≥ 0) along the sagittal
//     axis (volume.SagittalAxis) is taken (slice < 0 is then an error). Scaled by the slice's own
//     minimum and maximum. Rows run along the higher in-plane axis (j for a
//     k slice), columns along the lower (i).
func ReadImage2D(path string, slice int) (Image, error) {
	if strings.EqualFold(filepath.Ext(path), ".png") {
		return readPNG(path)
	}
	v, err := volio.ReadImage(path)
	if err != nil {
		return Image{}, err
	}
	axis := -1
	for a := 2; a >= 0; a-- {
		if v.Dims[a] == 1 {
			axis = a
			break
		}
	}
	s := 0
	if axis < 0 {
		if slice < 0 {
			return Image{}, fmt.Errorf("%s: a %d×%d×%d volume is not a 2-D image: give the slice to embed", path, v.Dims[0], v.Dims[1], v.Dims[2])
		}
		axis, s = volume.SliceAxis(v.Grid, -1), slice
		if s >= v.Dims[axis] {
			return Image{}, fmt.Errorf("%s: slice %d outside 0…%d along axis %d", path, s, v.Dims[axis]-1, axis)
		}
	}
	img, err := ExtractSlice(v, axis, s).MinMax()
	if err != nil {
		return Image{}, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

func readPNG(path string) (Image, error) {
	f, err := outpath.Open(path)
	if err != nil {
		return Image{}, err
	}
	defer f.Close()
	// The header's size is checked before the pixels are decoded: a PNG of
	// a few bytes may declare 10⁵ × 10⁵ pixels.
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return Image{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := membudget.Check(fmt.Sprintf("png: %d×%d pixels", cfg.Width, cfg.Height), 16*float64(cfg.Width)*float64(cfg.Height)); err != nil {
		return Image{}, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Image{}, err
	}
	src, err := png.Decode(f)
	if err != nil {
		return Image{}, fmt.Errorf("%s: %w", path, err)
	}
	bounds := src.Bounds()
	img := Image{H: bounds.Dy(), W: bounds.Dx(), Data: make([]float64, bounds.Dx()*bounds.Dy())}
	for r := range img.H {
		for c := range img.W {
			px := src.At(bounds.Min.X+c, bounds.Min.Y+r)
			var v float64
			switch p := px.(type) {
			case color.Gray:
				v = float64(p.Y) / 255
			case color.Gray16:
				v = float64(p.Y) / 65535
			default:
				v = float64(color.Gray16Model.Convert(px).(color.Gray16).Y) / 65535
			}
			img.Data[r*img.W+c] = v
		}
	}
	return img, nil
}

// Embed returns the pooled features (FeatureDim values) of img under the
// network p: resized to size × size when it is not already that size, grey
// copied to three channels, ImageNet-normalised.
func Embed(b compute.Backend, p *Params, img Image, size int) ([]float32, error) {
	if err := CheckSize(size, size); err != nil {
		return nil, err
	}
	x, err := ToBatch([]Image{img.Resize(size, size)})
	if err != nil {
		return nil, err
	}
	m, err := NewModel(b, p, ConvAuto)
	if err != nil {
		return nil, err
	}
	pooled, _, err := m.Forward(x, 1)
	if err != nil {
		return nil, err
	}
	return pooled[0], nil
}

// EmbeddingHeader names the columns of an embedding CSV: f000…f511 for 512
// features, f0000…f2047 for 2048.
func EmbeddingHeader(n int) []string {
	width := len(fmt.Sprint(n - 1))
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("f%0*d", width, i)
	}
	return names
}
