/*
 * update.c: one project's monthly report by hand, in one transaction under the project's row
 * lock: the line before, the row inserted (its version, the closed months, the start and
 * completion are the database's: trigger progress_post, migration 0009), the year's months
 * checked, the line after.  See update.h.
 */
#include "update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "money.h"
#include "month.h"

/* The waiting a posting does before it says so: then it waits as long as it takes. */
#define UPDATE_LOCK_WAIT "1s"

/* $1 project, $2 month: the month's figure, the year-to-date up to it, the annual plan, in yuan */
static const char line_sql[] =
	"SELECT (c.amount * 10000)::bigint, (y.ytd * 10000)::bigint, (py.annual_plan * 10000)::bigint,"
	" coalesce(c.version, 0) "
	"FROM (SELECT 1) one "
	"LEFT JOIN progress_current c ON c.project_id = $1 AND c.month = $2::date "
	"LEFT JOIN project_year py ON py.project_id = $1 AND py.year = extract(year FROM $2::date)::int "
	"CROSS JOIN LATERAL (SELECT sum(x.amount) AS ytd FROM progress_current x WHERE x.project_id = $1"
	" AND x.month >= date_trunc('year', $2::date) AND x.month <= $2::date) y";

static const char insert_sql[] =
	"INSERT INTO progress (project_id, month, amount, ytd, physical_progress, problems, actual_start,"
	" completed_on, adjustment_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING version";

/*
 * $1 project, $2 month, $3 reason: after the posting, the first month of the year from $2 on
 * whose year-to-date is below zero (never allowed), or, without a reason, whose month amount
 * (as reported, or derived from a year-to-date) is now negative: this month, or a later one
 * that had no reason of its own.
 */
static const char year_check_sql[] =
	"SELECT to_char(month, 'YYYY-MM'), trim_scale(ytd), trim_scale(amount), ytd < 0 FROM progress_current "
	"WHERE project_id = $1 AND month >= $2::date AND month < date_trunc('year', $2::date) + interval '1 year'"
	" AND (ytd < 0 OR ($3::text IS NULL AND amount < 0 AND (month = $2::date OR adjustment_reason IS NULL))) "
	"ORDER BY month LIMIT 1";

void kpr_update_result_release(struct kpr_update_result *res)
{
	kpr_project_release(&res->project);
}

static int64_t get_yuan(const PGresult *r, int col, bool *present)
{
	*present = !PQgetisnull(r, 0, col);
	return *present ? atoll(PQgetvalue(r, 0, col)) : 0;
}

static int read_line(PGconn *conn, const char *const *params, struct kpr_update_line *l)
{
	PGresult *r;
	int rc = kpr_db_exec(conn, line_sql, 2, params, &r);
	if (rc != KPR_OK)
		return rc;
	l->amount = get_yuan(r, 0, &l->reported);
	l->ytd = get_yuan(r, 1, &l->has_ytd);
	l->plan = get_yuan(r, 2, &l->has_plan);
	l->version = atoi(PQgetvalue(r, 0, 3));
	PQclear(r);
	return KPR_OK;
}

/* A refusal by the server: a closed month in its own words; a missing privilege as
 * "permission denied" naming the project; the rest as the server says it. */
static int report_refusal(PGconn *conn, PGresult *r, const struct kpr_project *p)
{
	const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	int rc = kpr_db_status(r);
	if (rc != KPR_EPERM || (primary && strncmp(primary, "project ", 8) == 0)) {
		if (!primary)
			return kpr_db_report(conn, r);
		kpr_log_error("%s", primary);
		if (PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL))
			kpr_log_detail("%s", PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL));
		if (PQresultErrorField(r, PG_DIAG_MESSAGE_HINT))
			kpr_log_hint("%s", PQresultErrorField(r, PG_DIAG_MESSAGE_HINT));
		return rc;
	}
	kpr_log_error(_("permission denied: role \"%s\" may not post project %s (%s, region %s)"), PQuser(conn),
		      p->code, p->name, p->region);
	if (primary)
		kpr_log_detail("%s", primary);
	/* which projects the session may post: its office's regions (asked once the failed
	 * transaction is rolled back) */
	PGresult *scope;
	kpr_db_rollback(conn);
	if (kpr_db_exec(conn, "SELECT kpr.office_scope_text()", 0, NULL, &scope) == KPR_OK) {
		if (!PQgetisnull(scope, 0, 0))
			kpr_log_hint(_("This office posts the projects of %s."), PQgetvalue(scope, 0, 0));
		else
			kpr_log_hint(_("Role \"%s\" is in no office (kpr office member add)."), PQuser(conn));
		PQclear(scope);
	}
	return KPR_EPERM;
}

