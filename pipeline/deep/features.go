package deep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/gomlx/compute"
	"github.com/scirad/scirad/pipeline/filter/gallery"
	"github.com/scirad/scirad/pipeline/preprocess"
	"github.com/scirad/scirad/pipeline/table"
	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// Patient is one patient's input to the deep stage: the preprocessed
// images (preprocess.Result.Images, in Config.Images order: the paper's
// five, preprocess.ImageNames, by default) and the label map on their
// grid.
type Patient struct {
	ID     string
	Images []*volume.Volume
	Mask   *volume.Volume
}

// Config configures Features. QuickConfig and PaperConfig give the profiles.
type Config struct {
	// Arch is "resnet18", "resnet34" or "resnet152".
	Arch string
	// Size is the side of the square network input (224 in the paper).
	Size int
	// Train holds the optimisation settings (zero values: the paper's).
	Train TrainConfig
	// Components is the number of principal components per image; 0 = 32.
	Components int
	// SliceAxis is the slicing axis (0, 1, 2), or −1 for the sagittal axis
	// (volume.SliceAxis).
	SliceAxis int
	// Weights, when not nil, initialise every backbone (torchvision names,
	// e.g. ImageNet weights read with ReadSafetensors); nil trains from
	// scratch, which Features says on its progress writer.
	Weights map[string]Tensor
	// InferBatch is the batch size for feature extraction; 0 = 16.
	InferBatch int
	// KeepModels lists the image channels whose trained networks Result
	// keeps (for Grad-CAM); nil keeps all. A ResNet152 is 240 MB of
	// weights, so keeping one instead of five bounds a run's memory.
	KeepModels []int
	// Images names the patients' images, one network each, in order: nil
	// is the paper's five (preprocess.ImageNames); with other filters,
	// gallery.ImageNames of them (LoadPatientImages).
	Images []string
}

// PaperConfig is the paper's setting: 224 × 224 slices, batch 64, SGD lr
// 0.01 with momentum 0.9, 50 epochs, cosine annealing, augmentation by shifts
// up to 10 %, rotations up to 15° and horizontal flips.
func PaperConfig(arch string) Config {
	return Config{Arch: arch, Size: 224, SliceAxis: -1, Components: 32,
		Train: TrainConfig{Epochs: 50, BatchSize: 64, LR: 0.01, Momentum: 0.9, Seed: 1,
			Augment: Augment{MaxShift: 0.1, MaxRotate: 15, Flip: true}}}
}

// QuickConfig is the CPU profile: 32 × 32 slices and 3 epochs (batch 16),
// everything else as the paper, so that three depths × five images of the
// toy cohort train in minutes on two cores.
func QuickConfig(arch string) Config {
	c := PaperConfig(arch)
	c.Size, c.Train.Epochs, c.Train.BatchSize = 32, 3, 16
	return c
}

// Result is what Features computed.
type Result struct {
	// Table has one row per patient and Components columns per image,
	// named {arch}_{image}_pc{NN}.
	Table *table.Table
	// Images names the image channels, in column order.
	Images []string
	// Models[c] is the network trained on image c (nil for a channel not
	// in Config.KeepModels).
	Models []*Params
	// PCA[c] is the projection of image c's pooled features.
	PCA []*PCA
	// Inputs[c][p] is patient p's resized grey slice of image c, in [0, 1].
	Inputs [][]Image
	// Native[c][p] is the same slice on its own grid (before resizing).
	Native [][]Image
	// Slice[p] is the axis and index of patient p's slice.
	Slice [][2]int
	// Losses[c] is the mean training loss per epoch of model c.
	Losses [][]float64
}

