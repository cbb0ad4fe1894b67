#!/usr/bin/env bash
# kpr log [CODE]: the audit trail newest first, in the manner of git log: who, when, which table
# and project, field by field old → new; an import as one entry (its batch: file, sha256,
# counts); filtered by project, user, day and table; table and JSON.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"

# --- the command line ------------------------------------------------------------------------
run_kpr help log
is "$status" 0 "kpr help log works"
like "$out" "^usage: kpr log \[CODE\] \[--user ROLE\] \[--since YYYY-MM-DD\] \[--table T\] \[--format table\|json\]$" \
	"and gives the synopsis of the contract"
run_kpr log a b
is "$status" 2 "log takes at most one code"
run_kpr log --since yesterday
is "$status" 2 "--since must be a date"
like "$err" "--since must be a date like 2023-10-01, not 'yesterday'" "and says so"
run_kpr log --format csv
is "$status" 2 "--format is table or json"

setup "import the list" "$KPR" -q import projects "$SRC"
setup "import progress" "$KPR" -q import progress "$PROGRESS"
sed -e 's/大厂影视小镇二期/大厂影视小镇二期工程/' "$SRC" > changed.csv
setup "import a changed list (a rename)" "$KPR" -q import projects changed.csv
psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_alice LOGIN IN ROLE ${DBNAME}_city"
psql -X -q -v ON_ERROR_STOP=1 -d "host=$KPR_TEST_HOST user=${DBNAME}_alice dbname=$DBNAME" \
	-c "UPDATE kpr.project SET leader = '副市长 张某' WHERE code = 'LF2023-005'"

# --- the whole trail ----------------------------------------------------------------------------
run_kpr log
is "$status" 0 "log succeeds"
is "$(printf '%s\n' "$out" | sed -n 1p)" "change $(psql_q "SELECT max(audit_id) FROM kpr.audit_log")  project UPDATE  LF2023-005 廊坊市城区道路提升工程" \
	"newest first: a change by hand, its table, operation and project"
is "$(printf '%s\n' "$out" | sed -n 2,4p)" "Who:  ${DBNAME}_alice
When: $(psql_q "SELECT to_char(max(at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') FROM kpr.audit_log")
    leader: \"副市长 孙某\" → \"副市长 张某\"" "who (the session's user), when (the registry's clock), field by field old → new"
unlike "$(printf '%s\n' "$out" | sed -n 1,6p)" "updated_at|batch_id" "bookkeeping columns are left out"
like "$out" "^import batch 3  projects  changed\.csv$" "an import is one entry: its batch"
like "$out" "^    sha256 $(sha256sum changed.csv | cut -d' ' -f1), year 2023$" "with the file's sha256 and year"
like "$out" "^    5 rows read: 0 new, 1 changed, 4 unchanged, 0 rejected$" "and its counts"
like "$out" "^import batch 2  progress  .*progress-2023\.csv$" "a bulk progress load: one entry"
is "$(printf '%s\n' "$out" | grep -c '^change .* progress INSERT')" 0 "and no entry for each row it wrote"
is "$(printf '%s\n' "$out" | grep -c '^import batch ')" 3 "an entry a batch"
is "$(printf '%s\n' "$out" | grep -n '^import batch' | cut -d' ' -f3 | paste -sd' ')" "3 2 1" "batches newest first"
like "$out" "^change [0-9]+  region INSERT$" "the configuration's rows, audited one by one"
like "$out" "^    name: \"固安县\"$" "an INSERT lists its values"

# --- one project ---------------------------------------------------------------------------------
run_kpr log LF2023-003
is "$status" 0 "log CODE succeeds"
is "$(printf '%s\n' "$out" | grep -E '^(import batch|change) ' | awk '{ print $1, $2, $3 }' | paste -sd'|')" \
	"import batch 3|import batch 2|import batch 1" "only the batches that wrote the project"
like "$out" "^    its changes to LF2023-003:$" "an import lists what it changed in the project"
like "$out" "^    name: \"大厂影视小镇二期\" → \"大厂影视小镇二期工程\"$" "field by field"
run_kpr log LF2023-005
is "$(printf '%s\n' "$out" | grep -E '^(import batch|change) ' | awk '{ print $1, $2, $3 }' | paste -sd'|')" \
	"change $(psql_q "SELECT max(audit_id) FROM kpr.audit_log") project|import batch 1" \
	"a project without progress: its change by hand and its list's batch (not the progress batch)"
