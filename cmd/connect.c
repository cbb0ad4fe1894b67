/*
 * connect.c: which server a command talks to, chosen once for every command as psql's startup
 * does: -d, $KPR_DATABASE, the PG* environment, or, last, the local instance (lib/local.h).
 * A password is never shown: -v prints the settings masked (lib/conninfo.h), and one inside
 * -d or KPR_DATABASE gets a warning (cmd/kpr.c scrubs it from the command line).
 */
#include "builtin.h"

#include <stdlib.h>
#include <string.h>

#include "conninfo.h"
#include "db.h"
#include "local.h"
#include "log.h"
#include "migrate.h"
#include "strbuf.h"

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

const char *kpr_connect_source(const char *dbname)
{
	if (dbname)
		return "-d";
	if (env_nonempty("KPR_DATABASE"))
		return "KPR_DATABASE";
	if (env_nonempty("PGHOST") || env_nonempty("PGDATABASE") || env_nonempty("PGSERVICE"))
		return "PG*";
	return "local";
}

/* The keywords and values for the source: a conninfo as dbname, the local socket, or none. */
static int connect_params(const char *source, const char *dbname, struct kpr_local *local,
			  const char **kw, const char **val)
{
	int n = 0;
	if (strcmp(source, "-d") == 0 || strcmp(source, "KPR_DATABASE") == 0) {
		kw[n] = "dbname";
		val[n++] = dbname ? dbname : env_nonempty("KPR_DATABASE");
	} else if (strcmp(source, "local") == 0) {
		if (kpr_local_init(local) != KPR_OK)
			return KPR_EDB;
		kw[n] = "host";
		val[n++] = local->sockdir;
		kw[n] = "dbname";
		val[n++] = KPR_LOCAL_DBNAME;
		kw[n] = "user";
		val[n++] = KPR_LOCAL_USER;
	}
	kw[n] = NULL;
	val[n] = NULL;
	return KPR_OK;
}

/* libpq's environment, as -v shows it: the variables that choose the server, a password masked */
static void add_environment(struct kpr_strbuf *sb)
{
	static const char *const names[] = { "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE",
					     "PGPASSWORD", "PGPASSFILE", "PGSSLMODE", "PGSSLROOTCERT", NULL };
	for (const char *const *name = names; *name; name++) {
		const char *v = env_nonempty(*name);
		if (v)
			kpr_strbuf_addf(sb, "%s%s=%s", sb->len ? " " : "", *name,
					strcmp(*name, "PGPASSWORD") == 0 ? "********" : v);
	}
}

/* -v: the settings about to be used, with every password masked; a warning for a password in
 * a connection string, since -d shows it to everyone on the machine (ps) and both end up in
 * shell histories and scripts */
static void announce(const char *source, const char *const *kw, const char *const *val, bool verbose)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	bool conninfo = strcmp(source, "-d") == 0 || strcmp(source, "KPR_DATABASE") == 0;
	if (conninfo && kpr_conninfo_has_password(val[0]))
		kpr_log_warning(_("the connection string from %s holds a password; keep it in ~/.pgpass or "
				  "PGPASSFILE, or let kpr ask for it, instead"), source);
	if (!verbose)
		return;
	if (conninfo) {
		char *shown = kpr_conninfo_mask(val[0]);
		kpr_strbuf_adds(&sb, shown);
		free(shown);
	} else if (strcmp(source, "local") == 0) {
		for (int i = 0; kw[i]; i++)
			kpr_strbuf_addf(&sb, "%s%s=%s", i ? " " : "", kw[i], val[i]);
	} else
		add_environment(&sb);
	kpr_log_info(_("connecting with %s (from %s)"), sb.buf ? sb.buf : "", source);
	kpr_strbuf_release(&sb);
}

int kpr_connect(struct kpr_ctx *ctx, enum kpr_cmd_db db)
{
	const char *source = kpr_connect_source(ctx->dbname);
	const char *kw[4], *val[4];
	struct kpr_local local;
	int rc;

	if (ctx->conn || db == NO_DB)
		return KPR_OK;
	if ((rc = connect_params(source, ctx->dbname, &local, kw, val)) != KPR_OK)
		return rc;
	announce(source, kw, val, ctx->verbose);
	rc = kpr_db_connect(&ctx->conn, kw, val, _("cannot connect to the database: %s"));
	if (rc != KPR_OK) {
		if (kpr_db_connect_hinted())	/* the server wanted a password: said so */
			return rc;
		if (strcmp(source, "local") == 0)
			kpr_log_hint(_("No database named. Start the local instance with \"kpr local start\", "
				       "or name one with -d, KPR_DATABASE or the PG* variables."));
		else
			kpr_log_hint(_("Check the connection settings (from %s) and that the server is running."),
				     source);
		return rc;
	}
	if (db == NEEDS_DB && (rc = kpr_migrate_check(ctx->conn)) != KPR_OK)
		return rc;
	return KPR_OK;
}
