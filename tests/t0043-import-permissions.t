#!/usr/bin/env bash
# kpr import and privileges: a permission error exits 4 at whichever step the server refuses.
#
# Until issue 10 this file had a county clerk given INSERT and UPDATE on import_batch bulk-load
# progress by COPY.  Row-level security (migrations/0008_offices.sql) now refuses COPY into
# progress to everyone but the city, and an office's batch is written by the registry's
# functions, not by grants: a county login imports as an office (tests/t0062-office-import.t),
# and one that is no office's may write none of the file's projects.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
"$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"

snapshot() {
	psql_q "SELECT concat_ws(' ', (SELECT count(*) FROM kpr.progress), (SELECT count(*) FROM kpr.import_batch),
	        (SELECT count(*) FROM kpr.audit_log))"
}

# A county login in no office, even one granted the batch table: every row is refused, named.
psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_poster LOGIN IN ROLE ${DBNAME}_county"
psql_q "GRANT INSERT, UPDATE ON kpr.import_batch TO ${DBNAME}_poster" >/dev/null
cut -d, -f1-6 "$TESTDATA/import/progress-2023.csv" > nostart.csv
before=$(snapshot)
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_poster dbname=$DBNAME" import progress nostart.csv
is "$status" 4 "a county login in no office exits 4"
like "$err" "nostart.csv:2:项目代码: project 2303-131022-04-01-573274 is in 固安县 \(131022\), not in this office's regions" \
	"naming each row it may not write"
like "$err" "nostart.csv: 5 rows for projects outside this office's regions \(none: the session is in no office\): nothing imported" \
	"and saying it is in no office"
is "$(snapshot)" "$before" "and writes nothing"

# The reader: refused where the server refuses it, the batch.
psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_rd LOGIN IN ROLE ${DBNAME}_reader"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_rd dbname=$DBNAME" import progress nostart.csv
is "$status" 4 "the reader exits 4, not 3"
like "$err" "permission denied for function office_open_batch" "and says what it was refused"
like "$err" "HINT: +Role \"${DBNAME}_rd\" lacks the privilege.*\"${DBNAME}_city\"" "and names the role that has it"
is "$(snapshot)" "$before" "and writes nothing"

# Made a member of an office for the file's regions, the same login imports it.
"$KPR" -q office add "${DBNAME}_all" --region 131022,131003,131028
"$KPR" -q office member add "${DBNAME}_all" "${DBNAME}_poster"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_poster dbname=$DBNAME" import progress nostart.csv
is "$status" 0 "a member of an office for the file's regions imports it"

done_testing
