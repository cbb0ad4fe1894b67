/*
 * revert.c: undoing an import batch (see revert.h).  The batch's number is set for the
 * transaction (kpr.revert_batch), the projects it changed and created are noted in temporary
 * tables, what later batches or changes touched is collected as conflicts, and each kind of
 * row it wrote is undone set-based, leaving the conflicts alone.  The audit triggers record
 * every row the revert changes (kpr.batch_id stays unset).
 */
#include "revert.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fields.h"
#include "log.h"

#define REV "current_setting('kpr.revert_batch')::bigint"
#define PID(row) "(" row "->>'project_id')::bigint"
/* An audit row that is no later change: the batch's own, a reverted batch's, or a revert's (its
 * triggers' rows are stamped with the transaction's time, which is the batch's reverted_at). */
#define UNDONE(a) \
	"(" a ".batch_id IS NOT DISTINCT FROM " REV " OR EXISTS (SELECT 1 FROM import_batch rb" \
	" WHERE rb.reverted_at IS NOT NULL AND (rb.batch_id = " a ".batch_id" \
	" OR (" a ".batch_id IS NULL AND rb.reverted_at = " a ".at))))"
/* who made a later change: "batch 5", or "alice at 2023-06-01 10:00:00" for a single change */
#define BY(batch, user, at) \
	"CASE WHEN " batch " IS NOT NULL THEN 'batch ' || " batch " WHEN " user " IS NOT NULL THEN " \
	user " || ' at ' || " KPR_BATCH_WHEN_SQL(at) " END"
/* the latest audit row of table on project pid after audit row after, that is a later change */
#define LATER_CHANGE(table, pid, after) \
	"LEFT JOIN LATERAL (SELECT a.batch_id, a.db_user, a.at FROM audit_log a WHERE a.table_name = '" table "'" \
	" AND a.audit_id > " after " AND " PID("coalesce(a.new_row, a.old_row)") " = " pid \
	" AND NOT " UNDONE("a") " ORDER BY a.audit_id DESC LIMIT 1) l ON true"
#define NOT_CONFLICT(kind, pid) \
	"NOT EXISTS (SELECT 1 FROM revert_conflict x WHERE x.kind = '" kind "' AND x.project_id = " pid ")"
#define NOT_CREATED(pid) pid " NOT IN (SELECT project_id FROM revert_created)"

static const char batch_sql[] =
	"SELECT kind, " KPR_BATCH_WHEN_SQL("reverted_at") ", reverted_by, revert_reason "
	"FROM import_batch WHERE batch_id = $1 FOR UPDATE";

