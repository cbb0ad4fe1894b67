#!/usr/bin/env bash
# kpr colours: every project of the year's list coloured as of a month by the year's rules;
# counts, the changes since the month before worst first; a second run writes nothing; a
# changed result supersedes the stored one; --dry-run writes nothing; reloaded rules (the
# three-colour file) colour the same data differently while the stored rows keep what their
# rules said; the default month; the city's role only; migration 0011 on a registry with data.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config

# --- the command line ---------------------------------------------------------------------
run_kpr help colours
is "$status" 0 "kpr help colours works"
like "$out" "usage: kpr colours \[--month YYYY-MM\] \[--dry-run\]" "and gives the synopsis"
like "$out" "report_due_day" "and says how the default month is chosen"
run_kpr colors --help
is "$status" 0 "kpr colors is the same command"
like "$out" "usage: kpr colours" "with the same help"
run_kpr colours --month 2023-13
is "$status" 2 "a month that is none is a usage error"
run_kpr colours 2023-09
is "$status" 2 "the month is an option, not an argument"

# --- ten projects of 2023 whose colours can be worked out by hand ---------------------------
# Plans in 万元; as of September time progress is 75, as of August 66.67.
{
	echo "项目代码,项目名称,县(市、区),建设性质,建设起止年限,计划开工时间,总投资(万元),2023年计划投资(万元)"
	echo "C-RED,落后项目,固安县,续建,2022-2024,,500,100"
	echo "C-EDGE,临界项目,固安县,续建,2022-2024,,500,100"
	echo "C-GREEN,序时项目,固安县,续建,2022-2024,,500,100"
	echo "C-BLUE,超额项目,固安县,续建,2022-2024,,500,100"
	echo "C-MID,略落后项目,固安县,续建,2022-2024,,500,100"
	echo "C-DONE,竣工项目,固安县,续建,2022-2023,,500,100"
	echo "C-LATE,逾期开工项目,永清县,新开工,2023-2025,2023-06,300,"
	echo "C-STALL,停工项目,永清县,新开工,2023-2025,2023-02,300,"
	echo "C-SILENT,未报项目,永清县,前期,2023-2025,,300,"
	echo "C-NOPLAN,无计划项目,永清县,新开工,2023-2025,2023-01,300,"
} > projects.csv
{
	echo "项目代码,月份,本月完成投资,实际开工时间"
	echo "C-RED,2023-01,20,"
	echo "C-RED,2023-09,20,"
	echo "C-EDGE,2023-01,45,"
	echo "C-EDGE,2023-09,0,"
	echo "C-GREEN,2023-01,75,"
	echo "C-GREEN,2023-08,0,"
	echo "C-GREEN,2023-09,0,"
	echo "C-BLUE,2023-01,50,"
	echo "C-BLUE,2023-09,50,"
	echo "C-MID,2023-01,60,"
	echo "C-MID,2023-09,0,"
	echo "C-DONE,2023-01,80,"
	echo "C-DONE,2023-08,0,"
	echo "C-DONE,2023-09,0,"
	echo "C-LATE,2023-09,0,"
	echo "C-STALL,2023-02,10,2023-02-10"
	echo "C-STALL,2023-06,10,"
	echo "C-STALL,2023-07,0,"
	echo "C-STALL,2023-08,0,"
	echo "C-STALL,2023-09,0,"
	echo "C-NOPLAN,2023-01,5,2023-01-10"
	echo "C-NOPLAN,2023-08,5,"
	echo "C-NOPLAN,2023-09,5,"
} > progress.csv
setup "import the list" "$KPR" -q import projects projects.csv --year 2023
setup "import the progress" "$KPR" -q import progress progress.csv
setup "C-DONE completed in September" psql_q "UPDATE kpr.project SET completed_on = '2023-09-10' WHERE code = 'C-DONE'"

