/*
 * import_impl.h: what import.c, the streaming machinery both imports share, gives the project
 * list import (import_projects.c) and the progress import (import_progress.c).  Not for
 * callers of import.h.
 *
 *     if ((rc = kpr_import_open(&im, conn, path, KPR_IMPORT_PROGRESS, opts, result, &rec)) == KPR_OK &&
 *         (rc = kpr_import_begin(&im, 0)) == KPR_OK) ... kpr_import_each_row(&im, rec, fn, arg) ...
 *     return kpr_import_close(&im, rc);
 *
 * An import opens the file and finds its header, begins the transaction, records its batch,
 * opens one COPY that its rows stream into while the file is read (others wait in spools,
 * spool.h), checks each row (validate.h), ends the stream and merges set-based, then concludes
 * (commit, or roll back for a dry run or when nothing changed).  Every function here prints its
 * errors and returns the exit status (kpr.h).
 */
#ifndef KPR_IMPORT_IMPL_H
#define KPR_IMPORT_IMPL_H

#include "import.h"

#include "codemap.h"
#include "columns.h"
#include "layout.h"
#include "refdata.h"
#include "rejects.h"
#include "spool.h"
#include "strbuf.h"
#include "validate.h"

/* the batch an import writes and its year, set for its transaction by kpr_import_start_batch() */
#define KPR_IMPORT_BATCH_SQL "current_setting('kpr.batch_id')::bigint"
#define KPR_IMPORT_YEAR_SQL "current_setting('kpr.year')::int"

/* What both kinds of import share while a file streams through. */
struct kpr_import {
	PGconn *conn;
	const char *path;
	const char *name;		/* the file as messages call it */
	const struct kpr_import_options *opts;
	struct kpr_import_result *result;
	enum kpr_import_kind kind;
	struct kpr_reader *reader;
	struct kpr_colmap *colmap;
	struct kpr_header header;
	struct kpr_refdata refdata;
	struct kpr_validator validator;
	struct kpr_rejects *rejects;
	struct kpr_strbuf row_errors;	/* this row's problems, for the rejects file */
	struct kpr_spool *sending;	/* the rows streamed into the open COPY (kpr_import_stream()) */
	bool copying;
	bool stop_sending;		/* abort mode after a problem: validate on, send nothing */
	int title_year;
	enum kpr_unit file_unit;	/* from a units row */
	struct kpr_set_aside set_aside;	/* for a large load, put back before the commit (bulk.h) */
	bool office;			/* row-level security holds the session: an office's import */
	struct kpr_layout layout;	/* headings and subtotals (CSV, workbooks) */
	char **form_codes;		/* kpr export template's form: the code exported at each row */
	size_t nform_codes;
};

/*
 * Open the file and read up to its first data record (*first, NULL when there is none, with a
 * warning: the import then changes nothing): blank, title and units rows skipped, the header
 * found and checked (required columns, not the other kind's file; unknown ones named in a
 * warning); an empty file is refused.  kpr_import_close() in any case.
 */
int kpr_import_open(struct kpr_import *im, PGconn *conn, const char *path, enum kpr_import_kind kind,
		    const struct kpr_import_options *opts, struct kpr_import_result *result,
		    const struct kpr_record **first) KPR_WARN_UNUSED;

/*
 * Open the rejects file, begin the transaction, load the reference data of year (0: every
 * year's) and set up the validator for the year (its today is the caller's: validate.h).
 */
int kpr_import_begin(struct kpr_import *im, int year) KPR_WARN_UNUSED;

/* The code a kpr export template form had at line (row), or NULL: not a form, or no code there. */
const char *kpr_import_form_code(const struct kpr_import *im, long line);

/* Abandon a COPY still open, roll back unless committed, close the rejects file; rc or the
 * rejects file's error. */
int kpr_import_close(struct kpr_import *im, int rc);

/* The validator's problem callback: prints FILE:LINE:COLUMN: message (up to max_errors) and
 * keeps it for the row's entry in the rejects file. */
void kpr_import_problem(void *arg, long line, const char *column, const char *message);

/* A row with problems: counted, written to the rejects file when there is one, and in abort
 * mode nothing more is sent. */
int kpr_import_reject_row(struct kpr_import *im, const struct kpr_record *rec) KPR_WARN_UNUSED;

