/* year.c: kpr year open YYYY [--from YYYY]: a new year's scenarios and colour rules. */
#include "builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "strbuf.h"
#include "year.h"

static const char year_usage[] =
	N_("usage: kpr year open YYYY [--from YYYY]\n"
	   "\n"
	   "Prepare a year so that its project list can be imported at once.\n"
	   "\n"
	   "open  copy into YYYY the scenarios of an earlier year that YYYY lacks (one whose code\n"
	   "      or name YYYY already has is YYYY's own, kept as it is), and that year's colour\n"
	   "      rules when YYYY has none (a year's rules are a set: \"kpr import config\" replaces\n"
	   "      them whole).  One transaction, audited row by row; the city office's role.\n"
	   "      Running it again copies nothing.  \"kpr config --year YYYY\" shows the result.\n");

static const char year_footer[] =
	N_("Exit status 1 when there is no year to copy from (no earlier year has scenarios, or\n"
	   "the --from year has none); 4 when the role may not write the configuration.\n");

static int from;

static const struct kpr_option year_options[] = {
	KPR_OPT_INTEGER(0, "from", &from, "YYYY", N_("open: the year to copy from (default: the latest year before\n"
						     "YYYY that has scenarios)"),
			2000, 2100, N_("--from must be a year like 2023, not '%s'")),
	KPR_OPT_END
};

static int year;

/* before connecting: the year is a usage error, as an option's value would be */
static int check_open(struct kpr_ctx *ctx)
{
	const char *arg = ctx->argv[0];
	char *end;

	errno = 0;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < 2000 || v > 2100)
		return kpr_log_usage("year", _("YYYY must be a year from 2000 to 2100, not '%s'"), arg);
	year = (int)v;
	if (from == year)
		return kpr_log_usage("year", _("--from must be another year than %d"), year);
	return KPR_OK;
}

/* "2024: 22 scenarios copied from 2023 (0 kept), 9 colour rules copied" */
static void summary(const struct kpr_year_open_result *r)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	if (!kpr_year_open_changed(r)) {
		kpr_log_info(_("%d is already open: %d scenarios, %d colour rules; nothing to copy from %d"), r->year,
			     r->scenarios_kept, r->rules_kept, r->from);
		return;
	}
	kpr_strbuf_addf(&sb, _("%d: %d scenarios copied from %d (%d kept), "), r->year, r->scenarios_copied, r->from,
			r->scenarios_kept);
	if (r->rules_copied)
		kpr_strbuf_addf(&sb, _("%d colour rules copied"), r->rules_copied);
	else if (r->rules_kept)
		kpr_strbuf_addf(&sb, _("%d colour rules kept"), r->rules_kept);
	else
		kpr_strbuf_addf(&sb, _("no colour rules (%d has none)"), r->from);
	kpr_log_info("%s", sb.buf);
	kpr_strbuf_release(&sb);
}

static int run_open(struct kpr_ctx *ctx)
{
	struct kpr_year_open_result r;
	int rc = kpr_year_open(ctx->conn, year, from, &r);
	if (rc == KPR_OK)
		summary(&r);
	return rc;
}

static const struct kpr_command year_open = {
	.name = "open",
	.db = NEEDS_DB,
	.options = year_options,
	.min_args = 1,
	.max_args = 1,
	.missing = N_("missing the year to open (kpr year open YYYY)"),
	.check = check_open,
	.run = run_open,
};

static const struct kpr_command *const year_actions[] = { &year_open, NULL };

const struct kpr_command kpr_cmd_year = {
	.name = "year",
	.summary = N_("open a new year: its scenarios and colour rules"),
	.usage = year_usage,
	.options = year_options,
	.footer = year_footer,
	.missing = N_("missing action (open)"),
	.subcommands = year_actions,
	.unknown = N_("unknown action '%s'"),
};
