package dicom

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pydicomRef is one file of testdata/dicom/pydicom_reference.json: what
// pydicom 2.3.1 decodes the file to (make_testdata.sh).
type pydicomRef struct {
	TransferSyntax string    `json:"transfer_syntax"`
	Shape          []int     `json:"shape"`
	Sum            float64   `json:"sum"`
	SHA            string    `json:"sha256_float64_le"`
	IPP            []float64 `json:"ImagePositionPatient"`
	Values         []float64 `json:"values"` // lossy files: every value`
	Error          string    `json:"pydicom_error"`
}

func readPydicomRefs(t *testing.T) map[string]pydicomRef {
	t.Helper()
	b, err := os.ReadFile("../../../testdata/dicom/pydicom_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Files map[string]pydicomRef `json:"files"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r.Files
}

// decodeAll decodes every frame of f with its rescale, as pydicom's
// pixel_array × RescaleSlope + RescaleIntercept.
func decodeAll(f *file) ([]float64, error) {
	p, err := readPixelFormat(f)
	if err != nil {
		return nil, err
	}
	dec, err := frameDecoder(f, p)
	if err != nil {
		return nil, err
	}
	n := p.rows * p.cols
	out := make([]float64, n*p.frames)
	for i := range p.frames {
		if err := dec(i, out[i*n:(i+1)*n]); err != nil {
			return nil, err
		}
	}
	slope, _ := f.floats(tSlope)
	icpt, _ := f.floats(tIntercept)
	if len(slope) == 1 && len(icpt) == 1 {
		for i := range out {
			out[i] = out[i]*slope[0] + icpt[0]
		}
	}
	return out, nil
}

func sha(v []float64) string {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestPydicomPixels: every grey test file of pydicom decodes to pydicom's
// values (SHA-256 of the rescaled float64 array): MR_small in explicit
// and implicit little endian, explicit big endian (two files), RLE and
// padded, CT_small with its rescale, the deflated image_dfl; and dcmtk's
// JPEG Baseline file within 1 of pydicom's (libjpeg's) decoding.
func TestPydicomPixels(t *testing.T) {
	refs := readPydicomRefs(t)
	for _, name := range []string{"MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
		"MR_small_RLE.dcm", "MR_small_padded.dcm", "CT_small.dcm", "image_dfl.dcm", "dcmtk_jpeg_baseline.dcm"} {
		ref := refs[name]
		if ref.SHA == "" {
			t.Fatalf("%s: no pydicom reference", name)
		}
		f, err := readFile(filepath.Join("../../../testdata/dicom/pydicom", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.ts != ref.TransferSyntax {
			t.Errorf("%s: transfer syntax %s, pydicom %s", name, f.ts, ref.TransferSyntax)
		}
		v, err := decodeAll(f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		if ref.Values != nil { // lossy JPEG: IDCTs may differ by 1 (ITU T.81)
			if len(v) != len(ref.Values) {
				t.Errorf("%s: %d values, pydicom %d", name, len(v), len(ref.Values))
				continue
			}
			worst := 0.0
			for i := range v {
				worst = math.Max(worst, math.Abs(v[i]-ref.Values[i]))
			}
			if worst > 1 {
				t.Errorf("%s: differs from pydicom (Pillow's libjpeg) by up to %g", name, worst)
			}
			continue
		}
		if got := sha(v); got != ref.SHA {
			t.Errorf("%s: decoded sum %g, pydicom %g (hash differs)", name, sum, ref.Sum)
		}
	}
}

// TestPydicomRefused: compressed syntaxes without a Go decoder, truncated
// and malformed files end in one-line errors naming the problem.
func TestPydicomRefused(t *testing.T) {
	for name, want := range map[string]string{
		"MR_small_jp2klossless.dcm":     "1.2.840.10008.1.2.4.90",
		"MR_small_jpeg_ls_lossless.dcm": "1.2.840.10008.1.2.4.80",
		"MR_truncated.dcm":              "PixelData",
		"rtplan_truncated.dcm":          "truncated",
		"liver_1frame.dcm":              "PerFrameFunctionalGroupsSequence",
	} {
		path := filepath.Join("../../../testdata/dicom/pydicom", name)
		var err error
		if name == "liver_1frame.dcm" {
			_, err = ReadSEG(path, nil)
		} else {
			_, err = ReadSeries(nil, path)
		}
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, want) || strings.Contains(msg, "\n") || !strings.Contains(msg, name) {
			t.Errorf("%s: error %q: want one line naming the file and %q", name, msg, want)
		}
	}
}

// TestPydicomRTStruct: pydicom's rtstruct.dcm parses to its ROIs.
func TestPydicomRTStruct(t *testing.T) {
	s, err := ReadRTStruct("../../../testdata/dicom/pydicom/rtstruct.dcm")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	pts := 0
	for _, r := range s.ROIs {
		names = append(names, r.Name)
		for _, c := range r.Contours {
			pts += len(c.Points)
		}
	}
	// pydicom's rtstruct.dump: ROIs patient, Isocenter 1, Isocenter 2;
	// 5 + 6 + 6 + 1 + 1 contour points; the referenced series.
	if got := strings.Join(names, "|"); got != "patient|Isocenter 1|Isocenter 2" || pts != 19 ||
		s.SeriesUID != "1.2.826.0.1.3680043.8.498.2010020400001.2.1.1" {
		t.Errorf("ROIs %q, %d points, series %q: want patient|Isocenter 1|Isocenter 2, 19, the dump's series", got, pts, s.SeriesUID)
	}
}
