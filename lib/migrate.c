/* migrate.c: applying and checking the schema's versions; see migrate.h. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"

/* any constant will do, as long as nothing else in the database uses it */
#define MIGRATE_LOCK "4242001"

static const char *const bootstrap_sql =
	"CREATE SCHEMA IF NOT EXISTS kpr;"
	"CREATE TABLE IF NOT EXISTS kpr.schema_migrations ("
	" version int PRIMARY KEY,"
	" name text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now(),"
	" applied_by text NOT NULL DEFAULT current_user)";

static int latest_version(void)
{
	return kpr_migrations_count ? kpr_migrations[kpr_migrations_count - 1].version : 0;
}

int kpr_migrate_current(PGconn *conn)
{
	PGresult *res;
	if (kpr_db_exec(conn, "SELECT to_regclass('kpr.schema_migrations') IS NOT NULL", 0, NULL, &res) != KPR_OK)
		return -1;
	bool exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!exists)
		return 0;
	if (kpr_db_exec(conn, "SELECT coalesce(max(version), 0) FROM kpr.schema_migrations", 0, NULL, &res) != KPR_OK)
		return -1;
	int v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static int refuse_newer(int current)
{
	kpr_log_error(_("the database schema (version %d) is newer than this kpr (version %d)"),
		      current, latest_version());
	kpr_log_hint(_("Use a kpr at least as new as the one that last ran \"kpr init\" on this database."));
	return KPR_EDB;
}

static int apply_one(PGconn *conn, const struct kpr_migration *m, bool *done)
{
	int rc;
	PGresult *res;
	char version[16];
	const char *params[2] = { version, m->name };

	snprintf(version, sizeof(version), "%d", m->version);
	*done = false;
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	if ((rc = kpr_db_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT 1 FROM kpr.schema_migrations WHERE version = $1", 1, params, &res)) != KPR_OK)
		goto fail;
	bool applied = PQntuples(res) > 0;
	PQclear(res);
	if (applied) {
		kpr_db_rollback(conn);
		return KPR_OK;
	}
	kpr_log_debug("applying migration %s", m->name);
	if ((rc = kpr_db_exec(conn, "SET LOCAL search_path = kpr, pg_catalog", 0, NULL, NULL)) != KPR_OK)
		goto fail;
	if ((rc = kpr_db_exec(conn, m->sql, 0, NULL, NULL)) != KPR_OK) {
		kpr_log_detail(_("while applying migration %s"), m->name);
		goto fail;
	}
	if ((rc = kpr_db_exec(conn, "INSERT INTO kpr.schema_migrations (version, name) VALUES ($1, $2)",
			      2, params, NULL)) != KPR_OK ||
	    (rc = kpr_db_commit(conn)) != KPR_OK)
		goto fail;
	*done = true;
	return KPR_OK;
fail:
	kpr_db_rollback(conn);
	return rc;
}

int kpr_migrate_apply(PGconn *conn, int *applied)
{
	int rc;
	*applied = 0;
	int current = kpr_migrate_current(conn);
	if (current < 0)
		return KPR_EDB;
	if (current > latest_version())
		return refuse_newer(current);
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	if ((rc = kpr_db_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, bootstrap_sql, 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_commit(conn)) != KPR_OK) {
		kpr_db_rollback(conn);
		return rc;
	}
	for (int i = 0; i < kpr_migrations_count; i++) {
		bool done;
		if ((rc = apply_one(conn, &kpr_migrations[i], &done)) != KPR_OK)
			return rc;
		*applied += done;
	}
	return KPR_OK;
}

int kpr_migrate_check(PGconn *conn)
{
	int current = kpr_migrate_current(conn);
	if (current < 0)
		return KPR_EDB;
	if (current > latest_version())
		return refuse_newer(current);
	if (current == 0) {
		kpr_log_error(_("the database has no kpr schema"));
		kpr_log_hint(_("Run \"kpr init\" first."));
		return KPR_EDB;
	}
	if (current < latest_version()) {
		kpr_log_error(_("the database schema (version %d) is older than this kpr (version %d)"),
			      current, latest_version());
		kpr_log_hint(_("Run \"kpr init\" to bring it up to date."));
		return KPR_EDB;
	}
	return KPR_OK;
}
