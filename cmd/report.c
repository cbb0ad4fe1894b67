/* report.c: kpr report: the investment-completion report of a quarter or a month. */
#include "builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "month.h"
#include "outfile.h"
#include "report.h"
#include "strbuf.h"

static const char report_usage[] =
	N_("usage: kpr report (--year YYYY --quarter Q | --month YYYY-MM) [--by DIMENSION]\n"
	   "                  [--format table|csv|json|md|html|xlsx] [-o FILE] [--unit 亿元|万元]\n"
	   "                  [--section groups|lagging|missing] [--as-of YYYY-MM-DD[THH:MM[:SS]]]\n"
	   "                  [--bom] [--lang zh|en]\n"
	   "\n"
	   "The investment-completion report of a period, January to its last month (--quarter 3 is\n"
	   "January to September, as official reports are): the year's list grouped by DIMENSION\n"
	   "(region, zone, scenario, industry, nature, level, colour, pool, leader, responsible or\n"
	   "band) with projects, total investment, annual plan, completed in the year, completion\n"
	   "rate, time progress, points ahead (+) or behind (-) it, planned new starts, started,\n"
	   "start rate, projects per colour of the period's last month and rank by completion rate;\n"
	   "a 合计 row; then the lagging (red, yellow) projects, the projects with no report for the\n"
	   "last month, the headline sentence and notes (withdrawn projects, projects without a plan).\n"
	   "Every figure is computed exactly in the database; rounding is for display only.\n"
	   "With --by scenario a project counts in each of its scenarios, once in the total.\n"
	   "\n"
	   "table and md are the whole report with Chinese headings (--lang en: English); csv is one\n"
	   "section (default groups) with amounts exact (万元 with 4 decimals, 亿元 with 8) under the\n"
	   "column names of docs/reports.md; json is everything, amounts as exact decimal strings.\n"
	   "html is the whole report as one self-contained page (tables, an SVG chart of the\n"
	   "completion rates against time progress, the colours; no script) that prints on A4.\n"
	   "xlsx is a workbook, a sheet a section (汇总 with a chart, 滞后项目, 未报项目, 说明), numbers\n"
	   "as numbers; give -o FILE (or send standard output to a file: never to a terminal).\n"
	   "\n"
	   "--as-of gives the figures as they were recorded at a moment (a date alone: the end of that\n"
	   "day; a time in the registry's time zone): progress versions, plans, list entries, pool\n"
	   "moves and colours written by then, reverted batches as they stood then; a report sent\n"
	   "last quarter is reproduced exactly.  Project attributes (name, region, ...) are current.\n");

static const char report_footer[] =
	N_("Exit status 2 for a bad command line, 5 when FILE cannot be written (it is written to a\n"
	   "temporary file in its folder, then renamed: an existing FILE is replaced only whole).\n"
	   "See docs/reports.md for every column and formula.\n");

static struct {
	int year, quarter, month, by, format, unit, section, lang;
	const char *output, *as_of;
	bool bom;
} opt = { 0, 0, -1, KPR_REPORT_BY_REGION, KPR_REPORT_TABLE, KPR_UNIT_YI, KPR_REPORT_ALL, 0, NULL, NULL, false };

static const struct kpr_choice by_choices[] = {
	{ "region", KPR_REPORT_BY_REGION, false }, { "zone", KPR_REPORT_BY_ZONE, false },
	{ "scenario", KPR_REPORT_BY_SCENARIO, false }, { "industry", KPR_REPORT_BY_INDUSTRY, false },
	{ "nature", KPR_REPORT_BY_NATURE, false }, { "level", KPR_REPORT_BY_LEVEL, false },
	{ "colour", KPR_REPORT_BY_COLOUR, false }, { "color", KPR_REPORT_BY_COLOUR, true },
	{ "pool", KPR_REPORT_BY_POOL, false }, { "leader", KPR_REPORT_BY_LEADER, false },
	{ "responsible", KPR_REPORT_BY_RESPONSIBLE, false }, { "band", KPR_REPORT_BY_BAND, false },
	{ NULL, 0, false }
};
static const struct kpr_choice format_choices[] = {
	{ "table", KPR_REPORT_TABLE, false }, { "csv", KPR_REPORT_CSV, false },
	{ "json", KPR_REPORT_JSON, false }, { "md", KPR_REPORT_MD, false },
	{ "html", KPR_REPORT_HTML, false },
	{ "xlsx", KPR_REPORT_XLSX, false },
	{ NULL, 0, false }
};
static const struct kpr_choice unit_choices[] = {
	{ "亿元", KPR_UNIT_YI, false }, { "万元", KPR_UNIT_WAN, false },
	{ "yi", KPR_UNIT_YI, true }, { "wan", KPR_UNIT_WAN, true }, { NULL, 0, false }
};
static const struct kpr_choice section_choices[] = {
	{ "groups", KPR_REPORT_GROUPS, false }, { "lagging", KPR_REPORT_LAGGING, false },
	{ "missing", KPR_REPORT_MISSING, false }, { NULL, 0, false }
};
static const struct kpr_choice lang_choices[] = { { "zh", 0, false }, { "en", 1, false }, { NULL, 0, false } };

