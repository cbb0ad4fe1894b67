/* card.c: one project's card, part by part; see card.h. */
#include "card.h"

#include <stdio.h>

#include "colour_current.h"
#include "db.h"
#include "month.h"

#define WHEN_SQL KPR_BATCH_WHEN_SQL
#define YUAN_SQL(col) "(" col " * 10000)::bigint"

/* Each takes $1, the project_id. */
static const char *const part_sql[] = {
	[KPR_CARD_FIELDS] =
	"SELECT p.code, p.name, r.name, z.name, p.level, p.nature, p.industry, p.owner, p.responsible_unit,"
	" p.leader, p.scope, p.start_year, p.end_year, to_char(p.planned_start, 'YYYY-MM'), "
	YUAN_SQL("p.total_investment") ", pl.name, p.actual_start, p.completed_on, p.remarks, "
	WHEN_SQL("p.created_at") ", " WHEN_SQL("p.updated_at") ", p.batch_id "
	"FROM project p JOIN region r ON r.code = p.region_code LEFT JOIN zone z ON z.code = p.zone_code"
	" LEFT JOIN pool pl ON pl.code = p.pool_code WHERE p.project_id = $1::bigint",

	[KPR_CARD_YEARS] =
	"SELECT py.year, (SELECT string_agg(s.name, '、' ORDER BY s.ord, s.code) FROM project_scenario ps"
	"  JOIN scenario s ON s.scenario_id = ps.scenario_id WHERE ps.project_id = py.project_id AND s.year = py.year), "
	YUAN_SQL("py.annual_plan") ", py.plan_reason, py.batch_id "
	"FROM project_year py WHERE py.project_id = $1::bigint ORDER BY py.year DESC",

	[KPR_CARD_REBASELINES] =
	"SELECT h.year, " YUAN_SQL("h.amount") ", h.reason, " WHEN_SQL("h.superseded_at") ", h.superseded_by "
	"FROM annual_plan_history h WHERE h.project_id = $1::bigint ORDER BY h.superseded_at DESC, h.plan_id DESC",

	[KPR_CARD_PROGRESS] =
	"SELECT to_char(c.month, 'YYYY-MM'), " YUAN_SQL("c.amount") ", "
	YUAN_SQL("sum(c.amount) OVER (PARTITION BY date_trunc('year', c.month) ORDER BY c.month)") ", "
	YUAN_SQL("py.annual_plan") ", c.physical_progress, c.problems, c.actual_start, c.reported_by, "
	WHEN_SQL("c.reported_at") ", c.batch_id,"
	" (SELECT count(*) FROM progress v WHERE v.project_id = c.project_id AND v.month = c.month) "
	"FROM progress_current c LEFT JOIN project_year py ON py.project_id = c.project_id"
	" AND py.year = date_part('year', c.month) "
	"WHERE c.project_id = $1::bigint ORDER BY c.month DESC",

	[KPR_CARD_VERSIONS] =
	"SELECT to_char(v.month, 'YYYY-MM'), " YUAN_SQL("v.amount") ", " YUAN_SQL("v.ytd") ","
	" coalesce(v.reported_by, b.db_user), " WHEN_SQL("coalesce(v.reported_at, b.started_at)") ", v.batch_id,"
	" CASE WHEN b.reverted_at IS NOT NULL THEN 'reverted' ELSE 'superseded' END "
	"FROM progress v LEFT JOIN import_batch b ON b.batch_id = v.batch_id "
	"WHERE v.project_id = $1::bigint"
	" AND v.progress_id NOT IN (SELECT progress_id FROM progress_current WHERE project_id = $1::bigint) "
	"ORDER BY v.month DESC, v.progress_id DESC",

	[KPR_CARD_POOLS] =
	"SELECT m.moved_on, f.name, t.name, m.reason, m.moved_by, " WHEN_SQL("m.moved_at") " "
	"FROM pool_move m LEFT JOIN pool f ON f.code = m.from_pool LEFT JOIN pool t ON t.code = m.to_pool "
	"WHERE m.project_id = $1::bigint ORDER BY m.moved_on DESC, m.move_id DESC",

};

int kpr_card_part(PGconn *conn, int64_t id, enum kpr_card_part part, struct kpr_batch_table *t)
{
	char sid[32];
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	const char *params[] = { sid };
	return kpr_batch_query(conn, part_sql[part], 1, params, t);
}

int kpr_card_colour(PGconn *conn, int64_t id, int month, struct kpr_batch_table *t)
{
	static const char sql[] =
		"SELECT cc.colour, cc.why FROM project p" KPR_COLOUR_CURRENT_JOIN("p.project_id", "$2::date")
		"WHERE p.project_id = $1::bigint";
	char sid[32], mbuf[11];
	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	const char *params[] = { sid, month ? kpr_month_date(month, mbuf) : NULL };
	return kpr_batch_query(conn, sql, 2, params, t);
}
