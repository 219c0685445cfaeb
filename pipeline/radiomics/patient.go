package radiomics

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/internal/progress"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/radiomics/feature"
	"github.com/scirad/scirad/pipeline/radiomics/icc"
	"github.com/scirad/scirad/pipeline/radiomics/shape"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// ROISpec names one ROI of the label map: its column prefix and label.
type ROISpec struct {
	Name  string
	Label int
}

// PaperROIs are SPEC.md's two ROIs: the injured cord (label 1) and the rest
// of the cord (label 2).
var PaperROIs = []ROISpec{{"lesion", 1}, {"cord", 2}}

// CohortSettings configure ExtractCohort.
type CohortSettings struct {
	// Preprocess makes the five images (original, mean, box, gaussian,
	// median) of each patient.
	Preprocess preprocess.Settings
	// Features are the extraction settings; Label is replaced by each ROI's.
	Features Settings
	// ROIs are the regions extracted; nil means PaperROIs.
	ROIs []ROISpec
}

// PaperCohortSettings is the paper profile: preprocess.Paper() ([0,1]
// normalisation, 1 mm resampling, the four filters) and a fixed bin count of
// 32 (SPEC.md: a bin width of 25 would leave one grey level on [0,1]
// images).
func PaperCohortSettings() CohortSettings {
	return CohortSettings{Preprocess: preprocess.Paper(), Features: Settings{BinCount: 32}}
}

func (cs CohortSettings) rois() []ROISpec {
	if len(cs.ROIs) == 0 {
		return PaperROIs
	}
	return cs.ROIs
}

// Hash identifies the settings: rows written with another hash are not
// reused by a resumed extraction.
func (cs CohortSettings) Hash() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%+v|%v", cs.Features.Hash(), cs.Preprocess, cs.rois()))
	return hex.EncodeToString(sum[:8])
}

// Columns returns the feature columns ExtractCohort writes, in order:
// {roi}_{image}_{class}_{Feature} for each ROI, image and registered
// feature.
func (cs CohortSettings) Columns() []string {
	var out []string
	for _, r := range cs.rois() {
		for _, img := range preprocess.ImageNames {
			for _, d := range enabledDefs(cs.Features) {
				out = append(out, r.Name+"_"+img+"_"+d.Key())
			}
		}
	}
	return out
}

// enabledDefs lists the features s computes, in output order.
func enabledDefs(s Settings) []feature.Def {
	var out []feature.Def
	enabled := s.EnabledClasses()
	for _, f := range families() {
		if !slices.Contains(enabled, f.class) {
			continue
		}
		for _, d := range f.registry() {
			if want := s.Features[f.class]; want == nil || slices.Contains(want, d.Name) {
				out = append(out, d)
			}
		}
	}
	return out
}

// CohortOptions control how ExtractCohort runs; none changes the values.
type CohortOptions struct {
	// Workers is the number of patients processed at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if not nil, receives a one-line progress bar, redrawn with
	// '\r' as patients finish.
	Progress io.Writer
	// Resume, if not empty, is a sidecar CSV: rows already there with the
	// same settings hash and the same input files (path, size, modification
	// time) are reused instead of recomputed, and each finished patient is
	// appended at once, so an interrupted run loses at most the patients in
	// flight.
	Resume string
	// ReadImage and ReadLabelMap read the manifest's files; nil means
	// volio.ReadImage and volio.ReadLabelMap (NIfTI, NRRD, Slicer .seg.nrrd).
	ReadImage, ReadLabelMap func(path string) (*volume.Volume, error)
}

// CohortResult is the output of ExtractCohort.
type CohortResult struct {
	// Features has one row per patient (manifest order), the center as
	// metadata and Columns() as features, from the rater-1 masks.
	Features *table.Table
	// Rater2 is the same from the mask_rater2 masks, for the patients that
	// have one; nil when none has.
	Rater2 *table.Table
	// Reused counts the patient rows taken from the resume file.
	Reused int
}

// Reliability returns each feature's inter-rater ICC between Features and
// Rater2 (package icc; the paper's step: features with ICC(2,1) < 0.75 are
// flagged). It is an error when no patient has a rater-2 mask.
func (r *CohortResult) Reliability(o icc.Options) ([]icc.Feature, error) {
	if r.Rater2 == nil {
		return nil, errors.New("radiomics: no patient has a mask_rater2; the ICC needs two raters")
	}
	return icc.Features(r.Features, r.Rater2, o)
}

