/* db.c: connecting, running statements, COPY, and PostgreSQL's errors; see db.h. */
#include "db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conninfo.h"
#include "log.h"
#include "password.h"
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

/* keywords/values with fallback_application_name first, for PQconnectdbParams and PQpingParams;
 * returns how many, so that one more (a password typed) fits after them */
static int with_application_name(const char *const *keywords, const char *const *values,
				 const char **kw, const char **val)
{
	int n = 0;
	kw[n] = "fallback_application_name";
	val[n++] = "kpr";
	for (int i = 0; keywords[i] && n < MAX_PARAMS - 2; i++, n++) {
		kw[n] = keywords[i];
		val[n] = values[i];
	}
	kw[n] = NULL;
	val[n] = NULL;
	return n;
}

#define MAX_SECRETS 16

/* What a failed connection's message must not show: the passwords among the settings (given
 * as such, typed, inside a connection string as dbname, in PGPASSWORD). */
static size_t connect_secrets(const char *const *kw, const char *const *val, char **secrets)
{
	size_t n = 0;
	const char *env = getenv("PGPASSWORD");
	for (int i = 0; kw[i]; i++) {
		if (!val[i])
			continue;
		if (strcmp(kw[i], "password") == 0 && *val[i] && n < MAX_SECRETS)
			secrets[n++] = kpr_xstrdup(val[i]);
		else if (strcmp(kw[i], "dbname") == 0)
			kpr_conninfo_secrets(val[i], secrets, &n, MAX_SECRETS);
	}
	if (env && *env && n < MAX_SECRETS)
		secrets[n++] = kpr_xstrdup(env);
	return n;
}

static bool connect_hinted;

bool kpr_db_connect_hinted(void)
{
	return connect_hinted;
}

/* libpq's reason, without a password it may quote (a connection string it could not parse) */
static void report_failure(PGconn *conn, const char *const *kw, const char *const *val, const char *fail_fmt)
{
	connect_hinted = false;
	if (PQconnectionNeedsPassword(conn)) {
		struct kpr_strbuf why = KPR_STRBUF_INIT;
		kpr_strbuf_addf(&why, _("the server asks for a password for user \"%s\", and none was given"), PQuser(conn));
		kpr_log_error(fail_fmt, why.buf);
		kpr_log_hint(_("Put it in ~/.pgpass or in the file PGPASSFILE names (a line host:port:database:user:password, "
			       "mode 0600), or type it when kpr asks on a terminal."));
		kpr_strbuf_release(&why);
		connect_hinted = true;
		return;
	}
	char *secrets[MAX_SECRETS];
	size_t n = connect_secrets(kw, val, secrets);
	char *msg = chomp_dup(PQerrorMessage(conn));
	char *shown = kpr_conninfo_hide(msg, secrets, n);
	kpr_log_error(fail_fmt, shown);
	free(shown);
	free(msg);
	for (size_t i = 0; i < n; i++)
		kpr_password_free(secrets[i]);
}

/* -v: where kpr is connected, and whether over SSL (sslmode decides; see docs/user-guide.md) */
static void describe_connection(PGconn *conn)
{
	const char *protocol = PQsslInUse(conn) ? PQsslAttribute(conn, "protocol") : NULL;
	if (protocol)
		kpr_log_info(_("connected to database \"%s\" as user \"%s\" on %s, port %s, over SSL (%s)"), PQdb(conn),
			     PQuser(conn), PQhost(conn), PQport(conn), protocol);
	else
		kpr_log_info(_("connected to database \"%s\" as user \"%s\" on %s, port %s, without SSL"), PQdb(conn),
			     PQuser(conn), PQhost(conn), PQport(conn));
}

/*
 * PQconnectdbParams, and when the server asks for a password that no setting gave (not in the
 * connection string, PGPASSWORD, ~/.pgpass or PGPASSFILE), asked on a terminal as psql does and
 * tried once more with it (*password, the caller's to free).  kw and val have room for it at n.
 */
static PGconn *connect_asking(const char **kw, const char **val, int n, char **password)
{
	char prompt[256];
	PGconn *conn = PQconnectdbParams(kw, val, 1);
	*password = NULL;
	if (!conn || PQstatus(conn) == CONNECTION_OK || !PQconnectionNeedsPassword(conn))
		return conn;
	snprintf(prompt, sizeof(prompt), _("Password for user %s: "), PQuser(conn));
	if (kpr_password_ask(prompt, password) != KPR_OK)
		return conn;
	PQfinish(conn);
	kw[n] = "password";
	val[n] = *password;
	kw[n + 1] = NULL;
	val[n + 1] = NULL;
	return PQconnectdbParams(kw, val, 1);
}

int kpr_db_connect(PGconn **out, const char *const *keywords, const char *const *values, const char *fail_fmt)
{
	const char *kw[MAX_PARAMS], *val[MAX_PARAMS];
	char *password;

	*out = NULL;
	int n = with_application_name(keywords, values, kw, val);
	PGconn *conn = connect_asking(kw, val, n, &password);
	if (!conn) {
		kpr_password_free(password);
		return kpr_fail(KPR_EDB, _("out of memory"));
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		report_failure(conn, kw, val, fail_fmt);
		kpr_password_free(password);
		PQfinish(conn);
		return KPR_EDB;
	}
	kpr_password_free(password);
	if (kpr_db_verbose)
		describe_connection(conn);
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
