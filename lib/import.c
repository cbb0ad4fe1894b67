/* import.c: the streaming machinery both imports share; see import_impl.h and import.h. */
#include "import_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "fields.h"
#include "fold.h"
#include "log.h"
#include "template.h"
#include "month.h"
#include "xlnum.h"

#define PROGRESS_EVERY 8192
#define HEADER_SEARCH 20	/* records to look through for the header row */

/* A workbook's cell for a problem in the column the header calls column, on row line ("F12"). */
static bool workbook_cell(const struct kpr_import *im, long line, const char *column, char cell[16])
{
	for (size_t i = 0; column && i < im->header.nfields; i++)
		if (im->header.names[i] && strcmp(im->header.names[i], column) == 0) {
			kpr_xl_cellref((long)i, line, cell);
			return true;
		}
	return false;
}

void kpr_import_problem(void *arg, long line, const char *column, const char *message)
{
	struct kpr_import *im = arg;
	if (im->result->problems < im->opts->max_errors) {
		char cell[16];
		if (kpr_format_is_workbook(kpr_reader_format(im->reader)) && workbook_cell(im, line, column, cell))
			kpr_diag_cell(im->name, line, column, cell, "%s", message);
		else
			kpr_diag(im->name, line, column, "%s", message);
	} else if (im->result->problems == im->opts->max_errors) {
		kpr_log_error(_("too many problems; not reporting more than %ld"), im->opts->max_errors);
	}
	im->result->problems++;
	if (im->row_errors.len)
		kpr_strbuf_adds(&im->row_errors, "; ");
	if (column)
		kpr_strbuf_addf(&im->row_errors, "%s: ", column);
	kpr_strbuf_adds(&im->row_errors, message);
}

static void report_progress(struct kpr_import *im, bool done)
{
	if (im->opts->progress)
		im->opts->progress(im->opts->progress_arg, (uint64_t)im->result->rows, kpr_reader_offset(im->reader),
				   kpr_reader_size(im->reader), done);
}

int kpr_import_reject_row(struct kpr_import *im, const struct kpr_record *rec)
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

/*
 * A header (names) that looks like the other kind of file: say so and which command reads it.
 * A project list checks every header (a progress file may carry names and regions, which would
 * overwrite the registry's); a progress import only one it cannot read.
 */
static bool other_kind(struct kpr_import *im, long line, const struct kpr_record *names)
{
	struct kpr_strbuf cols = KPR_STRBUF_INIT;
	bool other = kpr_header_other_kind(&im->header, names, &cols);
	if (other)
		kpr_diag(im->name, line, NULL,
			 im->kind == KPR_IMPORT_PROJECTS ? _("this looks like a progress file: %s; use kpr import progress")
							 : _("this looks like a project list: %s; use kpr import projects"),
			 cols.buf);
	kpr_strbuf_release(&cols);
	return other;
}

/*
 * 累计完成投资 is the year-to-date (本年累计): a progress header for the total since the start
 * (开工累计, 自开工累计, 开累, 累计完成投资(开工以来)) is refused, naming it, with a hint.
 */
static bool since_start(struct kpr_import *im, long line, const struct kpr_record *names)
{
	bool found = false;
	for (size_t i = 0; i < names->nfields; i++) {
		struct kpr_strbuf sb = KPR_STRBUF_INIT;
		const char *key = names->fields[i] ? kpr_fold_key(names->fields[i], &sb) : "";
		if ((strstr(key, "累计") && (strstr(key, "开工") || strstr(key, "以来"))) || strstr(key, "开累")) {
			kpr_diag(im->name, line, names->fields[i], _("'%s' is the total since the start, not this year's: "
				 "kpr needs the year-to-date (本年累计完成投资)"), names->fields[i]);
			found = true;
		}
		kpr_strbuf_release(&sb);
	}
	return found;
}

/* After the header (names): every required column present, and not a file of the other kind?
 * Unknown columns named in a warning. */
