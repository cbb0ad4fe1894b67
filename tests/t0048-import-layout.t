#!/usr/bin/env bash
# kpr import: an official list's headings (一、… (一)…) and subtotals (合计, 小计, 总计) are
# skipped and counted, never an error; each subtotal is checked against the project rows it adds
# up (a 小计 since the nearest heading, a 合计/总计 the whole file, wherever it stands), a
# difference a warning naming the line and both figures; a row with other data and no code is
# still rejected (lib/layout.c, docs/formats.md).
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
L=$TESTDATA/layout

run_kpr import projects "$L/sections.csv" --year 2023
is "$status" 0 "a list with headings and subtotals imports"
like "$err" "sections.csv: 4 rows: 4 new, 0 changed, 0 unchanged, 0 rejected" "only the four project rows count as rows"
like "$err" "sections.csv: 3 heading rows, 4 subtotal rows skipped" "the summary counts the rows skipped"
is "$(psql_q "SELECT string_agg(code, ' ' ORDER BY code) FROM kpr.project")" "LAY-001 LAY-002 LAY-003 LAY-004" \
	"the projects, and nothing from the heading or subtotal rows"
# the oracle: the file's own project rows, summed by awk, against what each subtotal row says
sums=$(awk -F, 'NR > 3 && $2 != "" { t += $9; p += $10 } END { print t "|" p }' "$L/sections.csv")
is "$sums" "1000|370" "(the file's project rows add up to 1000 and 370)"
like "$err" "sections.csv:13: 小计 of 总投资\(万元\) is 450.0000 万元, but the rows since line 11 add up to 500.0000 万元" \
	"a wrong 小计 is a warning naming its line, the column and both figures"
like "$err" "sections.csv:14: 总计 of 总投资\(万元\) is 999.0000 万元, but the file's project rows add up to 1000.0000 万元" \
	"a wrong 总计 is checked against every project row"
unlike "$err" "sections.csv:(4|9):" "the right 合计 (under the header, with its count) and 小计 draw no warning"
unlike "$err" "2023年计划投资.*is 200.0000" "nor does a right figure in a wrong subtotal row"
is "$(grep -c warning <<<"$err")" 2 "two warnings in all"

run_kpr import projects "$L/sections.csv" --year 2023
like "$err" "4 rows: 0 new, 0 changed, 4 unchanged" "importing it again changes nothing"

run_kpr import projects "$L/nocode.csv" --year 2023
is "$status" 1 "a row with other data and no code is still rejected"
like "$err" "nocode.csv:4:项目代码: empty, but required" "naming its line and column"
like "$err" "1 heading row, 0 subtotal rows skipped|nothing written" "while the heading row is no problem"
unlike "$err" "nocode.csv:2:" "the heading row draws no message"

# progress files too: a 合计 row of a month's report
cat >"$WORK/progress.csv" <<'CSV'
项目代码,月份,本月完成投资(万元)
合计,2023-03,"3,000"
LAY-001,2023-03,1000
LAY-002,2023-03,1500
CSV
run_kpr import progress "$WORK/progress.csv"
is "$status" 0 "a progress file with a 合计 row imports"
like "$err" "2 rows: 2 new months" "the 合计 row is not a month"
like "$err" "progress.csv:2: 合计 of 本月完成投资\(万元\) is 3000.0000 万元, but the file's project rows add up to 2500.0000 万元" \
	"and its figure is checked"
# the same list as a clerk keeps it in a workbook (tests/data/workbook/make-fixtures.sh: a merged
# title, the 合计 and the first 小计 as SUM formulas saved by LibreOffice, the second 小计 and the
# 总计 typed in wrong), as .xlsx and as .xls: the same rows skipped, the same findings, by sheet
for ext in xlsx xls; do
	fresh_db_with_config
	run_kpr import projects "$TESTDATA/workbook/sections.$ext" --year 2023
	is "$status" 0 "$ext: a workbook with headings and subtotals imports"
	like "$err" "sections.$ext: 4 rows: 4 new, 0 changed, 0 unchanged, 0 rejected" "$ext: only the four project rows count"
	like "$err" "sections.$ext: 3 heading rows, 4 subtotal rows skipped" "$ext: the nested headings and the subtotals are counted"
	is "$(psql_q "SELECT string_agg(code || ':' || total_investment::text, ' ' ORDER BY code) FROM kpr.project")" \
		"LAY-001:300.0000 LAY-002:200.0000 LAY-003:400.0000 LAY-004:100.0000" "$ext: the projects and their figures, nothing from the other rows"
	like "$err" "sections.$ext:项目表:13: 小计 of 总投资\(万元\) is 450.0000 万元, but the rows since line 11 add up to 500.0000 万元" \
		"$ext: a wrong 小计 typed in is a warning naming the sheet, the row and both figures"
	like "$err" "sections.$ext:项目表:14: 总计 of 总投资\(万元\) is 999.0000 万元, but the file's project rows add up to 1000.0000 万元" \
		"$ext: a wrong 总计 too"
	is "$(grep -c warning <<<"$err")" 2 "$ext: the formulas' saved values (合计 first, the first 小计) draw no warning"
done
done_testing
