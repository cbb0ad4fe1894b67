/* refdata.c: regions, zones, scenarios and code patterns for imports; see refdata.h. */
#include "refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fold.h"
#include "log.h"
#include "strbuf.h"

#define DEFAULT_LOCAL_CODE "^[A-Za-z0-9_-]{3,40}$"

static int set_local_code(struct kpr_refdata *rd, const char *pattern)
{
	if (rd->has_local_code)
		regfree(&rd->local_code);
	rd->has_local_code = regcomp(&rd->local_code, pattern, REG_EXTENDED | REG_NOSUB) == 0;
	rd->local_code_is_default = rd->has_local_code && strcmp(pattern, DEFAULT_LOCAL_CODE) == 0;
	return rd->has_local_code ? KPR_OK : KPR_EINPUT;
}

void kpr_refdata_init(struct kpr_refdata *rd, int year)
{
	memset(rd, 0, sizeof(*rd));
	rd->year = year;
	snprintf(rd->timezone, sizeof(rd->timezone), "Asia/Shanghai");
	(void)set_local_code(rd, DEFAULT_LOCAL_CODE);
}

void kpr_ref_add(struct kpr_reflist *list, int id, const char *code, const char *name, const char *short_name)
{
	if (list->n == list->alloc) {
		list->alloc = list->alloc ? list->alloc * 2 : 16;
		list->items = kpr_xrealloc(list->items, list->alloc * sizeof(*list->items));
	}
	struct kpr_ref *r = &list->items[list->n++];
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	r->id = id;
	r->code = kpr_xstrdup(code);
	r->name = kpr_xstrdup(name);
	r->short_name = short_name && *short_name ? kpr_xstrdup(short_name) : NULL;
	r->keys[0] = kpr_xstrdup(kpr_fold_key(code, &sb));
	r->keys[1] = kpr_xstrdup(kpr_fold_key(name, &sb));
	r->keys[2] = r->short_name ? kpr_xstrdup(kpr_fold_key(r->short_name, &sb)) : NULL;
	kpr_strbuf_release(&sb);
}

void kpr_reflist_release(struct kpr_reflist *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct kpr_ref *r = &list->items[i];
		free(r->code);
		free(r->name);
		free(r->short_name);
		for (int k = 0; k < 3; k++)
			free(r->keys[k]);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void kpr_refdata_release(struct kpr_refdata *rd)
{
	kpr_reflist_release(&rd->regions);
	kpr_reflist_release(&rd->zones);
	kpr_reflist_release(&rd->scenarios);
	if (rd->has_local_code)
		regfree(&rd->local_code);
	rd->has_local_code = false;
}

static int load_list(PGconn *conn, const char *sql, int nparams, const char *const *params, struct kpr_reflist *list)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, sql, nparams, params, &res);
	if (rc != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		kpr_ref_add(list, atoi(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			    PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
	PQclear(res);
	return KPR_OK;
}

int kpr_refdata_load(PGconn *conn, int year, struct kpr_refdata *rd)
{
	char ybuf[16];
	const char *params[] = { ybuf };
	int rc;
	PGresult *res;

	rd->year = year;
	snprintf(ybuf, sizeof(ybuf), "%d", year);
	if ((rc = load_list(conn, "SELECT 0, code, name, short_name FROM region ORDER BY ord, code", 0, NULL, &rd->regions)) ||
	    (rc = load_list(conn, "SELECT 0, code, name, short_name FROM zone ORDER BY ord, code", 0, NULL, &rd->zones)) ||
	    (year && (rc = load_list(conn, "SELECT scenario_id, code, name, NULL FROM scenario WHERE year = $1 "
				     "ORDER BY ord, code", 1, params, &rd->scenarios))))
		return rc;
	if ((rc = kpr_db_exec(conn, "SELECT key, value FROM setting WHERE key IN ('local_code_pattern', 'timezone')",
			      0, NULL, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *k = PQgetvalue(res, i, 0), *v = PQgetvalue(res, i, 1);
		if (strcmp(k, "timezone") == 0)
			snprintf(rd->timezone, sizeof(rd->timezone), "%s", v);
		else if (set_local_code(rd, v) != KPR_OK)
			kpr_log_warning(_("the configured local code pattern '%s' is not a valid regular expression; using %s"),
					v, DEFAULT_LOCAL_CODE);
	}
	PQclear(res);
	if (!rd->has_local_code)
		(void)set_local_code(rd, DEFAULT_LOCAL_CODE);
	return KPR_OK;
}

/* Code points in a UTF-8 string: its bytes less the continuation bytes. */
static int code_points(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * How many edits still make a name near: fewer than half the shorter name's characters, and
 * at most 2; so a two-character name has no near misses ("火星" is not near "安次").
 */
static int near_limit(const char *a, const char *b)
{
	int la = code_points(a), lb = code_points(b), shorter = la < lb ? la : lb;
	int limit = (shorter - 1) / 2;
	return limit < 2 ? limit : 2;
}

const struct kpr_ref *kpr_ref_find(const struct kpr_reflist *list, const char *text, const char **hint)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *key = kpr_fold_key(text, &sb);
	const struct kpr_ref *found = NULL, *near = NULL;
	int best = 3;
	for (size_t i = 0; i < list->n && !found; i++)
		for (int k = 0; k < 3; k++)
			if (list->items[i].keys[k] && strcmp(list->items[i].keys[k], key) == 0)
				found = &list->items[i];
	if (!found && hint) {
		for (size_t i = 0; i < list->n; i++) {
			for (int k = 1; k < 3; k++) {
				const char *cand = list->items[i].keys[k];
				if (!cand)
					continue;
				int d = kpr_edit_distance(key, cand, best - 1);
				if (d > near_limit(key, cand))
					d = best;
				/* a name containing the other ("大厂县" / "大厂回族自治县") is near too */
				if (d >= best && (strstr(cand, key) || strstr(key, cand)))
					d = best - 1;
				if (d < best) {
					best = d;
					near = &list->items[i];
				}
			}
		}
		*hint = near ? near->name : NULL;
	}
	kpr_strbuf_release(&sb);
	return found;
}

/* YYMM-RRRRRR-DD-TT-NNNNNC (or YYYY-... for older codes): 24 characters, shape only */
static bool national_code(const char *c)
{
	static const char shape[] = "dddd-dddddd-dd-dd-dddddC";
	if (strlen(c) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		char s = shape[i], ch = c[i];
		if (s == '-' && ch != '-')
			return false;
		if (s == 'd' && (ch < '0' || ch > '9'))
			return false;
		if (s == 'C' && !((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

/* DEFAULT_LOCAL_CODE without regexec, which costs thousands of instructions a call */
static bool default_local_code(const char *c)
{
	size_t n = strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return c[n] == '\0' && n >= 3 && n <= 40;
}

bool kpr_refdata_code_ok(const struct kpr_refdata *rd, const char *code)
{
	if (national_code(code))
		return true;
	if (rd->local_code_is_default)
		return default_local_code(code);
	return rd->has_local_code && regexec(&rd->local_code, code, 0, NULL, 0) == 0;
}