/* fn for each data record from first on, blank ones skipped, counted and progress reported,
 * until fn fails or the file ends. */
int kpr_import_each_row(struct kpr_import *im, const struct kpr_record *first,
			int (*fn)(struct kpr_import *im, const struct kpr_record *rec, void *arg),
			void *arg) KPR_WARN_UNUSED;

/* Open the COPY (sql) that sp's rows go to while the file is read. */
int kpr_import_stream(struct kpr_import *im, const char *sql, struct kpr_spool *sp) KPR_WARN_UNUSED;

/* The file is read: send the rest, end the COPY, and stop there (KPR_EINPUT) when rows were
 * rejected and the import is all-or-nothing. */
int kpr_import_end_stream(struct kpr_import *im) KPR_WARN_UNUSED;

/* The import's batch (kind "projects" or "progress"), before anything is written: rows are
 * tagged with it; kpr.batch_id and kpr.year are set for the transaction. */
int kpr_import_start_batch(struct kpr_import *im, const char *kind) KPR_WARN_UNUSED;
/* The batch's counts, the checksum of the file, now that it has been read, and the time it
 * finished (clock_timestamp(): now() is the transaction's start, which started_at records). */
int kpr_import_finish_batch(struct kpr_import *im) KPR_WARN_UNUSED;

/* Set the foreign keys of tables (and with indexes, their indexes) aside when adding rows rows
 * to table is worth it (bulk.h); never for a dry run, which locks nobody out. */
int kpr_import_set_aside(struct kpr_import *im, const char *table, const char *tables, bool indexes,
			 long rows) KPR_WARN_UNUSED;

/* Commit, after putting back what was set aside; or roll back, for a dry run or when nothing
 * changed.  Sets result->committed. */
int kpr_import_conclude(struct kpr_import *im, bool changed) KPR_WARN_UNUSED;

/* Every project's code and id into map, streamed (COPY TO); with months, also the latest month
 * with progress of each, its start year and the years it is listed for (project_year). */
int kpr_import_load_codes(struct kpr_import *im, struct kpr_codemap *map, bool months) KPR_WARN_UNUSED;

/*
 * An older file imported again: sql finds the rows that would put back a figure a later batch or
 * change replaced (columns: line, code, what (a month, a field), the file's figure, the current
 * one, the batch that wrote it (or "" and who, when)).  Each named under column (NULL: the
 * project column a ninth column names), up to a limit, then a count, and KPR_EINPUT; with
 * --force a warning with the count and KPR_OK.
 */
int kpr_import_refuse_replays(struct kpr_import *im, const char *sql, const char *column) KPR_WARN_UNUSED;

/*
 * For a dry run's list of changes (opts->list_changes): what, with how many rows sql found
 * (columns: line, the change as text), then up to a limit of them, one a line, then a count.
 */
int kpr_import_list_changes(struct kpr_import *im, const char *what, const char *sql) KPR_WARN_UNUSED;

/* Run a statement; its first value (or "") into out[size] when out is not NULL. */
int kpr_import_query_text(struct kpr_import *im, const char *sql, int n, const char *const *params, char *out,
			  size_t size) KPR_WARN_UNUSED;


/*
 * An office's import (import_office.c).  _begin: is row-level security on for the session
 * (im->office)?  If so, the temporary table the rows stream into (columns, those of progress
 * the COPY names) and the codes of the projects the office may write, into mine.  The COPY goes
 * to _copy_table(im, "progress").  _refuses, for each row: is code not one of mine?  Then it is
 * kept in foreign and not sent.  _insert, after the stream: the refused rows named and
 * KPR_EPERM (nothing is written), else every row into table by one INSERT ... SELECT that the
 * policies check.  Nothing is done for a session that is not an office's.
 */
int kpr_import_office_begin(struct kpr_import *im, struct kpr_codemap *mine, const char *columns) KPR_WARN_UNUSED;
const char *kpr_import_office_copy_table(const struct kpr_import *im, const char *table);
bool kpr_import_office_refuses(struct kpr_import *im, const struct kpr_codemap *mine, struct kpr_spool *foreign,
			       const char *code, long line);
int kpr_import_office_insert(struct kpr_import *im, struct kpr_spool *foreign, const char *table,
			     const char *columns) KPR_WARN_UNUSED;
#endif
