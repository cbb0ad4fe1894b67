/* listing.c: the year's project list as of a month, through a cursor; see listing.h. */
#include "listing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colour_current.h"
#include "db.h"
#include "log.h"
#include "month.h"
#include "refdata.h"

#define YUAN_SQL(col) "(" col " * 10000)::bigint"

/*
 * $1 year, $2 the month's 1st (NULL: no reports), $3 region code, $4 zone code, $5 scenario_id,
 * $6 pool code, $7 colour (or 'unrated'), $8 nature, $9 leader, $10 responsible unit, $11 text
 * searched; a NULL filter lets every project through (a custom plan folds it away).
 */
static const char list_sql[] =
	"DECLARE kpr_listing NO SCROLL CURSOR FOR "
	"SELECT p.code, p.name, r.name, coalesce(r.short_name, r.name), z.name, coalesce(z.short_name, z.name),"
	" sc.names, p.industry, p.level, p.nature, p.owner, p.responsible_unit, p.leader, p.scope,"
	" p.start_year, p.end_year, to_char(p.planned_start, 'YYYY-MM'), "
	YUAN_SQL("p.total_investment") ", " YUAN_SQL("py.annual_plan") ", p.remarks, pl.name, cc.colour, "
	YUAN_SQL("coalesce(d.done, 0)") " "
	"FROM project_year py JOIN project p ON p.project_id = py.project_id"
	" JOIN region r ON r.code = p.region_code"
	" LEFT JOIN zone z ON z.code = p.zone_code"
	" LEFT JOIN pool pl ON pl.code = p.pool_code"
	" LEFT JOIN (SELECT ps.project_id, string_agg(s.name, '、' ORDER BY s.ord, s.code) AS names"
	"  FROM project_scenario ps JOIN scenario s ON s.scenario_id = ps.scenario_id"
	"  WHERE s.year = $1::int GROUP BY ps.project_id) sc ON sc.project_id = p.project_id"
	" LEFT JOIN (SELECT project_id, sum(amount) AS done FROM progress_current"
	"  WHERE month >= make_date($1::int, 1, 1) AND month <= $2::date GROUP BY project_id) d"
	"  ON d.project_id = p.project_id"
	KPR_COLOUR_CURRENT_JOIN("p.project_id", "$2::date")
	"WHERE py.year = $1::int"
	" AND ($3::text IS NULL OR p.region_code = $3::text)"
	" AND ($4::text IS NULL OR p.zone_code = $4::text)"
	" AND ($5::int IS NULL OR EXISTS (SELECT 1 FROM project_scenario ps"
	"  WHERE ps.project_id = p.project_id AND ps.scenario_id = $5::int))"
	" AND ($6::text IS NULL OR p.pool_code = $6::text)"
	" AND ($7::text IS NULL OR coalesce(cc.colour, 'unrated') = $7::text)"
	" AND ($8::text IS NULL OR p.nature = $8::text)"
	" AND ($9::text IS NULL OR strpos(lower(p.leader), lower($9::text)) > 0)"
	" AND ($10::text IS NULL OR strpos(lower(p.responsible_unit), lower($10::text)) > 0)"
	" AND ($11::text IS NULL OR strpos(lower(p.code), lower($11::text)) > 0"
	"  OR strpos(lower(p.name), lower($11::text)) > 0 OR strpos(lower(p.owner), lower($11::text)) > 0) "
	"ORDER BY r.ord NULLS LAST, r.code, p.code";

/* The latest year with a list, 0 when there is none. */
static int latest_year(PGconn *conn, int *year)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT max(year) FROM project_year", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	*year = PQgetisnull(res, 0, 0) ? 0 : atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

/* The year's latest month with a report that counts (not of a reverted batch); 0 when none. */
static int latest_month(PGconn *conn, int year, int *month)
{
	static const char sql[] =
		"SELECT to_char(max(p.month), 'YYYY-MM') FROM progress p"
		" LEFT JOIN import_batch b ON b.batch_id = p.batch_id"
		" WHERE b.reverted_at IS NULL AND p.month >= make_date($1::int, 1, 1)"
		" AND p.month < make_date($1::int + 1, 1, 1)";
	char ybuf[16];
	const char *params[] = { ybuf };
	PGresult *res;
	snprintf(ybuf, sizeof(ybuf), "%d", year);
	int rc = kpr_db_exec(conn, sql, 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	*month = 0;
	if (!PQgetisnull(res, 0, 0) && kpr_month_parse(PQgetvalue(res, 0, 0), month) != KPR_OK)
		*month = 0;
	PQclear(res);
	return KPR_OK;
}

/* Resolve text against list into *code (or *id); an unknown name is an error with a hint. */
static int resolve(const struct kpr_reflist *list, const char *text, const char *what, const char **code, int *id)
{
	const char *hint = NULL;
	const struct kpr_ref *ref = kpr_ref_find(list, text, &hint);
	if (ref) {
		*code = ref->code;
		if (id)
			*id = ref->id;
		return KPR_OK;
	}
	kpr_log_error(_("unknown %s '%s'"), what, text);
	if (hint)
		kpr_log_hint(_("Did you mean '%s'?"), hint);
	return KPR_EINPUT;
}

/* The pools, as a reference list: code, name, English name (as the short name). */
static int load_pools(PGconn *conn, struct kpr_reflist *pools)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT code, name, name_en FROM pool ORDER BY ord", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		kpr_ref_add(pools, 0, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			    PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
	PQclear(res);
	return KPR_OK;
}

