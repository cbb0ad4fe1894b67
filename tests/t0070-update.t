#!/usr/bin/env bash
# kpr update CODE --month YYYY-MM (--amount N | --ytd N): a month posted, corrected (the earlier
# figure kept, versions numbered), derived from a year-to-date; starts and completions moving
# the project's pool; every refusal of bad input, writing nothing; a role that may not post.
. "$KPR_SRC/tests/lib.sh"
export KPR_TODAY=2023-10-15
fresh_db_with_progress
P1=2303-131022-04-01-573274
P5=LF2023-005

rows() { psql_q "SELECT count(*) FROM kpr.progress"; }
history() { # code month: amount@version, oldest first
	psql_q "SELECT string_agg(trim_scale(g.amount) || '@' || g.version, ' ' ORDER BY g.version)
	        FROM kpr.progress g JOIN kpr.project p USING (project_id) WHERE p.code = '$1' AND g.month = '$2-01'"
}
current() { psql_q "SELECT trim_scale(c.amount) FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
                    WHERE p.code = '$1' AND c.month = '$2-01'"; }

# --- the command line -----------------------------------------------------------------------
run_kpr help update
like "$out" "kpr update CODE --month YYYY-MM \(--amount N \| --ytd N\)" "kpr help update gives the synopsis"
like "$out" "--reason=TEXT +why: a negative month" "and documents --reason"
run_kpr update "$P1" --amount 5
is "$status" 2 "no --month is a usage error"
run_kpr update "$P1" --month 2023-06
is "$status" 2 "neither --amount nor --ytd is a usage error"
run_kpr update "$P1" --month 2023-06 --amount x
is "$status" 2 "an amount that is not one is a usage error"

# --- bad input: exit 1, nothing written -----------------------------------------------------
before=$(rows)
run_kpr update "$P1" --month 2023-06 --amount 5 --ytd 9000
is "$status" 1 "--amount with --ytd is refused"
like "$err" "give --amount or --ytd, not both" "and says so"
run_kpr update 2303-131022-04-01-573275 --month 2023-06 --amount 5
is "$status" 1 "an unknown code is refused"
like "$err" "no project with code '2303-131022-04-01-573275'" "naming it"
like "$err" "HINT: +Did you mean $P1 \(固安智能制造产业园项目\)\?" "with the nearest code"
run_kpr update 固安智能制造产业园 --month 2023-06 --amount 5
like "$err" "HINT: +Did you mean $P1 \(固安智能制造产业园项目\)\?" "or the nearest name"
run_kpr update "$P1" --month 2023-11 --amount 5
is "$status" 1 "a month in the future (KPR_TODAY) is refused"
like "$err" "project $P1, 2023-11: the month is in the future \(today is in 2023-10\)" "and says so"
run_kpr update "$P1" --month 2022-12 --amount 5
is "$status" 1 "a month before the start year is refused"
like "$err" "before its start year 2023" "and says so"
run_kpr update "$P1" --month 2023-06 --amount -5
is "$status" 1 "a negative month without a reason is refused"
like "$err" "a negative month \(调减\) needs a reason" "and asks for one"
run_kpr update "$P1" --month 2023-06 --amount -8000 --reason "wrong"
is "$status" 1 "a month that takes the year-to-date below zero is refused, even with a reason"
like "$err" "would take the year-to-date of 2023-06 below zero \(-999.5 万元\)" "naming the month and the figure"
run_kpr update "$P1" --month 2023-06 --ytd 6000
is "$status" 1 "a year-to-date below the earlier months' without a reason is refused"
like "$err" "the year-to-date 6000.0000 万元 is below the 7000.5 万元 already reported this year" "with both figures"
run_kpr update "$P1" --month 2023-06 --amount 5 --started 2023-07-01 --completed 2023-06-01
is "$status" 1 "a start after the completion is refused"
like "$err" "--started 2023-07-01 is after --completed 2023-06-01" "and says so"
run_kpr update "$P1" --month 2023-06 --amount 5 --completed 2023-03-01
is "$status" 1 "a completion before the recorded start is refused by the database"
like "$err" "project $P1: started 2023-04-18 after its completion 2023-03-01" "naming both dates"
run_kpr update "$P5" --month 2023-09 --amount 5 --completed 2023-09-30
is "$status" 1 "--completed for a project never started is refused"
like "$err" "project $P5 was never started" "and says so"
run_kpr update "$P1" --month 2023-06 --amount 5 --started 2023-02-30
is "$status" 1 "a date that does not exist is refused"
is "$(rows)" "$before" "none of them wrote a row"

# --- a month posted, then corrected ----------------------------------------------------------
plan=$(psql_q "SELECT trim_scale(annual_plan) FROM kpr.project_year JOIN kpr.project USING (project_id) WHERE code = '$P1'")
run_kpr update "$P1" --month 2023-06 --amount 1000 --progress "主体封顶" --problems "无"
is "$status" 0 "a month is posted"
rate0=$(psql_q "SELECT round(7000.5 * 100 / $plan, 1)")
rate=$(psql_q "SELECT round(8000.5 * 100 / $plan, 1)")
like "$out" "^$P1 固安智能制造产业园项目$" "the table is titled with the project"
like "$out" "^before +2023-06 +7000.5000 +$rate0$" "before: the month had no figure, the year-to-date the earlier months'"
like "$out" "^after +2023-06 +1000.0000 +8000.5000 +$rate +1$" "after: the month, the year-to-date, the rate, version 1"
is "$(history "$P1" 2023-06)" "1000@1" "one row, version 1"
is "$(psql_q "SELECT physical_progress || '/' || problems || '/' || reported_by FROM kpr.progress_current c
              JOIN kpr.project p USING (project_id) WHERE p.code = '$P1' AND c.month = '2023-06-01'")" \
	"主体封顶/无/postgres" "with its texts and who reported it"

run_kpr update "$P1" --month 2023-06 --amount 1200
is "$status" 0 "posting the month again is a correction"
like "$out" "^before +2023-06 +1000.0000 +8000.5000 +.* 1$" "before: the earlier figure"
like "$out" "^after +2023-06 +1200.0000 +8200.5000 +.* 2$" "after: the correction, version 2"
is "$(history "$P1" 2023-06)" "1000@1 1200@2" "the earlier row stays in the history"
is "$(current "$P1" 2023-06)" 1200 "the correction is current"

run_kpr update "$P1" --month 2023-05 --amount 4000.5
is "$(history "$P1" 2023-05)" "4000.5@1 4000.5@2" "an imported month corrected by hand gets the next version"

run_kpr update "$P1" --month 2023-07 --amount -200 --reason "核减重复统计"
is "$status" 0 "a negative month with a reason is posted"
is "$(psql_q "SELECT adjustment_reason FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND c.month = '2023-07-01'")" "核减重复统计" "with its reason"

# --- a year-to-date ---------------------------------------------------------------------------
ytd=$(psql_q "SELECT trim_scale(sum(amount)) FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND c.month < '2023-08-01'")
run_kpr update "$P1" --month 2023-08 --ytd 9000
is "$status" 0 "a year-to-date is posted"
is "$(current "$P1" 2023-08)" "$(psql_q "SELECT trim_scale(9000 - $ytd)")" "the month is derived from the earlier months"
like "$out" "^after +2023-08 +.* 9000.0000 " "and the year-to-date is the one given"
is "$(psql_q "SELECT coalesce(g.amount::text, 'NULL') || ' ' || trim_scale(g.ytd) FROM kpr.progress g
              JOIN kpr.project p USING (project_id) WHERE p.code = '$P1' AND g.month = '2023-08-01'")" "NULL 9000" \
	"it is stored as reported: the year-to-date, no amount (derived when read)"

# --- a correction that makes a later month given as a year-to-date negative -----------------
before=$(rows)
run_kpr update "$P1" --month 2023-07 --amount 3000
is "$status" 1 "a correction that makes a later year-to-date month negative is refused without a reason"
like "$err" "would make 2023-08, reported as a year-to-date, negative" "naming that month"
is "$(rows)" "$before" "and writes nothing"

# --- starts and completions move the pool ----------------------------------------------------
is "$(psql_q "SELECT pool_code FROM kpr.project WHERE code = '$P5'")" preparation "a 前期 project is in preparation"
run_kpr update "$P5" --month 2023-09 --amount 100 --started 2023-09-12
is "$status" 0 "a start is posted"
is "$(psql_q "SELECT pool_code || ' ' || actual_start FROM kpr.project WHERE code = '$P5'")" "started 2023-09-12" \
	"the project is started, in the pool marked started"
is "$(psql_q "SELECT from_pool || '>' || to_pool || ' ' || moved_on || ' ' || moved_by FROM kpr.pool_move m
              JOIN kpr.project p USING (project_id) WHERE p.code = '$P5' ORDER BY move_id DESC LIMIT 1")" \
	"preparation>started 2023-09-12 postgres" "recorded as a pool move"
run_kpr update "$P5" --month 2023-10 --amount 100 --completed 2023-10-08
is "$status" 0 "a completion is posted"
is "$(psql_q "SELECT pool_code || ' ' || completed_on FROM kpr.project WHERE code = '$P5'")" "completed 2023-10-08" \
	"the project is completed, in the pool marked completed"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'project' AND new_row->>'code' = '$P5'
              AND op = 'UPDATE'")" 4 "each change of the project is audited"

# --- a role that may not post ---------------------------------------------------------------
setup "a login with only the reader's role" psql -X -q -d "$KPR_DATABASE" \
	-c "DROP ROLE IF EXISTS ${DBNAME}_viewer" -c "CREATE ROLE ${DBNAME}_viewer LOGIN IN ROLE ${DBNAME}_reader"
on_exit "psql -X -q -d \"\$KPR_DATABASE\" -c 'DROP OWNED BY ${DBNAME}_viewer' -c 'DROP ROLE ${DBNAME}_viewer' 2>/dev/null"
before=$(rows)
KPR_DATABASE="$KPR_DATABASE user=${DBNAME}_viewer" run_kpr update "$P1" --month 2023-09 --amount 10
is "$status" 4 "a role without INSERT on progress exits 4"
like "$err" "permission denied: role \"${DBNAME}_viewer\" may not post project $P1 \(固安智能制造产业园项目, region 131022\)" \
	"saying permission denied, naming the project"
unlike "$out" "after" "and prints no line after"
is "$(rows)" "$before" "nothing is written"
like "$err" "HINT: +Role \"${DBNAME}_viewer\" is in no office" "and that it is in no office"

# --- an office posting another region's project ----------------------------------------------
setup "大厂's office" "$KPR" -q office add "${DBNAME}_dc" --region 131028 --title 大厂回族自治县重点项目办
on_exit "psql -X -q -d \"\$KPR_DATABASE\" -c 'DROP OWNED BY ${DBNAME}_dc' -c 'DROP ROLE ${DBNAME}_dc' 2>/dev/null"
KPR_DATABASE="$KPR_DATABASE user=${DBNAME}_dc" run_kpr update "$P1" --month 2023-09 --amount 10
is "$status" 4 "an office posting another region's project exits 4"
like "$err" "permission denied: role \"${DBNAME}_dc\" may not post project $P1" "naming the project"
like "$err" "HINT: +This office posts the projects of 大厂回族自治县 \(131028\)" "and the office's regions"
is "$(rows)" "$before" "nothing is written"

done_testing
