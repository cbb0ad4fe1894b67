/* list.c: kpr list: the year's key projects with their figures as of a month, filtered. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>

#include "listing.h"
#include "log.h"
#include "month.h"
#include "print.h"

static const char list_usage[] =
	N_("usage: kpr list [--year Y] [--month YYYY-MM] [--region R] [--zone Z] [--scenario S] [--pool P]\n"
	   "                [--colour C] [--nature N] [--leader L] [--responsible U] [--search TEXT]\n"
	   "                [--format table|csv|json]\n"
	   "\n"
	   "The key projects of a year's list with their figures as of a month: annual plan,\n"
	   "investment completed in the year up to the month (the sum of the month amounts) and the\n"
	   "completion rate, pool and colour.  Filters combine (every one must hold).  The year is\n"
	   "--year, else the year of --month, else the latest year with a list; the month is\n"
	   "--month, else the latest month of the year with reports.\n"
	   "\n"
	   "The table shows the main columns (money in 万元, rate in percent); CSV and JSON give every\n"
	   "field under English names (docs/formats.md), money in 万元 with 4 decimals, and are what\n"
	   "\"kpr import projects --year Y\" reads back unchanged.  Rows are read a page at a time: the\n"
	   "table is aligned page by page, 1000 rows a page.\n");

static const char list_footer[] =
	N_("Exit status 1 for an unknown region, zone, scenario or pool (with the nearest name), a\n"
	   "--month outside --year, or no list at all.\n");

enum { COLOUR_RED = 1, COLOUR_YELLOW, COLOUR_GREEN, COLOUR_BLUE, COLOUR_UNRATED };
static const char *const colour_names[] = { NULL, "red", "yellow", "green", "blue", "unrated" };
static const struct kpr_choice colours[] = {
	{ "red", COLOUR_RED, false }, { "yellow", COLOUR_YELLOW, false }, { "green", COLOUR_GREEN, false },
	{ "blue", COLOUR_BLUE, false }, { "unrated", COLOUR_UNRATED, false },
	{ "红", COLOUR_RED, true }, { "黄", COLOUR_YELLOW, true }, { "绿", COLOUR_GREEN, true },
	{ "蓝", COLOUR_BLUE, true }, { "未评级", COLOUR_UNRATED, true }, { "none", COLOUR_UNRATED, true },
	{ NULL, 0, false }
};

/* the natures as the import stores them (lib/validate.c), with the same English aliases */
static const char *const nature_names[] = { NULL, "新开工", "续建", "竣工投产", "前期" };
static const struct kpr_choice natures[] = {
	{ "新开工", 1, false }, { "续建", 2, false }, { "竣工投产", 3, false }, { "前期", 4, false },
	{ "new", 1, true }, { "new_start", 1, true }, { "新建", 1, true }, { "continuing", 2, true },
	{ "completing", 3, true }, { "竣工", 3, true }, { "preparation", 4, true }, { "前期工作", 4, true },
	{ NULL, 0, false }
};

static struct {
	int year, month, colour, nature;
	const char *region, *zone, *scenario, *pool, *leader, *responsible, *search, *format;
} opt;

static const struct kpr_option list_options[] = {
	KPR_OPT_INTEGER(0, "year", &opt.year, "Y", N_("the list's year (default: the latest with a list)"), 2000, 2100,
			N_("--year must be a year like 2023, not '%s'")),
	KPR_OPT_MONTHS(0, "month", &opt.month, N_("figures as of this month (default: the latest with reports)")),
	KPR_OPT_STR(0, "region", &opt.region, "R", N_("only this region's projects (code, name or short name)")),
	KPR_OPT_STR(0, "zone", &opt.zone, "Z", N_("only this functional zone's (code, name or short name)")),
	KPR_OPT_STR(0, "scenario", &opt.scenario, "S", N_("only this scenario's (the year's; code or name)")),
	KPR_OPT_STR(0, "pool", &opt.pool, "P", N_("only the projects in this pool (code, name or English name)")),
	KPR_OPT_CHOICE(0, "colour", &opt.colour, colours, N_("only this colour (also 红, 黄, 绿, 蓝, 未评级)")),
	KPR_OPT_CHOICE(0, "nature", &opt.nature, natures, N_("only this nature (also new, continuing, completing,\n"
							     "preparation)")),
	KPR_OPT_STR(0, "leader", &opt.leader, "L", N_("only the projects whose leader contains L")),
	KPR_OPT_STR(0, "responsible", &opt.responsible, "U", N_("only those whose responsible unit contains U")),
	KPR_OPT_STR(0, "search", &opt.search, "TEXT", N_("only those whose code, name or owner contains TEXT\n"
							 "(ASCII letters in any case)")),
	KPR_OPT_STR(0, "format", &opt.format, "FORMAT", N_("table (default), csv, json or md (Markdown)")),
	KPR_OPT_END
};

