#!/usr/bin/env bash
# Faults mid-write.  The server crashes (pg_ctl stop -m immediate) in the middle of a project
# list's import, a progress import, kpr colours and a county office's import: kpr says the
# connection is gone and exits 3; after the restart nothing of the interrupted write is there
# (the registry's rows, with codes for ids and without times, as psql reads them, are as they
# were before), and running it again gives what an uninterrupted run gives on a copy of the
# database made before.  The connection of kpr update is cut (pg_terminate_backend) while it
# waits for the project and while it writes: a clear error, exit 3, nothing written.  A
# deadlock in kpr update is retried, never shown.  Each fault lands mid-write by a lock: a
# psql session holds what the write needs next, the test waits until kpr's backend waits on
# it (pg_stat_activity), then strikes; never a sleep.  Then output that cannot be written
# (a full device, a closed pipe, a file over its size limit): exit 5, said once, no file and
# no temporary file left, a device never renamed over.
#
# The server is this test's own (own_server in tests/lib.sh): the shared one serves the tests
# running beside it.
. "$KPR_SRC/tests/lib.sh"
own_server
export KPR_TODAY=2023-12-31
SAMPLE="$KPR_SRC/data/langfang-2023"
fresh_db
setup "kpr init" "$KPR" -q init
setup "the sample's configuration" "$KPR" -q import config "$SAMPLE/config.yaml"

# start NAME ARGS...: kpr ARGS in the background; NAME.out, NAME.err, then NAME.rc
start() {
	local name=$1
	shift
	( ${KPR_WRAPPER:-} "$KPR" "$@" >"$name.out" 2>"$name.err"; echo $? >"$name.rc" ) &
}
# kpr's backend waits on a lock in a statement that starts with $1
waits_in() {
	[ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	             AND application_name = 'kpr' AND wait_event_type = 'Lock' AND query LIKE '$1%'")" = 1 ]
}
# kpr's backend holds lock mode $2 on table $1 (has written there)
holds() {
	psql_q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
	        WHERE a.datname = current_database() AND a.application_name = 'kpr'
	        AND l.relation = '$1'::regclass AND l.mode = '$2' AND l.granted"
}
# the registry's rows the writes here touch, with codes for ids, without times and ids
state() { # DATABASE
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "host=$KPR_TEST_HOST user=postgres dbname=$1" -c "
	SELECT 'project', p.code, (to_jsonb(p) - '{project_id,batch_id,created_at,updated_at}'::text[])::text
	FROM kpr.project p
	UNION ALL SELECT 'project_year', p.code, (to_jsonb(y) - '{project_id,batch_id}'::text[])::text
	FROM kpr.project_year y JOIN kpr.project p USING (project_id)
	UNION ALL SELECT 'scenario', p.code, s.scenario_id::text FROM kpr.project_scenario s JOIN kpr.project p USING (project_id)
	UNION ALL SELECT 'progress', p.code, (to_jsonb(g) - '{progress_id,project_id,batch_id,reported_at}'::text[])::text
	FROM kpr.progress g JOIN kpr.project p USING (project_id)
	UNION ALL SELECT 'colour', p.code, (to_jsonb(e) - '{evaluation_id,project_id,evaluated_at,superseded_at}'::text[]
	                                    || jsonb_build_object('current', e.superseded_at IS NULL))::text
	FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id)
	UNION ALL SELECT 'batch', b.kind, (to_jsonb(b) - '{batch_id,started_at,finished_at,opened_xact}'::text[])::text
	FROM kpr.import_batch b
	UNION ALL SELECT 'pool_move', p.code, concat_ws(' ', m.from_pool, m.to_pool, m.moved_on, m.reason, m.moved_by)
	FROM kpr.pool_move m JOIN kpr.project p USING (project_id)
	UNION ALL SELECT 'audit', a.table_name, a.op || ' ' || count(*) FROM kpr.audit_log a GROUP BY a.table_name, a.op
	ORDER BY 1, 2, 3"
}
counts() { # DATABASE: how many rows of each kind (for a message that fits on a line)
	state "$1" | cut -d'|' -f1 | uniq -c | awk '{ printf "%s %s ", $2, $1 }'
}
clone() { # NAME: a copy of the test's database as it is now, for the uninterrupted run
	psql -X -q -d postgres -c "CREATE DATABASE $1 TEMPLATE $DBNAME"
}
on_ref() { # DATABASE LOGIN ARGS...: kpr as LOGIN against that database
	"$KPR" -d "host=$KPR_TEST_HOST user=$2 dbname=$1" "${@:3}"
}
# what kpr says when the server goes away: an error naming the connection, exit 3
lost() { # NAME what
	until_true test -e "$1.rc"
	is "$(cat "$1.rc")" 3 "$2: kpr exits 3"
	like "$(cat "$1.err")" "^kpr: error: .*(connection|server)" "$2: with an error naming the connection"
	unlike "$(cat "$1.err")" "Success|Segmentation|Aborted|core dumped|Sanitizer|runtime error" \
		"$2: not 'Success', not a crash"
}
# crash_during NAME what ARGS... after: the server crashes while kpr ARGS waits; then the checks
# of the top of the file.  The caller has made the clone ref_NAME and holds the lock.
after_crash() { # NAME what before ARGS...
	local name=$1 what=$2 before=$3
	shift 3
	setup "crash the server" server_crash
	holder_gone
	lost "$name" "$what"
	setup "restart the server" server_restart
	is "$(state "$DBNAME")" "$before" "$what: after the restart nothing of it is there"
	run_kpr "$@"
	is "$status" 0 "$what: run again, it succeeds"
	setup "the uninterrupted run" on_ref "ref_$name" postgres "$@"
	is "$(state "$DBNAME")" "$(state "ref_$name")" \
		"$what: with what an uninterrupted run gives ($(counts "$DBNAME"))"
}

