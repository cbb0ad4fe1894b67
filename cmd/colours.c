/* colours.c: kpr colours [--month YYYY-MM] [--dry-run] (kpr colors): a month's four colours. */
#include "builtin.h"

#include <stdio.h>

#include "evaluation.h"
#include "log.h"
#include "month.h"
#include "print.h"

static const char colours_usage[] =
	N_("usage: kpr colours [--month YYYY-MM] [--dry-run]\n"
	   "\n"
	   "Evaluate the four colours (四色管理法) of every project on the month's year's list as of\n"
	   "the month, with the year's colour rules (the first rule whose conditions all hold gives the\n"
	   "colour; none: unrated), and a colour set by \"kpr colour set\" above them.  Prints the\n"
	   "number of projects of each colour, then the projects whose colour differs from the month\n"
	   "before's, worst first (red, yellow, unrated, green, blue).\n"
	   "\n"
	   "Each result is compared with the one stored for the project and month: an unchanged one\n"
	   "writes nothing, a changed one (new progress, a new plan, reloaded rules, a start, an\n"
	   "override) is stored and the earlier one kept as history.  One transaction; the city\n"
	   "office's role only.  Also spelt \"kpr colors\".  docs/colours.md explains the measures\n"
	   "and the rules.\n");

static const char colours_footer[] =
	N_("The default month is the latest whose reports are due by today (KPR_TODAY, else the\n"
	   "clock): a month's reports are due on day report_due_day (configuration, default 5) of the\n"
	   "month after.  Exit status 1 when the year has no colour rules; 4 without the city's role.\n");

static int month = -1;
static bool dry_run;

static const struct kpr_option colours_options[] = {
	KPR_OPT_MONTHS(0, "month", &month, N_("the month to evaluate (default: the latest month due)")),
	KPR_OPT_FLAG(0, "dry-run", &dry_run, N_("print what would be stored; write nothing")),
	KPR_OPT_END
};

static const enum kpr_colour worst_first[] = {
	KPR_COLOUR_RED, KPR_COLOUR_YELLOW, KPR_COLOUR_UNRATED, KPR_COLOUR_GREEN, KPR_COLOUR_BLUE
};

/* "红 red" */
static const char *colour_label(enum kpr_colour c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", kpr_colour_name_zh(c), kpr_colour_name(c));
	return buf;
}

static int print_counts(const struct kpr_evaluation_result *res)
{
	static const struct kpr_print_column cols[] = {
		{ "colour", N_("colour"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "projects", N_("projects"), KPR_PRINT_INT, KPR_UNIT_NONE, 0 },
	};
	struct kpr_print_column tr[2] = { cols[0], cols[1] };
	char title[64], ym[8], label[32];
	tr[0].heading = _(cols[0].heading);
	tr[1].heading = _(cols[1].heading);
	snprintf(title, sizeof(title), _("Colours of %s"), kpr_month_format(res->month, ym));
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = title };
	struct kpr_print *p = kpr_print_begin(stdout, tr, 2, &po);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(worst_first); i++) {
		kpr_print_row(p);
		kpr_print_text(p, colour_label(worst_first[i], label, sizeof(label)));
		kpr_print_int(p, res->counts[worst_first[i]]);
	}
	kpr_print_row(p);
	kpr_print_text(p, _("total"));
	kpr_print_int(p, res->projects);
	return kpr_print_end(p);
}

/* The changes since the month before, or a dry run's rows to store: code, name, was, now, why. */
static int print_list(const struct kpr_evaluation_list *l, const char *title, const char *was)
{
	struct kpr_print_column cols[] = {
		{ "code", _("code"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "name", _("name"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "was", was, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "colour", _("colour"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "reason", _("why"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
	};
	struct kpr_print_opts po = { .format = KPR_PRINT_TABLE, .title = title, .empty = _("(none)") };
	struct kpr_print *p = kpr_print_begin(stdout, cols, KPR_ARRAY_SIZE(cols), &po);
	char label[32];
	for (size_t i = 0; i < l->n; i++) {
		const struct kpr_evaluation_item *it = &l->items[i];
		kpr_print_row(p);
		kpr_print_text(p, it->code);
		kpr_print_text(p, it->name);
		kpr_print_text(p, colour_label(it->previous, label, sizeof(label)));
		kpr_print_text(p, colour_label(it->colour, label, sizeof(label)));
		kpr_print_text(p, it->reason);
	}
	return kpr_print_end(p);
}

static void summary(const struct kpr_evaluation_result *res)
{
	char ym[8];
	kpr_month_format(res->month, ym);
	if (dry_run)
		kpr_log_info(_("colours of %s: %ld projects; dry run: %ld evaluations would be stored, %ld unchanged; "
			       "nothing written"), ym, res->projects, res->stored, res->projects - res->stored);
	else if (res->stored == 0)
		kpr_log_info(_("colours of %s: %ld projects; nothing changed (every evaluation is already stored)"), ym,
			     res->projects);
	else
		kpr_log_info(_("colours of %s: %ld projects; %ld evaluations stored, %ld unchanged"), ym, res->projects,
			     res->stored, res->projects - res->stored);
}

static int run_colours(struct kpr_ctx *ctx)
{
	struct kpr_evaluation_result res;
	char title[96], ym[8];
	int rc;

	if (month < 0 && (rc = kpr_evaluation_default_month(ctx->conn, &month)) != KPR_OK)
		return rc;
	if ((rc = kpr_evaluation_run(ctx->conn, month, dry_run, &res)) != KPR_OK)
		return rc;
	rc = print_counts(&res);
	if (rc == KPR_OK && res.previous > 0) {
		putchar('\n');
		snprintf(title, sizeof(title), _("Changed since %s, worst first"), kpr_month_format(month - 1, ym));
		rc = print_list(&res.changed, title, _("was"));
	}
	if (rc == KPR_OK && dry_run) {
		putchar('\n');
		rc = print_list(&res.to_store, _("Would be stored (new or changed), worst first"), _("stored"));
	}
	if (!ctx->quiet)
		summary(&res);
	kpr_evaluation_result_release(&res);
	return rc;
}

#define COLOURS_COMMAND(cmd_name, cmd_summary)                                                             \
	{ .name = cmd_name, .summary = cmd_summary, .db = NEEDS_DB, .usage = colours_usage,                    \
	  .options = colours_options, .footer = colours_footer, .run = run_colours }

const struct kpr_command kpr_cmd_colours = COLOURS_COMMAND("colours", N_("evaluate a month's four colours"));
/* the same, spelt the American way (not listed) */
const struct kpr_command kpr_cmd_colors = COLOURS_COMMAND("colors", NULL);
