/* export.c: kpr export projects: the year's list in the official layout, for Excel. */
#include "builtin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "export.h"
#include "log.h"
#include "outfile.h"
#include "template.h"

static const char export_usage[] =
	N_("usage: kpr export projects [--year YYYY] [--region R] [--format csv|xlsx] [-o FILE]\n"
	   "       kpr export template --month YYYY-MM [--region R | --office NAME] [-o FILE.xlsx]\n"
	   "\n"
	   "What the city office hands out, in the layouts offices work in.\n"
	   "\n"
	   "projects: the year's list in the official layout: a title row (2023年廊坊市重点项目计划表,\n"
	   "the city's name from the configuration), the units row (单位:万元), the Chinese headers\n"
	   "that \"kpr import projects\" reads, one row a project ordered by region then code, money in\n"
	   "万元 exactly.  Importing it back changes nothing.  CSV is UTF-8 with a byte order mark, as\n"
	   "Excel wants it; xlsx (the default for -o FILE.xlsx) is a workbook with money as numbers.\n"
	   "The year is --year, else the latest year with a list.\n"
	   "\n"
	   "template: the month's form for an office, as an Excel workbook: its projects of the\n"
	   "month's year (--region, or the regions and zones of --office; else every project), with\n"
	   "项目代码, 项目名称, 县(市、区), 年度计划投资(万元), the year-to-date as of the month\n"
	   "before (截至上月累计, for reference) and 月份 locked, and the cells the office fills\n"
	   "(本月完成投资, 形象进度, 存在问题, 实际开工时间, 竣工时间, 调整原因) open, checked and\n"
	   "explained in Chinese.  \"kpr import progress FORM.xlsx\" reads it back: rows left empty\n"
	   "are no report.  Without -o the workbook goes to standard output, unless that is a terminal.\n");

static const char export_footer[] =
	N_("Exit status 1 for an unknown region (with the nearest name) or a year without a list, 5\n"
	   "when FILE cannot be written (it is written to a temporary file in its folder, then\n"
	   "renamed: an existing FILE is replaced only whole).  See docs/formats.md.\n");

enum { FORMAT_DEFAULT, FORMAT_CSV, FORMAT_XLSX };
static struct {
	int year, format;
	const char *region, *output;
} opt;

static const struct kpr_choice format_choices[] = {
	{ "csv", FORMAT_CSV, false }, { "xlsx", FORMAT_XLSX, false }, { NULL, 0, false }
};

static const struct kpr_option projects_options[] = {
	KPR_OPT_INTEGER(0, "year", &opt.year, "YYYY", N_("the list's year (default: the latest with a list)"), 2000,
			2100, N_("--year must be a year like 2023, not '%s'")),
	KPR_OPT_STR(0, "region", &opt.region, "R", N_("only this region's projects (code, name or short name)")),
	KPR_OPT_CHOICE(0, "format", &opt.format, format_choices, N_("csv or xlsx (default: xlsx when FILE ends in .xlsx)")),
	KPR_OPT_STR('o', "output", &opt.output, "FILE", N_("write to FILE instead of standard output")),
	KPR_OPT_END
};

static bool as_xlsx(void)
{
	size_t n = opt.output ? strlen(opt.output) : 0;
	if (opt.format != FORMAT_DEFAULT)
		return opt.format == FORMAT_XLSX;
	return n > 5 && strcasecmp(opt.output + n - 5, ".xlsx") == 0;
}

static int write_projects(FILE *out, const char *path, void *arg)
{
	struct kpr_listing_filter f = { .year = opt.year, .region = opt.region };
	if (as_xlsx())
		return kpr_export_projects_xlsx(arg, &f, path, opt.output ? opt.output : "<stdout>");
	return kpr_export_projects_csv(arg, &f, out);
}

static int run_projects(struct kpr_ctx *ctx)
{
	if (opt.output)
		return kpr_outfile_write(opt.output, write_projects, ctx->conn);
	if (as_xlsx())
		return kpr_outfile_stdout("export", write_projects, ctx->conn);
	int rc = write_projects(stdout, NULL, ctx->conn);
	if (rc == KPR_EFILE)
		kpr_log_error(_("cannot write to standard output"));
	return rc;
}

static struct kpr_template_opts tmpl = { .month = -1 };

static const struct kpr_option template_options[] = {
	KPR_OPT_MONTHS(0, "month", &tmpl.month, N_("the month the office reports")),
	KPR_OPT_STR(0, "region", &tmpl.region, "R", N_("one region's projects (code, name or short name)")),
	KPR_OPT_STR(0, "office", &tmpl.office, "NAME", N_("an office's projects (its regions and zones)")),
	KPR_OPT_STR('o', "output", &opt.output, "FILE", N_("write the workbook to FILE (.xlsx)")),
	KPR_OPT_END
};

static int check_template(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (tmpl.month < 0)
		return kpr_log_usage("export", _("missing the month: --month YYYY-MM"));
	if (tmpl.region && tmpl.office)
		return kpr_log_usage("export", _("give --region or --office, not both"));
	return KPR_OK;
}

static int write_template(FILE *out, const char *path, void *arg)
{
	(void)out;
	return kpr_template_write(arg, &tmpl, path);
}

static int run_template(struct kpr_ctx *ctx)
{
	if (opt.output)
		return kpr_outfile_write(opt.output, write_template, ctx->conn);
	return kpr_outfile_stdout("export", write_template, ctx->conn);
}

static const struct kpr_command export_template = {
	.name = "template", .db = NEEDS_DB, .usage = export_usage, .options = template_options,
	.footer = export_footer, .check = check_template, .run = run_template,
};

static const struct kpr_command export_projects = {
	.name = "projects", .db = NEEDS_DB, .usage = export_usage, .options = projects_options,
	.footer = export_footer, .run = run_projects,
};

static const struct kpr_command *const export_kinds[] = { &export_projects, &export_template, NULL };

const struct kpr_command kpr_cmd_export = {
	.name = "export",
	.summary = N_("the year's list in the official layout; an office's monthly form"),
	.usage = export_usage,
	.footer = export_footer,
	.missing = N_("missing what to export (projects, template)"),
	.subcommands = export_kinds,
	.unknown = N_("unknown export '%s' (projects, template)"),
};
