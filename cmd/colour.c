/* colour.c: kpr colour set|clear (kpr color): a manual colour above the rules. */
#include "builtin.h"

#include <stdio.h>

#include "evaluation.h"
#include "log.h"
#include "month.h"
#include "override.h"

static const char colour_usage[] =
	N_("usage: kpr colour set CODE COLOUR --reason TEXT [--from YYYY-MM] [--until YYYY-MM]\n"
	   "       kpr colour clear CODE --reason TEXT\n"
	   "\n"
	   "A manual colour (人工认定) sits above the colour rules: kpr colours gives it to the project\n"
	   "from --from through --until, or until it is cleared, and it is shown as a manual colour\n"
	   "with its author and reason wherever the colour is.\n"
	   "\n"
	   "  set    COLOUR is red, yellow, green or blue (红 黄 绿 蓝); --reason is required.  The\n"
	   "         latest colour set wins where several apply.\n"
	   "  clear  end every colour set for the project (who and why are recorded); --reason is\n"
	   "         required.  The rules give its colour again at the next kpr colours.\n"
	   "\n"
	   "Both are audited and need the city's role.  Also spelt \"kpr color\".\n");

static const char colour_footer[] =
	N_("The default --from is the month kpr colours evaluates by default.  Exit status 1 for an\n"
	   "unknown project or nothing to clear, 2 for a bad colour or months, 4 without the city's\n"
	   "role.\n");

static struct {
	const char *reason;
	int from, until;
} opt = { NULL, -1, -1 };

#define REASON_OPT KPR_OPT_STR(0, "reason", &opt.reason, "TEXT", N_("why (recorded with the colour; required)"))
#define FROM_OPT KPR_OPT_MONTHS(0, "from", &opt.from, N_("set: the first month it applies (default: the month\n" \
							      "kpr colours evaluates by default)"))
#define UNTIL_OPT KPR_OPT_MONTHS(0, "until", &opt.until, N_("set: the last month it applies (default: until cleared)"))

static const struct kpr_option colour_options[] = { REASON_OPT, FROM_OPT, UNTIL_OPT, KPR_OPT_END };
static const struct kpr_option set_options[] = { REASON_OPT, FROM_OPT, UNTIL_OPT, KPR_OPT_END };
static const struct kpr_option clear_options[] = { REASON_OPT, KPR_OPT_END };

static enum kpr_colour colour;

static int check_reason(const char *action)
{
	if (!opt.reason || !*opt.reason)
		return kpr_log_usage("colour", _("%s needs --reason TEXT: why"), action);
	return KPR_OK;
}

static int check_set(struct kpr_ctx *ctx)
{
	if (!kpr_colour_parse(ctx->argv[1], &colour))
		return kpr_log_usage("colour", _("COLOUR must be red, yellow, green or blue (红 黄 绿 蓝), not '%s'"),
				     ctx->argv[1]);
	if (opt.from >= 0 && opt.until >= 0 && opt.until < opt.from)
		return kpr_log_usage("colour", "%s", _("--until must not be before --from"));
	return check_reason("set");
}

static int run_set(struct kpr_ctx *ctx)
{
	struct kpr_override o = { .code = ctx->argv[0], .colour = colour, .reason = opt.reason, .from = opt.from,
				  .until = opt.until < 0 ? KPR_COLOUR_NONE : opt.until };
	char from[8], until[8];
	long id;
	int rc;

	if (o.from < 0 && (rc = kpr_evaluation_default_month(ctx->conn, &o.from)) != KPR_OK)
		return rc;
	if (o.until != KPR_COLOUR_NONE && o.until < o.from)
		return kpr_log_usage("colour", _("--until must not be before --from (%s)"), kpr_month_format(o.from, from));
	if ((rc = kpr_override_set(ctx->conn, &o, &id)) != KPR_OK)
		return rc;
	kpr_month_format(o.from, from);
	if (o.until == KPR_COLOUR_NONE)
		kpr_log_info(_("%s: %s %s from %s until cleared (manual colour %ld); kpr colours stores it"), o.code,
			     kpr_colour_name_zh(colour), kpr_colour_name(colour), from, id);
	else
		kpr_log_info(_("%s: %s %s from %s until %s (manual colour %ld); kpr colours stores it"), o.code,
			     kpr_colour_name_zh(colour), kpr_colour_name(colour), from, kpr_month_format(o.until, until),
			     id);
	return KPR_OK;
}

static int check_clear(struct kpr_ctx *ctx)
{
	(void)ctx;
	return check_reason("clear");
}

static int run_clear(struct kpr_ctx *ctx)
{
	long n;
	int rc = kpr_override_clear(ctx->conn, ctx->argv[0], opt.reason, &n);
	if (rc == KPR_OK)
		kpr_log_info(P_("%s: %ld manual colour cleared; the rules give its colour at the next kpr colours",
				"%s: %ld manual colours cleared; the rules give its colour at the next kpr colours", n),
			     ctx->argv[0], n);
	return rc;
}

static const struct kpr_command colour_set = {
	.name = "set",
	.db = NEEDS_DB,
	.options = set_options,
	.min_args = 2,
	.max_args = 2,
	.missing = N_("missing the project code and the colour (kpr colour set CODE COLOUR --reason TEXT)"),
	.check = check_set,
	.run = run_set,
};

static const struct kpr_command colour_clear = {
	.name = "clear",
	.db = NEEDS_DB,
	.options = clear_options,
	.min_args = 1,
	.max_args = 1,
	.missing = N_("missing the project code (kpr colour clear CODE --reason TEXT)"),
	.check = check_clear,
	.run = run_clear,
};

static const struct kpr_command *const colour_actions[] = { &colour_set, &colour_clear, NULL };

#define COLOUR_COMMAND(cmd_name, cmd_summary)                                                              \
	{ .name = cmd_name, .summary = cmd_summary, .usage = colour_usage, .options = colour_options,         \
	  .footer = colour_footer, .missing = N_("missing action (set, clear)"), .subcommands = colour_actions,  \
	  .unknown = N_("unknown action '%s'") }

const struct kpr_command kpr_cmd_colour = COLOUR_COMMAND("colour", N_("set or clear a manual colour above the rules"));
/* the same, spelt the American way (not listed) */
const struct kpr_command kpr_cmd_color = COLOUR_COMMAND("color", NULL);
