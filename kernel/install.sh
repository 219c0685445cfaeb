#!/usr/bin/env bash
# Installs what scirad's notebooks need and registers the GoNB kernel. Idempotent.
#   - Jupyter from Debian's packages (apt-get, when root and something is missing);
#   - GoNB v0.11.3, pinned by this repo's go.mod (a `tool` dependency: the module
#     proxy refuses GoNB's version list, so the version must be explicit), and goimports;
#   - the kernelspec, with GOEXPERIMENT=simd and GOMLX_NO_AUTO_INSTALL=1 in its environment
#     so notebook cells build like the rest of the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOEXPERIMENT=simd

need=()
command -v jupyter >/dev/null 2>&1 || need+=(jupyter-notebook jupyter-client python3-ipykernel)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-nbconvert)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "kernel: install Debian packages: ${need[*]}" >&2
    exit 1
  fi
fi

gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"
# GoNB's own --version prints a stale string, so ask the binary's build info.
if ! go version -m "$gobin/gonb" 2>/dev/null | grep -q 'mod.*github.com/janpfeifer/gonb.*v0.11.3'; then
  go install github.com/janpfeifer/gonb
fi
command -v goimports >/dev/null 2>&1 || go install golang.org/x/tools/cmd/goimports

gonb --install --force_deps >/dev/null 2>&1
spec=$(jupyter kernelspec list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"]["gonb"]["resource_dir"])')
/usr/bin/python3 - "$spec/kernel.json" "$PATH" <<'PY'
import json, sys
path, p = sys.argv[1], sys.argv[2]
k = json.load(open(path))
k.setdefault("env", {}).update({"GOEXPERIMENT": "simd", "GOMLX_NO_AUTO_INSTALL": "1", "PATH": p})
json.dump(k, open(path, "w"), indent=1)
PY
echo "kernel: GoNB v0.11.3 registered in $spec"
