#!/bin/sh
# demo.sh KPR: the Langfang 2023 sample in kpr's local instance, from nothing to "kpr config"
# and the fourth quarter's report.
#
#   make demo                      (runs: sh tools/demo.sh build/kpr)
#
# Starts the local instance (kpr local start), creates the schema, loads the configuration, the
# 486-project list and a year of progress from data/langfang-2023/, prints what was loaded, and
# ends with the December colours (kpr colours) and the Q4 2023 investment-completion report as
# a table (headline included).
# Every step is idempotent: a second run leaves the same state.  The connection variables are
# unset so that the demo always uses the local instance, never a database named elsewhere.
# Stops at the first failing step, with that step's exit status.
set -e
kpr=${1:-build/kpr}
case $kpr in /*) ;; *) kpr=$PWD/$kpr ;; esac
cd "$(dirname "$0")/.."
data=data/langfang-2023
unset KPR_DATABASE PGHOST PGHOSTADDR PGPORT PGDATABASE PGSERVICE

[ -x "$kpr" ] || { echo "demo: no kpr binary at $kpr (run make)" >&2; exit 5; }

step() {
	printf '\n$ kpr %s\n' "$*"
	"$kpr" "$@" || {
		rc=$?
		printf 'demo: "kpr %s" failed (exit status %d)\n' "$*" "$rc" >&2
		exit "$rc"
	}
}

step local start
step init
step import config "$data/config.yaml"
step import projects "$data/projects.csv" --year 2023
step import progress "$data/progress-2023.csv"
step config
step colours --month 2023-12
out=${KPR_DEMO_OUT:-$PWD/build/demo}
mkdir -p "$out"
step report --year 2023 --quarter 4 --format html -o "$out/report-2023Q4.html"
step report --year 2023 --quarter 4
printf '\nThe same report as a page for a browser and for print: %s\n' "$out/report-2023Q4.html"
printf '\nThe local instance keeps running; "kpr local status" says how to reach it with psql,\n'
printf '"kpr local stop" stops it.\n'
