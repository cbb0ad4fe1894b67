#!/usr/bin/env bash
# kpr import and privileges: a permission error exits 4 at whichever step the server refuses.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
"$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"

snapshot() {
	psql_q "SELECT concat_ws(' ', (SELECT count(*) FROM kpr.progress), (SELECT count(*) FROM kpr.import_batch),
	        (SELECT count(*) FROM kpr.audit_log))"
}

# A county office's clerk who may post progress in bulk but was not given UPDATE on the batch
# table: the import gets as far as the batch's counts (finish_batch), after the batch row and
# every progress row went in.  (No start dates: recording one would update project first.)
psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_poster LOGIN IN ROLE ${DBNAME}_county"
psql_q "GRANT INSERT ON kpr.import_batch TO ${DBNAME}_poster" >/dev/null
cut -d, -f1-6 "$TESTDATA/import/progress-2023.csv" > nostart.csv
before=$(snapshot)
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_poster dbname=$DBNAME" import progress nostart.csv
is "$status" 4 "a role that may insert a batch but not update it exits 4, not 3"
like "$err" "permission denied for table import_batch" "and says what it was refused"
like "$err" "HINT: +Role \"${DBNAME}_poster\" lacks the privilege.*\"${DBNAME}_city\"" "and names the role that has it"
is "$(snapshot)" "$before" "and writes nothing"

psql_q "GRANT UPDATE ON kpr.import_batch TO ${DBNAME}_poster" >/dev/null
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_poster dbname=$DBNAME" import progress nostart.csv
is "$status" 0 "with UPDATE on the batch table the same import succeeds"

done_testing
