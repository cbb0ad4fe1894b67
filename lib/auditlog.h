/*
 * auditlog.h: the trail of changes, newest first, for kpr log and kpr show: each change made
 * row by row (audit_log, written by the audit trigger or by an import for the projects it
 * changed) and each import batch as one entry (import_batch: a bulk load writes no audit rows,
 * and the rows an import audits are shown under its batch).
 *
 *     struct kpr_auditlog_filter f = { .code = "LF2023-002", .limit = 10 };
 *     if ((rc = kpr_auditlog_read(conn, &f, &t)) == KPR_OK) { ...kpr_batch_cell(&t, r, KPR_AUDIT_WHO)...; kpr_batch_table_release(&t); }
 *
 * Times are the registry's clock (batch.h), as "YYYY-MM-DD HH:MM:SS".
 */
#ifndef KPR_AUDITLOG_H
#define KPR_AUDITLOG_H

#include <libpq-fe.h>

#include "batch.h"
#include "kpr.h"

/* The columns of an entry, in this order (text cells; NULL where an entry has none). */
enum kpr_audit_col {
	KPR_AUDIT_KIND,		/* "change" (an audit row) or "import" (a batch) */
	KPR_AUDIT_ID,		/* audit_id, or batch_id */
	KPR_AUDIT_WHEN,		/* when it was made; a batch: when it started */
	KPR_AUDIT_WHO,		/* the database user (session_user) */
	KPR_AUDIT_TABLE,	/* a change: the table; an import: its kind (projects, progress, config) */
	KPR_AUDIT_OP,		/* a change: INSERT, UPDATE or DELETE */
	KPR_AUDIT_CODE,		/* the project's code, when the row is a project's */
	KPR_AUDIT_NAME,		/* and its name */
	/* a change: its fields, one a line: "field: old → new" (UPDATE, only those that changed),
	 * "field: value" (INSERT, DELETE; ids and timestamps left out).  An import with a code
	 * filter: the changes it audited for that project, likewise */
	KPR_AUDIT_FIELDS,
	KPR_AUDIT_FILE,		/* an import: its file, sha256, year and counts */
	KPR_AUDIT_SHA256,
	KPR_AUDIT_YEAR,
	KPR_AUDIT_READ, KPR_AUDIT_INSERTED, KPR_AUDIT_UPDATED, KPR_AUDIT_UNCHANGED, KPR_AUDIT_REJECTED,
	KPR_AUDIT_REVERTED,	/* an import that was reverted: "WHEN by WHO: REASON" */
	KPR_AUDIT_NCOLS
};

struct kpr_auditlog_filter {
	const char *code;	/* a project's code: its changes, and the imports that wrote it; NULL: all */
	const char *user;	/* the database user who made it; NULL: any */
	const char *since;	/* YYYY-MM-DD: made that day or later (registry's clock); NULL: any */
	const char *table;	/* a table (project, progress, ...): its changes, and the imports that
				   write it; NULL: any */
	long limit;		/* at most this many entries; 0: all */
};

/*
 * The entries the filter lets through, newest first, into t, with t->total set to how many
 * there are without the limit.  A code that names no project gives no entries (the caller
 * checks the code first).  A database error: printed, its status, t empty.
 */
int kpr_auditlog_read(PGconn *conn, const struct kpr_auditlog_filter *f, struct kpr_batch_table *t)
	KPR_WARN_UNUSED;

#endif
