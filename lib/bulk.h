/*
 * bulk.h: foreign keys and indexes set aside for a bulk load, and put back checked.
 *
 * PostgreSQL checks a foreign key row by row: one query and a row lock for each row written,
 * 4 to 5 µs, which is most of the cost of a large load; and it adds each row to every index
 * of the table, one at a time.  Creating a key afterwards checks the whole table in one join,
 * and building an index sorts it once: PostgreSQL's manual advises both for large loads
 * ("Populating a Database": Remove Indexes, Remove Foreign Key Constraints).  Inside the
 * caller's transaction:
 *
 *     struct kpr_set_aside sa;
 *     if ((rc = kpr_bulk_set_aside(conn, "{progress}", false, &sa)) != KPR_OK) ...
 *     ... COPY, INSERT ...
 *     rc = kpr_bulk_restore(conn, &sa);	// an orphan row fails here, with the key's name
 *     kpr_bulk_release(&sa);
 *
 * Dropping a foreign key locks its table and the table it references (ACCESS EXCLUSIVE) until
 * the transaction ends, so readers of both wait for the load.  The locks are waited for as long
 * as the session's lock_timeout says (KPR_BULK_LOCK_WAIT when it is 0): when they are not
 * granted in time, everything stays where it is (sa.items is NULL) and the load runs with
 * per-row checks.  DDL is transactional: a rollback, or a connection lost half-way, leaves
 * the keys and indexes as they were.
 *
 * An index that a foreign key relies on (a referenced primary key) is never set aside: that
 * would mean checking the referencing table again too.  While indexes are set aside, a
 * statement must not rely on them: ON CONFLICT finds no conflict without its unique index.
 */
#ifndef KPR_BULK_H
#define KPR_BULK_H
#include <libpq-fe.h>
#include "kpr.h"

#define KPR_BULK_LOCK_WAIT "5s"

/* Below this many rows per-row checks cost under half a second: not worth locking anyone out. */
#define KPR_BULK_MIN_ROWS 10000

/* --bulk */
enum kpr_bulk { KPR_BULK_AUTO, KPR_BULK_YES, KPR_BULK_NO };

struct kpr_set_aside {
	PGresult *items;	/* kind, statement to drop, statement to create; NULL when none */
};

/*
 * Whether adding ROWS rows to TABLE is worth a bulk load: with KPR_BULK_AUTO, when ROWS is at
 * least KPR_BULK_MIN_ROWS and a quarter of the rows the table holds by the planner's estimate
 * (re-creating a key or an index reads the whole table, about 2 µs a row, against 4 to 5 µs
 * for each new row checked).  Sets *worth; KPR_OK or a database error.
 */
int kpr_bulk_worth(PGconn *conn, enum kpr_bulk bulk, const char *table, long rows, bool *worth) KPR_WARN_UNUSED;

/*
 * Drop the foreign keys of the tables (a text[] literal, e.g. "{project,project_year}") and,
 * with indexes, their indexes and the constraints they back (primary keys, unique).
 */
int kpr_bulk_set_aside(PGconn *conn, const char *tables, bool indexes, struct kpr_set_aside *sa) KPR_WARN_UNUSED;
/* Build the indexes again, then create the keys, each checked against every row. */
int kpr_bulk_restore(PGconn *conn, struct kpr_set_aside *sa) KPR_WARN_UNUSED;
void kpr_bulk_release(struct kpr_set_aside *sa);
#endif