static enum kpr_print_format format;

#define TEXT(name, heading) { name, heading, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 }
#define INT(name, heading) { name, heading, KPR_PRINT_INT, KPR_UNIT_NONE, 0 }
#define MONEY(name, heading) { name, heading, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 }

/* The columns: the CSV and JSON names (a contract, docs/formats.md; the import reads back the
 * ones it takes and ignores the rest), where each comes from, and whether the table shows it. */
static const struct column {
	struct kpr_print_column col;
	int src;		/* enum kpr_listing_col; -1: the completion rate */
	bool in_table;
} columns[] = {
	{ TEXT("code", N_("code")), KPR_LISTING_CODE, true },
	{ TEXT("name", N_("name")), KPR_LISTING_NAME, true },
	{ TEXT("region", N_("region")), KPR_LISTING_REGION, false },
	{ TEXT("region", N_("region")), KPR_LISTING_REGION_SHORT, true },
	{ TEXT("zone", N_("zone")), KPR_LISTING_ZONE, false },
	{ TEXT("zone", N_("zone")), KPR_LISTING_ZONE_SHORT, true },
	{ TEXT("scenarios", N_("scenarios")), KPR_LISTING_SCENARIOS, false },
	{ TEXT("industry", N_("industry")), KPR_LISTING_INDUSTRY, false },
	{ TEXT("level", N_("level")), KPR_LISTING_LEVEL, false },
	{ TEXT("nature", N_("nature")), KPR_LISTING_NATURE, true },
	{ TEXT("owner", N_("owner")), KPR_LISTING_OWNER, false },
	{ TEXT("responsible_unit", N_("responsible unit")), KPR_LISTING_RESPONSIBLE_UNIT, false },
	{ TEXT("leader", N_("leader")), KPR_LISTING_LEADER, false },
	{ TEXT("scope", N_("scope")), KPR_LISTING_SCOPE, false },
	{ INT("start_year", N_("start year")), KPR_LISTING_START_YEAR, false },
	{ INT("end_year", N_("end year")), KPR_LISTING_END_YEAR, false },
	{ TEXT("planned_start", N_("planned start")), KPR_LISTING_PLANNED_START, false },
	{ MONEY("total_investment", N_("total investment")), KPR_LISTING_TOTAL_INVESTMENT, false },
	{ MONEY("annual_plan", N_("annual plan")), KPR_LISTING_ANNUAL_PLAN, true },
	{ TEXT("remarks", N_("remarks")), KPR_LISTING_REMARKS, false },
	{ TEXT("pool", N_("pool")), KPR_LISTING_POOL, true },
	{ TEXT("colour", N_("colour")), KPR_LISTING_COLOUR, true },
	{ MONEY("completed", N_("completed")), KPR_LISTING_COMPLETED, true },
	{ { "completion_rate", N_("rate %"), KPR_PRINT_PERCENT, KPR_UNIT_NONE, 1 }, -1, true },
};

static bool shown(const struct column *c)
{
	/* the table: short names; the other forms: every field, full names */
	if (format == KPR_PRINT_TABLE)
		return c->in_table;
	return c->src != KPR_LISTING_REGION_SHORT && c->src != KPR_LISTING_ZONE_SHORT;
}

