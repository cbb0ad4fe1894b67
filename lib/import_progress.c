/*
 * import_progress.c: monthly progress into the registry.  Each row's code becomes its project's
 * key while the file streams, and the rows are copied straight into progress, tagged with the
 * batch; corrections, downward adjustments, start dates and rows given as a year-to-date are
 * checked set-based after the stream.  A month given as a year-to-date alone is stored as
 * reported, amount NULL: progress_current derives its amount when read (migration 0007).  See
 * import.h; the shared machinery is import.c's (import_impl.h).
 */
#include "import_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "month.h"

/* the batch the transaction writes (import_impl.h) */
#define BATCH_SQL KPR_IMPORT_BATCH_SQL

/* the bulk COPY names the reporter columns so that their defaults are not evaluated per row */
#define PROGRESS_COPY_COLUMNS "project_id, month, amount, ytd, physical_progress, problems, actual_start, " \
	"completed_on, adjustment_reason, batch_id, reported_by, reported_at, source_line"

/* Everything a row reports, for comparing two versions of a month */
#define FIGURES(a) "(" a ".amount, " a ".ytd, " a ".physical_progress, " a ".problems, " a ".actual_start, " \
	a ".completed_on, " a ".adjustment_reason)"

/*
 * What a year-to-date builds on: the current year-to-date of the latest month before
 * alias.month in its year (progress_current's, which the months add up to), 0 if none.
 */
#define PRIOR_SQL(alias) \
	"coalesce((SELECT pc.ytd FROM progress_current pc WHERE pc.project_id = " alias ".project_id" \
	" AND pc.month >= date_trunc('year', " alias ".month) AND pc.month < " alias ".month" \
	" ORDER BY pc.month DESC LIMIT 1), 0)"

/*
 * Ends a LATERAL subquery on progress_current so that the planner keeps it lateral: its
 * project_id = n.project_id then reaches the view's windows, which compute one project's months;
 * pulled up into a join, the view would be computed for every project of the registry.
 */
#define KEEP_LATERAL " OFFSET 0"

/* the version a new row of the month takes (the import holds the table: versions follow one another) */
#define NEXT_VERSION_SQL(alias) \
	"coalesce((SELECT max(o.version) FROM progress o WHERE o.project_id = " alias ".project_id" \
	" AND o.month = " alias ".month AND o.version > 0), 0) + 1"

/* the current year-to-date at n's own month */
#define YTD_AT_SQL \
	"(SELECT pc.ytd FROM progress_current pc WHERE pc.project_id = n.project_id AND pc.month = n.month)"

/*
 * The batch's rows that need a second look after the COPY (possible corrections, downward
 * adjustments, start dates, year-to-date rows), noted while streaming.  Joining through them
 * keeps these checks proportional to the rows concerned, with no index on batch_id to slow
 * every COPY down.
 */
static const char touched_stage_sql[] =
	"CREATE TEMP TABLE import_touched (project_id bigint, month date, sum_check boolean DEFAULT false) ON COMMIT DROP";
/* a possible correction was copied as version 0: it follows the month's versions */
static const char number_versions_sql[] =
	"UPDATE progress n SET version = " NEXT_VERSION_SQL("n") " FROM import_touched t"
	" WHERE n.project_id = t.project_id AND n.month = t.month AND n.batch_id = " BATCH_SQL " AND n.version = 0";
#define TOUCHED_SQL \
	"import_touched t JOIN progress n ON n.project_id = t.project_id AND n.month = t.month " \
	"AND n.batch_id = " BATCH_SQL

/* a month given as a year-to-date alone, below the earlier months', needs a reason */
static const char ytd_bad_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), n.ytd, e.prior, n.project_id, n.month, n.progress_id "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id"
	" CROSS JOIN LATERAL (SELECT " PRIOR_SQL("n") " AS prior) e "
	"WHERE n.amount IS NULL AND n.adjustment_reason IS NULL AND n.ytd < e.prior ORDER BY n.source_line";

/* a downward adjustment may not take the year-to-date below zero */
static const char negative_ytd_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), e.ytd, n.project_id, n.month, n.progress_id "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id"
	" CROSS JOIN LATERAL (SELECT " YTD_AT_SQL " AS ytd) e "
	"WHERE n.amount < 0 AND e.ytd < 0 ORDER BY n.source_line";