// Features trains one network per image channel on the training patients
// (train[i], with outcome labels[i] ∈ {0, 1}), extracts the pooled features
// of every patient with it and reduces them by PCA fitted on the training
// patients only. Progress (one line per epoch) goes to progress; nil is
// silent. The backend b is used for every graph.
func Features(ctx context.Context, b compute.Backend, patients []Patient, labels []int, train []bool, cfg Config, progress io.Writer) (*Result, error) {
	if progress == nil {
		progress = io.Discard
	}
	arch, err := ArchByName(cfg.Arch)
	if err != nil {
		return nil, err
	}
	if cfg.Components == 0 {
		cfg.Components = 32
	}
	if cfg.InferBatch == 0 {
		cfg.InferBatch = 16
	}
	if err := CheckSize(cfg.Size, cfg.Size); err != nil {
		return nil, err
	}
	if len(patients) == 0 {
		return nil, errors.New("deep: no patients")
	}
	if len(labels) != len(patients) || len(train) != len(patients) {
		return nil, fmt.Errorf("deep: %d patients, %d labels, %d split flags", len(patients), len(labels), len(train))
	}
	var trainIdx []int
	seen := map[int]bool{}
	for i, t := range train {
		if !t {
			continue
		}
		if labels[i] != 0 && labels[i] != 1 {
			return nil, fmt.Errorf("deep: patient %s: label %d, want 0 or 1", patients[i].ID, labels[i])
		}
		trainIdx = append(trainIdx, i)
		seen[labels[i]] = true
	}
	if len(trainIdx) < 2 || len(seen) < 2 {
		return nil, fmt.Errorf("deep: the training split needs both classes and at least two patients (has %d patients, %d classes)", len(trainIdx), len(seen))
	}
	names := cfg.Images
	if len(names) == 0 {
		names = preprocess.ImageNames
	}
	res := &Result{Images: names, Inputs: make([][]Image, len(names)), Native: make([][]Image, len(names)),
		Slice: make([][2]int, len(patients))}
	for p, pt := range patients {
		if len(pt.Images) != len(names) {
			return nil, fmt.Errorf("deep: patient %s has %d images, want %d (%v)", pt.ID, len(pt.Images), len(names), names)
		}
		if pt.Mask == nil {
			return nil, fmt.Errorf("deep: patient %s has no mask", pt.ID)
		}
		axis := volume.SliceAxis(pt.Mask.Grid, cfg.SliceAxis)
		s, err := volume.LargestROISlice(pt.Mask, axis)
		if err != nil {
			return nil, fmt.Errorf("patient %s: %w", pt.ID, err)
		}
		res.Slice[p] = [2]int{axis, s}
		for c, img := range pt.Images {
			if err := img.SameGrid(pt.Mask.Grid, volume.DefaultTolerance); err != nil {
				return nil, fmt.Errorf("deep: patient %s image %s and mask: %w", pt.ID, names[c], err)
			}
			sl, err := ExtractSlice(img, axis, s).MinMax()
			if err != nil {
				return nil, fmt.Errorf("patient %s image %s: %w", pt.ID, names[c], err)
			}
			res.Native[c] = append(res.Native[c], sl)
			res.Inputs[c] = append(res.Inputs[c], sl.Resize(cfg.Size, cfg.Size))
		}
	}
	if cfg.Weights == nil {
		fmt.Fprintf(progress, "deep: WARNING: no weights file given: %s trains from scratch (random initialisation), not from ImageNet\n", arch.Name)
	}
	tr, err := NewTrainer(b, arch, 2, cfg.Train.Conv)
	if err != nil {
		return nil, err
	}
	tab := &table.Table{IDName: "patient_id"}
	for _, pt := range patients {
		tab.IDs = append(tab.IDs, pt.ID)
	}
	tab.X = make([][]float64, len(patients))
	trainLabels := make([]int, len(trainIdx))
	for j, i := range trainIdx {
		trainLabels[j] = labels[i]
	}
	for c, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		params := NewParams(arch, 2, cfg.Train.Seed+uint64(c))
		if cfg.Weights != nil {
			if err := params.LoadTorch(cfg.Weights, false); err != nil {
				return nil, err
			}
		}
		trainImgs := make([]Image, len(trainIdx))
		for j, i := range trainIdx {
			trainImgs[j] = res.Inputs[c][i]
		}
		tc := cfg.Train
		tc.Seed = cfg.Train.Seed + uint64(c)
		losses, err := tr.Train(params, trainImgs, trainLabels, tc, progress, fmt.Sprintf("%s %-8s", arch.Name, name))
		if err != nil {
			return nil, err
		}
		res.Losses = append(res.Losses, losses)
		res.Models = append(res.Models, params)
		model, err := NewModel(b, params, cfg.Train.Conv)
		if err != nil {
			return nil, err
		}
		x, err := ToBatch(res.Inputs[c])
		if err != nil {
			return nil, err
		}
		pooled, _, err := model.Forward(x, cfg.InferBatch)
		if err != nil {
			return nil, err
		}
		if cfg.KeepModels != nil && !slices.Contains(cfg.KeepModels, c) {
			res.Models[c] = nil
		}
		feats := make([][]float64, len(pooled))
		for i, row := range pooled {
			feats[i] = make([]float64, len(row))
			for j, v := range row {
				feats[i][j] = float64(v)
			}
		}
		trainFeats := make([][]float64, len(trainIdx))
		for j, i := range trainIdx {
			trainFeats[j] = feats[i]
		}
		pca, err := FitPCA(trainFeats, cfg.Components)
		if err != nil {
			return nil, fmt.Errorf("deep: %s %s: %w", arch.Name, name, err)
		}
		res.PCA = append(res.PCA, pca)
		for k := range cfg.Components {
			tab.Names = append(tab.Names, fmt.Sprintf("%s_%s_pc%02d", arch.Name, name, k+1))
		}
		for i := range patients {
			tab.X[i] = append(tab.X[i], pca.Transform(feats[i])...)
		}
	}
	res.Table = tab
	return res, nil
}

