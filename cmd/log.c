/* log.c: kpr log [CODE]: the audit trail, newest first, in the manner of git log. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "db.h"
#include "log.h"
#include "month.h"
#include "print.h"
#include "project_find.h"
#include "utf8.h"

static const char log_usage[] =
	N_("usage: kpr log [CODE] [--user ROLE] [--since YYYY-MM-DD] [--table T] [--format table|json]\n"
	   "\n"
	   "The trail of changes, newest first: who (the database user), when (the registry's\n"
	   "clock), which table and project, and field by field old → new.  A change by hand (kpr\n"
	   "update, kpr stage, psql) is an entry of its own; an import is one entry, its batch: the\n"
	   "file, its sha256, the year and the counts (a bulk load audits no rows one by one; with\n"
	   "CODE, the changes it made to that project follow).  With CODE, only that project's\n"
	   "changes and the imports that wrote it.\n");

static const char log_footer[] =
	N_("Exit status 1 when no project has the code (the nearest is suggested) or there is no\n"
	   "such table.\n");

static struct {
	const char *user, *since, *table, *format;
	int limit;
} opt = { NULL, NULL, NULL, NULL, 100 };

static const struct kpr_option log_options[] = {
	KPR_OPT_STR(0, "user", &opt.user, "ROLE", N_("only what this database user did")),
	KPR_OPT_STR(0, "since", &opt.since, "YYYY-MM-DD", N_("only what was done that day or later\n"
							     "(2023-10-01, 2023年10月1日; a month means its 1st)")),
	KPR_OPT_STR(0, "table", &opt.table, "T", N_("only the changes of this table (project, progress,\n"
						    "project_year, pool_move, ...) and the imports that write it")),
	KPR_OPT_STR(0, "format", &opt.format, "FORMAT", N_("table (default: git log's manner) or json")),
	KPR_OPT_INTEGER(0, "limit", &opt.limit, "N", N_("at most N entries (default 100; 0: all)"), 0, 1000000000,
			N_("--limit must be a number of entries (0: all), not '%s'")),
	KPR_OPT_END
};

static enum kpr_print_format format;
static char since[11];

static int check_log(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.since && kpr_date_parse(opt.since, since) != KPR_OK)
		return kpr_log_usage("log", _("--since must be a date like 2023-10-01, not '%s'"), opt.since);
	if (opt.format && (!kpr_print_format_parse(opt.format, &format) ||
			   (format != KPR_PRINT_TABLE && format != KPR_PRINT_JSON)))
		return kpr_log_usage("log", _("--format must be table or json, not '%s'"), opt.format);
	return KPR_OK;
}

/* Is there a table of that name in the registry? */
static int check_table(PGconn *conn, const char *table)
{
	const char *params[] = { table };
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT 1 FROM pg_tables WHERE schemaname = 'kpr' AND tablename = $1", 1, params,
			     &res);
	if (rc != KPR_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	PQclear(res);
	if (!found) {
		kpr_log_error(_("no table '%s' in the registry"), table);
		kpr_log_hint(_("The tables: project, project_year, project_scenario, annual_plan_history, progress, "
			       "pool_move, and the configuration's (region, zone, pool, scenario, colour_rule, setting)."));
		return KPR_EINPUT;
	}
	return KPR_OK;
}

#define CELL(r, c) kpr_batch_cell(t, (r), (c))

/* s as a terminal table shows it (control and bidi characters escaped, utf8.h); it lives in sb
 * until sb's next use */
static const char *shown(struct kpr_strbuf *sb, const char *s)
{
	kpr_strbuf_reset(sb);
	kpr_text_escape(sb, s ? s : "");
	return sb->buf ? sb->buf : "";
}

/* "    line" for each line of s */
static void indented(const char *s)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT, line = KPR_STRBUF_INIT;
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		kpr_strbuf_reset(&line);
		kpr_strbuf_add(&line, s, n);
		printf("    %s\n", shown(&sb, line.buf));
		s += n + (s[n] == '\n');
	}
	kpr_strbuf_release(&sb);
	kpr_strbuf_release(&line);
}

