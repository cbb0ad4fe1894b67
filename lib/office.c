/* office.c: the county offices, through the registry's functions; see office.h. */
#include "office.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"

/* An office's regions or zones as text, by code. */
#define SCOPE_SQL(office) \
	"(SELECT string_agg(coalesce(r.name, z.name) || ' (' || coalesce(s.region_code, s.zone_code) || ')', ', '" \
	" ORDER BY s.zone_code IS NOT NULL, coalesce(s.region_code, s.zone_code)) FROM office_scope s" \
	" LEFT JOIN region r ON r.code = s.region_code LEFT JOIN zone z ON z.code = s.zone_code" \
	" WHERE s.office = " office ")"

bool kpr_office_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > KPR_OFFICE_NAME_MAX || name[0] < 'a' || name[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	return true;
}

int kpr_office_add(PGconn *conn, const struct kpr_office_spec *o, const char *password_hash)
{
	const char *params[] = { o->name, o->title, o->regions, o->zones, password_hash };
	return kpr_db_exec(conn, "SELECT office_add($1, $2, regexp_split_to_array(nullif(btrim($3), ''), '\\s*,\\s*'),"
			   " regexp_split_to_array(nullif(btrim($4), ''), '\\s*,\\s*'), $5)", 5, params, NULL);
}

int kpr_office_remove(PGconn *conn, const char *name)
{
	const char *params[] = { name };
	return kpr_db_exec(conn, "SELECT office_remove($1)", 1, params, NULL);
}

int kpr_office_member_add(PGconn *conn, const char *name, const char *login, const char *password_hash)
{
	const char *params[] = { name, login, password_hash };
	return kpr_db_exec(conn, "SELECT office_member_add($1, $2, $3)", 3, params, NULL);
}

int kpr_office_member_remove(PGconn *conn, const char *name, const char *login)
{
	const char *params[] = { name, login };
	return kpr_db_exec(conn, "SELECT office_member_remove($1, $2)", 2, params, NULL);
}

int kpr_office_list(PGconn *conn, struct kpr_batch_table *t)
{
	return kpr_batch_query(conn,
			       "SELECT o.name, o.title, " SCOPE_SQL("o.name") ", "
			       "(SELECT string_agg(m.login, ', ' ORDER BY m.login) FROM office_member m WHERE m.office = o.name) "
			       "FROM office o ORDER BY o.name", 0, NULL, t);
}

char *kpr_office_scope(PGconn *conn, const char *name)
{
	const char *params[] = { name };
	PGresult *res;
	if (kpr_db_exec(conn, "SELECT " SCOPE_SQL("$1"), 1, params, &res) != KPR_OK)
		return NULL;
	char *s = kpr_xstrdup(PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
	PQclear(res);
	return s;
}
