/* init.c: kpr init: create or upgrade the database schema. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "migrate.h"

static const char init_usage[] =
	N_("usage: kpr init [--status]\n"
	   "\n"
	   "Create the kpr schema in the database, or bring it up to this kpr's version, by applying\n"
	   "the migrations it does not have yet, each in one transaction.  Running it again does\n"
	   "nothing.  A database whose schema is newer than this kpr is refused (exit 3).\n");

static bool status;

static const struct kpr_option init_options[] = {
	KPR_OPT_FLAG(0, "status", &status, N_("list the migrations, applied or not, and change nothing")),
	KPR_OPT_END
};

static int print_status(PGconn *conn)
{
	struct kpr_migration_state *st;
	int n, current, rc;
	if ((rc = kpr_migrate_list(conn, &st, &n, &current)) != KPR_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		if (st[i].applied && st[i].known)
			printf("%-24s %s  %s %s\n", st[i].name, _("applied"), st[i].applied_at, st[i].applied_by);
		else if (st[i].known)
			printf("%-24s %s\n", st[i].name, _("pending"));
		else
			printf("%-24s %s\n", st[i].name, _("applied, unknown to this kpr"));
	}
	free(st);
	return kpr_migrate_not_newer(current);
}

static int run_init(struct kpr_ctx *ctx)
{
	int applied, rc;
	if (status)
		return print_status(ctx->conn);
	if ((rc = kpr_migrate_apply(ctx->conn, &applied)) != KPR_OK)
		return rc;
	if (applied)
		kpr_log_info(P_("applied %d migration; the schema is at version %d",
				"applied %d migrations; the schema is at version %d", applied), applied, kpr_migrate_latest());
	else
		kpr_log_info(_("the schema is up to date (version %d)"), kpr_migrate_latest());
	return KPR_OK;
}

const struct kpr_command kpr_cmd_init = {
	.name = "init",
	.summary = N_("create or upgrade the database schema"),
	.db = NEEDS_CONN,
	.usage = init_usage,
	.options = init_options,
	.run = run_init,
};
