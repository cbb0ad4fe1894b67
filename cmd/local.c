/* local.c: kpr local start|stop|status|destroy|backup|restore: the private PostgreSQL instance. */
#include "builtin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backup.h"
#include "local.h"
#include "log.h"
#include "strbuf.h"

static const char local_usage[] =
	N_("usage: kpr local start [--auth trust|scram]\n"
	   "       kpr local stop|status\n"
	   "       kpr local destroy [--yes]\n"
	   "       kpr local backup [FILE]\n"
	   "       kpr local restore FILE [--yes]\n"
	   "\n"
	   "Manage kpr's own PostgreSQL instance, used when no database is named (-d, KPR_DATABASE,\n"
	   "PGHOST, PGDATABASE, PGSERVICE).  It lives in $KPR_HOME (default ~/.local/share/kpr, and\n"
	   "/var/lib/kpr for root; a relative KPR_HOME is taken from the current directory), listens\n"
	   "only on a unix socket there, and holds database \"kpr\".\n"
	   "As root, the server runs as the 'postgres' system user, which owns $KPR_HOME.\n"
	   "\n"
	   "  start     create the instance on first use, start it, create database kpr;\n"
	   "            --auth switches who may log in (and restarts it when that changes)\n"
	   "  stop      stop it; when it does not run, say so (exit 0)\n"
	   "  status    say whether it runs, where it lives and how to connect with psql\n"
	   "            (exit 0 when it runs, 3 when not)\n"
	   "  destroy   stop it and remove $KPR_HOME with all its data but $KPR_HOME/backups,\n"
	   "            once you answer y on a terminal (anything else keeps it: exit 1);\n"
	   "            elsewhere only with --yes (without it: exit 2, nothing stopped or removed)\n"
	   "  backup    write the registry, database kpr, and its roles (kpr_city, kpr_county,\n"
	   "            kpr_reader, the offices and their members' logins, with password hashes) to\n"
	   "            FILE, or to $KPR_HOME/backups/kpr-backup-DATE.tar (DATE: $KPR_TODAY, else\n"
	   "            today; -2, -3... rather than replacing one of the same day); mode 0600.\n"
	   "            The instance must run (exit 3 when not, or when pg_dump fails; 5 when FILE\n"
	   "            cannot be written).  destroy keeps $KPR_HOME/backups; keep copies\n"
	   "            elsewhere too\n"
	   "  restore   check FILE whole (a missing, damaged or foreign file: exit 5, nothing\n"
	   "            changed), then, started when needed, load it into the instance, whose database\n"
	   "            kpr must be empty (else exit 1): the roles, then the database in one\n"
	   "            transaction (exit 3 when that fails).  Asks on a terminal (anything but y:\n"
	   "            exit 1); elsewhere only with --yes (without it: exit 2)\n"
	   "\n"
	   "A backup is a tar archive: MANIFEST (the database, the date, the versions, each member's\n"
	   "size and SHA-256), roles.sql (SQL that creates the roles when missing, sets their\n"
	   "attributes and memberships) and kpr.dump (pg_dump -Fc).  pg_dump and pg_restore come from\n"
	   "the server's own bin directory and are never given a password (under scram, the owner's\n"
	   "login by peer is what they use).\n"
	   "\n"
	   "Who may log in: with trust (the default) anyone who can reach the socket logs in as any\n"
	   "role without a password; $KPR_HOME and its run/ are mode 0700, so that is only the\n"
	   "server user (and root).  With scram, for a shared machine where offices log in with\n"
	   "their passwords (kpr office add --password-file), $KPR_HOME is 0711, run/ 0755, the\n"
	   "socket 0777, and every role gives its SCRAM-SHA-256 password, except the instance's\n"
	   "superuser \"postgres\", which the owner (whoever runs kpr, and the server user) reaches\n"
	   "by peer authentication: no password of the owner's is stored.  Other system users reach\n"
	   "the socket only through folders they may enter: put KPR_HOME where they can (e.g. run as\n"
	   "root: /var/lib/kpr).\n");

static const char local_footer[] =
	N_("Examples:\n"
	   "  $ kpr local stop\n"
	   "  kpr: local instance stopped\n"
	   "  $ kpr local stop\n"
	   "  kpr: local instance not running; nothing to stop\n"
	   "  $ kpr local destroy\n"
	   "  remove KPR_HOME (/var/lib/kpr) and all its data? [y/N] y\n"
	   "  kpr: removed /var/lib/kpr\n"
	   "  $ kpr local destroy </dev/null\n"
	   "  kpr: error: refusing to remove '/var/lib/kpr' without --yes (not on a terminal to ask)\n"
	   "  Try \"kpr local --help\" for more information.\n"
	   "  $ KPR_TODAY=2023-10-15 kpr local backup\n"
	   "  kpr: backed up the local instance to /var/lib/kpr/backups/kpr-backup-2023-10-15.tar\n"
	   "  $ kpr local restore kpr-backup-2023-10-15.tar --yes\n"
	   "  kpr: restored kpr-backup-2023-10-15.tar (of 2023-10-15) into the local instance\n");

