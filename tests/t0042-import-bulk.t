#!/usr/bin/env bash
# kpr import --bulk: foreign keys and indexes set aside for a large load, put back checked before
# the commit, the same registry as row-by-row checks, and a fallback when the tables are in use.
. "$KPR_SRC/tests/lib.sh"
export KPR_TODAY=2024-01-15	# the whole of 2023 is in the past
data="$KPR_SRC/data/langfang-2023"

# every constraint and index of the schema, with its definition
keys_and_indexes() {
	psql_q "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
	  SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
	  WHERE connamespace = 'kpr'::regnamespace
	  UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	  WHERE c.relnamespace = 'kpr'::regnamespace) t"
}
# the registry's content, without surrogate keys or times
fingerprint() {
	psql_q "SELECT count(*) || ' ' || md5(string_agg(r, E'\n' ORDER BY r)) FROM (
	  SELECT concat_ws('|', 'p', code, name, region_code, zone_code, level, nature, industry, owner,
	         responsible_unit, leader, scope, start_year, end_year, planned_start, total_investment,
	         remarks, pool_code) AS r FROM kpr.project
	  UNION ALL SELECT concat_ws('|', 'y', p.code, y.year, y.annual_plan, y.plan_reason)
	         FROM kpr.project_year y JOIN kpr.project p USING (project_id)
	  UNION ALL SELECT concat_ws('|', 's', p.code, s.code) FROM kpr.project_scenario ps
	         JOIN kpr.project p USING (project_id) JOIN kpr.scenario s USING (scenario_id)
	  UNION ALL SELECT concat_ws('|', 'a', p.code, a.year, a.amount, a.reason)
	         FROM kpr.annual_plan_history a JOIN kpr.project p USING (project_id)
	  UNION ALL SELECT concat_ws('|', 'g', p.code, g.month, g.amount, g.ytd, g.physical_progress, g.problems)
	         FROM kpr.progress g JOIN kpr.project p USING (project_id)) t"
}

# --- the same files, row by row and in bulk ------------------------------------------------
fresh_db_with_config rowwise
run_kpr -v import projects "$data/projects.csv" --bulk=no
is "$status" 0 "the sample list imports with per-row checks"
unlike "$err" "set aside" "--bulk=no sets no foreign key aside"
like "$err" "query: COPY \(SELECT code, project_id, NULL FROM project\) TO STDOUT" "-v shows the COPY that reads the codes"
run_kpr import progress "$data/progress-2023.csv" --bulk=no
is "$status" 0 "the sample progress imports with per-row checks"
expected=$(fingerprint)
like "$expected" "^[0-9]{4,} " "the per-row registry is not empty"

fresh_db_with_config bulk
keys=$(keys_and_indexes)
like "$keys" "project_region_code_fkey FOREIGN KEY \(region_code\) REFERENCES kpr.region\(code\)" \
	"the schema has its foreign keys to begin with"
run_kpr -v import projects "$data/projects.csv" --bulk=yes
is "$status" 0 "the sample list imports in bulk"
like "$err" "debug: 9 foreign keys and 5 indexes set aside" \
	"the project tables' nine foreign keys and five indexes (pool_move's with them) are set aside (not project's primary key)"
like "$err" "CREATE INDEX project_region ON kpr.project USING btree \(region_code\)" "indexes are built again"
like "$err" "ALTER TABLE project ADD CONSTRAINT project_pool_code_fkey" "and created again"
run_kpr -v import progress "$data/progress-2023.csv" --bulk=yes
is "$status" 0 "the sample progress imports in bulk"
like "$err" "debug: 1 foreign key and 0 indexes set aside" "progress's foreign key is set aside"
is "$(keys_and_indexes)" "$keys" "every foreign key and index is back, with the same name and definition"
is "$(psql_q "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")" 0 \
	"and checked (none is left NOT VALID)"
is "$(fingerprint)" "$expected" "bulk and per-row imports write the same registry"

