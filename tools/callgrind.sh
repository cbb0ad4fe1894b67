#!/bin/sh
# callgrind.sh KPR...: the instructions kpr spends importing the Langfang sample, client side.
#
#   sh tools/callgrind.sh build/kpr                  (one binary)
#   sh tools/callgrind.sh /tmp/base/build/kpr build/kpr   (before and after a change)
#
# Wall-clock figures are too noisy on a shared machine to show a change of a few per cent; the
# instruction count of the kpr process (valgrind --tool=callgrind) is not.  Starts a throwaway
# PostgreSQL (tools/pgtmp.sh), then for each binary, in a fresh database: kpr init, kpr
# import config, and under callgrind kpr -q import projects (--year 2023) and kpr -q import
# progress of data/langfang-2023.  Prints one line per binary and import: its Ir.  The server's
# work is not counted.  CALLGRIND_KEEP=1 keeps the temp dir (callgrind.out.* files).
set -eu
cd "$(dirname "$0")/.."
data=$PWD/data/langfang-2023
[ $# -gt 0 ] || { echo "usage: sh tools/callgrind.sh KPR..." >&2; exit 2; }

. tools/pgtmp.sh
cleanup() {
	if [ "${CALLGRIND_KEEP:-0}" = 1 ]; then pgtmp_stop keep; echo "callgrind: kept $PGTMP" >&2; else pgtmp_stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pgtmp_start /tmp/kpr-callgrind.XXXXXX || exit 1
tmp=$PGTMP
unset PGSERVICE KPR_DATABASE || true
export PGHOST="$tmp" PGUSER=postgres KPR_TODAY=2023-12-15 TZ=Asia/Shanghai LC_ALL=C.UTF-8

n=0
for kpr in "$@"; do
	n=$((n + 1))
	db=cg$n
	psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
	export KPR_DATABASE="host=$tmp user=postgres dbname=$db"
	"$kpr" -q init
	"$kpr" -q import config "$data/config.yaml"
	for step in "projects $data/projects.csv --year 2023" "progress $data/progress-2023.csv"; do
		out=$tmp/callgrind.out.$n.${step%% *}
		# shellcheck disable=SC2086 # the step's words are the arguments
		valgrind -q --tool=callgrind --callgrind-out-file="$out" "$kpr" -q import $step
		ir=$(sed -n 's/^summary: //p' "$out")
		printf '%s\t%s\t%s\n' "$kpr" "${step%% *}" "$ir"
	done
done
