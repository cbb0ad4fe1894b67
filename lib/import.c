/* import.c: streaming, validating, copying and merging imports; see import.h. */
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "columns.h"
#include "db.h"
#include "diag.h"
#include "fields.h"
#include "fold.h"
#include "log.h"
#include "month.h"
#include "refdata.h"
#include "spool.h"
#include "rejects.h"
#include "strbuf.h"
#include "validate.h"

#define PROGRESS_EVERY 8192
#define HEADER_SEARCH 20	/* records to look through for the header row */

/* What both kinds of import share while a file streams through. */
struct import {
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
	struct kpr_strbuf copy;		/* COPY data not yet sent */
	bool copying;
	bool stop_sending;		/* abort mode after a problem: validate on, send nothing */
	int title_year;
	enum kpr_unit file_unit;	/* from a units row */
	struct kpr_set_aside set_aside;	/* for a large load, put back before the commit (bulk.h) */
};

static void on_problem(void *arg, long line, const char *column, const char *message)
{
	struct import *im = arg;
	if (im->result->problems < im->opts->max_errors)
		kpr_diag(im->name, line, column, "%s", message);
	else if (im->result->problems == im->opts->max_errors)
		kpr_log_error(_("too many problems; not reporting more than %ld"), im->opts->max_errors);
	im->result->problems++;
	if (im->row_errors.len)
		kpr_strbuf_adds(&im->row_errors, "; ");
	if (column)
		kpr_strbuf_addf(&im->row_errors, "%s: ", column);
	kpr_strbuf_adds(&im->row_errors, message);
}

static void report_progress(struct import *im, bool done)
{
	if (im->opts->progress)
		im->opts->progress(im->opts->progress_arg, (uint64_t)im->result->rows, kpr_reader_offset(im->reader),
				   kpr_reader_size(im->reader), done);
}

static int flush_copy(struct import *im, bool force)
{
	int rc = KPR_OK;
	if (im->copy.len && (force || im->copy.len >= KPR_SPOOL_CHUNK)) {
		rc = kpr_db_copy_put(im->conn, im->copy.buf, im->copy.len);
		kpr_strbuf_reset(&im->copy);
	}
	return rc;
}

/* A row with problems: counted, and written to the rejects file when there is one. */
static int reject_row(struct import *im, const struct kpr_record *rec)
{
	im->result->rejected++;
	if (!im->opts->skip_errors)
		im->stop_sending = true;
	if (im->rejects)
		return kpr_rejects_write(im->rejects, rec, im->row_errors.buf ? im->row_errors.buf : "");
	return KPR_OK;
}

static int title_year(const struct kpr_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *s = rec->fields[i];
		if (s && strlen(s) > 4 + strlen("年") && strspn(s, "0123456789") == 4 &&
		    strncmp(s + 4, "年", strlen("年")) == 0)
			return atoi(s);
	}
	return 0;
}

static const enum kpr_col project_required[] = { KPR_COL_CODE, KPR_COL_NAME, KPR_COL_REGION };
static const enum kpr_col progress_required[] = { KPR_COL_CODE, KPR_COL_MONTH };

/* After the header: every required column present?  Unknown columns named in a warning. */
static int check_header(struct import *im, long line)
{
	struct kpr_header *h = &im->header;
	int rc = KPR_OK;
	const enum kpr_col *req = im->kind == KPR_IMPORT_PROJECTS ? project_required : progress_required;
	size_t nreq = im->kind == KPR_IMPORT_PROJECTS ? KPR_ARRAY_SIZE(project_required) : KPR_ARRAY_SIZE(progress_required);
	for (size_t i = 0; i < nreq; i++) {
		if (h->index[req[i]] < 0) {
			kpr_diag(im->name, line, kpr_column_canonical(req[i]), _("missing required column '%s'"),
				 kpr_column_canonical(req[i]));
			rc = KPR_EINPUT;
		}
	}
	if (im->kind == KPR_IMPORT_PROGRESS && h->index[KPR_COL_AMOUNT] < 0 && h->index[KPR_COL_YTD] < 0) {
		kpr_diag(im->name, line, "amount", _("missing required column: the month's amount (本月完成投资) or the "
						     "year-to-date (累计完成投资)"));
		rc = KPR_EINPUT;
	}
	if (im->kind == KPR_IMPORT_PROJECTS && h->index[KPR_COL_YEARS] >= 0 &&
	    (h->index[KPR_COL_START_YEAR] >= 0 || h->index[KPR_COL_END_YEAR] >= 0))
		kpr_log_warning(_("%s: both a year range and start/end year columns; using the range"), im->name);

	struct kpr_strbuf unknown = KPR_STRBUF_INIT;
	for (size_t i = 0; i < h->nfields; i++) {
		enum kpr_unit u;
		int y;
		if (!h->names[i] || kpr_blank(h->names[i]))
			continue;
		if (kpr_column_lookup(h->names[i], im->kind, im->colmap, &u, &y) == KPR_COL_UNKNOWN)
			kpr_strbuf_addf(&unknown, "%s'%s'", unknown.len ? ", " : "", h->names[i]);
	}
	if (unknown.len)
		kpr_log_warning(_("%s:%ld: ignoring unknown column(s) %s"), im->name, line, unknown.buf);
	kpr_strbuf_release(&unknown);
	return rc;
}

/*
 * Read up to the first data record: skip blank, title and units rows, take the header.
 * *rec is the first data record (NULL at end of file).  YAML has no header row.
 */
static int find_header(struct import *im, const struct kpr_record **first)
{
	const struct kpr_record *rec;
	int rc;
	*first = NULL;
	if (kpr_reader_format(im->reader) == KPR_FORMAT_YAML) {
		if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
			return rc;
		if (rec) {
			kpr_header_from_keys(&im->header, rec);
			/* keep the names for messages and the unknown-column check */
			struct kpr_record names = *rec;
			names.fields = rec->keys;
			if (!kpr_header_try(&im->header, &names))
				kpr_header_from_keys(&im->header, rec);
			if ((rc = check_header(im, rec->line)) != KPR_OK)
				return rc;
		}
		*first = rec;
		return KPR_OK;
	}
	for (int n = 0; n < HEADER_SEARCH; n++) {
		if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
			return rc;
		if (!rec)
			break;
		if (kpr_record_blank(rec))
			continue;
		if (kpr_header_try(&im->header, rec)) {
			if ((rc = check_header(im, rec->line)) != KPR_OK)
				return rc;
			/* a units row may follow the header */
			do {
				if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
					return rc;
			} while (rec && (kpr_record_blank(rec) || kpr_title_row(rec, &im->file_unit)));
			*first = rec;
			return KPR_OK;
		}
		if (kpr_title_row(rec, &im->file_unit)) {
			if (!im->title_year)
				im->title_year = title_year(rec);
			continue;
		}
		kpr_diag(im->name, rec->line, NULL,
			 im->kind == KPR_IMPORT_PROJECTS
				 ? _("no header row: expected column names such as 项目代码, 项目名称, 县(市、区) (or code, name, region)")
				 : _("no header row: expected column names such as 项目代码, 月份, 本月完成投资 (or code, month, amount)"));
		return KPR_EINPUT;
	}
	kpr_diag(im->name, rec ? rec->line : 1, NULL, _("no header row found"));
	return KPR_EINPUT;
}