// ExtractCohort extracts every patient of a manifest: for each, it reads the
// image and mask, runs preprocess.Run, and extracts each ROI of each of the
// five images (ExtractImages). Patients run in parallel. A patient whose
// extraction fails makes ExtractCohort return an error naming every failed
// patient; with Resume set, the patients that succeeded are kept for the
// next run. Cancelling ctx stops before the next patient.
func ExtractCohort(ctx context.Context, rows []cohort.ManifestEntry, cs CohortSettings, o CohortOptions) (*CohortResult, error) {
	if err := cs.Features.Validate(); err != nil {
		return nil, err
	}
	if len(cs.Features.ResampledPixelSpacing) > 0 {
		return nil, errors.New("radiomics: resampledPixelSpacing in the params: the cohort's resampling is set by the preprocess settings")
	}
	if len(rows) == 0 {
		return nil, errors.New("radiomics: the manifest has no patient")
	}
	if o.ReadImage == nil {
		o.ReadImage = volio.ReadImage
	}
	if o.ReadLabelMap == nil {
		o.ReadLabelMap = volio.ReadLabelMap
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cols := cs.Columns()
	hash := cs.Hash()

	type job struct {
		row   int
		rater int // 1 or 2
		mask  string
		key   string // resume key
	}
	var jobs []job
	for i, r := range rows {
		jobs = append(jobs, job{i, 1, r.Mask, inputKey(r.ID, 1, r.Image, r.Mask)})
		if r.Mask2 != "" {
			jobs = append(jobs, job{i, 2, r.Mask2, inputKey(r.ID, 2, r.Image, r.Mask2)})
		}
	}
	done := map[string][]float64{}
	var side *sidecar
	if o.Resume != "" {
		var err error
		if done, err = readSidecar(o.Resume, hash, cols); err != nil {
			return nil, err
		}
		if side, err = openSidecar(o.Resume, hash, cols, len(done) > 0); err != nil {
			return nil, err
		}
		defer side.close()
	}
	results := make([][]float64, len(jobs))
	reused := 0
	// One task per patient, so the image is read once for both raters.
	var todo [][]int
	for j, jb := range jobs {
		if v, ok := done[jb.key]; ok {
			results[j] = v
			reused++
			continue
		}
		if n := len(todo); n > 0 && jobs[todo[n-1][0]].row == jb.row {
			todo[n-1] = append(todo[n-1], j)
		} else {
			todo = append(todo, []int{j})
		}
	}
	bar := progress.New(o.Progress, "extract", len(jobs))
	bar.Add(reused, "")
	errs := make([]error, len(jobs))
	next := make(chan []int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, max(1, len(todo))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for task := range next {
				row := rows[jobs[task[0]].row]
				img, readErr := o.ReadImage(row.Image)
				for _, j := range task {
					jb := jobs[j]
					var vals []float64
					err := readErr
					if err == nil {
						vals, err = extractPatient(img, jb.mask, cs, o)
					}
					if err == nil && side != nil {
						err = side.append(jb.key, vals)
					}
					if err != nil {
						errs[j] = fmt.Errorf("patient %s (rater %d): %w", row.ID, jb.rater, err)
					} else {
						results[j] = vals
					}
					bar.Step()
				}
			}
		}()
	}
feed:
	for _, j := range todo {
		select {
		case <-ctx.Done():
			break feed
		case next <- j: // j: the jobs of one patient
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var failed []string
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("radiomics: %d of %d extractions failed:\n  %s", len(failed), len(jobs), strings.Join(failed, "\n  "))
	}
	res := &CohortResult{Reused: reused}
	for rater := 1; rater <= 2; rater++ {
		t := &table.Table{IDName: "patient_id", MetaName: []string{"center"}, Meta: [][]string{nil}, Names: cols}
		for j, jb := range jobs {
			if jb.rater != rater {
				continue
			}
			t.IDs = append(t.IDs, rows[jb.row].ID)
			t.Meta[0] = append(t.Meta[0], rows[jb.row].Center)
			t.X = append(t.X, results[j])
		}
		if rater == 1 {
			res.Features = t
		} else if t.Rows() > 0 {
			res.Rater2 = t
		}
	}
	return res, nil
}

// extractPatient preprocesses and extracts one patient's image with one mask.
func extractPatient(img *volume.Volume, maskPath string, cs CohortSettings, o CohortOptions) ([]float64, error) {
	mask, err := o.ReadLabelMap(maskPath)
	if err != nil {
		return nil, err
	}
	pre, err := preprocess.Run(img, mask, cs.Preprocess)
	if err != nil {
		return nil, err
	}
	return ExtractImages(pre, cs)
}

// ExtractImages extracts every ROI of every preprocessed image, in
// CohortSettings.Columns order, on one goroutine. The ROI is prepared once
// per label and the shape features, which depend on the mask only, are
// computed once per ROI and repeated for each image (the paper extracted
// each filtered image as an "original" image, so shape repeats).
func ExtractImages(pre *preprocess.Result, cs CohortSettings) ([]float64, error) {
	return ExtractImagesParallel(pre, cs, 1)
}

// ExtractImagesParallel is ExtractImages with the ROI × image extractions
// spread over up to workers goroutines (for one patient on many cores;
// ExtractCohort parallelises over patients instead). The values do not
// depend on workers.
func ExtractImagesParallel(pre *preprocess.Result, cs CohortSettings, workers int) ([]float64, error) {
	if len(pre.Images) != len(preprocess.ImageNames) {
		return nil, fmt.Errorf("radiomics: preprocess gave %d images, want %d", len(pre.Images), len(preprocess.ImageNames))
	}
	for i, name := range pre.Names {
		if name != preprocess.ImageNames[i] {
			return nil, fmt.Errorf("radiomics: preprocess image %d is %q, want %q", i, name, preprocess.ImageNames[i])
		}
	}
	images := pre.Images
	if cs.Features.Normalize {
		// As pyradiomics, which would z-score each of these images when
		// extracted as an "original" image.
		images = make([]*volume.Volume, len(pre.Images))
		for i, im := range pre.Images {
			var err error
			if images[i], err = normalizeImage(im, cs.Features); err != nil {
				return nil, fmt.Errorf("%s image: %w", pre.Names[i], err)
			}
		}
	}
	rois := cs.rois()
	per := len(enabledDefs(cs.Features))
	nimg := len(images)
	out := make([]float64, len(rois)*nimg*per)
	type task struct{ r, i int }
	var tasks []task
	prepared := make([]*ROI, len(rois))
	shapes := make([][]feature.Value, len(rois))
	settings := make([]Settings, len(rois))
	withShape := slices.Contains(cs.Features.EnabledClasses(), "shape")
	for r, spec := range rois {
		s := cs.Features
		s.Label = spec.Label
		settings[r] = s
		roi, err := PrepareROI(images[0], pre.Mask, s)
		if err != nil {
			return nil, fmt.Errorf("%s ROI: %w", spec.Name, err)
		}
		prepared[r] = roi
		if withShape {
			if shapes[r], err = shapeOf(roi, s); err != nil {
				return nil, fmt.Errorf("%s ROI: %w", spec.Name, err)
			}
		}
		for i := range nimg {
			tasks = append(tasks, task{r, i})
		}
	}
	run := func(t task) error {
		roi, s := prepared[t.r], settings[t.r]
		if t.i > 0 {
			roi = &ROI{Image: images[t.i].Crop(roi.Box), Mask: roi.Mask, Box: roi.Box, N: roi.N}
			if err := roi.checkFinite(); err != nil {
				return err
			}
		}
		d, err := roi.Bin(s)
		if err != nil {
			return err
		}
		noShape := s
		noShape.Classes = slices.DeleteFunc(s.EnabledClasses(), func(c string) bool { return c == "shape" })
		vals, err := ExtractDiscretized(d, noShape)
		if err != nil {
			return err
		}
		// Shape goes where Registry order has it: after first order.
		k := slices.IndexFunc(vals, func(v feature.Value) bool { return v.Class != "firstorder" })
		if k < 0 {
			k = len(vals)
		}
		vals = slices.Concat(vals[:k], shapes[t.r], vals[k:])
		if len(vals) != per {
			return fmt.Errorf("radiomics: %d values, want %d", len(vals), per)
		}
		off := (t.r*nimg + t.i) * per
		for j, v := range vals {
			out[off+j] = v.Value
		}
		return nil
	}
	errs := make([]error, len(tasks))
	if workers <= 1 {
		for k, t := range tasks {
			errs[k] = run(t)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(workers, len(tasks)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range next {
					errs[k] = run(tasks[k])
				}
			}()
		}
		for k := range tasks {
			next <- k
		}
		close(next)
		wg.Wait()
	}
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s ROI, %s image: %w", rois[tasks[k].r].Name, pre.Names[tasks[k].i], err)
		}
	}
	return out, nil
}

