/* batch.c: the import batches and the rows each wrote, read back for people (see batch.h). */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "strbuf.h"

#define TZ_SQL KPR_BATCH_TZ_SQL
#define WHEN_SQL KPR_BATCH_WHEN_SQL
/* numeric(18,4) 万元 as whole yuan */
#define YUAN_SQL(col) "(" col " * 10000)::bigint"

static const char list_sql[] =
	"SELECT b.batch_id, b.kind, b.file_name, " WHEN_SQL("b.started_at") ", " WHEN_SQL("b.finished_at") ","
	" b.db_user, b.year, b.rows_read, b.rows_inserted, b.rows_updated, b.rows_unchanged, b.rows_rejected, "
	WHEN_SQL("b.reverted_at") ", nullif(b.checksum, ''), b.reverted_by, b.revert_reason "
	"FROM import_batch b "
	"WHERE ($1::bigint IS NULL OR b.batch_id = $1::bigint) AND ($2::text IS NULL OR b.kind = $2::text)"
	" AND ($3::date IS NULL OR b.started_at >= $3::date::timestamp AT TIME ZONE " TZ_SQL ") "
	"ORDER BY b.started_at DESC, b.batch_id DESC";

/*
 * The parts of kpr batch show, by enum kpr_batch_part_kind.  Each takes $1 the batch and $2
 * the limit (NULL: all), and ends with the count of all its rows.
 */
static const char *const part_sql[] = {
	[KPR_BATCH_PROJECTS] =
	/*
	 * Changed: the batch audited the change.  Created: not changed by it, but written by it,
	 * and still its row or the old row of a later change.
	 */
	"WITH b AS (SELECT * FROM import_batch WHERE batch_id = $1::bigint),"
	" a AS (SELECT (new_row->>'project_id')::bigint AS project_id, old_row, new_row FROM audit_log"
	"  WHERE batch_id = $1::bigint AND table_name = 'project' AND op = 'UPDATE'),"
	" later AS (SELECT DISTINCT (old_row->>'project_id')::bigint AS project_id FROM audit_log"
	"  WHERE table_name = 'project' AND op = 'UPDATE' AND old_row->>'batch_id' = ($1::bigint)::text) "
	"SELECT p.code, p.name, CASE WHEN a.project_id IS NULL THEN 'new' ELSE 'changed' END,"
	" (SELECT string_agg(k || ': ' || coalesce(a.old_row->>k, '') || ' → ' || coalesce(a.new_row->>k, ''), '; '"
	"   ORDER BY k) FROM jsonb_object_keys(a.new_row) k"
	"  WHERE k NOT IN ('batch_id', 'updated_at') AND a.old_row->k IS DISTINCT FROM a.new_row->k),"
	" count(*) OVER () "
	"FROM project p CROSS JOIN b LEFT JOIN a ON a.project_id = p.project_id "
	"WHERE a.project_id IS NOT NULL OR (b.kind = 'projects'"
	" AND (p.batch_id = b.batch_id OR p.project_id IN (SELECT project_id FROM later))) "
	"ORDER BY p.code, a.new_row->>'updated_at' LIMIT $2::bigint",

	[KPR_BATCH_PLANS] =
	/* the plan it set: kept in the history when a later batch rebaselined again */
	"SELECT p.code, h.year, " YUAN_SQL("h.amount") ", "
	YUAN_SQL("coalesce((SELECT h2.amount FROM annual_plan_history h2 WHERE h2.project_id = h.project_id"
		 " AND h2.year = h.year AND h2.batch_id = $1::bigint ORDER BY h2.plan_id LIMIT 1), py.annual_plan)") ", "
	" count(*) OVER () "
	"FROM annual_plan_history h JOIN project p USING (project_id)"
	" LEFT JOIN project_year py ON py.project_id = h.project_id AND py.year = h.year "
	"WHERE h.superseded_by = $1::bigint ORDER BY p.code, h.year LIMIT $2::bigint",

	[KPR_BATCH_PROGRESS] =
	"SELECT p.code, to_char(n.month, 'YYYY-MM'), " YUAN_SQL("n.amount") ", " YUAN_SQL("n.ytd") ","
	" CASE WHEN EXISTS (SELECT 1 FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month"
	"  AND o.version < n.version) THEN 'correction' ELSE 'new' END, n.source_line, count(*) OVER () "
	"FROM progress n JOIN project p USING (project_id) "
	"WHERE n.batch_id = $1::bigint ORDER BY n.source_line, p.code, n.month LIMIT $2::bigint",

	[KPR_BATCH_OTHER] =
	"SELECT a.table_name, a.op, p.code, (coalesce(a.new_row, a.old_row) - 'project_id')::text, count(*) OVER () "
	"FROM audit_log a LEFT JOIN project p"
	" ON p.project_id = (coalesce(a.new_row, a.old_row)->>'project_id')::bigint "
	"WHERE a.batch_id = $1::bigint AND NOT (a.table_name = 'project' AND a.op = 'UPDATE') "
	"ORDER BY a.audit_id LIMIT $2::bigint",
};

void kpr_batch_table_release(struct kpr_batch_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->ncols = 0;
	t->total = 0;
}

/* Run sql and copy its rows into t; with counted, its last column is the count of all rows. */
static int fetch(PGconn *conn, const char *sql, int n, const char *const *params, bool counted,
		 struct kpr_batch_table *t)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, sql, n, params, &res);

	*t = (struct kpr_batch_table){ 0 };
	if (rc != KPR_OK)
		return rc;
	t->nrows = (size_t)PQntuples(res);
	t->ncols = (size_t)PQnfields(res) - (counted ? 1 : 0);
	t->cells = kpr_xcalloc(t->nrows * t->ncols + 1, sizeof(*t->cells));
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (!PQgetisnull(res, (int)r, (int)c))
				t->cells[r * t->ncols + c] = kpr_xstrdup(PQgetvalue(res, (int)r, (int)c));
	t->total = !counted ? (long)t->nrows : t->nrows ? atol(PQgetvalue(res, 0, (int)t->ncols)) : 0;
	PQclear(res);
	return KPR_OK;
}

int kpr_batch_query(PGconn *conn, const char *sql, int n, const char *const *params, struct kpr_batch_table *t)
{
	return fetch(conn, sql, n, params, false, t);
}

int kpr_batch_list(PGconn *conn, const struct kpr_batch_filter *f, struct kpr_batch_table *t)
{
	char id[32];
	snprintf(id, sizeof(id), "%ld", f->id);
	const char *params[] = { f->id ? id : NULL, f->kind, f->since };
	return fetch(conn, list_sql, 3, params, false, t);
}

int kpr_batch_part(PGconn *conn, long id, enum kpr_batch_part_kind part, long limit, struct kpr_batch_table *t)
{
	char sid[32], slimit[32];
	snprintf(sid, sizeof(sid), "%ld", id);
	snprintf(slimit, sizeof(slimit), "%ld", limit);
	const char *params[] = { sid, limit > 0 ? slimit : NULL };
	return fetch(conn, part_sql[part], 2, params, true, t);
}
