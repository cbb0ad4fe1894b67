/* import_config.c: kpr import config FILE.yaml [--dry-run]: regions, zones, pools, scenarios, colour rules. */
#include "builtin.h"

#include <stdio.h>

#include "config.h"
#include "log.h"
#include "strbuf.h"

/* ", 11 regions (11 new, 2 updated)" */
static void add_count(struct kpr_strbuf *sb, const struct kpr_config_count *c, const char *what)
{
	int total = c->inserted + c->updated + c->unchanged;

	kpr_strbuf_addf(sb, "%s%d %s", sb->len ? ", " : "", total, what);
	if (c->inserted && c->updated)
		kpr_strbuf_addf(sb, _(" (%d new, %d updated)"), c->inserted, c->updated);
	else if (c->inserted)
		kpr_strbuf_addf(sb, _(" (%d new)"), c->inserted);
	else if (c->updated)
		kpr_strbuf_addf(sb, _(" (%d updated)"), c->updated);
}

static bool dry_run;

static void summary(const struct kpr_config *cfg, const struct kpr_config_result *res)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char what[64];

	if (cfg->timezone || cfg->local_code_pattern || cfg->report_due_day || cfg->report_bands)
		add_count(&sb, &res->settings, _("settings"));
	if (cfg->has_regions)
		add_count(&sb, &res->regions, _("regions"));
	if (cfg->has_zones)
		add_count(&sb, &res->zones, _("zones"));
	if (cfg->has_pools)
		add_count(&sb, &res->pools, _("pools"));
	for (size_t i = 0; i < res->nyears; i++) {
		const struct kpr_config_year_result *y = &res->years[i];
		if (cfg->years[i].has_scenarios) {
			snprintf(what, sizeof(what), _("scenarios of %d"), y->year);
			add_count(&sb, &y->scenarios, what);
		}
		if (y->rules_outcome != KPR_RULES_ABSENT) {
			kpr_strbuf_addf(&sb, _("%s%d colour rules of %d"), sb.len ? ", " : "", y->rules, y->year);
			if (y->rules_outcome == KPR_RULES_NEW)
				kpr_strbuf_adds(&sb, _(" (new)"));
			else if (y->rules_outcome == KPR_RULES_REPLACED)
				kpr_strbuf_adds(&sb, _(" (replaced)"));
		}
	}
	if (!sb.len)
		kpr_strbuf_adds(&sb, _("no regions, zones, pools or years"));
	if (kpr_config_result_changed(res) && dry_run)
		kpr_log_info(_("config '%s': %s; would write (dry run: nothing written)"), cfg->file, sb.buf);
	else if (kpr_config_result_changed(res))
		kpr_log_info(_("config '%s': %s"), cfg->file, sb.buf);
	else if (dry_run)
		kpr_log_info(_("config '%s': %s; nothing would change (dry run)"), cfg->file, sb.buf);
	else
		kpr_log_info(_("config '%s': %s; nothing changed"), cfg->file, sb.buf);
	kpr_strbuf_release(&sb);
}

static struct kpr_config *cfg;

/* the file first: a bad file is exit 1 (or 5) whether or not a server runs */
static int load_config(struct kpr_ctx *ctx)
{
	return kpr_config_load(&cfg, ctx->argv[0]);
}

static int store_config(struct kpr_ctx *ctx)
{
	struct kpr_config_result res;
	int rc = kpr_config_store(ctx->conn, cfg, dry_run, &res);
	if (rc == KPR_OK) {
		summary(cfg, &res);
		kpr_config_result_release(&res);
	}
	kpr_config_free(cfg);
	cfg = NULL;
	return rc;
}

static const struct kpr_option import_config_options[] = {
	KPR_OPT_FLAG(0, "dry-run", &dry_run, N_("check the file against the database and say what would\n"
						 "change; write nothing")),
	KPR_OPT_END
};

const struct kpr_command kpr_cmd_import_config = {
	.name = "config",
	.db = NEEDS_DB,
	.options = import_config_options,
	.min_args = 1,
	.max_args = 1,
	.missing = N_("missing the configuration file (kpr import config FILE.yaml)"),
	.check = load_config,
	.run = store_config,
};