// shapeOf computes the enabled shape features of an ROI.
func shapeOf(roi *ROI, s Settings) ([]feature.Value, error) {
	vals, err := shape.Compute(roi.Mask, roi.Image.Dims, roi.Image.Spacing)
	if err != nil {
		return nil, err
	}
	if want := s.Features["shape"]; want != nil {
		return selectFeatures(vals, "shape", want)
	}
	return vals, nil
}

func (r *ROI) checkFinite() error {
	for i, in := range r.Mask {
		if in && !isFinite(r.Image.Data[i]) {
			return fmt.Errorf("radiomics: intensity %g inside the ROI: intensities must be finite", r.Image.Data[i])
		}
	}
	return nil
}

func isFinite(x float64) bool { return x-x == 0 }

// inputKey identifies a patient's inputs: id, rater, and each file's path,
// size and modification time.
func inputKey(id string, rater int, paths ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d", id, rater)
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "|%s|%d|%d", p, st.Size(), st.ModTime().UnixNano())
		} else {
			fmt.Fprintf(h, "|%s|?", p)
		}
	}
	return id + "/" + strconv.Itoa(rater) + "/" + hex.EncodeToString(h.Sum(nil)[:8])
}

// The resume sidecar is a CSV: a comment line "# scirad extract <hash>",
// a header "key,<columns…>", then one row per finished extraction.
const sidecarMagic = "# scirad extract "

