#!/usr/bin/env bash
# Row-level security and grants, tried through plain psql: an office writes progress and pool
# moves for its own regions' projects only, under its own name (or its member's), and cannot
# touch the audit trail or the batches, nor skip the audit with kpr.batch_id; the city writes
# everything; the reader only reads.  Then migration 0008 on a registry holding data.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "the test list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
O=${DBNAME}_guan		# 固安县 131022
M=${DBNAME}_zhang		# a member of it
setup "an office and a member" "$KPR" -q office add "$O" --region 131022 --title 固安县重点项目办
setup "its member" "$KPR" -q office member add "$O" "$M"
setup "a zone office" "$KPR" -q office add "${DBNAME}_kaifa" --zone 131071
setup "a city clerk and a reader" psql -X -q -d postgres \
	-c "CREATE ROLE ${DBNAME}_clerk LOGIN IN ROLE ${DBNAME}_city" -c "CREATE ROLE ${DBNAME}_rd LOGIN IN ROLE ${DBNAME}_reader"
setup "a project of 固安县 in the zone" psql_q "UPDATE kpr.project SET zone_code = '131071' WHERE code = 'LF2023-004'"

OWN=$(psql_q "SELECT project_id FROM kpr.project WHERE code = '2303-131022-04-01-573274'")	# 固安县
FOREIGN=$(psql_q "SELECT project_id FROM kpr.project WHERE code = 'LF2023-003'")		# 大厂
ZONED=$(psql_q "SELECT project_id FROM kpr.project WHERE code = 'LF2023-004'")		# 三河, in the zone

# as ROLE SQL: status and output (stderr too) of SQL run by ROLE through plain psql
as() {
	status=0
	out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 "host=$KPR_TEST_HOST user=$1 dbname=$DBNAME" -c "$2" 2>&1) || status=$?
}
count() { psql_q "SELECT count(*) FROM kpr.$1"; }
row() { psql_q "SELECT concat_ws('|', project_id, to_char(month, 'YYYY-MM'), amount, reported_by, coalesce(batch_id::text, ''))
                FROM kpr.progress WHERE progress_id = (SELECT max(progress_id) FROM kpr.progress)"; }

# --- who the session is ----------------------------------------------------------------------
as "$O" "SELECT kpr.may_write_project($OWN), kpr.may_write_project($FOREIGN), kpr.office_scope_text()"
is "$out" "t|f|固安县 (131022)" "the office may write its region's project, not another's, and names its region"
as "$M" "SELECT kpr.may_write_project($OWN), kpr.may_write_project($FOREIGN), kpr.office_scope_text()"
is "$out" "t|f|固安县 (131022)" "its member acts for it"
as "${DBNAME}_kaifa" "SELECT kpr.may_write_project($ZONED), kpr.may_write_project($OWN), kpr.office_scope_text()"
is "$out" "t|f|廊坊经济技术开发区 (131071)" "a zone's office writes the zone's projects"
as "${DBNAME}_clerk" "SELECT kpr.may_write_project($FOREIGN), kpr.office_scope_text() IS NULL"
is "$out" "t|t" "the city may write any project, and is no office"
is "$(psql_q "SELECT kpr.office_scope_text() IS NULL")" "t" "nor is a superuser (a member of every role to pg_has_role)"

# --- progress --------------------------------------------------------------------------------
before=$(count progress); audit=$(count audit_log)
as "$O" "INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-05-01', 10)"
is "$status" 0 "an office posts its own project's month"
is "$(row)" "$OWN|2023-05|10.0000|$O|" "under its own name"
is "$(psql_q "SELECT db_user FROM kpr.audit_log WHERE table_name = 'progress' ORDER BY audit_id DESC LIMIT 1")" "$O" \
	"and the audit names it"
as "$M" "INSERT INTO kpr.progress (project_id, month, amount, reported_by, reported_at)
         VALUES ($OWN, '2023-06-01', 11, '${DBNAME}_clerk', '2020-01-01')"
is "$status" 0 "a member posts for the office"
is "$(row)" "$OWN|2023-06|11.0000|$M|" "under the member's own name, whatever reported_by it gave"
is "$(psql_q "SELECT reported_at > now() - interval '1 hour' FROM kpr.progress WHERE reported_by = '$M'")" "t" \
	"and at the time it posted"
n=$(count progress); audit=$(count audit_log)
sum=$(psql_q "SELECT sum(amount) FROM kpr.progress WHERE project_id = $FOREIGN")
as "$O" "INSERT INTO kpr.progress (project_id, month, amount) VALUES ($FOREIGN, '2023-05-01', 99)"
is "$status" 1 "an office posting another region's project is refused"
like "$out" "new row violates row-level security policy for table \"progress\"" "by the row-level policy"
is "$(count progress)|$(psql_q "SELECT sum(amount) FROM kpr.progress WHERE project_id = $FOREIGN")" "$n|$sum" \
	"and the project's figures are unchanged"
as "$M" "INSERT INTO kpr.progress (project_id, month, amount) SELECT project_id, '2023-07-01', 1 FROM kpr.project"
is "$status" 1 "a member inserting every project at once is refused whole"
is "$(count progress)" "$n" "nothing written"
as "$O" "UPDATE kpr.progress SET amount = 0 WHERE project_id = $FOREIGN"
is "$status" 1 "an office cannot update progress"
like "$out" "permission denied for table progress" "by the grants"
as "$O" "DELETE FROM kpr.progress"
is "$status|$out|$(count progress)" "0||$n" "nor delete it (it may take back only its own batch's rows, in the transaction that wrote them)"
as "$O" "COPY kpr.progress (project_id, month, amount) FROM STDIN"
is "$status" 1 "nor COPY into it"
as "${DBNAME}_clerk" "INSERT INTO kpr.progress (project_id, month, amount) VALUES ($FOREIGN, '2023-05-01', 12)"
is "$status" 0 "the city posts any region's project"
is "$(row)" "$FOREIGN|2023-05|12.0000|${DBNAME}_clerk|" "under its own name"
as "${DBNAME}_rd" "INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-08-01', 1)"
is "$status" 1 "the reader cannot write"
like "$out" "permission denied for table progress" "it is not granted"
total=$(count progress)
for who in "$O" "$M" "${DBNAME}_rd" "${DBNAME}_kaifa"; do
	as "$who" "SELECT count(*) FROM kpr.progress"
	is "$out" "$total" "$who reads every progress row"
done

# --- the audit trail and the batches ---------------------------------------------------------
audit=$(count audit_log); batches=$(count import_batch)
for sql in "UPDATE kpr.audit_log SET db_user = 'nobody'" "DELETE FROM kpr.audit_log" \
	"INSERT INTO kpr.audit_log (table_name, op) VALUES ('progress', 'INSERT')" "TRUNCATE kpr.audit_log"; do
	as "$O" "$sql"
	is "$status" 1 "an office cannot: $sql"
done
like "$out" "permission denied for table audit_log" "the audit trail is refused to it"
is "$(count audit_log)|$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE db_user = 'nobody'")" "$audit|0" "and is unchanged"
for sql in "UPDATE kpr.import_batch SET db_user = 'nobody'" "DELETE FROM kpr.import_batch" \
	"INSERT INTO kpr.import_batch (kind, file_name, checksum) VALUES ('progress', 'x', '')"; do
	as "$M" "$sql"
	is "$status" 1 "a member cannot: $sql"
