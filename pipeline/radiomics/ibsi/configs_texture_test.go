package ibsi

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// knownTextureFailures lists, per configuration, the texture tags that do
// not meet IBSI's tolerance on the CT phantom, with the deviation measured.
// TestTextureConfigs fails when a tag outside this list fails, and when a
// listed tag passes (then remove it from here). Currently none: every
// texture tag of A–E passes (A, B 272/272; C, D, E 136/136).
var knownTextureFailures = map[string]map[string]string{}

// ctLevels prepares and discretises the CT phantom (read once per test
// binary) for configuration name.
func ctLevels(tb testing.TB, name string) (*Prepared, []int32, int) {
	tb.Helper()
	ctOnce.Do(func() { ctImg, ctMsk, ctErr = readPair(ctImage, ctMask) })
	if ctErr != nil {
		tb.Fatal(ctErr)
	}
	cfg, err := ConfigByName(name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := Prepare(cfg, ctImg, ctMsk)
	if err != nil {
		tb.Fatal(err)
	}
	levels, ng := p.Discretise(cfg)
	return p, levels, ng
}

// TestTextureConfigs checks every texture tag of IBSI chapter 1 phase 2
// (configurations A–E on the CT radiomics phantom, testdata/ibsi_ct_phantom)
// after Prepare and Discretise.
func TestTextureConfigs(t *testing.T) {
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		t.Run(name, func(t *testing.T) {
			p, levels, ng := ctLevels(t, name)
			got := Texture(levels, ng, p.NX, p.NY, p.NZ, p.MorphMask, p.Spacing)
			o := compareTexture(t, "ibsi_1_chest_config_"+strings.ToLower(name)+".csv", got)
			o.log(t, "configuration "+name)
			known := knownTextureFailures[name]
			var tags []string
			for tag := range o.failures {
				tags = append(tags, tag)
			}
			slices.Sort(tags)
			for _, tag := range tags {
				if _, ok := known[tag]; ok {
					t.Logf("known failure %s: %s", tag, o.failures[tag])
				} else {
					t.Errorf("%s: %s", tag, o.failures[tag])
				}
			}
			for tag := range known {
				if _, ok := o.failures[tag]; !ok {
					t.Errorf("%s is listed as a known failure but passes now: remove it from knownTextureFailures", tag)
				}
			}
		})
	}
}

// TestTextureSparseGLCM: the map-held GLCM (used above denseLevels grey
// levels present) gives the dense one's cm_ values on configuration C.
func TestTextureSparseGLCM(t *testing.T) {
	p, levels, ng := ctLevels(t, "C")
	dense := Texture(levels, ng, p.NX, p.NY, p.NZ, p.MorphMask, p.Spacing)
	defer func(d int) { denseLevels = d }(denseLevels)
	denseLevels = 0
	sparse := Texture(levels, ng, p.NX, p.NY, p.NZ, p.MorphMask, p.Spacing)
	n := 0
	for tag, d := range dense {
		if !strings.HasPrefix(tag, "cm_") {
			continue
		}
		n++
		if s := sparse[tag]; math.Abs(s-d) > 1e-12*max(1, math.Abs(d)) {
			t.Errorf("%s: sparse %v, dense %v", tag, s, d)
		}
	}
	if n != 25*6 {
		t.Errorf("%d cm_ tags, want %d", n, 25*6)
	}
}

// BenchmarkTexture times Texture alone on the prepared CT phantom of each
// configuration (go test -run '^$' -bench Texture ./pipeline/radiomics/ibsi/).
func BenchmarkTexture(b *testing.B) {
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		p, levels, ng := ctLevels(b, name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Texture(levels, ng, p.NX, p.NY, p.NZ, p.MorphMask, p.Spacing)
			}
		})
	}
}