# --- a bad file in bulk: everything is rolled back, the keys with it ---------------------------
{ head -n 1 "$data/progress-2023.csv"; sed -n 2,40p "$data/progress-2023.csv"; echo 'NO-SUCH-CODE,2023-05,1.5,,,,,'; } > bad.csv
before=$(fingerprint)
run_kpr -v import progress bad.csv --bulk=yes
is "$status" 1 "a bad row fails the bulk import"
like "$err" "set aside" "after the keys were set aside"
like "$err" "bad.csv:41:[^:]*: unknown project code 'NO-SUCH-CODE'" "the bad row is named"
is "$(keys_and_indexes)" "$keys" "the rollback puts every foreign key back"
is "$(fingerprint)" "$before" "and nothing is written"

# a list with one project renamed: a merge to do
sed 's/瑞昌智慧物流产业园项目/瑞昌智慧物流产业园项目（一期）/' "$data/projects.csv" > renamed.csv
sed 's/瑞昌智慧物流产业园项目/瑞昌智慧物流产业园（二期）/' "$data/projects.csv" > renamed2.csv

# --- a dry run sets nothing aside --------------------------------------------------------------
run_kpr -v import projects renamed.csv --bulk=yes --dry-run
is "$status" 0 "a dry run in bulk succeeds"
like "$err" "0 new, 1 changed" "with one change to make"
unlike "$err" "set aside" "but locks nobody out: no key is set aside"

# --- a merge of known projects while the indexes are set aside -----------------------------------
# (one project gets a second scenario: added without relying on the primary key it may not have)
sed 's/瑞昌智慧物流产业园项目,安次区,,现代商贸物流强市,/瑞昌智慧物流产业园项目,安次区,,现代商贸物流强市、数字廊坊,/' \
	"$data/projects.csv" > scenario.csv
run_kpr -v import projects scenario.csv --bulk=yes
is "$status" 0 "a changed scenario imports in bulk"
like "$err" "0 new, 1 changed, 485 unchanged" "one project changed"
like "$err" "indexes? set aside" "with the indexes set aside"
is "$(psql_q "SELECT count(*) FROM kpr.project_scenario ps JOIN kpr.project p USING (project_id)
              WHERE p.code = '2301-131002-13-01-546388'")" 2 "the project has two scenarios"
is "$(keys_and_indexes)" "$keys" "every key and index is back"

# locks on kpr.project (granted: true or false) held or awaited by other sessions
project_locks() { # GRANTED
	psql_q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	        WHERE c.relname = 'project' AND c.relnamespace = 'kpr'::regnamespace
	        AND l.pid <> pg_backend_pid() AND l.granted = $1"
}
# another session holds a lock on kpr.project (in MODE) until release_project
hold_project() { # MODE
	psql -X -q -d "$KPR_DATABASE" -c "BEGIN" -c "LOCK kpr.project IN $1 MODE" \
		-c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 100); do
		[ "$(project_locks true)" = 1 ] && break
		sleep 0.1
	done
}
release_project() {
	psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	        WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()" >/dev/null
	wait "$holder" 2>/dev/null || true
}

# --- the tables in use: wait lock_timeout, then check row by row --------------------------------
hold_project "ACCESS SHARE"
PGOPTIONS="-c lock_timeout=200ms" run_kpr -v import projects renamed.csv --bulk=yes
release_project
is "$status" 0 "an import into tables in use succeeds"
like "$err" "the tables are in use \(canceling statement due to lock timeout\): foreign keys are checked row by row" \
	"after lock_timeout, saying it checks row by row"
unlike "$err" "set aside for the load" "no key was set aside"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE name = '瑞昌智慧物流产业园项目（一期）'")" 1 "the change is written"
is "$(keys_and_indexes)" "$keys" "the foreign keys are untouched"

