/* project.c: one project found by its code, with a hint when there is none.  See project.h. */
#include "project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "project_find.h"

void kpr_project_release(struct kpr_project *p)
{
	free(p->code);
	free(p->name);
	free(p->region);
	free(p->pool);
	memset(p, 0, sizeof(*p));
}

static char *dup_value(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

int kpr_project_load(PGconn *conn, const char *code, struct kpr_project *p)
{
	PGresult *res;
	int64_t id;
	char idtext[32];
	const char *params[] = { idtext };
	memset(p, 0, sizeof(*p));
	int rc = kpr_project_find(conn, code, &id);
	if (rc != KPR_OK)
		return rc;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	if ((rc = kpr_db_exec(conn, "SELECT project_id, code, name, region_code, pool_code, coalesce(start_year, 0) "
			      "FROM project WHERE project_id = $1", 1, params, &res)) != KPR_OK)
		return rc;
	if (PQntuples(res) == 0) {	/* deleted in between */
		PQclear(res);
		return kpr_fail(KPR_EINPUT, _("no project with code '%s'"), code);
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
	if (city)
		return KPR_OK;
	kpr_log_error(_("permission denied: role \"%s\" is not the city office's; only the city office may %s"),
		      PQuser(conn), doing);
	kpr_log_hint(_("Run it as a login with the city's role."));
	return KPR_EPERM;
}
