package ibsi

import (
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

// TestTextureConfigs checks every texture tag of IBSI chapter 1 phase 2
// (configurations A–E on the CT radiomics phantom, testdata/ibsi_ct_phantom)
// after Prepare and Discretise.
func TestTextureConfigs(t *testing.T) {
	img, mask, err := readPair(ctImage, ctMask)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		t.Run(name, func(t *testing.T) {
			cfg, err := ConfigByName(name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Prepare(cfg, img, mask)
			if err != nil {
				t.Fatal(err)
			}
			levels, ng := p.Discretise(cfg)
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

// BenchmarkTexture times Texture alone on the prepared CT phantom of each
// configuration (go test -run '^$' -bench Texture ./pipeline/radiomics/ibsi/).
func BenchmarkTexture(b *testing.B) {
	img, mask, err := readPair(ctImage, ctMask)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		cfg, err := ConfigByName(name)
		if err != nil {
			b.Fatal(err)
		}
		p, err := Prepare(cfg, img, mask)
		if err != nil {
			b.Fatal(err)
		}
		levels, ng := p.Discretise(cfg)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Texture(levels, ng, p.NX, p.NY, p.NZ, p.MorphMask, p.Spacing)
			}
		})
	}
}