/* Did the statement fail waiting for a lock (lock_timeout)? */
static bool lock_timed_out(const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	return state && strcmp(state, "55P03") == 0;
}

/* Refusals that need no database: the month against today and the project's start year. */
static int check_request(PGconn *conn, const struct kpr_update_request *rq, const struct kpr_project *p)
{
	char tz[64], m[8], t[8];
	int today, rc;
	if ((rc = kpr_project_timezone(conn, tz, sizeof(tz))) != KPR_OK)
		return rc;
	if (kpr_month_today(tz, &today) != KPR_OK)
		return kpr_fail(KPR_EUSAGE, _("KPR_TODAY is not a date like 2023-10-15: '%s'"), getenv("KPR_TODAY"));
	if (rq->month > today)
		return kpr_fail(KPR_EINPUT, _("project %s, %s: the month is in the future (today is in %s)"), p->code,
				kpr_month_format(rq->month, m), kpr_month_format(today, t));
	if (p->start_year && kpr_month_year(rq->month) < p->start_year)
		return kpr_fail(KPR_EINPUT, _("project %s, %s: before its start year %d"), p->code,
				kpr_month_format(rq->month, m), p->start_year);
	if (rq->has_amount && rq->amount < 0 && !rq->reason) {
		kpr_log_error(_("project %s, %s: a negative month (调减) needs a reason"), p->code,
			      kpr_month_format(rq->month, m));
		kpr_log_hint(_("Give --reason TEXT."));
		return KPR_EINPUT;
	}
	return KPR_OK;
}

/* The month's figure to insert, in 万元: the amount given, or derived from the year-to-date
 * given and the earlier months' current figures (under the lock: they are the last committed). */
static int month_amount(PGconn *conn, const struct kpr_update_request *rq, const struct kpr_project *p,
			const char *const *params, char *amount)
{
	char ytd[32], m[8];
	if (rq->has_amount) {
		kpr_money_format_wan(rq->amount, amount);
		return KPR_OK;
	}
	const char *q[] = { params[0], params[1], kpr_money_format_wan(rq->ytd, ytd) };
	PGresult *r;
	int rc = kpr_db_exec(conn, "SELECT $3::numeric - s, trim_scale(s) FROM (SELECT coalesce(sum(amount), 0) AS s"
			     " FROM progress_current WHERE project_id = $1 AND month >= date_trunc('year', $2::date)"
			     " AND month < $2::date) e", 3, q, &r);
	if (rc != KPR_OK)
		return rc;
	snprintf(amount, 32, "%s", PQgetvalue(r, 0, 0));
	if (amount[0] == '-' && !rq->reason) {
		kpr_log_error(_("project %s, %s: the year-to-date %s 万元 is below the %s 万元 already reported this year "
				"(the month would be %s 万元)"), p->code, kpr_month_format(rq->month, m), ytd,
			      PQgetvalue(r, 0, 1), amount);
		kpr_log_hint(_("A downward adjustment (调减) needs --reason TEXT."));
		rc = KPR_EINPUT;
	}
	PQclear(r);
	return rc;
}

/* After the insert: no month's year-to-date below zero, no later month's figure negative. */
static int check_year(PGconn *conn, const struct kpr_update_request *rq, const struct kpr_project *p,
		      const char *const *params)
{
	char m[8];
	const char *q[] = { params[0], params[1], rq->reason };
	PGresult *r;
	int rc = kpr_db_exec(conn, year_check_sql, 3, q, &r);
	if (rc != KPR_OK || PQntuples(r) == 0) {
		PQclear(r);
		return rc;
	}
	kpr_month_format(rq->month, m);
	if (strcmp(PQgetvalue(r, 0, 3), "t") == 0)
		kpr_log_error(_("project %s, %s: the report would take the year-to-date of %s below zero (%s 万元)"),
			      p->code, m, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	else
		kpr_log_error(_("project %s, %s: the report would make %s, reported as a year-to-date, negative "
				"(%s 万元); it needs a reason"), p->code, m, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2));
	PQclear(r);
	return KPR_EINPUT;
}