/* What the batch wrote and what touched it since, noted before anything is undone. */
static const char *const note_sql[] = {
	"SELECT set_config('kpr.revert_batch', $1, true)",
	/* imports of either kind wait until the revert is over */
	"LOCK TABLE project, progress IN SHARE ROW EXCLUSIVE MODE",

	/* projects it changed: the row before its first change, the row after its last */
	"CREATE TEMP TABLE revert_changed ON COMMIT DROP AS "
	"SELECT " PID("a.new_row") " AS project_id, (array_agg(a.old_row ORDER BY a.audit_id))[1] AS old_row,"
	" (array_agg(a.new_row ORDER BY a.audit_id DESC))[1] AS new_row, max(a.audit_id) AS last_audit "
	"FROM audit_log a WHERE a.batch_id = " REV " AND a.table_name = 'project' AND a.op = 'UPDATE' GROUP BY 1",

	/* projects a list created: written by it and not changed by it (as kpr batch show has it) */
	"CREATE TEMP TABLE revert_created ON COMMIT DROP AS "
	"SELECT p.project_id FROM project p "
	"WHERE (SELECT kind FROM import_batch WHERE batch_id = " REV ") = 'projects'"
	" AND (p.batch_id = " REV " OR p.project_id IN (SELECT " PID("a.old_row") " FROM audit_log a"
	"  WHERE a.table_name = 'project' AND a.op = 'UPDATE' AND a.old_row->>'batch_id' = " REV "::text))"
	" AND p.project_id NOT IN (SELECT project_id FROM revert_changed)",

	"CREATE TEMP TABLE revert_conflict (kind text, project_id bigint, year int, line text) ON COMMIT DROP",

	/* months a later batch (not reverted) or a single change corrected again */
	"INSERT INTO revert_conflict SELECT 'progress', n.project_id, NULL,"
	" p.code || ' ' || to_char(n.month, 'YYYY-MM') || ': corrected by ' || " BY("l.batch_id", "l.who", "l.at") " "
	"FROM progress n JOIN project p USING (project_id) CROSS JOIN LATERAL (SELECT o.batch_id,"
	"  coalesce(o.reported_by, ob.db_user) AS who, coalesce(o.reported_at, ob.started_at) AS at FROM progress o"
	"  LEFT JOIN import_batch ob ON ob.batch_id = o.batch_id WHERE o.project_id = n.project_id"
	"  AND o.month = n.month AND o.version > n.version AND ob.reverted_at IS NULL"
	"  ORDER BY o.version DESC LIMIT 1) l "
	"WHERE n.batch_id = " REV,

	/* projects it changed whose row is no longer what it left */
	"INSERT INTO revert_conflict SELECT 'project', c.project_id, NULL, p.code || ': changed by ' ||"
	" coalesce(" BY("l.batch_id", "l.db_user", "l.at") ", 'batch ' || nullif(p.batch_id, " REV "), 'a later change') "
	"FROM revert_changed c JOIN project p USING (project_id) " LATER_CHANGE("project", "c.project_id", "c.last_audit") " "
	"WHERE (to_jsonb(p) - 'updated_at') IS DISTINCT FROM (c.new_row - 'updated_at')",

	/* list entries and plans it wrote that a later batch rebaselined, or a change rewrote */
	"INSERT INTO revert_conflict SELECT 'plan', x.project_id, x.year,"
	" p.code || ' ' || x.year || ': list entry changed by ' || coalesce('batch ' || (SELECT h.superseded_by"
	"  FROM annual_plan_history h WHERE h.project_id = x.project_id AND h.year = x.year AND h.batch_id = " REV
	"  ORDER BY h.plan_id DESC LIMIT 1), 'batch ' || py.batch_id, 'a later change') "
	"FROM (SELECT project_id, year FROM annual_plan_history WHERE superseded_by = " REV " OR batch_id = " REV
	" UNION SELECT project_id, year FROM project_year WHERE batch_id = " REV ") x JOIN project p USING (project_id)"
	" LEFT JOIN project_year py USING (project_id, year) "
	"WHERE " NOT_CREATED("x.project_id") " AND py.batch_id IS DISTINCT FROM " REV,

	/* known projects it put on a year's list that have progress of that year from elsewhere */
	"INSERT INTO revert_conflict SELECT DISTINCT ON (py.project_id, py.year) 'listed', py.project_id, py.year,"
	" p.code || ' ' || py.year || ': has progress from ' || " BY("g.batch_id", "coalesce(g.reported_by, gb.db_user)",
								   "coalesce(g.reported_at, gb.started_at)") " "
	"FROM project_year py JOIN project p USING (project_id) JOIN progress g ON g.project_id = py.project_id"
	" AND g.month >= make_date(py.year, 1, 1) AND g.month < make_date(py.year + 1, 1, 1)"
	" LEFT JOIN import_batch gb ON gb.batch_id = g.batch_id "
	"WHERE py.batch_id = " REV " AND " NOT_CREATED("py.project_id") " AND g.batch_id IS DISTINCT FROM " REV
	" AND gb.reverted_at IS NULL AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.batch_id = " REV
	"  AND a.table_name = 'project_year' AND a.op = 'UPDATE' AND " PID("a.old_row") " = py.project_id"
	"  AND (a.old_row->>'year')::int = py.year) "
	"ORDER BY py.project_id, py.year, g.progress_id DESC",

	/* scenarios it linked that are gone, or unlinked that are back */
	"INSERT INTO revert_conflict SELECT DISTINCT ON (p.project_id) 'scenarios', p.project_id, NULL,"
	" p.code || ': scenarios changed by ' || coalesce(" BY("l.batch_id", "l.db_user", "l.at") ", 'a later change') "
	"FROM audit_log s JOIN project p ON p.project_id = " PID("coalesce(s.new_row, s.old_row)") " "
	LATER_CHANGE("project_scenario", "p.project_id", "s.audit_id") " "
	"WHERE s.batch_id = " REV " AND s.table_name = 'project_scenario' AND " NOT_CREATED("p.project_id")
	" AND (s.op = 'INSERT') <> EXISTS (SELECT 1 FROM project_scenario ps WHERE ps.project_id = p.project_id"
	"  AND ps.scenario_id = (coalesce(s.new_row, s.old_row)->>'scenario_id')::int) "
	"ORDER BY p.project_id, l.at DESC NULLS LAST",

	/* projects it created that something else refers to */
	"INSERT INTO revert_conflict SELECT 'created', c.project_id, NULL, p.code || ': ' || coalesce("
	" CASE WHEN au.project_id IS NOT NULL THEN 'changed by ' || " BY("au.batch_id", "au.db_user", "au.at") " END,"
	" CASE WHEN pr.project_id IS NOT NULL THEN 'has progress from ' || " BY("pr.batch_id", "pr.who", "pr.at") " END,"
	" CASE WHEN py.project_id IS NOT NULL THEN 'is on the ' || py.year || ' list of '"
	"  || coalesce('batch ' || py.batch_id, 'a change without a batch') END,"
	" CASE WHEN EXISTS (SELECT 1 FROM pool_move m WHERE m.project_id = c.project_id"
	"  AND m.batch_id IS DISTINCT FROM " REV ") THEN 'has pool moves' END,"
	" 'has a colour override') "
	"FROM revert_created c JOIN project p USING (project_id)"
	" LEFT JOIN (SELECT DISTINCT ON (z.project_id) z.* FROM (SELECT " PID("coalesce(a.new_row, a.old_row)")
	"  AS project_id, a.audit_id, a.batch_id, a.db_user, a.at FROM audit_log a WHERE NOT " UNDONE("a") ") z"
	"  WHERE z.project_id IN (SELECT project_id FROM revert_created) ORDER BY z.project_id, z.audit_id DESC) au"
	"  ON au.project_id = c.project_id"
	" LEFT JOIN (SELECT DISTINCT ON (g.project_id) g.project_id, g.batch_id,"
	"  coalesce(g.reported_by, gb.db_user) AS who, coalesce(g.reported_at, gb.started_at) AS at"
	"  FROM progress g JOIN revert_created USING (project_id) LEFT JOIN import_batch gb ON gb.batch_id = g.batch_id"
	"  WHERE gb.reverted_at IS NULL ORDER BY g.project_id, g.progress_id DESC) pr ON pr.project_id = c.project_id"
	" LEFT JOIN (SELECT DISTINCT ON (y.project_id) y.project_id, y.year, y.batch_id FROM project_year y"
	"  JOIN revert_created USING (project_id) WHERE y.batch_id IS DISTINCT FROM " REV
	"  ORDER BY y.project_id, y.year) py ON py.project_id = c.project_id "
	"WHERE au.project_id IS NOT NULL OR pr.project_id IS NOT NULL OR py.project_id IS NOT NULL"
	" OR EXISTS (SELECT 1 FROM pool_move m WHERE m.project_id = c.project_id AND m.batch_id IS DISTINCT FROM " REV ")"
	" OR EXISTS (SELECT 1 FROM colour_override o WHERE o.project_id = c.project_id)",
};

