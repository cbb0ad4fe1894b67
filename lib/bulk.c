/* bulk.c: foreign keys and indexes set aside for a bulk load, and put back; see bulk.h. */
#include "bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

int kpr_bulk_worth(PGconn *conn, enum kpr_bulk bulk, const char *table, long rows, bool *worth)
{
	*worth = bulk == KPR_BULK_YES;
	if (bulk != KPR_BULK_AUTO || rows < KPR_BULK_MIN_ROWS)
		return KPR_OK;
	/* the planner's estimate is enough here (-1: never analysed, taken as empty) */
	char n[32];
	snprintf(n, sizeof(n), "%ld", rows);
	const char *params[] = { table, n };
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT $2::float8 * 4 >= greatest(reltuples, 0) FROM pg_class WHERE oid = $1::regclass",
			     2, params, &res);
	if (rc != KPR_OK)
		return rc;
	*worth = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return KPR_OK;
}

static bool lock_refused(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	/* lock_not_available (lock_timeout), deadlock_detected */
	return state && (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0);
}

/*
 * What to set aside, in the order to create it again: indexes (kind 'i'), then foreign keys
 * ('f'), with the statements to drop and create each (catalog text only: names come quoted
 * from the server).  Then the lock wait and the session's lock_timeout.
 */
static const char set_aside_sql[] =
	"WITH t AS (SELECT unnest($1::regclass[]) AS rel), items AS ("
	" SELECT 'f' AS kind, c.conrelid AS rel, c.conname AS name,"
	"  format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,"
	"  format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,"
	"   pg_get_constraintdef(c.oid)) AS create_sql"
	" FROM pg_constraint c JOIN t ON t.rel = c.conrelid WHERE c.contype = 'f'"
	" UNION ALL"
	/* an index, or the primary key or unique constraint it backs; not one a foreign key uses */
	" SELECT 'i', i.indrelid, ic.relname,"
	"  CASE WHEN c.oid IS NULL THEN format('DROP INDEX %s', i.indexrelid::regclass)"
	"   ELSE format('ALTER TABLE %s DROP CONSTRAINT %I', i.indrelid::regclass, c.conname) END,"
	"  CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)"
	"   ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', i.indrelid::regclass, c.conname,"
	"    pg_get_constraintdef(c.oid)) END"
	" FROM pg_index i JOIN t ON t.rel = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid"
	" LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
	"  AND c.contype IN ('p', 'u', 'x')"
	" WHERE $2 AND i.indisvalid"
	"  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)) "
	"SELECT kind, drop_sql, create_sql,"
	" CASE current_setting('lock_timeout') WHEN '0' THEN $3 ELSE current_setting('lock_timeout') END,"
	" current_setting('lock_timeout') "
	"FROM items ORDER BY kind DESC, rel, name";

static int count_kind(const PGresult *items, char kind)
{
	int n = 0;
	for (int i = 0; i < PQntuples(items); i++)
		n += PQgetvalue(items, i, 0)[0] == kind;
	return n;
}

int kpr_bulk_set_aside(PGconn *conn, const char *tables, bool indexes, struct kpr_set_aside *sa)
{
	const char *params[] = { tables, indexes ? "t" : "f", KPR_BULK_LOCK_WAIT };
	PGresult *items, *res;
	sa->items = NULL;
	int rc = kpr_db_exec(conn, set_aside_sql, 3, params, &items);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(items) == 0) {
		PQclear(items);
		return KPR_OK;
	}

	/* keys first: an index goes after the keys of its table */
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	for (int i = PQntuples(items) - 1; i >= 0; i--)
		kpr_strbuf_addf(&sql, "%s;\n", PQgetvalue(items, i, 1));
	const char *wait[] = { PQgetvalue(items, 0, 3) };
	if ((rc = kpr_db_exec(conn, "SAVEPOINT kpr_bulk", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT set_config('lock_timeout', $1, true)", 1, wait, NULL)) != KPR_OK) {
		kpr_strbuf_release(&sql);
		PQclear(items);
		return rc;
	}
	rc = kpr_db_exec_quiet(conn, sql.buf, 0, NULL, &res);
	kpr_strbuf_release(&sql);
	if (rc != KPR_OK) {
		if (!lock_refused(res)) {
			kpr_db_report(conn, res);
			PQclear(res);
			PQclear(items);
			return rc;
		}
		kpr_log_info(_("the tables are in use (%s): foreign keys are checked row by row"),
			     PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(res);
		PQclear(items);
		return kpr_db_exec(conn, "ROLLBACK TO SAVEPOINT kpr_bulk; RELEASE SAVEPOINT kpr_bulk", 0, NULL, NULL);
	}
	PQclear(res);
	const char *restore[] = { PQgetvalue(items, 0, 4) };
	if ((rc = kpr_db_exec(conn, "RELEASE SAVEPOINT kpr_bulk", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT set_config('lock_timeout', $1, true)", 1, restore, NULL)) != KPR_OK) {
		PQclear(items);
		return rc;
	}
	int fks = count_kind(items, 'f'), nidx = count_kind(items, 'i');
	char ix[64];
	snprintf(ix, sizeof(ix), P_("%d index", "%d indexes", nidx), nidx);
	/* TRANSLATORS: the %s is "N indexes" */
	kpr_log_debug(P_("%d foreign key and %s set aside for the load", "%d foreign keys and %s set aside for the load",
			 fks), fks, ix);
	sa->items = items;
	return KPR_OK;
}

int kpr_bulk_restore(PGconn *conn, struct kpr_set_aside *sa)
{
	PGresult *items = sa->items;
	if (!items)
		return KPR_OK;
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	for (int i = 0; i < PQntuples(items); i++)
		kpr_strbuf_addf(&sql, "%s;\n", PQgetvalue(items, i, 2));
	int rc = kpr_db_exec(conn, sql.buf, 0, NULL, NULL);
	kpr_strbuf_release(&sql);
	kpr_bulk_release(sa);
	return rc;
}

void kpr_bulk_release(struct kpr_set_aside *sa)
{
	PQclear(sa->items);
	sa->items = NULL;
}
