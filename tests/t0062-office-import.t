#!/usr/bin/env bash
# kpr import progress run by a county office: its own projects' rows go in (through a temporary
# table and one INSERT ... SELECT the row-level policies check, the batch written by the
# registry's function); a file holding any other project is refused whole, each such row
# named, exit 4, nothing written.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "the test list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
O=${DBNAME}_guan
M=${DBNAME}_zhang
setup "an office for 固安县" "$KPR" -q office add "$O" --region 131022
setup "its member" "$KPR" -q office member add "$O" "$M"
setup "a zone office" "$KPR" -q office add "${DBNAME}_kj" --zone LKJJQ
as() { run_kpr -d "host=$KPR_TEST_HOST user=$1 dbname=$DBNAME" "${@:2}"; }
snapshot() {
	psql_q "SELECT concat_ws(' ', (SELECT count(*) FROM kpr.progress), (SELECT count(*) FROM kpr.import_batch),
	        (SELECT count(*) FROM kpr.audit_log), (SELECT count(*) FROM kpr.pool_move))"
}
PROGRESS="$TESTDATA/import/progress-2023.csv"
head -n 3 "$PROGRESS" > own.csv			# 固安县's project, April and May
cp "$PROGRESS" mixed.csv			# and 广阳区's (in the 临空 zone) and 大厂's

# --- another region's rows: refused whole ----------------------------------------------------
before=$(snapshot)
as "$O" import progress mixed.csv
is "$status" 4 "a file with other regions' projects exits 4"
is "$(grep -c "not in this office's regions" <<<"$err")" 3 "each such row is named"
like "$err" "^mixed.csv:4:项目代码: project LF2023-002 is in 广阳区 \(131003\), 临空经济区 \(LKJJQ\), not in this office's regions\$" \
	"as FILE:LINE:项目代码, with where the project is"
like "$err" "^mixed.csv:6:项目代码: project LF2023-003 is in 大厂回族自治县 \(131028\), not in this office's regions\$" \
	"every one of them"
like "$err" "mixed.csv: 3 rows for projects outside this office's regions \(固安县 \(131022\)\): nothing imported" \
	"then how many, and the office's regions"
unlike "$err" "mixed.csv:[23]:" "its own rows are not named"
is "$(snapshot)" "$before" "nothing is written, not even its own rows or a batch"
as "$O" import progress --on-error=skip mixed.csv
is "$status|$(snapshot)" "4|$before" "skipping bad rows does not skip another region's: refused whole"
printf '%s\n' '2303-131022-04-01-573274,固安智能制造产业园项目,2023-06,abc,,,,' >> mixed.csv
as "$M" import progress mixed.csv
is "$status" 4 "with a bad row as well, the other regions' rows still decide: exit 4"
like "$err" "mixed.csv:7:.*abc" "the bad row is named"
like "$err" "mixed.csv:6:项目代码: project LF2023-003" "and so are the other regions' rows"
is "$(snapshot)" "$before" "and nothing is written"

# --- its own rows ----------------------------------------------------------------------------
as "$O" import progress --dry-run own.csv
is "$status|$(snapshot)" "0|$before" "a dry run writes nothing"
as "$O" import progress own.csv
is "$status" 0 "an office imports its own projects' rows"
like "$err" "own.csv: 2 rows: 2 new months, 0 corrections, 0 unchanged, 0 rejected" "and says what it wrote"
like "$err" "start dates are kept on the progress rows; an office's import does not set the projects' start" \
	"a start date is kept on its row, said so"
batch=$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")
is "$(psql_q "SELECT concat_ws('|', db_user, kind, rows_read, rows_inserted, checksum ~ '^[0-9a-f]{64}\$', finished_at IS NOT NULL)
              FROM kpr.import_batch WHERE batch_id = $batch")" "$O|progress|2|2|t|t" \
	"its batch names the office, with counts, checksum and end"
is "$(psql_q "SELECT string_agg(concat_ws(' ', to_char(month, 'YYYY-MM'), amount, reported_by, pc.batch_id), ', ' ORDER BY month)
              FROM kpr.progress_current pc JOIN kpr.project p USING (project_id) WHERE p.code = '2303-131022-04-01-573274'")" \
	"2023-04 3000.0000 $O $batch, 2023-05 4000.5000 $O $batch" "the months are the batch's, reported by the office"
is "$(psql_q "SELECT count(*) FROM kpr.progress WHERE reported_by IS NOT NULL AND batch_id = $batch")" 0 \
	"the rows name no reporter of their own: the batch does"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'progress'")" 0 "and are not audited one by one"

