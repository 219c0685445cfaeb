#!/usr/bin/env bash
# Starts Jupyter Notebook on localhost in notebooks/ with the GoNB kernel
# registered (kernel/install.sh first). Prints the URL to open, with its
# token. PORT (default 8888) picks the port; extra arguments go to Jupyter.
set -euo pipefail
cd "$(dirname "$0")/.."
./kernel/install.sh
args=(--no-browser --ip=127.0.0.1 --port="${PORT:-8888}")
# Jupyter refuses to run as root without being told (containers, CI).
if [ "$(id -u)" = 0 ]; then args+=(--allow-root); fi
cd notebooks
exec jupyter notebook "${args[@]}" "$@"