static const char conflicts_sql[] = "SELECT line FROM revert_conflict ORDER BY line";

/* Progress rows that counted until now: the batch's, but for the months corrected later. */
static const char progress_sql[] =
	"SELECT (SELECT count(*) FROM progress WHERE batch_id = " REV ")"
	" - (SELECT count(*) FROM revert_conflict WHERE kind = 'progress')";

#define NO_COUNT SIZE_MAX

/* The undoing, in order; each counts what it did into the member of kpr_revert_result named. */
static const struct undo {
	const char *sql;	/* a template with the project's columns (fields.h) */
	size_t counter;		/* offsetof(struct kpr_revert_result, ...), or NO_COUNT */
} undo[] = {
	{ "WITH done AS (UPDATE project p SET ({{%s}}, pool_code, actual_start, completed_on, batch_id, updated_at) ="
	  " (SELECT {{r.%s}}, r.pool_code, r.actual_start, r.completed_on, r.batch_id, now()"
	  "  FROM jsonb_populate_record(NULL::project, c.old_row) r) "
	  " FROM revert_changed c WHERE p.project_id = c.project_id AND " NOT_CONFLICT("project", "c.project_id")
	  " RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, restored) },

	{ "WITH done AS (DELETE FROM project_scenario ps USING audit_log a WHERE a.batch_id = " REV
	  " AND a.table_name = 'project_scenario' AND a.op = 'INSERT' AND ps.project_id = " PID("a.new_row")
	  " AND ps.scenario_id = (a.new_row->>'scenario_id')::int AND " NOT_CONFLICT("scenarios", "ps.project_id")
	  " AND " NOT_CREATED("ps.project_id") " RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, scenarios) },

	{ "WITH done AS (INSERT INTO project_scenario (project_id, scenario_id)"
	  " SELECT DISTINCT s.project_id, s.scenario_id FROM audit_log a,"
	  "  LATERAL (SELECT " PID("a.old_row") " AS project_id, (a.old_row->>'scenario_id')::int AS scenario_id) s"
	  " WHERE a.batch_id = " REV " AND a.table_name = 'project_scenario' AND a.op = 'DELETE'"
	  " AND " NOT_CONFLICT("scenarios", "s.project_id")
	  " AND EXISTS (SELECT 1 FROM project WHERE project_id = s.project_id)"
	  " AND EXISTS (SELECT 1 FROM scenario WHERE scenario_id = s.scenario_id)"
	  " AND NOT EXISTS (SELECT 1 FROM project_scenario ps WHERE ps.project_id = s.project_id"
	  "  AND ps.scenario_id = s.scenario_id) RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, scenarios) },

	/* the figure it replaced is current again, and no longer history */
	{ "WITH h AS (DELETE FROM annual_plan_history h USING project_year py WHERE h.superseded_by = " REV
	  "  AND py.project_id = h.project_id AND py.year = h.year AND py.batch_id = " REV
	  "  AND NOT EXISTS (SELECT 1 FROM revert_conflict x WHERE x.kind = 'plan' AND x.project_id = h.project_id"
	  "  AND x.year = h.year) RETURNING h.*),"
	  " done AS (UPDATE project_year py SET annual_plan = h.amount, plan_reason = h.reason, batch_id = h.batch_id"
	  "  FROM h WHERE py.project_id = h.project_id AND py.year = h.year RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, plans) },

	/* a plan it set where the entry had none: the entry as it was (its audit row) */
	{ "WITH done AS (UPDATE project_year py SET annual_plan = (a.old_row->>'annual_plan')::numeric,"
	  "  plan_reason = a.old_row->>'plan_reason', batch_id = (a.old_row->>'batch_id')::bigint"
	  " FROM audit_log a WHERE a.batch_id = " REV " AND a.table_name = 'project_year' AND a.op = 'UPDATE'"
	  "  AND py.project_id = (a.old_row->>'project_id')::bigint AND py.year = (a.old_row->>'year')::int"
	  "  AND py.batch_id = " REV " AND NOT EXISTS (SELECT 1 FROM revert_conflict x WHERE x.kind = 'plan'"
	  "  AND x.project_id = py.project_id AND x.year = py.year) RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, plans) },

	/* what is left of its list entries of known projects: the ones it added */
	{ "WITH done AS (DELETE FROM project_year py WHERE py.batch_id = " REV " AND " NOT_CREATED("py.project_id")
	  " AND NOT EXISTS (SELECT 1 FROM revert_conflict x WHERE x.kind = 'listed' AND x.project_id = py.project_id"
	  "  AND x.year = py.year) RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, unlisted) },

	/* the pool moves it made (a completion it reported, migration 0013) */
	{ "WITH done AS (DELETE FROM pool_move m WHERE m.batch_id = " REV " AND " NOT_CREATED("m.project_id")
	  " AND " NOT_CONFLICT("project", "m.project_id") " RETURNING 1) SELECT 0 FROM done LIMIT 1",
	  NO_COUNT },

	/* the projects it created, with the rows of reverted batches that refer to them */
	{ "WITH done AS (DELETE FROM progress g USING revert_created c WHERE g.project_id = c.project_id"
	  " AND " NOT_CONFLICT("created", "c.project_id") " RETURNING 1) SELECT 0 FROM done LIMIT 1",
	  NO_COUNT },
	{ "WITH done AS (DELETE FROM project p USING revert_created c WHERE p.project_id = c.project_id"
	  " AND " NOT_CONFLICT("created", "c.project_id") " RETURNING 1) SELECT count(*) FROM done",
	  offsetof(struct kpr_revert_result, deleted) },
};

void kpr_revert_result_release(struct kpr_revert_result *r)
{
	kpr_batch_table_release(&r->conflicts);
}

/* Run a statement (a template with the project's columns) whose one value is a count. */
static int exec_count(PGconn *conn, const char *template, long *count)
{
	PGresult *res;
	char *sql = kpr_fields_sql(template);
	int rc = kpr_db_exec(conn, sql, 0, NULL, &res);
	free(sql);
	if (rc != KPR_OK)
		return rc;
	if (count && PQntuples(res))
		*count += atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return KPR_OK;
}

/* The batch exists, is a list's or progress's, and was not reverted; else say why. */
static int check_batch(PGconn *conn, const char *id)
{
	PGresult *res;
	const char *params[] = { id };
	int rc = kpr_db_exec(conn, batch_sql, 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	rc = KPR_EINPUT;
	if (PQntuples(res) == 0) {
		kpr_log_error(_("no import batch %s"), id);
		kpr_log_hint(_("\"kpr batch list\" lists the batches."));
	} else if (strcmp(PQgetvalue(res, 0, 0), "config") == 0) {
		kpr_log_error(_("batch %s is a configuration batch; configuration batches are not reverted"), id);
		kpr_log_hint(_("Load the earlier configuration instead (kpr import config FILE)."));
	} else if (!PQgetisnull(res, 0, 1)) {
		kpr_log_error(_("batch %s was already reverted at %s by %s"), id, PQgetvalue(res, 0, 1),
			      PQgetvalue(res, 0, 2));
		kpr_log_detail(_("Reason: %s"), PQgetvalue(res, 0, 3));
	} else {
		rc = KPR_OK;
	}
	PQclear(res);
	return rc;
}

/* At most this many conflicts are named, then how many more there are. */
#define CONFLICTS_NAMED 20

void kpr_revert_detail_conflicts(const struct kpr_revert_result *r)
{
	const struct kpr_batch_table *t = &r->conflicts;
	struct kpr_strbuf lines = KPR_STRBUF_INIT;
	for (size_t i = 0; i < t->nrows && i < CONFLICTS_NAMED; i++)
		kpr_strbuf_addf(&lines, "%s%s", i ? "\n" : "", kpr_batch_cell(t, i, 0));
	if (t->nrows > CONFLICTS_NAMED)
		kpr_strbuf_addf(&lines, _("\n... and %zu more"), t->nrows - CONFLICTS_NAMED);
	if (t->nrows)
		kpr_log_detail("%s", lines.buf);
	kpr_strbuf_release(&lines);
}

/* Refuse a batch with conflicts: what touched which rows, and what to do. */
static void refuse(long id, const struct kpr_revert_result *r)
{
	kpr_log_error(_("batch %ld cannot be reverted: later batches or changes touched %zu of its rows"), id,
		      r->conflicts.nrows);
	kpr_revert_detail_conflicts(r);
	kpr_log_hint(_("Revert those batches first, or give --force to undo only what is still batch %ld's."), id);
}

static int revert(PGconn *conn, long id, const char *reason, bool force, struct kpr_revert_result *r)
{
	char sid[32];
	snprintf(sid, sizeof(sid), "%ld", id);
	const char *params[] = { sid, reason };
	int rc;
	if ((rc = check_batch(conn, sid)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(note_sql); i++)
		if ((rc = kpr_db_exec(conn, note_sql[i], i == 0 ? 1 : 0, params, NULL)) != KPR_OK)
			return rc;
	if ((rc = kpr_batch_query(conn, conflicts_sql, 0, NULL, &r->conflicts)) != KPR_OK)
		return rc;
	if (r->conflicts.nrows && !force) {
		refuse(id, r);
		return KPR_EINPUT;
	}
	if ((rc = exec_count(conn, progress_sql, &r->progress)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(undo); i++)
		if ((rc = exec_count(conn, undo[i].sql, undo[i].counter == NO_COUNT ? NULL : (long *)((char *)r + undo[i].counter)))
		    != KPR_OK)
			return rc;
	return kpr_db_exec(conn, "UPDATE import_batch SET reverted_at = now(), reverted_by = session_user,"
			   " revert_reason = $2 WHERE batch_id = $1", 2, params, NULL);
}

int kpr_revert_batch(PGconn *conn, long id, const char *reason, bool force, struct kpr_revert_result *r)
{
	int rc;
	*r = (struct kpr_revert_result){ 0 };
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	if ((rc = revert(conn, id, reason, force, r)) != KPR_OK) {
		kpr_db_rollback(conn);
		return rc;
	}
	return kpr_db_commit(conn);
}