/* the earlier months of n's year all reported: its year-to-date can be checked */
#define EARLIER_COMPLETE_SQL \
	"(SELECT count(*) FROM progress_current pc WHERE pc.project_id = n.project_id" \
	" AND pc.month >= date_trunc('year', n.month) AND pc.month < n.month) = extract(month FROM n.month) - 1"

/* a row with both figures: its year-to-date is the earlier months' plus its own */
static const char sum_bad_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), trim_scale(n.ytd), trim_scale(e.sum),"
	" trim_scale(n.amount), trim_scale(e.sum + n.amount), trim_scale(n.ytd - e.sum - n.amount),"
	" n.project_id, n.month, n.progress_id "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id"
	" CROSS JOIN LATERAL (SELECT " PRIOR_SQL("n") " AS sum) e "
	"WHERE t.sum_check AND " EARLIER_COMPLETE_SQL " AND n.ytd <> e.sum + n.amount ORDER BY n.source_line";

/* and those that cannot be checked, for one warning */
static const char sum_unchecked_sql[] =
	"SELECT count(*) FROM " TOUCHED_SQL " WHERE t.sum_check AND NOT " EARLIER_COMPLETE_SQL;

/*
 * A correction (or a month filled in) that takes a later month given as a year-to-date below
 * the earlier months', that later month's derived figure negative: refused without a reason,
 * naming the first such month.  A later month reported with both figures counts too (its
 * amount is not derived, but its year-to-date would no longer add up), as do the months given
 * as a year-to-date before 0007, which were stored with both.
 */
static const char later_negative_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), to_char(x.month, 'YYYY-MM'), trim_scale(x.reported_ytd),"
	" trim_scale(x.derived), n.project_id, n.month, n.progress_id "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id CROSS JOIN LATERAL"
	" (SELECT l.month, l.reported_ytd, l.reported_ytd - " PRIOR_SQL("l") " AS derived FROM progress_current l"
	"  WHERE l.project_id = n.project_id AND l.month > n.month AND l.month < date_trunc('year', n.month) + interval '1 year'"
	"  AND l.reported_ytd IS NOT NULL AND l.adjustment_reason IS NULL " KEEP_LATERAL ") x "
	"WHERE n.adjustment_reason IS NULL AND x.derived < 0 ORDER BY n.source_line, x.month";

/* a row of alias counts unless its batch was reverted (progress_current's rule, 0005) */
#define COUNTS_SQL(alias) \
	"NOT EXISTS (SELECT 1 FROM import_batch rb WHERE rb.batch_id = " alias ".batch_id AND rb.reverted_at IS NOT NULL)"

/* the version a new row follows, when there is one: the month's current figure before it */
#define PREVIOUS_SQL \
	"(SELECT o.* FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month" \
	" AND o.version < n.version AND " COUNTS_SQL("o") " ORDER BY o.version DESC LIMIT 1)"

/* a re-sent month identical to its current figure changes nothing: drop it */
static const char unchanged_sql[] =
	"DELETE FROM progress n USING import_touched t WHERE n.project_id = t.project_id AND n.month = t.month"
	" AND n.batch_id = " BATCH_SQL " AND EXISTS (SELECT 1 FROM " PREVIOUS_SQL " o WHERE " FIGURES("o") " IS NOT DISTINCT FROM " FIGURES("n") ")";

/*
 * An older file imported again: a correction whose figures (all of them, as the unchanged test
 * compares) are those of an earlier version of its month than the current one, which a later
 * batch or change then replaced.  A value never seen before is a genuine correction.
 */
static const char replays_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), coalesce(n.amount, n.ytd), coalesce(o.amount, o.ytd), o.batch_id,"
	" coalesce(o.reported_by, b.db_user), to_char(coalesce(o.reported_at, b.started_at), 'YYYY-MM-DD') "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id "
	"CROSS JOIN LATERAL " PREVIOUS_SQL " o LEFT JOIN import_batch b ON b.batch_id = o.batch_id "
	"WHERE EXISTS (SELECT 1 FROM progress e WHERE e.project_id = n.project_id AND e.month = n.month"
	" AND e.version < o.version AND " FIGURES("e") " IS NOT DISTINCT FROM " FIGURES("n") ") ORDER BY n.source_line";