func readSidecar(path, hash string, cols []string) (map[string][]float64, error) {
	out := map[string][]float64{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	first, err := br.ReadString('\n')
	if err != nil || strings.TrimSpace(first) != sidecarMagic+hash {
		return out, nil // other settings or unreadable: start afresh
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil || !slices.Equal(head[1:], cols) {
		return map[string][]float64{}, nil
	}
	for {
		rec, err := cr.Read()
		if err != nil {
			break // EOF, or a row cut short by an interruption: recompute it
		}
		if len(rec) != len(cols)+1 {
			continue
		}
		vals := make([]float64, len(cols))
		ok := true
		for i, s := range rec[1:] {
			if vals[i], err = strconv.ParseFloat(s, 64); err != nil {
				ok = false
				break
			}
		}
		if ok {
			out[rec[0]] = vals
		}
	}
	return out, nil
}

type sidecar struct {
	mu sync.Mutex
	f  *os.File
}

// openSidecar opens the resume file for appending; it starts a new file
// (header included) unless keep says the existing one matches.
func openSidecar(path, hash string, cols []string, keep bool) (*sidecar, error) {
	if keep {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		// A row cut short by an interruption has no newline: end it so the
		// next row starts on a line of its own (readSidecar skips it).
		if st, err := f.Stat(); err == nil && st.Size() > 0 {
			last := make([]byte, 1)
			if r, err := os.Open(path); err == nil {
				r.ReadAt(last, st.Size()-1)
				r.Close()
				if last[0] != '\n' {
					f.WriteString("\n")
				}
			}
		}
		return &sidecar{f: f}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	fmt.Fprintln(f, sidecarMagic+hash)
	w.Write(append([]string{"key"}, cols...))
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return nil, err
	}
	return &sidecar{f: f}, nil
}

func (s *sidecar) append(key string, vals []float64) error {
	rec := make([]string, 1+len(vals))
	rec[0] = key
	for i, v := range vals {
		rec[i+1] = table.FormatFloat(v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := csv.NewWriter(s.f)
	w.Write(rec)
	w.Flush()
	return w.Error()
}

func (s *sidecar) close() { s.f.Close() }
