/* batch.c: kpr batch list|show: the import batches, and what one of them wrote. */
#include "builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "log.h"
#include "month.h"
#include "print.h"
#include "revert.h"
#include "strbuf.h"

static const char batch_usage[] =
	N_("usage: kpr batch list [--kind projects|progress] [--since DATE] [--format FORMAT]\n"
	   "       kpr batch show N [--limit N]\n"
	   "       kpr batch revert N --reason TEXT [--force]\n"
	   "\n"
	   "Every import that writes something is recorded as a numbered batch (the import says\n"
	   "\"recorded as import batch N\"); an import that changes nothing leaves none.\n"
	   "\n"
	   "  list    the batches, newest first: id, kind, file, when it started and finished, who\n"
	   "          ran it, the list's year, and its rows read, new, changed, unchanged, rejected\n"
	   "  show N  batch N: its file, sha256, who, when and counts, then the rows it wrote or\n"
	   "          changed: projects it created or changed (field: old → new), annual plans it\n"
	   "          rebaselined, progress months it wrote (new or correction), and its other\n"
	   "          audited rows (a project's scenarios); exit status 1 when there is no batch N\n"
	   "  revert N  undo batch N, in one transaction: its progress rows stop counting (an\n"
	   "          earlier version of a month is current again), the projects it changed get\n"
	   "          their earlier values, scenarios and annual plans back, the list entries it\n"
	   "          added go, and the projects it created are deleted (each change audited).\n"
	   "          The batch stays, marked with who reverted it, when and why (--reason, required).\n"
	   "          Refused (exit status 1), naming them, when later batches or changes touched\n"
	   "          its rows: revert those first, or give --force to undo only what is still the\n"
	   "          batch's and keep the rest.  A configuration batch, or one already reverted, is\n"
	   "          refused too.  Needs the city's role (exit status 4 without it).\n"
	   "\n"
	   "Times are the registry's clock (the configuration's timezone); money is in 万元.\n");

static struct {
	int kind;
	const char *since, *format, *reason;
	int limit;
	bool force;
} opt = { 0, NULL, NULL, NULL, 20, false };

static char since[11];			/* --since as YYYY-MM-DD */
static enum kpr_print_format format;	/* --format */
static long batch_id;			/* show's N */

static const struct kpr_choice kinds[] = {
	{ "projects", 1, false }, { "progress", 2, false }, { NULL, 0, false }
};
static const char *const kind_names[] = { NULL, "projects", "progress" };

#define KIND_OPT KPR_OPT_CHOICE(0, "kind", &opt.kind, kinds, N_("list: only the batches of this kind of file"))
#define SINCE_OPT KPR_OPT_STR(0, "since", &opt.since, "DATE", N_("list: only the batches started that day or later\n" \
								 "(2023-10-01, 2023年10月1日; a month means its 1st)"))
#define FORMAT_OPT KPR_OPT_STR(0, "format", &opt.format, "FORMAT", N_("list: table (default), csv, json or md (Markdown)"))
#define LIMIT_OPT KPR_OPT_INTEGER(0, "limit", &opt.limit, "N", N_("show: at most N rows a table (default 20; 0: all)"), \
				  0, 1000000000, N_("--limit must be a number of rows (0: all), not '%s'"))

#define REASON_OPT KPR_OPT_STR(0, "reason", &opt.reason, "TEXT", N_("revert: why (recorded on the batch; required)"))
#define FORCE_OPT KPR_OPT_FLAG(0, "force", &opt.force, N_("revert: undo what is still the batch's, keep what later\n" \
							  "batches or changes touched"))

static const struct kpr_option batch_options[] = {
	KIND_OPT, SINCE_OPT, FORMAT_OPT, LIMIT_OPT, REASON_OPT, FORCE_OPT, KPR_OPT_END
};
static const struct kpr_option list_options[] = { KIND_OPT, SINCE_OPT, FORMAT_OPT, KPR_OPT_END };
static const struct kpr_option show_options[] = { LIMIT_OPT, KPR_OPT_END };
static const struct kpr_option revert_options[] = { REASON_OPT, FORCE_OPT, KPR_OPT_END };