static int import_open(struct import *im, PGconn *conn, const char *path, enum kpr_import_kind kind,
		       const struct kpr_import_options *opts, struct kpr_import_result *result)
{
	int rc;
	memset(im, 0, sizeof(*im));
	memset(result, 0, sizeof(*result));
	im->conn = conn;
	im->path = path;
	im->kind = kind;
	im->opts = opts;
	im->result = result;
	kpr_header_init(&im->header, kind, NULL);
	kpr_refdata_init(&im->refdata, 0);
	if (opts->columns && (rc = kpr_colmap_load(&im->colmap, opts->columns)) != KPR_OK)
		return rc;
	kpr_header_init(&im->header, kind, im->colmap);

	static enum kpr_import_kind kinds[2] = { KPR_IMPORT_PROJECTS, KPR_IMPORT_PROGRESS };
	struct kpr_reader_options ro = { opts->format, opts->encoding, kpr_header_looks_like, &kinds[kind] };
	if ((rc = kpr_reader_open(&im->reader, path, &ro)) != KPR_OK)
		return rc;
	im->name = kpr_reader_name(im->reader);
	return KPR_OK;
}

static int import_open_rejects(struct import *im)
{
	if (!im->opts->rejects)
		return KPR_OK;
	struct kpr_record header = { 0, im->header.nfields, im->header.names, NULL };
	return kpr_rejects_open(&im->rejects, im->opts->rejects, kpr_reader_format(im->reader),
				kpr_reader_format(im->reader) == KPR_FORMAT_CSV ? &header : NULL);
}

static int import_close(struct import *im, int rc)
{
	if (im->copying) {
		if (kpr_db_copy_end(im->conn, "import abandoned", NULL) != KPR_OK)
			kpr_log_debug("COPY abandoned");
		im->copying = false;
	}
	if (rc != KPR_OK || !im->result->committed)
		kpr_db_rollback(im->conn);
	kpr_bulk_release(&im->set_aside);
	if (im->rejects) {
		int rrc = kpr_rejects_close(im->rejects);
		if (rc == KPR_OK)
			rc = rrc;
	}
	if (im->reader)
		kpr_reader_free(im->reader);
	kpr_header_release(&im->header);
	kpr_colmap_free(im->colmap);
	kpr_refdata_release(&im->refdata);
	kpr_strbuf_release(&im->row_errors);
	kpr_strbuf_release(&im->copy);
	return rc;
}

/*
 * The import's transaction.  JIT off: the merge statements' estimates pass jit_above_cost on
 * large lists, and compiling them took longer (0.45 s measured) than running them.  work_mem
 * at least 64 MB: with the default 4 MB, comparing 200,000 known projects with the registry
 * spilled its hashes and sorts to disk (1.6 s; 1.25 s in memory).
 */
static int import_begin(struct import *im)
{
	int rc = kpr_db_begin(im->conn);
	if (rc == KPR_OK)
		rc = kpr_db_exec(im->conn, "SET LOCAL jit = off", 0, NULL, NULL);
	if (rc == KPR_OK)
		rc = kpr_db_exec(im->conn, "SELECT set_config('work_mem', '64MB', true) "
				 "WHERE pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024", 0, NULL, NULL);
	return rc;
}

/* The next data record, skipping blank rows; counts rows and reports progress. */
static int next_row(struct import *im, const struct kpr_record **rec)
{
	int rc;
	do {
		if ((rc = kpr_reader_next(im->reader, rec)) != KPR_OK)
			return rc;
	} while (*rec && kpr_record_blank(*rec));
	if (*rec) {
		if (kpr_reader_format(im->reader) == KPR_FORMAT_YAML)
			kpr_header_from_keys(&im->header, *rec);
		if (++im->result->rows % PROGRESS_EVERY == 0)
			report_progress(im, false);
	}
	kpr_strbuf_reset(&im->row_errors);
	return KPR_OK;
}

/*
 * The file is read: send the rest, end the COPY, and stop there (KPR_EINPUT) when rows were
 * rejected and the import is all-or-nothing.
 */
static int end_stream(struct import *im)
{
	int rc;
	report_progress(im, true);
	if ((rc = flush_copy(im, true)) != KPR_OK)
		return rc;
	im->copying = false;
	if ((rc = kpr_db_copy_end(im->conn, NULL, NULL)) != KPR_OK)
		return rc;
	return im->result->rejected && !im->opts->skip_errors ? KPR_EINPUT : KPR_OK;
}

static int exec_text(PGconn *conn, const char *sql, int n, const char *const *params, char *out, size_t size)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, sql, n, params, &res);
	if (rc == KPR_OK) {
		if (out)
			snprintf(out, size, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
		PQclear(res);
	}
	return rc;
}

/* The import's batch, before anything is written: rows are tagged with it (finish_batch() ends it). */
static int start_batch(struct import *im, const char *kind)
{
	char year[16], rows[32], rejected[32], id[32];
	snprintf(year, sizeof(year), "%d", im->result->year);
	snprintf(rows, sizeof(rows), "%ld", im->result->rows);
	snprintf(rejected, sizeof(rejected), "%ld", im->result->rejected);
	const char *params[] = { kind, im->name, im->result->year ? year : NULL, rows, rejected };
	int rc = exec_text(im->conn,
			   "INSERT INTO import_batch (kind, file_name, checksum, year, rows_read, rows_rejected) "
			   "VALUES ($1, $2, '', $3, $4, $5) RETURNING batch_id", 5, params, id, sizeof(id));
	if (rc != KPR_OK)
		return rc;
	im->result->batch_id = atol(id);
	const char *p2[] = { id, year };
	return kpr_db_exec(im->conn, "SELECT set_config('kpr.batch_id', $1, true), set_config('kpr.year', $2, true)",
			   2, p2, NULL);
}

/* The batch's counts, and the checksum of the file, now that it has been read. */
static int finish_batch(struct import *im)
{
	char v[6][32];
	const char *params[7];
	long values[] = { im->result->batch_id, im->result->rows, im->result->inserted, im->result->updated,
			  im->result->unchanged, im->result->rejected };
	for (int i = 0; i < 6; i++) {
		snprintf(v[i], sizeof(v[i]), "%ld", values[i]);
		params[i] = v[i];
	}
	params[6] = kpr_reader_checksum(im->reader);
	return kpr_db_exec(im->conn,
			   "UPDATE import_batch SET rows_read = $2, "
			   "rows_inserted = $3, rows_updated = $4, rows_unchanged = $5, rows_rejected = $6, "
			   "checksum = $7, finished_at = now() WHERE batch_id = $1",
			   7, params, NULL);
}

