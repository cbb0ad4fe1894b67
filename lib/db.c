/* db.c: connecting, running statements, COPY, and PostgreSQL's errors; see db.h. */
#include "db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "strbuf.h"

bool kpr_db_verbose = false;

/* libpq's messages end in a newline (sometimes several lines); kpr's lines add their own */
static char *chomp_dup(const char *msg)
{
	char *s = kpr_xstrdup(msg);
	size_t len = strlen(s);
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	return s;
}

#define MAX_PARAMS 16

/* keywords/values with fallback_application_name first, for PQconnectdbParams and PQpingParams */
static void with_application_name(const char *const *keywords, const char *const *values,
				   const char **kw, const char **val)
{
	int n = 0;
	kw[n] = "fallback_application_name";
	val[n++] = "kpr";
	for (int i = 0; keywords[i] && n < MAX_PARAMS - 1; i++, n++) {
		kw[n] = keywords[i];
		val[n] = values[i];
	}
	kw[n] = NULL;
	val[n] = NULL;
}

int kpr_db_connect(PGconn **out, const char *const *keywords, const char *const *values, const char *fail_fmt)
{
	const char *kw[MAX_PARAMS], *val[MAX_PARAMS];

	*out = NULL;
	with_application_name(keywords, values, kw, val);
	PGconn *conn = PQconnectdbParams(kw, val, 1);
	if (!conn)
		return kpr_fail(KPR_EDB, _("out of memory"));
	if (PQstatus(conn) != CONNECTION_OK) {
		char *msg = chomp_dup(PQerrorMessage(conn));
		kpr_log_error(fail_fmt, msg);
		free(msg);
		PQfinish(conn);
		return KPR_EDB;
	}
	int rc = kpr_db_exec(conn, "SELECT pg_catalog.set_config('search_path', 'kpr, pg_catalog', false), "
				   "pg_catalog.set_config('client_min_messages', 'warning', false)", 0, NULL, NULL);
	if (rc != KPR_OK) {
		PQfinish(conn);
		return rc;
	}
	*out = conn;
	return KPR_OK;
}

bool kpr_db_ping(const char *const *keywords, const char *const *values)
{
	const char *kw[MAX_PARAMS], *val[MAX_PARAMS];
	with_application_name(keywords, values, kw, val);
	return PQpingParams(kw, val, 0) == PQPING_OK;
}

void kpr_db_close(PGconn *conn)
{
	if (conn)
		PQfinish(conn);
}

int kpr_db_status(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return KPR_EDB;
	if (strcmp(state, "42501") == 0)
		return KPR_EPERM;
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0)
		return KPR_EINPUT;
	return KPR_EDB;
}

static void print_field(const PGresult *res, int field, void (*log)(const char *, ...))
{
	const char *v = PQresultErrorField(res, field);
	if (v && *v)
		log("%s", v);
}

int kpr_db_report(PGconn *conn, const PGresult *res)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (primary) {
		kpr_log_error("%s", primary);
		print_field(res, PG_DIAG_MESSAGE_DETAIL, kpr_log_detail);
		print_field(res, PG_DIAG_MESSAGE_HINT, kpr_log_hint);
	} else {
		char *msg = chomp_dup(PQerrorMessage(conn));
		kpr_log_error(_("lost the database connection: %s"), *msg ? msg : _("no result"));
		free(msg);
	}
	int rc = kpr_db_status(res);
	if (rc == KPR_EPERM)	/* roles are named after the database (migrations/0001_init.sql) */
		kpr_log_hint(_("Role \"%s\" lacks the privilege; bulk imports and configuration are the city "
			       "office's, role \"%s_city\"."), PQuser(conn), PQdb(conn));
	return rc;
}