#define TEXT(name, heading) { name, heading, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 }
#define INT(name, heading) { name, heading, KPR_PRINT_INT, KPR_UNIT_NONE, 0 }
#define MONEY(name, heading) { name, heading, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 }

/* The columns of kpr_batch_list(): the first LIST_SHOWN listed, reverted too when one is; the
 * rest left to show. */
static const struct kpr_print_column list_cols[] = {
	INT("id", N_("id")), TEXT("kind", N_("kind")), TEXT("file", N_("file")),
	TEXT("started_at", N_("started")), TEXT("finished_at", N_("finished")), TEXT("user", N_("by")),
	INT("year", N_("year")), INT("rows_read", N_("read")), INT("rows_inserted", N_("new")),
	INT("rows_updated", N_("changed")), INT("rows_unchanged", N_("unchanged")),
	INT("rows_rejected", N_("rejected")), TEXT("reverted_at", N_("reverted")), TEXT("sha256", N_("sha256")),
	TEXT("reverted_by", N_("reverted by")), TEXT("revert_reason", N_("reason")),
};
#define LIST_SHOWN 12
enum { COL_REVERTED = 12, COL_SHA256 = 13 };

/* Print t's cells under cols (as many of t's columns as there are cols), headings translated. */
static int print_cells(const struct kpr_print_column *cols, size_t ncols, const struct kpr_batch_table *t,
		       const struct kpr_print_opts *opts)
{
	struct kpr_print_column *tr = kpr_xcalloc(ncols, sizeof(*tr));
	for (size_t c = 0; c < ncols; c++) {
		tr[c] = cols[c];
		tr[c].heading = _(cols[c].heading);
	}
	struct kpr_print *p = kpr_print_begin(stdout, tr, ncols, opts);	/* copies the columns */
	free(tr);
	for (size_t r = 0; r < t->nrows; r++) {
		kpr_print_row(p);
		for (size_t c = 0; c < ncols; c++) {
			const char *cell = kpr_batch_cell(t, r, c);
			if (!cell)
				kpr_print_null(p);
			else if (cols[c].type == KPR_PRINT_INT)
				kpr_print_int(p, atoll(cell));
			else if (cols[c].type == KPR_PRINT_MONEY)
				kpr_print_money(p, atoll(cell));
			else
				kpr_print_text(p, cell);
		}
	}
	return kpr_print_end(p);
}

static int check_list(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.since && kpr_date_parse(opt.since, since) != KPR_OK)
		return kpr_log_usage("batch", _("--since must be a date like 2023-10-01, not '%s'"), opt.since);
	if (opt.format && !kpr_print_format_parse(opt.format, &format))
		return kpr_log_usage("batch", _("--format must be table, csv, json or md, not '%s'"), opt.format);
	return KPR_OK;
}

static int run_list(struct kpr_ctx *ctx)
{
	struct kpr_batch_filter f = { .kind = kind_names[opt.kind], .since = opt.since ? since : NULL };
	struct kpr_batch_table t;
	int rc = kpr_batch_list(ctx->conn, &f, &t);
	if (rc != KPR_OK)
		return rc;
	struct kpr_print_opts po = { .format = format, .empty = _("(no import batches)") };
	size_t ncols = LIST_SHOWN;
	for (size_t r = 0; r < t.nrows; r++)
		if (kpr_batch_cell(&t, r, COL_REVERTED))
			ncols = LIST_SHOWN + 1;	/* a column only when there is something in it */
	rc = print_cells(list_cols, ncols, &t, &po);
	kpr_batch_table_release(&t);
	return rc;
}