# --- a project list's import (486 projects) -----------------------------------------------------
before=$(state "$DBNAME")
setup "a copy for the uninterrupted run" clone ref_projects
setup "hold the list entries" hold "LOCK TABLE kpr.project_year IN SHARE MODE;"
start projects import projects "$SAMPLE/projects.csv" --year 2023
ok "the list's import waits for the list entries" until_true waits_in "COPY project_year"
is "$(holds kpr.project RowExclusiveLock)" 1 "having written the projects"
after_crash projects "a crash during a list's import" "$before" import projects "$SAMPLE/projects.csv" --year 2023

# the colours of September before any progress: kpr colours below has something to replace
setup "September's colours, before any progress" "$KPR" -q colours --month 2023-09

# --- a progress import (5218 rows) ---------------------------------------------------------------
PROGRESS="$SAMPLE/progress-2023.csv"
last=$(tail -n 1 "$PROGRESS" | cut -d, -f1)
before=$(state "$DBNAME")
setup "a copy for the uninterrupted run" clone ref_progress
setup "hold the project of the file's last row" hold "SELECT 1 FROM kpr.project WHERE code = '$last' FOR UPDATE;"
start progress import progress "$PROGRESS" --bulk=no
ok "the progress import waits to check the last row's project" until_true waits_in "COPY progress"
is "$(holds kpr.progress RowExclusiveLock)" 1 "having written into progress"
after_crash progress "a crash during a progress import" "$before" import progress "$PROGRESS" --bulk=no

# --- kpr colours ---------------------------------------------------------------------------------
before=$(state "$DBNAME")
setup "a copy for the uninterrupted run" clone ref_colours
setup "hold a project's September colour" hold "SELECT 1 FROM kpr.colour_evaluation WHERE month = '2023-09-01'
	AND superseded_at IS NULL AND project_id = (SELECT max(project_id) FROM kpr.progress WHERE month = '2023-09-01') FOR UPDATE;"
start colours colours --month 2023-09
ok "kpr colours waits to replace that colour" until_true waits_in "UPDATE colour_evaluation"
is "$(holds kpr.colour_evaluation RowExclusiveLock)" 1 "having replaced others"
after_crash colours "a crash during kpr colours" "$before" colours --month 2023-09

