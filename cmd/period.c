/* period.c: kpr period close|reopen|list: the months the city has closed. */
#include "builtin.h"

#include <stdio.h>

#include "log.h"
#include "month.h"
#include "period.h"
#include "print.h"

static const char period_usage[] =
	N_("usage: kpr period close YYYY-MM [--reason TEXT]\n"
	   "       kpr period reopen YYYY-MM --reason TEXT\n"
	   "       kpr period list\n"
	   "\n"
	   "Once the city has published a month's figures it closes the month: offices can then no\n"
	   "longer post or correct it or any earlier month (kpr update exits 4, naming the close); the\n"
	   "city still can, with --reason.  The database enforces it, for kpr and any other client.\n"
	   "\n"
	   "close   close the month (and so every earlier one)\n"
	   "reopen  reopen a closed month, saying why\n"
	   "list    the closes and reopens, with who and when\n");

static const char period_footer[] =
	N_("Exit status 1 for a month in the future or one that is not closed (reopen); 4 when the\n"
	   "role is not the city office's.\n");

static const char *reason;
static int month;

static const struct kpr_option period_options[] = {
	KPR_OPT_STR(0, "reason", &reason, "TEXT", N_("why (needed to reopen)")),
	KPR_OPT_END
};

static int check_month(struct kpr_ctx *ctx)
{
	if (kpr_month_parse(ctx->argv[0], &month) != KPR_OK)
		return kpr_log_usage("period", _("YYYY-MM must be a month like 2023-09, not '%s'"), ctx->argv[0]);
	if (reason && !*reason)
		return kpr_log_usage("period", _("an empty --reason is no reason"));
	return KPR_OK;
}

static int check_reopen(struct kpr_ctx *ctx)
{
	if (!reason)
		return kpr_log_usage("period", _("reopen needs --reason TEXT"));
	return check_month(ctx);
}

static int run_close(struct kpr_ctx *ctx)
{
	return kpr_period_close(ctx->conn, month, reason);
}

static int run_reopen(struct kpr_ctx *ctx)
{
	return kpr_period_reopen(ctx->conn, month, reason);
}

static int run_list(struct kpr_ctx *ctx)
{
	static const struct kpr_print_column cols[] = {
		{ "month", N_("month"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "action", N_("action"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "reason", N_("reason"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "by", N_("by"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "at", N_("at"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
	};
	struct kpr_print_column c[KPR_ARRAY_SIZE(cols)];
	PGresult *res;
	int rc = kpr_period_list(ctx->conn, &res);
	if (rc != KPR_OK)
		return rc;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(cols); i++) {
		c[i] = cols[i];
		c[i].heading = _(cols[i].heading);
	}
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .empty = _("(no month closed)") };
	struct kpr_print *p = kpr_print_begin(stdout, c, KPR_ARRAY_SIZE(c), &po);
	for (int i = 0; i < PQntuples(res); i++) {
		kpr_print_row(p);
		for (int j = 0; j < 5; j++)
			kpr_print_text(p, PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j));
	}
	PQclear(res);
	return kpr_print_end(p);
}

static const struct kpr_command period_close = {
	.name = "close", .db = NEEDS_DB, .options = period_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the month (kpr period close YYYY-MM)"), .check = check_month, .run = run_close,
};
static const struct kpr_command period_reopen = {
	.name = "reopen", .db = NEEDS_DB, .options = period_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the month (kpr period reopen YYYY-MM --reason TEXT)"), .check = check_reopen,
	.run = run_reopen,
};
static const struct kpr_command period_list = {
	.name = "list", .db = NEEDS_DB, .options = period_options, .run = run_list,
};

static const struct kpr_command *const period_actions[] = { &period_close, &period_reopen, &period_list, NULL };

const struct kpr_command kpr_cmd_period = {
	.name = "period",
	.summary = N_("close and reopen months (the city)"),
	.usage = period_usage,
	.options = period_options,
	.footer = period_footer,
	.missing = N_("missing action (close, reopen, list)"),
	.subcommands = period_actions,
	.unknown = N_("unknown action '%s'"),
};
