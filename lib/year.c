/* year.c: opening a new year from an earlier one's scenarios and colour rules; see year.h. */
#include "year.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"

/* Which year to copy from ($2, or the latest before $1 with scenarios; NULL: none), and what
 * both years hold, read under the lock. */
static const char state_sql[] =
	"WITH f AS (SELECT coalesce(nullif($2::int, 0), "
	"  (SELECT max(year) FROM scenario WHERE year < $1::int)) AS y) "
	"SELECT f.y, (SELECT count(*) FROM scenario WHERE year = f.y), "
	" (SELECT count(*) FROM colour_rule WHERE year = f.y), "
	" (SELECT count(*) FROM scenario WHERE year = $1::int), "
	" (SELECT count(*) FROM colour_rule WHERE year = $1::int) "
	"FROM f";

/* a scenario whose code or name the year has is the year's own: (year, code) and (year, name)
 * are both unique */
static const char copy_scenarios_sql[] =
	"INSERT INTO scenario (year, code, name, sample, ord) "
	"SELECT $1::int, s.code, s.name, s.sample, s.ord FROM scenario s WHERE s.year = $2::int "
	" AND NOT EXISTS (SELECT 1 FROM scenario t WHERE t.year = $1::int AND (t.code = s.code OR t.name = s.name)) "
	"ORDER BY s.ord, s.code";

static const char copy_rules_sql[] =
	"INSERT INTO colour_rule (year, rule_id, ord, colour, description) "
	"SELECT $1::int, rule_id, ord, colour, description FROM colour_rule WHERE year = $2::int ORDER BY ord";

static const char copy_conditions_sql[] =
	"INSERT INTO colour_rule_condition (year, rule_id, measure, op, value) "
	"SELECT $1::int, rule_id, measure, op, value FROM colour_rule_condition WHERE year = $2::int "
	"ORDER BY rule_id, measure, op";

bool kpr_year_open_changed(const struct kpr_year_open_result *r)
{
	return r->scenarios_copied > 0 || r->rules_copied > 0;
}

/* Run a statement; *n (if not NULL) = the rows it wrote. */
static int run(PGconn *conn, const char *sql, const char *const *params, int *n)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, sql, 2, params, &res);
	if (rc != KPR_OK)
		return rc;
	if (n)
		*n = atoi(PQcmdTuples(res));
	PQclear(res);
	return KPR_OK;
}

/* Which year to copy from and what both hold; KPR_EINPUT (said) when there is none to copy. */
static int read_state(PGconn *conn, const char *const *params, int from, struct kpr_year_open_result *r)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, state_sql, 2, params, &res);
	if (rc != KPR_OK)
		return rc;
	bool none = PQgetisnull(res, 0, 0);
	r->from = none ? 0 : atoi(PQgetvalue(res, 0, 0));
	int from_scenarios = atoi(PQgetvalue(res, 0, 1));
	r->from_rules = atoi(PQgetvalue(res, 0, 2));
	r->scenarios_kept = atoi(PQgetvalue(res, 0, 3));
	r->rules_kept = atoi(PQgetvalue(res, 0, 4));
	PQclear(res);
	if (none) {
		kpr_log_error(_("no year before %d has scenarios to copy"), r->year);
		kpr_log_hint(_("Load %d's scenarios and colour rules with \"kpr import config\"."), r->year);
		return KPR_EINPUT;
	}
	if (from_scenarios == 0)
		return kpr_fail(KPR_EINPUT, _("%d has no scenarios to copy"), from);
	return KPR_OK;
}

static int open_year(PGconn *conn, int from, struct kpr_year_open_result *r)
{
	char year_s[16], from_s[16];
	int rc;

	snprintf(year_s, sizeof(year_s), "%d", r->year);
	snprintf(from_s, sizeof(from_s), "%d", from);
	const char *params[2] = { year_s, from_s };
	/* as kpr import config: no other writer of the configuration in between */
	if ((rc = kpr_db_exec(conn, "LOCK TABLE scenario, colour_rule, colour_rule_condition IN SHARE ROW EXCLUSIVE MODE",
			      0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = read_state(conn, params, from, r)) != KPR_OK)
		return rc;
	snprintf(from_s, sizeof(from_s), "%d", r->from);
	if ((rc = run(conn, copy_scenarios_sql, params, &r->scenarios_copied)) != KPR_OK)
		return rc;
	/* a year's rules are a set, replaced whole: never merged into the year's own */
	if (r->rules_kept > 0 || r->from_rules == 0)
		return KPR_OK;
	if ((rc = run(conn, copy_rules_sql, params, &r->rules_copied)) != KPR_OK)
		return rc;
	return run(conn, copy_conditions_sql, params, NULL);
}

int kpr_year_open(PGconn *conn, int year, int from, struct kpr_year_open_result *res)
{
	struct kpr_year_open_result r = { .year = year };
	int rc;

	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	rc = open_year(conn, from, &r);
	if (rc == KPR_OK)
		rc = kpr_db_commit(conn);
	else
		kpr_db_rollback(conn);
	if (rc == KPR_OK)
		*res = r;
	return rc;
}
