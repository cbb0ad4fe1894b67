/* report.c: the report's sections, one set-based query each; see report.h and docs/reports.md. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "evaluation.h"
#include "month.h"
#include "project.h"
#include "strbuf.h"

const char *const kpr_report_by_names[KPR_REPORT_BY_COUNT] = {
	"region", "zone", "scenario", "industry", "nature", "level", "colour", "pool", "leader",
	"responsible", "band"
};

/*
 * The period, from the transaction's setting kpr.report_month (the period's month as a date,
 * set with set_config() from a parameter): every section starts with it.
 */
#define PERIOD_SQL \
	"WITH period AS (SELECT m, date_trunc('year', m)::date AS y0, extract(year FROM m)::int AS yr,\n" \
	"  (date_trunc('month', m) + interval '1 month - 1 day')::date AS last_day,\n" \
	"  extract(month FROM m)::numeric * 100 / 12 AS time_pct\n" \
	"  FROM (SELECT current_setting('kpr.report_month')::date AS m) s)"

#define BASE_HEAD_SQL \
	"CREATE TEMP TABLE report_base ON COMMIT DROP AS\n" PERIOD_SQL ",\n" \
	" moved AS (SELECT DISTINCT ON (pm.project_id) pm.project_id, pm.to_pool, pm.moved_on, pm.reason\n" \
	"  FROM pool_move pm, period WHERE pm.moved_on <= period.last_day"
#define BASE_MOVED_SQL "\n" \
	"  ORDER BY pm.project_id, pm.moved_on DESC, pm.move_id DESC),\n" \
	" reported AS (SELECT pc.project_id,\n" \
	"   sum(pc.amount) FILTER (WHERE pc.month >= period.y0) AS done,\n" \
	"   bool_or(pc.actual_start <= period.last_day) AS started,\n" \
	"   bool_or(pc.month = period.m) AS reported,\n" \
	"   (array_agg(pc.problems ORDER BY pc.month DESC) FILTER (WHERE pc.month >= period.y0\n" \
	"    AND coalesce(pc.problems, '') <> ''))[1] AS problems\n" \
	"  FROM "
#define BASE_REPORTED_SQL " pc, period WHERE pc.month <= period.m GROUP BY pc.project_id),\n" \
	" listed AS (SELECT p.*, py.annual_plan, m.moved_on AS withdrawn_on, m.reason AS withdrawn_why,\n" \
	"   m.project_id IS NOT NULL AND (m.to_pool IS NULL\n" \
	"    OR m.to_pool IN (SELECT code FROM pool WHERE mark = 'withdrawn')) AS withdrawn\n" \
	"  FROM "
#define BASE_LISTED_SQL " py JOIN project p USING (project_id) CROSS JOIN period\n" \
	"  LEFT JOIN moved m ON m.project_id = py.project_id WHERE py.year = period.yr)\n" \
	"SELECT l.project_id, l.code, l.name, l.region_code, r.name AS region_name, r.ord AS region_ord,\n" \
	" l.zone_code, z.name AS zone_name, z.ord AS zone_ord, l.industry, l.nature, l.level, l.leader,\n" \
	" l.responsible_unit, l.pool_code, po.name AS pool_name, po.ord AS pool_ord,\n" \
	" l.total_investment * 10000 AS ti, l.annual_plan * 10000 AS plan,\n" \
	" coalesce(rp.done, 0) * 10000 AS done,\n" \
	" CASE WHEN l.annual_plan IS NOT NULL THEN coalesce(rp.done, 0) * 10000 END AS done_planned,\n" \
	" l.nature = '新开工' AND l.planned_start <= period.m AS planned,\n" \
	" l.actual_start <= period.last_day OR coalesce(rp.started, false) AS started,\n" \
	" coalesce(rp.reported, false) AS reported,\n" \
	" cc.colour, cc.project_id IS NOT NULL AS evaluated, period.time_pct, period.yr,\n" \
	" l.withdrawn, l.withdrawn_on, l.withdrawn_why, rp.problems\n" \
	"FROM listed l CROSS JOIN period JOIN region r ON r.code = l.region_code\n" \
	"LEFT JOIN zone z ON z.code = l.zone_code LEFT JOIN pool po ON po.code = l.pool_code\n" \
	"LEFT JOIN reported rp ON rp.project_id = l.project_id\n" \
	"LEFT JOIN "
