/* show.c: kpr show CODE: one project's card. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "card.h"
#include "listing.h"
#include "log.h"
#include "month.h"
#include "print.h"
#include "project_find.h"
#include "strbuf.h"

static const char show_usage[] =
	N_("usage: kpr show CODE [--format table|json]\n"
	   "\n"
	   "One project's card: every field; its scenarios and annual plan year by year, with the\n"
	   "plans they replaced (rebaselines); its progress month by month with the year-to-date\n"
	   "(the sum of the year's month amounts so far) and the completion rate (year-to-date ÷\n"
	   "annual plan), and the earlier versions of corrected months; its pool moves; its colour\n"
	   "as of the latest month with reports (and why: a rule or an override); and its last\n"
	   "changes from the audit trail (kpr log CODE shows them all).  Money is in 万元.\n");

static const char show_footer[] =
	N_("Exit status 1 when no project has the code (the nearest code or name is suggested).\n");

static struct {
	const char *format;
	int changes;
} opt = { NULL, 10 };

static const struct kpr_option show_options[] = {
	KPR_OPT_STR(0, "format", &opt.format, "FORMAT", N_("table (default) or json")),
	KPR_OPT_INTEGER(0, "changes", &opt.changes, "N", N_("the last N changes (default 10; 0: all)"), 0, 1000000000,
			N_("--changes must be a number of changes (0: all), not '%s'")),
	KPR_OPT_END
};

static enum kpr_print_format format;

/* An output column: a cell of the part's table by its type, or a percent of two cells. */
struct col {
	struct kpr_print_column pc;
	int src, den;		/* the cell; a percent: the numerator's and the denominator's */
};

#define TEXT(name, heading, src) { { name, heading, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 }, src, 0 }
#define INT(name, heading, src) { { name, heading, KPR_PRINT_INT, KPR_UNIT_NONE, 0 }, src, 0 }
#define MONEY(name, heading, src) { { name, heading, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 }, src, 0 }
#define RATE(name, heading, num, den) { { name, heading, KPR_PRINT_PERCENT, KPR_UNIT_NONE, 1 }, num, den }

static void print_cell(struct kpr_print *p, const struct col *c, const struct kpr_batch_table *t, size_t r)
{
	const char *s = kpr_batch_cell(t, r, (size_t)c->src);
	if (c->pc.type == KPR_PRINT_PERCENT) {
		const char *d = kpr_batch_cell(t, r, (size_t)c->den);
		if (s && d)
			kpr_print_percent(p, strtoll(s, NULL, 10), strtoll(d, NULL, 10));
		else
			kpr_print_null(p);
	} else if (!s) {
		kpr_print_null(p);
	} else if (c->pc.type == KPR_PRINT_INT) {
		kpr_print_int(p, strtoll(s, NULL, 10));
	} else if (c->pc.type == KPR_PRINT_MONEY) {
		kpr_print_money(p, strtoll(s, NULL, 10));
	} else if (format == KPR_PRINT_TABLE && strchr(s, '\n')) {
		/* a multi-line cell (a change's fields) on one line */
		struct kpr_strbuf sb = KPR_STRBUF_INIT;
		for (; *s; s++)
			if (*s == '\n')
				kpr_strbuf_adds(&sb, "; ");
			else
				kpr_strbuf_addch(&sb, *s);
		kpr_print_text(p, sb.buf);
		kpr_strbuf_release(&sb);
	} else {
		kpr_print_text(p, s);
	}
}

