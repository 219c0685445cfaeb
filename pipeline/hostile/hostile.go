//go:build unix

// Package hostile writes scirad's hostile-input corpus: small files and
// command lines that try to make a command panic, run out of memory, hang,
// print a huge error, print NaN with exit status 0, or write over one of
// its inputs. Every case must end with a non-zero exit status, one short
// line on standard error and every input unchanged; TestHostileCorpus in
// pipeline/cmd/scirad runs them all under a memory cap and a timeout.
//
// The corpus is generated, never committed: it holds FIFOs, symbolic and
// hard links and files of a few megabytes that decompress to gigabytes.
// `go run ./testdata/hostile/gen -out DIR` writes it to DIR and prints the
// cases.
//
// Cases are grouped by the class of failure they probe (issue 13):
// memory bombs (mem/), degenerate geometry (geom/), detached NRRD data
// (nrrd-data/), numeric settings (num/), outputs over inputs (out/), error
// size (err/), and malformed files of every format (bad/).
package hostile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/scirad/scirad/pipeline/volume"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// Case is one hostile command line.
type Case struct {
	Name   string   // class/what/command, unique
	Args   []string // scirad's arguments (absolute paths)
	Inputs []string // files whose SHA-256 must not change
	// Control cases are valid input: they must succeed (exit 0). They show
	// that a hostile case fails for its hostile part, not for a broken base.
	Control bool
	// MayPass cases are odd but harmless for this command (a header
	// followed by a gigabyte of trailing zeros that nothing needs to read,
	// a column name of 100 KB): success is allowed; a failure must still be
	// one short line.
	MayPass bool
}

type gen struct {
	dir    string
	out    string // where outputs go: one folder per case
	cases  []Case
	err    error
	bundle string // a valid bundle (copied from the repository)
	img    string // valid image, mask, second-rater mask (NIfTI)
	mask   string
	mask2  string
	base   []byte // the image as an uncompressed NIfTI-1 file
	baseV  *volume.Volume
	maskB  []byte // the mask as an uncompressed NIfTI-1 file (uint8)
	table  string // valid feature table (id, center, outcome, features)
	preds  string // valid predictions (id, label, probability)
	cohort string // valid cohort folder
	nfiles int
}

// Generate writes the corpus under dir (created) and returns its cases.
// bundlePath is a valid predictor bundle (testdata/wasm/bundle_rad.json)
// that the bundle cases mutate.
func Generate(dir, bundlePath string) ([]Case, error) {
	g := &gen{dir: dir, out: filepath.Join(dir, "out")}
	for _, d := range []string{"img", "tab", "par", "bun", "coh", "misc", "out", "lnk"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(bundlePath)
	if err != nil {
		return nil, err
	}
	g.bundle = g.write("bun/valid.json", b)
	g.base = g.baseImage()
	g.img = g.write("img/valid.nii", g.base)
	g.maskB = g.baseMask(false)
	g.mask = g.write("img/valid_mask.nii", g.maskB)
	g.mask2 = g.write("img/valid_mask2.nii", g.baseMask(true))
	g.table = g.write("tab/valid.csv", []byte(featureTable(30, 12, nil)))
	g.preds = g.write("tab/preds.csv", []byte(predictions(nil)))
	g.cohort = g.makeCohort("coh/valid", g.img, g.mask, "")
	g.controls()
	g.nifti()
	g.nrrd()
	g.masks()
	g.params()
	g.bundles()
	g.tables()
	g.flags()
	g.manifests()
	g.weights()
	g.outputs()
	g.dicom()
	g.errorSize()
	g.mayPass()
	if g.err != nil {
		return nil, g.err
	}
	return g.cases, nil
}

// mayPass marks the cases that may succeed (see Case.MayPass).
func (g *gen) mayPass() {
	ok := []string{
		"mem/nifti-gzip-trailing-1GiB/",        // the data are read, the trailing zeros are not
		"geom/nifti-qform-pixdim-zero/",        // pixdim 0 reads as 1 mm (nibabel's header fixer)
		"bad/mask-one-voxel-label3/preprocess", // preprocess keeps any non-zero label
		"bad/nifti-nan-voxels/convert",         // a format conversion keeps the values it is given
		"bad/nifti-inf-voxels/convert",
		"bad/table-outcome-2/harmonize", // harmonize does not read the outcome
		"bad/table-single-class/harmonize",
		"err/table-100KB-column/harmonize", // a long name is a name
		"err/table-100KB-column/select",
		"err/table-100KB-column/classify",
		"mem/table-20000-columns/harmonize", // 6 rows × 20000 columns: small work
		"err/manifest-1MB-id/",              // a long id is an id
	}
	for i, c := range g.cases {
		for _, p := range ok {
			if strings.HasPrefix(c.Name, p) {
				g.cases[i].MayPass = true
			}
		}
	}
}

func (g *gen) path(rel string) string { return filepath.Join(g.dir, filepath.FromSlash(rel)) }

// write writes data to rel under the corpus and returns its path.
func (g *gen) write(rel string, data []byte) string {
	p := g.path(rel)
	if g.err == nil {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			g.err = err
		} else if err := os.WriteFile(p, data, 0o644); err != nil {
			g.err = err
		}
	}
	g.nfiles++
	return p
}

func (g *gen) check(err error) {
	if err != nil && g.err == nil {
		g.err = err
	}
}

// outDir is a fresh output folder for one case.
func (g *gen) outDir(name string) string {
	d := filepath.Join(g.out, strings.NewReplacer("/", "_", " ", "_").Replace(name))
	g.check(os.MkdirAll(d, 0o755))
	return d
}

func (g *gen) add(name string, inputs []string, args ...string) {
	for _, c := range g.cases {
		if c.Name == name {
			g.check(fmt.Errorf("hostile: case %s twice", name))
		}
	}
	g.cases = append(g.cases, Case{Name: name, Args: args, Inputs: inputs})
}

// --- base data ---

// baseImage is a 20×20×10 float32 image, 1 mm voxels, identity direction.
func (g *gen) baseImage() []byte {
	v := volume.New(volume.NewGrid([3]int{20, 20, 10}, [3]float64{1, 1, 1.5}))
	for i := range v.Data {
		x, y, z := v.Coords(i)
		v.Data[i] = float64((x*7+y*13+z*29)%97) + 10*math.Sin(float64(i))
	}
	g.baseV = v
	var buf bytes.Buffer
	g.check(nifti.Encode(&buf, v, &nifti.Options{Datatype: nifti.Float32}))
	return buf.Bytes()
}

// baseMask: label 2 (cord) over a central column, label 1 (lesion) inside.
func (g *gen) baseMask(second bool) []byte {
	v := volume.New(g.baseV.Grid)
	for i := range v.Data {
		x, y, z := v.Coords(i)
		if x >= 6 && x < 14 && y >= 4 && y < 16 && z >= 2 && z < 8 {
			v.Data[i] = 2
			hi := 11
			if second {
				hi = 12
			}
			if x >= 8 && x < hi && y >= 8 && y < 12 && z >= 3 && z < 7 {
				v.Data[i] = 1
			}
		}
	}
	var buf bytes.Buffer
	g.check(nifti.Encode(&buf, v, &nifti.Options{Datatype: nifti.Uint8}))
	return buf.Bytes()
}

// makeCohort writes a cohort folder of six patients over three centres,
// every one on image and mask (patient 1 on img/mask given; "" keeps
// the valid ones), and returns the folder.
func (g *gen) makeCohort(rel, img, mask, mask2 string) string {
	dir := g.path(rel)
	var clin, man strings.Builder
	clin.WriteString("patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\n")
	man.WriteString("patient_id,center,image,mask")
	if mask2 != "" {
		man.WriteString(",mask_rater2")
	}
	man.WriteString("\n")
	for i := 1; i <= 6; i++ {
		c := string(rune('A' + (i-1)%3))
		fmt.Fprintf(&clin, "P%d,%s,%d,%s,%d,fall,%c,%d,%c,%d\n", i, c, 30+i*5, []string{"male", "female"}[i%2], i, "ABCD"[i%4], 10+i, "ABCD"[(i+1)%4], 12+3*(i%3)+i)
		im, mk, m2 := g.img, g.mask, g.mask2
		if i == 1 {
			if img != "" {
				im = img
			}
			if mask != "" {
				mk = mask
			}
			if mask2 != "" {
				m2 = mask2
			}
		}
		fmt.Fprintf(&man, "P%d,%s,%s,%s", i, c, im, mk)
		if mask2 != "" {
			fmt.Fprintf(&man, ",%s", m2)
		}
		man.WriteString("\n")
	}
	g.write(rel+"/clinical.csv", []byte(clin.String()))
	g.write(rel+"/manifest.csv", []byte(man.String()))
	return dir
}