#define BASE_TAIL_SQL " cc ON cc.project_id = l.project_id AND cc.month = period.m"

/* Where the base reads its figures: as they are now, or as recorded at the moment in the
 * transaction's setting kpr.report_as_of (a timestamptz, set from a parameter); and where the
 * colours of the projects without a stored one are evaluated from (on the fly). */
struct sources {
	const char *moved, *progress, *listed, *colour;
	struct kpr_evaluation_sources fly;
};

/* the projects of the list without a colour stored for the month */
#define FLY_ONLY " AND y.project_id IN (SELECT project_id FROM report_base WHERE NOT evaluated)"

static const struct sources current = {
	"", "progress_current", "project_year", "colour_current",
	{ "project_year", "progress_current", "colour_override_at(p.project_id, m.month)", FLY_ONLY },
};

#define AS_OF "current_setting('kpr.report_as_of')::timestamptz"
/* the versions recorded by then, of batches not reverted by then */
#define AS_OF_PROGRESS "progress_as_of(" AS_OF ")"
/* the list entries and their plans as they were then (0012) */
#define AS_OF_LISTED \
	"(SELECT project_id, year, annual_plan FROM project_year_version\n" \
	"   WHERE valid_from <= " AS_OF " AND (valid_to IS NULL OR valid_to > " AS_OF "))"

static const struct sources as_of_src = {
	/* moves recorded by then */
	" AND pm.moved_at <= " AS_OF,
	AS_OF_PROGRESS,
	AS_OF_LISTED,
	/* colour_current as it was: the evaluation stored by then and not superseded by then,
	 * under the override set by then and not cleared by then */
	"(SELECT e.project_id, e.month, coalesce(o.colour, e.rule_colour) AS colour FROM colour_evaluation e\n"
	"  LEFT JOIN LATERAL colour_override_as_of(e.project_id, e.month, " AS_OF ") o ON true\n"
	"  WHERE e.evaluated_at <= " AS_OF " AND (e.superseded_at IS NULL OR e.superseded_at > " AS_OF "))",
	{ AS_OF_LISTED, AS_OF_PROGRESS, "colour_override_as_of(p.project_id, m.month, " AS_OF ")", FLY_ONLY },
};

/*
 * The year's list as of the period, one row a project with its figures in yuan, kept in a
 * temporary table for the transaction so that the sections do not compute it again.  plan is
 * NULL without an annual plan; done is the year's completed up to the month; colour the
 * month's stored colour (NULL: unrated, or none stored: evaluated false, until
 * colour_on_the_fly() evaluates it); withdrawn: the
 * latest pool move by the period's end has no pool (the sections read the others, as base).
 */
static void base_sql(const struct sources *src, struct kpr_strbuf *sb)
{
	kpr_strbuf_adds(sb, BASE_HEAD_SQL);
	kpr_strbuf_adds(sb, src->moved);
	kpr_strbuf_adds(sb, BASE_MOVED_SQL);
	kpr_strbuf_adds(sb, src->progress);
	kpr_strbuf_adds(sb, BASE_REPORTED_SQL);
	kpr_strbuf_adds(sb, src->listed);
	kpr_strbuf_adds(sb, BASE_LISTED_SQL);
	kpr_strbuf_adds(sb, src->colour);
	kpr_strbuf_adds(sb, BASE_TAIL_SQL);
}

/* What every section reads: the period and the list (without the withdrawn) */
#define BASE_SQL PERIOD_SQL ", base AS (SELECT * FROM report_base WHERE NOT withdrawn)\n"

/* A rate as people read it: percent, one decimal, NULL without a base. */
#define RATE(num, den) "round(100.0 * (" num ") / nullif(" den ", 0), 1)::text"