# --- a county office's import ----------------------------------------------------------------------
O=${DBNAME}_gu
setup "an office for 固安县" "$KPR" -q office add "$O" --region 131022
# its December, every figure one 万元 more: corrections
{ head -n 1 "$PROGRESS"
  psql_q "SELECT p.code || ',,2023-12,' || trim_scale(c.amount + 1) || ',,,,' FROM kpr.progress_current c
          JOIN kpr.project p USING (project_id) WHERE p.region_code = '131022' AND c.month = '2023-12-01' ORDER BY p.code"
} >office.csv
last=$(tail -n 1 office.csv | cut -d, -f1)
ok "the office's form has rows" test "$(wc -l <office.csv)" -gt 10
before=$(state "$DBNAME")
setup "a copy for the uninterrupted run" clone ref_office
setup "hold the project of the form's last row" hold "SELECT 1 FROM kpr.project WHERE code = '$last' FOR UPDATE;"
start office -d "host=$KPR_TEST_HOST user=$O dbname=$DBNAME" import progress office.csv
ok "the office's import waits for the last row's project" until_true waits_in "INSERT INTO progress"
is "$(holds kpr.progress RowExclusiveLock)" 1 "having inserted the rows before it"
setup "crash the server" server_crash
holder_gone
lost office "a crash during an office's import"
setup "restart the server" server_restart
is "$(state "$DBNAME")" "$before" "an office's import: after the restart nothing of it is there"
run_kpr -d "host=$KPR_TEST_HOST user=$O dbname=$DBNAME" import progress office.csv
is "$status" 0 "an office's import: run again, it succeeds"
setup "the uninterrupted run" on_ref ref_office "$O" import progress office.csv
is "$(state "$DBNAME")" "$(state ref_office)" "an office's import: with what an uninterrupted run gives"

