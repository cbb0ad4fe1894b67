/* local.c: kpr local start|stop|status|destroy: the private PostgreSQL instance. */
#include "builtin.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "local.h"
#include "log.h"

const char local_usage[] =
	N_("usage: kpr local start|stop|status|destroy\n"
	   "\n"
	   "Manage kpr's own PostgreSQL instance, used when no database is named (-d, KPR_DATABASE,\n"
	   "PGHOST, PGDATABASE, PGSERVICE).  It lives in $KPR_HOME (default ~/.local/share/kpr, and\n"
	   "/var/lib/kpr for root), listens only on a unix socket there, and holds database \"kpr\".\n"
	   "As root, the server runs as the 'postgres' system user, which owns $KPR_HOME.\n"
	   "\n"
	   "  start     create the instance on first use, start it, create database kpr\n"
	   "  stop      stop it\n"
	   "  status    say whether it runs, where it lives and how to connect with psql\n"
	   "  destroy   stop it and remove $KPR_HOME with all its data\n");

static int print_status(const struct kpr_local *l)
{
	bool init = kpr_local_initialized(l);
	bool running = init && kpr_local_running(l);
	printf(_("local instance: %s\n"), !init ? _("not created") : running ? _("running") : _("stopped"));
	printf(_("home:           %s\n"), l->home);
	printf(_("data directory: %s\n"), l->datadir);
	printf(_("socket:         %s/.s.PGSQL.5432\n"), l->sockdir);
	printf(_("log:            %s\n"), l->logfile);
	printf(_("server user:    %s\n"), l->run_as);
	printf(_("server binaries: %s\n"), l->bindir[0] ? l->bindir : _("not found"));
	printf(_("connect:        psql \"host=%s dbname=%s user=%s\"\n"), l->sockdir, KPR_LOCAL_DBNAME, KPR_LOCAL_USER);
	if (strcmp(kpr_db_source(NULL), "local") != 0)
		printf(_("note:           kpr commands now use %s, not this instance\n"), kpr_db_source(NULL));
	return running ? KPR_OK : KPR_EDB;
}

int cmd_local(int argc, char **argv, struct kpr_ctx *ctx)
{
	struct kpr_local l;
	int rc;
	(void)ctx;
	if (argc != 2)
		return kpr_usage_error("local", argc < 2 ? _("missing action (start, stop, status, destroy)")
						       : _("too many arguments"));
	const char *action = argv[1];
	if (strcmp(action, "start") && strcmp(action, "stop") && strcmp(action, "status") && strcmp(action, "destroy"))
		return kpr_usage_error("local", _("unknown action '%s'"), action);
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	if (strcmp(action, "status") == 0)
		return print_status(&l);
	if (strcmp(action, "start") == 0) {
		if ((rc = kpr_local_start(&l)) == KPR_OK)
			kpr_log_info(_("local instance running: psql \"host=%s dbname=%s user=%s\""), l.sockdir,
				     KPR_LOCAL_DBNAME, KPR_LOCAL_USER);
		return rc;
	}
	if (strcmp(action, "stop") == 0)
		return kpr_local_stop(&l);
	if ((rc = kpr_local_destroy(&l)) == KPR_OK)
		kpr_log_info(_("removed %s"), l.home);
	return rc;
}
