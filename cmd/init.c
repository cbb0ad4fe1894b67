/* init.c: kpr init: create or upgrade the database schema. */
#include "builtin.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "log.h"
#include "migrate.h"

const char init_usage[] =
	N_("usage: kpr init [--status]\n"
	   "\n"
	   "Create the kpr schema in the database, or bring it up to this kpr's version, by applying\n"
	   "the migrations it does not have yet, each in one transaction.  Running it again does\n"
	   "nothing.  A database whose schema is newer than this kpr is refused (exit 3).\n"
	   "\n"
	   "Options:\n"
	   "  --status   list the migrations, applied or not, and change nothing\n");

static int print_status(PGconn *conn)
{
	PGresult *res = NULL;
	int rc;
	int current = kpr_migrate_current(conn);
	if (current < 0)
		return KPR_EDB;
	if (current > 0 &&
	    (rc = kpr_db_exec(conn, "SELECT version, name, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS'), applied_by "
				    "FROM kpr.schema_migrations ORDER BY version", 0, NULL, &res)) != KPR_OK)
		return rc;
	int row = 0, nrows = res ? PQntuples(res) : 0;
	for (int i = 0; i < kpr_migrations_count; i++) {
		const struct kpr_migration *m = &kpr_migrations[i];
		if (row < nrows && atoi(PQgetvalue(res, row, 0)) == m->version) {
			printf("%-24s %s  %s %s\n", m->name, _("applied"), PQgetvalue(res, row, 2), PQgetvalue(res, row, 3));
			row++;
		} else {
			printf("%-24s %s\n", m->name, _("pending"));
		}
	}
	for (; row < nrows; row++)
		printf("%-24s %s\n", PQgetvalue(res, row, 1), _("applied, unknown to this kpr"));
	PQclear(res);
	if (current > kpr_migrations[kpr_migrations_count - 1].version)
		return kpr_fail(KPR_EDB, _("the database schema (version %d) is newer than this kpr"), current);
	return KPR_OK;
}

int cmd_init(int argc, char **argv, struct kpr_ctx *ctx)
{
	static const struct option options[] = {
		{ "status", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	bool status = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == 's')
			status = true;
		else
			return kpr_usage_error("init", _("unknown option '%s'"), argv[optind - 1]);
	}
	if (optind < argc)
		return kpr_usage_error("init", _("unexpected argument '%s'"), argv[optind]);
	if ((rc = kpr_ctx_connect(ctx)) != KPR_OK)
		return rc;
	if (status)
		return print_status(ctx->conn);

	int applied;
	if ((rc = kpr_migrate_apply(ctx->conn, &applied)) != KPR_OK)
		return rc;
	if (applied)
		kpr_log_info(_("applied %d migration(s); the schema is at version %d"), applied,
			     kpr_migrations[kpr_migrations_count - 1].version);
	else
		kpr_log_info(_("the schema is up to date (version %d)"),
			     kpr_migrations[kpr_migrations_count - 1].version);
	return KPR_OK;
}