static const struct kpr_option report_options[] = {
	KPR_OPT_INTEGER(0, "year", &opt.year, "YYYY", N_("the year of --quarter"), 2000, 2100,
			N_("--year must be a year like 2023, not '%s'")),
	KPR_OPT_INTEGER(0, "quarter", &opt.quarter, "Q", N_("the quarter, 1 to 4: January to its last month"), 1, 4,
			N_("--quarter must be 1, 2, 3 or 4, not '%s'")),
	KPR_OPT_MONTHS(0, "month", &opt.month, N_("a monthly report: January to this month")),
	KPR_OPT_CHOICE(0, "by", &opt.by, by_choices, N_("the groups (default region)")),
	KPR_OPT_CHOICE(0, "format", &opt.format, format_choices, N_("table (default), csv, json, md (Markdown), html or xlsx")),
	KPR_OPT_STR('o', "output", &opt.output, "FILE", N_("write to FILE instead of standard output")),
	KPR_OPT_CHOICE(0, "unit", &opt.unit, unit_choices, N_("amounts in 亿元 (default) or 万元")),
	KPR_OPT_CHOICE(0, "section", &opt.section, section_choices,
		       N_("only this section (csv: which one; default groups)")),
	KPR_OPT_STR(0, "as-of", &opt.as_of, "YYYY-MM-DD[THH:MM[:SS]]", N_("the figures as recorded at that moment")),
	KPR_OPT_FLAG(0, "bom", &opt.bom, N_("csv: begin with a UTF-8 byte order mark (for Excel)")),
	KPR_OPT_CHOICE(0, "lang", &opt.lang, lang_choices, N_("headings, notes and headline: zh (default) or en")),
	KPR_OPT_END
};

static int month;	/* the period's last month */
static char as_of[KPR_REPORT_AS_OF_SIZE];	/* --as-of's moment, checked */

static int check_report(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.as_of && kpr_report_as_of_parse(opt.as_of, as_of) != KPR_OK)
		return kpr_log_usage("report", _("--as-of must be a moment like 2023-10-08 or 2023-10-08T12:00, not '%s'"),
				     opt.as_of);
	if (opt.month >= 0 && (opt.year || opt.quarter))
		return kpr_log_usage("report", _("give either --year and --quarter, or --month, not both"));
	if (opt.month >= 0) {
		month = opt.month;
		return KPR_OK;
	}
	if (!opt.year || !opt.quarter)
		return kpr_log_usage("report", _("missing the period: --year YYYY --quarter Q, or --month YYYY-MM"));
	month = opt.year * 12 + opt.quarter * 3 - 1;
	return KPR_OK;
}

/* What kpr_outfile_write() runs: the report to the temporary file (a workbook by its name). */
struct report_job {
	const struct kpr_report *r;
	const struct kpr_report_form *f;
};

static int write_report(FILE *out, const char *path, void *arg)
{
	const struct report_job *j = arg;
	if (j->f->format == KPR_REPORT_XLSX)
		return kpr_report_write_xlsx(path, opt.output, j->r, j->f);
	return kpr_report_write(out, j->r, j->f);
}

static int run_report(struct kpr_ctx *ctx)
{
	struct kpr_report r;
	struct kpr_report_form f = {
		.format = opt.format, .section = opt.section, .unit = opt.unit, .bom = opt.bom, .english = opt.lang == 1,
	};
	/* what the form prints: everything, or one section (CSV: the groups by default) */
	unsigned want = opt.section == KPR_REPORT_LAGGING ? KPR_REPORT_WANT_LAGGING
		: opt.section == KPR_REPORT_MISSING ? KPR_REPORT_WANT_MISSING
		: opt.section == KPR_REPORT_GROUPS || opt.format == KPR_REPORT_CSV ? 0 : ~0u;
	int rc;

	if (opt.format == KPR_REPORT_XLSX && !opt.output && isatty(STDOUT_FILENO))
		return kpr_log_usage("report", _("an xlsx workbook is binary: give -o FILE, or send standard output to a file"));
	if ((rc = kpr_report_fetch(ctx->conn, month, opt.by, opt.as_of ? as_of : NULL, want, &r)) != KPR_OK)
		return rc;
	r.quarter = opt.month >= 0 ? 0 : opt.quarter;
	if (opt.output) {
		rc = kpr_outfile_write(opt.output, write_report, &(struct report_job){ &r, &f });
	} else {
		rc = kpr_report_write(stdout, &r, &f);
		if (rc != KPR_OK)
			kpr_log_error(_("cannot write the report to standard output"));
	}
	kpr_report_release(&r);
	return rc;
}

const struct kpr_command kpr_cmd_report = {
	.name = "report", .summary = N_("the investment-completion report of a quarter or month"), .db = NEEDS_DB,
	.usage = report_usage, .options = report_options, .footer = report_footer,
	.min_args = 0, .max_args = 0, .check = check_report, .run = run_report,
};
