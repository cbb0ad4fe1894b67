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

cat > sum.csv <<'EOF2'
项目代码,月份,本月完成投资(万元),累计完成投资(万元)
LF2023-003,2023-01,100,100
LF2023-003,2023-02,50,150
LF2023-003,2023-03,100,300
EOF2
run_kpr import progress sum.csv
is "$status" 1 "a year-to-date that is not the earlier months plus this month is rejected"
like "$err" "sum.csv:4:累计完成投资\(万元\): project LF2023-003, 2023-03: the year-to-date 300 万元 is not the earlier months' 150 \+ this month's 100 = 250 万元 \(off by 50\)" \
	"with both figures and the difference"
is "$(months)" 0 "nothing written"

run_kpr import progress sum.csv --on-error skip
is "$status" 1 "skip mode: the row is rejected"
is "$(months)" 2 "skip mode: the months that add up are written"

sed -i 's/,100,300$/,100,250/' sum.csv
run_kpr import progress sum.csv
is "$status" 0 "months that add up import"
is "$(months)" 3 "the third month is written"

printf '项目代码,月份,本月完成投资(万元),累计完成投资(万元)\nLF2023-002,2023-05,1500,9000\nLF2023-003,2023-04,10,260\n' > gap.csv
run_kpr import progress gap.csv
is "$status" 0 "a year-to-date without all the earlier months imports"
like "$err" "warning: gap.csv: 1 row\(s\) with a year-to-date that cannot be checked: not all the earlier months of the year are reported" \
	"with one warning"
is "$(months)" 5 "both months written"

# a correction of an earlier month under a later month given as a year-to-date
printf '项目代码,月份,本月完成投资(万元)\nLF2023-004,2023-01,100\n' > jan.csv
printf '项目代码,月份,累计完成投资(万元)\nLF2023-004,2023-02,150\n' > feb.csv
setup "January" "$KPR" -q import progress jan.csv
setup "February as a year-to-date" "$KPR" -q import progress feb.csv
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,200,\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 1 "a correction that makes a later derived month negative is refused"
like "$err" "fix.csv:2:本月完成投资\(万元\): project LF2023-004, 2023-01: the correction would make 2023-02, reported as the year-to-date 150 万元, negative \(-50 万元\); it needs an adjustment reason" \
	"naming that month"
is "$(months)" 7 "nothing written"
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,120,\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 0 "a correction that leaves the later month positive imports"
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,200,补报\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 0 "with an adjustment reason it imports"

done_testing
