package main

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/scirad/scirad/pipeline/deep"
	"github.com/scirad/scirad/pipeline/internal/membudget"
	"github.com/scirad/scirad/pipeline/internal/outpath"
	"github.com/scirad/scirad/pipeline/table"
)

// runEmbed writes the pooled ResNet features of one 2-D image (package
// deep): frozen pretrained features, and the way to check scirad against
// torchvision on any image.
func runEmbed(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("embed", "-arch resnet18|resnet34|resnet152 -weights file.safetensors -image IMG [-size 224] [-slice K] -o embedding.csv",
		"scirad embed -arch resnet18 -weights resnet18.safetensors -image slice.png -o embedding.csv", stderr)
	arch := fs.String("arch", "resnet18", "network: resnet18, resnet34 or resnet152")
	weights := fs.String("weights", "", "weights converted from torchvision (testdata/deep/torch_to_safetensors.py)")
	imagePath := fs.String("image", "", "PNG (grey /255 or /65535) or a NIfTI/NRRD slice (min–max scaled)")
	size := fs.Int("size", 224, "network input side; the image is resized only if it is not already this size")
	slice := fs.Int("slice", -1, "for a 3-D volume: the slice index along its slice axis (largest spacing, else k)")
	out := fs.String("o", "", "output CSV: one row, columns f000…f511 (f0000…f2047 for resnet152); default standard output")
	if err := parse(fs, args, "weights", "image"); err != nil {
		return err
	}
	if err := outpath.Check(*out, *weights, *imagePath); err != nil {
		return err
	}
	if *size < 1 || *size > maxSide {
		return fmt.Errorf("-size %d: want 1 to %d pixels", *size, maxSide)
	}
	// A forward pass keeps about a kilobyte of activations per input pixel
	// (ResNet18 at 224 px: 25 MB over all layers).
	if err := membudget.Check(fmt.Sprintf("embed: a %d px network input", *size), 1024*float64(*size)*float64(*size)); err != nil {
		return err
	}
	a, err := deep.ArchByName(*arch)
	if err != nil {
		return err
	}
	w, err := deep.ReadSafetensors(*weights)
	if err != nil {
		return err
	}
	p := deep.NewParams(a, 2, 1)
	if err := p.LoadTorch(w, false); err != nil {
		return fmt.Errorf("%s: %w", *weights, err)
	}
	img, err := deep.ReadImage2D(*imagePath, *slice)
	if err != nil {
		return err
	}
	b, err := deep.NewBackend()
	if err != nil {
		return err
	}
	f, err := deep.Embed(b, p, img, *size)
	if err != nil {
		return err
	}
	write := func(wr io.Writer) error {
		cw := csv.NewWriter(wr)
		row := make([]string, len(f))
		for i, v := range f {
			row[i] = table.FormatFloat(float64(v))
		}
		cw.Write(deep.EmbeddingHeader(len(f)))
		cw.Write(row)
		cw.Flush()
		return cw.Error()
	}
	if *out == "" {
		return write(stdout)
	}
	return table.WriteFileAtomic(*out, write)
}
