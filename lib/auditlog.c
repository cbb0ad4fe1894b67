/* auditlog.c: the trail of changes and import batches, newest first; see auditlog.h. */
#include "auditlog.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"

#define TZ_SQL KPR_BATCH_TZ_SQL
#define WHEN_SQL KPR_BATCH_WHEN_SQL

/* the project an audited row belongs to (an index in migration 0010 is on this expression) */
#define ROW_PROJECT_SQL(a) "(coalesce(" a ".new_row, " a ".old_row)->>'project_id')::bigint"

/* keys that say nothing to people: ids and bookkeeping times */
#define HIDDEN_KEYS_SQL \
	"('project_id', 'progress_id', 'plan_id', 'move_id', 'evaluation_id', 'override_id', 'scenario_id'," \
	" 'batch_id', 'created_at', 'updated_at', 'reported_at', 'moved_at', 'evaluated_at')"

/* an audited row's fields, one a line: changed ones as old → new, else each value (JSON text) */
#define FIELDS_SQL(a) \
	"CASE " a ".op WHEN 'UPDATE' THEN" \
	" (SELECT string_agg(k || ': ' || coalesce((" a ".old_row->k)::text, 'null') || ' → '" \
	"   || coalesce((" a ".new_row->k)::text, 'null'), E'\\n' ORDER BY k)" \
	"  FROM jsonb_object_keys(" a ".new_row) k WHERE k NOT IN " HIDDEN_KEYS_SQL \
	"  AND " a ".old_row->k IS DISTINCT FROM " a ".new_row->k)" \
	" ELSE (SELECT string_agg(e.key || ': ' || e.value::text, E'\\n' ORDER BY e.key)" \
	"  FROM jsonb_each(coalesce(" a ".new_row, " a ".old_row)) e" \
	"  WHERE e.key NOT IN " HIDDEN_KEYS_SQL " AND e.value <> 'null'::jsonb) END"

/* the tables an import of each kind writes, for --table */
#define KIND_TABLES_SQL(kind) \
	"CASE " kind " WHEN 'projects' THEN ARRAY['project', 'project_year', 'project_scenario', 'annual_plan_history']" \
	" WHEN 'progress' THEN ARRAY['progress']" \
	" ELSE ARRAY['setting', 'region', 'zone', 'pool', 'scenario', 'colour_rule', 'colour_rule_condition'] END"

/*
 * $1 code, $2 user, $3 since (a date), $4 table, $5 limit; each NULL: any.  The rows an import
 * audited are shown under its batch, not as changes of their own.
 */
static const char log_sql[] =
	"WITH target AS (SELECT project_id, code, name FROM project WHERE code = $1::text),"
	/* the batches that wrote the project: every lookup by its project_id */
	" touched AS ("
	"  SELECT p.batch_id FROM project p, target t WHERE p.project_id = t.project_id"
	"  UNION SELECT y.batch_id FROM project_year y, target t WHERE y.project_id = t.project_id"
	"  UNION SELECT g.batch_id FROM progress g, target t WHERE g.project_id = t.project_id"
	"  UNION SELECT h.batch_id FROM annual_plan_history h, target t WHERE h.project_id = t.project_id"
	"  UNION SELECT h.superseded_by FROM annual_plan_history h, target t WHERE h.project_id = t.project_id"
	"  UNION SELECT a.batch_id FROM audit_log a, target t WHERE " ROW_PROJECT_SQL("a") " = t.project_id"
	"  UNION SELECT (a.old_row->>'batch_id')::bigint FROM audit_log a, target t"
	"   WHERE " ROW_PROJECT_SQL("a") " = t.project_id AND a.table_name = 'project'),"
	" entries AS ("
	"  SELECT 'change' AS kind, a.audit_id AS id, a.at, a.db_user AS who, a.table_name AS tbl, a.op,"
	"   " ROW_PROJECT_SQL("a") " AS project_id, " FIELDS_SQL("a") " AS fields, NULL::bigint AS batch"
	"  FROM audit_log a"
	"  WHERE a.batch_id IS NULL"
	"   AND ($1::text IS NULL OR " ROW_PROJECT_SQL("a") " = (SELECT project_id FROM target))"
	"   AND ($2::text IS NULL OR a.db_user = $2::text)"
	"   AND ($3::date IS NULL OR a.at >= $3::date::timestamp AT TIME ZONE " TZ_SQL ")"
	"   AND ($4::text IS NULL OR a.table_name = $4::text)"
	"  UNION ALL"
	"  SELECT 'import', b.batch_id, b.started_at, b.db_user, b.kind, NULL, t.project_id,"
	"   CASE WHEN t.project_id IS NOT NULL THEN"
	"    (SELECT string_agg(a.table_name || ' ' || a.op || E'\\n' || " FIELDS_SQL("a") ", E'\\n' ORDER BY a.audit_id)"
	"     FROM audit_log a WHERE " ROW_PROJECT_SQL("a") " = t.project_id AND a.batch_id = b.batch_id) END,"
	"   b.batch_id"
	"  FROM import_batch b LEFT JOIN target t ON true"
	"  WHERE ($1::text IS NULL OR b.batch_id IN (SELECT batch_id FROM touched))"
	"   AND ($2::text IS NULL OR b.db_user = $2::text)"
	"   AND ($3::date IS NULL OR b.started_at >= $3::date::timestamp AT TIME ZONE " TZ_SQL ")"
	"   AND ($4::text IS NULL OR $4::text = ANY (" KIND_TABLES_SQL("b.kind") ")))"
	"SELECT e.kind, e.id, " WHEN_SQL("e.at") ", e.who, e.tbl, e.op, p.code, p.name, e.fields,"
	" b.file_name, nullif(b.checksum, ''), b.year, b.rows_read, b.rows_inserted, b.rows_updated,"
	" b.rows_unchanged, b.rows_rejected,"
	" CASE WHEN b.reverted_at IS NOT NULL THEN " WHEN_SQL("b.reverted_at") " || ' by ' || b.reverted_by"
	"  || ': ' || b.revert_reason END,"
	" count(*) OVER () "
	"FROM entries e LEFT JOIN project p ON p.project_id = e.project_id"
	" LEFT JOIN import_batch b ON b.batch_id = e.batch "
	"ORDER BY e.at DESC, e.id DESC LIMIT $5::bigint";

int kpr_auditlog_read(PGconn *conn, const struct kpr_auditlog_filter *f, struct kpr_batch_table *t)
{
	char limit[32];
	snprintf(limit, sizeof(limit), "%ld", f->limit);
	const char *params[] = { f->code, f->user, f->since, f->table, f->limit > 0 ? limit : NULL };
	int rc = kpr_batch_query(conn, log_sql, 5, params, t);
	if (rc != KPR_OK)
		return rc;
	/* the last column is the count of all entries */
	t->total = t->nrows ? atol(kpr_batch_cell(t, 0, KPR_AUDIT_NCOLS)) : 0;
	return KPR_OK;
}
