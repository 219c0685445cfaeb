#!/bin/bash
# A real Slurm on this machine: munged, slurmctld and slurmd on 127.0.0.1
# with their config, state and logs in a temp folder, started here and
# stopped by PID on exit. It runs a toy cohort's extraction as an
# sbatch --array job, merges it in a job that depends on the array
# (afterok), and compares with a single-process scirad extract byte for
# byte; then, with another number of shards, it freezes and scancels one
# array task mid-way, checks that scirad merge refuses the incomplete set,
# resubmits only that task and compares again.
#
#   deploy/slurm/test_cluster.sh [path/to/scirad]      (make test-slurm)
#
# Debian's slurm-wlm and munge are installed with apt-get when missing and
# we are root. Environment: SLURM_TEST_PATIENTS (16), SLURM_TEST_SHARDS
# ("3 4": the clean run's and the kill run's shard counts), KEEP=1 keeps the
# temp folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
scirad=$(realpath "${1:-$repo/bin/scirad}")
patients=${SLURM_TEST_PATIENTS:-16}
read -r n1 n2 <<<"${SLURM_TEST_SHARDS:-3 4}"
start=$(date +%s)
say() { echo "test_cluster [$(( $(date +%s) - start ))s]: $*"; }
fail() { echo "test_cluster: FAIL: $*" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "needs Debian's slurm-wlm and munge: sudo apt-get install slurm-wlm munge"
    say "installing slurm-wlm and munge"
    (flock 9; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge) 9>/tmp/apt.lock >/dev/null
fi
[ -x "$scirad" ] || fail "no scirad binary at $scirad (make build)"

dir=$(mktemp -d /tmp/scirad-slurm.XXXXXX)
chmod 700 "$dir"
pids=()
cleanup() {
    local rc=$?
    # Jobs of this test's cluster (SLURM_CONF is ours) go first, so that
    # slurmd's job steps end with it.
    [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user=root 2>/dev/null && sleep 1 || true
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
    if [ $rc -ne 0 ]; then
        for f in "$dir"/log/*.log; do echo "--- $f"; tail -20 "$f"; done >&2 || true
    fi
    if [ "${KEEP:-}" = 1 ]; then echo "kept $dir"; else rm -rf "$dir"; fi
    exit $rc
}
trap cleanup EXIT INT TERM

mkdir -p "$dir"/{log,state,spool,munge,out1,out2,single}
# munged: its own key, socket and files.
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --foreground --force --socket="$dir/munge/sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" >"$dir/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$dir/munge/sock" ] && break; sleep 0.1; done
[ -S "$dir/munge/sock" ] || fail "munged did not start"

# Free ports for slurmctld and slurmd.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cport=$(port) dport=$(port)
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat >"$dir/slurm.conf" <<CONF
ClusterName=sciradtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MaxArraySize=10001
KillWait=2
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    sinfo -h -o %T 2>/dev/null | grep -qx idle && break
    sleep 0.2
done
sinfo -h -o %T | grep -qx idle || fail "the Slurm node did not come up: $(sinfo 2>&1 | tail -2)"
say "slurmctld, slurmd and munged up (ports $cport/$dport, $cpus CPUs)"

"$scirad" synth -out "$dir/cohort" -n "$patients" -size small -workers "$cpus" >/dev/null
manifest=$dir/cohort/manifest.csv
"$scirad" extract -manifest "$manifest" -o "$dir/single/radiomics.csv" -q >/dev/null
say "toy cohort of $patients patients and its single-process extraction written"

same() { # out dir: the merged tables equal the single-process ones
    local f
    for f in radiomics.csv radiomics_rater2.csv radiomics_icc.csv; do
        cmp -s "$dir/single/$f" "$1/$f" || fail "$1/$f differs from the single-process $f"
    done
}
state() { squeue -h -j "$1" -o %T 2>/dev/null | head -1; }
wait_gone() { # job id: wait until squeue no longer lists it
    for _ in $(seq 600); do [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0; sleep 0.2; done
    fail "job $1 still queued after 120 s"
}
export SCIRAD=$scirad MANIFEST=$manifest

# 1. The array and the dependent merge, through submit.sh.
cd "$dir/out1"
CPUS_PER_TASK=1 "$repo/deploy/slurm/submit.sh" "$manifest" "$dir/out1/radiomics.csv" "$n1" | tee "$dir/submit1.txt"
array=$(awk '{print $3}' "$dir/submit1.txt")
merge=$(awk '{print $(NF-2)}' "$dir/submit1.txt")
wait_gone "$array"
wait_gone "$merge"
[ -f "$dir/out1/radiomics.csv" ] || fail "the merge job wrote nothing: $(cat "$dir"/out1/scirad-merge-*.log)"
same "$dir/out1"
say "array of $n1 tasks + afterok merge: byte-identical to the single process"

# 2. Another shard count; one task frozen mid-way and scancelled.
cd "$dir/out2"
# The victim: the shard with the most patients (FNV-1a of the id, as scirad).
victim=$(python3 - "$manifest" "$n2" <<'PY'
import csv, sys
n = int(sys.argv[2]); count = [0] * n
for row in csv.DictReader(open(sys.argv[1])):
    h = 0xcbf29ce484222325
    for b in row["patient_id"].encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    count[h % n] += 1
print(max(range(n), key=lambda k: count[k]))
PY
)
out=$dir/out2/radiomics.csv
w=$(( n2 - 1 )); w=${#w}
shardfile=$(printf '%s/out2/radiomics.shard-%0*d-of-%0*d.csv' "$dir" "$w" "$victim" "$w" "$n2")
side=$shardfile.resume
export OUT=$out SHARDS=$n2 SCIRAD_EXTRACT_ARGS=
job=$(sbatch --parsable --array=0-$((n2 - 1)) --cpus-per-task=1 --export=ALL "$repo/deploy/slurm/extract.sbatch")
job=${job%%;*}
# Freeze the victim (SIGSTOP to its processes, found with scontrol
# listpids) as soon as it has started, let it run in short slices until it
# has finished at least one extraction, then cancel it: killed mid-way,
# whatever the machine's speed.
for _ in $(seq 3000); do [ -f "$side" ] && break; sleep 0.01; done
[ -f "$side" ] || fail "task $victim never started"
tid=$(squeue -h -j "${job}_$victim" -o %A | head -1)
procs() { scontrol listpids "$tid" 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1}'; }
signal() { procs | xargs -r kill -"$1" 2>/dev/null || true; }
signal STOP
for _ in $(seq 2000); do
    [ "$(wc -l <"$side")" -ge 3 ] && break
    signal CONT; sleep 0.03; signal STOP
done
[ "$(wc -l <"$side")" -ge 3 ] || fail "task $victim finished no extraction"
[ ! -f "$shardfile" ] || fail "task $victim finished before it could be killed"
rows=$(( $(wc -l <"$side") - 2 ))
scancel "${job}_$victim"
wait_gone "$job"
[ ! -f "$shardfile" ] || fail "the killed task $victim left its shard file"
if "$scirad" merge -o "$out" "$dir"/out2/radiomics.shard-*-of-"$n2".csv >"$dir/merge_incomplete.txt" 2>&1; then
    fail "scirad merge accepted $((n2 - 1)) of $n2 shards"
fi
grep -q "1 of $n2 shards missing: $victim" "$dir/merge_incomplete.txt" || fail "merge's refusal does not name shard $victim: $(cat "$dir/merge_incomplete.txt")"
say "task $victim of $n2 killed after $rows extractions; merge refuses: $(cat "$dir/merge_incomplete.txt")"
job2=$(sbatch --parsable --array="$victim" --cpus-per-task=1 --export=ALL "$repo/deploy/slurm/extract.sbatch")
job2=${job2%%;*}
wait_gone "$job2"
log=$(ls "$dir"/out2/scirad-extract-"${job2}"_"$victim".log)
# Every extraction finished before the kill is reused; scancel's SIGCONT
# and SIGTERM can let extractions already under way finish and be reused
# too, so at least $rows.
reused=$(grep -o "([0-9]* extractions reused" "$log" | grep -o "[0-9]*" | head -1)
[ -n "$reused" ] && [ "$reused" -ge "$rows" ] || fail "the resubmitted task did not reuse the $rows finished extractions: $(cat "$log")"
merge=$(sbatch --parsable --dependency=afterok:"$job2" --export=ALL "$repo/deploy/slurm/merge.sbatch")
wait_gone "${merge%%;*}"
same "$dir/out2"
say "resubmitted task $victim reused $reused extractions ($rows finished when it was stopped); merged table byte-identical again"
say "PASS in $(( $(date +%s) - start ))s"