int kpr_db_exec_quiet(PGconn *conn, const char *sql, int nparams, const char *const *params,
		      PGresult **out)
{
	if (out)
		*out = NULL;
	if (kpr_db_verbose)
		kpr_log_info("query: %s", sql);
	PGresult *res = nparams ? PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0)
				: PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? KPR_OK : kpr_db_status(res);
	if (out)
		*out = res;
	else
		PQclear(res);
	return rc;
}

int kpr_db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params, PGresult **out)
{
	PGresult *res;
	int rc = kpr_db_exec_quiet(conn, sql, nparams, params, &res);
	if (rc != KPR_OK) {
		kpr_db_report(conn, res);
		PQclear(res);
		res = NULL;
	}
	if (out)
		*out = res;
	else
		PQclear(res);
	return rc;
}

int kpr_db_hash_password(PGconn *conn, const char *password, const char *user, char **hash)
{
	char *h = PQencryptPasswordConn(conn, password, user, NULL);
	*hash = NULL;
	if (!h)
		return kpr_fail(KPR_EDB, _("cannot hash the password: %s"), PQerrorMessage(conn));
	*hash = kpr_xstrdup(h);
	PQfreemem(h);
	return KPR_OK;
}

int kpr_db_begin(PGconn *conn)
{
	return kpr_db_exec(conn, "BEGIN", 0, NULL, NULL);
}

int kpr_db_commit(PGconn *conn)
{
	return kpr_db_exec(conn, "COMMIT", 0, NULL, NULL);
}

void kpr_db_rollback(PGconn *conn)
{
	if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
}

int kpr_db_copy_begin(PGconn *conn, const char *sql)
{
	if (kpr_db_verbose)
		kpr_log_info("query: %s", sql);
	PGresult *res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		int rc = kpr_db_report(conn, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	return KPR_OK;
}

int kpr_db_copy_put(PGconn *conn, const char *buf, size_t len)
{
	while (len > 0) {
		int chunk = len > (1 << 30) ? (1 << 30) : (int)len;
		if (PQputCopyData(conn, buf, chunk) != 1)
			return kpr_db_report(conn, NULL);
		buf += chunk;
		len -= (size_t)chunk;
	}
	return KPR_OK;
}

int kpr_db_copy_end(PGconn *conn, const char *abort_msg, long *rows)
{
	int rc = KPR_OK;
	if (PQputCopyEnd(conn, abort_msg) != 1)
		rc = kpr_db_report(conn, NULL);
	PGresult *res;
	while ((res = PQgetResult(conn)) != NULL) {
		if (rc == KPR_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = abort_msg ? KPR_EINPUT : kpr_db_report(conn, res);
		else if (rc == KPR_OK && rows)
			*rows = atol(PQcmdTuples(res));
		PQclear(res);
	}
	return rc;
}

int kpr_db_copy_out(PGconn *conn, const char *sql, void (*fn)(void *arg, char *row, size_t len), void *arg)
{
	if (kpr_db_verbose)
		kpr_log_info("query: %s", sql);
	PGresult *res = PQexec(conn, sql);
	int rc = KPR_OK;
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		rc = kpr_db_report(conn, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	char *row;
	int n;
	while ((n = PQgetCopyData(conn, &row, 0)) > 0) {
		fn(arg, row, (size_t)n);
		PQfreemem(row);
	}
	/* -1: the COPY is done, its status follows; -2: the connection failed, the result says so */
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = kpr_db_report(conn, res);
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	return rc;
}

bool kpr_db_transient(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* serialization_failure, deadlock_detected */
	return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

void kpr_db_retry_wait(int attempt)
{
	static unsigned seed;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)now.tv_nsec;
	/* 10 ms doubled with each attempt, up to 640 ms, taken at random between half and one and a
	 * half of that: the transactions that collided do not collide again in step */
	long base = 10L << (attempt < 1 ? 0 : attempt > 7 ? 6 : attempt - 1);
	long ms = base / 2 + rand_r(&seed) % base;
	struct timespec wait = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };
	while (nanosleep(&wait, &wait) != 0 && errno == EINTR)
		;
}
