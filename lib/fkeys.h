/*
 * fkeys.h: foreign keys set aside for a bulk load, and put back checked.
 *
 * PostgreSQL checks a foreign key row by row: one query and a row lock for each row written,
 * 4 to 5 µs, which is most of the cost of a large load.  Creating the key afterwards checks
 * the whole table in one join instead; PostgreSQL's manual advises exactly that for large loads
 * ("Populating a Database", Remove Foreign Key Constraints).  Inside the caller's transaction:
 *
 *     struct kpr_fkeys fk;
 *     if ((rc = kpr_fkeys_set_aside(conn, "{progress}", &fk)) != KPR_OK) ...
 *     ... COPY, INSERT ...
 *     rc = kpr_fkeys_restore(conn, &fk);	// an orphan row fails here, with the key's name
 *     kpr_fkeys_release(&fk);
 *
 * Dropping a foreign key locks its table and the table it references (ACCESS EXCLUSIVE) until
 * the transaction ends, so readers of both wait for the load.  The locks are waited for as long
 * as the session's lock_timeout says (KPR_FKEYS_LOCK_WAIT when it is 0): when they are not
 * granted in time, the keys stay where they are (fk.keys is NULL) and the load runs with
 * per-row checks.  DDL is transactional: a rollback, or a connection lost half-way, leaves
 * the keys as they were.
 */
#ifndef KPR_FKEYS_H
#define KPR_FKEYS_H
#include <libpq-fe.h>
#include "kpr.h"

#define KPR_FKEYS_LOCK_WAIT "5s"

/* Below this many rows per-row checks cost under half a second: not worth locking anyone out. */
#define KPR_FKEYS_MIN_ROWS 10000

/* --bulk */
enum kpr_bulk { KPR_BULK_AUTO, KPR_BULK_YES, KPR_BULK_NO };

struct kpr_fkeys {
	PGresult *keys;		/* table, constraint name, definition; NULL when none set aside */
};

/*
 * Whether adding ROWS rows to TABLE is worth setting its foreign keys aside: with
 * KPR_BULK_AUTO, when ROWS is at least KPR_FKEYS_MIN_ROWS and a quarter of the rows the table
 * holds by the planner's estimate (re-creating a key reads the whole table, about 2 µs a row,
 * against 4 to 5 µs for each new row checked).  Sets *worth; KPR_OK or a database error.
 */
int kpr_fkeys_worth(PGconn *conn, enum kpr_bulk bulk, const char *table, long rows, bool *worth) KPR_WARN_UNUSED;

/* Drop the foreign keys of the tables (a text[] literal, e.g. "{project,project_year}"). */
int kpr_fkeys_set_aside(PGconn *conn, const char *tables, struct kpr_fkeys *fk) KPR_WARN_UNUSED;
/* Create them again, each checked against every row; then nothing is set aside. */
int kpr_fkeys_restore(PGconn *conn, struct kpr_fkeys *fk) KPR_WARN_UNUSED;
void kpr_fkeys_release(struct kpr_fkeys *fk);
#endif
