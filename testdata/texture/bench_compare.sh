#!/bin/sh
# bench_compare.sh OLD [ROUNDS]: BenchmarkPictologics (pipeline/radiomics/texture: five texture
# families of the random 98³ region) of commit OLD beside the working tree's, in one command:
# both test binaries built first, then ROUNDS rounds (default 7) alternating old and new, each
# a fresh process; the medians of one core's CPU time per call (-cpu 1) and of the one- and
# two-worker wall times (-cpu 2), the old/new ratios and the two-worker speed-ups. The machine
# may be shared: the load average is printed before and after, and only medians and ratios of
# runs taken in turn are compared. With QUIET=1 each run first waits (up to 2 min) for half a
# second in which both cores were at least 90 % idle.
set -eu
old=${1:?usage: bench_compare.sh OLD-COMMIT [ROUNDS]}
rounds=${2:-7}
GO=${GO:-go}
root=$(pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/old" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work/old" "$old"
(cd "$work/old" && $GO test -c -o "$work/old.test" ./pipeline/radiomics/texture)
$GO test -c -o "$work/new.test" ./pipeline/radiomics/texture
field() { awk -v u="$1" '{for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}'; }
# quiet: with QUIET=1, wait for half a second of two idle cores (at most 2 min).
quiet() {
	[ "${QUIET:-0}" = 1 ] || return 0
	for _ in $(seq 240); do
		s0=$(awk '/^cpu /{print $5+$6, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
		sleep 0.5
		s1=$(awk '/^cpu /{print $5+$6, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
		echo "$s0 $s1" | awk '{exit !(($3-$1) >= 0.9*($4-$2))}' && return 0
	done
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root/pipeline/radiomics/texture"
for r in $(seq "$rounds"); do
	for b in old new; do
		quiet
		"$work/$b.test" -test.run XXX -test.bench 'Pictologics/workers1$' -test.cpu 1 -test.benchtime 5x | grep '^BenchmarkPictologics' | field cpu-ns/op >> "$work/$b.cpu1"
		quiet
		"$work/$b.test" -test.run XXX -test.bench 'Pictologics/workers[12]$' -test.cpu 2 -test.benchtime 5x > "$work/$b.out"
		grep '^BenchmarkPictologics/workers1-2 ' "$work/$b.out" | field ns/op >> "$work/$b.w1"
		grep '^BenchmarkPictologics/workers2-2 ' "$work/$b.out" | field ns/op >> "$work/$b.w2"
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %14s %17s %18s %9s\n' "" "1 core CPU ms" "1 worker wall ms" "2 workers wall ms" "speed-up"
for b in old new; do
	c=$(median < "$work/$b.cpu1"); w1=$(median < "$work/$b.w1"); w2=$(median < "$work/$b.w2")
	awk -v b="$b" -v c="$c" -v w1="$w1" -v w2="$w2" 'BEGIN { printf "%-5s %14.1f %17.1f %18.1f %8.2fx\n", b, c/1e6, w1/1e6, w2/1e6, w1/w2 }'
	echo "$c $w1 $w2" > "$work/$b.med"
done
read -r oc ow1 ow2 < "$work/old.med"
read -r nc nw1 nw2 < "$work/new.med"
awk -v a="$oc" -v b="$nc" -v c="$ow2" -v d="$nw2" 'BEGIN { printf "old/new: one core %.2fx, two workers %.2fx (medians of %d rounds each)\n", a/b, c/d, '"$rounds"' }'
