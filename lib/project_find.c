/* project_find.c: a project by its code, or the nearest as a hint; see project_find.h. */
#include "project_find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fold.h"
#include "log.h"
#include "strbuf.h"

#define PAGE "5000"

/* How many edits still make two texts near: a quarter of the shorter, 1 to 3. */
static int near_limit(int len)
{
	int limit = len / 4;
	return limit < 1 ? 1 : limit > 3 ? 3 : limit;
}

static int code_points(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

struct nearest {
	const char *key;	/* the text, folded */
	int len;		/* its length in code points */
	int best;		/* the best distance so far (a containing name counts as limit) */
	char *code, *name;	/* the best candidate */
};

/* Consider one project: its code by edits, its name by edits or containment. */
static void consider(struct nearest *n, const char *code, const char *name, struct kpr_strbuf *sb)
{
	const char *k = kpr_fold_key(code, sb);
	int limit = near_limit(n->len < code_points(k) ? n->len : code_points(k));
	int d = kpr_edit_distance(n->key, k, limit);
	if (d > limit) {
		k = kpr_fold_key(name, sb);
		int lk = code_points(k);
		limit = near_limit(n->len < lk ? n->len : lk);
		d = kpr_edit_distance(n->key, k, limit);
		if (d > limit && n->len >= 2 && (strstr(k, n->key) || strstr(n->key, k)))
			d = limit;
		if (d > limit)
			return;
	}
	if (d < n->best) {
		n->best = d;
		free(n->code);
		free(n->name);
		n->code = kpr_xstrdup(code);
		n->name = kpr_xstrdup(name);
	}
}

/* Look through every project a page at a time; the nearest into *n. */
static int look_around(PGconn *conn, struct nearest *n)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	bool own = PQtransactionStatus(conn) == PQTRANS_IDLE;
	PGresult *res = NULL;
	int rc = KPR_OK;

	if (own && (rc = kpr_db_exec(conn, "BEGIN READ ONLY", 0, NULL, NULL)) != KPR_OK)
		return rc;
	rc = kpr_db_exec(conn, "DECLARE kpr_project_find NO SCROLL CURSOR FOR SELECT code, name FROM project", 0, NULL,
			 NULL);
	while (rc == KPR_OK &&
	       (rc = kpr_db_exec(conn, "FETCH " PAGE " FROM kpr_project_find", 0, NULL, &res)) == KPR_OK) {
		int rows = PQntuples(res);
		for (int r = 0; r < rows && n->best > 0; r++)
			consider(n, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), &sb);
		PQclear(res);
		if (rows == 0 || n->best == 0)
			break;
	}
	if (rc == KPR_OK)
		rc = kpr_db_exec(conn, "CLOSE kpr_project_find", 0, NULL, NULL);
	if (own)
		kpr_db_rollback(conn);
	kpr_strbuf_release(&sb);
	return rc;
}

int kpr_project_find(PGconn *conn, const char *code, int64_t *id)
{
	const char *params[] = { code };
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT project_id FROM project WHERE code = $1", 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (found)
		return KPR_OK;

	struct kpr_strbuf key = KPR_STRBUF_INIT;
	struct nearest n = { .key = kpr_fold_key(code, &key), .best = 4 };
	n.len = code_points(n.key);
	rc = look_around(conn, &n);
	if (rc == KPR_OK) {
		kpr_log_error(_("no project with code '%s'"), code);
		if (n.code)
			kpr_log_hint(_("Did you mean %s (%s)?"), n.code, n.name);
		else
			kpr_log_hint(_("\"kpr list --search TEXT\" finds projects by code, name or owner."));
		rc = KPR_EINPUT;
	}
	free(n.code);
	free(n.name);
	kpr_strbuf_release(&key);
	return rc;
}