after=$(snapshot)
as "$M" import progress own.csv
is "$status" 0 "the same file again, by a member"
like "$err" "0 new months, 0 corrections, 2 unchanged" "changes nothing"
is "$(snapshot)" "$after" "and leaves no batch (the office took its rows back)"
sed -e 's/,4000.5,/,4100,/' own.csv > corrected.csv
as "$M" import progress corrected.csv
is "$status" 0 "a member imports a correction"
like "$err" "0 new months, 1 corrections, 1 unchanged" "counted as a correction"
is "$(psql_q "SELECT db_user FROM kpr.import_batch ORDER BY batch_id DESC LIMIT 1")" "$M" "its batch names the member"
is "$(psql_q "SELECT amount FROM kpr.progress_current pc JOIN kpr.project p USING (project_id)
              WHERE p.code = '2303-131022-04-01-573274' AND month = '2023-05-01'")" "4100.0000" "and is current"

# --- a zone's office ---------------------------------------------------------------------------
{ head -n 1 "$PROGRESS"; grep '^LF2023-002,' "$PROGRESS"; } > zone.csv
as "${DBNAME}_kj" import progress zone.csv
is "$status" 0 "a zone's office imports its zone's project"
as "${DBNAME}_kj" import progress own.csv
is "$status" 4 "but not a region's project outside the zone"
like "$err" "own.csv:2:项目代码: project 2303-131022-04-01-573274 is in 固安县 \(131022\), not in this office's regions" \
	"named the same way"

# --- two offices over the same projects, their files in opposite orders ------------------------
# Each row's insert locks its project (trigger progress_post); an office's rows go in by project,
# so two offices sharing projects wait for each other in one order and never deadlock.  Made
# deterministic with a held lock: the first office waits for its first project, the second
# takes the other one and then waits too; the first then gets both.
P1=2303-131022-04-01-573274
P2=LF2023-003
setup "two offices with 固安县 and 大厂" eval '"$KPR" -q office add "${DBNAME}_a" --region 131022,131028 &&
	"$KPR" -q office add "${DBNAME}_b" --region 131022,131028'
{ head -n 1 "$PROGRESS"; printf '%s\n' "$P1,,2023-07,10,,,," "$P2,,2023-07,20,,,,"; } > ab.csv
{ head -n 1 "$PROGRESS"; printf '%s\n' "$P2,,2023-08,30,,,," "$P1,,2023-08,40,,,,"; } > ba.csv
lock_waits() { # USER: 1 when its session waits for a lock
	psql_q "SELECT count(*) FROM pg_stat_activity WHERE usename = '$1' AND wait_event_type = 'Lock'"
}
waiting() { [ "$(lock_waits "$1")" = 1 ]; }
hold "SELECT 1 FROM kpr.project WHERE code = '$P1' FOR NO KEY UPDATE;"
${KPR_WRAPPER:-} "$KPR" -d "host=$KPR_TEST_HOST user=${DBNAME}_a dbname=$DBNAME" import progress ab.csv >a.out 2>a.err &
pa=$!
ok "the first office waits for $P1" until_true waiting "${DBNAME}_a"
${KPR_WRAPPER:-} "$KPR" -d "host=$KPR_TEST_HOST user=${DBNAME}_b dbname=$DBNAME" import progress ba.csv >b.out 2>b.err &
pb=$!
ok "and the second too" until_true waiting "${DBNAME}_b"
release
waited "$pa" sa
waited "$pb" sb
is "$sa|$sb" "0|0" "both imports succeed"
unlike "$(cat a.err b.err)" "deadlock" "no deadlock"
is "$(psql_q "SELECT string_agg(p.code || ' ' || to_char(month, 'MM') || ' ' || trim_scale(pc.amount), ', '
              ORDER BY p.code, month) FROM kpr.progress_current pc JOIN kpr.project p USING (project_id)
              WHERE month IN ('2023-07-01', '2023-08-01')")" \
	"$P1 07 10, $P1 08 40, $P2 07 20, $P2 08 30" "and every month of both is there"

# --- the city, unchanged ----------------------------------------------------------------------
grep '^LF2023-003,' "$PROGRESS" | sed -e 's/,2023-05,/,2023-09,/' > city.csv
sed -i "1i $(head -n 1 "$PROGRESS")" city.csv
run_kpr import progress city.csv
is "$status" 0 "the city imports another region's rows"
is "$(psql_q "SELECT db_user FROM kpr.import_batch ORDER BY batch_id DESC LIMIT 1")" "postgres" "under its own name"

done_testing
