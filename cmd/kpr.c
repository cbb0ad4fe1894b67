/*
 * kpr.c: the kpr command: kpr's own options, then a table of commands (git's git.c), each parsed,
 * connected and run the same way.
 */
#include "builtin.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conninfo.h"
#include "db.h"
#include "log.h"
#include "strbuf.h"

#define KPR_COMMAND_ROW(name) &kpr_cmd_##name,
const struct kpr_command *const kpr_commands[] = { KPR_COMMANDS(KPR_COMMAND_ROW) NULL };

static struct {
	const char *dbname;
	bool verbose, version;
} main_opts;

const struct kpr_option kpr_main_options[] = {
	KPR_OPT_STR('d', "dbname", &main_opts.dbname, "CONNINFO",
		    N_("database to use: a conninfo string or postgresql:// URI\n"
		       "(default: $KPR_DATABASE, then PGHOST/PGDATABASE/PGSERVICE,\n"
		       "then the local instance of \"kpr local\"); a password belongs\n"
		       "in ~/.pgpass or PGPASSFILE, or kpr asks for it on a terminal")),
	KPR_OPT_FLAG('v', "verbose", &main_opts.verbose, N_("say more, and print each SQL statement")),
	KPR_OPT_FLAG('q', "quiet", NULL, N_("print only errors")),
	KPR_OPT_FLAG('h', "help", NULL, N_("show this help, or a command's with \"kpr COMMAND --help\"")),
	KPR_OPT_FLAG('V', "version", &main_opts.version, N_("print the version")),
	KPR_OPT_END
};

const struct kpr_command *kpr_command_find(const struct kpr_command *const *table, const char *name)
{
	for (; *table; table++)
		if (strcmp((*table)->name, name) == 0)
			return *table;
	return NULL;
}

static void set_quiet(struct kpr_ctx *ctx)
{
	ctx->quiet = true;
	kpr_log_min_level = KPR_LOG_ERROR;
}

/* Its number of arguments, then its check, a connection as it asks, and the command itself. */
static int run_leaf(const struct kpr_command *cmd, const char *top, const struct kpr_parsed *p, struct kpr_ctx *ctx)
{
	int rc;
	if (p->argc < cmd->min_args)
		return kpr_log_usage(top, "%s", _(cmd->missing));
	if (p->argc > cmd->max_args)
		return cmd->too_many ? kpr_log_usage(top, "%s", _(cmd->too_many))
				     : kpr_log_usage(top, _("unexpected argument '%s'"), p->argv[cmd->max_args]);
	ctx->argc = p->argc;
	ctx->argv = p->argv;
	if (cmd->check && (rc = cmd->check(ctx)) != KPR_OK)
		return rc;
	if (cmd->db != NO_DB && (rc = kpr_connect(ctx, cmd->db)) != KPR_OK)
		return rc;
	return cmd->run(ctx);
}

/*
 * Parse argv (argv[0]: the command's name) against cmd's table and run it, or the subcommand
 * argv names.  top names the command in "Try ..." lines; parent is the command above, whose help
 * a subcommand without its own shows.
 */
static int run_command(const struct kpr_command *cmd, const char *top, const struct kpr_command *parent,
		       int argc, char **argv, struct kpr_ctx *ctx)
{
	struct kpr_parsed p;
	int rc = kpr_options_parse(cmd->subcommands ? NULL : cmd->options,
				   cmd->subcommands ? KPR_PARSE_STOP_AT_ARG : 0, top, argc, argv, &p);
	if (rc != KPR_OK)
		return rc;
	if (p.quiet)
		set_quiet(ctx);
	if (p.help) {
		kpr_help_command(cmd, parent, stdout);
		return KPR_OK;
	}
	if (!cmd->subcommands)
		return run_leaf(cmd, top, &p, ctx);
	if (p.argc == 0)
		return kpr_log_usage(top, "%s", _(cmd->missing));
	const struct kpr_command *sub = kpr_command_find(cmd->subcommands, p.argv[0]);
	if (!sub)
		return kpr_log_usage(top, _(cmd->unknown), p.argv[0]);
	return run_command(sub, top, cmd, p.argc, p.argv, ctx);
}