# colour_current as "CODE rule colour" lines of a month, by code
current() {
	psql_q "SELECT string_agg(p.code || ' ' || coalesce(c.rule_id, '-') || ' ' || coalesce(c.colour, 'unrated'), ', '
	        ORDER BY p.code) FROM kpr.colour_current c JOIN kpr.project p USING (project_id) WHERE c.month = '$1-01'"
}
# the count of a colour's line in the counts table
count_of() { printf '%s\n' "$out" | awk -v c="$1" '$2 == c { print $3; exit }'; }

# --- August, then September -------------------------------------------------------------------
run_kpr colours --month 2023-08
is "$status" 0 "August is evaluated"
is "$(current 2023-08)" "C-BLUE yellow-behind yellow, C-DONE green green, C-EDGE yellow-behind yellow, C-GREEN green green, C-LATE yellow-start-overdue yellow, C-MID yellow-behind yellow, C-NOPLAN - unrated, C-RED red-behind-30 red, C-SILENT yellow-no-report yellow, C-STALL - unrated" \
	"each project's rule and colour as of August"
unlike "$out" "Changed since" "without a July there is no list of changes"

run_kpr colours --month 2023-09
is "$status" 0 "September is evaluated"
is "$(current 2023-09)" "C-BLUE blue-ahead blue, C-DONE blue-completed blue, C-EDGE yellow-behind yellow, C-GREEN green green, C-LATE red-start-overdue red, C-MID yellow-behind yellow, C-NOPLAN - unrated, C-RED red-behind-30 red, C-SILENT yellow-no-report yellow, C-STALL red-stalled red" \
	"as of September: exactly 30 behind is yellow, 3 months overdue and 3 months without investment red"
like "$out" "^Colours of 2023-09$" "the counts' title names the month"
is "$(count_of red) $(count_of yellow) $(count_of unrated) $(count_of green) $(count_of blue)" "3 3 1 1 2" \
	"the counts of red, yellow, unrated, green and blue"
like "$out" "^total +10$" "and the total"
like "$err" "colours of 2023-09: 10 projects; 10 evaluations stored, 0 unchanged" "the summary says what was stored"
like "$out" "^Changed since 2023-08, worst first$" "the changes since August follow"
is "$(printf '%s\n' "$out" | sed -n '/^Changed since/,$p' | awk 'NR > 3 { print $1 "=" $3 "" $5 }' | paste -sd' ')" \
	"C-LATE=黄红 C-STALL=未评红 C-BLUE=黄蓝 C-DONE=绿蓝" "worst first (red before blue), then by code, with the colour before"
like "$out" "^C-STALL .* 红 red: 在建项目连续3个月未完成投资 \(rule red-stalled: under_construction, months_without_investment 3 >= 3; no plan, time 75\.0%\)$" \
	"a change says why, with the figures the rule tested"
is "$(psql_q "SELECT reason FROM kpr.colour_current c JOIN kpr.project p USING (project_id)
              WHERE p.code = 'C-RED' AND c.month = '2023-09-01'")" \
	"红 red: 投资完成率落后序时进度30个百分点以上 (rule red-behind-30: has_plan, points_behind 35.0 > 30; completion 40.0%, time 75.0%)" \
	"colour_current gives the reason people read"
is "$(psql_q "SELECT figures->>'ytd', figures->>'plan', figures->>'points_behind', figures->>'started', rule_description,
                     jsonb_array_length(conditions), conditions->1->>'measure', conditions->1->>'actual'
              FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id) WHERE p.code = 'C-RED' AND e.month = '2023-09-01'")" \
	"40.0000|100.0000|35.0000|false|投资完成率落后序时进度30个百分点以上|2|points_behind|35.0000" \
	"the stored row keeps every measure, the rule's description and the conditions it tested"

# --- nothing changed: nothing written -------------------------------------------------------
rows=$(psql_q "SELECT count(*) FROM kpr.colour_evaluation")
run_kpr colours --month 2023-09
is "$status" 0 "a second run succeeds"
like "$err" "nothing changed" "and says nothing changed"
is "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation")" "$rows" "and writes no row"

