/*
 * db.h: every conversation with PostgreSQL goes through here (libpq).
 *
 *     const char *kw[] = { "dbname", NULL }, *val[] = { conninfo, NULL };
 *     if ((rc = kpr_db_connect(&conn, kw, val, _("cannot connect: %s"))) != KPR_OK) return rc;
 *     rc = kpr_db_exec(conn, "SELECT 1", 0, NULL, NULL);
 *
 * Statements with values from outside take them as $1... parameters; nothing here builds SQL
 * from user data.  On error each function prints the server's message (kpr: error, DETAIL,
 * HINT) and returns the exit status its SQLSTATE calls for (see kpr_db_status()).
 */
#ifndef KPR_DB_H
#define KPR_DB_H

#include <libpq-fe.h>

#include "kpr.h"

/* -v: print every statement to stderr before it runs */
extern bool kpr_db_verbose;

/*
 * Connect with keyword/value pairs as PQconnectdbParams takes them (NULL-terminated; a NULL value
 * leaves the setting to libpq's environment and defaults), expand_dbname on so that "dbname" may
 * be a conninfo string or a URI, fallback_application_name "kpr"; then pin search_path to kpr.
 * Which server to use is the caller's choice (cmd/connect.c).  libpq finds a password as psql's
 * does (the settings, PGPASSWORD, ~/.pgpass or PGPASSFILE, sslmode and the other ssl* settings
 * too); when the server asks for one none of them gave, it is asked for on a terminal
 * (lib/password.h) and the connection tried again.  When the server cannot be reached, prints
 * fail_fmt with libpq's reason as its one %s, any password it quotes masked (lib/conninfo.h),
 * and returns KPR_EDB with *conn NULL; the caller may add a HINT unless kpr_db_connect_hinted()
 * (the server wanted a password and none was given: that HINT is printed here).  A failing first
 * statement is printed and its status returned.  -v (kpr_db_verbose): says where it connected,
 * and whether over SSL.
 */
int kpr_db_connect(PGconn **conn, const char *const *keywords, const char *const *values,
		   const char *fail_fmt) KPR_WARN_UNUSED;
/* Did the last failed kpr_db_connect() print a HINT of its own? */
bool kpr_db_connect_hinted(void);
/* Does a server accept connections there?  (PQpingParams; prints nothing.) */
bool kpr_db_ping(const char *const *keywords, const char *const *values);
void kpr_db_close(PGconn *conn);

/*
 * Run one statement with text parameters.  *res (if res is not NULL) receives the result, which
 * the caller PQclear()s; on error nothing is returned in *res.  Multi-statement strings are
 * allowed only with nparams == 0.
 */
int kpr_db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
		PGresult **res) KPR_WARN_UNUSED;

/* Like kpr_db_exec(), but prints nothing on error and hands the failed result back in *res, so
 * the caller can word the message itself (it still PQclear()s it). */
int kpr_db_exec_quiet(PGconn *conn, const char *sql, int nparams, const char *const *params,
		PGresult **res) KPR_WARN_UNUSED;

/* Print a failed result in PostgreSQL's voice and return its exit status. */
int kpr_db_report(PGconn *conn, const PGresult *res);
/* The exit status a failed result calls for: 42501 → KPR_EPERM, data and integrity errors
 * (22, 23, P0001) → KPR_EINPUT, the rest (connection, server) → KPR_EDB. */
int kpr_db_status(const PGresult *res);

/*
 * The password hashed for role user as the server stores it (PQencryptPasswordConn, with the
 * server's password_encryption: SCRAM-SHA-256 or md5), so that the password itself is never
 * sent, logged or printed.  *hash is the caller's to free().  On failure prints libpq's reason
 * and returns KPR_EDB.
 */
int kpr_db_hash_password(PGconn *conn, const char *password, const char *user, char **hash) KPR_WARN_UNUSED;

int kpr_db_begin(PGconn *conn) KPR_WARN_UNUSED;
int kpr_db_commit(PGconn *conn) KPR_WARN_UNUSED;
/* Roll back, ignoring errors (the connection may be gone). */
void kpr_db_rollback(PGconn *conn);

/*
 * COPY ... FROM STDIN: begin with the statement, put data (text format, as produced by
 * kpr_db_copy_field()), end.  kpr_db_copy_end() with an error message aborts the COPY.
 */
int kpr_db_copy_begin(PGconn *conn, const char *sql) KPR_WARN_UNUSED;
int kpr_db_copy_put(PGconn *conn, const char *buf, size_t len) KPR_WARN_UNUSED;
int kpr_db_copy_end(PGconn *conn, const char *abort_msg, long *rows) KPR_WARN_UNUSED;

/*
 * COPY ... TO STDOUT: run the statement and hand each row to fn, in text format: len bytes
 * ending in a newline, NUL-terminated, fn's to change in place, gone after fn returns.  Returns
 * KPR_OK once the COPY has completed, or the error status (printed).
 */
int kpr_db_copy_out(PGconn *conn, const char *sql, void (*fn)(void *arg, char *row, size_t len),
		    void *arg) KPR_WARN_UNUSED;

/*
 * Transactions the server gives up on for a reason that running them again cures: a deadlock
 * (40P01, one of the transactions in the cycle is cancelled) or a serialization failure
 * (40001).  A caller whose transaction can run again from its BEGIN checks a failed result
 * with kpr_db_transient(), rolls back, calls kpr_db_retry_wait(attempt) and runs it again,
 * at most KPR_DB_ATTEMPTS times in all, without printing the error; the last attempt's error
 * is printed as any other.
 */
#define KPR_DB_ATTEMPTS 8
bool kpr_db_transient(const PGresult *res);
/* Sleep before attempt + 1 (attempt: how many were made): about 10 ms doubled with each
 * attempt, up to 640 ms, at random between half and one and a half of that. */
void kpr_db_retry_wait(int attempt);

#endif
