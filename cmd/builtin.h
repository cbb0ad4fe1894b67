/*
 * builtin.h: what the commands share with the dispatcher in cmd/kpr.c.
 *
 *     const struct kpr_command kpr_cmd_init = { .name = "init", .db = NEEDS_CONN, .usage = init_usage,
 *                                               .options = init_options, .run = run_init, ... };
 *
 * Adding a command: write cmd/NAME.c defining kpr_cmd_NAME (its options table, usage text and
 * run function) and add its line to KPR_COMMANDS below (docs/hacking.md).  The
 * dispatcher parses the options into the places the table names (options.h), checks the number
 * of arguments, runs the command's check, connects as its .db says, runs it, and returns what
 * it returns as the exit status.  A command with subcommands (kpr import config|projects|...)
 * has a table of them instead of a run function.
 */
#ifndef KPR_BUILTIN_H
#define KPR_BUILTIN_H

#include <libpq-fe.h>
#include <stdio.h>

#include "kpr.h"
#include "options.h"

struct kpr_ctx {
	PGconn *conn;		/* connected by the dispatcher when the command's .db asks */
	const char *dbname;	/* -d, or NULL */
	bool quiet;		/* -q: no progress, no summary */
	bool verbose;		/* -v */
	int argc;		/* the command's arguments, its options taken out */
	char **argv;
};

/* What a command needs of the database before it runs. */
enum kpr_cmd_db {
	NO_DB = 0,
	NEEDS_CONN = 1,		/* connect, but the schema may be missing or old (init) */
	NEEDS_DB = 2		/* connect and check the schema is this kpr's */
};

struct kpr_command {
	const char *name;
	const char *summary;		/* N_(): one line, for kpr --help; NULL: not listed */
	enum kpr_cmd_db db;
	const char *usage;		/* N_(): "usage: ..." and what it does; NULL: the parent's help */
	const char *options_title;	/* N_(): NULL: "Options:" */
	/* its options; for a command with subcommands, the options they share (shown in its help,
	 * taken after the subcommand's name) */
	const struct kpr_option *options;
	const char *footer;		/* N_(): after the options, or NULL */
	int min_args, max_args;		/* how many arguments it takes */
	const char *missing;		/* N_(): fewer than min_args, or no subcommand */
	const char *too_many;		/* N_(): more than max_args; NULL: "unexpected argument '%s'" */
	int (*check)(struct kpr_ctx *ctx);	/* after parsing, before connecting; NULL: none */
	int (*run)(struct kpr_ctx *ctx);
	const struct kpr_command *const *subcommands;	/* NULL-terminated, or NULL */
	const char *unknown;		/* N_(): not one of the subcommands; one %s, the word given */
};

/* kpr's own options (-d, -v, -q, -h, -V) and commands, for the dispatcher and kpr help */
extern const struct kpr_option kpr_main_options[];
extern const struct kpr_command *const kpr_commands[];
const struct kpr_command *kpr_command_find(const struct kpr_command *const *table, const char *name);

/* kpr --help, and a command's --help (cmd/help.c) */
void kpr_help_main(FILE *out);
void kpr_help_command(const struct kpr_command *cmd, const struct kpr_command *parent, FILE *out);

/*
 * Which server the commands use (cmd/connect.c): -d, else $KPR_DATABASE, else libpq's PG*
 * environment when PGHOST, PGDATABASE or PGSERVICE is set, else the local instance.  The name
 * of the source chosen: "-d", "KPR_DATABASE", "PG*" or "local".
 */
const char *kpr_connect_source(const char *dbname);
/* Connect ctx->conn to that server; with NEEDS_DB check the schema too.  Prints and returns
 * the status on failure (KPR_EDB). */
int kpr_connect(struct kpr_ctx *ctx, enum kpr_cmd_db db) KPR_WARN_UNUSED;

/*
 * The commands, in the order kpr --help lists them: one line each, kpr_cmd_NAME defined in
 * cmd/NAME.c.  This list declares them and makes the dispatcher's table (cmd/kpr.c).
 */
#define KPR_COMMANDS(X) \
	X(init)         \
	X(local)        \
	X(import)       \
	X(config)       \
	X(year)         \
	X(batch)        \
	X(list)         \
	X(show)         \
	X(log)          \
	X(colours)      \
	X(colour)       \
	X(colors)       \
	X(color)        \
	X(report)       \
	X(office)       \
	X(update)       \
	X(stage)        \
	X(period)       \
	X(export)       \
	X(help)

#define KPR_DECLARE_COMMAND(name) extern const struct kpr_command kpr_cmd_##name;
KPR_COMMANDS(KPR_DECLARE_COMMAND)

extern const struct kpr_command kpr_cmd_import_config;	/* kpr import config, a file of its own */

#endif