/*
 * Set the foreign keys of TABLES aside (and with indexes, their indexes) when adding ROWS
 * rows to TABLE is worth it (see bulk.h); never for a dry run, which locks nobody out.
 * conclude() puts them back.
 */
static int set_aside(struct import *im, const char *table, const char *tables, bool indexes, long rows)
{
	bool worth;
	int rc;
	if (im->opts->dry_run)
		return KPR_OK;
	if ((rc = kpr_bulk_worth(im->conn, im->opts->bulk, table, rows, &worth)) != KPR_OK || !worth)
		return rc;
	return kpr_bulk_set_aside(im->conn, tables, indexes, &im->set_aside);
}

/*
 * Commit, after putting back the foreign keys set aside; or roll back, for a dry run or when
 * nothing changed.  Sets result->committed.
 */
static int conclude(struct import *im, bool changed)
{
	int rc;
	if (!changed || im->opts->dry_run) {
		kpr_db_rollback(im->conn);
		if (!changed)
			im->result->batch_id = 0;
		return KPR_OK;
	}
	if ((rc = kpr_bulk_restore(im->conn, &im->set_aside)) != KPR_OK || (rc = kpr_db_commit(im->conn)) != KPR_OK)
		return rc;
	im->result->committed = true;
	return KPR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Project lists                                                                              */

/* One row of load_projects()'s COPY: code, id, latest month (\N when none or not asked for). */
static void load_project(void *arg, char *line, size_t n)
{
	struct kpr_codemap *map = arg;
	char *tab1 = memchr(line, '\t', n);
	char *tab2 = tab1 ? memchr(tab1 + 1, '\t', n - (size_t)(tab1 + 1 - line)) : NULL;
	if (!tab1 || !tab2)
		return;
	*tab1 = '\0';
	bool added;
	struct kpr_code_entry *e = kpr_codemap_insert(map, line, &added);
	e->id = atoll(tab1 + 1);
	int m;
	line[n - 1] = '\0';
	if (strcmp(tab2 + 1, "\\N") != 0 && kpr_month_parse(tab2 + 1, &m) == KPR_OK)
		e->last_month = m;
}

/*
 * Load every project's code and id into map, streaming (COPY TO); with months, also the
 * latest month with progress of each.
 */
static int load_projects(struct import *im, struct kpr_codemap *map, bool months)
{
	return kpr_db_copy_out(im->conn, months
			       ? "COPY (SELECT p.code, p.project_id, (SELECT to_char(max(pr.month), 'YYYY-MM')"
				 " FROM progress pr WHERE pr.project_id = p.project_id) FROM project p) TO STDOUT"
			       : "COPY (SELECT code, project_id, NULL FROM project) TO STDOUT",
			       load_project, map);
}

#define YEAR_SQL "current_setting('kpr.year')::int"
#define BATCH_SQL "current_setting('kpr.batch_id')::bigint"
#define CURRENT_SCENARIOS(pid) \
	"coalesce((SELECT array_agg(ps.scenario_id ORDER BY ps.scenario_id) FROM project_scenario ps " \
	"JOIN scenario sc USING (scenario_id) WHERE ps.project_id = " pid " AND sc.year = " YEAR_SQL "), '{}')"

/*
 * The statements that list the project's columns are templates: {{...}} stands for each of them
 * (kpr_fields_sql(), fields.h).
 */

/* A new project: copied straight into its table, its list entry (with the plan) and scenarios after. */
#define NEW_PROJECT_COPY "COPY project (project_id, code, {{%s}}, pool_code, batch_id) FROM STDIN"
#define NEW_YEAR_COPY "COPY project_year (project_id, year, annual_plan, batch_id) FROM STDIN"
#define NEW_SCENARIO_COPY "COPY project_scenario (project_id, scenario_id) FROM STDIN"
#define PROJECT_SEQUENCE "pg_get_serial_sequence('kpr.project', 'project_id')"

/* A project the registry has: staged, then compared with it and merged set-based. */
static const char project_stage_sql[] =
	"CREATE TEMP TABLE import_project ("
	" project_id bigint, line int, code text, {{%s %t}}, annual_plan numeric(18,4), scenario_ids int[])"
	" ON COMMIT DROP";

static const char project_classify_sql[] =
	"CREATE TEMP TABLE import_project_class ON COMMIT DROP AS "
	/* the year's scenarios of the file's known projects, joined rather than looked up per row */
	"WITH current_scenarios AS (SELECT ps.project_id,"
	"  array_agg(ps.scenario_id ORDER BY ps.scenario_id) AS scenario_ids"
	" FROM import_project s JOIN project_scenario ps USING (project_id)"
	" JOIN scenario sc USING (scenario_id) WHERE sc.year = " YEAR_SQL " GROUP BY ps.project_id) "
	"SELECT s.*,"
	" ({{p.%s}}) IS DISTINCT FROM ({{s.%s}}) AS fields_changed,"
	" py.annual_plan AS old_plan, py.plan_reason AS old_reason, py.batch_id AS old_batch,"
	" s.annual_plan IS NOT NULL AND py.annual_plan IS DISTINCT FROM s.annual_plan AS plan_changed,"
	" coalesce(s.scenario_ids, '{}') IS DISTINCT FROM coalesce(cs.scenario_ids, '{}') AS scenarios_changed,"
	" py.project_id IS NULL AS newly_listed "
	"FROM import_project s "
	"JOIN project p USING (project_id) "
	"LEFT JOIN project_year py ON py.project_id = p.project_id AND py.year = " YEAR_SQL " "
	"LEFT JOIN current_scenarios cs ON cs.project_id = p.project_id";

static const char project_counts_sql[] =
	"SELECT count(*) FILTER (WHERE fields_changed OR plan_changed OR scenarios_changed OR newly_listed),"
	" count(*) FILTER (WHERE NOT (fields_changed OR plan_changed OR scenarios_changed OR newly_listed)) "
	"FROM import_project_class";

/* codes of rows rejected in skip mode: in the file, so not missing from it */
static const char project_rejected_sql[] = "CREATE TEMP TABLE import_project_rejected (code text) ON COMMIT DROP";

/* on the year's list before this import (which lists its new projects), and not in the file */
static const char project_missing_sql[] =
	"SELECT p.code FROM project_year py JOIN project p USING (project_id) "
	"WHERE py.year = " YEAR_SQL " AND py.batch_id IS DISTINCT FROM " BATCH_SQL " "
	"AND NOT EXISTS (SELECT 1 FROM import_project s WHERE s.project_id = py.project_id) "
	"AND NOT EXISTS (SELECT 1 FROM import_project_rejected r WHERE r.code = p.code) ORDER BY p.code";

/* The merge of known projects, in order; run with kpr.batch_id and kpr.year set (start_batch). */
static const char *const project_merge[] = {
	/* the batch's own audit of changed projects: old row, new row */
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project', 'UPDATE', to_jsonb(p), to_jsonb(p) || jsonb_build_object("
	" {{'%s', c.%s}}, 'batch_id', " BATCH_SQL "), " BATCH_SQL " "
	"FROM import_project_class c JOIN project p USING (project_id) WHERE c.fields_changed",

	"UPDATE project p SET ({{%s}}, batch_id, updated_at) = ({{c.%s}}, " BATCH_SQL ", now()) "
	"FROM import_project_class c WHERE p.project_id = c.project_id AND c.fields_changed",

	"INSERT INTO project_year (project_id, year, annual_plan, batch_id) "
	"SELECT project_id, " YEAR_SQL ", annual_plan, " BATCH_SQL " FROM import_project_class WHERE newly_listed",

	"WITH gone AS (DELETE FROM project_scenario ps USING import_project_class c, scenario sc "
	" WHERE c.scenarios_changed AND ps.project_id = c.project_id AND sc.scenario_id = ps.scenario_id"
	" AND sc.year = " YEAR_SQL " AND NOT ps.scenario_id = ANY (coalesce(c.scenario_ids, '{}')) RETURNING ps.*) "
	"INSERT INTO audit_log (table_name, op, old_row, batch_id) "
	"SELECT 'project_scenario', 'DELETE', to_jsonb(gone), " BATCH_SQL " FROM gone",

	/* not ON CONFLICT: the primary key may be set aside for a large list */
	"WITH added AS (INSERT INTO project_scenario (project_id, scenario_id) "
	" SELECT c.project_id, x.scenario_id FROM import_project_class c, unnest(c.scenario_ids) x (scenario_id)"
	" WHERE c.scenarios_changed AND NOT EXISTS (SELECT 1 FROM project_scenario ps"
	"  WHERE ps.project_id = c.project_id AND ps.scenario_id = x.scenario_id) RETURNING *) "
	"INSERT INTO audit_log (table_name, op, new_row, batch_id) "
	"SELECT 'project_scenario', 'INSERT', to_jsonb(added), " BATCH_SQL " FROM added",

	/*
	 * A changed annual plan is a rebaseline: the list entry takes the new figure and names the
	 * batch; the old one goes to annual_plan_history.  That history is its audit; an
	 * audit_log copy of each would add nothing but time.
	 */
	"WITH rebased AS (UPDATE project_year py SET annual_plan = c.annual_plan,"
	"  plan_reason = CASE WHEN c.old_plan IS NOT NULL THEN 'rebaseline by import' END, batch_id = " BATCH_SQL
	" FROM import_project_class c WHERE c.plan_changed AND NOT c.newly_listed"
	"  AND py.project_id = c.project_id AND py.year = " YEAR_SQL
	" RETURNING c.project_id, c.old_plan, c.old_reason, c.old_batch) "
	"INSERT INTO annual_plan_history (project_id, year, amount, reason, batch_id, superseded_by) "
	"SELECT project_id, " YEAR_SQL ", old_plan, old_reason, old_batch, " BATCH_SQL
	" FROM rebased WHERE old_plan IS NOT NULL",
};

/* What a project list's import keeps while the file streams. */
struct project_load {
	struct kpr_codemap codes;	/* the registry's projects (id > 0), then the file's codes */
	struct kpr_spool known;		/* rows of projects the registry has, for import_project */
	struct kpr_spool news;		/* rows of new projects, for project */
	struct kpr_spool years, scenarios;	/* the new projects' list entries (with plans) and scenarios */
	struct kpr_spool rejected;		/* codes of rejected rows */
	struct kpr_spool *stream;		/* known or news: the one sent while the file streams */
	int64_t next_id;		/* the key of the next new project */
	long inserted;
	char batch[32], year[16];
	char construction[32], preparation[32];	/* the pools new projects start in; "" when none */
	char *new_project_copy;		/* NEW_PROJECT_COPY with the columns filled in */
};

/* Run a statement made from a template with the project's columns. */
static int exec_fields_sql(struct import *im, const char *template)
{
	char *sql = kpr_fields_sql(template);
	int rc = kpr_db_exec(im->conn, sql, 0, NULL, NULL);
	free(sql);
	return rc;
}

/* The key the next new project gets; after the stream, the sequence is set past the last one. */
static int reserve_ids(struct import *im, struct project_load *pl)
{
	char id[32] = "1";
	int rc = KPR_OK;
	if (!im->opts->dry_run)	/* a dry run sends no new project, and leaves the sequence alone */
		rc = exec_text(im->conn, "SELECT nextval(" PROJECT_SEQUENCE ")", 0, NULL, id, sizeof(id));
	pl->next_id = atoll(id);
	return rc;
}

/* New projects start in the preparation pool, or under construction when continuing. */
static int new_project_pools(struct import *im, struct project_load *pl)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, "SELECT code FROM pool WHERE code IN ('construction', 'preparation')",
			     0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *code = PQgetvalue(res, i, 0);
		snprintf(strcmp(code, "construction") == 0 ? pl->construction : pl->preparation,
			 sizeof(pl->construction), "%s", code);
	}
	PQclear(res);
	return KPR_OK;
}