# --- a correction: the changed row supersedes the stored one --------------------------------
printf '项目代码,月份,本月完成投资,调整原因\nC-EDGE,2023-01,44.9,复核更正\n' > correction.csv
setup "correct C-EDGE's January" "$KPR" -q import progress correction.csv
run_kpr colours --month 2023-09 --dry-run
is "$status" 0 "a dry run succeeds"
like "$out" "^Would be stored \(new or changed\), worst first$" "and lists what it would store"
like "$out" "^C-EDGE +临界项目 +黄 yellow +红 red +红 red: .*points_behind 30\.1 > 30" "the corrected project, red now"
is "$(printf '%s\n' "$out" | sed -n '/^Would be stored/,$p' | awk 'NR > 3' | wc -l)" 1 "and only it"
like "$err" "dry run: 1 evaluations would be stored, 9 unchanged; nothing written" "the summary says so"
is "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation")" "$rows" "a dry run writes nothing"

run_kpr colours --month 2023-09
like "$err" "1 evaluations stored, 9 unchanged" "the real run stores the one changed row"
is "$(psql_q "SELECT string_agg(coalesce(colour, '-') || ' ' || (superseded_at IS NULL), ',' ORDER BY evaluation_id)
              FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id) WHERE p.code = 'C-EDGE' AND e.month = '2023-09-01'")" \
	"yellow false,red true" "the yellow row stays as history, superseded; the red one is current"
dup=0
psql -X -q -d "$KPR_DATABASE" -c "INSERT INTO kpr.colour_evaluation (project_id, month, colour)
	SELECT project_id, '2023-09-01', 'green' FROM kpr.project WHERE code = 'C-EDGE'" >/dev/null 2>&1 || dup=$?
ok "a second current row for a project and month is refused (the partial unique index)" [ "$dup" != 0 ]

# --- other rules, same data: the three-colour scheme ----------------------------------------
setup "load the three-colour rules" "$KPR" -q import config "$KPR_SRC/data/langfang-2023/three-colour.yaml"
run_kpr colours --month 2023-09
is "$status" 0 "the three-colour rules evaluate"
is "$(count_of red) $(count_of yellow) $(count_of unrated) $(count_of green) $(count_of blue)" "2 1 0 7 0" \
	"more than 20 behind red, 10 to 20 yellow, the rest green (an empty when), no blue"
is "$(current 2023-09)" "C-BLUE green green, C-DONE green green, C-EDGE red-behind-20 red, C-GREEN green green, C-LATE green green, C-MID yellow-behind-10 yellow, C-NOPLAN green green, C-RED red-behind-20 red, C-SILENT green green, C-STALL green green" \
	"each project by the three-colour rules"
is "$(psql_q "SELECT rule_id || ' ' || rule_description || ' ' || (conditions->1->>'value')
              FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id)
              WHERE p.code = 'C-RED' AND e.month = '2023-09-01' AND superseded_at IS NOT NULL")" \
	"red-behind-30 投资完成率落后序时进度30个百分点以上 30" \
	"the superseded row still says what its rule was, though the rule is gone from colour_rule"
setup "the default rules again" "$KPR" -q import config "$TESTDATA/config.yaml"

run_kpr colours --month 2023-10 --dry-run
like "$out" "^C-RED +落后项目 +红 red +红 red: 投资完成率" "a dry run of a month never stored: the stored column is empty"
is "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation WHERE month = '2023-10-01'")" 0 "and nothing is written"

