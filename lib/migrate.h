/*
 * migrate.h: the database schema, versioned (migrations/NNNN_name.sql, embedded at build time).
 *
 *     int applied;
 *     rc = kpr_migrate_apply(conn, &applied);     // kpr init
 *     rc = kpr_migrate_check(conn);               // before any command that needs the schema
 *
 * Each migration runs in its own transaction under an advisory lock and is recorded in
 * kpr.schema_migrations, so running them again does nothing and two `kpr init` at once are safe.
 */
#ifndef KPR_MIGRATE_H
#define KPR_MIGRATE_H

#include <libpq-fe.h>

#include "kpr.h"

struct kpr_migration {
	int version;
	const char *name;
	const char *sql;
};

/* generated from migrations/ by tools/embed-migrations.sh */
extern const struct kpr_migration kpr_migrations[];
extern const int kpr_migrations_count;

/* Apply what is missing; *applied counts them.  A database newer than this binary is refused
 * (KPR_EDB) before anything is done; a failing migration is rolled back and reported. */
int kpr_migrate_apply(PGconn *conn, int *applied) KPR_WARN_UNUSED;

/* KPR_OK when the database is at this binary's version.  Otherwise prints why (not initialised,
 * needs `kpr init`, or newer than this binary) and returns KPR_EDB. */
int kpr_migrate_check(PGconn *conn) KPR_WARN_UNUSED;

/* The highest version applied (0 when none); -1 on error (printed). */
int kpr_migrate_current(PGconn *conn);

#endif