// LoadPatient reads an image and its mask (any format package volio reads;
// the mask placed on the image grid) and preprocesses them with s
// (preprocess.Paper() for the paper), giving the five images Features takes.
func LoadPatient(id, imagePath, maskPath string, s preprocess.Settings) (Patient, error) {
	return LoadPatientImages(id, imagePath, maskPath, s, nil)
}

// LoadPatientImages is LoadPatient with the images of filters (package
// gallery's names; nil is the paper's four): the original and each filter
// of the preprocessed original (gallery.Preprocess), in the order of
// gallery.ImageNames(filters), which Config.Images then names.
func LoadPatientImages(id, imagePath, maskPath string, s preprocess.Settings, filters []string) (Patient, error) {
	img, err := volio.ReadImage(imagePath)
	if err != nil {
		return Patient{}, fmt.Errorf("patient %s: %w", id, err)
	}
	mask, err := volio.ReadLabelMapOn(maskPath, img.Grid)
	if err != nil {
		return Patient{}, fmt.Errorf("patient %s: %w", id, err)
	}
	r, err := gallery.Preprocess(img, mask, s, filters)
	if err != nil {
		return Patient{}, fmt.Errorf("patient %s: %w", id, err)
	}
	return Patient{ID: id, Images: r.Images, Mask: r.Mask}, nil
}

// GradCAM returns the Grad-CAM heat maps (see Model.GradCAM) of class for
// the given patients (indices into the patients Features was given) under
// the model trained on image channel image, each resized to the patient's
// native slice grid (Native[image][p]) so it overlays the slice there.
func (r *Result) GradCAM(b compute.Backend, image int, patients []int, class int) ([]Image, error) {
	return r.GradCAMAt(b, image, patients, class, 0)
}

// GradCAMAt is GradCAM with the slices fed to the network at size × size
// instead of the training size (0 means the training size). A ResNet is
// fully convolutional up to its global pooling, so a network trained on
// small slices applies to larger ones; its last stage is size/32 on a side,
// so Grad-CAM of a network trained at 32 px is a single cell at 32 px but a
// 4 × 4 map at 128 px.
func (r *Result) GradCAMAt(b compute.Backend, image int, patients []int, class, size int) ([]Image, error) {
	if image < 0 || image >= len(r.Models) {
		return nil, fmt.Errorf("deep: Grad-CAM of image channel %d, have %d", image, len(r.Models))
	}
	if r.Models[image] == nil {
		return nil, fmt.Errorf("deep: Grad-CAM of image channel %d: its network was not kept (Config.KeepModels)", image)
	}
	if size != 0 {
		if err := CheckSize(size, size); err != nil {
			return nil, err
		}
	}
	m, err := NewModel(b, r.Models[image], ConvAuto)
	if err != nil {
		return nil, err
	}
	imgs := make([]Image, len(patients))
	for i, p := range patients {
		if p < 0 || p >= len(r.Inputs[image]) {
			return nil, fmt.Errorf("deep: Grad-CAM of patient %d, have %d", p, len(r.Inputs[image]))
		}
		imgs[i] = r.Inputs[image][p]
		if size != 0 {
			imgs[i] = r.Native[image][p].Resize(size, size)
		}
	}
	x, err := ToBatch(imgs)
	if err != nil {
		return nil, err
	}
	maps, err := m.GradCAM(x, class)
	if err != nil {
		return nil, err
	}
	for i, p := range patients {
		n := r.Native[image][p]
		maps[i] = maps[i].Resize(n.H, n.W)
	}
	return maps, nil
}