# --- kpr update: the connection cut ----------------------------------------------------------------
terminate() { psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()
                      AND application_name = 'kpr'" >/dev/null; }
P=$(psql_q "SELECT code FROM kpr.project WHERE region_code = '131022' ORDER BY code LIMIT 1")
before=$(state "$DBNAME")
setup "hold the project" hold "SELECT 1 FROM kpr.project WHERE code = '$P' FOR UPDATE;"
start upd1 update "$P" --month 2023-12 --amount 5
ok "kpr update waits for the project" until_true grep -q "waiting for project" upd1.err
ok "in lock_project" until_true waits_in "SELECT lock_project"
setup "cut its connection" terminate
lost upd1 "kpr update cut off while it waits"
release
is "$(state "$DBNAME")" "$before" "nothing of it is written"

# a project not started yet: --started moves it into the started pool, a pool move the
# holder makes wait, in the middle of the posting's insert
S=$(psql_q "SELECT code FROM kpr.project WHERE actual_start IS NULL AND pool_code = 'preparation'
            AND coalesce(start_year, 0) <= 2023 ORDER BY code LIMIT 1")
setup "hold the pool moves" hold "LOCK TABLE kpr.pool_move IN SHARE MODE;"
start upd2 update "$S" --month 2023-12 --amount 5 --started 2023-12-01
ok "kpr update --started waits to record its pool move" until_true waits_in "INSERT INTO progress"
setup "cut its connection" terminate
lost upd2 "kpr update cut off while it writes"
release
is "$(state "$DBNAME")" "$before" "nothing of it is written: no month, no start, no pool move"
run_kpr update "$S" --month 2023-12 --amount 5 --started 2023-12-01
is "$status" 0 "run again, the posting goes through"
is "$(psql_q "SELECT concat_ws(' ', p.actual_start, p.pool_code,
              (SELECT count(*) FROM kpr.pool_move m WHERE m.project_id = p.project_id AND m.to_pool = 'started'),
              (SELECT count(*) FROM kpr.progress g WHERE g.project_id = p.project_id AND g.month = '2023-12-01' AND g.batch_id IS NULL))
              FROM kpr.project p WHERE p.code = '$S'")" "2023-12-01 started 1 1" "once: its start, its pool move, its month"

# --- kpr update in a deadlock: retried, never shown ------------------------------------------------
# A second session keeps P from postings until kpr update waits patiently (no lock timeout);
# meanwhile the holder inserts the next version of P's November, uncommitted.  Once P is free,
# kpr takes it and its insert waits on the holder's (the same key); then the holder asks for
# P's row, which kpr holds: a deadlock, in which kpr's backend (waiting first, the holder
# patient: deadlock_timeout 10s) is the one cancelled.  kpr posts again once the holder is done.
id=$(psql_q "SELECT project_id FROM kpr.project WHERE code = '$P'")
setup "keep P from postings" hold_b "SELECT 1 FROM kpr.project WHERE project_id = $id FOR NO KEY UPDATE;"
setup "a November figure of P in an open transaction" hold "SET LOCAL deadlock_timeout = '10s';" \
	"INSERT INTO kpr.progress (project_id, month, amount, version, reported_by, reported_at)
	 SELECT $id, '2023-11-01', 1, coalesce(max(version), 0) + 1, session_user, now() FROM kpr.progress
	 WHERE project_id = $id AND month = '2023-11-01';"
start dead update "$P" --month 2023-11 --amount 7
ok "kpr update waits for P, patiently" until_true grep -q "waiting for project" dead.err
release_b
ok "then for the holder's November row" until_true waits_in "INSERT INTO progress"
printf '%s\n' "SELECT 1 FROM kpr.project WHERE project_id = $id FOR UPDATE;" '\echo locked' >&3
got=
while read -r line <&4; do [ "$line" = locked ] && { got=1; break; }; done
ok "the holder gets P once kpr's transaction is cancelled" test -n "$got"
release
until_true test -e dead.rc
is "$(cat dead.rc)" 0 "kpr update goes through"
unlike "$(cat dead.err)" "deadlock|40P01|error" "and shows nothing of the deadlock"
like "$(grep -c 'deadlock detected' "$PGTMP/server.log")" "^[1-9]" "which the server did detect"
is "$(psql_q "SELECT string_agg(trim_scale(amount)::text, ' ' ORDER BY version) FROM (SELECT amount, version
              FROM kpr.progress WHERE project_id = $id AND month = '2023-11-01' ORDER BY version DESC LIMIT 2) s")" "1 7" \
	"its figure follows the holder's, once"

# --- output that cannot be written ---------------------------------------------------------------
REPORT=(report --month 2023-09)
run_kpr "${REPORT[@]}" -o /dev/full
is "$status" 5 "a report to a full device exits 5"
is "$err" "kpr: error: cannot write '/dev/full': No space left on device" "said once, naming the device and why"
ok "which is still a device, not renamed over (as root)" test -c /dev/full
status=0
"$KPR" "${REPORT[@]}" >/dev/full 2>full.err || status=$?
is "$status" 5 "a report to standard output on a full device exits 5"
is "$(wc -l <full.err)" 1 "said once"
unlike "$(cat full.err)" "Success" "never 'Success'"

# a pipe whose reader is gone: a fifo opened for reading and writing, its reading end closed
mkfifo pipe
exec 5<>pipe 6>pipe
exec 5<&-
for form in table csv json xlsx; do
	status=0
	"$KPR" "${REPORT[@]}" --format "$form" >&6 2>pipe.err || status=$?
	is "$status" 5 "a $form report into a closed pipe exits 5 (EPIPE, not killed by SIGPIPE)"
	like "$(cat pipe.err)" "^kpr: error: cannot write.*" "with a message"
	is "$(wc -l <pipe.err)" 1 "said once"
done
exec 6>&-
"$KPR" list 2>pipe.err | head -c0
status=${PIPESTATUS[0]}
ok "kpr list | head -c0 exits 5 or 0 (head may close before the first write)" test "$status" = 5 -o "$status" = 0
test "$status" = 0 || like "$(cat pipe.err)" "^kpr: error: cannot write the output: Broken pipe$" "saying the pipe broke"

# a regular file that cannot be written whole (over the size limit: EFBIG, SIGXFSZ ignored)
mkdir out
echo old >out/kept.md
for f in new.md kept.md; do
	status=0
	( trap '' XFSZ; ulimit -f 4; exec "$KPR" "${REPORT[@]}" --format md -o "out/$f" ) 2>big.err || status=$?
	is "$status" 5 "a report that cannot be written whole exits 5 ($f)"
	like "$(cat big.err)" "^kpr: error: cannot write 'out/$f': File too large$" "naming the file and why"
done
is "$(ls -A out)" "kept.md" "no truncated file and no temporary file left"
is "$(cat out/kept.md)" "old" "and a file already there is as it was"
run_kpr "${REPORT[@]}" --format md -o out/kept.md
is "$status" 0 "without the limit the report is written"
is "$(ls -A out)" "kept.md" "over the old file, with no temporary file left"
"$KPR" "${REPORT[@]}" --format md >direct.md
ok "whole: what standard output gets" cmp -s out/kept.md direct.md

done_testing
