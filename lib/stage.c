/* stage.c: a project moved between pools by the city.  See stage.h. */
#include "stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "month.h"

/* $1: what was typed; the pool it names, by code, Chinese or English name, or its mark */
static const char pool_sql[] =
	"SELECT code, name, ord, coalesce(mark, '') FROM pool WHERE code = $1 OR name = $1"
	" OR lower(name_en) = lower($1) OR mark = $1 ORDER BY code = $1 DESC, name = $1 DESC LIMIT 1";

/* $1 project: its pool, locked */
static const char current_sql[] =
	"SELECT p.pool_code, l.name, coalesce(l.ord, 0) FROM project p LEFT JOIN pool l ON l.code = p.pool_code"
	" WHERE p.project_id = $1 FOR NO KEY UPDATE OF p";

static const char move_sql[] =
	"WITH m AS (UPDATE project SET pool_code = $3, updated_at = now() WHERE project_id = $1 RETURNING project_id) "
	"INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on, reason, moved_by) "
	"SELECT project_id, $2, $3, $4::date, $5, session_user FROM m";

void kpr_stage_result_release(struct kpr_stage_result *r)
{
	kpr_project_release(&r->project);
	free(r->from);
	free(r->to);
	r->from = r->to = NULL;
}

/* The pool named; unknown: the pools listed, KPR_EINPUT. */
static int find_pool(PGconn *conn, const char *name, PGresult **pool)
{
	const char *params[] = { name };
	int rc = kpr_db_exec(conn, pool_sql, 1, params, pool);
	if (rc != KPR_OK || PQntuples(*pool) == 1)
		return rc;
	PQclear(*pool);
	*pool = NULL;
	kpr_log_error(_("unknown pool '%s'"), name);
	PGresult *all;
	if ((rc = kpr_db_exec(conn, "SELECT string_agg(code || ' ' || name, ', ' ORDER BY ord) FROM pool", 0, NULL,
			      &all)) != KPR_OK)
		return rc;
	kpr_log_hint(_("The pools: %s."), PQgetvalue(all, 0, 0));
	PQclear(all);
	return KPR_EINPUT;
}

/* Today's date: $KPR_TODAY when it is a whole date, else the registry's. */
static int today(PGconn *conn, char *buf)
{
	const char *fixed = getenv("KPR_TODAY");
	if (fixed && *fixed && strlen(fixed) == 10 && kpr_date_parse(fixed, buf) == KPR_OK)
		return KPR_OK;
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT (now() AT TIME ZONE coalesce((SELECT value FROM setting"
			     " WHERE key = 'timezone'), 'Asia/Shanghai'))::date", 0, NULL, &res);
	if (rc == KPR_OK) {
		snprintf(buf, 11, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return rc;
}

/* Inside the transaction: the move checked against the project's pool, then written. */
static int move(PGconn *conn, const struct kpr_stage_request *rq, const PGresult *pool, struct kpr_stage_result *r)
{
	char id[24];
	PGresult *cur;
	snprintf(id, sizeof(id), "%lld", (long long)r->project.id);
	const char *p1[] = { id };
	int rc = kpr_db_exec(conn, current_sql, 1, p1, &cur);
	if (rc != KPR_OK)
		return rc;
	const char *to = PQgetvalue(pool, 0, 0);
	bool withdrawn = strcmp(PQgetvalue(pool, 0, 3), "withdrawn") == 0;
	bool back = atoi(PQgetvalue(cur, 0, 2)) > atoi(PQgetvalue(pool, 0, 2));
	char *from = PQgetisnull(cur, 0, 0) ? NULL : strdup(PQgetvalue(cur, 0, 0));
	r->from = PQgetisnull(cur, 0, 1) ? NULL : strdup(PQgetvalue(cur, 0, 1));
	r->to = strdup(PQgetvalue(pool, 0, 1));
	PQclear(cur);
	if (from && strcmp(from, to) == 0) {
		free(from);
		return KPR_OK;
	}
	if ((back || withdrawn) && !rq->reason) {
		kpr_log_error(_("project %s: %s from %s to %s needs a reason"), r->project.code,
			      withdrawn ? _("a withdrawal (退库)") : _("a move back"), r->from ? r->from : "-", r->to);
		kpr_log_hint(_("Give --reason TEXT."));
		free(from);
		return KPR_EINPUT;
	}
	const char *p5[] = { id, from, to, r->date, rq->reason };
	if ((rc = kpr_db_exec(conn, move_sql, 5, p5, NULL)) == KPR_OK)
		r->moved = true;
	free(from);
	return rc;
}

int kpr_stage(PGconn *conn, const struct kpr_stage_request *rq, struct kpr_stage_result *r)
{
	PGresult *pool = NULL;
	int rc;
	memset(r, 0, sizeof(*r));
	if ((rc = kpr_require_city(conn, _("move projects between pools"))) != KPR_OK || (rc = kpr_project_load(conn, rq->code, &r->project)) != KPR_OK ||
	    (rc = find_pool(conn, rq->pool, &pool)) != KPR_OK)
		return rc;
	if (rq->date)
		snprintf(r->date, sizeof(r->date), "%s", rq->date);
	else if ((rc = today(conn, r->date)) != KPR_OK)
		goto done;
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		goto done;
	if ((rc = move(conn, rq, pool, r)) == KPR_OK)
		rc = kpr_db_commit(conn);
	else
		kpr_db_rollback(conn);
done:
	PQclear(pool);
	return rc;
}