/* One entry, as git log writes a commit: a heading line, who and when, then what. */
static void print_entry(const struct kpr_batch_table *t, size_t r)
{
	const char *code = CELL(r, KPR_AUDIT_CODE), *fields = CELL(r, KPR_AUDIT_FIELDS);
	bool import = strcmp(CELL(r, KPR_AUDIT_KIND), "import") == 0;

	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	if (r > 0)
		putchar('\n');
	if (import)
		printf(_("import batch %s  %s  %s\n"), CELL(r, KPR_AUDIT_ID), CELL(r, KPR_AUDIT_TABLE),
		       shown(&sb, CELL(r, KPR_AUDIT_FILE)));
	else
		printf(_("change %s  %s %s%s%s%s%s\n"), CELL(r, KPR_AUDIT_ID), CELL(r, KPR_AUDIT_TABLE), CELL(r, KPR_AUDIT_OP),
		       code ? "  " : "", code ? code : "", code ? " " : "", code ? shown(&sb, CELL(r, KPR_AUDIT_NAME)) : "");
	kpr_strbuf_release(&sb);
	printf(_("Who:  %s\n"), CELL(r, KPR_AUDIT_WHO));
	printf(_("When: %s\n"), CELL(r, KPR_AUDIT_WHEN));
	if (import) {
		const char *year = CELL(r, KPR_AUDIT_YEAR), *sha = CELL(r, KPR_AUDIT_SHA256);
		printf(_("    sha256 %s%s%s\n"), sha ? sha : _("(none)"), year ? _(", year ") : "", year ? year : "");
		printf(_("    %s rows read: %s new, %s changed, %s unchanged, %s rejected\n"), CELL(r, KPR_AUDIT_READ),
		       CELL(r, KPR_AUDIT_INSERTED), CELL(r, KPR_AUDIT_UPDATED), CELL(r, KPR_AUDIT_UNCHANGED),
		       CELL(r, KPR_AUDIT_REJECTED));
		if (CELL(r, KPR_AUDIT_REVERTED))
			printf(_("    reverted %s\n"), CELL(r, KPR_AUDIT_REVERTED));
		if (fields && code)
			printf(_("    its changes to %s:\n"), code);
	}
	indented(fields);
}

#define TEXT(name) { name, NULL, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 }
#define INT(name) { name, NULL, KPR_PRINT_INT, KPR_UNIT_NONE, 0 }

/* JSON: one object an entry, by enum kpr_audit_col */
static const struct kpr_print_column json_cols[] = {
	TEXT("kind"), INT("id"), TEXT("when"), TEXT("who"), TEXT("table"), TEXT("op"), TEXT("code"), TEXT("name"),
	TEXT("fields"), TEXT("file"), TEXT("sha256"), INT("year"), INT("rows_read"), INT("rows_inserted"),
	INT("rows_updated"), INT("rows_unchanged"), INT("rows_rejected"), TEXT("reverted"),
};

static int print_json(const struct kpr_batch_table *t)
{
	struct kpr_print_opts po = { .format = KPR_PRINT_JSON };
	struct kpr_print *p = kpr_print_begin(stdout, json_cols, KPR_ARRAY_SIZE(json_cols), &po);
	for (size_t r = 0; r < t->nrows; r++) {
		kpr_print_row(p);
		for (size_t c = 0; c < KPR_ARRAY_SIZE(json_cols); c++) {
			const char *s = CELL(r, c);
			if (!s)
				kpr_print_null(p);
			else if (json_cols[c].type == KPR_PRINT_INT)
				kpr_print_int(p, strtoll(s, NULL, 10));
			else
				kpr_print_text(p, s);
		}
	}
	return kpr_print_end(p);
}

static int run_log(struct kpr_ctx *ctx)
{
	const char *code = ctx->argc > 0 ? ctx->argv[0] : NULL;
	struct kpr_auditlog_filter f = { .code = code, .user = opt.user, .since = opt.since ? since : NULL,
					 .table = opt.table, .limit = opt.limit };
	struct kpr_batch_table t;
	int64_t id;
	int rc;

	if (code && (rc = kpr_project_find(ctx->conn, code, &id)) != KPR_OK)
		return rc;
	if (opt.table && (rc = check_table(ctx->conn, opt.table)) != KPR_OK)
		return rc;
	if ((rc = kpr_auditlog_read(ctx->conn, &f, &t)) != KPR_OK)
		return rc;
	if (format == KPR_PRINT_JSON) {
		rc = print_json(&t);
	} else {
		if (t.nrows == 0)
			printf("%s\n", _("(no changes)"));
		for (size_t r = 0; r < t.nrows; r++)
			print_entry(&t, r);
		if ((long)t.nrows < t.total)
			printf(_("\n(%zu of %ld entries shown; --limit 0 shows all)\n"), t.nrows, t.total);
		rc = ferror(stdout) ? KPR_EFILE : KPR_OK;
	}
	kpr_batch_table_release(&t);
	return rc;
}

const struct kpr_command kpr_cmd_log = {
	.name = "log", .summary = N_("the audit trail: who changed what, when, newest first"),
	.db = NEEDS_DB, .usage = log_usage, .options = log_options, .footer = log_footer,
	.min_args = 0, .max_args = 1, .too_many = N_("too many arguments (kpr log takes one project code)"),
	.check = check_log, .run = run_log,
};
