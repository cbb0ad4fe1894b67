/* migrate.c: applying and checking the schema's versions; see migrate.h. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

/* any constant will do, as long as nothing else in the database uses it */
#define MIGRATE_LOCK "4242001"

static const char *const bootstrap_sql =
	"CREATE SCHEMA IF NOT EXISTS kpr;"
	"CREATE TABLE IF NOT EXISTS kpr.schema_migrations ("
	" version int PRIMARY KEY,"
	" name text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now(),"
	" applied_by text NOT NULL DEFAULT current_user)";

int kpr_migrate_latest(void)
{
	return kpr_migrations_count ? kpr_migrations[kpr_migrations_count - 1].version : 0;
}

/* Does the database have kpr.schema_migrations?  (Not yet initialised: no.) */
static int has_schema(PGconn *conn, bool *exists)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT to_regclass('kpr.schema_migrations') IS NOT NULL", 0, NULL, &res);
	if (rc == KPR_OK) {
		*exists = PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
	}
	return rc;
}

int kpr_migrate_current(PGconn *conn, int *version)
{
	PGresult *res;
	bool exists;
	int rc;
	*version = 0;
	if ((rc = has_schema(conn, &exists)) != KPR_OK || !exists)
		return rc;
	if ((rc = kpr_db_exec(conn, "SELECT coalesce(max(version), 0) FROM kpr.schema_migrations", 0, NULL, &res)) != KPR_OK)
		return rc;
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

int kpr_migrate_not_newer(int version)
{
	if (version <= kpr_migrate_latest())
		return KPR_OK;
	kpr_log_error(_("the database schema (version %d) is newer than this kpr (version %d)"),
		      version, kpr_migrate_latest());
	kpr_log_hint(_("Use a kpr at least as new as the one that last ran \"kpr init\" on this database."));
	return KPR_EDB;
}

static void fill_state(struct kpr_migration_state *st, const PGresult *res, int row)
{
	st->version = atoi(PQgetvalue(res, row, 0));
	snprintf(st->name, sizeof(st->name), "%s", PQgetvalue(res, row, 1));
	snprintf(st->applied_at, sizeof(st->applied_at), "%s", PQgetvalue(res, row, 2));
	snprintf(st->applied_by, sizeof(st->applied_by), "%s", PQgetvalue(res, row, 3));
	st->applied = true;
}

int kpr_migrate_list(PGconn *conn, struct kpr_migration_state **out, int *n, int *current)
{
	PGresult *res = NULL;
	bool exists;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = kpr_migrate_current(conn, current)) != KPR_OK || (rc = has_schema(conn, &exists)) != KPR_OK)
		return rc;
	if (exists && (rc = kpr_db_exec(conn, "SELECT version, name, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS'), "
					   "applied_by FROM kpr.schema_migrations ORDER BY version", 0, NULL, &res)) != KPR_OK)
		return rc;
	int row = 0, nrows = res ? PQntuples(res) : 0;
	struct kpr_migration_state *st = kpr_xcalloc((size_t)(kpr_migrations_count + nrows), sizeof(*st));
	for (int i = 0; i < kpr_migrations_count; i++, (*n)++) {
		const struct kpr_migration *m = &kpr_migrations[i];
		if (row < nrows && atoi(PQgetvalue(res, row, 0)) == m->version)
			fill_state(&st[*n], res, row++);
		snprintf(st[*n].name, sizeof(st[*n].name), "%s", m->name);
		st[*n].version = m->version;
		st[*n].known = true;
	}
	for (; row < nrows; row++, (*n)++)
		fill_state(&st[*n], res, row);
	PQclear(res);
	*out = st;
	return KPR_OK;
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
	int current;
	if ((rc = kpr_migrate_current(conn, &current)) != KPR_OK || (rc = kpr_migrate_not_newer(current)) != KPR_OK)
		return rc;
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
	int current, rc;
	if ((rc = kpr_migrate_current(conn, &current)) != KPR_OK || (rc = kpr_migrate_not_newer(current)) != KPR_OK)
		return rc;
	if (current == 0) {
		kpr_log_error(_("the database has no kpr schema"));
		kpr_log_hint(_("Run \"kpr init\" first."));
		return KPR_EDB;
	}
	if (current < kpr_migrate_latest()) {
		kpr_log_error(_("the database schema (version %d) is older than this kpr (version %d)"),
			      current, kpr_migrate_latest());
		kpr_log_hint(_("Run \"kpr init\" to bring it up to date."));
		return KPR_EDB;
	}
	return KPR_OK;
}