// featureTable is a CSV of n patients and p features (lesion_f01…), with
// patient_id, center and outcome; edit may rewrite cells (row, col) → text.
func featureTable(n, p int, edit func(r, c int, s string) string) string {
	var b strings.Builder
	head := []string{"patient_id", "center", "outcome"}
	for j := 1; j <= p; j++ {
		head = append(head, fmt.Sprintf("lesion_f%02d", j))
	}
	rows := [][]string{head}
	for i := 0; i < n; i++ {
		y := i % 2
		r := []string{fmt.Sprintf("P%03d", i), string(rune('A' + i%3)), fmt.Sprint(y)}
		for j := 1; j <= p; j++ {
			x := math.Sin(float64(i*p+j)) + float64(y)*float64(j%3) + 0.1*float64(i%3)
			r = append(r, fmt.Sprintf("%.6g", x))
		}
		rows = append(rows, r)
	}
	for i, r := range rows {
		for j := range r {
			if edit != nil {
				r[j] = edit(i, j, r[j])
			}
		}
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func predictions(edit func(r, c int, s string) string) string {
	rows := [][]string{{"id", "label", "probability"}}
	for i := 0; i < 20; i++ {
		rows = append(rows, []string{fmt.Sprintf("P%02d", i), fmt.Sprint(i % 2), fmt.Sprintf("%.3f", 0.3*float64(i%2)+0.02*float64(i))})
	}
	var b strings.Builder
	for i, r := range rows {
		for j := range r {
			if edit != nil {
				r[j] = edit(i, j, r[j])
			}
		}
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

// --- the commands an image meets ---

// imageCases runs every command that reads an image on the hostile image
// (as the image) with the valid mask; heavy adds extract, table1, deep and
// run (each reads the image through a cohort).
func (g *gen) imageCases(name, img string, heavy bool, extra ...string) {
	g.pairCases(name, img, g.mask, heavy, extra...)
}

// pairCases is imageCases with a mask of its own: a degenerate geometry
// must reach the code that uses it, so its mask shares it (a valid mask
// would stop at the grid comparison).
func (g *gen) pairCases(name, img, mask string, heavy bool, extra ...string) {
	ins := append([]string{img, mask}, extra...)
	g.add(name+"/features", ins, "features", "-image", img, "-mask", mask, "-o", filepath.Join(g.outDir(name+"/features"), "f.csv"))
	g.add(name+"/preprocess", ins, "preprocess", "-image", img, "-mask", mask, "-out", g.outDir(name+"/preprocess"))
	g.add(name+"/predict", append(ins, g.bundle), "predict", "-bundle", g.bundle, "-image", img, "-mask", mask, "-center", "A", "-o", filepath.Join(g.outDir(name+"/predict"), "p.csv"))
	g.add(name+"/maps", ins, "maps", "-image", img, "-mask", mask, "-features", "firstorder_Mean,glcm_Contrast", "-out", g.outDir(name+"/maps"))
	g.add(name+"/convert", ins, "convert", "-image", img, "-mask", mask, "-o", filepath.Join(g.outDir(name+"/convert"), "i.nii.gz"), "-mask-out", filepath.Join(g.outDir(name+"/convert"), "m.nii.gz"))
	if !heavy {
		return
	}
	coh := g.makeCohort("coh/"+strings.ReplaceAll(name, "/", "_"), img, mask, "")
	cins := append(ins, filepath.Join(coh, "manifest.csv"), filepath.Join(coh, "clinical.csv"))
	g.add(name+"/extract", cins, "extract", "-manifest", filepath.Join(coh, "manifest.csv"), "-o", filepath.Join(g.outDir(name+"/extract"), "r.csv"), "-q")
	g.add(name+"/table1", cins, "table1", "-cohort", coh, "-check-images", "-o", filepath.Join(g.outDir(name+"/table1"), "t.csv"))
	g.add(name+"/deep", cins, "deep", "-manifest", filepath.Join(coh, "manifest.csv"), "-arch", "resnet18", "-epochs", "1", "-size", "32", "-o", filepath.Join(g.outDir(name+"/deep"), "d.csv"))
	g.add(name+"/run", cins, "run", "-cohort", coh, "-out", g.outDir(name+"/run"), "-archs", "none")
}

// maskCases runs features and preprocess on the valid image with a
// hostile mask.
func (g *gen) maskCases(name, mask string, extra ...string) {
	ins := append([]string{g.img, mask}, extra...)
	g.add(name+"/features", ins, "features", "-image", g.img, "-mask", mask, "-o", filepath.Join(g.outDir(name+"/features"), "f.csv"))
	g.add(name+"/preprocess", ins, "preprocess", "-image", g.img, "-mask", mask, "-out", g.outDir(name+"/preprocess"))
}

// controls are the valid base inputs through each command: they must pass.
func (g *gen) controls() {
	n := len(g.cases)
	g.imageCases("control", g.img, false)
	g.add("control/select", []string{g.table}, "select", "-in", g.table, "-label", "outcome", "-signature", "features", "-min-keep", "3", "-o", filepath.Join(g.outDir("control/select"), "s.csv"))
	g.add("control/evaluate", []string{g.preds}, "evaluate", "-in", g.preds, "-threshold", "0.5", "-o", filepath.Join(g.outDir("control/evaluate"), "m.csv"))
	g.add("control/table1", nil, "table1", "-cohort", g.cohort, "-o", filepath.Join(g.outDir("control/table1"), "t.csv"))
	for i := n; i < len(g.cases); i++ {
		g.cases[i].Control = true
	}
}

// --- NIfTI ---

// patch returns a copy of the base NIfTI-1 file with edits applied.
func (g *gen) patch(edits ...func(b []byte)) []byte {
	b := bytes.Clone(g.base)
	for _, e := range edits {
		e(b)
	}
	return b
}

var le = binary.LittleEndian

func i16(off int, x int) func([]byte) {
	return func(b []byte) { le.PutUint16(b[off:], uint16(int16(x))) }
}
func f32(off int, x float64) func([]byte) {
	return func(b []byte) { le.PutUint32(b[off:], math.Float32bits(float32(x))) }
}

// srow sets the sform rows (sform_code 1, qform_code 0).
func srow(m [3][4]float64) func([]byte) {
	return func(b []byte) {
		i16(252, 0)(b)
		i16(254, 1)(b)
		for r := range 3 {
			for c := range 4 {
				f32(280+16*r+4*c, m[r][c])(b)
			}
		}
	}
}

// qform sets quaternion b, c, d and pixdim (sform_code 0, qform_code 1).
func qform(q [3]float64, pix [3]float64, off [3]float64) func([]byte) {
	return func(b []byte) {
		i16(252, 1)(b)
		i16(254, 0)(b)
		for k := range 3 {
			f32(256+4*k, q[k])(b)
			f32(80+4*k, pix[k])(b)
			f32(268+4*k, off[k])(b)
		}
	}
}

func dims(d0 int, d ...int) func([]byte) {
	return func(b []byte) {
		i16(40, d0)(b)
		for k, x := range d {
			i16(42+2*k, x)(b)
		}
	}
}

func gz(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// gzZeros gzips a header followed by n zero bytes without holding them.
func gzZeros(head []byte, n int64) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	w.Write(head)
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, int64(len(zero)))
		w.Write(zero[:k])
		n -= k
	}
	w.Close()
	return buf.Bytes()
}

func (g *gen) nifti() {
	hdr := func(b []byte) []byte { return b[:352] }
	type v struct {
		name  string
		data  []byte
		ext   string
		heavy bool
	}
	nearly := 1e-9
	vs := []v{
		{"mem/nifti-dims-32767^3", g.patch(dims(3, 32767, 32767, 32767)), ".nii", true},
		{"mem/nifti-2^30-voxels", g.patch(dims(3, 2048, 2048, 256)), ".nii", false},
		{"mem/nifti-2^28-voxels-truncated", g.patch(dims(3, 1024, 1024, 256)), ".nii", false},
		{"mem/nifti-gzip-bomb-64Mi-voxels", gzZeros(hdr(g.patch(dims(3, 1024, 1024, 64), i16(70, 2), i16(72, 8))), 1<<26), ".nii.gz", false},
		{"mem/nifti-gzip-trailing-1GiB", gzZeros(g.base, 1<<30), ".nii.gz", false},
		{"bad/nifti-gzip-cut", gz(g.base)[:2000], ".nii.gz", false},
		{"bad/nifti-not-gzip", []byte("\x1f\x8bthis is not deflate data at all"), ".nii.gz", false},
		{"geom/nifti-sform-collinear", g.patch(srow([3][4]float64{{1, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, 1.5, 0}})), ".nii", true},
		{"geom/nifti-sform-nearly-singular", g.patch(srow([3][4]float64{{1, 1, 0, 0}, {0, nearly, 0, 0}, {0, 0, 1.5, 0}})), ".nii", false},
		{"geom/nifti-sform-zero-column", g.patch(srow([3][4]float64{{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}})), ".nii", false},
		{"geom/nifti-sform-nan", g.patch(srow([3][4]float64{{math.NaN(), 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}})), ".nii", false},
		{"geom/nifti-sform-inf-offset", g.patch(srow([3][4]float64{{1, 0, 0, math.Inf(1)}, {0, 1, 0, 0}, {0, 0, 1, 0}})), ".nii", false},
		{"geom/nifti-sform-tiny-spacing", g.patch(srow([3][4]float64{{1e-30, 0, 0, 0}, {0, 1e-30, 0, 0}, {0, 0, 1e-30, 0}})), ".nii", true},
		{"geom/nifti-sform-huge-spacing", g.patch(srow([3][4]float64{{1e30, 0, 0, 0}, {0, 1e30, 0, 0}, {0, 0, 1e30, 0}})), ".nii", false},
		{"geom/nifti-sform-huge-origin", g.patch(srow([3][4]float64{{1, 0, 0, 1e30}, {0, 1, 0, 0}, {0, 0, 1, 0}})), ".nii", false},
		{"geom/nifti-qform-nan", g.patch(qform([3]float64{math.NaN(), 0, 0}, [3]float64{1, 1, 1}, [3]float64{})), ".nii", false},
		{"geom/nifti-qform-pixdim-zero", g.patch(qform([3]float64{}, [3]float64{0, 1, 1}, [3]float64{})), ".nii", false}, // read as 1 mm, as nibabel does
		{"geom/nifti-qform-pixdim-tiny", g.patch(qform([3]float64{}, [3]float64{1e-38, 1e-38, 1e-38}, [3]float64{})), ".nii", false},
		{"geom/nifti-qform-offset-inf", g.patch(qform([3]float64{}, [3]float64{1, 1, 1}, [3]float64{math.Inf(-1), 0, 0})), ".nii", false},
		{"bad/nifti-vox-offset-huge", g.patch(f32(108, 1e12)), ".nii", false},
		{"bad/nifti-datatype-rgba", g.patch(i16(70, 2304)), ".nii", false},
		{"bad/nifti-dim0-zero", g.patch(i16(40, 0)), ".nii", false},
		{"bad/nifti-4d", g.patch(dims(4, 20, 20, 10, 5)), ".nii", false},
		{"bad/nifti-dim-negative", g.patch(dims(3, 20, -20, 10)), ".nii", false},
		{"bad/nifti-scl-inter-inf", g.patch(f32(112, 2), f32(116, math.Inf(1))), ".nii", false},
		{"bad/nifti-header-only", g.base[:200], ".nii", false},
		{"bad/nifti-empty", nil, ".nii", false},
		{"bad/nifti-pair-magic", g.patch(func(b []byte) { copy(b[344:], "ni1\x00") }), ".nii", false},
		{"bad/nifti-nan-voxels", g.patch(func(b []byte) {
			for i := 352; i+4 <= len(b); i += 4 * 37 {
				le.PutUint32(b[i:], math.Float32bits(float32(math.NaN())))
			}
		}), ".nii", true},
		{"bad/nifti-inf-voxels", g.patch(func(b []byte) { le.PutUint32(b[352+4*2210:], math.Float32bits(float32(math.Inf(1)))) }), ".nii", false}, // voxel (10,10,5), in the ROI
	}
	for _, x := range vs {
		p := g.write("img/"+strings.ReplaceAll(x.name, "/", "_")+x.ext, x.data)
		if !strings.HasPrefix(x.name, "geom/") {
			g.imageCases(x.name, p, x.heavy)
			continue
		}
		// The mask: the same header as a uint8 file, the mask's voxels.
		m := append(bytes.Clone(x.data[:352]), g.maskB[352:]...)
		i16(70, 2)(m)
		i16(72, 8)(m)
		f32(112, 1)(m)
		f32(116, 0)(m)
		mp := g.write("img/"+strings.ReplaceAll(x.name, "/", "_")+"_mask"+x.ext, m)
		g.pairCases(x.name, p, mp, x.heavy)
	}
	// NIfTI-2 declaring 2^40 voxels.
	var buf bytes.Buffer
	g.check(nifti.Encode(&buf, g.baseV, &nifti.Options{Datatype: nifti.Float32, Version: 2}))
	b2 := buf.Bytes()
	le.PutUint64(b2[24:], 1<<20)
	le.PutUint64(b2[32:], 1<<20)
	g.imageCases("mem/nifti2-2^40-voxels", g.write("img/nifti2_2^40.nii", b2), false)

	// Files that are not regular files.
	d := g.path("img/dir.nii")
	g.check(os.MkdirAll(d, 0o755))
	g.imageCases("bad/image-is-a-folder", d, true)
	fifo := g.path("img/fifo.nii")
	g.check(syscall.Mkfifo(fifo, 0o644))
	g.imageCases("mem/image-is-a-fifo", fifo, true)
	zero := g.path("img/zero.nii")
	g.check(os.Symlink("/dev/zero", zero))
	g.imageCases("mem/image-is-dev-zero", zero, false)
	g.imageCases("bad/image-missing", g.path("img/missing.nii.gz"), false)
	g.imageCases("bad/image-unknown-extension", g.write("img/image.png", g.base), false)
}

// --- NRRD ---

func nrrdFile(fields string, data []byte) []byte {
	return append([]byte("NRRD0004\n"+fields+"\n"), data...)
}

func (g *gen) nrrd() {
	raw := make([]byte, 20*20*10)
	for i := range raw {
		raw[i] = byte(i % 251)
	}
	std := "type: uint8\ndimension: 3\nspace: left-posterior-superior\nsizes: 20 20 10\nspace directions: (1,0,0) (0,1,0) (0,0,1.5)\nspace origin: (0,0,0)\nendian: little\n"
	ok := func(enc string) string { return std + "encoding: " + enc + "\n" }
	// A detached header's data file, and files outside its folder.
	g.write("img/nhdr/data.raw", raw)
	g.check(os.MkdirAll(g.path("img/nhdr/sub"), 0o755))
	g.check(syscall.Mkfifo(g.path("img/nhdr/fifo.raw"), 0o644))
	g.check(os.Symlink("/etc/passwd", g.path("img/nhdr/passwd.raw")))
	g.check(os.Symlink(g.path("img/nhdr/../valid.nii"), g.path("img/nhdr/escape.raw")))
	g.write("img/outside.raw", raw)
	detached := func(name, file string) {
		p := g.write("img/nhdr/"+name+".nhdr", nrrdFile(ok("raw")+"data file: "+file+"\n", nil))
		g.imageCases("nrrd-data/"+name, p, name == "fifo", g.path("img/nhdr/data.raw"), g.path("img/outside.raw"))
	}
	g.write("img/nhdr/control.nhdr", nrrdFile(ok("raw")+"data file: data.raw\n", nil))
	n := len(g.cases)
	g.imageCases("control/nhdr", g.path("img/nhdr/control.nhdr"), false, g.path("img/nhdr/data.raw"))
	for i := n; i < len(g.cases); i++ {
		g.cases[i].Control = true
	}
	detached("parent-traversal", "../../../../../../../etc/passwd")
	detached("absolute", "/etc/passwd")
	detached("outside-sibling", "../outside.raw")
	detached("dev-zero", "/dev/zero")
	detached("dev-urandom", "/dev/urandom")
	detached("fifo", "fifo.raw")
	detached("symlink-out", "passwd.raw")
	detached("symlink-escape", "escape.raw")
	detached("folder", "sub")
	detached("missing", "nothing.raw")
	detached("list", "LIST")
	detached("pattern", "slice%03d.raw 0 9 1")

	type v struct {
		name, fields string
		data         []byte
		heavy        bool
	}
	bz := bzip2Zeros
	big := gzZeros(nil, 1<<30)
	vs := []v{
		{"mem/nrrd-sizes-2^31", "type: uint8\ndimension: 3\nsizes: 2000000000 1 1\nencoding: raw\n", raw, true},
		{"mem/nrrd-2^30-voxels", "type: float\ndimension: 3\nsizes: 1024 1024 1024\nendian: little\nencoding: raw\n", raw, false},
		{"mem/nrrd-2^27-truncated", "type: double\ndimension: 3\nsizes: 512 512 512\nendian: little\nencoding: raw\n", raw, false},
		{"mem/nrrd-gzip-skip-minus1-1GiB", std + "encoding: gzip\nbyte skip: -1\n", big, false},
		{"mem/nrrd-bzip2-skip-minus1-2GB", std + "encoding: bzip2\nbyte skip: -1\n", bz, true},
		{"mem/nrrd-bzip2-byteskip-huge", std + "encoding: bzip2\nbyte skip: 1999999000\n", bz, false},
		{"mem/nrrd-gzip-byteskip-huge", std + "encoding: gzip\nbyte skip: 1000000000000\n", big, false},
		{"mem/nrrd-bzip2-data-2GB", "type: double\ndimension: 3\nsizes: 512 512 512\nendian: little\nencoding: bzip2\n", bz, false},
		{"mem/nrrd-lineskip-huge", ok("raw") + "line skip: 2000000000\n", raw, false},
		{"mem/nrrd-per-voxel-elements", "type: uint8\ndimension: 4\nsizes: 100000 20 20 10\nkinds: list domain domain domain\nencoding: raw\n", raw, false},
		{"geom/nrrd-directions-collinear", strings.Replace(ok("raw"), "(0,1,0)", "(1,0,0)", 1), raw, true},
		{"geom/nrrd-directions-coplanar", strings.Replace(ok("raw"), "(0,0,1.5)", "(1,1,0)", 1), raw, false},
		{"geom/nrrd-directions-nearly-coplanar", strings.Replace(ok("raw"), "(0,0,1.5)", "(1,1,1e-9)", 1), raw, false},
		{"geom/nrrd-directions-nan", strings.Replace(ok("raw"), "(1,0,0)", "(nan,0,0)", 1), raw, false},
		{"geom/nrrd-directions-zero", strings.Replace(ok("raw"), "(1,0,0)", "(0,0,0)", 1), raw, false},
		{"geom/nrrd-directions-tiny", strings.Replace(ok("raw"), "(1,0,0)", "(1e-300,0,0)", 1), raw, true},
		{"geom/nrrd-directions-huge", strings.Replace(ok("raw"), "(1,0,0)", "(1e300,0,0)", 1), raw, false},
		{"geom/nrrd-origin-huge", strings.Replace(ok("raw"), "space origin: (0,0,0)", "space origin: (1e300,0,0)", 1), raw, false},
		{"geom/nrrd-origin-inf", strings.Replace(ok("raw"), "space origin: (0,0,0)", "space origin: (inf,0,0)", 1), raw, false},
		{"geom/nrrd-spacings-tiny", "type: uint8\ndimension: 3\nsizes: 20 20 10\nspacings: 1e-300 1e-300 1e-300\nencoding: raw\n", raw, false},
		{"bad/nrrd-dimension-17", "type: uint8\ndimension: 17\nsizes: 20 20 10\nencoding: raw\n", raw, false},
		{"bad/nrrd-sizes-negative", "type: uint8\ndimension: 3\nsizes: 20 -20 10\nencoding: raw\n", raw, false},
		{"bad/nrrd-type-block", "type: block\ndimension: 3\nsizes: 20 20 10\nencoding: raw\n", raw, false},
		{"bad/nrrd-encoding-unknown", ok("rle"), raw, false},
		{"bad/nrrd-endian-missing", "type: short\ndimension: 3\nsizes: 20 20 10\nencoding: raw\n", raw, false},
		{"bad/nrrd-magic-9", "", raw, false},
		{"bad/nrrd-text-long-token", ok("text"), bytes.Repeat([]byte("9"), 1<<20), false},
		{"bad/nrrd-gzip-garbage", ok("gzip"), []byte("not gzip data"), false},
		{"bad/nrrd-bzip2-garbage", ok("bzip2"), []byte("BZh9 not bzip2"), false},
		{"bad/nrrd-truncated", ok("raw"), raw[:1000], false},
	}
	for _, x := range vs {
		data := nrrdFile(x.fields, x.data)
		if x.name == "bad/nrrd-magic-9" {
			data = append([]byte("NRRD0009\ntype: uint8\n\n"), raw...)
		}
		p := g.write("img/"+strings.ReplaceAll(x.name, "/", "_")+".nrrd", data)
		if !strings.HasPrefix(x.name, "geom/") {
			g.imageCases(x.name, p, x.heavy)
			continue
		}
		mp := g.write("img/"+strings.ReplaceAll(x.name, "/", "_")+"_mask.nrrd", nrrdFile(x.fields, g.maskB[352:]))
		g.pairCases(x.name, p, mp, x.heavy)
	}
	// A header with no blank line for 5 MB.
	long := nrrdFile("", nil)
	long = append(long[:len(long)-1], bytes.Repeat([]byte("# comment line that never ends the header\n"), 5<<20/42)...)
	g.imageCases("mem/nrrd-header-5MB", g.write("img/long_header.nrrd", long), false)
	// A 1 MB key:=value line and a field with terminal escapes.
	g.imageCases("err/nrrd-1MB-key-value", g.write("img/kv.nrrd", nrrdFile(ok("raw")+"k:="+strings.Repeat("v", 1<<20)+"\nbogus line "+strings.Repeat("x", 1<<20)+"\n", raw)), false)
	g.imageCases("err/nrrd-terminal-escapes", g.write("img/esc.nrrd", nrrdFile("type: \x1b[2J\x1b[31mred\x07\ndimension: 3\nsizes: 20 20 10\nencoding: raw\n", raw)), false)
}

// --- masks ---

func (g *gen) masks() {
	mk := func(name string, dt nifti.Datatype, fill func(i int, v *volume.Volume)) {
		v := volume.New(g.baseV.Grid)
		for i := range v.Data {
			fill(i, v)
		}
		var buf bytes.Buffer
		g.check(nifti.Encode(&buf, v, &nifti.Options{Datatype: dt}))
		g.maskCases(name, g.write("img/"+strings.ReplaceAll(name, "/", "_")+".nii", buf.Bytes()))
	}
	mk("bad/mask-fractional-label", nifti.Float32, func(i int, v *volume.Volume) { v.Data[i] = 1.5 })
	mk("bad/mask-negative-label", nifti.Float32, func(i int, v *volume.Volume) { v.Data[i] = -1 })
	mk("bad/mask-label-1e300", nifti.Float64, func(i int, v *volume.Volume) { v.Data[i] = 1e300 })
	mk("bad/mask-empty", nifti.Uint8, func(i int, v *volume.Volume) {})
	mk("bad/mask-nan", nifti.Float32, func(i int, v *volume.Volume) { v.Data[i] = math.NaN() })
	mk("bad/mask-one-voxel-label3", nifti.Uint8, func(i int, v *volume.Volume) {
		if i == 1000 {
			v.Data[i] = 3
		}
	})
	// Another grid: shifted by half a voxel.
	w := volume.New(g.baseV.Grid)
	w.Origin = [3]float64{0.5, 0, 0}
	w.Data[1000] = 1
	var buf bytes.Buffer
	g.check(nifti.Encode(&buf, w, &nifti.Options{Datatype: nifti.Uint8}))
	g.maskCases("bad/mask-other-grid", g.write("img/mask_other_grid.nii", buf.Bytes()))
	// A Slicer segmentation with 65,537 segments.
	var sb strings.Builder
	sb.WriteString("type: uint8\ndimension: 3\nspace: left-posterior-superior\nsizes: 20 20 10\nspace directions: (1,0,0) (0,1,0) (0,0,1.5)\nspace origin: (0,0,0)\nencoding: raw\n")
	for i := 0; i < 65537; i++ {
		fmt.Fprintf(&sb, "Segment%d_ID:=Segment_%d\nSegment%d_Name:=Segment_%d\nSegment%d_LabelValue:=%d\nSegment%d_Layer:=0\n", i, i, i, i, i, 1+i%200, i)
	}
	g.maskCases("err/seg-65537-segments", g.write("img/many.seg.nrrd", nrrdFile(sb.String(), make([]byte, 4000))))
	g.maskCases("mem/mask-2^30-voxels", g.write("img/mask_huge.nii", g.patch(dims(3, 2048, 2048, 256))))
}

// --- pyradiomics params ---

func (g *gen) params() {
	ps := map[string]string{
		"num/params-binWidth-1e-300":          "setting:\n  binWidth: 1e-300\n",
		"num/params-binWidth-nan":             "setting:\n  binWidth: .nan\n",
		"num/params-binWidth-negative":        "setting:\n  binWidth: -5\n",
		"num/params-binCount-1e9":             "setting:\n  binCount: 1000000000\n",
		"num/params-binCount-2^24+1":          "setting:\n  binCount: 16777217\n",
		"num/params-distances-1e6":            "setting:\n  distances: [1000000]\n",
		"num/params-distances-300":            "setting:\n  distances: [300]\n",
		"num/params-distances-zero":           "setting:\n  distances: [0]\n",
		"num/params-distances-fraction":       "setting:\n  distances: [1.5]\n",
		"num/params-label-1e10":               "setting:\n  label: 1e10\n",
		"num/params-label-negative":           "setting:\n  label: -3\n",
		"num/params-interpolator-unknown":     "setting:\n  interpolator: sitkMagic\n",
		"num/params-resampled-spacing-tiny":   "setting:\n  resampledPixelSpacing: [1e-300, 1, 1]\n",
		"num/params-resampled-spacing-inf":    "setting:\n  resampledPixelSpacing: [.inf, 1, 1]\n",
		"num/params-resampled-spacing-small":  "setting:\n  resampledPixelSpacing: [0.001, 0.001, 0.001]\n",
		"num/params-geometryTolerance-nan":    "setting:\n  geometryTolerance: .nan\n",
		"num/params-normalizeScale-inf":       "setting:\n  normalizeScale: .inf\n",
		"num/params-voxelArrayShift-inf":      "setting:\n  voxelArrayShift: .inf\n",
		"num/params-gldm-a-nan":               "setting:\n  gldm_a: .nan\n",
		"num/params-minimumROIDimensions-7":   "setting:\n  minimumROIDimensions: 7\n",
		"num/params-force2Ddimension-5":       "setting:\n  force2D: true\n  force2Ddimension: 5\n",
		"num/params-weightingNorm-unknown":    "setting:\n  weightingNorm: chebyshev\n",
		"num/params-removeOutliers-negative":  "setting:\n  removeOutliers: -1\n",
		"bad/params-imageType-unknown":        "imageType:\n  Fourier: {}\n",
		"bad/params-featureClass-unknown":     "featureClass:\n  wavelet: []\n",
		"bad/params-feature-unknown":          "featureClass:\n  glcm: [NotAFeature]\n",
		"bad/params-setting-is-a-list":        "setting:\n  - binWidth\n",
		"bad/params-scalar":                   "just a string\n",
		"bad/params-tabs":                     "setting:\n\tbinWidth: 25\n",
		"mem/params-alias-bomb":               aliasBomb(),
		"mem/params-deep-nesting":             strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n",
		"err/params-2MB-string":               "setting:\n  interpolator: \"" + strings.Repeat("x", 2<<20) + "\"\n",
		"err/params-500KB-string":             "setting:\n  interpolator: \"" + strings.Repeat("x", 500<<10) + "\"\n",
		"err/params-100KB-key":                "setting:\n  " + strings.Repeat("k", 100<<10) + ": 1\n",
		"err/params-100KB-number":             "setting:\n  binWidth: " + strings.Repeat("9", 100<<10) + "x\n",
		"bad/params-binary":                   "\x00\x01\x02\xff\xfe",
		"num/params-distances-10000-values":   "setting:\n  distances: [" + strings.TrimSuffix(strings.Repeat("1,", 10000), ",") + "]\n",
		"num/params-minimumROISize-negative":  "setting:\n  minimumROISize: -1\n",
		"num/params-padDistance-negative":     "setting:\n  padDistance: -1\n",
		"num/params-binWidth-tiny-and-normal": "setting:\n  binWidth: 1e-12\n  normalize: true\n",
	}
	for _, name := range sortedKeys(ps) {
		p := g.write("par/"+strings.ReplaceAll(name, "/", "_")+".yaml", []byte(ps[name]))
		ins := []string{p, g.img, g.mask}
		g.add(name+"/features", ins, "features", "-image", g.img, "-mask", g.mask, "-params", p, "-o", filepath.Join(g.outDir(name+"/features"), "f.csv"))
		if strings.HasPrefix(name, "num/") {
			m := filepath.Join(g.cohort, "manifest.csv")
			g.add(name+"/extract", append(ins, m), "extract", "-manifest", m, "-params", p, "-q", "-o", filepath.Join(g.outDir(name+"/extract"), "r.csv"))
		}
	}
}

func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := 0; i < 9; i++ {
		n := string(rune('b' + i))
		fmt.Fprintf(&b, "%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	return b.String()
}

// --- bundles ---

func (g *gen) bundles() {
	raw, err := os.ReadFile(g.bundle)
	g.check(err)
	mut := func(name string, f func(m map[string]any)) {
		var m map[string]any
		g.check(json.Unmarshal(raw, &m))
		if m == nil {
			return
		}
		f(m)
		b, err := json.Marshal(m)
		g.check(err)
		g.bundleCase(name, b)
	}
	set := func(path ...any) func(m map[string]any) {
		return func(m map[string]any) {
			var cur any = m
			for i, k := range path[:len(path)-2] {
				_ = i
				switch c := cur.(type) {
				case map[string]any:
					cur = c[k.(string)]
				case []any:
					cur = c[k.(int)]
				}
			}
			k, v := path[len(path)-2], path[len(path)-1]
			switch c := cur.(type) {
			case map[string]any:
				c[k.(string)] = v
			case []any:
				c[k.(int)] = v
			}
		}
	}
	mut("num/bundle-weights-1e308", func(m map[string]any) {
		for _, w := range m["weights"].([]any) {
			w.(map[string]any)["coef"] = 1e308
		}
	})
	mut("num/bundle-weight-1e308-single", func(m map[string]any) {
		m["weights"].([]any)[0].(map[string]any)["coef"] = 1.7e308
		m["intercept"] = 1.7e308
	})
	mut("num/bundle-sigma-1e6", set("settings", "Preprocess", "GaussianSigma", 1e6))
	mut("num/bundle-sigma-negative", set("settings", "Preprocess", "GaussianSigma", -1))
	mut("num/bundle-margin-1e300", set("settings", "Preprocess", "Margin", 1e300))
	mut("num/bundle-interpolator-7", set("settings", "Preprocess", "Interpolator", 7))
	mut("num/bundle-mean-size-even", set("settings", "Preprocess", "MeanSize", 4))
	mut("num/bundle-box-size-1e9", set("settings", "Preprocess", "BoxSize", 1000000001))
	mut("num/bundle-spacing-tiny", set("settings", "Preprocess", "Spacing", []any{1e-300, 1, 1}))
	mut("num/bundle-spacing-small", set("settings", "Preprocess", "Spacing", []any{0.001, 0.001, 0.001}))
	mut("num/bundle-clip-60", set("settings", "Preprocess", "ClipPercentile", 60))
	mut("num/bundle-binCount-1e9", set("settings", "Features", "BinCount", 1000000000))
	mut("num/bundle-binWidth-1e-300", func(m map[string]any) {
		f := m["settings"].(map[string]any)["Features"].(map[string]any)
		f["BinCount"], f["BinWidth"] = 0, 1e-300
	})
	mut("num/bundle-distances-1e6", set("settings", "Features", "Distances", []any{1000000}))
	mut("num/bundle-feature-interpolator", set("settings", "Features", "Interpolator", "sitkMagic"))
	mut("num/bundle-sd-zero", func(m map[string]any) { m["sd"].([]any)[0] = 0 })
	mut("num/bundle-combat-negative-variance", func(m map[string]any) {
		c := m["combat"].(map[string]any)
		c["VarPooled"].([]any)[0] = -1
	})
	mut("num/bundle-combat-huge-gamma", func(m map[string]any) {
		c := m["combat"].(map[string]any)
		for _, row := range c["GammaStar"].([]any) {
			row.([]any)[0] = 1.7e308
		}
		for _, row := range c["DeltaStar"].([]any) {
			row.([]any)[0] = 1e-308
		}
	})
	mut("num/bundle-mean-1e308", func(m map[string]any) {
		m["mean"].([]any)[0] = 1.7e308
		m["sd"].([]any)[0] = 1e-308
	})
	mut("bad/bundle-format", set("format", "scirad-bundle/9"))
	mut("bad/bundle-model-kind", func(m map[string]any) {
		if md, ok := m["model"].(map[string]any); ok {
			for k := range md {
				if s, ok := md[k].(string); ok {
					md[k] = s + "-unknown"
				}
			}
		}
	})
	mut("bad/bundle-features-mismatch", func(m map[string]any) { m["features"] = m["features"].([]any)[1:] })
	mut("err/bundle-1MB-format", set("format", strings.Repeat("f", 1<<20)))
	g.bundleCase("bad/bundle-truncated", raw[:len(raw)/2])
	g.bundleCase("bad/bundle-empty", nil)
	g.bundleCase("bad/bundle-nan-literal", bytes.Replace(raw, []byte(`"intercept":`), []byte(`"intercept": NaN, "x":`), 1))
	g.bundleCase("bad/bundle-1e400", bytes.Replace(raw, []byte(`"intercept":`), []byte(`"intercept": 1e400, "x":`), 1))
	g.bundleCase("mem/bundle-deep-nesting", []byte(strings.Repeat("[", 1<<20)+strings.Repeat("]", 1<<20)))
	g.bundleCase("mem/bundle-huge-array", []byte(`{"format":"scirad-bundle/1","mean":[`+strings.TrimSuffix(strings.Repeat("1,", 2<<20), ",")+`]}`))
	g.add("err/predict-120KB-centre", []string{g.bundle, g.img, g.mask}, "predict", "-bundle", g.bundle, "-image", g.img, "-mask", g.mask, "-center", strings.Repeat("C", 120<<10))
}

func (g *gen) bundleCase(name string, data []byte) {
	p := g.write("bun/"+strings.ReplaceAll(name, "/", "_")+".json", data)
	g.add(name+"/predict", []string{p, g.img, g.mask}, "predict", "-bundle", p, "-image", g.img, "-mask", g.mask, "-center", "A", "-o", filepath.Join(g.outDir(name+"/predict"), "p.csv"))
}

// --- feature tables and predictions ---

func (g *gen) tables() {
	ts := map[string]string{
		"bad/table-empty":            "",
		"bad/table-header-only":      "patient_id,center,outcome,lesion_f01\n",
		"bad/table-nan-cell":         featureTable(30, 12, cell(5, 4, "NaN")),
		"bad/table-inf-cell":         featureTable(30, 12, cell(5, 4, "-Inf")),
		"bad/table-1e999-cell":       featureTable(30, 12, cell(5, 4, "1e999")),
		"bad/table-duplicate-id":     featureTable(30, 12, cell(2, 0, "P000")),
		"bad/table-duplicate-column": featureTable(30, 12, cell(0, 4, "lesion_f01")),
		"bad/table-ragged":           featureTable(30, 12, nil) + "P999,A,1,2\n",
		"bad/table-outcome-2":        featureTable(30, 12, cell(3, 2, "2")),
		"bad/table-single-class":     featureTable(30, 12, func(r, c int, s string) string { return pick(r > 0 && c == 2, "1", s) }),
		"bad/table-one-row":          featureTable(1, 12, nil),
		"bad/table-binary":           "\x00\x01\x02\xff\xfe\n\x00\n",
		"bad/table-bom-garbage":      "\xef\xbb\xbf\"unterminated,quote\n1,2\n",
		"bad/table-no-center":        strings.Replace(featureTable(30, 12, nil), "center", "site", 1),
		"bad/table-no-features":      "patient_id,center,outcome\nP1,A,0\nP2,B,1\nP3,C,0\nP4,A,1\n",
		"err/table-1MB-cell":         featureTable(30, 12, cell(5, 4, strings.Repeat("7", 1<<20)+"x")),
		"err/table-100KB-column":     featureTable(30, 12, cell(0, 5, strings.Repeat("c", 100<<10))),
		"mem/table-20000-columns":    featureTable(6, 20000, nil),
		"mem/table-10MB-one-field":   "patient_id,center,outcome\n\"" + strings.Repeat("q", 10<<20) + "\n",
	}
	for _, name := range sortedKeys(ts) {
		p := g.write("tab/"+strings.ReplaceAll(name, "/", "_")+".csv", []byte(ts[name]))
		ins := []string{p, g.table}
		g.add(name+"/harmonize", ins, "harmonize", "-in", p, "-batch", "center", "-o", filepath.Join(g.outDir(name+"/harmonize"), "h.csv"))
		g.add(name+"/select", ins, "select", "-in", p, "-label", "outcome", "-signature", "features", "-o", filepath.Join(g.outDir(name+"/select"), "s.csv"))
		g.add(name+"/classify", ins, "classify", "-train", p, "-test", g.table, "-label", "outcome", "-model", "lr", "-o", filepath.Join(g.outDir(name+"/classify"), "c.csv"))
	}
	pr := map[string]string{
		"bad/preds-nan-score":     predictions(cell(3, 2, "NaN")),
		"bad/preds-inf-score":     predictions(cell(3, 2, "Inf")),
		"bad/preds-label-2":       predictions(cell(3, 1, "2")),
		"bad/preds-label-text":    predictions(cell(3, 1, "yes")),
		"bad/preds-single-class":  predictions(func(r, c int, s string) string { return pick(r > 0 && c == 1, "0", s) }),
		"bad/preds-empty":         "",
		"bad/preds-no-score":      "id,label\nP1,0\nP2,1\n",
		"err/preds-1MB-label":     predictions(cell(3, 1, strings.Repeat("9", 1<<20))),
		"mem/preds-1e6-rows-tiny": "id,label,probability\n" + strings.Repeat("x,1,0.5\n", 200000),
	}
	for _, name := range sortedKeys(pr) {
		p := g.write("tab/"+strings.ReplaceAll(name, "/", "_")+".csv", []byte(pr[name]))
		g.add(name+"/evaluate", []string{p}, "evaluate", "-in", p, "-o", filepath.Join(g.outDir(name+"/evaluate"), "m.csv"))
	}
}

func cell(r, c int, v string) func(int, int, string) string {
	return func(i, j int, s string) string { return pick(i == r && j == c, v, s) }
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// --- numeric flags ---

func (g *gen) flags() {
	o := func(name, file string) string { return filepath.Join(g.outDir(name), file) }
	img := []string{g.img, g.mask}
	for _, f := range []struct {
		name string
		args []string
	}{
		{"spacing-1e-300", []string{"-spacing", "1e-300"}},
		{"spacing-1e-4", []string{"-spacing", "0.0001"}},
		{"spacing-nan", []string{"-spacing", "NaN"}},
		{"spacing-negative", []string{"-spacing", "-1"}},
		{"margin-1e300", []string{"-margin", "1e300"}},
		{"margin-nan", []string{"-margin", "NaN"}},
		{"clip-50", []string{"-clip", "50"}},
		{"clip-nan", []string{"-clip", "nan"}},
		{"max-memory-garbage", []string{"-max-memory", "lots"}},
		{"max-memory-1KiB", []string{"-max-memory", "1KiB"}},
	} {
		n := "num/preprocess-" + f.name
		g.add(n, img, append([]string{"preprocess", "-image", g.img, "-mask", g.mask, "-out", g.outDir(n)}, f.args...)...)
	}
	for _, f := range []struct {
		name string
		args []string
	}{
		{"alpha-nan", []string{"-alpha", "NaN"}},
		{"alpha-2", []string{"-alpha", "2"}},
		{"rho-inf", []string{"-rho", "Inf"}},
		{"folds-0", []string{"-folds", "0"}},
		{"folds-1e6", []string{"-folds", "1000000"}},
		{"mrmr-k-negative", []string{"-mrmr-k", "-5"}},
		{"min-keep-negative", []string{"-min-keep", "-2"}},
		{"family-unknown", []string{"-family", "poisson"}},
	} {
		n := "num/select-" + f.name
		g.add(n, []string{g.table}, append([]string{"select", "-in", g.table, "-label", "outcome", "-signature", "features", "-o", o(n, "s.csv")}, f.args...)...)
	}
	for _, th := range []string{"nan", "inf", "-inf", "1e400", "0x1p-2000x"} {
		n := "num/evaluate-threshold-" + th
		g.add(n, []string{g.preds}, "evaluate", "-in", g.preds, "-threshold", th, "-o", o(n, "m.csv"))
	}
	g.add("num/classify-model-unknown", []string{g.table}, "classify", "-train", g.table, "-test", g.table, "-label", "outcome", "-model", "xgboost", "-o", o("num/classify-model-unknown", "c.csv"))
	g.add("num/features-label-negative", img, "features", "-image", g.img, "-mask", g.mask, "-label", "-1")
	g.add("num/features-label-overflow", img, "features", "-image", g.img, "-mask", g.mask, "-label", "99999999999999999999")
	g.add("num/features-label-absent", img, "features", "-image", g.img, "-mask", g.mask, "-label", "7")
	m := filepath.Join(g.cohort, "manifest.csv")
	coh := []string{m, filepath.Join(g.cohort, "clinical.csv")}
	for _, f := range []struct {
		name string
		args []string
	}{
		{"size-100000", []string{"-size", "100000"}},
		{"size-negative", []string{"-size", "-32"}},
		{"epochs-negative", []string{"-epochs", "-1"}},
		{"epochs-1e9", []string{"-epochs", "1000000000"}},
		{"arch-unknown", []string{"-arch", "resnet9000"}},
		{"profile-unknown", []string{"-profile", "huge"}},
	} {
		n := "num/deep-" + f.name
		g.add(n, coh, append([]string{"deep", "-manifest", m, "-o", o(n, "d.csv")}, f.args...)...)
	}
	g.add("num/extract-icc-nan", coh, "extract", "-manifest", m, "-q", "-icc", "NaN", "-o", o("num/extract-icc-nan", "r.csv"))
	g.add("num/extract-icc-2", coh, "extract", "-manifest", m, "-q", "-icc", "2", "-o", o("num/extract-icc-2", "r.csv"))
	g.add("num/run-profile-unknown", coh, "run", "-cohort", g.cohort, "-out", g.outDir("num/run-profile-unknown"), "-profile", "everything")
	g.add("num/run-archs-unknown", coh, "run", "-cohort", g.cohort, "-out", g.outDir("num/run-archs-unknown"), "-archs", "resnet7")
	for _, f := range []struct {
		name string
		args []string
	}{
		{"kernel-radius-1e6", []string{"-kernel-radius", "1000000"}},
		{"kernel-radius-negative", []string{"-kernel-radius", "-1"}},
		{"features-unknown", []string{"-features", "glcm_NotAFeature"}},
		{"label-absent", []string{"-label", "9"}},
	} {
		n := "num/maps-" + f.name
		g.add(n, img, append([]string{"maps", "-image", g.img, "-mask", g.mask, "-out", g.outDir(n)}, f.args...)...)
	}
	// DICOM folders: garbage files, a FIFO, a file named like DICOM.
	dcm := g.path("misc/dicom")
	g.write("misc/dicom/garbage.dcm", bytes.Repeat([]byte("DICM"), 100))
	g.write("misc/dicom/preamble.dcm", append(make([]byte, 128), []byte("DICM\x02\x00\x10\x00UL\x04\x00\xff\xff\xff\x7f")...))
	g.check(syscall.Mkfifo(g.path("misc/dicom/fifo.dcm"), 0o644))
	g.add("bad/dicom-garbage-folder/convert", nil, "convert", "-image", dcm, "-o", filepath.Join(g.outDir("bad/dicom-garbage-folder/convert"), "i.nii.gz"))
	g.add("bad/dicom-garbage-folder/list", nil, "convert", "-list", dcm)
	g.add("bad/dicom-garbage-folder/features", []string{g.mask}, "features", "-image", dcm, "-mask", g.mask)
	g.add("num/synth-n-1e9", nil, "synth", "-out", g.outDir("num/synth-n-1e9"), "-n", "1000000000")
	g.add("num/synth-n-negative", nil, "synth", "-out", g.outDir("num/synth-n-negative"), "-n", "-5")
	g.add("num/synth-size-unknown", nil, "synth", "-out", g.outDir("num/synth-size-unknown"), "-size", "galactic")
	g.add("bad/synth-out-is-a-file", []string{g.table}, "synth", "-out", g.table)
	g.add("num/embed-size-100000", nil, "embed", "-weights", g.path("misc/none.safetensors"), "-image", g.img, "-size", "100000")
	g.add("bad/unknown-command", nil, "frobnicate")
	g.add("bad/unexpected-argument", img, "features", "-image", g.img, "-mask", g.mask, "extra")
}

// --- manifests and clinical tables ---

func (g *gen) manifests() {
	head := "patient_id,center,image,mask\n"
	ms := map[string]string{
		"bad/manifest-empty":         "",
		"bad/manifest-header-only":   head,
		"bad/manifest-dev-zero":      head + "P1,A,/dev/zero,/dev/zero\n",
		"bad/manifest-etc-passwd":    head + "P1,A,/etc/passwd,/etc/passwd\n",
		"bad/manifest-duplicate-ids": head + "P1,A," + g.img + "," + g.mask + "\nP1,B," + g.img + "," + g.mask + "\n",
		"bad/manifest-ragged":        head + "P1,A," + g.img + "\n",
		"bad/manifest-missing-mask":  "patient_id,center,image\nP1,A," + g.img + "\n",
		"err/manifest-1MB-id":        head + strings.Repeat("I", 1<<20) + ",A," + g.img + "," + g.mask + "\n",
		"bad/manifest-folder-image":  head + "P1,A," + g.dir + "," + g.mask + "\n",
		"mem/manifest-fifo-image":    head + "P1,A," + g.path("img/fifo.nii") + "," + g.mask + "\n",
		"bad/manifest-binary":        "\x00\xff\x00\xfe\n",
	}
	for _, name := range sortedKeys(ms) {
		dir := g.path("coh/" + strings.ReplaceAll(name, "/", "_"))
		m := g.write("coh/"+strings.ReplaceAll(name, "/", "_")+"/manifest.csv", []byte(ms[name]))
		clin, _ := os.ReadFile(filepath.Join(g.cohort, "clinical.csv"))
		c := g.write("coh/"+strings.ReplaceAll(name, "/", "_")+"/clinical.csv", clin)
		ins := []string{m, c, g.img, g.mask}
		g.add(name+"/extract", ins, "extract", "-manifest", m, "-q", "-o", filepath.Join(g.outDir(name+"/extract"), "r.csv"))
		g.add(name+"/deep", ins, "deep", "-manifest", m, "-epochs", "1", "-o", filepath.Join(g.outDir(name+"/deep"), "d.csv"))
		g.add(name+"/run", ins, "run", "-cohort", dir, "-archs", "none", "-out", g.outDir(name+"/run"))
	}
	man, _ := os.ReadFile(filepath.Join(g.cohort, "manifest.csv"))
	cs := map[string]string{
		"bad/clinical-nan-age":     "patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\nP1,A,NaN,male,1,fall,A,10,B,12\n",
		"bad/clinical-empty":       "",
		"err/clinical-1MB-field":   "patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\nP1,A,30," + strings.Repeat("m", 1<<20) + ",1,fall,A,10,B,12\n",
		"bad/clinical-uems-999":    "patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\nP1,A,30,male,1,fall,A,999,B,12\n",
		"bad/clinical-one-patient": "patient_id,center,age,sex,days_to_surgery,cause,asia_admission,uems_admission,asia_1y,uems_1y\nP1,A,30,male,1,fall,A,10,B,12\n",
	}
	for _, name := range sortedKeys(cs) {
		rel := "coh/" + strings.ReplaceAll(name, "/", "_")
		c := g.write(rel+"/clinical.csv", []byte(cs[name]))
		m := g.write(rel+"/manifest.csv", man)
		g.add(name+"/table1", []string{c, m}, "table1", "-cohort", g.path(rel), "-o", filepath.Join(g.outDir(name+"/table1"), "t.csv"))
	}
}

// --- safetensors weights ---

func (g *gen) weights() {
	st := func(hdr string, data []byte) []byte {
		b := make([]byte, 8)
		le.PutUint64(b, uint64(len(hdr)))
		return append(append(b, hdr...), data...)
	}
	ws := map[string][]byte{
		"mem/weights-header-length-2^63": func() []byte { b := make([]byte, 16); le.PutUint64(b, 1<<63); return b }(),
		"mem/weights-header-length-1GB":  func() []byte { b := make([]byte, 16); le.PutUint64(b, 1<<30); return b }(),
		"mem/weights-shape-2^40":         st(`{"conv1.weight":{"dtype":"F32","shape":[1048576,1048576],"data_offsets":[0,16]}}`, make([]byte, 16)),
		"mem/weights-shape-overflow":     st(`{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}}`, make([]byte, 16)),
		"bad/weights-dtype-unknown":      st(`{"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}`, make([]byte, 2)),
		"bad/weights-offsets-outside":    st(`{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,1000000]}}`, make([]byte, 16)),
		"bad/weights-not-json":           st("{not json", nil),
		"bad/weights-empty":              nil,
		"bad/weights-missing-tensors":    st(`{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, make([]byte, 16)),
	}
	m := filepath.Join(g.cohort, "manifest.csv")
	for _, name := range sortedKeys(ws) {
		p := g.write("misc/"+strings.ReplaceAll(name, "/", "_")+".safetensors", ws[name])
		g.add(name+"/embed", []string{p, g.img}, "embed", "-arch", "resnet18", "-weights", p, "-image", g.img, "-slice", "3", "-o", filepath.Join(g.outDir(name+"/embed"), "e.csv"))
		g.add(name+"/deep", []string{p, m}, "deep", "-manifest", m, "-weights", p, "-epochs", "1", "-o", filepath.Join(g.outDir(name+"/deep"), "d.csv"))
	}
	fifo := g.path("misc/fifo.safetensors")
	g.check(syscall.Mkfifo(fifo, 0o644))
	g.add("mem/weights-fifo/embed", []string{g.img}, "embed", "-weights", fifo, "-image", g.img, "-slice", "3")
	// Other inputs that are FIFOs, devices or folders.
	ff := g.path("misc/fifo.csv")
	g.check(syscall.Mkfifo(ff, 0o644))
	g.add("mem/table-fifo/select", nil, "select", "-in", ff, "-o", filepath.Join(g.outDir("mem/table-fifo/select"), "s.csv"))
	g.add("mem/table-dev-zero/harmonize", nil, "harmonize", "-in", "/dev/zero", "-o", filepath.Join(g.outDir("mem/table-dev-zero/harmonize"), "h.csv"))
	g.add("mem/params-fifo/features", []string{g.img, g.mask}, "features", "-image", g.img, "-mask", g.mask, "-params", ff)
	g.add("mem/bundle-dev-zero/predict", []string{g.img, g.mask}, "predict", "-bundle", "/dev/zero", "-image", g.img, "-mask", g.mask, "-center", "A")
	g.add("mem/manifest-fifo/extract", nil, "extract", "-manifest", ff, "-o", filepath.Join(g.outDir("mem/manifest-fifo/extract"), "r.csv"))
	g.add("bad/evaluate-folder/evaluate", nil, "evaluate", "-in", g.dir)
}

// --- outputs over inputs ---

func (g *gen) outputs() {
	l := func(rel string) string { return g.path("lnk/" + rel) }
	// A folder that is a link to the image folder, links to inputs, hard links.
	g.check(os.Symlink(g.path("img"), l("imgdir")))
	g.check(os.Symlink(g.path("tab"), l("tabdir")))
	g.check(os.Symlink(g.path("bun"), l("bundir")))
	g.check(os.Symlink(g.img, l("img.csv")))
	g.check(os.Symlink(g.mask, l("mask.csv")))
	g.check(os.Symlink(g.table, l("table.csv")))
	g.check(os.Symlink(g.preds, l("preds.csv")))
	g.check(os.Link(g.table, l("table_hard.csv")))
	// A cohort whose manifest is named like extract's derived output, and
	// one whose files sit where preprocess and run write.
	coh := g.makeCohort("lnk/coh", "", "", g.mask2)
	man := filepath.Join(coh, "manifest.csv")
	clin := filepath.Join(coh, "clinical.csv")
	derived := g.write("lnk/coh/r_rater2.csv", mustRead(man))
	g.check(os.Symlink(g.img, l("coh/r.csv.resume")))
	g.write("lnk/prep/original.nii.gz", mustRead(g.img))
	g.check(os.Symlink(l("prep"), l("prepdir")))
	params := g.write("lnk/params.yaml", []byte("setting:\n  binWidth: 25\n"))
	g.check(os.Symlink(g.path("lnk"), l("self")))
	weights := g.write("lnk/w.safetensors", []byte("x"))
	cohIns := []string{man, clin, g.img, g.mask, g.mask2}

	o := func(name string, ins []string, args ...string) { g.add("out/"+name, ins, args...) }
	o("features-o-is-image", []string{g.img, g.mask}, "features", "-image", g.img, "-mask", g.mask, "-o", g.img)
	o("features-o-link-to-mask", []string{g.img, g.mask}, "features", "-image", g.img, "-mask", g.mask, "-o", l("mask.csv"))
	o("features-o-through-linked-folder", []string{g.img, g.mask}, "features", "-image", g.img, "-mask", g.mask, "-o", l("imgdir/valid.nii"))
	o("features-o-params-via-self-link", []string{g.img, g.mask, params}, "features", "-image", g.img, "-mask", g.mask, "-params", params, "-o", l("self/self/params.yaml"))
	o("features-o-dev-null", []string{g.img, g.mask}, "features", "-image", g.img, "-mask", g.mask, "-o", "/dev/null")
	o("preprocess-out-holds-image", []string{l("prep/original.nii.gz"), g.mask}, "preprocess", "-image", l("prep/original.nii.gz"), "-mask", g.mask, "-out", l("prepdir"))
	mapsImg := g.write("lnk/maps/original_firstorder_Mean.nii.gz", gz(g.base))
	o("maps-out-holds-image", []string{mapsImg, g.mask}, "maps", "-image", mapsImg, "-mask", g.mask, "-features", "firstorder_Mean", "-out", l("maps"))
	o("convert-o-is-image", []string{g.img}, "convert", "-image", g.img, "-o", l("imgdir/valid.nii"))
	o("convert-mask-out-link-to-mask", []string{g.img, g.mask}, "convert", "-image", g.img, "-mask", g.mask, "-o", filepath.Join(g.outDir("out/conv"), "i.nii.gz"), "-mask-out", l("mask.csv"))
	o("table1-o-is-clinical", cohIns, "table1", "-cohort", coh, "-o", clin)
	o("table1-html-link-to-manifest", cohIns, "table1", "-cohort", l("self/coh"), "-html", man)
	o("table1-o-equals-html", cohIns, "table1", "-cohort", coh, "-o", filepath.Join(g.outDir("out/t1"), "t.csv"), "-html", filepath.Join(g.outDir("out/t1"), "t.csv"))
	o("extract-derived-rater2-is-input", append(cohIns, derived), "extract", "-manifest", derived, "-q", "-o", l("coh/r.csv"))
	o("extract-resume-link-to-image", cohIns, "extract", "-manifest", man, "-q", "-o", l("coh/r.csv"))
	o("extract-o-is-mask-via-link", cohIns, "extract", "-manifest", man, "-q", "-o", l("imgdir/valid_mask.nii"))
	o("deep-o-is-manifest", cohIns, "deep", "-manifest", man, "-epochs", "1", "-o", l("self/coh/manifest.csv"))
	o("deep-o-is-image", cohIns, "deep", "-manifest", man, "-epochs", "1", "-o", l("img.csv"))
	o("embed-o-is-weights", []string{weights, g.img}, "embed", "-weights", weights, "-image", g.img, "-o", weights)
	o("harmonize-o-is-fit-via-link", []string{g.table}, "harmonize", "-in", g.table, "-fit", g.table, "-o", l("table.csv"))
	o("harmonize-o-hard-link", []string{g.table}, "harmonize", "-in", g.table, "-o", l("table_hard.csv"))
	o("select-apply-o-is-in", []string{g.table}, "select", "-in", g.table, "-signature", "features", "-o", filepath.Join(g.outDir("out/sel"), "s.csv"), "-apply", g.table, "-apply-o", l("tabdir/valid.csv"))
	o("select-figures-equals-o", []string{g.table}, "select", "-in", g.table, "-signature", "features", "-o", filepath.Join(g.outDir("out/sel2"), "s.csv"), "-figures", filepath.Join(g.outDir("out/sel2"), "s.csv"))
	o("classify-save-is-test", []string{g.table}, "classify", "-train", g.table, "-test", g.table, "-label", "outcome", "-model", "lr", "-o", filepath.Join(g.outDir("out/cls"), "c.csv"), "-save", l("tabdir/valid.csv"))
	o("classify-o-equals-save", []string{g.table}, "classify", "-train", g.table, "-test", g.table, "-label", "outcome", "-model", "lr", "-o", filepath.Join(g.outDir("out/cls2"), "c.csv"), "-save", filepath.Join(g.outDir("out/cls2"), "c.csv"))
	o("evaluate-o-link-to-train", []string{g.preds}, "evaluate", "-in", g.preds, "-train", g.preds, "-o", l("preds.csv"))
	o("predict-o-is-bundle-via-linked-folder", []string{g.bundle, g.img, g.mask}, "predict", "-bundle", g.bundle, "-image", g.img, "-mask", g.mask, "-center", "A", "-o", l("bundir/valid.json"))
	o("run-out-is-image-folder", cohIns, "run", "-cohort", coh, "-archs", "none", "-out", g.path("img"))
	o("run-out-is-cohort-via-link", cohIns, "run", "-cohort", coh, "-archs", "none", "-out", l("self/coh"))
	o("synth-out-is-a-table", []string{g.table}, "synth", "-out", l("table.csv"))
}

func mustRead(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}

// --- error size: inputs whose text would be echoed ---

func (g *gen) errorSize() {
	// One argument may hold at most 128 KiB (Linux's MAX_ARG_STRLEN).
	long := strings.Repeat("x", 120<<10)
	g.add("err/features-long-image-path", nil, "features", "-image", g.path("img/"+long[:200]+".nii"), "-mask", g.mask)
	g.add("err/flag-120KB-value", nil, "select", "-in", g.table, "-alpha", long)
	g.add("err/flag-100KB-unknown", nil, "select", "-"+long[:100000])
	g.add("err/evaluate-120KB-score-column", []string{g.preds}, "evaluate", "-in", g.preds, "-score", long)
	g.add("err/harmonize-120KB-covariate", []string{g.table}, "harmonize", "-in", g.table, "-covariates", long, "-o", filepath.Join(g.outDir("err/harmonize-120KB-covariate"), "h.csv"))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