static int local_auth = -1;	/* start --auth: an enum kpr_local_auth; -1: leave it */

static const struct kpr_choice auth_choices[] = {
	{ "trust", KPR_LOCAL_AUTH_TRUST, false }, { "scram", KPR_LOCAL_AUTH_SCRAM, false },
	{ "scram-sha-256", KPR_LOCAL_AUTH_SCRAM, true }, { NULL, 0, false }
};

#define AUTH_OPT KPR_OPT_CHOICE(0, "auth", &local_auth, auth_choices, \
				N_("start: who may log in: trust (anyone who can reach the\n" \
				   "socket folder) or scram (passwords); default: as it is"))

static const struct kpr_option start_options[] = { AUTH_OPT, KPR_OPT_END };

/* status: who may log in, and how */
static void print_auth(const struct kpr_local *l)
{
	switch (kpr_local_auth(l)) {
	case KPR_LOCAL_AUTH_TRUST:
		printf(_("authentication: trust: no password; only who can enter %s (mode 0700)\n"), l->sockdir);
		break;
	case KPR_LOCAL_AUTH_SCRAM:
		printf(_("authentication: scram: every role by its password, but %s by peer for the owner (%s/pg_ident.conf)\n"),
		       KPR_LOCAL_USER, l->datadir);
		printf(_("offices:        psql \"host=%s dbname=%s user=OFFICE\"\n"), l->sockdir, KPR_LOCAL_DBNAME);
		break;
	case KPR_LOCAL_AUTH_OTHER:
		printf(_("authentication: as %s/pg_hba.conf says (not written by kpr)\n"), l->datadir);
		break;
	}
}

static int run_status(struct kpr_ctx *ctx)
{
	struct kpr_local l;
	int rc;
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	bool init = kpr_local_initialized(&l);
	bool running = init && kpr_local_running(&l);
	const char *source = kpr_connect_source(ctx->dbname);
	printf(_("local instance: %s\n"), !init ? _("not created") : running ? _("running") : _("stopped"));
	printf(_("home:           %s\n"), l.home);
	printf(_("data directory: %s\n"), l.datadir);
	printf(_("socket:         %s/.s.PGSQL.5432\n"), l.sockdir);
	printf(_("log:            %s\n"), l.logfile);
	printf(_("server user:    %s\n"), l.run_as);
	printf(_("server binaries: %s\n"), kpr_local_bindir()[0] ? kpr_local_bindir() : _("not found"));
	printf(_("connect:        psql \"host=%s dbname=%s user=%s\"\n"), l.sockdir, KPR_LOCAL_DBNAME, KPR_LOCAL_USER);
	if (init)
		print_auth(&l);
	if (strcmp(source, "local") != 0)
		printf(_("note:           kpr commands now use %s, not this instance\n"), source);
	return running ? KPR_OK : KPR_EDB;
}

static int run_start(struct kpr_ctx *ctx)
{
	struct kpr_local l;
	int rc;
	(void)ctx;
	if ((rc = kpr_local_init(&l)) == KPR_OK && (rc = kpr_local_start(&l)) == KPR_OK && local_auth >= 0 &&
	    kpr_local_auth(&l) != (enum kpr_local_auth)local_auth &&
	    (rc = kpr_local_set_auth(&l, (enum kpr_local_auth)local_auth)) == KPR_OK)
		kpr_log_info(local_auth == KPR_LOCAL_AUTH_SCRAM
			     ? _("local instance restarted with scram authentication: every role logs in with its password")
			     : _("local instance restarted with trust authentication: no passwords; only its owner reaches it"));
	if (rc == KPR_OK)
		kpr_log_info(_("local instance running: psql \"host=%s dbname=%s user=%s\""), l.sockdir,
			     KPR_LOCAL_DBNAME, KPR_LOCAL_USER);
	return rc;
}

static int run_stop(struct kpr_ctx *ctx)
{
	struct kpr_local l;
	int rc;
	(void)ctx;
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	/* nothing running is what stop wants: a note and exit 0, so scripts can stop on any exit */
	if (!kpr_local_initialized(&l)) {
		kpr_log_info(_("local instance not created in %s; nothing to stop"), l.home);
		return KPR_OK;
	}
	if (!kpr_local_running(&l)) {
		kpr_log_info(_("local instance not running; nothing to stop"));
		return KPR_OK;
	}
	if ((rc = kpr_local_stop(&l)) == KPR_OK)
		kpr_log_info(_("local instance stopped"));
	return rc;
}

static bool destroy_yes;	/* and restore's */

#define YES_OPT KPR_OPT_FLAG('y', "yes", &destroy_yes, N_("destroy, restore: without asking (needed off a terminal)"))
static const struct kpr_option destroy_options[] = { YES_OPT, KPR_OPT_END };
static const struct kpr_option local_options[] = { AUTH_OPT, YES_OPT, KPR_OPT_END };

/* The answer to a question asked on the terminal; only y or yes (any case) says yes, and end
 * of input says no. */
