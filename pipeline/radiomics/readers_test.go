package radiomics

import (
	"testing"

	"github.com/scirad/scirad/pipeline/volio"
	"github.com/scirad/scirad/pipeline/volume"
)

// readTestNRRD and readTestNIfTI read the test images through package volio
// (the readers the commands use); masks are label maps of whole numbers
// there too, so one reader serves both.
func readTestNRRD(t testing.TB, path string) *volume.Volume {
	t.Helper()
	v, err := volio.ReadImage(path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readTestNIfTI(t testing.TB, path string) *volume.Volume { return readTestNRRD(t, path) }