/* show's N: a batch number */
static int check_show(struct kpr_ctx *ctx)
{
	const char *s = ctx->argv[0];
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || n <= 0 || errno == ERANGE)
		return kpr_log_usage("batch", _("the batch must be a number like 12 (see kpr batch list), not '%s'"), s);
	batch_id = n;
	return KPR_OK;
}

/* Batch N's own row (t's first), as field and value. */
static int show_details(const struct kpr_batch_table *t)
{
	static const struct kpr_print_column cols[] = { TEXT("field", N_("field")), TEXT("value", N_("value")) };
	char title[64];
	snprintf(title, sizeof(title), _("Import batch %ld"), batch_id);
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = title };
	struct kpr_print *p = kpr_print_begin(stdout, cols, KPR_ARRAY_SIZE(cols), &po);
	/* the listed columns, sha256, then when, by whom and why it was reverted if it was */
	static const size_t order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, COL_SHA256, COL_REVERTED, 14, 15 };
	size_t n = kpr_batch_cell(t, 0, COL_REVERTED) ? KPR_ARRAY_SIZE(order) : COL_SHA256;
	for (size_t i = 0; i < n; i++) {
		kpr_print_row(p);
		kpr_print_text(p, _(list_cols[order[i]].heading));
		kpr_print_text(p, kpr_batch_cell(t, 0, order[i]));
	}
	int rc = kpr_print_end(p);
	putchar('\n');
	return rc;
}

static const struct part {
	const char *title;
	enum kpr_batch_part_kind part;
	const char *kind;		/* the kind of batch that writes such rows; NULL: any */
	struct kpr_print_column cols[6];	/* up to the first without a name */
} parts[] = {
	{ N_("Projects it created or changed"), KPR_BATCH_PROJECTS, NULL,
	  { TEXT("code", N_("code")), TEXT("name", N_("name")), TEXT("change", N_("change")),
	    TEXT("fields", N_("fields (old → new)")) } },
	{ N_("Annual plans it rebaselined"), KPR_BATCH_PLANS, "projects",
	  { TEXT("code", N_("code")), INT("year", N_("year")), MONEY("old_plan", N_("old plan")),
	    MONEY("new_plan", N_("new plan")) } },
	{ N_("Progress it wrote"), KPR_BATCH_PROGRESS, "progress",
	  { TEXT("code", N_("code")), TEXT("month", N_("month")), MONEY("amount", N_("month amount")),
	    MONEY("ytd", N_("year to date")), TEXT("change", N_("change")), INT("line", N_("line")) } },
	{ N_("Its other audited rows"), KPR_BATCH_OTHER, NULL,
	  { TEXT("table", N_("table")), TEXT("op", N_("op")), TEXT("code", N_("code")), TEXT("row", N_("row")) } },
};

/* One part: its title, its first rows (or "(none)"), how many more, a blank line. */
static int show_part(PGconn *conn, const struct part *pt)
{
	struct kpr_batch_table t;
	size_t ncols = 0;
	int rc = kpr_batch_part(conn, batch_id, pt->part, opt.limit, &t);
	if (rc != KPR_OK)
		return rc;
	while (ncols < KPR_ARRAY_SIZE(pt->cols) && pt->cols[ncols].name)
		ncols++;
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = _(pt->title), .empty = _("(none)") };
	rc = print_cells(pt->cols, ncols, &t, &po);
	if ((long)t.nrows < t.total)
		printf(_("(%zu of %ld shown; --limit 0 shows all)\n"), t.nrows, t.total);
	putchar('\n');
	kpr_batch_table_release(&t);
	return rc;
}

