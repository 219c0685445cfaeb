#!/usr/bin/env bash
# The first code cell of every notebook runs this in GoNB's cell module folder: it joins that
# module and this repository in a go.work, so cells import github.com/scirad/scirad/..., and
# pins GoNB (whose gonbui the cells link) to the version this repository's go.mod names. go get's
# list of added modules is shown only when it fails.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gonb=$(cd "$repo" && go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)
rm -f go.work
go work init
go work use . "$repo"
out=$(go get "github.com/janpfeifer/gonb@$gonb" 2>&1) || { echo "$out" >&2; exit 1; }
