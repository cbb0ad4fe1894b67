/*
 * import.h: bulk import of project lists and monthly progress, all or nothing.
 *
 *     struct kpr_import_options o = KPR_IMPORT_OPTIONS_INIT;
 *     struct kpr_import_result r;
 *     rc = kpr_import_projects(conn, "projects.csv", &o, &r);
 *
 * The file streams through the reader (reader.h), each row is checked (validate.h) and good
 * rows are copied (COPY) into the database inside one transaction, then merged set-based.
 * Every problem is printed as FILE:LINE:COLUMN: message, up to max_errors.  With problems
 * and on_error abort (the default) nothing is written and KPR_EINPUT is returned; with skip,
 * good rows are written, bad ones go to the rejects file, and KPR_EINPUT is still returned.
 * A write is recorded as one import_batch row; its rows carry batch_id instead of a per-row
 * audit entry.  An import that changes nothing, or a dry run, writes nothing at all.
 */
#ifndef KPR_IMPORT_H
#define KPR_IMPORT_H

#include <libpq-fe.h>

#include "bulk.h"
#include "kpr.h"
#include "money.h"
#include "reader.h"

struct kpr_import_options {
	enum kpr_format format;
	enum kpr_encoding encoding;
	enum kpr_unit unit;		/* money columns whose header names none (NONE: 万元) */
	const char *columns;		/* --columns mapping file, or NULL */
	int year;			/* projects: the list's year; 0: from the header or title */
	bool dry_run;
	bool skip_errors;		/* --on-error skip */
	const char *rejects;		/* --rejects FILE, or NULL */
	bool overwrite_rejects;		/* --overwrite-rejects: an existing rejects file may be replaced */
	long max_errors;		/* stop printing problems after this many */
	enum kpr_bulk bulk;		/* --bulk: set keys and indexes aside for a large load (bulk.h) */
	/* called every few thousand rows and once at the end (done), e.g. for a progress bar */
	void (*progress)(void *arg, uint64_t rows, uint64_t offset, uint64_t size, bool done);
	void *progress_arg;
	bool allow_unlisted;		/* progress: accept months of projects not on their year's list */
	bool force;			/* write rows that replace values later batches or changes wrote */
	bool list_changes;		/* a dry run: list what would change (a bounded list, then a count) */
};

#define KPR_IMPORT_OPTIONS_INIT { KPR_FORMAT_AUTO, KPR_ENCODING_AUTO, KPR_UNIT_NONE, NULL, 0, false, false, NULL, false, 100, KPR_BULK_AUTO, NULL, NULL, false, false, false }

struct kpr_import_result {
	int year;
	long rows;		/* data rows read */
	long rejected;		/* rows with problems */
	long problems;		/* problems found (a row may have several) */
	long inserted;		/* projects: new projects; progress: new months */
	long updated;		/* projects: changed projects; progress: corrections */
	long unchanged;		/* rows that change nothing */
	long missing;		/* projects: on the year's list in the database but not in the file */
	long headings, subtotals;	/* heading and subtotal rows skipped (layout.h), not in rows */
	long unreported;	/* progress: rows with a code and nothing reported, skipped, not in rows */
	long batch_id;		/* the batch written, 0 when none */
	bool committed;
};

int kpr_import_projects(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result) KPR_WARN_UNUSED;
int kpr_import_progress(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result) KPR_WARN_UNUSED;

#endif