/* The aggregates of a group (and of the total), from rows of base or keyed. */
#define AGGREGATES \
	"count(*)::text, coalesce(sum(ti), 0)::bigint::text, coalesce(sum(plan), 0)::bigint::text,\n" \
	" coalesce(sum(done), 0)::bigint::text,\n" \
	" " RATE("sum(done_planned)", "sum(plan)") ", (SELECT round(time_pct, 1)::text FROM period),\n" \
	" CASE WHEN sum(plan) > 0 THEN round(100 * sum(done_planned) / sum(plan) - (SELECT time_pct FROM period), 1)::text END,\n" \
	" count(*) FILTER (WHERE planned)::text, count(*) FILTER (WHERE planned AND started)::text,\n" \
	" " RATE("count(*) FILTER (WHERE planned AND started)", "count(*) FILTER (WHERE planned)") ",\n" \
	" count(*) FILTER (WHERE colour = 'blue')::text, count(*) FILTER (WHERE colour = 'green')::text,\n" \
	" count(*) FILTER (WHERE colour = 'yellow')::text, count(*) FILTER (WHERE colour = 'red')::text,\n" \
	" count(*) FILTER (WHERE colour IS NULL)::text"

/* How each --by makes its groups from base: code, name and order, and a join for scenarios. */
static const struct {
	const char *code, *name, *ord, *join;
} dims[KPR_REPORT_BY_COUNT] = {
	[KPR_REPORT_BY_REGION] = { "region_code", "region_name", "region_ord", "" },
	[KPR_REPORT_BY_ZONE] = { "zone_code", "zone_name", "zone_ord", "" },
	[KPR_REPORT_BY_SCENARIO] = { "s.code", "s.name", "s.ord",
		" LEFT JOIN (project_scenario ps JOIN scenario s ON s.scenario_id = ps.scenario_id)"
		" ON ps.project_id = b.project_id AND s.year = b.yr" },
	[KPR_REPORT_BY_INDUSTRY] = { "industry", "industry", "NULL::int", "" },
	[KPR_REPORT_BY_NATURE] = { "nature", "nature", "NULL::int", "" },
	[KPR_REPORT_BY_LEVEL] = { "level", "level", "NULL::int", "" },
	[KPR_REPORT_BY_COLOUR] = { "coalesce(colour, 'unrated')",
		"CASE colour WHEN 'blue' THEN '蓝' WHEN 'green' THEN '绿' WHEN 'yellow' THEN '黄'"
		" WHEN 'red' THEN '红' ELSE '未评' END",
		"CASE colour WHEN 'blue' THEN 1 WHEN 'green' THEN 2 WHEN 'yellow' THEN 3 WHEN 'red' THEN 4 ELSE 5 END", "" },
	[KPR_REPORT_BY_POOL] = { "pool_code", "pool_name", "pool_ord", "" },
	[KPR_REPORT_BY_LEADER] = { "leader", "leader", "NULL::int", "" },
	[KPR_REPORT_BY_RESPONSIBLE] = { "responsible_unit", "responsible_unit", "NULL::int", "" },
	/* the bands of the configuration's setting report_bands (config.c), or the default */
	[KPR_REPORT_BY_BAND] = { "bd.code", "bd.name", "bd.ord",
		" LEFT JOIN LATERAL (SELECT split_part(x, ':', 2) AS code,"
		" substring(x FROM '^[^:]*:[^:]*:(.*)$') AS name, o::int AS ord"
		" FROM regexp_split_to_table(coalesce((SELECT value FROM setting WHERE key = 'report_bands'),"
		" '" KPR_REPORT_BANDS_DEFAULT "'), '\\|') WITH ORDINALITY t (x, o)"
		" WHERE b.ti >= split_part(x, ':', 1)::numeric * 10000 ORDER BY o LIMIT 1) bd ON true" },
};

/* The groups then the total: a project counts once in each of its groups (scenarios: each of
 * them) and once in the total; a group without a value is 未填, after the others.  The rank is
 * by the rate as displayed (rounded to 0.1): ties share it (1, 2, 2, 4). */
