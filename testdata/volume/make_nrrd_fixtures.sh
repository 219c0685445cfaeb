#!/bin/sh
# Make small NRRD files with teem's own tool, and teem's reading of their values.
#
# Tool: teem-unu from Debian bookworm teem-apps 1.12.0~20160122-5 (the reference
# implementation of NRRD). Run from the repository root:
#
#     sh testdata/volume/make_nrrd_fixtures.sh
#
# For each fixture F it writes testdata/volume/nrrd/teem/F and F.values.txt, the
# values teem reads from F (converted to double, printed as ASCII, one per line).
# The Go tests in pipeline/volume/nrrd compare against those; they never run this.
set -eu
D=testdata/volume/nrrd/teem
rm -rf "$D"
mkdir -p "$D"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# 60 values for a 5x4x3 grid (x fastest): integers, and fractions for float types.
awk 'BEGIN { for (i = 0; i < 60; i++) print (i * 37) % 200 - 70 }' > "$T/int.txt"
awk 'BEGIN { for (i = 0; i < 60; i++) printf "%.6f\n", (i * 37) % 200 * 0.37 - 5.125 }' > "$T/frac.txt"
awk 'BEGIN { for (i = 0; i < 60; i++) print (i * 37) % 200 }' > "$T/uint.txt"

DIRS_OBL='(0.9,0.1,0) (-0.1,0.9,0.2) (0,-0.5,2.5)'
mk() { # mk NAME INPUT TYPE SPACE ENCODING ENDIAN [extra unu-make args]
	name=$1 in=$2 type=$3 space=$4 enc=$5 end=$6
	shift 6
	teem-unu make -i "$in" -e ascii -t "$type" -s 5 4 3 -spc "$space" \
		-dirs "$DIRS_OBL" -orig '(10.5,-20.25,30)' -k domain domain domain "$@" |
		teem-unu save -f nrrd -e "$enc" -en "$end" -o "$D/$name"
}
mk ras_short_big_raw.nrrd "$T/int.txt" short RAS raw big
mk las_float_gzip.nrrd "$T/frac.txt" float LAS gzip little
mk lps_double_big_bzip2.nrrd "$T/frac.txt" double LPS bz2 big
mk lps_int_ascii.nrrd "$T/int.txt" int LPS ascii little
mk lps_uchar_gzip.nrrd "$T/uint.txt" uchar LPS gzip little
mk lps_ushort_big_gzip.nrrd "$T/uint.txt" ushort LPS gzip big
mk lps_schar_raw.nrrd "$T/int.txt" "signed char" LPS raw little
mk lps_uint_big_raw.nrrd "$T/uint.txt" uint LPS raw big
mk lps_longlong_gzip.nrrd "$T/int.txt" 'long long' LPS gzip little
mk ras_ulonglong_big_raw.nrrd "$T/uint.txt" ulonglong RAS raw big
# Detached header with gzip data beside it.
teem-unu make -i "$T/int.txt" -e ascii -t short -s 5 4 3 -spc RAS -dirs "$DIRS_OBL" \
	-orig '(10.5,-20.25,30)' | teem-unu save -f nrrd -e gzip -en little -o "$D/detached.nhdr"
# No space: spacings only.
teem-unu make -i "$T/int.txt" -e ascii -t short -s 5 4 3 -sp 0.5 0.75 3 |
	teem-unu save -f nrrd -e raw -en little -o "$D/spacings_only.nrrd"

for f in "$D"/*.nrrd "$D"/*.nhdr; do
	teem-unu convert -t double -i "$f" | teem-unu reshape -s 60 | teem-unu save -f text -e ascii |
		tr -s ' \t' '\n\n' | grep -v '^$' > "$f.values.txt"
done

# Files written by scirad's own encoder (go test -run TestWrittenGolden
# ./pipeline/volume/nrrd -args -update): teem's reading of values and header.
for f in testdata/volume/nrrd/written/*.nrrd; do
	teem-unu convert -t double -i "$f" | teem-unu reshape -s 90 | teem-unu save -f text -e ascii |
		tr -s ' \t' '\n\n' | grep -v '^$' > "$f.values.txt"
	teem-unu save -f nrrd -e ascii -i "$f" | sed "/^$/q" > "$f.head.txt"
done
