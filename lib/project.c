/* project.c: one project found by its code, with a hint when there is none.  See project.h. */
#include "project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fold.h"
#include "log.h"

void kpr_project_release(struct kpr_project *p)
{
	free(p->code);
	free(p->name);
	free(p->region);
	free(p->pool);
	memset(p, 0, sizeof(*p));
}

/* "did you mean": the code or name nearest to what was typed, within a few edits */
static int hint_nearest(PGconn *conn, const char *code)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT code, name FROM project", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	int limit = (int)strlen(code) / 3 + 1, best = limit + 1, row = -1, col = 0;
	for (int i = 0; i < PQntuples(res) && best > 0; i++) {
		for (int c = 0; c < 2; c++) {
			int d = kpr_edit_distance(code, PQgetvalue(res, i, c), best - 1);
			if (d < best) {
				best = d;
				row = i;
				col = c;
			}
		}
	}
	if (row >= 0 && col == 0)
		kpr_log_hint(_("Did you mean %s (%s)?"), PQgetvalue(res, row, 0), PQgetvalue(res, row, 1));
	else if (row >= 0)
		kpr_log_hint(_("Did you mean %s, whose name is %s?"), PQgetvalue(res, row, 0), PQgetvalue(res, row, 1));
	PQclear(res);
	return KPR_OK;
}

static char *dup_value(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

int kpr_project_find(PGconn *conn, const char *code, struct kpr_project *p)
{
	PGresult *res;
	const char *params[] = { code };
	memset(p, 0, sizeof(*p));
	int rc = kpr_db_exec(conn, "SELECT project_id, code, name, region_code, pool_code, coalesce(start_year, 0) "
			     "FROM project WHERE code = $1", 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		kpr_log_error(_("unknown project code '%s'"), code);
		return (rc = hint_nearest(conn, code)) != KPR_OK ? rc : KPR_EINPUT;
	}
	p->id = atoll(PQgetvalue(res, 0, 0));
	p->code = dup_value(res, 1);
	p->name = dup_value(res, 2);
	p->region = dup_value(res, 3);
	p->pool = dup_value(res, 4);
	p->start_year = atoi(PQgetvalue(res, 0, 5));
	PQclear(res);
	return KPR_OK;
}

int kpr_project_timezone(PGconn *conn, char *buf, size_t size)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT coalesce((SELECT value FROM setting WHERE key = 'timezone'), "
			     "'Asia/Shanghai')", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	snprintf(buf, size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

int kpr_require_city(PGconn *conn, const char *doing)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT kpr.is_city()", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	bool city = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!city)
		return kpr_fail(KPR_EPERM, _("permission denied: role \"%s\" is not the city office's; only the city %s"),
				PQuser(conn), doing);
	return KPR_OK;
}
