/*
 * update.c: kpr update CODE --month YYYY-MM (--amount N | --ytd N) [...]: one project's monthly
 * report, with its line before and after.
 */
#include "builtin.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "month.h"
#include "print.h"
#include "update.h"

static const char update_usage[] =
	N_("usage: kpr update CODE --month YYYY-MM (--amount N | --ytd N) [--progress TEXT] [--problems TEXT]\n"
	   "                  [--started YYYY-MM-DD] [--completed YYYY-MM-DD] [--reason TEXT]\n"
	   "\n"
	   "Post one project's report for a month: the investment completed in the month (本月完成投资,\n"
	   "万元), or the year-to-date (累计完成投资) from which the month is derived, with the physical\n"
	   "progress (形象进度), the problems (存在问题), and the actual start or completion.  Prints the\n"
	   "project's line before and after: month, month amount, year-to-date, completion rate.\n"
	   "\n"
	   "Posting a month again is a correction: the earlier figure stays in the history, the new one\n"
	   "is current.  A negative month (调减) needs --reason; no month's year-to-date may go below\n"
	   "zero.  --started and --completed move the project into the pools the configuration marks\n"
	   "started and completed, recorded as pool moves.  A closed month (kpr period) is the city's\n"
	   "alone, with --reason.  When another posting of the project or an import is running, the\n"
	   "update waits for it, and says so after a second.\n");

static const char update_footer[] =
	N_("Exit status 1 when the report is refused (unknown code, a month in the future or before the\n"
	   "project's start year, --amount with --ytd, a negative month without a reason, a start after\n"
	   "the completion, a completion never started); 4 when the month is closed or the role may not\n"
	   "post the project.  Nothing is written then.\n");

/* what an amount option holds when it was not given: no amount parses to it */
#define NOT_GIVEN INT64_MIN

static struct {
	int month;
	int64_t amount, ytd;
	const char *progress, *problems, *started, *completed, *reason;
} o = { .month = -1, .amount = NOT_GIVEN, .ytd = NOT_GIVEN };
static char started[11], completed[11];

static const struct kpr_option update_options[] = {
	KPR_OPT_MONTHS(0, "month", &o.month, N_("the month reported (required)")),
	KPR_OPT_AMOUNT(0, "amount", &o.amount, "N", N_("the investment completed in the month, 万元")),
	KPR_OPT_AMOUNT(0, "ytd", &o.ytd, "N", N_("or the year-to-date, 万元: the month is what it adds to the\n"
						  "earlier months")),
	KPR_OPT_STR(0, "progress", &o.progress, "TEXT", N_("physical progress (形象进度)")),
	KPR_OPT_STR(0, "problems", &o.problems, "TEXT", N_("problems (存在问题)")),
	KPR_OPT_STR(0, "started", &o.started, "YYYY-MM-DD", N_("the actual start (实际开工时间)")),
	KPR_OPT_STR(0, "completed", &o.completed, "YYYY-MM-DD", N_("the completion (竣工)")),
	KPR_OPT_STR(0, "reason", &o.reason, "TEXT", N_("why: a negative month (调减), a closed month")),
	KPR_OPT_END
};

static int parse_date(const char *opt, const char *s, char *buf)
{
	if (!s)
		return KPR_OK;
	if (kpr_date_parse(s, buf) != KPR_OK)
		return kpr_fail(KPR_EINPUT, _("%s must be a date like 2023-04-15, not '%s'"), opt, s);
	return KPR_OK;
}

