/*
 * builtin.h: what the subcommands share with the dispatcher in cmd/kpr.c.
 *
 * Adding a command: write cmd/NAME.c with cmd_NAME() and NAME_usage[], declare both here, add a
 * row to the table in cmd/kpr.c.  The dispatcher connects and checks the schema when the row
 * asks for it, answers --help from the usage text, and turns the return value into the exit code.
 */
#ifndef KPR_BUILTIN_H
#define KPR_BUILTIN_H

#include <libpq-fe.h>

#include "kpr.h"

struct kpr_ctx {
	PGconn *conn;		/* set by kpr_ctx_connect() */
	const char *dbname;	/* -d, or NULL */
	int db_flags;		/* the command's row: NEEDS_CONN, NEEDS_DB */
	bool quiet;
	bool verbose;
};

typedef int (*kpr_cmd_fn)(int argc, char **argv, struct kpr_ctx *ctx);

/* Print "kpr: error: MSG" and the try-help line; return KPR_EUSAGE. */
int kpr_usage_error(const char *cmd, const char *fmt, ...) KPR_PRINTF(2, 3);
enum {
	NO_DB = 0,
	NEEDS_CONN = 1,		/* connect, but the schema may be missing or old (init) */
	NEEDS_DB = 2		/* connect and check the schema is this binary's */
};

/*
 * Connect as the command's row says, once its options are parsed (so that a usage error is
 * exit 2 whether or not a server runs).  Idempotent; prints and returns the status on failure.
 */
int kpr_ctx_connect(struct kpr_ctx *ctx) KPR_WARN_UNUSED;

int cmd_init(int argc, char **argv, struct kpr_ctx *ctx);
int cmd_local(int argc, char **argv, struct kpr_ctx *ctx);
int cmd_import(int argc, char **argv, struct kpr_ctx *ctx);
int cmd_config(int argc, char **argv, struct kpr_ctx *ctx);

/* kpr import config|projects|progress: cmd/import.c dispatches to one file per kind */
int cmd_import_config(int argc, char **argv, struct kpr_ctx *ctx);
int cmd_import_projects(int argc, char **argv, struct kpr_ctx *ctx);
int cmd_import_progress(int argc, char **argv, struct kpr_ctx *ctx);

extern const char init_usage[];
extern const char local_usage[];
extern const char import_usage[];
extern const char config_usage[];

#endif
