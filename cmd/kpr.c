/*
 * kpr.c: the kpr command: global options, then a table of subcommands (git's git.c).
 */
#include "builtin.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "migrate.h"

struct cmd_struct {
	const char *name;
	kpr_cmd_fn fn;
	int flags;
	const char *usage;
	const char *summary;
};

static const struct cmd_struct commands[] = {
	{ "init", cmd_init, NEEDS_CONN, init_usage, N_("create or upgrade the database schema") },
	{ "local", cmd_local, NO_DB, local_usage, N_("manage the local PostgreSQL instance") },
	{ "import", cmd_import, NEEDS_DB, import_usage, N_("load configuration, project lists and progress") },
	{ "config", cmd_config, NEEDS_DB, config_usage, N_("show the loaded configuration") },
};

static const char main_usage[] =
	N_("usage: kpr [-d CONNINFO] [-v] [-q] COMMAND [ARGS]\n"
	   "\n"
	   "kpr keeps a city's key-project registry in PostgreSQL.\n"
	   "\n"
	   "Options:\n"
	   "  -d, --dbname=CONNINFO  database to use: a conninfo string or postgresql:// URI\n"
	   "                         (default: $KPR_DATABASE, then PGHOST/PGDATABASE/PGSERVICE,\n"
	   "                         then the local instance of \"kpr local\")\n"
	   "  -v, --verbose          say more, and print each SQL statement\n"
	   "  -q, --quiet            print only errors\n"
	   "  -h, --help             show this help, or a command's with \"kpr COMMAND --help\"\n"
	   "  -V, --version          print the version\n"
	   "\n"
	   "Exit status: 0 success; 1 input rejected or refused by a rule, nothing written;\n"
	   "2 usage error; 3 cannot connect, server error, or schema newer than kpr;\n"
	   "4 permission denied; 5 a local file cannot be read or written.\n"
	   "\n"
	   "Commands:\n");

static void print_main_usage(FILE *out)
{
	fputs(_(main_usage), out);
	for (size_t i = 0; i < KPR_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
}

int kpr_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "%s: %s", kpr_progname, _("error: "));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, _("Try \"kpr %s --help\" for more information.\n"), cmd);
	else
		fprintf(stderr, _("Try \"kpr --help\" for more information.\n"));
	return KPR_EUSAGE;
}

int kpr_ctx_connect(struct kpr_ctx *ctx)
{
	int rc;
	if (ctx->conn || ctx->db_flags == NO_DB)
		return KPR_OK;
	if ((rc = kpr_db_connect(&ctx->conn, ctx->dbname)) != KPR_OK)
		return rc;
	if (ctx->db_flags == NEEDS_DB && (rc = kpr_migrate_check(ctx->conn)) != KPR_OK)
		return rc;
	return KPR_OK;
}

/* "--help" or "-h" anywhere before "--" */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

/* stdout may be a full disk or a closed pipe: that is an error, not silence */
static int finish_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		kpr_log_error(_("cannot write the output: %s"), strerror(errno));
		return rc ? rc : KPR_EFILE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct kpr_ctx ctx = { 0 };
	int c;

	setlocale(LC_ALL, "");
	bindtextdomain("kpr", LOCALEDIR);
	textdomain("kpr");

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:vqhV", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.dbname = optarg;
			break;
		case 'v':
			ctx.verbose = true;
			kpr_db_verbose = true;
			kpr_log_min_level = KPR_LOG_DEBUG;
			break;
		case 'q':
			ctx.quiet = true;
			kpr_log_min_level = KPR_LOG_ERROR;
			break;
		case 'h':
			print_main_usage(stdout);
			return finish_stdout(KPR_OK);
		case 'V':
			printf("kpr %s\n", KPR_VERSION);
			return finish_stdout(KPR_OK);
		default:
			if (optopt)
				return kpr_usage_error(NULL, _("unknown option '-%c'"), optopt);
			return kpr_usage_error(NULL, _("unknown option '%s'"), argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_main_usage(stderr);
		return KPR_EUSAGE;
	}

	const char *name = argv[optind];
	const struct cmd_struct *cmd = NULL;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			cmd = &commands[i];
	if (!cmd)
		return kpr_usage_error(NULL, _("'%s' is not a kpr command"), name);

	int cargc = argc - optind;
	char **cargv = argv + optind;
	if (wants_help(cargc, cargv)) {
		fputs(_(cmd->usage), stdout);
		return finish_stdout(KPR_OK);
	}

	ctx.db_flags = cmd->flags;
	optind = 0;	/* reset getopt for the subcommand (glibc: 0 reinitialises) */
	int rc = cmd->fn(cargc, cargv, &ctx);
	kpr_db_close(ctx.conn);
	return finish_stdout(rc);
}
