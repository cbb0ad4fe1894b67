/* config.c: kpr config [--year YYYY]: the loaded configuration, as tables. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "print.h"
#include "strbuf.h"

static const char config_usage[] =
	N_("usage: kpr config [--year YYYY]\n"
	   "\n"
	   "Print the configuration loaded by \"kpr import config\" (docs/formats.md) as tables:\n"
	   "the settings, the regions (code, name, short name, level, parent), the functional zones\n"
	   "(code, name, short name, region), the project pools in their order, and the scenarios\n"
	   "and colour rules of one year (order, id, colour, conditions, description; the first rule\n"
	   "that matches a project gives its colour).\n");

/* ---- what kpr config shows: the rows of each section, then the sections in their order ---- */

static void setting_rows(struct kpr_print *p, const struct kpr_config *c)
{
	const char *const names[] = { "timezone", "local_code_pattern", "report_due_day", "report_bands" };
	const char *const values[] = { c->timezone, c->local_code_pattern, c->report_due_day, c->report_bands };

	for (size_t i = 0; i < KPR_ARRAY_SIZE(names); i++) {
		if (!values[i])
			continue;
		kpr_print_row(p);
		kpr_print_text(p, names[i]);
		kpr_print_text(p, values[i]);
	}
}

static void region_rows(struct kpr_print *p, const struct kpr_config *c)
{
	for (size_t i = 0; i < c->nregions; i++) {
		const struct kpr_config_region *r = &c->regions[i];
		kpr_print_row(p);
		kpr_print_text(p, r->code);
		kpr_print_text(p, r->name);
		kpr_print_text(p, r->short_name);
		kpr_print_text(p, r->level);
		kpr_print_text(p, r->parent);
	}
}

static void zone_rows(struct kpr_print *p, const struct kpr_config *c)
{
	for (size_t i = 0; i < c->nzones; i++) {
		const struct kpr_config_zone *z = &c->zones[i];
		kpr_print_row(p);
		kpr_print_text(p, z->code);
		kpr_print_text(p, z->name);
		kpr_print_text(p, z->short_name);
		kpr_print_text(p, z->region);
	}
}

static void pool_rows(struct kpr_print *p, const struct kpr_config *c)
{
	for (size_t i = 0; i < c->npools; i++) {
		const struct kpr_config_pool *pl = &c->pools[i];
		kpr_print_row(p);
		kpr_print_int(p, pl->ord);
		kpr_print_text(p, pl->code);
		kpr_print_text(p, pl->name);
		kpr_print_text(p, pl->name_en);
		kpr_print_text(p, pl->mark);
	}
}

/* The sections of a year show the first (the one asked for, or the latest with scenarios). */
static void scenario_rows(struct kpr_print *p, const struct kpr_config *c)
{
	const struct kpr_config_year *y = &c->years[0];

	for (size_t i = 0; i < y->nscenarios; i++) {
		const struct kpr_config_scenario *s = &y->scenarios[i];
		kpr_print_row(p);
		kpr_print_text(p, s->code);
		kpr_print_text(p, s->name);
		kpr_print_text(p, s->sample ? _("sample") : NULL);
	}
}

static void rule_rows(struct kpr_print *p, const struct kpr_config *c)
{
	const struct kpr_config_year *y = &c->years[0];

	for (size_t i = 0; i < y->nrules; i++) {
		const struct kpr_config_rule *r = &y->rules[i];
		struct kpr_strbuf when = KPR_STRBUF_INIT;
		for (size_t j = 0; j < r->nconds; j++) {
			if (j)
				kpr_strbuf_adds(&when, " and ");
			kpr_config_condition_format(&r->conds[j], &when);
		}
		kpr_print_row(p);
		kpr_print_int(p, r->ord);
		kpr_print_text(p, r->id);
		kpr_print_text(p, r->colour);
		kpr_print_text(p, r->nconds ? when.buf : _("(always)"));
		kpr_print_text(p, r->description);
		kpr_strbuf_release(&when);
	}
}

#define TEXT(name, heading) { name, heading, KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 }
#define INT(name, heading) { name, heading, KPR_PRINT_INT, KPR_UNIT_NONE, 0 }