/* A part's rows under its columns: a titled table, or "KEY": [array] in the JSON object. */
static int print_part(const char *key, const char *title, const struct col *cols, size_t ncols,
		      const struct kpr_batch_table *t)
{
	struct kpr_print_column pcs[16];
	for (size_t c = 0; c < ncols; c++) {
		pcs[c] = cols[c].pc;
		pcs[c].heading = _(cols[c].pc.heading);
	}
	if (format == KPR_PRINT_JSON)
		printf(",\n\"%s\": ", key);
	struct kpr_print_opts po = { .format = format, .title = title, .empty = _("(none)") };
	struct kpr_print *p = kpr_print_begin(stdout, pcs, ncols, &po);
	for (size_t r = 0; r < t->nrows; r++) {
		kpr_print_row(p);
		for (size_t c = 0; c < ncols; c++)
			print_cell(p, &cols[c], t, r);
	}
	int rc = kpr_print_end(p);
	if (format == KPR_PRINT_TABLE)
		putchar('\n');
	return rc;
}

static const struct col field_cols[] = {
	TEXT("code", N_("code"), 0), TEXT("name", N_("name"), 1), TEXT("region", N_("region"), 2),
	TEXT("zone", N_("zone"), 3), TEXT("level", N_("level"), 4), TEXT("nature", N_("nature"), 5),
	TEXT("industry", N_("industry"), 6), TEXT("owner", N_("owner"), 7),
	TEXT("responsible_unit", N_("responsible unit"), 8), TEXT("leader", N_("leader"), 9),
	TEXT("scope", N_("scope"), 10), INT("start_year", N_("start year"), 11), INT("end_year", N_("end year"), 12),
	TEXT("planned_start", N_("planned start"), 13), MONEY("total_investment", N_("total investment"), 14),
	TEXT("pool", N_("pool"), 15), TEXT("actual_start", N_("actual start"), 16),
	TEXT("completed_on", N_("completed on"), 17), TEXT("remarks", N_("remarks"), 18),
	TEXT("created_at", N_("created"), 19), TEXT("updated_at", N_("updated"), 20), INT("batch", N_("last batch"), 21),
};

/* Row r of t under cols as one JSON object (the printer's one-row array, brackets taken off);
 * without its opening brace when it goes on an object already begun. */
static int print_object(const struct col *cols, size_t ncols, const struct kpr_batch_table *t, size_t r,
			bool brace)
{
	struct kpr_print_column pcs[32];
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return kpr_fail(KPR_EFILE, _("out of memory"));
	for (size_t c = 0; c < ncols; c++)
		pcs[c] = cols[c].pc;
	struct kpr_print_opts po = { .format = KPR_PRINT_JSON };
	struct kpr_print *p = kpr_print_begin(mem, pcs, ncols, &po);
	kpr_print_row(p);
	for (size_t c = 0; c < ncols; c++)
		print_cell(p, &cols[c], t, r);
	int rc = kpr_print_end(p);
	fclose(mem);
	if (rc == KPR_OK && len > 6)	/* "[\n{...}\n]\n" */
		printf("%.*s", (int)(len - 5 - !brace), buf + 2 + !brace);
	free(buf);
	return rc;
}

