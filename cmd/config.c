/* config.c: kpr config [--year YYYY]: the loaded configuration, as tables. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "strbuf.h"
#include "table.h"

static const char config_usage[] =
	N_("usage: kpr config [--year YYYY]\n"
	   "\n"
	   "Print the configuration loaded by \"kpr import config\" (docs/formats.md) as tables:\n"
	   "the settings, the regions (code, name, short name, level, parent), the functional zones\n"
	   "(code, name, short name, region), the project pools in their order, and the scenarios\n"
	   "and colour rules of one year (order, id, colour, conditions, description; the first rule\n"
	   "that matches a project gives its colour).\n");

static int print_table(struct kpr_table *t, const char *title)
{
	int rc;
	printf("%s\n", title);
	if (kpr_table_nrows(t) == 0) {
		printf("%s\n\n", _("(none)"));
		kpr_table_free(t);
		return KPR_OK;
	}
	rc = kpr_table_print(t, stdout);
	putchar('\n');
	kpr_table_free(t);
	return rc;
}

static int show(const struct kpr_config *c)
{
	struct kpr_table *t;
	int rc;

	t = kpr_table_new();
	kpr_table_add_column(t, _("setting"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("value"), KPR_TABLE_LEFT);
	if (c->timezone) {
		kpr_table_add_row(t);
		kpr_table_add_cell(t, "timezone");
		kpr_table_add_cell(t, c->timezone);
	}
	if (c->local_code_pattern) {
		kpr_table_add_row(t);
		kpr_table_add_cell(t, "local_code_pattern");
		kpr_table_add_cell(t, c->local_code_pattern);
	}
	if ((rc = print_table(t, _("Settings"))) != KPR_OK)
		return rc;

	t = kpr_table_new();
	kpr_table_add_column(t, _("code"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("short name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("level"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("parent"), KPR_TABLE_LEFT);
	for (size_t i = 0; i < c->nregions; i++) {
		const struct kpr_config_region *r = &c->regions[i];
		kpr_table_add_row(t);
		kpr_table_add_cell(t, r->code);
		kpr_table_add_cell(t, r->name);
		kpr_table_add_cell(t, r->short_name);
		kpr_table_add_cell(t, r->level);
		kpr_table_add_cell(t, r->parent);
	}
	if ((rc = print_table(t, _("Regions"))) != KPR_OK)
		return rc;

	t = kpr_table_new();
	kpr_table_add_column(t, _("code"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("short name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("region"), KPR_TABLE_LEFT);
	for (size_t i = 0; i < c->nzones; i++) {
		const struct kpr_config_zone *z = &c->zones[i];
		kpr_table_add_row(t);
		kpr_table_add_cell(t, z->code);
		kpr_table_add_cell(t, z->name);
		kpr_table_add_cell(t, z->short_name);
		kpr_table_add_cell(t, z->region);
	}
	if ((rc = print_table(t, _("Functional zones"))) != KPR_OK)
		return rc;

	t = kpr_table_new();
	kpr_table_add_column(t, _("order"), KPR_TABLE_RIGHT);
	kpr_table_add_column(t, _("code"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("English"), KPR_TABLE_LEFT);
	for (size_t i = 0; i < c->npools; i++) {
		const struct kpr_config_pool *pl = &c->pools[i];
		kpr_table_add_row(t);
		kpr_table_add_cellf(t, "%d", pl->ord);
		kpr_table_add_cell(t, pl->code);
		kpr_table_add_cell(t, pl->name);
		kpr_table_add_cell(t, pl->name_en);
	}
	if ((rc = print_table(t, _("Project pools"))) != KPR_OK)
		return rc;

	if (c->nyears == 0) {
		printf("%s\n", _("No scenarios or colour rules loaded."));
		return KPR_OK;
	}
	const struct kpr_config_year *y = &c->years[0];
	char title[128];

	t = kpr_table_new();
	kpr_table_add_column(t, _("code"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("name"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("sample"), KPR_TABLE_LEFT);
	for (size_t i = 0; i < y->nscenarios; i++) {
		const struct kpr_config_scenario *s = &y->scenarios[i];
		kpr_table_add_row(t);
		kpr_table_add_cell(t, s->code);
		kpr_table_add_cell(t, s->name);
		kpr_table_add_cell(t, s->sample ? _("sample") : NULL);
	}
	snprintf(title, sizeof(title), _("Scenarios of %d"), y->year);
	if ((rc = print_table(t, title)) != KPR_OK)
		return rc;

	t = kpr_table_new();
	kpr_table_add_column(t, _("order"), KPR_TABLE_RIGHT);
	kpr_table_add_column(t, _("id"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("colour"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("conditions"), KPR_TABLE_LEFT);
	kpr_table_add_column(t, _("description"), KPR_TABLE_LEFT);
	for (size_t i = 0; i < y->nrules; i++) {
		const struct kpr_config_rule *r = &y->rules[i];
		struct kpr_strbuf when = KPR_STRBUF_INIT;
		for (size_t j = 0; j < r->nconds; j++) {
			if (j)
				kpr_strbuf_adds(&when, " and ");
			kpr_config_condition_format(&r->conds[j], &when);
		}
		kpr_table_add_row(t);
		kpr_table_add_cellf(t, "%d", r->ord);
		kpr_table_add_cell(t, r->id);
		kpr_table_add_cell(t, r->colour);
		kpr_table_add_cell(t, r->nconds ? when.buf : _("(always)"));
		kpr_table_add_cell(t, r->description);
		kpr_strbuf_release(&when);
	}
	snprintf(title, sizeof(title), _("Colour rules of %d (first match wins)"), y->year);
	return print_table(t, title);
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