/* a figure of alias as reported, for a list: the month's amount, or "ytd" and the year-to-date */
#define REPORTED_SQL(alias) \
	"coalesce(trim_scale(" alias ".amount)::text, 'ytd ' || trim_scale(" alias ".ytd))"

/* a dry run's list (kpr_import_list_changes()): the months written for the first time, a month
 * given as a year-to-date with its amount as derived */
static const char new_months_sql[] =
	"SELECT n.source_line, p.code || ', ' || to_char(n.month, 'YYYY-MM') || ': ' || CASE WHEN n.amount IS NULL"
	" THEN trim_scale(c.amount) || ' (' || " REPORTED_SQL("n") " || ')' ELSE trim_scale(n.amount)::text END "
	"FROM progress n JOIN project p USING (project_id)"
	" LEFT JOIN LATERAL (SELECT c.amount FROM progress_current c WHERE n.amount IS NULL"
	"  AND c.project_id = n.project_id AND c.month = n.month " KEEP_LATERAL ") c ON true "
	"WHERE n.batch_id = " BATCH_SQL " AND NOT EXISTS"
	" (SELECT 1 FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month"
	" AND o.version < n.version AND " COUNTS_SQL("o") ") ORDER BY n.source_line";

/* and the corrections, old figure to new */
static const char correction_list_sql[] =
	"SELECT n.source_line, p.code || ', ' || to_char(n.month, 'YYYY-MM') || ': ' || " REPORTED_SQL("o")
	" || ' → ' || " REPORTED_SQL("n") " "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id CROSS JOIN LATERAL " PREVIOUS_SQL " o "
	"ORDER BY n.source_line";

static const char corrections_sql[] =
	"SELECT count(*) FROM " TOUCHED_SQL " WHERE EXISTS "
	"(SELECT 1 FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month AND o.version < n.version"
	" AND " COUNTS_SQL("o") ")";

/* the first reported start date becomes the project's, audited by the batch */
static const char actual_start_sql[] =
	"WITH s AS (SELECT n.project_id, min(n.actual_start) AS d FROM " TOUCHED_SQL
	" WHERE n.actual_start IS NOT NULL GROUP BY n.project_id),"
	" old AS (SELECT p.* FROM project p JOIN s USING (project_id) WHERE p.actual_start IS NULL),"
	" upd AS (UPDATE project p SET actual_start = s.d, updated_at = now() FROM s, old"
	"  WHERE p.project_id = s.project_id AND old.project_id = p.project_id RETURNING p.*) "
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project', 'UPDATE', to_jsonb(old), to_jsonb(upd), " BATCH_SQL " FROM upd JOIN old USING (project_id)";

/*
 * The first reported completion date becomes the project's, audited by the batch, and the
 * project moves to the pool marked completed (竣工库) as a posting by hand does (project_moved,
 * migrations 0009 and 0013: the move is the batch's).  The rows as they were are kept first, so
 * that the audit's old row has the pool before the move and its new row the pool after it: a
 * revert puts both back.
 */
static const char completed_old_sql[] =
	"CREATE TEMP TABLE import_completed ON COMMIT DROP AS SELECT p.*, s.d AS completed_d FROM project p"
	" JOIN (SELECT n.project_id, min(n.completed_on) AS d FROM " TOUCHED_SQL " WHERE n.completed_on IS NOT NULL"
	" GROUP BY n.project_id) s USING (project_id) WHERE p.completed_on IS NULL";
static const char completed_pool_sql[] =
	"SELECT project_moved(p, 'completed', c.completed_d) FROM project p JOIN import_completed c USING (project_id)";
static const char completed_sql[] =
	"WITH upd AS (UPDATE project p SET completed_on = c.completed_d, updated_at = now() FROM import_completed c"
	"  WHERE p.project_id = c.project_id RETURNING p.*) "
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project', 'UPDATE', to_jsonb(c) - 'completed_d', to_jsonb(upd), " BATCH_SQL
	" FROM upd JOIN import_completed c USING (project_id)";