static const char *new_project_pool(const struct project_load *pl, const struct kpr_project_row *r)
{
	bool continuing = r->nature && (strcmp(r->nature, "续建") == 0 || strcmp(r->nature, "竣工投产") == 0);
	const char *pool = continuing ? pl->construction : pl->preparation;
	return pool[0] ? pool : NULL;
}

/* A valid row: a new project's row and parts, or a known project's row to stage. */
static int send_project(struct import *im, struct project_load *pl, const struct kpr_project_row *r,
			struct kpr_code_entry *e)
{
	int rc;
	struct kpr_strbuf *sb;
	if (e->id) {
		sb = kpr_spool_row(&pl->known);
		kpr_strbuf_add_int(sb, e->id);
		kpr_strbuf_addch(sb, '\t');
		kpr_strbuf_add_int(sb, r->line);
		kpr_strbuf_addch(sb, '\t');
		kpr_fields_copy_row(sb, r);
		kpr_spool_add_money(sb, r->annual_plan, r->has_plan, '\t');
		kpr_strbuf_addch(sb, '{');
		for (int i = 0; i < r->nscenarios; i++) {
			if (i)
				kpr_strbuf_addch(sb, ',');
			kpr_strbuf_add_int(sb, r->scenarios[i]);
		}
		kpr_strbuf_add(sb, "}\n", 2);
		return kpr_spool_flush(&pl->known, false);
	}
	pl->inserted++;
	if (im->opts->dry_run)
		return KPR_OK;
	int64_t id = e->id = pl->next_id++;
	sb = kpr_spool_row(&pl->news);
	kpr_strbuf_add_int(sb, id);
	kpr_strbuf_addch(sb, '\t');
	kpr_fields_copy_row(sb, r);
	kpr_spool_add_text(sb, new_project_pool(pl, r));
	kpr_strbuf_copy_field(sb, pl->batch, '\n');

