/* stage.c: kpr stage CODE POOL [--date YYYY-MM-DD] [--reason TEXT]: the city moves a project between pools. */
#include "builtin.h"

#include <stdio.h>

#include "log.h"
#include "month.h"
#include "stage.h"
#include "utf8.h"

static const char stage_usage[] =
	N_("usage: kpr stage CODE POOL [--date YYYY-MM-DD] [--reason TEXT]\n"
	   "\n"
	   "Move a project into another of the project pools (项目库), named by its code, its Chinese or\n"
	   "its English name (kpr config lists them).  Forward moves may skip pools; a move back needs\n"
	   "--reason, and so does a withdrawal (退库): kpr stage CODE withdrawn --reason TEXT.  Every\n"
	   "move is recorded (pool_move) with its date, who made it and why.  The city office's role.\n");

static const char stage_footer[] =
	N_("Exit status 1 for an unknown project or pool, or a move back or withdrawal without a reason;\n"
	   "4 when the role is not the city office's.  Nothing is written then.\n");

static const char *date_arg, *reason;
static char date[11];

static const struct kpr_option stage_options[] = {
	KPR_OPT_STR(0, "date", &date_arg, "YYYY-MM-DD", N_("the day of the move (default: today)")),
	KPR_OPT_STR(0, "reason", &reason, "TEXT", N_("why: needed for a move back or a withdrawal")),
	KPR_OPT_END
};

static int check_stage(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (date_arg && kpr_date_parse(date_arg, date) != KPR_OK)
		return kpr_fail(KPR_EINPUT, _("--date must be a date like 2023-04-15, not '%s'"), date_arg);
	if (reason && !*reason)
		return kpr_fail(KPR_EINPUT, _("an empty --reason is no reason"));
	return KPR_OK;
}

static int run_stage(struct kpr_ctx *ctx)
{
	struct kpr_stage_request rq = { .code = ctx->argv[0], .pool = ctx->argv[1],
					.date = date_arg ? date : NULL, .reason = reason };
	struct kpr_stage_result r;
	int rc = kpr_stage(ctx->conn, &rq, &r);
	if (rc == KPR_OK && !ctx->quiet) {
		struct kpr_strbuf name = KPR_STRBUF_INIT;
		kpr_text_escape(&name, r.project.name);	/* as a table shows it: nothing raw */
		if (r.moved)
			printf(_("%s %s: %s → %s on %s\n"), r.project.code, name.buf ? name.buf : "", r.from ? r.from : "-",
			       r.to, r.date);
		else
			printf(_("%s %s: already in %s; nothing written\n"), r.project.code, name.buf ? name.buf : "", r.to);
		kpr_strbuf_release(&name);
	}
	kpr_stage_result_release(&r);
	return rc;
}

const struct kpr_command kpr_cmd_stage = {
	.name = "stage",
	.summary = N_("move a project between the project pools (the city)"),
	.db = NEEDS_DB,
	.usage = stage_usage,
	.options = stage_options,
	.footer = stage_footer,
	.min_args = 2,
	.max_args = 2,
	.missing = N_("missing the project code and the pool (kpr stage CODE POOL)"),
	.check = check_stage,
	.run = run_stage,
};
