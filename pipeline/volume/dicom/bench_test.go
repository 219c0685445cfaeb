package dicom_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/scirad/scirad/pipeline/volume/dicom"
	"github.com/scirad/scirad/pipeline/volume/dicom/dicomtest"
	"github.com/scirad/scirad/pipeline/volume/nifti"
)

// BenchmarkReadSeriesIBSI reads the IBSI CT phantom's 60-slice series
// (204×201, 5 MB) into a volume.
func BenchmarkReadSeriesIBSI(b *testing.B) {
	dir := filepath.Join(dicomtest.Extract(b, td+"ibsi_ct_phantom_dicom.tar.gz"), "image")
	b.ResetTimer()
	for b.Loop() {
		if _, err := dicom.ReadSeries(nil, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertSeriesIBSI reads the series and writes it as an
// uncompressed NIfTI, the work dcm2niix -z n does.
func BenchmarkConvertSeriesIBSI(b *testing.B) {
	dir := filepath.Join(dicomtest.Extract(b, td+"ibsi_ct_phantom_dicom.tar.gz"), "image")
	out := filepath.Join(b.TempDir(), "phantom.nii")
	b.ResetTimer()
	for b.Loop() {
		v, err := dicom.ReadSeries(nil, dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := nifti.WriteFile(out, v, &nifti.Options{Datatype: nifti.Int16}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDcm2niixIBSI runs Debian's dcm2niix on the same series
// (uncompressed NIfTI out), for comparison in the same run; it needs
// dcm2niix on PATH (apt-get install dcm2niix).
func BenchmarkDcm2niixIBSI(b *testing.B) {
	bin, err := exec.LookPath("dcm2niix")
	if err != nil {
		b.Skip("dcm2niix not installed (apt-get install dcm2niix)")
	}
	dir := filepath.Join(dicomtest.Extract(b, td+"ibsi_ct_phantom_dicom.tar.gz"), "image")
	out := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if o, err := exec.Command(bin, "-z", "n", "-b", "n", "-f", "phantom", "-o", out, dir).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, o)
		}
	}
}