	sb = kpr_spool_row(&pl->years);
	kpr_strbuf_add_int(sb, id);
	kpr_strbuf_addch(sb, '\t');
	kpr_spool_add_text(sb, pl->year);
	kpr_spool_add_money(sb, r->annual_plan, r->has_plan, '\t');
	kpr_strbuf_copy_field(sb, pl->batch, '\n');
	for (int i = 0; i < r->nscenarios; i++) {
		sb = kpr_spool_row(&pl->scenarios);
		kpr_strbuf_add_int(sb, id);
		kpr_strbuf_addch(sb, '\t');
		kpr_strbuf_add_int(sb, r->scenarios[i]);
		kpr_strbuf_addch(sb, '\n');
	}
	if ((rc = kpr_spool_flush(&pl->news, false)) != KPR_OK || (rc = kpr_spool_flush(&pl->years, false)) != KPR_OK)
		return rc;
	return kpr_spool_flush(&pl->scenarios, false);
}

/* The list's year: --year, the year in the annual-plan header, or the title row's. */
static int project_year(struct import *im, long line)
{
	int header_year = im->header.plan_year;
	if (im->opts->year && header_year && im->opts->year != header_year) {
		kpr_diag(im->name, line, kpr_column_label(&im->header, KPR_COL_ANNUAL_PLAN),
			 _("the annual plan column is for %d, but --year is %d"), header_year, im->opts->year);
		return KPR_EINPUT;
	}
	im->result->year = im->opts->year ? im->opts->year : header_year ? header_year : im->title_year;
	if (!im->result->year) {
		kpr_log_error(_("%s: cannot tell which year's list this is"), im->name);
		kpr_log_hint(_("Give --year, or name the year in the plan column (2023年计划投资)."));
		return KPR_EUSAGE;
	}
	return KPR_OK;
}

/* Columns the file does not have keep their values in the database. */
static int keep_absent_columns(struct import *im)
{
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	const struct kpr_header *h = &im->header;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		const struct kpr_field *f = &kpr_fields[c];
		if (!f->column || (f->flags & (KPR_FIELD_KEY | KPR_FIELD_REQUIRED)) || h->index[c] >= 0 ||
		    ((f->flags & KPR_FIELD_RANGE) && h->index[KPR_COL_YEARS] >= 0))
			continue;
		kpr_strbuf_addf(&sql, "%s%s = p.%s", sql.len ? ", " : "", f->column, f->column);
	}
	if (h->index[KPR_COL_SCENARIOS] < 0)
		kpr_strbuf_addf(&sql, "%sscenario_ids = " CURRENT_SCENARIOS("p.project_id"), sql.len ? ", " : "");
	int rc = KPR_OK;
	if (sql.len) {
		struct kpr_strbuf full = KPR_STRBUF_INIT;
		kpr_strbuf_addf(&full, "UPDATE import_project s SET %s FROM project p WHERE p.project_id = s.project_id",
				sql.buf);
		rc = kpr_db_exec(im->conn, full.buf, 0, NULL, NULL);
		kpr_strbuf_release(&full);
	}
	kpr_strbuf_release(&sql);
	return rc;
}

static int report_missing(struct import *im)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, project_missing_sql, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	im->result->missing = PQntuples(res);
	if (im->result->missing) {
		struct kpr_strbuf list = KPR_STRBUF_INIT;
		for (int i = 0; i < PQntuples(res) && i < 20; i++)
			kpr_strbuf_addf(&list, "%s%s", i ? ", " : "", PQgetvalue(res, i, 0));
		if (PQntuples(res) > 20)
			kpr_strbuf_addf(&list, _(" and %d more"), PQntuples(res) - 20);
		kpr_log_warning(_("%ld project(s) of the %d list are not in this file and are kept: %s"),
				im->result->missing, im->result->year, list.buf);
		kpr_strbuf_release(&list);
	}
	PQclear(res);
	return KPR_OK;
}

/*
 * After the stream: the new projects' parts into their tables, the known projects compared
 * with the registry and merged; then commit (or not).
 */