static void groups_sql(enum kpr_report_by by, struct kpr_strbuf *sb)
{
	kpr_strbuf_adds(sb, BASE_SQL);
	kpr_strbuf_addf(sb, ", keyed AS (SELECT b.*, %s AS gcode, %s AS gname, %s AS gord FROM base b%s),\n",
			dims[by].code, dims[by].name, dims[by].ord, dims[by].join);
	kpr_strbuf_adds(sb,
		" grp AS (SELECT coalesce(gname, '未填') AS g, gcode AS c,\n"
		"  " AGGREGATES ",\n"
		"  'f' AS is_total, count(*) FILTER (WHERE NOT evaluated)::text AS not_evaluated,\n"
		"  gcode IS NULL AS unfilled, min(gord) AS gord\n"
		" FROM keyed GROUP BY gcode, gname)\n"
		"SELECT u.g, u.c, u.projects, u.ti, u.plan, u.done, u.rate, u.time_pct, u.points, u.planned,\n"
		" u.started, u.start_rate, u.blue, u.green, u.yellow, u.red, u.unrated,\n"
		" CASE WHEN u.is_total = 'f' AND u.rate IS NOT NULL\n"
		"  THEN (rank() OVER (PARTITION BY u.is_total ORDER BY u.rate::numeric DESC NULLS LAST))::text END,\n"
		" u.is_total, u.not_evaluated\n"
		"FROM (SELECT * FROM grp\n"
		" UNION ALL\n"
		" SELECT '合计', NULL, " AGGREGATES ", 't', count(*) FILTER (WHERE NOT evaluated)::text, false, NULL\n"
		" FROM base)\n"
		" u (g, c, projects, ti, plan, done, rate, time_pct, points, planned, started, start_rate,\n"
		"  blue, green, yellow, red, unrated, is_total, not_evaluated, unfilled, gord)\n"
		"ORDER BY u.is_total, u.unfilled, u.gord NULLS LAST, u.c, u.g");
}

/* Red then yellow projects, the least complete first, with the latest problems text of the
 * year up to the period (the base's problems). */
static const char lagging_sql[] = BASE_SQL
	"SELECT code, name, region_name, responsible_unit, leader, colour,\n"
	" " RATE("done_planned", "plan") ",\n"
	" CASE WHEN plan > 0 THEN round(time_pct - 100 * done_planned / plan, 1)::text END, problems\n"
	"FROM base WHERE colour IN ('red', 'yellow')\n"
	"ORDER BY colour = 'yellow', done_planned / nullif(plan, 0) NULLS FIRST, code";

/* Projects with no report for the period's month, by region. */
static const char missing_sql[] = BASE_SQL
	"SELECT region_name, region_code, code, name, responsible_unit FROM base WHERE NOT reported\n"
	"ORDER BY region_ord NULLS LAST, region_code, code";

/* Withdrawn by the period's end, and listed without a plan. */
static const char notes_sql[] = BASE_SQL
	"SELECT 'withdrawn', code, name, to_char(withdrawn_on, 'YYYY-MM-DD') || coalesce(' ' || withdrawn_why, '')\n"
	"FROM report_base WHERE withdrawn\n"
	"UNION ALL\n"
	"SELECT 'no_plan', code, name, NULL FROM base WHERE plan IS NULL\n"
	"UNION ALL\n"
	"SELECT 'on_the_fly', NULL, NULL, n FROM current_setting('kpr.report_fly', true) n WHERE n <> ''\n"
	"ORDER BY 1 DESC, 2";

/* The moment of --as-of into the transaction's setting kpr.report_as_of: a date alone is the
 * end of that day, a time without a zone is in the registry's time zone. */
static int set_as_of(PGconn *conn, const char *as_of)
{
	char tz[64];
	const char *params[] = { as_of, tz };
	int rc = kpr_project_timezone(conn, tz, sizeof(tz));

	if (rc == KPR_OK)
		rc = kpr_db_exec(conn, "SELECT set_config('kpr.report_as_of', (CASE WHEN length($1) = 10"
				 " THEN ($1::date + 1)::timestamp ELSE $1::timestamp END AT TIME ZONE $2)::text, true)",
				 2, params, NULL);
	return rc;
}

/*
 * The projects of the list without a colour stored for the month, when there are any (the
 * 合计 row counts them): their colours evaluated on the fly (evaluation.h) from the same
 * sources, into the base, and the groups again; how many in kpr.report_fly for the notes.
 */
