/*
 * local.h: the local instance, a private PostgreSQL cluster that kpr starts itself.
 *
 *     struct kpr_local l;
 *     if (kpr_local_init(&l) == KPR_OK && kpr_local_start(&l) == KPR_OK) ... connect to l.sockdir
 *
 * It lives in $KPR_HOME (default ~/.local/share/kpr, or /var/lib/kpr for root): data/ holds the
 * cluster, run/ its unix socket (no TCP listener), postgres.log its log.  initdb refuses root,
 * so under root the server runs as the `postgres` system user, and $KPR_HOME belongs to it.
 */
#ifndef KPR_LOCAL_H
#define KPR_LOCAL_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

/* Strict ISO C (-std=c17 without _GNU_SOURCE) hides PATH_MAX: the value Linux's <limits.h>
 * gives the library, so that a program including this header sees struct kpr_local as it is */
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#include "kpr.h"

#define KPR_LOCAL_DBNAME "kpr"
#define KPR_LOCAL_USER "postgres"	/* the cluster's superuser, whoever runs it */

struct kpr_local {
	char home[PATH_MAX - 64];	/* room for the suffixes below */
	char datadir[PATH_MAX];
	char sockdir[PATH_MAX];
	char logfile[PATH_MAX];
	char run_as[64];		/* system user running the server */
	uid_t uid;
	gid_t gid;
	bool drop_privileges;		/* we are root: run the server as run_as */
};

/* Work out paths and the server user; checks the socket path fits.  Prints and returns
 * KPR_EFILE when $KPR_HOME is unusable, KPR_EDB when no server user exists. */
int kpr_local_init(struct kpr_local *l) KPR_WARN_UNUSED;
/* The directory of the PostgreSQL server programs (pg_config --bindir, else the newest
 * /usr/lib/postgresql/N/bin), "" when there is none; found on the first call. */
const char *kpr_local_bindir(void);
/* initdb on first use, start the server, create database kpr.  Idempotent. */
int kpr_local_start(const struct kpr_local *l) KPR_WARN_UNUSED;
int kpr_local_stop(const struct kpr_local *l) KPR_WARN_UNUSED;
/* Stop, then remove $KPR_HOME: the whole of it, or, when $KPR_HOME/backups holds backups,
 * everything but that folder (*kept: how many entries it holds, 0 when none). */
int kpr_local_destroy(const struct kpr_local *l, int *kept) KPR_WARN_UNUSED;
/* Is there a $KPR_HOME holding anything but backups (perhaps without a cluster: a first start
 * that failed)?  What kpr local destroy leaves, backups alone, is no instance. */
bool kpr_local_exists(const struct kpr_local *l);
bool kpr_local_initialized(const struct kpr_local *l);
bool kpr_local_running(const struct kpr_local *l);

/*
 * Who may log in (lib/local_auth.c).  trust, initdb's and the default: anyone who can reach the
 * socket, which the folders' mode 0700 keeps to the server user (and root).  scram: the folders
 * opened (0711, run/ 0755, the socket 0777), every role logging in with its SCRAM-SHA-256
 * password, except the instance's superuser, which the owner reaches by peer authentication.
 */
enum kpr_local_auth { KPR_LOCAL_AUTH_TRUST, KPR_LOCAL_AUTH_SCRAM, KPR_LOCAL_AUTH_OTHER };
/* What pg_hba.conf asks of local logins (OTHER: not a file kpr wrote, or none). */
enum kpr_local_auth kpr_local_auth(const struct kpr_local *l);
/* "trust", "scram" or "other" */
const char *kpr_local_auth_name(enum kpr_local_auth auth);
/* Switch a running instance to auth: socket mode, pg_hba.conf (and pg_ident.conf), folders'
 * modes, then a restart; nothing when it is so already.  Prints and returns the error status. */
int kpr_local_set_auth(const struct kpr_local *l, enum kpr_local_auth auth) KPR_WARN_UNUSED;

/*
 * Run a PostgreSQL client program of the server's own version (bindir/prog: pg_dump,
 * pg_restore) with args, as whoever runs kpr, standard input from in and output to out (a
 * file: out is flushed first, and the program writes at its offset).  Its messages are shown,
 * as DETAIL lines, only when it fails: KPR_EDB.  Passwords never go in args: libpq's
 * ~/.pgpass or PGPASSFILE, as for psql.
 */
int kpr_local_client(const char *prog, const char *const *args, FILE *in, FILE *out) KPR_WARN_UNUSED;

#endif
