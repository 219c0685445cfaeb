package deep

import (
	"os/exec"
	"testing"
)

// TestGPUScriptSyntax checks the GPU paper-profile script with bash -n (no
// GPU is needed to parse it; running it needs one).
func TestGPUScriptSyntax(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	out, err := exec.Command("bash", "-n", "../../deploy/gpu/paper_profile.sh").CombinedOutput()
	if err != nil {
		t.Fatalf("bash -n deploy/gpu/paper_profile.sh: %v\n%s", err, out)
	}
}