/* A row for COPY progress: the amount \N when the row gave only the year-to-date. */
static void copy_progress_row(struct kpr_strbuf *sb, const struct kpr_progress_row *r, int64_t project_id,
			      const char *batch, bool version, bool candidate)
{
	char date[11];
	kpr_strbuf_add_int(sb, project_id);
	kpr_strbuf_addch(sb, '\t');
	kpr_strbuf_add(sb, kpr_month_date(r->month, date), 10);
	kpr_strbuf_addch(sb, '\t');
	kpr_spool_add_money(sb, r->amount, r->has_amount, '\t');
	kpr_spool_add_money(sb, r->ytd, r->has_ytd, '\t');
	kpr_spool_add_text(sb, r->progress);
	kpr_spool_add_text(sb, r->problems);
	kpr_spool_add_text(sb, r->started[0] ? r->started : NULL);
	kpr_spool_add_text(sb, r->completed[0] ? r->completed : NULL);
	kpr_spool_add_text(sb, r->adjustment_reason);
	kpr_strbuf_copy_field(sb, batch, '\t');
	kpr_strbuf_add(sb, "\\N\t\\N\t", 6);	/* reported_by, reported_at: the batch's */
	kpr_strbuf_add_int(sb, r->line);
	if (version)	/* 1 for a month the project has not reported, else numbered after the COPY */
		kpr_strbuf_add(sb, candidate ? "\t0" : "\t1", 2);
	kpr_strbuf_addch(sb, '\n');
}

/* Report rows a set-based check found, by line; in skip mode delete them (last columns: project,
 * month, row). */
