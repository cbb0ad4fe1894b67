#!/usr/bin/env bash
# kpr import progress: 累计完成投资 is the year-to-date.  A header for the total since the start is
# refused; a row with both the month and the year-to-date must add up with the earlier months.  A
# month given as a year-to-date is stored as reported; its amount is derived when read
# (progress_current), so the months add up to the year-to-date whatever is corrected later.
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
like "$err" "warning: gap.csv: 1 row with a year-to-date that cannot be checked: not all the earlier months of the year are reported" \
	"with one warning"
is "$(months)" 5 "both months written"

# a correction of an earlier month under a later month given as a year-to-date
printf '项目代码,月份,本月完成投资(万元)\nLF2023-004,2023-01,100\n' > jan.csv
printf '项目代码,月份,累计完成投资(万元)\nLF2023-004,2023-02,150\n' > feb.csv
setup "January" "$KPR" -q import progress jan.csv
run_kpr import progress feb.csv --dry-run -v
like "$err" "feb.csv:2: LF2023-004, 2023-02: 50 \(ytd 150\)$" "--dry-run -v lists a month given as a year-to-date with its derived amount"
setup "February as a year-to-date" "$KPR" -q import progress feb.csv
# stored: what was reported; current figures: LF2023-004's months as amount/ytd/reported amount/reported ytd
stored() { # month
	psql_q "SELECT coalesce(trim_scale(amount)::text, 'NULL') || '/' || coalesce(trim_scale(ytd)::text, 'NULL')
	        FROM kpr.progress JOIN kpr.project USING (project_id) WHERE code = 'LF2023-004' AND month = '2023-$1-01'
	        ORDER BY progress_id"
}
figures() {
	psql_q "SELECT string_agg(to_char(month, 'MM') || ' ' || concat_ws('/', trim_scale(amount), trim_scale(ytd),
	        coalesce(trim_scale(reported_amount)::text, '-'), coalesce(trim_scale(reported_ytd)::text, '-')), ', ' ORDER BY month)
	        FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = 'LF2023-004'"
}
is "$(stored 02)" "NULL/150" "a month given as a year-to-date is stored as reported: no amount, its year-to-date"
is "$(figures)" "01 100/100/100/-, 02 50/150/-/150" \
	"the current figures derive its amount, and the year-to-date of a month given as an amount"
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,200,\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 1 "a correction that makes a later derived month negative is refused"
like "$err" "fix.csv:2:本月完成投资\(万元\): project LF2023-004, 2023-01: the correction would make 2023-02, reported as the year-to-date 150 万元, negative \(-50 万元\); it needs an adjustment reason" \
	"naming that month"
is "$(months)" 7 "nothing written"
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,120,\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 0 "a correction that leaves the later month positive imports"
is "$(figures)" "01 120/120/120/-, 02 30/150/-/150" \
	"the later month given as a year-to-date follows the correction: its amount is derived again"
is "$(stored 02)" "NULL/150" "without a new row for it"
printf '项目代码,月份,累计完成投资(万元)\nLF2023-004,2023-02,160\n' > feb2.csv
run_kpr import progress feb2.csv --dry-run -v
like "$err" "feb2.csv:2: LF2023-004, 2023-02: ytd 150 → ytd 160$" "--dry-run -v lists its correction as reported"
printf '项目代码,月份,本月完成投资(万元),调整原因\nLF2023-004,2023-01,200,补报\n' > fix.csv
run_kpr import progress fix.csv
is "$status" 0 "with an adjustment reason it imports"
is "$(figures)" "01 200/200/200/-, 02 -50/150/-/150" "with a reason the derived month may be negative"
fixbatch=$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")
printf '项目代码,月份,本月完成投资(万元)\nLF2023-004,2023-03,10\n' > mar.csv
setup "March as an amount" "$KPR" -q import progress mar.csv
is "$(figures)" "01 200/200/200/-, 02 -50/150/-/150, 03 10/160/10/-" \
	"a month after a year-to-date adds up from it"
setup "revert the correction" "$KPR" -q batch revert "$fixbatch" --reason "wrong figure"
is "$(figures)" "01 120/120/120/-, 02 30/150/-/150, 03 10/160/10/-" \
	"a reverted batch's rows leave the derived figures: the earlier version counts again"
printf '项目代码,月份,累计完成投资(万元)\nLF2023-004,2024-01,40\nLF2023-004,2024-02,70\n' > y2024.csv
KPR_TODAY=2024-03-15 run_kpr import progress y2024.csv --allow-unlisted
is "$status" 0 "a new year's months given as a year-to-date import"
is "$(psql_q "SELECT string_agg(to_char(month, 'YYYY-MM') || ' ' || trim_scale(amount) || '/' || trim_scale(ytd), ', ' ORDER BY month)
              FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = 'LF2023-004' AND month >= '2024-01-01'")" \
	"2024-01 40/40, 2024-02 30/70" "a year starts from nothing: January's year-to-date is its amount"