# --- the default month: reports due on report_due_day of the month after ----------------------
KPR_TODAY=2023-10-04 run_kpr colours --dry-run
like "$out" "^Colours of 2023-08$" "on 4 October September's reports are not due yet (day 5): August"
KPR_TODAY=2023-10-05 run_kpr colours --dry-run
like "$out" "^Colours of 2023-09$" "on 5 October they are: September"
printf 'kpr_config: 1\nreport_due_day: 3\n' > due.yaml
setup "reports due on the 3rd" "$KPR" -q import config due.yaml
KPR_TODAY=2023-10-04 run_kpr colours --dry-run
like "$out" "^Colours of 2023-09$" "with report_due_day 3, 4 October is after September's"
run_kpr config
like "$out" "report_due_day +3" "kpr config shows the setting"
printf 'kpr_config: 1\nreport_due_day: 31\n' > bad-due.yaml
run_kpr import config bad-due.yaml
is "$status" 1 "a due day not every month has is refused"

# --- a year without rules ---------------------------------------------------------------------
run_kpr colours --month 2024-03
is "$status" 1 "a year without colour rules is an input error"
like "$err" "2024 has no colour rules" "naming the year"

# --- the city's role only ---------------------------------------------------------------------
setup "a county login" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_cty LOGIN IN ROLE ${DBNAME}_county"
rows=$(psql_q "SELECT count(*) FROM kpr.colour_evaluation")
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_cty dbname=$DBNAME" colours --month 2023-09
is "$status" 4 "a county office may not evaluate the colours"
like "$err" "only the city office may evaluate the colours" "and is told why"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_cty dbname=$DBNAME" colours --month 2023-09 --dry-run
is "$status" 4 "not even as a dry run"
is "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation")" "$rows" "nothing was written"
on_exit "psql -X -q -d postgres -c 'DROP OWNED BY ${DBNAME}_cty' -c 'DROP ROLE ${DBNAME}_cty' >/dev/null 2>&1"

# --- migration 0011 on a registry holding evaluations and overrides ---------------------------
fresh_db m11
setup "a registry at 0006 with colours" registry_at 6 <<EOF
INSERT INTO region (code, name, level) VALUES ('131022', '固安县', 'county');
INSERT INTO project (code, name, region_code) VALUES ('P-1', '道路', '131022'), ('P-2', '桥梁', '131022');
INSERT INTO colour_evaluation (project_id, month, colour, rule_id)
	SELECT project_id, '2023-09-01', 'yellow', 'yellow-behind' FROM project WHERE code = 'P-1';
INSERT INTO colour_evaluation (project_id, month, colour, rule_id)
	SELECT project_id, '2023-09-01', 'red', 'red-behind-30' FROM project WHERE code = 'P-1';
INSERT INTO colour_evaluation (project_id, month, colour, rule_id)
	SELECT project_id, '2023-09-01', NULL, NULL FROM project WHERE code = 'P-2';
INSERT INTO colour_override (project_id, colour, reason, from_month, revoked_at)
	SELECT project_id, 'blue', '已验收', '2023-08-01', now() FROM project WHERE code = 'P-2';
EOF
run_kpr init
is "$status" 0 "init upgrades a registry holding evaluations"
[ "$status" = 0 ] || diag "$err"
is "$(psql_q "SELECT string_agg(p.code || ' ' || coalesce(e.colour, '-') || ' ' || coalesce(e.rule_colour, '-') || ' '
              || (e.superseded_at IS NULL), ', ' ORDER BY e.evaluation_id)
              FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id)")" \
	"P-1 yellow yellow false, P-1 red red true, P-2 - - true" \
	"the latest of a project and month is current, the earlier superseded, the rules' colour kept"
is "$(psql_q "SELECT revoked_by || ' ' || revoke_reason FROM kpr.colour_override")" "postgres (before 0011)" \
	"a revoked override gets who and why"
is "$(psql_q "SELECT string_agg(p.code || ' ' || coalesce(c.colour, '-'), ', ' ORDER BY p.code)
              FROM kpr.colour_current c JOIN kpr.project p USING (project_id)")" "P-1 red, P-2 -" \
	"colour_current shows the current rows, a revoked override not above them"

done_testing