/* The fields and the colour: field/value lines in the table; "project" and "colour" in JSON. */
static int print_fields(const struct kpr_batch_table *t, const struct kpr_batch_table *colour, int month)
{
	static const struct col colour_cols[] = { TEXT("colour", N_("colour"), 0), TEXT("why", N_("why"), 1) };
	const char *c = kpr_batch_cell(colour, 0, 0), *why = kpr_batch_cell(colour, 0, 1);
	char title[256], text[256], m[8];
	int rc;
	if (format == KPR_PRINT_JSON) {
		printf("{\"project\": ");
		if ((rc = print_object(field_cols, KPR_ARRAY_SIZE(field_cols), t, 0, true)) != KPR_OK)
			return rc;
		if (month)
			printf(",\n\"colour\": {\"month\": \"%s\", ", kpr_month_format(month, m));
		else
			printf(",\n\"colour\": {\"month\": null, ");
		return print_object(colour_cols, 2, colour, 0, false);	/* its keys go on after "month" */
	}
	snprintf(title, sizeof(title), _("Project %s"), kpr_batch_cell(t, 0, 0));
	struct kpr_print_column pcs[] = { { "field", _("field"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
					  { "value", _("value"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 } };
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = title };
	struct kpr_print *p = kpr_print_begin(stdout, pcs, 2, &po);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(field_cols); i++) {
		const char *s = kpr_batch_cell(t, 0, (size_t)field_cols[i].src);
		char buf[32];
		kpr_print_row(p);
		kpr_print_text(p, _(field_cols[i].pc.heading));
		kpr_print_text(p, s && field_cols[i].pc.type == KPR_PRINT_MONEY ? kpr_money_format_wan(strtoll(s, NULL, 10), buf) : s);
	}
	/* the colour engine (issue 11) is to say more here: the figures behind the rule */
	if (!month)
		snprintf(text, sizeof(text), "%s", _("unrated (no reports yet)"));
	else if (c)
		snprintf(text, sizeof(text), _("%s as of %s (%s)"), c, kpr_month_format(month, m), why ? why : "");
	else
		snprintf(text, sizeof(text), _("unrated as of %s (no evaluation, no override)"), kpr_month_format(month, m));
	kpr_print_row(p);
	kpr_print_text(p, _("colour"));
	kpr_print_text(p, text);
	rc = kpr_print_end(p);
	putchar('\n');
	return rc;
}

static const struct col year_cols[] = {
	INT("year", N_("year"), 0), TEXT("scenarios", N_("scenarios"), 1), MONEY("annual_plan", N_("annual plan"), 2),
	TEXT("reason", N_("reason"), 3), INT("batch", N_("batch"), 4),
};
static const struct col rebaseline_cols[] = {
	INT("year", N_("year"), 0), MONEY("plan_before", N_("plan before"), 1), TEXT("reason", N_("reason"), 2),
	TEXT("replaced_at", N_("replaced"), 3), INT("batch", N_("by batch"), 4),
};
static const struct col progress_cols[] = {
	TEXT("month", N_("month"), 0), MONEY("amount", N_("amount"), 1), MONEY("ytd", N_("year to date"), 2),
	RATE("completion_rate", N_("rate %"), 2, 3), TEXT("progress", N_("progress"), 4),
	TEXT("problems", N_("problems"), 5), TEXT("started", N_("started"), 6), TEXT("reported_by", N_("by"), 7),
	TEXT("reported_at", N_("at"), 8), INT("batch", N_("batch"), 9), INT("versions", N_("versions"), 10),
};
static const struct col version_cols[] = {
	TEXT("month", N_("month"), 0), MONEY("amount", N_("amount"), 1), MONEY("ytd", N_("reported ytd"), 2),
	TEXT("reported_by", N_("by"), 3), TEXT("reported_at", N_("at"), 4), INT("batch", N_("batch"), 5),
	TEXT("status", N_("status"), 6),
};
static const struct col pool_cols[] = {
	TEXT("moved_on", N_("on"), 0), TEXT("from", N_("from"), 1), TEXT("to", N_("to"), 2),
	TEXT("reason", N_("reason"), 3), TEXT("moved_by", N_("by"), 4), TEXT("moved_at", N_("at"), 5),
};
static const struct col change_cols[] = {
	TEXT("when", N_("when"), KPR_AUDIT_WHEN), TEXT("who", N_("who"), KPR_AUDIT_WHO),
	TEXT("kind", N_("kind"), KPR_AUDIT_KIND), INT("id", N_("id"), KPR_AUDIT_ID),
	TEXT("table", N_("table"), KPR_AUDIT_TABLE), TEXT("op", N_("op"), KPR_AUDIT_OP),
	TEXT("file", N_("file"), KPR_AUDIT_FILE), TEXT("fields", N_("fields"), KPR_AUDIT_FIELDS),
};

static const struct part {
	const char *key, *title;
	enum kpr_card_part part;
	const struct col *cols;
	size_t ncols;
} parts[] = {
	{ "years", N_("Years: scenarios and annual plan"), KPR_CARD_YEARS, year_cols, KPR_ARRAY_SIZE(year_cols) },
	{ "rebaselines", N_("Rebaselines: the annual plans replaced"), KPR_CARD_REBASELINES, rebaseline_cols,
	  KPR_ARRAY_SIZE(rebaseline_cols) },
	{ "progress", N_("Progress month by month (current figures)"), KPR_CARD_PROGRESS, progress_cols,
	  KPR_ARRAY_SIZE(progress_cols) },
	{ "corrections", N_("Corrections: earlier versions of months"), KPR_CARD_VERSIONS, version_cols,
	  KPR_ARRAY_SIZE(version_cols) },
	{ "pool_moves", N_("Pool moves"), KPR_CARD_POOLS, pool_cols, KPR_ARRAY_SIZE(pool_cols) },
};

static int check_show(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.format && (!kpr_print_format_parse(opt.format, &format) ||
			   (format != KPR_PRINT_TABLE && format != KPR_PRINT_JSON)))
		return kpr_log_usage("show", _("--format must be table or json, not '%s'"), opt.format);
	return KPR_OK;
}