/* One table of the output: its title, its columns (headings translated when printed; names for
 * CSV and JSON), and what puts its rows. */
static const struct section {
	const char *title;	/* with %d: the year's */
	bool of_year;		/* of c->years[0]; none loaded ends the output */
	struct kpr_print_column cols[5];	/* up to the first without a name */
	void (*rows)(struct kpr_print *p, const struct kpr_config *c);
} sections[] = {
	{ N_("Settings"), false, { TEXT("setting", N_("setting")), TEXT("value", N_("value")) }, setting_rows },
	{ N_("Regions"), false,
	  { TEXT("code", N_("code")), TEXT("name", N_("name")), TEXT("short_name", N_("short name")),
	    TEXT("level", N_("level")), TEXT("parent", N_("parent")) }, region_rows },
	{ N_("Functional zones"), false,
	  { TEXT("code", N_("code")), TEXT("name", N_("name")), TEXT("short_name", N_("short name")),
	    TEXT("region", N_("region")) }, zone_rows },
	{ N_("Project pools"), false,
	  { INT("order", N_("order")), TEXT("code", N_("code")), TEXT("name", N_("name")),
	    TEXT("name_en", N_("English")), TEXT("mark", N_("mark")) }, pool_rows },
	/* xgettext:c-format */
	{ N_("Scenarios of %d"), true,
	  { TEXT("code", N_("code")), TEXT("name", N_("name")), TEXT("sample", N_("sample")) }, scenario_rows },
	/* xgettext:c-format */
	{ N_("Colour rules of %d (first match wins)"), true,
	  { INT("order", N_("order")), TEXT("id", N_("id")), TEXT("colour", N_("colour")),
	    TEXT("conditions", N_("conditions")), TEXT("description", N_("description")) }, rule_rows },
};

/* The section's title, its table (or "(none)"), and a blank line. */
static int show_section(const struct section *s, const struct kpr_config *c)
{
	struct kpr_print_column cols[KPR_ARRAY_SIZE(s->cols)];
	size_t ncols = 0;
	char title[128];

	for (; ncols < KPR_ARRAY_SIZE(s->cols) && s->cols[ncols].name; ncols++) {
		cols[ncols] = s->cols[ncols];
		cols[ncols].heading = _(s->cols[ncols].heading);
	}
	if (s->of_year)
		snprintf(title, sizeof(title), _(s->title), c->years[0].year);
	else
		snprintf(title, sizeof(title), "%s", _(s->title));

	struct kpr_print_opts opts = { .format = KPR_PRINT_TABLE, .title = title, .empty = _("(none)") };
	struct kpr_print *p = kpr_print_begin(stdout, cols, ncols, &opts);
	s->rows(p, c);
	int rc = kpr_print_end(p);
	putchar('\n');
	return rc;
}

static int show(const struct kpr_config *c)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(sections); i++) {
		if (sections[i].of_year && c->nyears == 0) {
			printf("%s\n", _("No scenarios or colour rules loaded."));
			return KPR_OK;
		}
		int rc = show_section(&sections[i], c);
		if (rc != KPR_OK)
			return rc;
	}
	return KPR_OK;
}

static int year;

static const struct kpr_option config_options[] = {
	KPR_OPT_INTEGER(0, "year", &year, "YYYY", N_("the year whose scenarios and colour rules to show (default: the latest\n"
						     "year that has scenarios)"),
			2000, 2100, N_("--year '%s' must be a year from 2000 to 2100")),
	KPR_OPT_END
};

static int run_config(struct kpr_ctx *ctx)
{
	struct kpr_config *c;
	int rc;
	if ((rc = kpr_config_fetch(ctx->conn, year, &c)) != KPR_OK)
		return rc;
	rc = show(c);
	kpr_config_free(c);
	return rc;
}

const struct kpr_command kpr_cmd_config = {
	.name = "config",
	.summary = N_("show the loaded configuration"),
	.db = NEEDS_DB,
	.usage = config_usage,
	.options = config_options,
	.run = run_config,
};
