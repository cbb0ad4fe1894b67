#!/bin/sh
# callgrind.sh KPR...: the instructions kpr spends importing the Langfang sample, client side.
#
#   sh tools/callgrind.sh build/kpr                  (one binary)
#   sh tools/callgrind.sh /tmp/base/build/kpr build/kpr   (before and after a change)
#
# Wall-clock figures are too noisy on a shared machine to show a change of a few per cent; the
# instruction count of the kpr process (valgrind --tool=callgrind) is not.  Starts a throwaway
# PostgreSQL the way tests/run does, then for each binary, in a fresh database: kpr init, kpr
# import config, and under callgrind kpr -q import projects (--year 2023) and kpr -q import
# progress of data/langfang-2023.  Prints one line per binary and import: its Ir.  The server's
# work is not counted.  CALLGRIND_KEEP=1 keeps the temp dir (callgrind.out.* files).
set -eu
cd "$(dirname "$0")/.."
data=$PWD/data/langfang-2023
[ $# -gt 0 ] || { echo "usage: sh tools/callgrind.sh KPR..." >&2; exit 2; }

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
tmp=$(mktemp -d /tmp/kpr-callgrind.XXXXXX)
chmod 755 "$tmp"
as_server() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
	as_server "$bindir/pg_ctl" stop -D "$tmp/data" -m immediate -w >/dev/null 2>&1 || true
	if [ "${CALLGRIND_KEEP:-0}" = 1 ]; then echo "callgrind: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
as_server "$bindir/initdb" --no-sync -A trust -U postgres -E UTF8 --locale=C.UTF-8 -D "$tmp/data" >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log"; exit 1; }
as_server "$bindir/pg_ctl" start -w -D "$tmp/data" -l "$tmp/server.log" \
	-o "-k $tmp -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off" >/dev/null ||
	{ cat "$tmp/server.log"; exit 1; }
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