static bool answered_yes(void)
{
	char answer[64];
	fflush(stderr);
	if (!fgets(answer, sizeof(answer), stdin)) {
		fputc('\n', stderr);
		return false;
	}
	char *a = answer + strspn(answer, " \t");
	a[strcspn(a, " \t\r\n")] = '\0';
	return strcasecmp(a, "y") == 0 || strcasecmp(a, "yes") == 0;
}

static bool confirm_removal(const char *home)
{
	fprintf(stderr, _("remove KPR_HOME (%s) and all its data? [y/N] "), home);
	return answered_yes();
}

static bool on_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

/* Nothing is stopped or removed before the answer: --yes, or yes on a terminal. */
static int run_destroy(struct kpr_ctx *ctx)
{
	struct kpr_local l;
	int rc;
	(void)ctx;
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	if (!kpr_local_exists(&l)) {
		kpr_log_info(_("local instance not created in %s; nothing to remove"), l.home);
		return KPR_OK;
	}
	if (!destroy_yes && !on_terminal())
		return kpr_log_usage("local", _("refusing to remove '%s' without --yes (not on a terminal to ask)"),
				     l.home);
	if (!destroy_yes && !confirm_removal(l.home)) {
		kpr_log_info(_("nothing removed"));
		return KPR_EINPUT;
	}
	int kept;
	if ((rc = kpr_local_destroy(&l, &kept)) == KPR_OK && kept)
		kpr_log_info(P_("removed the local instance in %s; kept its %d backup in %s/backups",
				"removed the local instance in %s; kept its %d backups in %s/backups", kept),
			     l.home, kept, l.home);
	else if (rc == KPR_OK)
		kpr_log_info(_("removed %s"), l.home);
	return rc;
}

static int run_backup(struct kpr_ctx *ctx)
{
	struct kpr_local l;
	struct kpr_strbuf path = KPR_STRBUF_INIT;
	int rc;
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	if (!kpr_local_initialized(&l) || !kpr_local_running(&l)) {
		kpr_log_error(_("the local instance in %s is not running: nothing to back up"), l.home);
		kpr_log_hint(_("Start it with \"kpr local start\"."));
		return KPR_EDB;
	}
	if ((rc = kpr_backup_write(&l, ctx->argc ? ctx->argv[0] : NULL, &path)) == KPR_OK)
		kpr_log_info(_("backed up the local instance to %s"), path.buf);
	kpr_strbuf_release(&path);
	return rc;
}

/*
 * Nothing is changed before the file is checked whole and the answer given (--yes, or yes on
 * a terminal); an instance that runs is found not empty before asking.
 */
static int run_restore(struct kpr_ctx *ctx)
{
	const char *file = ctx->argv[0];
	struct kpr_local l;
	struct kpr_backup b;
	int rc;
	if ((rc = kpr_local_init(&l)) != KPR_OK)
		return rc;
	if (!destroy_yes && !on_terminal())
		return kpr_log_usage("local", _("refusing to restore '%s' without --yes (not on a terminal to ask)"),
				     file);
	if ((rc = kpr_backup_read(file, &b)) != KPR_OK)
		return rc;
	if (kpr_local_initialized(&l) && kpr_local_running(&l) && (rc = kpr_backup_check_empty(&l)) != KPR_OK)
		goto out;
	if (!destroy_yes) {
		fprintf(stderr, _("restore '%s' (of %s) into the local instance in %s? [y/N] "), file, b.date, l.home);
		if (!answered_yes()) {
			kpr_log_info(_("nothing restored"));
			rc = KPR_EINPUT;
			goto out;
		}
	}
	if ((rc = kpr_local_start(&l)) == KPR_OK && (rc = kpr_backup_restore(&l, &b)) == KPR_OK)
		kpr_log_info(_("restored %s (of %s) into the local instance"), file, b.date);
out:
	kpr_backup_release(&b);
	return rc;
}

#define LOCAL_ACTION(action, fn) \
	static const struct kpr_command local_##action = { .name = #action, .run = fn, .too_many = N_("too many arguments") }
static const struct kpr_command local_start = {
	.name = "start", .options = start_options, .run = run_start, .too_many = N_("too many arguments")
};
LOCAL_ACTION(stop, run_stop);
LOCAL_ACTION(status, run_status);
static const struct kpr_command local_destroy = {
	.name = "destroy", .options = destroy_options, .run = run_destroy, .too_many = N_("too many arguments")
};

static const struct kpr_command local_backup = {
	.name = "backup", .max_args = 1, .run = run_backup, .too_many = N_("too many arguments")
};
static const struct kpr_command local_restore = {
	.name = "restore", .options = destroy_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the backup FILE to restore"), .run = run_restore, .too_many = N_("too many arguments")
};

static const struct kpr_command *const local_actions[] = {
	&local_start, &local_stop, &local_status, &local_destroy, &local_backup, &local_restore, NULL
};

const struct kpr_command kpr_cmd_local = {
	.name = "local",
	.summary = N_("manage the local PostgreSQL instance"),
	.usage = local_usage,
	.options = local_options,
	.footer = local_footer,
	.missing = N_("missing action (start, stop, status, destroy, backup, restore)"),
	.subcommands = local_actions,
	.unknown = N_("unknown action '%s'"),
};
