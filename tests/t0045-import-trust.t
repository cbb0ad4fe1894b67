#!/usr/bin/env bash
# kpr import: imports a clerk can trust (issue 9): progress outside the year's list refused,
# an old file imported again refused rather than undoing later corrections.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
PROJ="$TESTDATA/import/projects-2023.csv"
PROG="$TESTDATA/import/progress-2023.csv"
count() { psql_q "SELECT count(*) FROM kpr.$1"; }
setup "the 2023 list" "$KPR" -q import projects "$PROJ"

# --- progress outside the list ----------------------------------------------------------------
# LF2023-002 runs 2022-2024 but is on the 2023 list only; LF2023-005 is listed for 2023
psql_q "UPDATE kpr.project SET start_year = 2024 WHERE code = 'LF2023-005'" >/dev/null
printf 'code,month,amount\nLF2023-002,2022-12,100\nLF2023-003,2023-06,50\nLF2023-005,2023-05,10\n' > unlisted.csv
run_kpr import progress unlisted.csv
is "$status" 1 "a month of a project not on that year's list is refused"
like "$err" "unlisted.csv:2:month: project LF2023-002 is not on the 2022 list" "with its line and the year"
like "$err" "unlisted.csv:4:month: project LF2023-005, 2023-05: before its start year 2024" \
	"a month before the start year, with its line"
unlike "$err" "unlisted.csv:3:" "a listed project's month is fine"
is "$(count progress)" 0 "nothing is written"
run_kpr import progress unlisted.csv --allow-unlisted
is "$status" 0 "--allow-unlisted accepts them"
like "$err" "warning: unlisted.csv: 2 row\(s\) for projects not on their year's list or before their start year, accepted \(--allow-unlisted\)" \
	"warned once, with a count"
is "$(count progress)" 3 "all three months are written"
run_kpr import projects "$PROJ" --allow-unlisted
is "$status" 2 "--allow-unlisted is for progress files only"
run_kpr import --help
like "$out" "--allow-unlisted" "--help lists --allow-unlisted"
psql_q "DELETE FROM kpr.progress; UPDATE kpr.project SET start_year = 2023 WHERE code = 'LF2023-005'" >/dev/null

done_testing
