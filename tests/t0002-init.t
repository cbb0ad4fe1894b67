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
is "$(psql_q "SELECT count(*) FROM pg_tables WHERE schemaname = 'kpr' AND tablename IN ('project','progress','annual_plan','audit_log','import_batch')")" 5 \
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

psql_q "INSERT INTO kpr.schema_migrations (version, name) VALUES (9999, '9999_future')"
run_kpr init
is "$status" 3 "init refuses a database newer than the binary"
like "$err" "newer than this kpr" "the refusal says the schema is newer"
run_kpr config
is "$status" 3 "other commands refuse a newer database too"
run_kpr init --status
like "$out" "9999_future +applied, unknown" "init --status names the unknown migration"

done_testing