# --- auto: large loads only ----------------------------------------------------------------
run_kpr -v import projects renamed2.csv
is "$status" 0 "a small change imports"
like "$err" "0 new, 1 changed" "one project changed"
unlike "$err" "set aside" "one row is checked row by row (auto)"
fresh_db_with_config auto
mkdir big
setup "12,000 projects from gen-bench" "$KPR_BUILD/tools/gen-bench" --projects 12000 --months 1 --seed 7 big
run_kpr -v import projects big/projects.csv --year 2023
is "$status" 0 "12,000 projects import"
like "$err" "set aside for the load" "into an empty registry they are loaded in bulk (auto)"
run_kpr -v import progress big/progress.csv
is "$status" 0 "and their month of progress"
like "$err" "1 foreign key and 0 indexes set aside" "12,000 rows into an empty progress table: in bulk"
is "$(keys_and_indexes)" "$keys" "every foreign key is back"

# --- new and known projects in one file: either kind streamed, the other spooled -------------
# A list imported in parts writes the same registry as the whole list at once, whichever kind
# of row the import copies while it reads (it guesses the majority from the file's size).
setup "3,600 projects from gen-bench" "$KPR_BUILD/tools/gen-bench" --projects 3600 --months 1 --seed 7 .
head -n 1001 projects.csv > part1000.csv
head -n 3001 projects.csv > part3000.csv
fresh_db_with_config whole
run_kpr import projects projects.csv --year 2023
is "$status" 0 "3,600 projects import at once"
whole=$(fingerprint)
fresh_db_with_config parts
run_kpr import projects part1000.csv --year 2023
is "$status" 0 "the first 1,000 import"
run_kpr -v import projects part3000.csv --year 2023
is "$status" 0 "then the first 3,000"
like "$err" "new projects are copied as the file is read" "mostly new: new projects are streamed"
like "$err" "2000 new, 0 changed, 1000 unchanged" "2,000 new, 1,000 unchanged"
run_kpr -v import projects projects.csv --year 2023
is "$status" 0 "then all 3,600"
like "$err" "known projects are staged as the file is read" "mostly known: known projects are streamed"
like "$err" "600 new, 0 changed, 3000 unchanged" "600 new, 3,000 unchanged"
is "$(fingerprint)" "$whole" "the registry is the same as the list imported at once"
is "$(psql_q "SELECT last_value FROM kpr.project_project_id_seq")" \
	"$(psql_q "SELECT max(project_id) FROM kpr.project")" "the key sequence is at the last key given"

# --- two lists at once: one waits for the other, both land whole -----------------------------
# A third session holds a lock that both imports' locks conflict with, until both wait on it.
head -n 1801 projects.csv > half1.csv
{ head -n 1 projects.csv; tail -n +1802 projects.csv; } > half2.csv
fresh_db_with_config concurrent
hold_project SHARE
${KPR_WRAPPER:-} "$KPR" import projects half1.csv --year 2023 >half1.out 2>half1.err &
first=$!
${KPR_WRAPPER:-} "$KPR" import projects half2.csv --year 2023 >half2.out 2>half2.err &
second=$!
# (up to two minutes: a loaded machine running the sanitizer build is slow to start two imports)
for _ in $(seq 1200); do
	[ "$(project_locks false)" = 2 ] && break
	sleep 0.1
done
is "$(project_locks false)" 2 "both imports wait for the lock on project"
release_project
waited "$first" first_status
waited "$second" second_status
is "$first_status:$second_status" "0:0" "both imports succeed"
like "$(cat half1.err)" "1800 new, 0 changed" "the first half is new"
like "$(cat half2.err)" "1800 new, 0 changed" "and so is the second"
is "$(fingerprint)" "$whole" "the registry is the same as the list imported at once"
is "$(psql_q "SELECT last_value FROM kpr.project_project_id_seq")" \
	"$(psql_q "SELECT max(project_id) FROM kpr.project")" "the sequence is past every key given"

run_kpr import projects "$data/projects.csv" --bulk=maybe
is "$status" 2 "--bulk takes auto, yes or no"
like "$err" "--bulk must be auto, yes or no, not 'maybe'" "and says so"

done_testing