run_kpr log LF2023-02
is "$status" 1 "an unknown code is bad input"
like "$err" "Did you mean LF2023-002 " "with the nearest code"

# --- filters -------------------------------------------------------------------------------------
run_kpr log --user "${DBNAME}_alice"
is "$(printf '%s\n' "$out" | grep -cE '^(import batch|change) ')" 1 "--user: only what that user did"
run_kpr log --user nobody
is "$out" "(no changes)" "--user without changes: none"
run_kpr log --table progress
is "$(printf '%s\n' "$out" | grep -E '^(import batch|change) ' | awk '{ print $1, $2, $3 }' | paste -sd'|')" "import batch 2" \
	"--table progress: the imports that write it (and its changes: none here)"
run_kpr log --table project
like "$out" "^change [0-9]+  project UPDATE" "--table project: its changes"
unlike "$out" "region INSERT|progress" "and nothing else"
run_kpr log --table nosuch
is "$status" 1 "an unknown table is bad input"
like "$err" "no table 'nosuch' in the registry" "named"
run_kpr log --since 2099-01-01
is "$out" "(no changes)" "--since after everything: none"
psql_q "UPDATE kpr.audit_log SET at = '2023-01-01 12:00+08' WHERE table_name <> 'project';
	UPDATE kpr.import_batch SET started_at = '2023-01-01 12:00+08' WHERE batch_id < 3" >/dev/null
run_kpr log --since 2023-01-02
is "$(printf '%s\n' "$out" | grep -E '^(import batch|change) ' | awk '{ print $1, $2, $3 }' | paste -sd'|')" \
	"change $(psql_q "SELECT max(audit_id) FROM kpr.audit_log") project|import batch 3" "--since: that day or later"
run_kpr log --since 2023-01-02 --user "${DBNAME}_alice" --table project LF2023-005
is "$(printf '%s\n' "$out" | grep -cE '^(import batch|change) ')" 1 "filters combine"
run_kpr log --limit 2
is "$(printf '%s\n' "$out" | grep -cE '^(import batch|change) ')" 2 "--limit: at most N entries"
like "$out" "^\(2 of $(($(psql_q "SELECT count(*) FROM kpr.audit_log WHERE batch_id IS NULL") + 3)) entries shown; --limit 0 shows all\)$" \
	"and how many there are"

# --- a reverted batch ----------------------------------------------------------------------------
setup "revert the rename" "$KPR" -q batch revert 3 --reason "wrong file"
run_kpr log LF2023-003
like "$out" "^    reverted [0-9-]{10} [0-9:]{8} by postgres: wrong file$" "a reverted batch says when, by whom and why"
like "$out" "^change [0-9]+  project UPDATE  LF2023-003 大厂影视小镇二期$" "and the revert's own changes follow"

# --- JSON ------------------------------------------------------------------------------------------
run_kpr log --format json --limit 0
is "$status" 0 "JSON succeeds"
is "$(printf '%s' "$out" | jq -r '[length, (map(select(.kind == "import")) | length),
	(map(select(.kind == "import" and .id == 1))[0] | .sha256, .rows_read, .file, .year)] | map(tostring) | join(" ")' 2>&1)" \
	"$(($(psql_q "SELECT count(*) FROM kpr.audit_log WHERE batch_id IS NULL") + 3)) 3 $(sha256sum "$SRC" | cut -d' ' -f1) 5 $SRC 2023" \
	"JSON: every entry, an import's file, sha256, counts and year as fields"

# --- migration 0010 on a registry holding data: the index for one project's trail --------------
run_kpr log LF2023-003
before=$out
psql_q "DROP INDEX kpr.audit_log_project; DELETE FROM kpr.schema_migrations WHERE version = 10" >/dev/null
run_kpr init
is "$status" 0 "init applies 0010 to a registry holding audit rows"
like "$err" "applied 1 migration" "one migration"
is "$(psql_q "SELECT indexdef FROM pg_indexes WHERE schemaname = 'kpr' AND indexname = 'audit_log_project'")" \
	"CREATE INDEX audit_log_project ON kpr.audit_log USING btree ((((COALESCE(new_row, old_row) ->> 'project_id'::text))::bigint))" \
	"the index on the project an audited row belongs to"
is "$(psql_q "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT audit_id FROM kpr.audit_log a
	WHERE (coalesce(a.new_row, a.old_row)->>'project_id')::bigint = 1" | grep -c audit_log_project)" 1 \
	"and the expression kpr log writes can use it"
run_kpr log LF2023-003
is "$out" "$before" "the trail reads the same"

done_testing
