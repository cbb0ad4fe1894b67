#!/usr/bin/env bash
# kpr import progress: 累计完成投资 is the year-to-date.  A header for the total since the start is
# refused; a row with both the month and the year-to-date must add up with the earlier months.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "load the project list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
months() { psql_q "SELECT count(*) FROM kpr.progress"; }

for h in 自开工累计完成投资 开工累计完成投资 开工以来累计完成投资 '累计完成投资（开工以来）' 开累完成投资; do
	printf '项目代码,月份,本月完成投资(万元),%s(万元)\nLF2023-003,2023-01,100,5000\n' "$h" > since.csv
	run_kpr import progress since.csv
	is "$status" 1 "$h: refused"
	like "$err" "is the total since the start, not this year's: kpr needs the year-to-date \(本年累计完成投资\)" \
		"$h: with a hint"
	is "$(months)" 0 "$h: nothing written"
done

done_testing