static int check_header(struct kpr_import *im, long line, const struct kpr_record *names)
{
	struct kpr_header *h = &im->header;
	int rc = KPR_OK;
	if (im->kind == KPR_IMPORT_PROJECTS && other_kind(im, line, names))
		return KPR_EINPUT;
	if (im->kind == KPR_IMPORT_PROGRESS && since_start(im, line, names))
		return KPR_EINPUT;
	if (im->kind == KPR_IMPORT_PROGRESS &&
	    (h->index[KPR_COL_MONTH] < 0 || (h->index[KPR_COL_AMOUNT] < 0 && h->index[KPR_COL_YTD] < 0)) &&
	    other_kind(im, line, names))
		return KPR_EINPUT;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		enum kpr_col col = (enum kpr_col)c;
		if ((kpr_fields[c].flags & KPR_FIELD_REQUIRED) && kpr_field_read_by(col, im->kind) && h->index[c] < 0) {
			kpr_diag(im->name, line, kpr_column_canonical(col), _("missing required column '%s'"),
				 kpr_column_canonical(col));
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

/* An empty file, whatever its kind and format: refused, in the same words everywhere. */
static int empty_file(struct kpr_import *im)
{
	kpr_log_error(_("%s: the file is empty; nothing to import"), im->name);
	return KPR_EINPUT;
}

/*
 * Read up to the first data record: skip blank, title and units rows, take the header.
 * *rec is the first data record (NULL at end of file: a warning, once).  YAML has no header
 * row; a YAML file without records is empty.
 */
static int find_header(struct kpr_import *im, const struct kpr_record **first)
{
	const struct kpr_record *rec;
	bool any = false;
	int rc;
	*first = NULL;
	if (kpr_reader_format(im->reader) == KPR_FORMAT_YAML) {
		if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
			return rc;
		if (!rec)
			return empty_file(im);
		kpr_header_from_keys(&im->header, rec);
		/* keep the names for messages and the unknown-column check */
		struct kpr_record names = *rec;
		names.fields = rec->keys;
		if (!kpr_header_try(&im->header, &names))
			kpr_header_from_keys(&im->header, rec);
		if ((rc = check_header(im, rec->line, &names)) != KPR_OK)
			return rc;
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
		any = true;
		if (kpr_header_try(&im->header, rec)) {
			long line = rec->line;
			if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
				return rc;
			/* the lower half of a two-row header (columns.h) */
			if (rec && kpr_header_second_row(&im->header, rec) &&
			    (rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
				return rc;
			struct kpr_record names = { line, im->header.nfields, im->header.names, NULL };
			if ((rc = check_header(im, line, &names)) != KPR_OK)
				return rc;
			/* a units row may follow the header; a short data row is data */
			while (rec && (kpr_record_blank(rec) || kpr_units_row(rec, &im->file_unit)))
				if ((rc = kpr_reader_next(im->reader, &rec)) != KPR_OK)
					return rc;
			if (!rec)
				kpr_log_warning(_("%s: no rows below the header; nothing to import"), im->name);
			*first = rec;
			return KPR_OK;
		}
		if (kpr_title_row(rec, &im->file_unit)) {
			if (!im->title_year)
				im->title_year = title_year(rec);
			continue;
		}
		if (other_kind(im, rec->line, rec))
			return KPR_EINPUT;
		kpr_diag(im->name, rec->line, NULL,
			 im->kind == KPR_IMPORT_PROJECTS
				 ? _("no header row: expected column names such as 项目代码, 项目名称, 县(市、区) (or code, name, region)")
				 : _("no header row: expected column names such as 项目代码, 月份, 本月完成投资 (or code, month, amount)"));
		return KPR_EINPUT;
	}
	if (!any)
		return empty_file(im);
	kpr_diag(im->name, rec ? rec->line : 1, NULL, _("no header row found"));
	return KPR_EINPUT;
}

/*
 * A form of kpr export template keeps the codes it was written with on its hidden sheet, each
 * at its row (template.h): read them, so that a code edited on the form is found by comparing
 * with them.  Any other workbook has no such sheet, and nothing is said.
 */
static void form_codes(struct kpr_import *im, const char *path)
{
	struct kpr_reader_options ro = { KPR_FORMAT_XLSX, KPR_ENCODING_AUTO, NULL, NULL, KPR_TEMPLATE_SHEET, true };
	struct kpr_reader *r;
	const struct kpr_record *rec;
	bool marked = false;

	if (kpr_reader_open(&r, path, &ro) != KPR_OK)
		return;
	while (kpr_reader_next(r, &rec) == KPR_OK && rec) {
		if (rec->line == 1)
			marked = rec->nfields > 0 && rec->fields[0] && strcmp(rec->fields[0], KPR_TEMPLATE_MARKER) == 0;
		if (!marked || rec->line < 2 || rec->nfields == 0 || !rec->fields[0])
			continue;
		if ((size_t)rec->line >= im->nform_codes) {
			size_t n = (size_t)rec->line + 64;
			im->form_codes = kpr_xrealloc(im->form_codes, n * sizeof(*im->form_codes));
			memset(im->form_codes + im->nform_codes, 0, (n - im->nform_codes) * sizeof(*im->form_codes));
			im->nform_codes = n;
		}
		free(im->form_codes[rec->line]);
		im->form_codes[rec->line] = kpr_xstrdup(rec->fields[0]);
	}
	kpr_reader_free(r);
}

const char *kpr_import_form_code(const struct kpr_import *im, long line)
{
	return line > 0 && (size_t)line < im->nform_codes ? im->form_codes[line] : NULL;
}

int kpr_import_open(struct kpr_import *im, PGconn *conn, const char *path, enum kpr_import_kind kind,
		    const struct kpr_import_options *opts, struct kpr_import_result *result,
		    const struct kpr_record **first)
{
	int rc;
	*first = NULL;
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
	struct kpr_reader_options ro = { opts->format, opts->encoding, kpr_header_looks_like, &kinds[kind], opts->sheet,
					 false };
	if ((rc = kpr_reader_open(&im->reader, path, &ro)) != KPR_OK)
		return rc;
	im->name = kpr_reader_name(im->reader);
	if (kpr_reader_format(im->reader) == KPR_FORMAT_XLSX && strcmp(path, "-") != 0)
		form_codes(im, path);
	return find_header(im, first);
}

/*
 * The import's transaction.  JIT off: the merge statements' estimates pass jit_above_cost on
 * large lists, and compiling them took longer (0.45 s measured) than running them.  work_mem
 * at least 64 MB: with the default 4 MB, comparing 200,000 known projects with the registry
 * spilled its hashes and sorts to disk (1.6 s; 1.25 s in memory).
 */
static int begin_transaction(struct kpr_import *im)
{
	int rc = kpr_db_begin(im->conn);
	if (rc == KPR_OK)
		rc = kpr_db_exec(im->conn, "SET LOCAL jit = off", 0, NULL, NULL);
	if (rc == KPR_OK)
		rc = kpr_db_exec(im->conn, "SELECT set_config('work_mem', '64MB', true) "
				 "WHERE pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024", 0, NULL, NULL);
	return rc;
}

int kpr_import_begin(struct kpr_import *im, int year)
{
	int rc;
	if (im->opts->rejects) {
		struct kpr_record header = { 0, im->header.nfields, im->header.names, NULL };
		/* a workbook's rejected rows are written as CSV (UTF-8 with a BOM, for Excel) */
		enum kpr_format format = kpr_reader_format(im->reader);
		if (kpr_format_is_workbook(format))
			format = KPR_FORMAT_CSV;
		if ((rc = kpr_rejects_open(&im->rejects, im->opts->rejects, format,
					   format == KPR_FORMAT_CSV ? &header : NULL,
					   im->opts->overwrite_rejects)) != KPR_OK)
			return rc;
	}
	if ((rc = begin_transaction(im)) != KPR_OK || (rc = kpr_refdata_load(im->conn, year, &im->refdata)) != KPR_OK)
		return rc;
	im->validator = (struct kpr_validator){ &im->header, &im->refdata,
		im->opts->unit != KPR_UNIT_NONE ? im->opts->unit : im->file_unit, year, 0, kpr_import_problem, im };
	kpr_layout_init(&im->layout, &im->header, im->validator.unit);
	return KPR_OK;
}

int kpr_import_close(struct kpr_import *im, int rc)
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
	kpr_layout_finish(&im->layout, NULL);
	for (size_t i = 0; i < im->nform_codes; i++)
		free(im->form_codes[i]);
	free(im->form_codes);
	kpr_header_release(&im->header);
	kpr_colmap_free(im->colmap);
	kpr_refdata_release(&im->refdata);
	kpr_strbuf_release(&im->row_errors);
	return rc;
}

/* The next data record, skipping blank rows; counts rows and reports progress. */
static int next_row(struct kpr_import *im, const struct kpr_record **rec)
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

int kpr_import_each_row(struct kpr_import *im, const struct kpr_record *rec,
			int (*fn)(struct kpr_import *im, const struct kpr_record *rec, void *arg), void *arg)
{
	int rc = KPR_OK;
	if (rec) {
		im->result->rows = 1;
		kpr_strbuf_reset(&im->row_errors);
	}
	bool layout = kpr_reader_format(im->reader) != KPR_FORMAT_YAML;
	while (rec && rc == KPR_OK) {
		if (layout && kpr_layout_row(&im->layout, im->name, rec) != KPR_ROW_DATA)
			im->result->rows--;
		else
			rc = fn(im, rec, arg);
		if (rc == KPR_OK)
			rc = next_row(im, &rec);
	}
	im->result->headings = im->layout.headings;
	im->result->subtotals = im->layout.subtotals;
	if (rc == KPR_OK)
		kpr_layout_finish(&im->layout, im->name);
	return rc;
}

int kpr_import_stream(struct kpr_import *im, const char *sql, struct kpr_spool *sp)
{
	int rc = kpr_db_copy_begin(im->conn, sql);
	if (rc != KPR_OK)
		return rc;
	sp->stream = im->conn;
	im->sending = sp;
	im->copying = true;
	return KPR_OK;
}

int kpr_import_end_stream(struct kpr_import *im)
{
	int rc;
	report_progress(im, true);
	if (im->sending && (rc = kpr_spool_flush(im->sending, true)) != KPR_OK)
		return rc;
	im->copying = false;
	if ((rc = kpr_db_copy_end(im->conn, NULL, NULL)) != KPR_OK)
		return rc;
	return im->result->rejected && !im->opts->skip_errors ? KPR_EINPUT : KPR_OK;
}

int kpr_import_query_text(struct kpr_import *im, const char *sql, int n, const char *const *params, char *out,
			  size_t size)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, sql, n, params, &res);
	if (rc == KPR_OK) {
		if (out)
			snprintf(out, size, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
		PQclear(res);
	}
	return rc;
}

/* rows an older file would put back that are named, one a line; the rest are counted */
#define REPLAYS_SHOWN 20

/* A numeric as people write it: 2000.5000 as 2000.5, 2000.0000 as 2000.  Text (a name
 * holding "No.30") is left alone. */
static const char *plain_number(char *s)
{
	char *dot = strchr(s, '.');
	if (dot && s[strspn(s, "-0123456789.")] == '\0') {
		char *end = s + strlen(s);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	return s;
}

/* The file's label of the project column named db (a replay's last column). */
static const char *label_of_column(const struct kpr_import *im, const char *db)
{
	for (int c = 0; c < KPR_COL_COUNT; c++)
		if (kpr_fields[c].column && strcmp(kpr_fields[c].column, db) == 0)
			return kpr_column_label(&im->header, c);
	return db;
}

int kpr_import_refuse_replays(struct kpr_import *im, const char *sql, const char *column)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, sql, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	int n = PQntuples(res);
	struct kpr_strbuf by = KPR_STRBUF_INIT, one = KPR_STRBUF_INIT, seen = KPR_STRBUF_INIT;
	for (int i = 0; i < n && !im->opts->force; i++) {
		kpr_strbuf_reset(&one);
		if (*PQgetvalue(res, i, 5))
			kpr_strbuf_addf(&one, _("import batch %s"), PQgetvalue(res, i, 5));
		else if (*PQgetvalue(res, i, 6))
			kpr_strbuf_addf(&one, _("%s on %s"), PQgetvalue(res, i, 6), PQgetvalue(res, i, 7));
		else
			kpr_strbuf_adds(&one, _("a later change"));
		if (i < REPLAYS_SHOWN)
			kpr_diag(im->name, atol(PQgetvalue(res, i, 0)),
				 column ? column : label_of_column(im, PQgetvalue(res, i, 8)),
				 _("project %s, %s: %s would put back an earlier figure over %s, written later by %s"),
				 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), plain_number(PQgetvalue(res, i, 3)),
				 plain_number(PQgetvalue(res, i, 4)), one.buf);
		/* the writers, each once: a handful; seen holds them as "\nwriter\n" */
		struct kpr_strbuf key = KPR_STRBUF_INIT;
		kpr_strbuf_addf(&key, "\n%s\n", one.buf);
		if (!seen.len)
			kpr_strbuf_addch(&seen, '\n');
		if (!strstr(seen.buf, key.buf)) {
			kpr_strbuf_adds(&seen, key.buf + 1);
			kpr_strbuf_addf(&by, "%s%s", by.len ? ", " : "", one.buf);
		}
		kpr_strbuf_release(&key);
	}
	if (n && im->opts->force)
		kpr_log_warning(P_("%s: %d row put back figures that later batches or changes replaced (--force)",
				   "%s: %d rows put back figures that later batches or changes replaced (--force)", n),
				im->name, n);
	else if (n) {
		if (n > REPLAYS_SHOWN)
			kpr_log_error(P_("%s: and %d more such row", "%s: and %d more such rows", n - REPLAYS_SHOWN), im->name,
				      n - REPLAYS_SHOWN);
		kpr_log_error(P_("%s: %d row would undo later changes (%s): is this an older file imported again?",
				 "%s: %d rows would undo later changes (%s): is this an older file imported again?", n),
			      im->name, n, by.buf);
		kpr_log_hint(_("Give --force to apply the file anyway."));
		rc = KPR_EINPUT;
	}
	kpr_strbuf_release(&one);
	kpr_strbuf_release(&by);
	kpr_strbuf_release(&seen);
	PQclear(res);
	return rc;
}

/* a dry run's changes listed one a line; the rest are counted */
#define CHANGES_SHOWN 20

int kpr_import_list_changes(struct kpr_import *im, const char *what, const char *sql)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, sql, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	int n = PQntuples(res);
	if (n)
		kpr_log_info(_("%s: %s: %d"), im->name, what, n);
	for (int i = 0; i < n && i < CHANGES_SHOWN; i++)
		kpr_log_info("  %s:%s: %s", im->name, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	if (n > CHANGES_SHOWN)
		kpr_log_info(_("  and %d more"), n - CHANGES_SHOWN);
	PQclear(res);
	return KPR_OK;
}

int kpr_import_start_batch(struct kpr_import *im, const char *kind)
{
	char year[16], rows[32], rejected[32], id[32];
	snprintf(year, sizeof(year), "%d", im->result->year);
	snprintf(rows, sizeof(rows), "%ld", im->result->rows);
	snprintf(rejected, sizeof(rejected), "%ld", im->result->rejected);
	const char *params[] = { kind, im->name, im->result->year ? year : NULL, rows, rejected };
	/* an office writes no import_batch row itself: the registry's function does (import_office.c) */
	int rc = kpr_import_query_text(im, im->office ? "SELECT office_open_batch($1, $2, $3, $4, $5)" :
			   "INSERT INTO import_batch (kind, file_name, checksum, year, rows_read, rows_rejected) "
			   "VALUES ($1, $2, '', $3, $4, $5) RETURNING batch_id", 5, params, id, sizeof(id));
	if (rc != KPR_OK)
		return rc;
	im->result->batch_id = atol(id);
	const char *p2[] = { id, year };
	return kpr_db_exec(im->conn, "SELECT set_config('kpr.batch_id', $1, true), set_config('kpr.year', $2, true)",
			   2, p2, NULL);
}

int kpr_import_finish_batch(struct kpr_import *im)
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
	return kpr_db_exec(im->conn, im->office ? "SELECT office_finish_batch($1, $2, $3, $4, $5, $6, $7)" :
			   "UPDATE import_batch SET rows_read = $2, "
			   "rows_inserted = $3, rows_updated = $4, rows_unchanged = $5, rows_rejected = $6, "
			   "checksum = $7, finished_at = clock_timestamp() WHERE batch_id = $1",
			   7, params, NULL);
}

