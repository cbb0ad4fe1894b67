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

/* The newest version this kpr knows: the last of kpr_migrations. */
int kpr_migrate_latest(void);

/* The highest version applied in *version (0 when none); the status of the query (printed). */
int kpr_migrate_current(PGconn *conn, int *version) KPR_WARN_UNUSED;

/* KPR_OK when a database at version is not newer than this kpr; else prints so (with a hint)
 * and returns KPR_EDB.  The one place that refuses a newer schema. */
int kpr_migrate_not_newer(int version) KPR_WARN_UNUSED;

/* One migration, applied or not, for `kpr init --status`. */
struct kpr_migration_state {
	int version;
	char name[64];
	bool known;		/* this kpr has it */
	bool applied;		/* the database has it */
	char applied_at[24];	/* YYYY-MM-DD HH:MM:SS, when applied */
	char applied_by[64];
};

/*
 * Every migration this kpr knows, in order, then those the database has applied that it does
 * not know (from a newer kpr); *states is the caller's to free(), *current the version applied.
 * On a query error prints it and returns its status, with *states NULL.
 */
int kpr_migrate_list(PGconn *conn, struct kpr_migration_state **states, int *n, int *current) KPR_WARN_UNUSED;

#endif
