# scirad: `make run` runs the paper's pipeline on the toy cohort; `make test` runs every test.
# Every Go build and test runs with GOEXPERIMENT=simd: GoMLX's pure-Go backend then uses
# AVX-512/AVX2 matrix multiply (about 9x faster on the CI machine).
export GOEXPERIMENT := simd
export GOMLX_NO_AUTO_INSTALL := 1
GO      ?= go
BIN     := bin/scirad
COHORT  ?= out/toy
RUNOUT  ?= out/run
SEED    ?= 1
PROFILE ?= quick

.PHONY: all build run test test-go test-race test-slurm test-xla fuzz-short browser lint bench bench-maps bench-radiomics bench-imagetypes kernel notebook wasm demo conformance clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./pipeline/cmd/scirad

# The main job: synthesise the toy cohort if it is missing, then run the whole paper on it.
run: build
	@if [ ! -f $(COHORT)/manifest.csv ]; then ./$(BIN) synth -out $(COHORT) -seed $(SEED) -size small; fi
	./$(BIN) run -cohort $(COHORT) -out $(RUNOUT) -profile $(PROFILE) -seed $(SEED)

# Every test: formatting and vet, the Go tests (browser tests in headless Chromium included),
# the race detector on the concurrent packages.
test: lint browser kernel test-xla test-go test-race fuzz-short test-slurm

# The XLA variant (-tags xla links github.com/gomlx/go-xla): every package builds and vets;
# its tests run and skip, saying so, where no PJRT plugin is found. The GPU script is checked.
test-xla:
	$(GO) build -tags xla ./...
	$(GO) vet -tags xla ./pipeline/deep/...
	$(GO) test -tags xla -count=1 -run XLA ./pipeline/deep
	bash -n deploy/gpu/paper_profile.sh

test-go:
	SCIRAD_BROWSER_TESTS=1 SCIRAD_NOTEBOOK_TESTS=1 $(GO) test -count=1 -timeout 40m ./...

# A real Slurm (munged, slurmctld, slurmd on 127.0.0.1, installed from Debian when missing
# and root): the toy cohort's extraction as an sbatch --array job, merged, byte-identical to
# one process, also after one task is killed and resubmitted (deploy/slurm/test_cluster.sh).
test-slurm: build
	./deploy/slurm/test_cluster.sh $(BIN)

RACE_PKGS := ./pipeline/table ./pipeline/batch ./pipeline/volume/... ./pipeline/preprocess ./pipeline/radiomics ./pipeline/internal/progress ./pipeline/featuremap
test-race:
	$(GO) test -race -count=1 -timeout 20m $(RACE_PKGS)

# Debian's chromium for the browser tests; installed when missing and we are root.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# Every fuzz target (func FuzzXxx in a _test.go file) for FUZZTIME each, so a new parser's
# fuzz target runs in CI as soon as it is written. About 25 targets: 1 min of fuzzing and
# a few seconds of start-up each once the instrumented test binaries are in the build cache.
# A target whose inputs are slow (FuzzRead: a 130 KB bundle) can still be running one input when
# the time is up; go test then fails with "context deadline exceeded" and writes no failing input.
# Such a run is repeated, up to three tries (CI once saw it twice in a row for FuzzReadClinical);
# a real finding ("Failing input written to …") fails at once.
FUZZTIME ?= 2s
fuzz-short:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' pipeline wasm kernel | sort); do \
	  for f in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "fuzz ./$$(dirname $$file) $$f"; \
	    for try in 1 2 3; do \
	      if $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./$$(dirname $$file) >/tmp/fuzz-short.log 2>&1; then break; fi; \
	      if [ $$try != 3 ] && grep -q 'context deadline exceeded' /tmp/fuzz-short.log && ! grep -q 'Failing input written' /tmp/fuzz-short.log; then \
	        echo "  (the fuzz time ran out during one slow input, which go test reports as a failure without a finding: again)"; continue; fi; \
	      cat /tmp/fuzz-short.log; exit 1; \
	    done; \
	  done; done

lint:
	@fmt=$$(gofmt -l . 2>/dev/null); if [ -n "$$fmt" ]; then echo "gofmt needed:"; echo "$$fmt"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null 2>&1 || { echo "go.mod/go.sum are not tidy (a direct requirement marked indirect, or a stale one):"; $(GO) mod tidy -diff; exit 1; }

# Benchmarks are kept out of `make test`; compare runs with benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./pipeline/... | tee bench.txt

# Feature-map timings (issue 17): lesion, cord and 16³ GLCM on one core (cpu-ns/op is one
# core's time), the whole 99×99×29 image on all cores; compare with pyradiomics' voxel-based
# extraction: /usr/bin/python3 testdata/featuremap/make_golden.py PYRAD_SRC time
bench-maps:
	@mkdir -p out
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench 'Maps(Lesion|Cord|GLCMCube16)' -benchtime 5x -count 3 ./pipeline/featuremap | tee out/bench-maps.txt
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench 'MapsWholeImage' -benchtime 1x -count 3 -timeout 30m ./pipeline/featuremap | tee -a out/bench-maps.txt

# Radiomics throughput beside pyradiomics (issue 21): the Pictologics-style 98³ protocol and
# the spine cases, ratios printed. Needs python3-numpy, python3-dev, gcc and a pyradiomics git
# directory (PYRADIOMICS_GIT); not part of `make test`.
bench-radiomics:
	./testdata/texture/bench_radiomics.sh

# All pyradiomics image types on the spine cord ROI beside pyradiomics (issue 16), one core
# each, ratio printed. Needs PYRADIOMICS_GIT and libinsighttoolkit5-dev; not part of `make test`.
bench-imagetypes:
	./testdata/filters/bench_imagetypes.sh

# The conformance table (docs/conformance.md): runs the IBSI chapter 1 and 2 and pyradiomics
# image-type tests and writes their pass/fail and deviations (about 3 min on 2 cores).
conformance:
	$(GO) run ./pipeline/internal/conformance -o docs/conformance.md

# Jupyter (Debian) + the pinned GoNB kernel, registered with this repo's build environment.
kernel:
	./kernel/install.sh

# Jupyter on localhost with the GoNB kernel ready; open the URL it prints.
notebook: kernel
	./kernel/notebook.sh

# The browser demo in wasm/dist: scirad.wasm, its page, the Rad signature's trained bundle
# (scirad run on the toy cohort with deep features off, trained once into out/wasm-run)
# and three toy patients. `make demo` serves it on 127.0.0.1 and prints the URL.
wasm:
	$(GO) run ./wasm build -out wasm/dist -cohort $(COHORT) -run out/wasm-run

demo: wasm
	$(GO) run ./wasm serve -dir wasm/dist -addr 127.0.0.1:8765

clean:
	rm -rf bin out
