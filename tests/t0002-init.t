#!/usr/bin/env bash
# kpr init: migrations apply once and only once; a newer database is refused.
. "$KPR_SRC/tests/lib.sh"
fresh_db

run_kpr init --status
is "$status" 0 "init --status on an empty database succeeds"
like "$out" "0001_init +pending" "init --status lists the pending migration"

run_kpr config
is "$status" 3 "a command that needs the schema refuses an uninitialised database"
like "$err" "kpr init" "and says to run kpr init"

run_kpr init
is "$status" 0 "init applies the migrations"
like "$err" "applied [0-9]+ migration" "init says what it applied"
is "$(psql_q "SELECT count(*) FROM kpr.schema_migrations")" "$(ls "$KPR_SRC"/migrations/*.sql | wc -l)" \
	"every migration is recorded once"
is "$(psql_q "SELECT count(*) FROM pg_tables WHERE schemaname = 'kpr' AND tablename IN ('project','progress','annual_plan_history','audit_log','import_batch')")" 5 \
	"the core tables exist in schema kpr"

before=$(psql_q "SELECT applied_at FROM kpr.schema_migrations ORDER BY version LIMIT 1")
run_kpr init
is "$status" 0 "init again succeeds"
like "$err" "up to date" "init again says the schema is up to date"
is "$(psql_q "SELECT applied_at FROM kpr.schema_migrations ORDER BY version LIMIT 1")" "$before" \
	"init again applies nothing"
is "$(psql_q "SELECT count(*) FROM kpr.schema_migrations")" "$(ls "$KPR_SRC"/migrations/*.sql | wc -l)" \
	"init again records nothing"

# schema/kpr.sql is what a fresh init leaves (make schema rewrites it)
sh "$KPR_SRC/tools/dump-schema.sh" "$KPR_DATABASE" > schema.sql
if [ -n "${KPR_WRITE_SCHEMA:-}" ]; then cp schema.sql "$KPR_SRC/schema/kpr.sql"; fi
ok "schema/kpr.sql matches the migrations (make schema rewrites it)" cmp -s schema.sql "$KPR_SRC/schema/kpr.sql"

# two inits at once: the advisory lock serialises them
fresh_db race
( "$KPR" -q init & "$KPR" -q init & wait )
is "$(psql_q "SELECT count(*) FROM kpr.schema_migrations")" "$(ls "$KPR_SRC"/migrations/*.sql | wc -l)" \
	"two concurrent inits apply each migration once"

# roles are named after the database
is "$(psql_q "SELECT count(*) FROM pg_roles WHERE rolname IN ('${DBNAME}_city','${DBNAME}_county','${DBNAME}_reader')")" 3 \
	"init creates the city, county and reader roles for this database"

setup "a migration newer than this kpr" psql_q "INSERT INTO kpr.schema_migrations (version, name) VALUES (9999, '9999_future')"
run_kpr init
is "$status" 3 "init refuses a database newer than the binary"
like "$err" "newer than this kpr" "the refusal says the schema is newer"
run_kpr config
is "$status" 3 "other commands refuse a newer database too"
run_kpr init --status
like "$out" "9999_future +applied, unknown" "init --status names the unknown migration"

# --- 0002 on a registry that has plans: the current figure moves onto the list entry --------
fresh_db v1
setup "a registry at 0001 with plans" registry_at 1 <<EOF
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO project (code, name, region_code) VALUES ('P-1', '道路', '131002'), ('P-2', '桥梁', '131002');
INSERT INTO project_year (project_id, year, batch_id) SELECT project_id, 2023, 7 FROM project;
INSERT INTO annual_plan (project_id, year, amount, batch_id, superseded_at)
	SELECT project_id, 2023, 100, 7, now() FROM project WHERE code = 'P-1';
INSERT INTO annual_plan (project_id, year, amount, reason, batch_id)
	SELECT project_id, 2023, 120, 'rebaseline by import', 8 FROM project WHERE code = 'P-1';
INSERT INTO annual_plan (project_id, year, amount, batch_id) SELECT project_id, 2024, 50, 9 FROM project WHERE code = 'P-2';
EOF
audit_before=$(psql_q "SELECT count(*) FROM kpr.audit_log")
run_kpr init
is "$status" 0 "init upgrades a registry from 0001"
is "$(psql_q "SELECT string_agg(p.code || ' ' || y.year || ' ' || coalesce(y.annual_plan::text, '-') || ' '
              || coalesce(y.plan_reason, '-') || ' ' || y.batch_id, ', ' ORDER BY p.code, y.year)
              FROM kpr.project_year y JOIN kpr.project p USING (project_id)")" \
	"P-1 2023 120.0000 rebaseline by import 8, P-2 2023 - - 7, P-2 2024 50.0000 - 9" \
	"each current plan is on its list entry (one without an entry gets one)"
is "$(psql_q "SELECT string_agg(p.code || ' ' || h.year || ' ' || h.amount || ' ' || h.batch_id, ', ')
              FROM kpr.annual_plan_history h JOIN kpr.project p USING (project_id)")" \
	"P-1 2023 100.0000 7" "the superseded figure is the history"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log")" "$audit_before" "moving the data writes no audit rows"

# --- 0004 on that registry: a login with only the city's role passes the schema check ---------
setup "a login role with only the city's role" \
	psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_cityonly LOGIN IN ROLE ${DBNAME}_city"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_cityonly dbname=$DBNAME" config
is "$status" 0 "a login with only the city's role runs kpr config (it reads schema_migrations)"
unlike "$err" "permission denied" "and is not refused"

# --- 0006 on that registry: who the session is ---------------------------------------------------
setup "a county login" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_countyonly LOGIN IN ROLE ${DBNAME}_county"
as_role() { psql -X -A -t -q "host=$KPR_TEST_HOST user=$1 dbname=$DBNAME" -c "$2"; }
is "$(as_role ${DBNAME}_cityonly "SELECT kpr.is_city(), kpr.role_name('county')")" "t|${DBNAME}_county" \
	"a city login is the city, and the county role's name is the setting's"
is "$(as_role ${DBNAME}_countyonly "SELECT kpr.is_city()")" "f" "a county login is not the city"
is "$(psql_q "SELECT kpr.is_city()")" "t" "a superuser is"

done_testing