static int run_show(struct kpr_ctx *ctx)
{
	struct kpr_batch_filter f = { .id = batch_id };
	struct kpr_batch_table t;
	int rc = kpr_batch_list(ctx->conn, &f, &t);
	if (rc != KPR_OK)
		return rc;
	if (t.nrows == 0) {
		kpr_log_error(_("no import batch %ld"), batch_id);
		kpr_log_hint(_("\"kpr batch list\" lists the batches."));
		kpr_batch_table_release(&t);
		return KPR_EINPUT;
	}
	const char *kind = kpr_batch_cell(&t, 0, 1);
	rc = show_details(&t);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(parts) && rc == KPR_OK; i++)
		if (!parts[i].kind || strcmp(parts[i].kind, kind) == 0)
			rc = show_part(ctx->conn, &parts[i]);
	kpr_batch_table_release(&t);
	return rc;
}

static int check_revert(struct kpr_ctx *ctx)
{
	if (!opt.reason || !*opt.reason)
		return kpr_log_usage("batch", "%s", _("revert needs --reason TEXT: why the batch is undone"));
	return check_show(ctx);
}

/* "batch 3 reverted: 1 progress row no longer counts; 0 projects restored, ...": each count
 * with its own plural */
static void say_reverted(const struct kpr_revert_result *r)
{
	char n[6][96];
	snprintf(n[0], sizeof(n[0]), P_("%ld progress row no longer counts", "%ld progress rows no longer count",
					r->progress), r->progress);
	snprintf(n[1], sizeof(n[1]), P_("%ld project restored", "%ld projects restored", r->restored), r->restored);
	snprintf(n[2], sizeof(n[2]), P_("%ld scenario link undone", "%ld scenario links undone", r->scenarios),
		 r->scenarios);
	snprintf(n[3], sizeof(n[3]), P_("%ld rebaseline undone", "%ld rebaselines undone", r->plans), r->plans);
	snprintf(n[4], sizeof(n[4]), P_("%ld list entry removed", "%ld list entries removed", r->unlisted),
		 r->unlisted);
	snprintf(n[5], sizeof(n[5]), P_("%ld project deleted", "%ld projects deleted", r->deleted), r->deleted);
	/* TRANSLATORS: the %s are the counts above, in this order */
	kpr_log_info(_("batch %ld reverted: %s; %s, %s, %s, %s, %s"), batch_id, n[0], n[1], n[2], n[3], n[4], n[5]);
}

static int run_revert(struct kpr_ctx *ctx)
{
	struct kpr_revert_result r;
	int rc = kpr_revert_batch(ctx->conn, batch_id, opt.reason, opt.force, &r);
	if (rc == KPR_OK) {
		say_reverted(&r);
		if (r.conflicts.nrows) {
			kpr_log_warning(P_("kept %zu row later batches or changes touched (--force)",
					   "kept %zu rows later batches or changes touched (--force)", r.conflicts.nrows),
					r.conflicts.nrows);
			kpr_revert_detail_conflicts(&r);
		}
	}
	kpr_revert_result_release(&r);
	return rc;
}

static const struct kpr_command batch_list = {
	.name = "list", .db = NEEDS_DB, .options = list_options, .too_many = N_("too many arguments"),
	.check = check_list, .run = run_list,
};
static const struct kpr_command batch_show = {
	.name = "show", .db = NEEDS_DB, .options = show_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the batch number (kpr batch show N)"), .too_many = N_("too many arguments"),
	.check = check_show, .run = run_show,
};

static const struct kpr_command batch_revert = {
	.name = "revert", .db = NEEDS_DB, .options = revert_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the batch number (kpr batch revert N --reason TEXT)"),
	.too_many = N_("too many arguments"), .check = check_revert, .run = run_revert,
};

static const struct kpr_command *const batch_actions[] = { &batch_list, &batch_show, &batch_revert, NULL };

const struct kpr_command kpr_cmd_batch = {
	.name = "batch",
	.summary = N_("list the import batches, show what one wrote, revert one"),
	.usage = batch_usage,
	.options = batch_options,
	.missing = N_("missing action (list, show)"),
	.subcommands = batch_actions,
	.unknown = N_("unknown action '%s'"),
};