/*
 * stdout may be a full disk or a closed pipe: that is an error, not silence.  Said once: a
 * command that returns KPR_EFILE after an error message has said already that its output
 * failed.  The reason is errno's only when this flush failed (an earlier failed write leaves
 * errno long gone, and strerror(0) would say "Success"); otherwise EIO.
 */
static int finish_stdout(int rc)
{
	int err = 0;
	errno = 0;
	if (fflush(stdout) != 0)
		err = errno ? errno : EIO;
	else if (!ferror(stdout))
		return rc;
	if (rc == KPR_EFILE && kpr_log_errors > 0)
		return rc;
	/* the reason unknown: EIO, as lib/outfile.c says it */
	kpr_log_error(_("cannot write the output: %s"), strerror(err ? err : EIO));
	return rc ? rc : KPR_EFILE;
}

/*
 * A reader that goes away (kpr report | head -c0) is a write error like a full disk: EPIPE,
 * reported, exit 5, rather than death by SIGPIPE.  A handler, not SIG_IGN: a caught signal is
 * reset to its default across exec, so the programs kpr runs (pg_ctl, postgres) get SIGPIPE
 * as usual.
 */
static void on_sigpipe(int sig)
{
	(void)sig;
}

static void catch_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = on_sigpipe, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Messages in the language the locale asks for, as GNU tools do (LC_ALL, LC_MESSAGES, LANG, and
 * LANGUAGE once the locale is set): the catalog installed under LOCALEDIR, or the one
 * KPR_LOCALEDIR names (a build tree's, for tests and make demo).  Always UTF-8, whatever the
 * locale's charset: kpr's own output (names, tables) is UTF-8.
 */
static void setup_locale(void)
{
	const char *dir = getenv("KPR_LOCALEDIR");

	setlocale(LC_ALL, "");
	bindtextdomain("kpr", dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset("kpr", "UTF-8");
	textdomain("kpr");
}

/*
 * A password inside -d: kpr keeps its own copy and overwrites the one in argv, so that ps and
 * /proc/PID/cmdline show asterisks for as long as the command runs (as mysql does; the moment
 * before, and the shell's history, remain: hence the warning, cmd/connect.c).  The copy lives
 * as long as the process, as argv does.
 */
static void hide_dbname_password(struct kpr_ctx *ctx)
{
	static char *copy;
	if (!kpr_conninfo_has_password(main_opts.dbname))
		return;
	copy = kpr_xstrdup(main_opts.dbname);
	kpr_conninfo_scrub((char *)main_opts.dbname);	/* it points into argv, which is ours to write */
	ctx->dbname = copy;
}

int main(int argc, char **argv)
{
	struct kpr_ctx ctx = { 0 };
	struct kpr_parsed p;
	int rc;

	setup_locale();
	catch_sigpipe();

	if ((rc = kpr_options_parse(kpr_main_options, KPR_PARSE_STOP_AT_ARG, NULL, argc, argv, &p)) != KPR_OK)
		return rc;
	if (p.quiet)
		set_quiet(&ctx);
	if (main_opts.verbose) {
		ctx.verbose = true;
		kpr_db_verbose = true;
		kpr_log_min_level = KPR_LOG_DEBUG;
	}
	ctx.dbname = main_opts.dbname;
	hide_dbname_password(&ctx);
	if (p.help) {
		kpr_help_main(stdout);
		return finish_stdout(KPR_OK);
	}
	if (main_opts.version) {
		printf("kpr %s\n", KPR_VERSION);
		return finish_stdout(KPR_OK);
	}
	if (p.argc == 0) {
		kpr_help_main(stderr);
		return KPR_EUSAGE;
	}
	const struct kpr_command *cmd = kpr_command_find(kpr_commands, p.argv[0]);
	if (!cmd)
		return kpr_log_usage(NULL, _("'%s' is not a kpr command"), p.argv[0]);
	rc = run_command(cmd, cmd->name, NULL, p.argc, p.argv, &ctx);
	kpr_db_close(ctx.conn);
	return finish_stdout(rc);
}