static int check_list(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.format && !kpr_print_format_parse(opt.format, &format))
		return kpr_log_usage("list", _("--format must be table, csv, json or md, not '%s'"), opt.format);
	if (opt.year && opt.month && kpr_month_year(opt.month) != opt.year) {
		char m[8];
		return kpr_log_usage("list", _("--month %s is not in --year %d"), kpr_month_format(opt.month, m), opt.year);
	}
	return KPR_OK;
}

static int64_t cell_int(const PGresult *res, int r, int c)
{
	return strtoll(PQgetvalue(res, r, c), NULL, 10);
}

/* One row of a page, in the columns shown. */
static void print_row(struct kpr_print *p, const PGresult *page, int r)
{
	kpr_print_row(p);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(columns); i++) {
		const struct column *c = &columns[i];
		if (!shown(c))
			continue;
		if (c->src < 0) {
			if (PQgetisnull(page, r, KPR_LISTING_ANNUAL_PLAN))
				kpr_print_null(p);
			else
				kpr_print_percent(p, cell_int(page, r, KPR_LISTING_COMPLETED),
						  cell_int(page, r, KPR_LISTING_ANNUAL_PLAN));
		} else if (PQgetisnull(page, r, c->src)) {
			if (c->src == KPR_LISTING_COLOUR && format == KPR_PRINT_TABLE)
				kpr_print_text(p, _("unrated"));
			else
				kpr_print_null(p);
		} else if (c->col.type == KPR_PRINT_TEXT) {
			kpr_print_text(p, PQgetvalue(page, r, c->src));
		} else if (c->col.type == KPR_PRINT_INT) {
			kpr_print_int(p, cell_int(page, r, c->src));
		} else {
			kpr_print_money(p, cell_int(page, r, c->src));
		}
	}
}

static struct kpr_print *begin(const struct kpr_listing *l, char *title, size_t size)
{
	struct kpr_print_column cols[KPR_ARRAY_SIZE(columns)];
	size_t n = 0;
	char m[8];
	for (size_t i = 0; i < KPR_ARRAY_SIZE(columns); i++)
		if (shown(&columns[i])) {
			cols[n] = columns[i].col;
			cols[n++].heading = _(columns[i].col.heading);
		}
	if (l->month)
		snprintf(title, size, _("Key projects of %d, as of %s (money in 万元)"), l->year,
			 kpr_month_format(l->month, m));
	else
		snprintf(title, size, _("Key projects of %d, no reports yet (money in 万元)"), l->year);
	struct kpr_print_opts po = { .format = format, .title = title, .empty = _("(no projects)") };
	return kpr_print_begin(stdout, cols, n, &po);
}

static int run_list(struct kpr_ctx *ctx)
{
	struct kpr_listing_filter f = {
		.year = opt.year, .month = opt.month, .region = opt.region, .zone = opt.zone,
		.scenario = opt.scenario, .pool = opt.pool, .colour = colour_names[opt.colour],
		.nature = nature_names[opt.nature], .leader = opt.leader, .responsible = opt.responsible,
		.search = opt.search,
	};
	struct kpr_listing l;
	PGresult *page;
	char title[128];
	int rc = kpr_listing_open(ctx->conn, &f, &l);
	if (rc != KPR_OK)
		return rc;
	struct kpr_print *p = begin(&l, title, sizeof(title));
	while ((rc = kpr_listing_fetch(&l, &page)) == KPR_OK && page) {
		for (int r = 0; r < PQntuples(page); r++)
			print_row(p, page, r);
		PQclear(page);
		kpr_print_page(p);
	}
	kpr_listing_close(&l);
	int prc = kpr_print_end(p);
	return rc != KPR_OK ? rc : prc;
}

const struct kpr_command kpr_cmd_list = {
	.name = "list", .summary = N_("list the year's key projects with their figures, filtered"),
	.db = NEEDS_DB, .usage = list_usage, .options = list_options, .footer = list_footer,
	.too_many = N_("kpr list takes no arguments (filters are options: --search TEXT)"),
	.check = check_list, .run = run_list,
};
