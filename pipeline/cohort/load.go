package cohort

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// Cohort is a loaded, validated cohort folder.
type Cohort struct {
	Dir      string    // absolute path of the cohort folder
	Patients []Patient // in clinical.csv order
	Outcome  Outcome   // derived from the UEMS columns by the paper's rule
}

// Options control Load. The zero value checks everything with package
// volio's readers (NIfTI, NRRD, Slicer .seg.nrrd).
type Options struct {
	// SkipImages checks that the manifest's files exist but does not read
	// them; Table 1 needs no image.
	SkipImages bool
	// ReadImage reads an image; nil means volio.ReadImage.
	ReadImage func(path string) (*volume.Volume, error)
	// ReadLabelMap reads a mask, which must then lie on its image's grid;
	// nil means volio.ReadLabelMapOn the image's grid, which also accepts
	// a segmentation cropped to a sub-box of the image, as 3D Slicer
	// saves them.
	ReadLabelMap func(path string) (*volume.Volume, error)
}

// Load reads dir/clinical.csv and dir/manifest.csv and validates them with
// the default options: see LoadOptions.
func Load(dir string) (*Cohort, error) { return LoadOptions(dir, nil) }

// LoadOptions reads and validates a cohort folder:
//   - both CSVs have their columns, numbers are finite and in range, and
//     categories are known (ReadClinical, ReadManifest);
//   - the same patient ids appear in both files, each once, with the same
//     centre;
//   - every image and mask file exists, and unless o.SkipImages, each mask
//     lies on its image's grid (volume.DefaultTolerance), holds only labels
//     0, 1 and 2, and has both label 1 (injured cord) and label 2 (rest of
//     the cord);
//   - the outcome can be derived (two classes).
//
// Every error lists all the patients it concerns.
func LoadOptions(dir string, o *Options) (*Cohort, error) {
	var opt Options
	if o != nil {
		opt = *o
	}
	if opt.ReadImage == nil {
		opt.ReadImage = volio.ReadImage
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	clinPath := filepath.Join(abs, "clinical.csv")
	manPath := filepath.Join(abs, "manifest.csv")
	ps, err := ReadClinical(clinPath)
	if err != nil {
		return nil, err
	}
	es, err := ReadManifest(manPath)
	if err != nil {
		return nil, err
	}
	if err := match(ps, es); err != nil {
		return nil, err
	}
	if !opt.SkipImages {
		if err := checkImages(manPath, es, opt); err != nil {
			return nil, err
		}
	}
	out, err := DeriveOutcome(ps)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", clinPath, err)
	}
	return &Cohort{Dir: abs, Patients: ps, Outcome: out}, nil
}

// match joins the manifest into ps, requiring the same id set and centres.
func match(ps []Patient, es []ManifestEntry) error {
	byID := make(map[string]ManifestEntry, len(es))
	for _, e := range es {
		byID[e.ID] = e
	}
	var p problems
	inClin := make(map[string]bool, len(ps))
	var noImage []string
	for i := range ps {
		inClin[ps[i].ID] = true
		e, ok := byID[ps[i].ID]
		if !ok {
			noImage = append(noImage, ps[i].ID)
			continue
		}
		if e.Center != ps[i].Center {
			p.add("centre differs between clinical.csv and manifest.csv",
				fmt.Sprintf("%s (%q vs %q)", ps[i].ID, ps[i].Center, e.Center))
		}
		ps[i].Image, ps[i].Mask, ps[i].Mask2 = e.Image, e.Mask, e.Mask2
	}
	var noClin []string
	for _, e := range es {
		if !inClin[e.ID] {
			noClin = append(noClin, e.ID)
		}
	}
	for _, id := range sortedIDs(noImage) {
		p.add("patients in clinical.csv without a manifest.csv row (no images)", id)
	}
	for _, id := range sortedIDs(noClin) {
		p.add("patients in manifest.csv without a clinical.csv row", id)
	}
	return p.err("cohort")
}

// checkImages reads every image and mask and checks grids and labels.
func checkImages(manPath string, es []ManifestEntry, o Options) error {
	var p problems
	for _, e := range es {
		img, err := o.ReadImage(e.Image)
		if err != nil {
			p.add("unreadable image", fmt.Sprintf("%s (%v)", e.ID, err))
			continue
		}
		if err := img.CheckFinite(); err != nil {
			p.add("image with NaN or Inf", fmt.Sprintf("%s (%v)", e.ID, err))
		}
		masks := []struct{ col, path string }{{"mask", e.Mask}, {"mask_rater2", e.Mask2}}
		for _, m := range masks {
			if m.path == "" {
				continue
			}
			read := o.ReadLabelMap
			if read == nil {
				read = volio.ReadLabelMap
			}
			lm, err := read(m.path)
			if err != nil {
				p.add("unreadable "+m.col, fmt.Sprintf("%s (%v)", e.ID, err))
				continue
			}
			if err := img.SameGrid(lm.Grid, volume.DefaultTolerance); err != nil {
				padded, perr := volio.ReadLabelMapOn(m.path, img.Grid)
				if o.ReadLabelMap != nil || perr != nil {
					p.add(m.col+" not on the image grid", fmt.Sprintf("%s (%v)", e.ID, err))
					continue
				}
				lm = padded // a cropped segmentation, padded to the image
			}
			if msg := labelProblem(lm); msg != "" {
				p.add(m.col+": "+msg, e.ID)
			}
		}
	}
	return p.err(manPath)
}

// labelProblem says what is wrong with a two-label mask, or "".
func labelProblem(lm *volume.Volume) string {
	var n [3]int
	var other []string
	seen := map[float64]bool{}
	for _, x := range lm.Data {
		switch x {
		case 0, 1, 2:
			n[int(x)]++
		default:
			if !seen[x] && len(other) < 5 {
				other = append(other, fmt.Sprint(x))
			}
			seen[x] = true
		}
	}
	var msgs []string
	if len(other) > 0 {
		msgs = append(msgs, "unknown label value(s) "+strings.Join(other, ", ")+" (expected 0, 1, 2)")
	}
	if n[1] == 0 {
		msgs = append(msgs, "no voxel with label 1 (injured cord)")
	}
	if n[2] == 0 {
		msgs = append(msgs, "no voxel with label 2 (rest of the cord)")
	}
	return strings.Join(msgs, " and ")
}

// Labels are the outcome labels in patient order: 1 good prognosis, 0 poor.
func (c *Cohort) Labels() []int { return append([]int(nil), c.Outcome.Labels...) }

// Manifest is the cohort's manifest in patient order, with absolute
// paths, for the feature stages (batch.ExtractCohort, deep).
func (c *Cohort) Manifest() []ManifestEntry {
	es := make([]ManifestEntry, len(c.Patients))
	for i, p := range c.Patients {
		es[i] = ManifestEntry{ID: p.ID, Center: p.Center, Image: p.Image, Mask: p.Mask, Mask2: p.Mask2}
	}
	return es
}

// IDs are the patient ids in order.
func (c *Cohort) IDs() []string {
	ids := make([]string, len(c.Patients))
	for i, p := range c.Patients {
		ids[i] = p.ID
	}
	return ids
}

// Centers are the patients' centres in order.
func (c *Cohort) Centers() []string {
	cs := make([]string, len(c.Patients))
	for i, p := range c.Patients {
		cs[i] = p.Center
	}
	return cs
}

func dirOf(path string) string { return filepath.Dir(path) }

func resolve(dir, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
