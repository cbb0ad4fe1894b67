/*
 * batch.h: the import batches (import_batch) and what each wrote, for kpr batch list|show.
 *
 *     struct kpr_batch_filter f = { .kind = "progress", .since = "2023-10-01" };
 *     if ((rc = kpr_batch_list(conn, &f, &t)) == KPR_OK) { ...t.cells...; kpr_batch_table_release(&t); }
 *
 * Each function runs one parameterized query and hands back its rows as text cells, in the
 * column order its comment gives; money is whole yuan (money.h), times are the registry's
 * clock (the "timezone" setting, else the server's) as "YYYY-MM-DD HH:MM:SS".
 */
#ifndef KPR_BATCH_H
#define KPR_BATCH_H

#include <libpq-fe.h>

#include "kpr.h"

/* Rows of text cells; a SQL NULL is a NULL cell. */
struct kpr_batch_table {
	size_t nrows, ncols;
	char **cells;		/* nrows * ncols, row by row */
	long total;		/* rows there are without the limit (show's parts), else nrows */
};

static inline const char *kpr_batch_cell(const struct kpr_batch_table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

void kpr_batch_table_release(struct kpr_batch_table *t);

/* The registry's clock: its "timezone" setting, else the session's; a time column on it as text. */
#define KPR_BATCH_TZ_SQL "coalesce((SELECT value FROM setting WHERE key = 'timezone'), current_setting('TimeZone'))"
#define KPR_BATCH_WHEN_SQL(col) "to_char(" col " AT TIME ZONE " KPR_BATCH_TZ_SQL ", 'YYYY-MM-DD HH24:MI:SS')"

/* Run sql with n text parameters and copy its rows into t.  On a database error prints it and
 * returns its status, t empty. */
int kpr_batch_query(PGconn *conn, const char *sql, int n, const char *const *params, struct kpr_batch_table *t)
	KPR_WARN_UNUSED;

struct kpr_batch_filter {
	long id;		/* 0: any */
	const char *kind;	/* "projects", "progress", or NULL: any */
	const char *since;	/* YYYY-MM-DD: started that day or later (registry's clock); NULL: any */
};

/*
 * The batches that pass the filter, newest first.  Columns: id, kind, file, started, finished,
 * user, year, rows read, inserted, updated, unchanged, rejected, when it was reverted (NULL: not
 * reverted), sha256 of the file, who reverted it and why.  On a database error
 * prints it and returns its status, t empty.
 */
int kpr_batch_list(PGconn *conn, const struct kpr_batch_filter *f, struct kpr_batch_table *t) KPR_WARN_UNUSED;

/* What kpr_batch_part() returns: the rows a batch wrote or changed, one kind a part. */
enum kpr_batch_part_kind {
	/* code, name, change ("new" or "changed"), fields changed ("name: old → new; ..."):
	 * projects it created or whose columns it changed */
	KPR_BATCH_PROJECTS,
	/* code, year, old plan (yuan), plan it set (yuan): the annual plans it rebaselined */
	KPR_BATCH_PLANS,
	/* code, month (YYYY-MM), amount (yuan), year to date (yuan), "new" or "correction", line */
	KPR_BATCH_PROGRESS,
	/* table, op, code, row (JSON text, without project_id): its other audited rows */
	KPR_BATCH_OTHER
};

/*
 * The first limit rows (limit 0: all) of one part of batch id, in a stable order, with
 * t->total set to how many there are.  On a database error prints it and returns its status.
 */
int kpr_batch_part(PGconn *conn, long id, enum kpr_batch_part_kind part, long limit,
		   struct kpr_batch_table *t) KPR_WARN_UNUSED;

#endif