# one project's figures read only that project's rows (the windows are partitioned by project)
id=$(psql_q "SELECT project_id FROM kpr.project WHERE code = 'LF2023-004'")
plan=$(psql_q "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT * FROM kpr.progress_current WHERE project_id = $id")
like "$plan" "Index Cond: \(project_id = '?$id'?(::bigint)?\)" "a query for one project is pushed down to the progress index"
unlike "$plan" "Filter: \(.*project_id = " "and filters nothing after the windows"

# a month given as a year-to-date below the months before it needs a reason
printf '项目代码,月份,累计完成投资(万元)\nLF2023-002,2023-06,9500\nLF2023-002,2023-07,9200\nLF2023-002,2023-08,9300\n' > low.csv
before=$(months)
run_kpr import progress low.csv
is "$status" 1 "a year-to-date below the earlier months' is refused"
like "$err" "low.csv:3:累计完成投资\(万元\): project LF2023-002, 2023-07: the year-to-date 9200.0000 万元 is below the 9500.0000 万元 already reported this year; a downward adjustment needs a reason" \
	"naming the month and both figures"
is "$(months)" "$before" "nothing written"
run_kpr import progress low.csv --on-error skip
is "$status" 1 "skip mode: the month is rejected"
like "$err" "low.csv:4:累计完成投资\(万元\): project LF2023-002, 2023-08: the year-to-date 9300.0000 万元 is below the 9500.0000 万元" \
	"and so is the next, below the month before the one rejected"
is "$(psql_q "SELECT string_agg(to_char(month, 'MM') || ' ' || trim_scale(amount) || '/' || trim_scale(ytd), ', ' ORDER BY month)
              FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = 'LF2023-002' AND month > '2023-05-01'")" \
	"06 500/9500" "skip mode: only the month that adds up is written"

# --- 0007 on a registry at 0006 holding progress ------------------------------------------
fresh_db v6
setup "a registry at 0006 with months given both ways" registry_at 6 <<EOF2
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO project (code, name, region_code) VALUES ('P-1', '道路', '131002');
INSERT INTO import_batch (kind, file_name, checksum) VALUES ('progress', 'a.csv', ''), ('progress', 'b.csv', '');
-- January as an amount, corrected; February given as a year-to-date (its amount derived at import)
INSERT INTO progress (project_id, month, amount, batch_id) SELECT project_id, '2023-01-01', 10, 1 FROM project;
INSERT INTO progress (project_id, month, amount, ytd, batch_id) SELECT project_id, '2023-02-01', 15, 25, 1 FROM project;
INSERT INTO progress (project_id, month, amount, batch_id) SELECT project_id, '2023-01-01', 12, 2 FROM project;
EOF2
old=$(psql_q "SELECT string_agg(concat_ws('/', to_char(month, 'MM'), amount, ytd), ', ' ORDER BY month) FROM kpr.progress_current")
run_kpr init
is "$status" 0 "init upgrades a registry from 0006"
# (0007 and those after it: a later migration must not make this fail)
is "$(psql_q "SELECT count(*) FROM kpr.schema_migrations WHERE version = 7")" 1 "through 0007"
is "$(psql_q "SELECT string_agg(concat_ws('/', to_char(month, 'MM'), amount, reported_amount, ytd, coalesce(reported_ytd::text, '-')), ', ' ORDER BY month) FROM kpr.progress_current")" \
	"01/12.0000/12.0000/12.0000/-, 02/15.0000/15.0000/25.0000/25.0000" \
	"the stored rows keep their figures, read as reported (old: $old)"
is "$(psql_q "SELECT count(*) FROM kpr.progress")" 3 "no row is rewritten"
setup "a month as a year-to-date, stored the new way" psql_q "INSERT INTO kpr.progress (project_id, month, ytd, batch_id) SELECT project_id, '2023-03-01', 40, 2 FROM kpr.project"
is "$(psql_q "SELECT amount FROM kpr.progress_current WHERE month = '2023-03-01'")" "15.0000" "its amount is derived"
run_kpr batch revert 2 --reason "wrong"
is "$status" 0 "a batch of the upgraded registry is reverted"
is "$(psql_q "SELECT string_agg(concat_ws('/', to_char(month, 'MM'), trim_scale(amount), trim_scale(ytd)), ', ' ORDER BY month) FROM kpr.progress_current")" \
	"01/10/10, 02/15/25" "and the earlier figures are current"
status=0; psql_q "INSERT INTO kpr.progress (project_id, month, batch_id) SELECT project_id, '2023-04-01', 2 FROM kpr.project" 2>/dev/null || status=$?
ok "a month with neither figure is refused (status $status)" test "$status" != 0

done_testing