/* The last changes: a table of its own, or "changes" in JSON. */
static int changes(PGconn *conn, const char *code)
{
	struct kpr_auditlog_filter f = { .code = code, .limit = opt.changes };
	struct kpr_batch_table t;
	char title[128];
	int rc = kpr_auditlog_read(conn, &f, &t);
	if (rc != KPR_OK)
		return rc;
	if ((long)t.nrows < t.total)
		snprintf(title, sizeof(title), _("Last changes (%zu of %ld; kpr log %s shows all)"), t.nrows, t.total, code);
	else
		snprintf(title, sizeof(title), "%s", _("Changes"));
	rc = print_part("changes", title, change_cols, KPR_ARRAY_SIZE(change_cols), &t);
	kpr_batch_table_release(&t);
	return rc;
}

static int run_show(struct kpr_ctx *ctx)
{
	const char *code = ctx->argv[0];
	struct kpr_batch_table fields, colour, t;
	int64_t id;
	int year, month = 0, rc = kpr_project_find(ctx->conn, code, &id);
	if (rc != KPR_OK)
		return rc;
	if ((rc = kpr_card_part(ctx->conn, id, KPR_CARD_FIELDS, &fields)) != KPR_OK)
		return rc;
	if (fields.nrows == 0) {	/* deleted since it was found */
		kpr_batch_table_release(&fields);
		return kpr_fail(KPR_EINPUT, _("no project with code '%s'"), code);
	}
	if ((rc = kpr_listing_period(ctx->conn, &year, &month)) == KPR_OK &&
	    (rc = kpr_card_colour(ctx->conn, id, month, &colour)) == KPR_OK) {
		rc = print_fields(&fields, &colour, month);
		kpr_batch_table_release(&colour);
	}
	kpr_batch_table_release(&fields);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(parts) && rc == KPR_OK; i++) {
		if ((rc = kpr_card_part(ctx->conn, id, parts[i].part, &t)) != KPR_OK)
			break;
		rc = print_part(parts[i].key, _(parts[i].title), parts[i].cols, parts[i].ncols, &t);
		kpr_batch_table_release(&t);
	}
	if (rc == KPR_OK)
		rc = changes(ctx->conn, code);
	if (format == KPR_PRINT_JSON && rc == KPR_OK)
		printf("}\n");
	return rc;
}

const struct kpr_command kpr_cmd_show = {
	.name = "show", .summary = N_("show one project: fields, plans, progress, pools, colour, changes"),
	.db = NEEDS_DB, .usage = show_usage, .options = show_options, .footer = show_footer,
	.min_args = 1, .max_args = 1, .missing = N_("missing the project code (kpr show CODE)"),
	.too_many = N_("too many arguments"), .check = check_show, .run = run_show,
};
