/* report.c: the report's sections, one set-based query each; see report.h and docs/reports.md. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "month.h"
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

/*
 * The year's list as of the period, one row a project with its figures in yuan, kept in a
 * temporary table for the transaction so that the sections do not compute it again.  plan is
 * NULL without an annual plan; done is the year's completed up to the month; colour the
 * month's current colour (NULL: unrated, or not evaluated: evaluated false); withdrawn: the
 * latest pool move by the period's end has no pool (the sections read the others, as base).
 */
static const char base_sql[] =
	"CREATE TEMP TABLE report_base ON COMMIT DROP AS\n" PERIOD_SQL ",\n"
	" moved AS (SELECT DISTINCT ON (pm.project_id) pm.project_id, pm.to_pool, pm.moved_on, pm.reason\n"
	"  FROM pool_move pm, period WHERE pm.moved_on <= period.last_day\n"
	"  ORDER BY pm.project_id, pm.moved_on DESC, pm.move_id DESC),\n"
	" reported AS (SELECT pc.project_id,\n"
	"   sum(pc.amount) FILTER (WHERE pc.month >= period.y0) AS done,\n"
	"   bool_or(pc.actual_start <= period.last_day) AS started,\n"
	"   bool_or(pc.month = period.m) AS reported\n"
	"  FROM progress_current pc, period WHERE pc.month <= period.m GROUP BY pc.project_id),\n"
	" listed AS (SELECT p.*, py.annual_plan, m.moved_on AS withdrawn_on, m.reason AS withdrawn_why,\n"
	"   m.project_id IS NOT NULL AND m.to_pool IS NULL AS withdrawn\n"
	"  FROM project_year py JOIN project p USING (project_id) CROSS JOIN period\n"
	"  LEFT JOIN moved m ON m.project_id = py.project_id WHERE py.year = period.yr)\n"
	"SELECT l.project_id, l.code, l.name, l.region_code, r.name AS region_name, r.ord AS region_ord,\n"
	" l.zone_code, z.name AS zone_name, z.ord AS zone_ord, l.industry, l.nature, l.level, l.leader,\n"
	" l.responsible_unit, l.pool_code, po.name AS pool_name, po.ord AS pool_ord,\n"
	" l.total_investment * 10000 AS ti, l.annual_plan * 10000 AS plan,\n"
	" coalesce(rp.done, 0) * 10000 AS done,\n"
	" CASE WHEN l.annual_plan IS NOT NULL THEN coalesce(rp.done, 0) * 10000 END AS done_planned,\n"
	" l.nature = '新开工' AND l.planned_start <= period.m AS planned,\n"
	" l.actual_start <= period.last_day OR coalesce(rp.started, false) AS started,\n"
	" coalesce(rp.reported, false) AS reported,\n"
	" cc.colour, cc.project_id IS NOT NULL AS evaluated, period.time_pct, period.yr,\n"
	" l.withdrawn, l.withdrawn_on, l.withdrawn_why\n"
	"FROM listed l CROSS JOIN period JOIN region r ON r.code = l.region_code\n"
	"LEFT JOIN zone z ON z.code = l.zone_code LEFT JOIN pool po ON po.code = l.pool_code\n"
	"LEFT JOIN reported rp ON rp.project_id = l.project_id\n"
	"LEFT JOIN colour_current cc ON cc.project_id = l.project_id AND cc.month = period.m";

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
 * year up to the period. */
static const char lagging_sql[] = BASE_SQL
	", lag AS (SELECT * FROM base WHERE colour IN ('red', 'yellow')),\n"
	" said AS (SELECT DISTINCT ON (pc.project_id) pc.project_id, pc.problems\n"
	"  FROM progress_current pc JOIN lag USING (project_id), period\n"
	"  WHERE pc.month BETWEEN period.y0 AND period.m AND coalesce(pc.problems, '') <> ''\n"
	"  ORDER BY pc.project_id, pc.month DESC)\n"
	"SELECT code, name, region_name, responsible_unit, leader, colour,\n"
	" " RATE("done_planned", "plan") ",\n"
	" CASE WHEN plan > 0 THEN round(time_pct - 100 * done_planned / plan, 1)::text END, said.problems\n"
	"FROM lag LEFT JOIN said USING (project_id)\n"
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
	"ORDER BY 1 DESC, 2";

int kpr_report_fetch(PGconn *conn, int month, enum kpr_report_by by, unsigned sections, struct kpr_report *r)
{
	char date[16];
	const char *params[] = { kpr_month_date(month, date) };
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	int rc;

	memset(r, 0, sizeof(*r));
	r->month = month;
	r->by = by;
	/* one snapshot for every section: an import committed meanwhile is in all or none */
	if ((rc = kpr_db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL, NULL)) != KPR_OK)
		return rc;
	rc = kpr_db_exec(conn, "SELECT set_config('kpr.report_month', $1, true)", 1, params, NULL);
	if (rc == KPR_OK)
		rc = kpr_db_exec(conn, base_sql, 0, NULL, NULL);
	groups_sql(by, &sql);
	if (rc == KPR_OK)
		rc = kpr_batch_query(conn, sql.buf, 0, NULL, &r->groups);
	kpr_strbuf_release(&sql);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_LAGGING))
		rc = kpr_batch_query(conn, lagging_sql, 0, NULL, &r->lagging);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_MISSING))
		rc = kpr_batch_query(conn, missing_sql, 0, NULL, &r->missing);
	if (rc == KPR_OK && (sections & KPR_REPORT_WANT_NOTES))
		rc = kpr_batch_query(conn, notes_sql, 0, NULL, &r->notes);
	if (rc == KPR_OK)
		rc = kpr_db_commit(conn);
	else
		kpr_db_rollback(conn);
	if (rc != KPR_OK)
		kpr_report_release(r);
	return rc;
}

void kpr_report_release(struct kpr_report *r)
{
	kpr_batch_table_release(&r->groups);
	kpr_batch_table_release(&r->lagging);
	kpr_batch_table_release(&r->missing);
	kpr_batch_table_release(&r->notes);
}