/* Why an attempt at the posting ended without it: */
enum again {
	POST_DONE,	/* it did not: posted, or refused (the status says which) */
	POST_LOCK_WAIT,	/* it gave up waiting for a lock (lock_timeout): wait patiently */
	POST_TRANSIENT	/* a deadlock or serialization failure: run it again (kpr_db_transient) */
};

/* A failed statement of the posting: *again when it timed out waiting for a lock, or when the
 * server gave it up in a way another attempt cures and may_retry (not printed then). */
static int failed(PGconn *conn, PGresult *r, const struct kpr_project *p, bool may_retry, enum again *again)
{
	int rc = KPR_OK;
	if (lock_timed_out(r))
		*again = POST_LOCK_WAIT;
	else if (may_retry && kpr_db_transient(r))
		*again = POST_TRANSIENT;
	else
		rc = report_refusal(conn, r, p);
	PQclear(r);
	kpr_db_rollback(conn);
	return rc;
}

/* One attempt; patient: no lock timeout; may_retry: a transient failure is not printed.  *again:
 * why it ended without posting, or POST_DONE. */
static int post(PGconn *conn, const struct kpr_update_request *rq, struct kpr_update_result *res, bool patient,
		bool may_retry, enum again *again)
{
	const struct kpr_project *p = &res->project;
	char id[24], month[11], amount[32], ytd[32];
	PGresult *r;
	int rc;
	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	kpr_month_date(rq->month, month);
	const char *params[] = { id, month };
	*again = POST_DONE;
	if ((rc = kpr_db_begin(conn)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, patient ? "SET LOCAL lock_timeout = 0"
				      : "SET LOCAL lock_timeout = '" UPDATE_LOCK_WAIT "'", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if (kpr_db_exec_quiet(conn, "SELECT lock_project($1)", 1, params, &r) != KPR_OK)
		return failed(conn, r, p, may_retry, again);
	PQclear(r);
	if ((rc = read_line(conn, params, &res->before)) != KPR_OK ||
	    (rc = month_amount(conn, rq, p, params, amount)) != KPR_OK)
		goto fail;
	/* a year-to-date is stored as reported, the month's amount derived when read (migration 0007) */
	const char *ins[] = { id, month, rq->has_ytd ? NULL : amount, rq->has_ytd ? kpr_money_format_wan(rq->ytd, ytd) : NULL,
			      rq->progress, rq->problems, rq->started, rq->completed, rq->reason };
	if (kpr_db_exec_quiet(conn, insert_sql, 9, ins, &r) != KPR_OK)
		return failed(conn, r, p, may_retry, again);
	bool wrote = PQntuples(r) == 1;
	PQclear(r);
	if (!wrote) {	/* a policy that filters the row out writes nothing and says nothing */
		rc = kpr_fail(KPR_EPERM, _("permission denied: role \"%s\" may not post project %s (%s, region %s)"),
			      PQuser(conn), p->code, p->name, p->region);
		goto fail;
	}
	if ((rc = check_year(conn, rq, p, params)) != KPR_OK || (rc = read_line(conn, params, &res->after)) != KPR_OK)
		goto fail;
	return kpr_db_commit(conn);
fail:
	kpr_db_rollback(conn);
	return rc;
}

int kpr_update(PGconn *conn, const struct kpr_update_request *rq, struct kpr_update_result *res)
{
	enum again again;
	bool patient = false;
	int rc, attempts = 0;
	memset(res, 0, sizeof(*res));
	if ((rc = kpr_project_load(conn, rq->code, &res->project)) != KPR_OK ||
	    (rc = check_request(conn, rq, &res->project)) != KPR_OK)
		return rc;
	for (;;) {
		if ((rc = post(conn, rq, res, patient, attempts + 1 < KPR_DB_ATTEMPTS, &again)) != KPR_OK ||
		    again == POST_DONE)
			return rc;
		if (again == POST_TRANSIENT) {
			kpr_db_retry_wait(++attempts);
			continue;
		}
		if (patient)
			return kpr_fail(KPR_EDB, _("project %s: gave up waiting for a lock"), res->project.code);
		patient = res->waited = true;
		kpr_log_info(_("waiting for project %s: another posting or an import holds it"), res->project.code);
	}
}