done
is "$(count import_batch)" "$batches" "the batches are unchanged"

# the audit's skip for bulk loads: a batch the city opened, named by the office
setup "a city batch" "$KPR" -q import progress "$TESTDATA/import/progress-2023.csv"
city_batch=$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")
n=$(count progress); audit=$(count audit_log)
as "$O" "SET kpr.batch_id = '$city_batch'; INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-08-01', 5)"
is "$status" 1 "an office cannot skip the audit with SET kpr.batch_id naming another's batch"
as "$O" "SELECT set_config('kpr.batch_id', '$city_batch', true);
         INSERT INTO kpr.progress (project_id, month, amount, batch_id) VALUES ($OWN, '2023-08-01', 5, $city_batch)"
is "$status" 1 "nor by writing its row into that batch"
as "$O" "SET kpr.batch_id = '999999'; INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-08-01', 5)"
is "$status" 1 "nor by naming a batch that does not exist"
as "$O" "INSERT INTO kpr.progress (project_id, month, amount, batch_id) VALUES ($OWN, '2023-08-01', 5, $city_batch)"
is "$status" 1 "nor put a row in another's batch (which would name its user)"
is "$(count progress)|$(count audit_log)" "$n|$audit" "nothing was written, audited or not"
as "$O" "INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-08-01', 5)
         RETURNING set_config('kpr.batch_id', '$city_batch', true)"
is "$(count progress)|$(count audit_log)" "$((n + 1))|$((audit + 1))" "a change that sets kpr.batch_id afterwards is audited"

# an office's own batch, opened through the registry's function, in this transaction only
as "$O" "BEGIN; SELECT set_config('kpr.batch_id', kpr.office_open_batch('progress', 'own.csv', 2023, 1, 0)::text, true);
         INSERT INTO kpr.progress (project_id, month, amount, batch_id)
         VALUES ($OWN, '2023-09-01', 7, current_setting('kpr.batch_id')::bigint); COMMIT"
