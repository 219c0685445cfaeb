#!/usr/bin/env bash
# Installs what scirad's notebooks need and registers the GoNB kernel. Idempotent.
#   - Jupyter from Debian's packages (apt-get, when root and something is missing);
#   - GoNB v0.11.3, pinned by this repo's go.mod (a `tool` dependency: the module
#     proxy refuses GoNB's version list, so the version must be explicit), and goimports,
#     pinned the same way, both into $GOBIN (default $GOPATH/bin);
#   - the kernelspec (under $JUPYTER_DATA_DIR when set), with GOEXPERIMENT=simd and GOMLX_NO_AUTO_INSTALL=1 in its environment
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

# Tools go where `go install` puts them: $GOBIN, else $GOPATH/bin. CI points GOBIN at an
# empty temporary folder, so a tool this script forgets to install fails there.
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"
# Both tools are pinned by go.mod's `tool` lines (the proxy refuses their version lists), so a
# plain `go install` inside this module builds exactly those versions. A binary is reinstalled
# unless its build info names the pinned version (GoNB's own --version prints a stale string).
pinned() { go list -m -f '{{.Version}}' "$1"; }
for tool in github.com/janpfeifer/gonb:gonb golang.org/x/tools/cmd/goimports:goimports; do
  pkg=${tool%%:*} bin=${tool##*:}
  mod=$(go list -f '{{.Module.Path}}' "$pkg")
  want=$(pinned "$mod")
  if ! go version -m "$gobin/$bin" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+$mod[[:space:]]+$want([[:space:]]|\$)"; then
    go build -o "$gobin/$bin" "$pkg" # the version go.mod pins
  fi
done

out=$("$gobin/gonb" --install --force_deps 2>&1) || { echo "$out" >&2; exit 1; }
spec=$(jupyter kernelspec list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"]["gonb"]["resource_dir"])')
/usr/bin/python3 - "$spec/kernel.json" "$PATH" <<'PY'
import json, sys
path, p = sys.argv[1], sys.argv[2]
k = json.load(open(path))
k.setdefault("env", {}).update({"GOEXPERIMENT": "simd", "GOMLX_NO_AUTO_INSTALL": "1", "PATH": p})
json.dump(k, open(path, "w"), indent=1)
PY
echo "kernel: GoNB v0.11.3 registered in $spec"
