/* period.c: closing and reopening months, the city's side of it.  See period.h. */
#include "period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "month.h"
#include "project.h"

/* $1 month: its latest close or reopen: action, by, on */
static const char state_sql[] =
	"SELECT action, closed_by, to_char(closed_at, 'YYYY-MM-DD') FROM period_close WHERE month = $1::date "
	"ORDER BY close_id DESC LIMIT 1";

/* The month's state under a lock on the closes (one closer at a time); *closed. */
static int month_state(PGconn *conn, const char *date, bool *closed, PGresult **res)
{
	const char *params[] = { date };
	int rc;
	if ((rc = kpr_db_exec(conn, "LOCK TABLE period_close IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, state_sql, 1, params, res)) != KPR_OK)
		return rc;
	*closed = PQntuples(*res) == 1 && strcmp(PQgetvalue(*res, 0, 0), "close") == 0;
	return KPR_OK;
}

static int record(PGconn *conn, const char *date, const char *action, const char *reason)
{
	const char *params[] = { date, action, reason };
	int rc = kpr_db_exec(conn, "INSERT INTO period_close (month, action, reason) VALUES ($1, $2, $3)", 3, params,
			     NULL);
	return rc == KPR_OK ? kpr_db_commit(conn) : rc;
}

int kpr_period_close(PGconn *conn, int month, const char *reason)
{
	char tz[64], date[11], m[8];
	int today, rc;
	bool closed;
	PGresult *st;
	if ((rc = kpr_require_city(conn, _("close months"))) != KPR_OK || (rc = kpr_project_timezone(conn, tz, sizeof(tz))) != KPR_OK)
		return rc;
	if (kpr_month_today(tz, &today) != KPR_OK)
		return kpr_fail(KPR_EUSAGE, _("KPR_TODAY is not a date like 2023-10-15: '%s'"), getenv("KPR_TODAY"));
	kpr_month_format(month, m);
	if (month > today)
		return kpr_fail(KPR_EINPUT, _("%s is in the future: it cannot be closed yet"), m);
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	if ((rc = month_state(conn, kpr_month_date(month, date), &closed, &st)) != KPR_OK)
		goto fail;
	if (closed) {
		kpr_log_info(_("%s is already closed (by %s on %s); nothing written"), m, PQgetvalue(st, 0, 1),
			     PQgetvalue(st, 0, 2));
		PQclear(st);
		kpr_db_rollback(conn);
		return KPR_OK;
	}
	PQclear(st);
	if ((rc = record(conn, date, "close", reason)) != KPR_OK)
		goto fail;
	kpr_log_info(_("%s closed: offices can no longer post it or an earlier month"), m);
	return KPR_OK;
fail:
	kpr_db_rollback(conn);
	return rc;
}

int kpr_period_reopen(PGconn *conn, int month, const char *reason)
{
	char date[11], m[8];
	int rc;
	bool closed;
	PGresult *st, *later;
	if ((rc = kpr_require_city(conn, _("reopen months"))) != KPR_OK || (rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	kpr_month_format(month, m);
	if ((rc = month_state(conn, kpr_month_date(month, date), &closed, &st)) != KPR_OK)
		goto fail;
	PQclear(st);
	if (!closed) {
		rc = kpr_fail(KPR_EINPUT, _("%s is not closed"), m);
		goto fail;
	}
	if ((rc = record(conn, date, "reopen", reason)) != KPR_OK)
		goto fail;
	kpr_log_info(_("%s reopened"), m);
	if (kpr_db_exec(conn, "SELECT to_char(month, 'YYYY-MM') FROM closed_month()", 0, NULL, &later) == KPR_OK) {
		if (PQntuples(later) == 1)
			kpr_log_warning(_("months up to %s stay closed: %s is still closed"), PQgetvalue(later, 0, 0),
					PQgetvalue(later, 0, 0));
		PQclear(later);
	}
	return KPR_OK;
fail:
	kpr_db_rollback(conn);
	return rc;
}

int kpr_period_list(PGconn *conn, PGresult **res)
{
	return kpr_db_exec(conn, "SELECT to_char(month, 'YYYY-MM'), action, reason, closed_by,"
			   " to_char(closed_at AT TIME ZONE coalesce((SELECT value FROM setting WHERE key = 'timezone'),"
			   " 'Asia/Shanghai'), 'YYYY-MM-DD HH24:MI') FROM period_close ORDER BY close_id", 0, NULL, res);
}