static int report_rows(struct kpr_import *im, PGresult *res, const char *column, const char *fmt_kind)
{
	int rc = KPR_OK;
	for (int i = 0; i < PQntuples(res); i++) {
		kpr_strbuf_reset(&im->row_errors);
		char msg[512];
		if (strcmp(fmt_kind, "sum") == 0)
			snprintf(msg, sizeof(msg), _("project %s, %s: the year-to-date %s 万元 is not the earlier months' %s + "
						     "this month's %s = %s 万元 (off by %s)"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
				 PQgetvalue(res, i, 5), PQgetvalue(res, i, 6), PQgetvalue(res, i, 7));
		else if (strcmp(fmt_kind, "later") == 0)
			snprintf(msg, sizeof(msg), _("project %s, %s: the correction would make %s, reported as the year-to-date "
						     "%s 万元, negative (%s 万元); it needs an adjustment reason"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
				 PQgetvalue(res, i, 5));
		else if (strcmp(fmt_kind, "ytd") == 0)
			snprintf(msg, sizeof(msg), _("project %s, %s: the year-to-date %s 万元 is below the %s 万元 "
						     "already reported this year; a downward adjustment needs a reason"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
		else
			snprintf(msg, sizeof(msg), _("project %s, %s: the adjustment takes the year-to-date below zero (%s 万元)"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		kpr_import_problem(im, atol(PQgetvalue(res, i, 0)), column, msg);
		im->result->rejected++;
		if (im->opts->skip_errors) {
			int n = PQnfields(res);	/* the last three: project, month, row */
			const char *params[] = { PQgetvalue(res, i, n - 3), PQgetvalue(res, i, n - 2), PQgetvalue(res, i, n - 1) };
			if ((rc = kpr_db_exec(im->conn, "DELETE FROM progress WHERE project_id = $1 AND month = $2 "
					      "AND progress_id = $3", 3, params, NULL)) != KPR_OK)
				break;
		}
	}
	return rc;
}

static long exec_count(struct kpr_import *im, const char *sql, bool command, int *rc)
{
	PGresult *res;
	long v = 0;
	if ((*rc = kpr_db_exec(im->conn, sql, 0, NULL, &res)) != KPR_OK)
		return 0;
	v = command ? atol(PQcmdTuples(res)) : atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* The rows of a progress file, estimated from its size before reading it: a row without text
 * takes about 50 bytes. */
#define PROGRESS_ROW_BYTES 48

/* The rows a set-based check finds rejected (report_rows), and no longer counted as written. */
static int reject_rows(struct kpr_import *im, const char *sql, enum kpr_col col, const char *kind, long *inserted)
{
	PGresult *res;
	long before = im->result->rejected;
	int rc = kpr_db_exec(im->conn, sql, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	rc = report_rows(im, res, kpr_column_label(&im->header, col), kind);
	PQclear(res);
	*inserted -= im->result->rejected - before;
	return rc;
}

/* Months given as a year-to-date below the earlier months' (ytd_bad_sql).  In skip mode a
 * rejected month is deleted, which can put a later one below the month before it: so again,
 * until none is found. */
static int reject_ytd_rows(struct kpr_import *im, long *inserted)
{
	long before;
	int rc;
	do {
		before = im->result->rejected;
		rc = reject_rows(im, ytd_bad_sql, KPR_COL_YTD, "ytd", inserted);
	} while (rc == KPR_OK && im->opts->skip_errors && im->result->rejected > before);
	return rc;
}

/* What a progress import keeps while the file streams. */
struct progress_load {
	struct kpr_codemap projects;	/* the registry's codes, with the latest month of each */
	struct kpr_codemap overflow;	/* months seen in this file beyond an entry's own bits */
	struct kpr_spool sent;		/* the rows: streamed into progress */
	struct kpr_spool touched;	/* (project, month) of sent rows that need a second look */
	long ytd_only;			/* rows given as a year-to-date alone */
	long negatives;			/* rows with a downward adjustment */
	long both;			/* rows with the month's amount and the year-to-date */
	long candidates;		/* rows for a month the registry has: possibly a correction */
	long started;			/* rows with a start date */
	long completed;			/* rows with a completion date */
	long unlisted;			/* rows let through by --allow-unlisted */
	bool versions;			/* the import numbers its rows' versions (the city's) */
	int closed;			/* the latest month closed (kpr period), or -1: the city's rows
					   up to it need a reason (an office's the database refuses) */
	char batch[32];
	struct kpr_codemap mine;	/* an office's import: the projects it may write */
	struct kpr_spool foreign;	/* an office's import: rows of other projects (line, code) */
};

/*
 * Before the first row: the registry's codes, today's month (later months are in the future),
 * the batch, the foreign key set aside for a large file, and the COPY into progress open.
 */
static int begin_progress(struct kpr_import *im, struct progress_load *pg)
{
	int rc;
	char buf[8];
	/* The city's import is the one writer of progress while it runs: the versions it gives its
	 * rows follow the last committed, and kpr update waits for it.  An office, which may
	 * neither lock the table nor give a version, has its rows numbered one by one by the
	 * database (trigger progress_post, migration 0009). */
	if ((rc = kpr_import_query_text(im, "SELECT kpr.is_city()", 0, NULL, buf, sizeof(buf))) != KPR_OK)
		return rc;
	pg->versions = strcmp(buf, "t") == 0;
	if ((rc = kpr_import_query_text(im, "SELECT coalesce((SELECT to_char(month, 'YYYY-MM') FROM closed_month()), '')",
					0, NULL, buf, sizeof(buf))) != KPR_OK)
		return rc;
	pg->closed = -1;
	if (buf[0] && kpr_month_parse(buf, &pg->closed) != KPR_OK)
		pg->closed = -1;
	if ((pg->versions &&
	     (rc = kpr_db_exec(im->conn, "LOCK TABLE progress IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK) ||
	    (rc = kpr_import_load_codes(im, &pg->projects, true)) != KPR_OK)
		return rc;
	if (kpr_month_today(im->refdata.timezone, &im->validator.today) != KPR_OK)
		return kpr_fail(KPR_EUSAGE, _("KPR_TODAY is not a date like 2023-10-15: '%s'"), getenv("KPR_TODAY"));
	/* the batch goes first: its rows are copied straight into progress, tagged with it */
	char copy[512];
	if ((rc = kpr_import_office_begin(im, &pg->mine, PROGRESS_COPY_COLUMNS)) != KPR_OK ||
	    (rc = kpr_import_start_batch(im, "progress")) != KPR_OK ||
	    (rc = kpr_import_set_aside(im, "progress", "{progress}", false,
				       (long)(kpr_reader_size(im->reader) / PROGRESS_ROW_BYTES))) != KPR_OK)
		return rc;
	snprintf(copy, sizeof(copy), pg->versions ? "COPY %s (" PROGRESS_COPY_COLUMNS ", version) FROM STDIN"
						  : "COPY %s (" PROGRESS_COPY_COLUMNS ") FROM STDIN",
		 kpr_import_office_copy_table(im, "progress"));
	if ((rc = kpr_import_stream(im, copy, &pg->sent)) != KPR_OK)
		return rc;
	snprintf(pg->batch, sizeof(pg->batch), "%ld", im->result->batch_id);
	return KPR_OK;
}

/* A valid row: copied into progress, and noted when it needs a second look. */
static int send_progress(struct progress_load *pg, const struct kpr_progress_row *row, const struct kpr_code_entry *e)
{
	char date[11];
	bool candidate = row->month <= e->last_month;
	bool negative = row->has_amount && row->amount < 0;
	bool start = row->started[0] != '\0' || row->completed[0] != '\0';
	bool both = row->has_amount && row->has_ytd;
	bool ytd_only = !row->has_amount;
	pg->candidates += candidate;
	pg->both += both;
	pg->negatives += negative;
	pg->started += row->started[0] != '\0';
	pg->completed += row->completed[0] != '\0';
	pg->ytd_only += ytd_only;
	copy_progress_row(kpr_spool_row(&pg->sent), row, e->id, pg->batch, pg->versions, candidate);
	int rc = kpr_spool_flush(&pg->sent, false);
	if (rc != KPR_OK || !(candidate || negative || start || both || ytd_only))
		return rc;
	struct kpr_strbuf *sb = kpr_spool_row(&pg->touched);
	kpr_strbuf_add_int(sb, e->id);
	kpr_strbuf_addch(sb, '\t');
	kpr_strbuf_copy_field(sb, kpr_month_date(row->month, date), '\t');
	kpr_strbuf_add(sb, both ? "t\n" : "f\n", 2);
	return kpr_spool_flush(&pg->touched, false);
}

/*
 * A month of a project not on that year's list, or before its start year: a problem of the
 * row (1), or with --allow-unlisted counted for one warning (0).
 */
static int unlisted(struct kpr_import *im, struct progress_load *pg, const struct kpr_code_entry *e,
		    const struct kpr_progress_row *row, long line)
{
	int year = kpr_month_year(row->month);
	bool listed = kpr_code_entry_listed(e, year);
	if (listed && (!e->start_year || year >= e->start_year))
		return 0;
	if (im->opts->allow_unlisted) {
		pg->unlisted++;
		return 0;
	}
	char m[8];
	const char *column = kpr_column_label(&im->header, KPR_COL_MONTH);
	if (!listed)
		kpr_validator_report(&im->validator, line, column, _("project %s is not on the %d list"), row->code, year);
	else
		kpr_validator_report(&im->validator, line, column, _("project %s, %s: before its start year %d"),
				     row->code, kpr_month_format(row->month, m), e->start_year);
	return 1;
}

/* One record of the file: checked, its project known and its month not already in the file;
 * then sent, or rejected. */
/* A row of a form that says nothing: a code and a month, every cell an office fills left empty
 * (kpr export template's rows for the projects an office has no report for).  Not a month. */
static bool unreported(const struct kpr_import *im, const struct kpr_record *rec)
{
	static const enum kpr_col filled[] = { KPR_COL_AMOUNT, KPR_COL_YTD, KPR_COL_PROGRESS, KPR_COL_PROBLEMS,
					       KPR_COL_STARTED, KPR_COL_COMPLETED_ON, KPR_COL_ADJUSTMENT_REASON };
	const char *month = kpr_field(&im->header, rec, KPR_COL_MONTH);
	int m;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(filled); i++)
		if (kpr_field(&im->header, rec, filled[i]))
			return false;
	/* a code and a month as the form has them: anything else is checked as a row */
	return kpr_field(&im->header, rec, KPR_COL_CODE) && month && kpr_month_parse(month, &m) == KPR_OK;
}

static int progress_row(struct kpr_import *im, const struct kpr_record *rec, void *arg)
{
	struct progress_load *pg = arg;
	struct kpr_progress_row row;
	if (unreported(im, rec)) {
		im->result->rows--;
		im->result->unreported++;
		return KPR_OK;
	}
	int problems = kpr_progress_validate(&im->validator, rec, &row);
	const char *exported = kpr_import_form_code(im, rec->line);
	if (exported && row.code && strcmp(exported, row.code) != 0) {
		kpr_validator_report(&im->validator, rec->line, kpr_column_label(&im->header, KPR_COL_CODE),
				     _("the form was exported with %s in this row, not %s: a code is not edited on the "
				       "form (export a new one)"), exported, row.code);
		problems++;
	}
	struct kpr_code_entry *e = row.code ? kpr_codemap_find(&pg->projects, row.code) : NULL;
	if (row.code && !e) {
		kpr_validator_report(&im->validator, rec->line, kpr_column_label(&im->header, KPR_COL_CODE),
				     _("unknown project code '%s'"), row.code);
		problems++;
	} else if (e && !problems && !kpr_code_entry_see(e, row.month, &pg->overflow)) {
		char m[8];
		kpr_validator_report(&im->validator, rec->line, kpr_column_label(&im->header, KPR_COL_MONTH),
				     _("a second row for project %s, month %s, in this file"), row.code,
				     kpr_month_format(row.month, m));
		problems++;
	} else if (e && !problems) {
		problems += unlisted(im, pg, e, &row, rec->line);
		if (!problems && row.month <= pg->closed && !row.adjustment_reason) {
			char m[8], c[8];
			kpr_validator_report(&im->validator, rec->line, kpr_column_label(&im->header, KPR_COL_MONTH),
					     _("project %s, %s: months up to %s are closed: a change needs a reason (调整原因)"),
					     row.code, kpr_month_format(row.month, m), kpr_month_format(pg->closed, c));
			problems++;
		}
	}
	if (problems)
		return kpr_import_reject_row(im, rec);
	kpr_layout_add(&im->layout, KPR_LAYOUT_AMOUNT, row.has_amount ? row.amount : 0);
	kpr_layout_add(&im->layout, KPR_LAYOUT_YTD, row.has_ytd ? row.ytd : 0);
	if (kpr_import_office_refuses(im, &pg->mine, &pg->foreign, row.code, rec->line))
		return KPR_OK;
	return im->stop_sending ? KPR_OK : send_progress(pg, &row, e);
}

/*
 * After the stream, the checks that need the registry: the rows noted for a second look
 * loaded; months given as a year-to-date below the earlier months', and downward adjustments
 * that would take a year below zero, rejected without a reason.  *inserted: the months written.  KPR_EINPUT when a row was
 * rejected and the import is all-or-nothing.
 */
static int check_progress(struct kpr_import *im, struct progress_load *pg, long *inserted)
{
	int rc;
	*inserted = pg->sent.rows;
	if (pg->touched.rows &&
	    (rc = kpr_spool_load_temp(im->conn, touched_stage_sql, "COPY import_touched FROM STDIN",
				      &pg->touched)) != KPR_OK)
		return rc;
	if (pg->versions && pg->candidates && (rc = kpr_db_exec(im->conn, number_versions_sql, 0, NULL, NULL)) != KPR_OK)
		return rc;
	if (pg->ytd_only && (rc = reject_ytd_rows(im, inserted)) != KPR_OK)
		return rc;
	if (pg->negatives && (rc = reject_rows(im, negative_ytd_sql, KPR_COL_AMOUNT, "negative", inserted)) != KPR_OK)
		return rc;
	if (pg->candidates && (rc = reject_rows(im, later_negative_sql, im->header.index[KPR_COL_AMOUNT] >= 0 ?
					KPR_COL_AMOUNT : KPR_COL_YTD, "later", inserted)) != KPR_OK)
		return rc;
	if (pg->both) {
		if ((rc = reject_rows(im, sum_bad_sql, KPR_COL_YTD, "sum", inserted)) != KPR_OK)
			return rc;
		long unchecked = exec_count(im, sum_unchecked_sql, false, &rc);
		if (rc != KPR_OK)
			return rc;
		if (unchecked)
			kpr_log_warning(P_("%s: %ld row with a year-to-date that cannot be checked: not all the earlier "
					   "months of the year are reported",
					   "%s: %ld rows with a year-to-date that cannot be checked: not all the earlier "
					   "months of the year are reported", unchecked), im->name, unchecked);
	}
	return im->result->rejected && !im->opts->skip_errors ? KPR_EINPUT : KPR_OK;
}

/* The file is read: the COPY ended; an office's rows, when none is another's project, into
 * progress (a file with any is refused whole, KPR_EPERM, even when other rows were bad). */
static int end_stream(struct kpr_import *im, struct progress_load *pg)
{
	int rc = kpr_import_end_stream(im);
	if (rc != KPR_OK && !(rc == KPR_EINPUT && pg->foreign.rows))
		return rc;
	int office_rc = kpr_import_office_insert(im, &pg->foreign, "progress", PROGRESS_COPY_COLUMNS);
	return office_rc != KPR_OK ? office_rc : rc;
}

/* Once, the rows --allow-unlisted let through. */
static int warn_unlisted(struct kpr_import *im, struct progress_load *pg)
{
	if (pg->unlisted)
		kpr_log_warning(P_("%s: %ld row for a project not on its year's list or before its start year, "
				   "accepted (--allow-unlisted)",
				   "%s: %ld rows for projects not on their year's list or before their start year, "
				   "accepted (--allow-unlisted)", pg->unlisted), im->name, pg->unlisted);
	return KPR_OK;
}

/* Re-sent months that change nothing dropped, corrections counted, start dates recorded, the
 * batch finished; then commit (or not). */
static int finish_progress(struct kpr_import *im, struct progress_load *pg, long inserted)
{
	int rc = KPR_OK;
	struct kpr_import_result *result = im->result;
	if (pg->candidates) {
		result->unchanged = exec_count(im, unchanged_sql, true, &rc);
		if (rc == KPR_OK)
			rc = kpr_import_refuse_replays(im, replays_sql, kpr_column_label(&im->header,
				im->header.index[KPR_COL_AMOUNT] >= 0 ? KPR_COL_AMOUNT : KPR_COL_YTD));
		if (rc == KPR_OK)
			result->updated = exec_count(im, corrections_sql, false, &rc);
		if (rc != KPR_OK)
			return rc;
		inserted -= result->unchanged;
	}
	result->inserted = inserted - result->updated;
	if (im->opts->list_changes &&
	    ((rc = kpr_import_list_changes(im, _("new months"), new_months_sql)) != KPR_OK ||
	     (result->updated && (rc = kpr_import_list_changes(im, _("corrections"), correction_list_sql)) != KPR_OK)))
		return rc;
	if (pg->started && inserted && im->office)
		kpr_log_warning(_("%s: start dates are kept on the progress rows; an office's import does not set the "
				  "projects' start"), im->name);
	else if (pg->started && inserted && (rc = kpr_db_exec(im->conn, actual_start_sql, 0, NULL, NULL)) != KPR_OK)
		return rc;
	if (pg->completed && inserted && im->office)
		kpr_log_warning(_("%s: completion dates are kept on the progress rows; an office's import does not set "
				  "the projects' completion"), im->name);
	else if (pg->completed && inserted &&
		 ((rc = kpr_db_exec(im->conn, completed_old_sql, 0, NULL, NULL)) != KPR_OK ||
		  (rc = kpr_db_exec(im->conn, completed_pool_sql, 0, NULL, NULL)) != KPR_OK ||
		  (rc = kpr_db_exec(im->conn, completed_sql, 0, NULL, NULL)) != KPR_OK))
		return rc;
	if (inserted > 0 && (rc = kpr_import_finish_batch(im)) != KPR_OK)
		return rc;
	return kpr_import_conclude(im, inserted > 0);
}

int kpr_import_progress(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result)
{
	struct kpr_import im;
	const struct kpr_record *rec;
	struct progress_load pg = { .sent = KPR_SPOOL_INIT, .touched = KPR_SPOOL_INIT, .foreign = KPR_SPOOL_INIT };
	long inserted;
	int rc;

	kpr_codemap_init(&pg.projects);
	kpr_codemap_init(&pg.overflow);
	kpr_codemap_init(&pg.mine);
	if ((rc = kpr_import_open(&im, conn, path, KPR_IMPORT_PROGRESS, opts, result, &rec)) == KPR_OK && rec &&
	    (rc = kpr_import_begin(&im, 0)) == KPR_OK && (rc = begin_progress(&im, &pg)) == KPR_OK &&
	    (rc = kpr_import_each_row(&im, rec, progress_row, &pg)) == KPR_OK &&
	    (rc = end_stream(&im, &pg)) == KPR_OK && (rc = check_progress(&im, &pg, &inserted)) == KPR_OK &&
	    (rc = warn_unlisted(&im, &pg)) == KPR_OK &&
	    (rc = finish_progress(&im, &pg, inserted)) == KPR_OK && result->rejected)
		rc = KPR_EINPUT;
	kpr_spool_release(&pg.sent);
	kpr_spool_release(&pg.touched);
	kpr_codemap_release(&pg.projects);
	kpr_codemap_release(&pg.overflow);
	kpr_codemap_release(&pg.mine);
	kpr_spool_release(&pg.foreign);
	return kpr_import_close(&im, rc);
}
