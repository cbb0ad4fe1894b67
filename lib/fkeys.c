/* fkeys.c: foreign keys set aside for a bulk load, and put back checked; see fkeys.h. */
#include "fkeys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

int kpr_fkeys_worth(PGconn *conn, enum kpr_bulk bulk, const char *table, long rows, bool *worth)
{
	*worth = bulk == KPR_BULK_YES;
	if (bulk != KPR_BULK_AUTO || rows < KPR_FKEYS_MIN_ROWS)
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

/* whether key i is on the same table as key i - 1: one ALTER TABLE for all keys of a table */
static bool same_table(const PGresult *keys, int i)
{
	return i > 0 && strcmp(PQgetvalue(keys, i, 0), PQgetvalue(keys, i - 1, 0)) == 0;
}

int kpr_fkeys_set_aside(PGconn *conn, const char *tables, struct kpr_fkeys *fk)
{
	const char *params[] = { tables, KPR_FKEYS_LOCK_WAIT };
	PGresult *keys, *res;
	fk->keys = NULL;
	int rc = kpr_db_exec(conn,
			     "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid),"
			     " CASE current_setting('lock_timeout') WHEN '0' THEN $2 ELSE current_setting('lock_timeout') END,"
			     " current_setting('lock_timeout') "
			     "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY ($1::regclass[]) "
			     "ORDER BY conrelid, conname",
			     2, params, &keys);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(keys) == 0) {
		PQclear(keys);
		return KPR_OK;
	}

	/* catalog text only: table and constraint names come quoted from the server */
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	for (int i = 0; i < PQntuples(keys); i++) {
		if (!same_table(keys, i))
			kpr_strbuf_addf(&sql, "%sALTER TABLE %s", i ? "; " : "", PQgetvalue(keys, i, 0));
		kpr_strbuf_addf(&sql, "%s DROP CONSTRAINT %s", same_table(keys, i) ? "," : "", PQgetvalue(keys, i, 1));
	}
	const char *wait[] = { PQgetvalue(keys, 0, 3) };
	if ((rc = kpr_db_exec(conn, "SAVEPOINT kpr_fkeys", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT set_config('lock_timeout', $1, true)", 1, wait, NULL)) != KPR_OK) {
		kpr_strbuf_release(&sql);
		PQclear(keys);
		return rc;
	}
	rc = kpr_db_exec_quiet(conn, sql.buf, 0, NULL, &res);
	kpr_strbuf_release(&sql);
	if (rc != KPR_OK) {
		if (!lock_refused(res)) {
			kpr_db_report(conn, res);
			PQclear(res);
			PQclear(keys);
			return rc;
		}
		kpr_log_info(_("the tables are in use (%s): foreign keys are checked row by row"),
			     PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(res);
		PQclear(keys);
		return kpr_db_exec(conn, "ROLLBACK TO SAVEPOINT kpr_fkeys; RELEASE SAVEPOINT kpr_fkeys", 0, NULL, NULL);
	}
	PQclear(res);
	const char *restore[] = { PQgetvalue(keys, 0, 4) };
	if ((rc = kpr_db_exec(conn, "RELEASE SAVEPOINT kpr_fkeys", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT set_config('lock_timeout', $1, true)", 1, restore, NULL)) != KPR_OK) {
		PQclear(keys);
		return rc;
	}
	kpr_log_debug(_("%d foreign key(s) set aside for the load"), PQntuples(keys));
	fk->keys = keys;
	return KPR_OK;
}

int kpr_fkeys_restore(PGconn *conn, struct kpr_fkeys *fk)
{
	PGresult *keys = fk->keys;
	if (!keys)
		return KPR_OK;
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	for (int i = 0; i < PQntuples(keys); i++) {
		if (!same_table(keys, i))
			kpr_strbuf_addf(&sql, "%sALTER TABLE %s", i ? "; " : "", PQgetvalue(keys, i, 0));
		kpr_strbuf_addf(&sql, "%s ADD CONSTRAINT %s %s", same_table(keys, i) ? "," : "",
				PQgetvalue(keys, i, 1), PQgetvalue(keys, i, 2));
	}
	int rc = kpr_db_exec(conn, sql.buf, 0, NULL, NULL);
	kpr_strbuf_release(&sql);
	kpr_fkeys_release(fk);
	return rc;
}

void kpr_fkeys_release(struct kpr_fkeys *fk)
{
	PQclear(fk->keys);
	fk->keys = NULL;
}
