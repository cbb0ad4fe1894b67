/*
 * local_auth.c: who may log in to the local instance; see local.h.
 *
 * trust (initdb -A trust, the default): whoever can reach the socket logs in as any role, so
 * the folders are the lock: $KPR_HOME and its run/ are mode 0700, the server user's alone.
 * scram: for a shared machine where offices log in with passwords.  The folders open (0711 and
 * 0755, the socket 0777), pg_hba.conf asks every role for its SCRAM-SHA-256 password except the
 * instance's superuser, which logs in by peer authentication for the system users of the owner
 * (whoever runs kpr, and the server user), as pg_ident.conf's map "kpr" says: no password of
 * the owner's is stored anywhere.  kpr writes both files whole and restarts the server, so that
 * the next connection meets the new rules (a reload is not waited for).
 */
#include "local.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

const char *kpr_local_auth_name(enum kpr_local_auth auth)
{
	switch (auth) {
	case KPR_LOCAL_AUTH_TRUST:
		return "trust";
	case KPR_LOCAL_AUTH_SCRAM:
		return "scram";
	case KPR_LOCAL_AUTH_OTHER:
		break;
	}
	return "other";
}

/* The method of pg_hba.conf's first "local" line for every user. */
enum kpr_local_auth kpr_local_auth(const struct kpr_local *l)
{
	char path[PATH_MAX + 16], line[1024];
	enum kpr_local_auth auth = KPR_LOCAL_AUTH_OTHER;
	snprintf(path, sizeof(path), "%s/pg_hba.conf", l->datadir);
	FILE *f = fopen(path, "r");
	if (!f)
		return auth;
	while (fgets(line, sizeof(line), f)) {
		char type[32], db[64], user[64], method[64];
		line[strcspn(line, "#")] = '\0';
		if (sscanf(line, "%31s %63s %63s %63s", type, db, user, method) != 4 ||
		    strcmp(type, "local") != 0 || strcmp(user, "all") != 0)
			continue;
		if (strcmp(method, "trust") == 0)
			auth = KPR_LOCAL_AUTH_TRUST;
		else if (strcmp(method, "scram-sha-256") == 0)
			auth = KPR_LOCAL_AUTH_SCRAM;
		break;
	}
	fclose(f);
	return auth;
}

/* path written whole (a temporary file renamed over it), the server user's, mode 0600 */
static int write_conf(const struct kpr_local *l, const char *name, const char *text)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 48];
	snprintf(path, sizeof(path), "%s/%s", l->datadir, name);
	snprintf(tmp, sizeof(tmp), "%s.kpr-new", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), tmp, strerror(errno));
	fputs(text, f);
	bool failed = fflush(f) != 0 || fsync(fileno(f)) != 0;
	failed |= fclose(f) != 0;
	if (!failed && l->drop_privileges && chown(tmp, l->uid, l->gid) != 0)
		failed = true;
	if (failed || chmod(tmp, 0600) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return kpr_fail(KPR_EFILE, _("cannot write '%s': %s"), path, strerror(e));
	}
	return KPR_OK;
}

/* pg_hba.conf for auth, and for scram pg_ident.conf: the owner's system users as postgres */
static int write_rules(const struct kpr_local *l, enum kpr_local_auth auth)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *name = kpr_local_auth_name(auth);
	int rc;
	kpr_strbuf_addf(&sb, "# written by kpr local start --auth %s; kpr rewrites this file (kpr local --help)\n"
			"# TYPE  DATABASE  USER      METHOD\n", name);
	if (auth == KPR_LOCAL_AUTH_SCRAM)
		kpr_strbuf_addf(&sb, "local   all       %-9s peer map=kpr\n"
				"local   all       all       scram-sha-256\n", KPR_LOCAL_USER);
	else
		kpr_strbuf_adds(&sb, "local   all       all       trust\n");
	rc = write_conf(l, "pg_hba.conf", sb.buf);
	if (rc == KPR_OK && auth == KPR_LOCAL_AUTH_SCRAM) {
		struct passwd *pw = getpwuid(geteuid());
		kpr_strbuf_reset(&sb);
		kpr_strbuf_addf(&sb, "# written by kpr local start --auth scram: the system users who log in as %s\n"
				"# MAPNAME  SYSTEM-USERNAME  PG-USERNAME\n"
				"kpr        %-16s %s\n", KPR_LOCAL_USER, l->run_as, KPR_LOCAL_USER);
		if (pw && strcmp(pw->pw_name, l->run_as) != 0)
			kpr_strbuf_addf(&sb, "kpr        %-16s %s\n", pw->pw_name, KPR_LOCAL_USER);
		rc = write_conf(l, "pg_ident.conf", sb.buf);
	}
	kpr_strbuf_release(&sb);
	return rc;
}

/* The socket's own mode: 0777 under scram (the folders and passwords decide), else the 0700
 * of postgresql.conf (kpr local start's append_config). */
static int set_socket_permissions(const struct kpr_local *l, enum kpr_local_auth auth)
{
	const char *kw[] = { "host", "dbname", "user", NULL };
	const char *val[] = { l->sockdir, "postgres", KPR_LOCAL_USER, NULL };
	PGconn *conn;
	int rc = kpr_db_connect(&conn, kw, val, _("cannot connect to the local instance: %s"));
	if (rc != KPR_OK)
		return rc;
	rc = kpr_db_exec(conn, auth == KPR_LOCAL_AUTH_SCRAM ? "ALTER SYSTEM SET unix_socket_permissions = '0777'"
							    : "ALTER SYSTEM RESET unix_socket_permissions",
			 0, NULL, NULL);
	kpr_db_close(conn);
	return rc;
}

int kpr_local_set_auth(const struct kpr_local *l, enum kpr_local_auth auth)
{
	int rc;
	if (kpr_local_auth(l) == auth)
		return KPR_OK;
	if ((rc = set_socket_permissions(l, auth)) != KPR_OK || (rc = write_rules(l, auth)) != KPR_OK ||
	    (rc = kpr_local_stop(l)) != KPR_OK)
		return rc;
	/* the start sets the folders' modes from pg_hba.conf before the server opens its socket */
	return kpr_local_start(l);
}