static int colour_on_the_fly(PGconn *conn, const struct sources *src, struct kpr_report *r, const char *groups)
{
	const char *missing = r->groups.nrows ? kpr_batch_cell(&r->groups, r->groups.nrows - 1, KPR_RG_NOT_EVALUATED) : NULL;
	char count[24];
	const char *params[] = { count };
	long n;
	int rc;

	if (!missing || strcmp(missing, "0") == 0)
		return KPR_OK;
	PGresult *res;
	if ((rc = kpr_evaluation_fly(conn, r->month, &src->fly, &n)) != KPR_OK || n == 0)
		return rc;
	rc = kpr_db_exec(conn, "UPDATE report_base b SET colour = f.colour, evaluated = true FROM colour_fly f"
			 " WHERE f.project_id = b.project_id", 0, NULL, NULL);
	/* the note counts the projects of the report (a withdrawn one is evaluated, not reported) */
	if (rc == KPR_OK && (rc = kpr_db_exec(conn, "SELECT count(*) FROM report_base b JOIN colour_fly f"
					       " USING (project_id) WHERE NOT b.withdrawn", 0, NULL, &res)) == KPR_OK) {
		snprintf(count, sizeof(count), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		rc = kpr_db_exec(conn, "SELECT set_config('kpr.report_fly', $1, true)", 1, params, NULL);
	}
	if (rc == KPR_OK) {
		kpr_batch_table_release(&r->groups);
		rc = kpr_batch_query(conn, groups, 0, NULL, &r->groups);
	}
	return rc;
}

/* Every section in one transaction: the base once, then the sections asked. */
static int fetch_sections(PGconn *conn, const struct sources *src, unsigned sections, struct kpr_report *r)
{
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	int rc;

	base_sql(src, &sql);
	rc = kpr_db_exec(conn, sql.buf, 0, NULL, NULL);
	kpr_strbuf_reset(&sql);
	groups_sql(r->by, &sql);
	if (rc == KPR_OK)
		rc = kpr_batch_query(conn, sql.buf, 0, NULL, &r->groups);
	if (rc == KPR_OK)
		rc = colour_on_the_fly(conn, src, r, sql.buf);
	kpr_strbuf_release(&sql);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_LAGGING))
		rc = kpr_batch_query(conn, lagging_sql, 0, NULL, &r->lagging);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_MISSING))
		rc = kpr_batch_query(conn, missing_sql, 0, NULL, &r->missing);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_NOTES))
		rc = kpr_batch_query(conn, notes_sql, 0, NULL, &r->notes);
	return rc;
}

int kpr_report_fetch(PGconn *conn, int month, enum kpr_report_by by, const char *as_of, unsigned sections,
		     struct kpr_report *r)
{
	char date[16];
	const char *params[] = { kpr_month_date(month, date) };
	int rc;

	memset(r, 0, sizeof(*r));
	r->month = month;
	r->by = by;
	if (as_of)
		snprintf(r->as_of, sizeof(r->as_of), "%s", as_of);
	/* one snapshot for every section: an import committed meanwhile is in all or none */
	if ((rc = kpr_db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL, NULL)) != KPR_OK)
		return rc;
	rc = kpr_db_exec(conn, "SELECT set_config('kpr.report_month', $1, true)", 1, params, NULL);
	if (rc == KPR_OK && as_of)
		rc = set_as_of(conn, as_of);
	if (rc == KPR_OK)
		rc = fetch_sections(conn, as_of ? &as_of_src : &current, sections, r);
	if (rc == KPR_OK)
		rc = kpr_db_commit(conn);
	else
		kpr_db_rollback(conn);
	if (rc != KPR_OK)
		kpr_report_release(r);
	return rc;
}

/* --as-of's value: YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, a real day and time;
 * into buf as "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS". */
int kpr_report_as_of_parse(const char *s, char buf[KPR_REPORT_AS_OF_SIZE])
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t len = strlen(s);

	if (len != 10 && len != 16 && len != 19)
		return KPR_EINPUT;
	if (len == 10 && (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10))
		return KPR_EINPUT;
	if (len == 16 && (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16))
		return KPR_EINPUT;
	if (len == 19 && (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19))
		return KPR_EINPUT;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && i != 4 && i != 7 && i != 10 && i != 13 && i != 16)
			return KPR_EINPUT;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] || h > 23 || mi > 59 || sec > 59
	    || (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return KPR_EINPUT;
	memcpy(buf, s, len + 1);	/* digits where they belong: len < KPR_REPORT_AS_OF_SIZE */
	if (len > 10)
		buf[10] = ' ';
	return KPR_OK;
}

void kpr_report_release(struct kpr_report *r)
{
	kpr_batch_table_release(&r->groups);
	kpr_batch_table_release(&r->lagging);
	kpr_batch_table_release(&r->missing);
	kpr_batch_table_release(&r->notes);
}