static int finish_projects(struct import *im, struct project_load *pl)
{
	int rc;
	PGresult *res;
	char last[32];
	snprintf(last, sizeof(last), "%lld", (long long)pl->next_id - 1);
	const char *p[] = { last };
	if ((pl->inserted && !im->opts->dry_run &&
	     ((rc = kpr_db_exec(im->conn, "SELECT setval(" PROJECT_SEQUENCE ", $1)", 1, p, NULL)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, pl->new_project_copy, &pl->news)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, NEW_YEAR_COPY, &pl->years)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, NEW_SCENARIO_COPY, &pl->scenarios)) != KPR_OK)) ||
	    (rc = kpr_spool_load_temp(im->conn, project_rejected_sql, "COPY import_project_rejected FROM STDIN", &pl->rejected)) != KPR_OK ||
	    (rc = kpr_spool_copy(im->conn, "COPY import_project FROM STDIN", &pl->known)) != KPR_OK)
		return rc;
	im->result->inserted = pl->inserted;
	if (pl->known.rows) {
		/* a temporary table has no statistics until analysed: without them the merge plans badly */
		if ((rc = kpr_db_exec(im->conn, "ANALYZE import_project (project_id)", 0, NULL, NULL)) != KPR_OK ||
		    (rc = keep_absent_columns(im)) != KPR_OK ||
		    (rc = exec_fields_sql(im, project_classify_sql)) != KPR_OK ||
		    (rc = kpr_db_exec(im->conn, project_counts_sql, 0, NULL, &res)) != KPR_OK)
			return rc;
		im->result->updated = atol(PQgetvalue(res, 0, 0));
		im->result->unchanged = atol(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	if ((rc = report_missing(im)) != KPR_OK)
		return rc;
	for (size_t i = 0; im->result->updated && i < KPR_ARRAY_SIZE(project_merge); i++)
		if ((rc = exec_fields_sql(im, project_merge[i])) != KPR_OK)
			return rc;
	bool changed = im->result->inserted + im->result->updated > 0;
	if (changed && (rc = finish_batch(im)) != KPR_OK)
		return rc;
	return conclude(im, changed);
}

/* A project row with its scope takes 300 to 500 bytes; the estimate errs towards more rows. */
#define PROJECT_ROW_BYTES 256

/*
 * Before the first row: the registry's codes, the batch, the foreign keys set aside for a large
 * list, keys reserved, and a COPY open for what most rows will be by an estimate from the
 * file's size: new projects for a first list, known ones for a re-import.  The others wait in
 * a spool.
 */
static int begin_projects(struct import *im, struct project_load *pl)
{
	int rc;
	/* one writer of projects at a time: the codes read next stay true, the keys reserved free */
	if (!im->opts->dry_run &&
	    (rc = kpr_db_exec(im->conn, "LOCK TABLE project IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = load_projects(im, &pl->codes, false)) != KPR_OK)
		return rc;
	long rows = (long)(kpr_reader_size(im->reader) / PROJECT_ROW_BYTES);
	long news = rows > (long)pl->codes.count ? rows - (long)pl->codes.count : 0;
	if ((rc = new_project_pools(im, pl)) != KPR_OK || (rc = start_batch(im, "projects")) != KPR_OK ||
	    (rc = set_aside(im, "project", "{project,project_year,project_scenario}", true, news)) != KPR_OK ||
	    (rc = reserve_ids(im, pl)) != KPR_OK ||
	    (rc = exec_fields_sql(im, project_stage_sql)) != KPR_OK)
		return rc;
	snprintf(pl->batch, sizeof(pl->batch), "%ld", im->result->batch_id);
	snprintf(pl->year, sizeof(pl->year), "%d", im->result->year);
	pl->stream = im->opts->dry_run || news * 2 < rows ? &pl->known : &pl->news;
	kpr_log_debug("%s", pl->stream == &pl->news ? _("new projects are copied as the file is read, known ones compared after")
						    : _("known projects are staged as the file is read, new ones copied after"));
	if ((rc = kpr_db_copy_begin(im->conn, pl->stream == &pl->news ? pl->new_project_copy
								       : "COPY import_project FROM STDIN")) != KPR_OK)
		return rc;
	pl->stream->stream = im->conn;
	im->copying = true;
	return KPR_OK;
}

int kpr_import_projects(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result)
{
	struct import im;
	const struct kpr_record *rec;
	struct project_load pl = { 0 };
	int rc;

	kpr_codemap_init(&pl.codes);
	pl.new_project_copy = kpr_fields_sql(NEW_PROJECT_COPY);
	if ((rc = import_open(&im, conn, path, KPR_IMPORT_PROJECTS, opts, result)) != KPR_OK ||
	    (rc = find_header(&im, &rec)) != KPR_OK ||
	    (rc = project_year(&im, rec ? rec->line : 1)) != KPR_OK ||
	    (rc = import_open_rejects(&im)) != KPR_OK ||
	    (rc = import_begin(&im)) != KPR_OK ||
	    (rc = kpr_refdata_load(conn, result->year, &im.refdata)) != KPR_OK ||
	    (rc = begin_projects(&im, &pl)) != KPR_OK)
		goto done;
	if (im.refdata.scenarios.n == 0)
		kpr_log_warning(_("no scenarios are configured for %d (kpr import config)"), result->year);

	im.validator = (struct kpr_validator){ &im.header, &im.refdata,
		opts->unit != KPR_UNIT_NONE ? opts->unit : im.file_unit, result->year, 0, on_problem, &im };
	if (rec) {
		result->rows = 1;
		kpr_strbuf_reset(&im.row_errors);
	}
	while (rec) {
		struct kpr_project_row row;
		struct kpr_code_entry *e = NULL;
		int problems = kpr_project_validate(&im.validator, rec, &row);
		if (row.code) {
			bool added;
			e = kpr_codemap_insert(&pl.codes, row.code, &added);
			if (!e->first_line) {
				e->first_line = rec->line;
			} else {
				kpr_validator_report(&im.validator, rec->line, kpr_column_label(&im.header, KPR_COL_CODE),
						     _("code '%s' is already on line %ld"), row.code, e->first_line);
				problems++;
			}
		}
		if (problems) {
			if (row.code)
				kpr_strbuf_copy_field(kpr_spool_row(&pl.rejected), row.code, '\n');
			if ((rc = reject_row(&im, rec)) != KPR_OK || (rc = kpr_spool_flush(&pl.rejected, false)) != KPR_OK)
				goto done;
		} else if (!im.stop_sending && (rc = send_project(&im, &pl, &row, e)) != KPR_OK) {
			goto done;
		}
		if ((rc = next_row(&im, &rec)) != KPR_OK)
			goto done;
	}
	if ((rc = kpr_spool_flush(pl.stream, true)) != KPR_OK || (rc = end_stream(&im)) != KPR_OK)
		goto done;
	rc = finish_projects(&im, &pl);
	if (rc == KPR_OK && result->rejected)
		rc = KPR_EINPUT;
done:
	kpr_spool_release(&pl.known);
	kpr_spool_release(&pl.news);
	kpr_spool_release(&pl.years);
	kpr_spool_release(&pl.scenarios);
	kpr_spool_release(&pl.rejected);
	free(pl.new_project_copy);
	kpr_codemap_release(&pl.codes);
	return import_close(&im, rc);
}

/* ---------------------------------------------------------------------------------------- */
/* Monthly progress                                                                           */

#define PROGRESS_COLUMNS "project_id, month, amount, ytd, physical_progress, problems, actual_start, " \
	"adjustment_reason, batch_id, source_line"
/* the bulk COPY names the reporter columns so that their defaults are not evaluated per row */
#define PROGRESS_COPY_COLUMNS "project_id, month, amount, ytd, physical_progress, problems, actual_start, " \
	"adjustment_reason, batch_id, reported_by, reported_at, source_line"

static const char ytd_stage_sql[] =
	"CREATE TEMP TABLE import_ytd (project_id bigint, month date, ytd numeric(18,4), physical_progress text,"
	" problems text, actual_start date, adjustment_reason text, source_line int) ON COMMIT DROP";

/* The current figures of the months before s.month in its year: what a year-to-date builds on. */
#define PRIOR_SQL(alias, upto) \
	"coalesce((SELECT sum(pc.amount) FROM progress_current pc WHERE pc.project_id = " alias ".project_id" \
	" AND pc.month >= date_trunc('year', " alias ".month) AND pc.month " upto " " alias ".month), 0)"

/* rows whose derived month would be negative without a reason */
static const char ytd_bad_sql[] =
	"SELECT s.source_line, p.code, to_char(s.month, 'YYYY-MM'), s.ytd, " PRIOR_SQL("s", "<") " "
	"FROM import_ytd s JOIN project p USING (project_id) "
	"WHERE s.month = $1 AND s.adjustment_reason IS NULL AND s.ytd < " PRIOR_SQL("s", "<") " ORDER BY s.source_line";

static const char ytd_insert_sql[] =
	"INSERT INTO progress (" PROGRESS_COLUMNS ") "
	"SELECT s.project_id, s.month, s.ytd - " PRIOR_SQL("s", "<") ", s.ytd, s.physical_progress, s.problems,"
	" s.actual_start, s.adjustment_reason, " BATCH_SQL ", s.source_line "
	"FROM import_ytd s WHERE s.month = $1 AND (s.adjustment_reason IS NOT NULL OR s.ytd >= " PRIOR_SQL("s", "<") ")";

/*
 * The batch's rows that need a second look after the COPY (possible corrections, downward
 * adjustments, start dates, year-to-date rows), noted while streaming.  Joining through them
 * keeps these checks proportional to the rows concerned, with no index on batch_id to slow
 * every COPY down.
 */
static const char touched_stage_sql[] =
	"CREATE TEMP TABLE import_touched (project_id bigint, month date) ON COMMIT DROP";
#define TOUCHED_SQL \
	"import_touched t JOIN progress n ON n.project_id = t.project_id AND n.month = t.month " \
	"AND n.batch_id = " BATCH_SQL

/* a downward adjustment may not take the year-to-date below zero */
static const char negative_ytd_sql[] =
	"SELECT n.source_line, p.code, to_char(n.month, 'YYYY-MM'), " PRIOR_SQL("n", "<=") ", "
	"n.project_id, n.month, n.progress_id "
	"FROM " TOUCHED_SQL " JOIN project p ON p.project_id = n.project_id "
	"WHERE n.amount < 0 AND " PRIOR_SQL("n", "<=") " < 0 ORDER BY n.source_line";

/* the version a new row follows, when there is one */
#define PREVIOUS_SQL \
	"(SELECT o.* FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month" \
	" AND o.progress_id < n.progress_id ORDER BY o.progress_id DESC LIMIT 1)"

/* a re-sent month identical to its current figure changes nothing: drop it */
static const char unchanged_sql[] =
	"DELETE FROM progress n USING import_touched t WHERE n.project_id = t.project_id AND n.month = t.month"
	" AND n.batch_id = " BATCH_SQL " AND EXISTS (SELECT 1 FROM " PREVIOUS_SQL " o WHERE (o.amount, o.ytd, o.physical_progress, o.problems, o.actual_start, o.adjustment_reason)"
	" IS NOT DISTINCT FROM (n.amount, n.ytd, n.physical_progress, n.problems, n.actual_start, n.adjustment_reason))";

static const char corrections_sql[] =
	"SELECT count(*) FROM " TOUCHED_SQL " WHERE EXISTS "
	"(SELECT 1 FROM progress o WHERE o.project_id = n.project_id AND o.month = n.month AND o.progress_id < n.progress_id)";

/* the first reported start date becomes the project's, audited by the batch */
static const char actual_start_sql[] =
	"WITH s AS (SELECT n.project_id, min(n.actual_start) AS d FROM " TOUCHED_SQL
	" WHERE n.actual_start IS NOT NULL GROUP BY n.project_id),"
	" old AS (SELECT p.* FROM project p JOIN s USING (project_id) WHERE p.actual_start IS NULL),"
	" upd AS (UPDATE project p SET actual_start = s.d, updated_at = now() FROM s, old"
	"  WHERE p.project_id = s.project_id AND old.project_id = p.project_id RETURNING p.*) "
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project', 'UPDATE', to_jsonb(old), to_jsonb(upd), " BATCH_SQL " FROM upd JOIN old USING (project_id)";

static void copy_progress_row(struct kpr_strbuf *sb, const struct kpr_progress_row *r, int64_t project_id,
			      const char *batch, bool with_amount)
{
	char date[11];
	kpr_strbuf_add_int(sb, project_id);
	kpr_strbuf_addch(sb, '\t');
	kpr_strbuf_add(sb, kpr_month_date(r->month, date), 10);
	kpr_strbuf_addch(sb, '\t');
	if (with_amount)
		kpr_spool_add_money(sb, r->amount, r->has_amount, '\t');
	kpr_spool_add_money(sb, r->ytd, r->has_ytd, '\t');
	kpr_spool_add_text(sb, r->progress);
	kpr_spool_add_text(sb, r->problems);
	kpr_spool_add_text(sb, r->started[0] ? r->started : NULL);
	kpr_spool_add_text(sb, r->adjustment_reason);
	if (batch) {
		kpr_strbuf_copy_field(sb, batch, '\t');
		kpr_strbuf_add(sb, "\\N\t\\N\t", 6);	/* reported_by, reported_at: the batch's */
	}
	kpr_strbuf_add_int(sb, r->line);
	kpr_strbuf_addch(sb, '\n');
}

/* Report rows a set-based check found, by line; in skip mode delete them (last column: id). */
static int report_rows(struct import *im, PGresult *res, const char *column, const char *fmt_kind)
{
	int rc = KPR_OK;
	for (int i = 0; i < PQntuples(res); i++) {
		kpr_strbuf_reset(&im->row_errors);
		char msg[256];
		if (strcmp(fmt_kind, "ytd") == 0)
			snprintf(msg, sizeof(msg), _("project %s, %s: the year-to-date %s 万元 is below the %s 万元 "
						     "already reported this year; a downward adjustment needs a reason"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
		else
			snprintf(msg, sizeof(msg), _("project %s, %s: the adjustment takes the year-to-date below zero (%s 万元)"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		on_problem(im, atol(PQgetvalue(res, i, 0)), column, msg);
		im->result->rejected++;
		if (im->opts->skip_errors && strcmp(fmt_kind, "negative") == 0) {
			const char *params[] = { PQgetvalue(res, i, 4), PQgetvalue(res, i, 5), PQgetvalue(res, i, 6) };
			if ((rc = kpr_db_exec(im->conn, "DELETE FROM progress WHERE project_id = $1 AND month = $2 "
					      "AND progress_id = $3", 3, params, NULL)) != KPR_OK)
				break;
		}
	}
	return rc;
}

/* Rows given only as a year-to-date: derived month by month, each month on top of the last. */
static int insert_ytd_rows(struct import *im, struct kpr_spool *ytd, long *inserted)
{
	int rc;
	PGresult *res;
	*inserted = 0;
	if ((rc = kpr_spool_load_temp(im->conn, ytd_stage_sql, "COPY import_ytd FROM STDIN", ytd)) != KPR_OK ||
	    (rc = kpr_db_exec(im->conn, "INSERT INTO import_touched SELECT project_id, month FROM import_ytd",
			      0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = kpr_db_exec(im->conn, "SELECT DISTINCT month FROM import_ytd ORDER BY month", 0, NULL, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res) && rc == KPR_OK; i++) {
		const char *params[] = { PQgetvalue(res, i, 0) };
		PGresult *bad, *ins;
		if ((rc = kpr_db_exec(im->conn, ytd_bad_sql, 1, params, &bad)) != KPR_OK)
			break;
		rc = report_rows(im, bad, kpr_column_label(&im->header, KPR_COL_YTD), "ytd");
		PQclear(bad);
		if (rc == KPR_OK && (rc = kpr_db_exec(im->conn, ytd_insert_sql, 1, params, &ins)) == KPR_OK) {
			*inserted += atol(PQcmdTuples(ins));
			PQclear(ins);
		}
	}
	PQclear(res);
	return rc;
}

static long exec_count(struct import *im, const char *sql, bool command, int *rc)
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

int kpr_import_progress(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result)
{
	struct import im;
	const struct kpr_record *rec;
	struct kpr_codemap projects, overflow;
	struct kpr_spool ytd = { 0 }, touched = { 0 };
	long sent = 0, negatives = 0, candidates = 0, started = 0;
	int today, rc;
	char batch[32], date[11];

	kpr_codemap_init(&projects);
	kpr_codemap_init(&overflow);
	if ((rc = import_open(&im, conn, path, KPR_IMPORT_PROGRESS, opts, result)) != KPR_OK ||
	    (rc = find_header(&im, &rec)) != KPR_OK ||
	    (rc = import_open_rejects(&im)) != KPR_OK ||
	    (rc = import_begin(&im)) != KPR_OK ||
	    (rc = kpr_refdata_load(conn, 0, &im.refdata)) != KPR_OK ||
	    (rc = load_projects(&im, &projects, true)) != KPR_OK)
		goto done;
	if (kpr_month_today(im.refdata.timezone, &today) != KPR_OK) {
		rc = kpr_fail(KPR_EUSAGE, _("KPR_TODAY is not a date like 2023-10-15: '%s'"), getenv("KPR_TODAY"));
		goto done;
	}
	/* the batch goes first: its rows are copied straight into progress, tagged with it */
	if ((rc = start_batch(&im, "progress")) != KPR_OK ||
	    (rc = set_aside(&im, "progress", "{progress}", false, kpr_reader_size(im.reader) / PROGRESS_ROW_BYTES)) != KPR_OK ||
	    (rc = kpr_db_copy_begin(conn, "COPY progress (" PROGRESS_COPY_COLUMNS ") FROM STDIN")) != KPR_OK)
		goto done;
	im.copying = true;
	snprintf(batch, sizeof(batch), "%ld", result->batch_id);

	im.validator = (struct kpr_validator){ &im.header, &im.refdata,
		opts->unit != KPR_UNIT_NONE ? opts->unit : im.file_unit, 0, today, on_problem, &im };
	if (rec)
		result->rows = 1;
	while (rec) {
		struct kpr_progress_row row;
		int problems = kpr_progress_validate(&im.validator, rec, &row);
		struct kpr_code_entry *e = row.code ? kpr_codemap_find(&projects, row.code) : NULL;
		if (row.code && !e) {
			kpr_validator_report(&im.validator, rec->line, kpr_column_label(&im.header, KPR_COL_CODE),
					     _("unknown project code '%s'"), row.code);
			problems++;
		} else if (e && !problems && !kpr_code_entry_see(e, row.month, &overflow)) {
			char m[8];
			kpr_validator_report(&im.validator, rec->line, kpr_column_label(&im.header, KPR_COL_MONTH),
					     _("a second row for project %s, month %s, in this file"), row.code,
					     kpr_month_format(row.month, m));
			problems++;
		}
		if (problems) {
			if ((rc = reject_row(&im, rec)) != KPR_OK)
				break;
		} else if (!im.stop_sending) {
			bool candidate = row.month <= e->last_month;
			bool negative = row.has_amount && row.amount < 0;
			bool start = row.started[0] != '\0';
			candidates += candidate;
			negatives += negative;
			started += start;
			if (row.has_amount) {
				copy_progress_row(&im.copy, &row, e->id, batch, true);
				sent++;
				rc = flush_copy(&im, false);
				if (rc == KPR_OK && (candidate || negative || start)) {
					struct kpr_strbuf *sb = kpr_spool_row(&touched);
					kpr_strbuf_add_int(sb, e->id);
					kpr_strbuf_addch(sb, '\t');
					kpr_strbuf_copy_field(sb, kpr_month_date(row.month, date), '\n');
					rc = kpr_spool_flush(&touched, false);
				}
			} else {
				/* a year-to-date alone: resolved after the stream (insert_ytd_rows) */
				copy_progress_row(kpr_spool_row(&ytd), &row, e->id, NULL, false);
				rc = kpr_spool_flush(&ytd, false);
			}
			if (rc != KPR_OK)
				break;
		}
		if ((rc = next_row(&im, &rec)) != KPR_OK)
			break;
	}
	if (rc != KPR_OK)
		goto done;
	if ((rc = end_stream(&im)) != KPR_OK)
		goto done;

	long inserted = sent, ytd_inserted = 0;
	if ((touched.rows || ytd.rows) &&
	    (rc = kpr_spool_load_temp(im.conn, touched_stage_sql, "COPY import_touched FROM STDIN", &touched)) != KPR_OK)
		goto done;
	if (ytd.rows && (rc = insert_ytd_rows(&im, &ytd, &ytd_inserted)) != KPR_OK)
		goto done;
	inserted += ytd_inserted;
	if (negatives) {
		PGresult *res;
		long before = result->rejected;
		if ((rc = kpr_db_exec(conn, negative_ytd_sql, 0, NULL, &res)) != KPR_OK)
			goto done;
		rc = report_rows(&im, res, kpr_column_label(&im.header, KPR_COL_AMOUNT), "negative");
		PQclear(res);
		if (rc != KPR_OK)
			goto done;
		inserted -= result->rejected - before;
	}
	if (result->rejected && !opts->skip_errors) {
		rc = KPR_EINPUT;
		goto done;
	}
	if (candidates) {
		result->unchanged = exec_count(&im, unchanged_sql, true, &rc);
		if (rc == KPR_OK)
			result->updated = exec_count(&im, corrections_sql, false, &rc);
		if (rc != KPR_OK)
			goto done;
		inserted -= result->unchanged;
	}
	result->inserted = inserted - result->updated;
	if (started && inserted && (rc = kpr_db_exec(conn, actual_start_sql, 0, NULL, NULL)) != KPR_OK)
		goto done;
	if (inserted > 0 && (rc = finish_batch(&im)) != KPR_OK)
		goto done;
	rc = conclude(&im, inserted > 0);
	if (rc == KPR_OK && result->rejected)
		rc = KPR_EINPUT;
done:
	kpr_spool_release(&ytd);
	kpr_spool_release(&touched);
	kpr_codemap_release(&projects);
	kpr_codemap_release(&overflow);
	return import_close(&im, rc);
}
