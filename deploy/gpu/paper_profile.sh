#!/usr/bin/env bash
# The paper profile end to end on a CUDA GPU with GoMLX's XLA backend.
#
#   deploy/gpu/paper_profile.sh [/abs/path/xla_cuda_plugin.so]
#
# Needs Go 1.26 and the PJRT plugin from JAX's jax-cuda13-pjrt wheel
# (pip install jax-cuda13-pjrt; the plugin is jax_plugins/xla_cuda13/xla_cuda_plugin.so
# under site-packages). Without an argument the plugin is looked up there.
# It
#   1. builds bin/scirad-xla with -tags xla;
#   2. checks that pure-Go and XLA features of the same weights agree within 1e-4
#      (go test -tags xla -run XLA ./pipeline/deep, which fails rather than skips here);
#   3. prints training and forward images/s per network at 224 px, batch 8 (benchmarks);
#   4. runs `scirad run -profile paper` on a paper-size synthetic cohort and prints the
#      whole run's time and each stage's time and peak memory (from run.json).
# Outputs go to $OUT (default out/gpu-paper).
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOEXPERIMENT=simd GOMLX_NO_AUTO_INSTALL=1
OUT=${OUT:-out/gpu-paper}
PLUGIN=${1:-}
if [ -z "$PLUGIN" ]; then
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null || continue
    PLUGIN=$("$py" - <<'PY' 2>/dev/null || true
import glob, site, sys
dirs = site.getsitepackages() + [site.getusersitepackages()]
for d in dirs:
    for p in glob.glob(d + "/jax_plugins/xla_cuda13/xla_cuda_plugin.so"):
        print(p); sys.exit(0)
PY
)
    [ -n "$PLUGIN" ] && break
  done
fi
if [ -z "$PLUGIN" ] || [ ! -f "$PLUGIN" ]; then
  echo "no xla_cuda_plugin.so found: pip install jax-cuda13-pjrt, or pass its absolute path" >&2
  exit 2
fi
case "$PLUGIN" in /*) ;; *) PLUGIN=$(cd "$(dirname "$PLUGIN")" && pwd)/$(basename "$PLUGIN") ;; esac
export GOMLX_BACKEND="xla:$PLUGIN"
echo "backend: $GOMLX_BACKEND"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
mkdir -p "$OUT"

echo "== build (-tags xla)"
go build -tags xla -o bin/scirad-xla ./pipeline/cmd/scirad

echo "== pure Go vs XLA, same weights (within 1e-4)"
go test -tags xla -count=1 -run 'XLA' -v ./pipeline/deep | tee "$OUT/xla_vs_go.txt" | grep -E 'difference|^(--- |ok|FAIL)'
if grep -q -- '--- SKIP' "$OUT/xla_vs_go.txt"; then echo "XLA test skipped: plugin not usable" >&2; exit 1; fi

echo "== images/s per network, 224 px, batch 8 (native convolutions on XLA)"
go test -tags xla -count=1 -run '^$' -bench '(Train|Forward)/resnet(18|34|152)/224/native' -benchtime 20x -timeout 60m \
  ./pipeline/deep | tee "$OUT/bench.txt" | awk '/img\/s/ {print $1, $(NF-1), "img/s"}'

echo "== scirad run -profile paper"
COHORT="$OUT/cohort"
[ -f "$COHORT/manifest.csv" ] || bin/scirad-xla synth -out "$COHORT" -seed 1 -size paper
start=$(date +%s)
bin/scirad-xla run -cohort "$COHORT" -out "$OUT/run" -profile paper -seed 1
end=$(date +%s)
echo "whole run: $((end - start)) s"
python3 - "$OUT/run/run.json" <<'PY' || grep -E '"(name|seconds|peak_rss_mb)"' "$OUT/run/run.json"
import json, sys
r = json.load(open(sys.argv[1]))
for t in r["timings"]:
    print(f'  {t["name"]:<12} {t["seconds"]:8.1f} s  peak {t.get("peak_rss_mb", 0):7.0f} MB')
print(f'  total        {r["total_seconds"]:8.1f} s')
PY