int kpr_import_set_aside(struct kpr_import *im, const char *table, const char *tables, bool indexes, long rows)
{
	bool worth;
	int rc;
	if (im->opts->dry_run || im->office)	/* an office owns no table: nothing is set aside */
		return KPR_OK;
	if ((rc = kpr_bulk_worth(im->conn, im->opts->bulk, table, rows, &worth)) != KPR_OK || !worth)
		return rc;
	return kpr_bulk_set_aside(im->conn, tables, indexes, &im->set_aside);
}

int kpr_import_conclude(struct kpr_import *im, bool changed)
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

/* One row of kpr_import_load_codes()'s COPY: code, id, latest month, start year, the years the
 * project is listed for (2023,2024); \N when none or not asked for. */
static void load_project(void *arg, char *line, size_t n)
{
	struct kpr_codemap *map = arg;
	char *field[5];
	int nf = 0;
	line[n - 1] = '\0';
	for (char *s = line; nf < 5 && s; nf++) {
		field[nf] = s;
		if ((s = strchr(s, '\t')))
			*s++ = '\0';
	}
	if (nf < 3)
		return;
	bool added;
	struct kpr_code_entry *e = kpr_codemap_insert(map, field[0], &added);
	e->id = atoll(field[1]);
	int m;
	if (strcmp(field[2], "\\N") != 0 && kpr_month_parse(field[2], &m) == KPR_OK)
		e->last_month = m;
	if (nf < 5)
		return;
	if (strcmp(field[3], "\\N") != 0)
		e->start_year = (int16_t)atoi(field[3]);
	for (char *y = field[4], *end; strcmp(field[4], "\\N") != 0 && *y; y = *end ? end + 1 : end) {
		long year = strtol(y, &end, 10);
		if (end == y)
			break;
		kpr_code_entry_list(e, (int)year);
	}
}

int kpr_import_load_codes(struct kpr_import *im, struct kpr_codemap *map, bool months)
{
	return kpr_db_copy_out(im->conn, months
			       ? "COPY (SELECT p.code, p.project_id, (SELECT to_char(max(pr.month), 'YYYY-MM')"
				 " FROM progress pr WHERE pr.project_id = p.project_id), p.start_year,"
				 " (SELECT string_agg(py.year::text, ',' ORDER BY py.year) FROM project_year py"
				 " WHERE py.project_id = p.project_id) FROM project p) TO STDOUT"
			       : "COPY (SELECT code, project_id, NULL FROM project) TO STDOUT",
			       load_project, map);
}