static int check_update(struct kpr_ctx *ctx)
{
	bool amount = o.amount != NOT_GIVEN, ytd = o.ytd != NOT_GIVEN;
	(void)ctx;
	if (o.month < 0)
		return kpr_log_usage("update", _("missing --month YYYY-MM"));
	if (amount && ytd)
		return kpr_fail(KPR_EINPUT, _("give --amount or --ytd, not both: the month is one or derived from the other"));
	if (!amount && !ytd)
		return kpr_log_usage("update", _("missing --amount N or --ytd N"));
	if (o.reason && !*o.reason)
		return kpr_fail(KPR_EINPUT, _("an empty --reason is no reason"));
	int rc;
	if ((rc = parse_date("--started", o.started, started)) != KPR_OK ||
	    (rc = parse_date("--completed", o.completed, completed)) != KPR_OK)
		return rc;
	if (o.started && o.completed && strcmp(started, completed) > 0)
		return kpr_fail(KPR_EINPUT, _("--started %s is after --completed %s"), started, completed);
	return KPR_OK;
}

/* month, month amount, year-to-date, completion rate: the line before and after */
static const struct kpr_print_column line_columns[] = {
	{ "when", N_(" "), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
	{ "month", N_("month"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
	{ "amount", N_("month (万元)"), KPR_PRINT_MONEY, KPR_UNIT_WAN, 4 },
	{ "ytd", N_("year-to-date (万元)"), KPR_PRINT_MONEY, KPR_UNIT_WAN, 4 },
	{ "completion_rate", N_("completion rate %"), KPR_PRINT_PERCENT, KPR_UNIT_NONE, 1 },
	{ "version", N_("version"), KPR_PRINT_INT, KPR_UNIT_NONE, 0 },
};

static void print_line(struct kpr_print *p, const char *when, const char *month, const struct kpr_update_line *l)
{
	kpr_print_row(p);
	kpr_print_text(p, when);
	kpr_print_text(p, month);
	if (l->reported)
		kpr_print_money(p, l->amount);
	else
		kpr_print_null(p);
	if (l->has_ytd)
		kpr_print_money(p, l->ytd);
	else
		kpr_print_null(p);
	if (l->has_ytd && l->has_plan)
		kpr_print_percent(p, l->ytd, l->plan);
	else
		kpr_print_null(p);
	if (l->version)
		kpr_print_int(p, l->version);
	else
		kpr_print_null(p);
}

static int run_update(struct kpr_ctx *ctx)
{
	struct kpr_update_request rq = {
		.code = ctx->argv[0], .month = o.month,
		.has_amount = o.amount != NOT_GIVEN, .amount = o.amount,
		.has_ytd = o.ytd != NOT_GIVEN, .ytd = o.ytd,
		.progress = o.progress, .problems = o.problems,
		.started = o.started ? started : NULL, .completed = o.completed ? completed : NULL,
		.reason = o.reason,
	};
	struct kpr_update_result r;
	int rc = kpr_update(ctx->conn, &rq, &r);
	if (rc == KPR_OK && !ctx->quiet) {
		char m[8], title[256];
		struct kpr_print_column cols[KPR_ARRAY_SIZE(line_columns)];
		for (size_t i = 0; i < KPR_ARRAY_SIZE(cols); i++) {
			cols[i] = line_columns[i];
			cols[i].heading = _(line_columns[i].heading);
		}
		snprintf(title, sizeof(title), "%s %s", r.project.code, r.project.name);
		struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = title };
		struct kpr_print *p = kpr_print_begin(stdout, cols, KPR_ARRAY_SIZE(cols), &po);
		kpr_month_format(o.month, m);
		print_line(p, _("before"), m, &r.before);
		print_line(p, _("after"), m, &r.after);
		rc = kpr_print_end(p);
	}
	kpr_update_result_release(&r);
	return rc;
}

const struct kpr_command kpr_cmd_update = {
	.name = "update",
	.summary = N_("post a project's monthly report (or correct it)"),
	.db = NEEDS_DB,
	.usage = update_usage,
	.options = update_options,
	.footer = update_footer,
	.min_args = 1,
	.max_args = 1,
	.missing = N_("missing the project code (kpr update CODE --month YYYY-MM --amount N)"),
	.check = check_update,
	.run = run_update,
};