int kpr_listing_period(PGconn *conn, int *year, int *month)
{
	int rc = latest_year(conn, year);
	*month = 0;
	if (rc == KPR_OK && *year)
		rc = latest_month(conn, *year, month);
	return rc;
}

/* The year and month the list is for: given, or the defaults; checked. */
static int choose_period(PGconn *conn, const struct kpr_listing_filter *f, struct kpr_listing *l)
{
	int rc;
	l->year = f->year ? f->year : f->month ? kpr_month_year(f->month) : 0;
	if (!l->year) {
		if ((rc = latest_year(conn, &l->year)) != KPR_OK)
			return rc;
		if (!l->year)
			return kpr_fail(KPR_EINPUT, _("no project list has been imported yet"));
	}
	if (f->month && kpr_month_year(f->month) != l->year) {
		char m[8];
		return kpr_fail(KPR_EINPUT, _("--month %s is not in the list's year %d"), kpr_month_format(f->month, m),
				l->year);
	}
	l->month = f->month;
	if (!l->month && (rc = latest_month(conn, l->year, &l->month)) != KPR_OK)
		return rc;
	return KPR_OK;
}

/* The filter's names resolved into params[2..10] (codes into the strings of rd and pools). */
static int resolve_filter(PGconn *conn, const struct kpr_listing_filter *f, struct kpr_refdata *rd,
			  struct kpr_reflist *pools, char *scenario_id, const char **params)
{
	int rc, id = 0;
	if (f->region && (rc = resolve(&rd->regions, f->region, _("region"), &params[2], NULL)) != KPR_OK)
		return rc;
	if (f->zone && (rc = resolve(&rd->zones, f->zone, _("zone"), &params[3], NULL)) != KPR_OK)
		return rc;
	if (f->scenario) {
		const char *code;
		if ((rc = resolve(&rd->scenarios, f->scenario, _("scenario"), &code, &id)) != KPR_OK) {
			kpr_log_detail(_("The scenarios are those of %d (kpr config --year %d)."), rd->year, rd->year);
			return rc;
		}
		snprintf(scenario_id, 16, "%d", id);
		params[4] = scenario_id;
	}
	if (f->pool) {
		if ((rc = load_pools(conn, pools)) != KPR_OK ||
		    (rc = resolve(pools, f->pool, _("pool"), &params[5], NULL)) != KPR_OK)
			return rc;
	}
	params[6] = f->colour;
	params[7] = f->nature;
	params[8] = f->leader;
	params[9] = f->responsible;
	params[10] = f->search;
	return KPR_OK;
}

static int declare(struct kpr_listing *l, const struct kpr_listing_filter *f)
{
	struct kpr_refdata rd;
	struct kpr_reflist pools = { 0 };
	char ybuf[16], mbuf[11], scenario_id[16];
	const char *params[11] = { ybuf, NULL };
	int rc;

	snprintf(ybuf, sizeof(ybuf), "%d", l->year);
	if (l->month)
		params[1] = kpr_month_date(l->month, mbuf);
	kpr_refdata_init(&rd, l->year);
	if ((rc = kpr_refdata_load(l->conn, l->year, &rd)) == KPR_OK &&
	    (rc = resolve_filter(l->conn, f, &rd, &pools, scenario_id, params)) == KPR_OK)
		rc = kpr_db_exec(l->conn, list_sql, 11, params, NULL);
	kpr_reflist_release(&pools);
	kpr_refdata_release(&rd);
	return rc;
}

int kpr_listing_open(PGconn *conn, const struct kpr_listing_filter *f, struct kpr_listing *l)
{
	int rc;
	memset(l, 0, sizeof(*l));
	l->conn = conn;
	l->page_rows = 1000;
	/* one snapshot for the defaults and every page; the plan as for a query read whole */
	if ((rc = kpr_db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = kpr_db_exec(conn, "SET LOCAL cursor_tuple_fraction = 1", 0, NULL, NULL)) != KPR_OK ||
	    (rc = choose_period(conn, f, l)) != KPR_OK || (rc = declare(l, f)) != KPR_OK) {
		kpr_db_rollback(conn);
		return rc;
	}
	l->open = true;
	return KPR_OK;
}

int kpr_listing_fetch(struct kpr_listing *l, PGresult **page)
{
	char sql[64];
	*page = NULL;
	if (!l->open)
		return KPR_OK;
	snprintf(sql, sizeof(sql), "FETCH %d FROM kpr_listing", l->page_rows);
	int rc = kpr_db_exec(l->conn, sql, 0, NULL, page);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(*page) == 0) {
		PQclear(*page);
		*page = NULL;
	}
	return KPR_OK;
}

void kpr_listing_close(struct kpr_listing *l)
{
	if (l->open)
		kpr_db_rollback(l->conn);
	l->open = false;
}

int kpr_listing_require(PGconn *conn, int year)
{
	char y[16];
	const char *params[1] = { y };
	PGresult *res;
	snprintf(y, sizeof(y), "%d", year);
	int rc = kpr_db_exec(conn, "SELECT EXISTS (SELECT FROM project_year WHERE year = $1::int)", 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	bool found = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (found)
		return KPR_OK;
	if (year)
		kpr_log_error(_("there is no list for %d"), year);
	else
		kpr_log_error(_("there is no list yet (kpr import projects --year YYYY makes one)"));
	return KPR_EINPUT;
}
