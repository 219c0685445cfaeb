#!/bin/bash
# Submits a cohort's extraction as a Slurm job array of SHARDS tasks and the
# merge as a job that runs only when every task succeeded.
#
#   deploy/slurm/submit.sh MANIFEST OUT SHARDS [extra sbatch options...]
#
# The array's --time comes from the cohort's size: patients per task times
# 2 CPU-s (paper-size images, both raters, 4x the measured 0.5 CPU-s),
# over the task's CPUs, plus 5 minutes. Prints the two job ids.
set -euo pipefail
if [ $# -lt 3 ]; then echo "usage: $0 MANIFEST OUT SHARDS [sbatch options...]" >&2; exit 2; fi
manifest=$1 out=$2 shards=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
patients=$(($(wc -l <"$manifest") - 1))
cpus=${CPUS_PER_TASK:-2}
per_task=$(( (patients + shards - 1) / shards ))
minutes=$(( per_task * 2 / cpus / 60 + 5 ))
export MANIFEST=$manifest OUT=$out SHARDS=$shards
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task="$cpus" --time="$minutes" \
    --export=ALL "$@" "$here/extract.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --export=ALL "$@" "$here/merge.sbatch")
echo "extract array $array ($shards tasks, about $per_task patients each, --time $minutes min); merge ${merge%%;*} after it"
