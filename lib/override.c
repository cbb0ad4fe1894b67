/* override.c: manual colours above the rules (override.h). */
#include "override.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "evaluation.h"
#include "log.h"
#include "month.h"
#include "project.h"

/* The project's id as text into buf (24 bytes); no such project is an input error. */
static int find_project(PGconn *conn, const char *code, char *buf)
{
	PGresult *res;
	const char *params[1] = { code };
	int rc = kpr_db_exec(conn, "SELECT project_id FROM project WHERE code = $1", 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		kpr_log_error(_("no project '%s'"), code);
		return KPR_EINPUT;
	}
	snprintf(buf, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

static int set(PGconn *conn, const struct kpr_override *o, long *id)
{
	char project[24], from[11], until[11];
	PGresult *res;
	int rc;

	if ((rc = kpr_require_city(conn, _("set a colour"))) != KPR_OK ||
	    (rc = find_project(conn, o->code, project)) != KPR_OK)
		return rc;
	const char *params[5] = { project, kpr_colour_name(o->colour), o->reason, kpr_month_date(o->from, from),
				  o->until == KPR_COLOUR_NONE ? NULL : kpr_month_date(o->until, until) };
	if ((rc = kpr_db_exec(conn, "INSERT INTO colour_override (project_id, colour, reason, author, from_month, "
				    "expires_month) VALUES ($1, $2, $3, session_user, $4, $5) RETURNING override_id",
			      5, params, &res)) != KPR_OK)
		return rc;
	*id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

int kpr_override_set(PGconn *conn, const struct kpr_override *o, long *id)
{
	int rc = kpr_db_begin(conn);
	if (rc == KPR_OK)
		rc = set(conn, o, id);
	if (rc == KPR_OK)
		return kpr_db_commit(conn);
	kpr_db_rollback(conn);
	return rc;
}

static int clear(PGconn *conn, const char *code, const char *reason, long *cleared)
{
	char project[24];
	PGresult *res;
	int rc;

	if ((rc = kpr_require_city(conn, _("clear a colour"))) != KPR_OK ||
	    (rc = find_project(conn, code, project)) != KPR_OK)
		return rc;
	const char *params[2] = { project, reason };
	if ((rc = kpr_db_exec(conn, "UPDATE colour_override SET revoked_at = now(), revoked_by = session_user, "
				    "revoke_reason = $2 WHERE project_id = $1 AND revoked_at IS NULL",
			      2, params, &res)) != KPR_OK)
		return rc;
	*cleared = atol(PQcmdTuples(res));
	PQclear(res);
	if (*cleared == 0) {
		kpr_log_error(_("project '%s' has no colour set to clear"), code);
		return KPR_EINPUT;
	}
	return KPR_OK;
}

int kpr_override_clear(PGconn *conn, const char *code, const char *reason, long *cleared)
{
	int rc = kpr_db_begin(conn);
	if (rc == KPR_OK)
		rc = clear(conn, code, reason, cleared);
	if (rc == KPR_OK)
		return kpr_db_commit(conn);
	kpr_db_rollback(conn);
	return rc;
}