is "$status" 0 "an office writes under a batch it opened in the same transaction"
own_batch=$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")
is "$(psql_q "SELECT db_user, opened_xact IS NOT NULL FROM kpr.import_batch WHERE batch_id = $own_batch")" "$O|t" \
	"the batch names the office, and the transaction that opened it"
is "$(row)" "$OWN|2023-09|7.0000|$O|$own_batch" "the row is the batch's, and names the office"
as "$O" "SET kpr.batch_id = '$own_batch'; INSERT INTO kpr.progress (project_id, month, amount) VALUES ($OWN, '2023-10-01', 5)"
is "$status" 1 "its own batch, in a later transaction, skips nothing"
n=$(count progress)
as "$O" "DELETE FROM kpr.progress WHERE batch_id = $own_batch"
is "$(count progress)" "$n" "nor may it take back its batch's rows once committed"
as "$M" "BEGIN; SELECT set_config('kpr.batch_id', kpr.office_open_batch('progress', 'm.csv', 2023, 1, 0)::text, true);
         SELECT kpr.office_finish_batch($own_batch, 1, 1, 0, 0, 0, 'x'); COMMIT"
is "$status" 1 "nor may another user finish that batch"
like "$out" "import batch $own_batch was not opened in this transaction by $M" "and is told why"
as "${DBNAME}_rd" "SELECT kpr.office_open_batch('progress', 'r.csv', 2023, 1, 0)"
is "$status" 1 "the reader opens no batch"
like "$out" "permission denied for function office_open_batch" "it may not"
as "$O" "SELECT kpr.office_open_batch('projects', 'p.csv', 2023, 1, 0)"
is "$status" 1 "an office opens no batch but for progress"

# the city's batches name their user whatever the insert says
as "${DBNAME}_clerk" "INSERT INTO kpr.import_batch (kind, file_name, checksum, db_user) VALUES ('progress', 'c.csv', '', 'someone')"
is "$(psql_q "SELECT db_user FROM kpr.import_batch ORDER BY batch_id DESC LIMIT 1")" "${DBNAME}_clerk" \
	"a batch's user is the session's, whatever the insert says"

# --- pool moves ------------------------------------------------------------------------------
n=$(count pool_move)
as "$M" "INSERT INTO kpr.pool_move (project_id, to_pool, moved_on, moved_by) VALUES ($OWN, 'started', '2023-05-02', 'someone')"
is "$status" 0 "a member records its office's project's move"
is "$(psql_q "SELECT moved_by FROM kpr.pool_move ORDER BY move_id DESC LIMIT 1")" "$M" "under its own name"
as "$O" "INSERT INTO kpr.pool_move (project_id, to_pool, moved_on) VALUES ($FOREIGN, 'started', '2023-05-02')"
is "$status" 1 "an office records no move of another region's project"
as "$O" "UPDATE kpr.pool_move SET moved_by = 'x'"
is "$status" 1 "nor alters a move"
is "$(count pool_move)" "$((n + 1))" "one move recorded"
as "${DBNAME}_rd" "SELECT count(*) FROM kpr.pool_move"
is "$out" "$((n + 1))" "the reader reads the moves"

# --- 0008 on a registry holding data -------------------------------------------------------
fresh_db v6
setup "a registry at 0006 with progress and a batch" registry_at 6 <<EOF2
INSERT INTO region (code, name, level) VALUES ('131022', '固安县', 'county');
INSERT INTO project (code, name, region_code) VALUES ('P-1', '道路', '131022');
INSERT INTO import_batch (kind, file_name, checksum, db_user) VALUES ('progress', 'a.csv', '', 'old_clerk');
INSERT INTO progress (project_id, month, amount, batch_id, reported_by, reported_at)
	SELECT project_id, '2023-05-01', 10, 1, NULL, NULL FROM project;
INSERT INTO progress (project_id, month, amount, reported_by) SELECT project_id, '2023-06-01', 3, 'old_office' FROM project;
EOF2
run_kpr init
is "$status" 0 "init upgrades a registry from 0006"
is "$(psql_q "SELECT string_agg(concat_ws(' ', to_char(month, 'YYYY-MM'), amount, reported_by), ', ' ORDER BY month)
              FROM kpr.progress_current")" "2023-05 10.0000 old_clerk, 2023-06 3.0000 old_office" \
	"the rows keep their reporters, the batch's included"
is "$(psql_q "SELECT db_user, opened_xact IS NULL FROM kpr.import_batch")" "old_clerk|t" \
	"an old batch keeps its user and has no opening transaction (nothing can write under it)"
run_kpr office add "${DBNAME}_v6" --region 131022
is "$status" 0 "offices can be added to the upgraded registry"

done_testing
