/* backup.c: kpr local backup and restore; see backup.h. */
#include "backup.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "month.h"
#include "outfile.h"
#include "project.h"
#include "tar.h"

#define FORMAT_LINE "kpr-backup 1"
#define MANIFEST_MAX 4096

/*
 * roles.sql, made by the server from its catalogs: each name quoted by format's %I, each value
 * by %L.  The registry's roles are the three its settings name, its offices and their members'
 * logins, and whatever was made a member of one of those by hand (a city login); never a
 * superuser or a pg_ role.  Each role is created when missing, then given its attributes and
 * password hash; the memberships among them come after every role.
 */
static const char roles_query[] =
	"WITH named AS ("
	"  SELECT value AS rolname FROM kpr.setting WHERE key IN ('role.city', 'role.county', 'role.reader')"
	"  UNION SELECT name FROM kpr.office UNION SELECT login FROM kpr.office_member),"
	" registry AS (SELECT r.oid FROM pg_roles r JOIN named USING (rolname)"
	"  UNION SELECT m.member FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
	"   JOIN named n ON n.rolname = g.rolname),"
	/* tag: the DO block's dollar quote, which no name can hold (it would hold its own md5) */
	" roles AS (SELECT a.*, '$kpr_' || md5(a.rolname) || '$' AS tag FROM pg_authid a"
	"  WHERE a.oid IN (SELECT oid FROM registry) AND NOT a.rolsuper AND a.rolname !~ '^pg_'),"
	" grants AS (SELECT g.rolname AS grp, m.rolname AS mem, am.admin_option FROM pg_auth_members am"
	"  JOIN roles g ON g.oid = am.roleid JOIN roles m ON m.oid = am.member)"
	" SELECT coalesce((SELECT string_agg(format("
	"   E'DO %s BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %L) THEN CREATE ROLE %I; END IF; END %s;\\n"
	"ALTER ROLE %I WITH %s %s %s %s %s %s CONNECTION LIMIT %s PASSWORD %s%s;\\n',"
	"   tag, rolname, rolname, tag, rolname,"
	"   CASE WHEN rolinherit THEN 'INHERIT' ELSE 'NOINHERIT' END,"
	"   CASE WHEN rolcreaterole THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END,"
	"   CASE WHEN rolcreatedb THEN 'CREATEDB' ELSE 'NOCREATEDB' END,"
	"   CASE WHEN rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END,"
	"   CASE WHEN rolreplication THEN 'REPLICATION' ELSE 'NOREPLICATION' END,"
	"   CASE WHEN rolbypassrls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END,"
	"   rolconnlimit, coalesce(quote_literal(rolpassword), 'NULL'),"
	"   CASE WHEN rolvaliduntil IS NULL THEN '' ELSE format(' VALID UNTIL %L', rolvaliduntil) END),"
	"   '' ORDER BY rolname) FROM roles), '')"
	"  || coalesce((SELECT string_agg(format(E'GRANT %I TO %I%s;\\n', grp, mem,"
	"   CASE WHEN admin_option THEN ' WITH ADMIN OPTION' ELSE '' END), '' ORDER BY grp, mem) FROM grants), ''),"
	"  (SELECT max(version) FROM kpr.schema_migrations)";

static int connect_local(const struct kpr_local *l, PGconn **conn)
{
	const char *kw[] = { "host", "dbname", "user", NULL };
	const char *val[] = { l->sockdir, KPR_LOCAL_DBNAME, KPR_LOCAL_USER, NULL };
	int rc = kpr_db_connect(conn, kw, val, _("cannot connect to the local instance: %s"));
	if (rc != KPR_OK)
		kpr_log_hint(_("Start it with \"kpr local start\"."));
	return rc;
}

/* The connection arguments of pg_dump and pg_restore: the local socket, never a password
 * (-w: fail rather than prompt) */
#define CLIENT_ARGS(l) "--no-password", "--host", (l)->sockdir, "--username", KPR_LOCAL_USER, \
	"--dbname", KPR_LOCAL_DBNAME

void kpr_backup_release(struct kpr_backup *b)
{
	kpr_strbuf_release(&b->roles);
	if (b->dump)
		fclose(b->dump);
	b->dump = NULL;
}

/* Today for the file's name and its manifest: $KPR_TODAY, else the registry's time zone's. */
static int backup_date(PGconn *conn, char *out, size_t size)
{
	char tz[64];
	int month, day, rc;
	if ((rc = kpr_project_timezone(conn, tz, sizeof(tz))) != KPR_OK)
		return rc;
	if (kpr_date_today(tz, &month, &day) != KPR_OK)
		return kpr_fail(KPR_EUSAGE, _("KPR_TODAY is not a date like 2023-10-15: '%s'"), getenv("KPR_TODAY"));
	snprintf(out, size, "%04d-%02d-%02d", month / 12, month % 12 + 1, day);
	return KPR_OK;
}

/* The registry's roles, its schema version, the date and the server's version, into b. */
static int read_registry(PGconn *conn, struct kpr_backup *b)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT pg_catalog.to_regclass('kpr.schema_migrations') IS NOT NULL", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	bool registry = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!registry) {
		kpr_log_error(_("the local instance holds no registry to back up (database %s has no kpr schema)"),
			      KPR_LOCAL_DBNAME);
		kpr_log_hint(_("Create one with \"kpr init\"."));
		return KPR_EDB;
	}
	if ((rc = backup_date(conn, b->date, sizeof(b->date))) != KPR_OK ||
	    (rc = kpr_db_exec(conn, roles_query, 0, NULL, &res)) != KPR_OK)
		return rc;
	kpr_strbuf_addf(&b->roles, "-- kpr local backup of database %s, %s: its roles and their memberships.\n"
			"-- Run before pg_restore: psql -X -1 -v ON_ERROR_STOP=1 -f roles.sql\n"
			"SET client_min_messages = warning;\n", PQdb(conn), b->date);
	kpr_strbuf_adds(&b->roles, PQgetvalue(res, 0, 0));
	snprintf(b->schema, sizeof(b->schema), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	const char *version = PQparameterStatus(conn, "server_version");
	snprintf(b->postgresql, sizeof(b->postgresql), "%s", version ? version : "?");
	snprintf(b->database, sizeof(b->database), "%s", PQdb(conn));
	return KPR_OK;
}

/* SHA-256, as 64 hex digits */
struct digest {
	EVP_MD_CTX *ctx;
};

static void digest_init(struct digest *d)
{
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || !EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL))
		abort();	/* out of memory, as kpr_xmalloc */
}

static void digest_hex(struct digest *d, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(d->ctx, md, &len);
	EVP_MD_CTX_free(d->ctx);
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	struct digest d;
	digest_init(&d);
	EVP_DigestUpdate(d.ctx, data, len);
	digest_hex(&d, hex);
}

/*
 * Copy size bytes of in to out (a stream), to sb, or nowhere, hashing them into hex.  Returns
 * the number of bytes copied: fewer than size at the end of in.
 */
static uint64_t copy_member(FILE *in, uint64_t size, FILE *out, struct kpr_strbuf *sb, char hex[65])
{
	char buf[65536];
	uint64_t done = 0;
	struct digest d;
	digest_init(&d);
	while (done < size) {
		size_t want = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
		size_t got = fread(buf, 1, want, in);
		if (got == 0)
			break;
		EVP_DigestUpdate(d.ctx, buf, got);
		if (out)
			fwrite(buf, 1, got, out);
		else if (sb)
			kpr_strbuf_add(sb, buf, got);
		done += got;
	}
	digest_hex(&d, hex);
	return done;
}

static void write_member(FILE *out, const char *name, const void *data, size_t len, time_t mtime)
{
	kpr_tar_header(out, name, len, mtime);
	fwrite(data, 1, len, out);
	kpr_tar_pad(out, len);
}

/* The archive: MANIFEST, roles.sql, kpr.dump (outfile's writer). */
static int write_archive(FILE *out, const char *path, void *arg)
{
	struct kpr_backup *b = arg;
	struct kpr_strbuf manifest = KPR_STRBUF_INIT;
	char roles_hex[65], dump_hex[65];
	struct stat st;
	time_t now = time(NULL);

	/* it holds password hashes: for its owner only (a device written directly keeps its mode) */
	if (fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode) && fchmod(fileno(out), 0600) != 0)
		return kpr_fail(KPR_EFILE, _("cannot set the mode of '%s': %s"), path, strerror(errno));
	rewind(b->dump);
	uint64_t dump_size = copy_member(b->dump, UINT64_MAX, NULL, NULL, dump_hex);
	if (dump_size > KPR_TAR_SIZE_MAX)
		return kpr_fail(KPR_EFILE, _("cannot write '%s': the database's dump is over 8 GiB"), path);
	sha256_hex(b->roles.buf, b->roles.len, roles_hex);
	kpr_strbuf_addf(&manifest, FORMAT_LINE "\ndatabase %s\ndate %s\npostgresql %s\nschema %s\n"
			"file roles.sql %zu %s\nfile kpr.dump %" PRIu64 " %s\n", b->database, b->date,
			b->postgresql, b->schema, b->roles.len, roles_hex, dump_size, dump_hex);
	write_member(out, "MANIFEST", manifest.buf, manifest.len, now);
	write_member(out, "roles.sql", b->roles.buf, b->roles.len, now);
	kpr_strbuf_release(&manifest);
	kpr_tar_header(out, "kpr.dump", dump_size, now);
	rewind(b->dump);
	if (copy_member(b->dump, dump_size, out, NULL, dump_hex) != dump_size || ferror(b->dump))
		return kpr_fail(KPR_EFILE, _("cannot read pg_dump's output: %s"), strerror(errno));
	kpr_tar_pad(out, dump_size);
	kpr_tar_end(out);
	return KPR_OK;
}

/* $KPR_HOME/backups/kpr-backup-DATE.tar, or -2, -3... when that exists */
static int default_path(const struct kpr_local *l, const char *date, struct kpr_strbuf *path)
{
	kpr_strbuf_addf(path, "%s/backups", l->home);
	if (mkdir(path->buf, 0700) != 0 && errno != EEXIST)
		return kpr_fail(KPR_EFILE, _("cannot create directory '%s': %s"), path->buf, strerror(errno));
	size_t dir = path->len;
	for (int n = 1; n < 100; n++) {
		path->len = dir;
		path->buf[dir] = '\0';
		kpr_strbuf_addf(path, n == 1 ? "/kpr-backup-%s.tar" : "/kpr-backup-%s-%d.tar", date, n);
		if (access(path->buf, F_OK) != 0)
			return KPR_OK;
	}
	return kpr_fail(KPR_EFILE, _("too many backups of %s in '%s'; name the file"), date, path->buf);
}

int kpr_backup_write(const struct kpr_local *l, const char *path, struct kpr_strbuf *written)
{
	struct kpr_backup b = { .roles = KPR_STRBUF_INIT };
	PGconn *conn;
	int rc;

	if ((rc = connect_local(l, &conn)) != KPR_OK)
		return rc;
	rc = read_registry(conn, &b);
	kpr_db_close(conn);
	if (rc != KPR_OK)
		goto out;
	FILE *devnull = fopen("/dev/null", "r");
	if (!(b.dump = tmpfile()) || !devnull) {
		rc = kpr_fail(KPR_EFILE, _("cannot create a temporary file: %s"), strerror(errno));
		if (devnull)
			fclose(devnull);
		goto out;
	}
	const char *args[] = { "--format=custom", CLIENT_ARGS(l), NULL };
	rc = kpr_local_client("pg_dump", args, devnull, b.dump);
	fclose(devnull);
	if (rc != KPR_OK)
		goto out;
	if (path)
		kpr_strbuf_adds(written, path);
	else if ((rc = default_path(l, b.date, written)) != KPR_OK)
		goto out;
	rc = kpr_outfile_write(written->buf, write_archive, &b);
out:
	kpr_backup_release(&b);
	return rc;
}

/* The manifest's lines into b, and each member's size and sha256 into files (roles.sql, kpr.dump). */
struct member {
	const char *name;
	uint64_t size;
	char sha256[65];
	bool listed;
};

static bool parse_manifest(char *text, struct kpr_backup *b, struct member *files, size_t nfiles)
{
	char *save, *line = strtok_r(text, "\n", &save);
	if (!line || strcmp(line, FORMAT_LINE) != 0)
		return false;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char name[KPR_TAR_NAME_MAX + 1], hex[65];
		unsigned long long size;
		if (sscanf(line, "database %63s", b->database) == 1 || sscanf(line, "date %39s", b->date) == 1 ||
		    sscanf(line, "postgresql %31s", b->postgresql) == 1 || sscanf(line, "schema %15s", b->schema) == 1)
			continue;
		if (sscanf(line, "file %100s %llu %64s", name, &size, hex) != 3)
			continue;	/* a key of a later kpr: not needed to restore */
		for (size_t i = 0; i < nfiles; i++)
			if (strcmp(files[i].name, name) == 0) {
				files[i].size = size;
				memcpy(files[i].sha256, hex, 65);
				files[i].listed = true;
			}
	}
	for (size_t i = 0; i < nfiles; i++)
		if (!files[i].listed)
			return false;
	return b->database[0] != '\0';
}

/* The MANIFEST member, first in the file: false (with *why) when there is none. */
static bool read_manifest(FILE *in, struct kpr_backup *b, struct member *files, size_t nfiles, const char **why)
{
	char name[KPR_TAR_NAME_MAX + 1], text[MANIFEST_MAX + 1];
	uint64_t size;
	int n = kpr_tar_next(in, name, &size, why);
	if (n <= 0 || strcmp(name, "MANIFEST") != 0 || size > MANIFEST_MAX) {
		if (n >= 0)
			*why = _("it does not begin with kpr's MANIFEST");
		return false;
	}
	if (fread(text, 1, size, in) != size || !kpr_tar_skip_pad(in, size)) {
		*why = _("it ends inside its MANIFEST");
		return false;
	}
	text[size] = '\0';
	if (!parse_manifest(text, b, files, nfiles)) {
		*why = _("its MANIFEST is not one kpr wrote");
		return false;
	}
	return true;
}

/* The members after the manifest, each checked against it: NULL, or why the file is damaged. */
static const char *read_members(FILE *in, struct kpr_backup *b, struct member *files, size_t nfiles)
{
	static char why[256];
	for (size_t i = 0; i < nfiles; i++) {
		char name[KPR_TAR_NAME_MAX + 1], hex[65];
		uint64_t size;
		const char *bad;
		if (kpr_tar_next(in, name, &size, &bad) != 1 || strcmp(name, files[i].name) != 0 ||
		    size != files[i].size) {
			snprintf(why, sizeof(why), _("%s is missing or has the wrong size"), files[i].name);
			return why;
		}
		FILE *to = strcmp(name, "kpr.dump") == 0 ? b->dump : NULL;
		if (copy_member(in, size, to, to ? NULL : &b->roles, hex) != size || !kpr_tar_skip_pad(in, size)) {
			snprintf(why, sizeof(why), _("it ends inside %s"), name);
			return why;
		}
		if (strcmp(hex, files[i].sha256) != 0) {
			snprintf(why, sizeof(why), _("%s does not match its checksum"), name);
			return why;
		}
	}
	return NULL;
}

int kpr_backup_read(const char *path, struct kpr_backup *b)
{
	struct member files[] = { { .name = "roles.sql" }, { .name = "kpr.dump" } };
	const char *why = NULL;
	int rc = KPR_EFILE;

	memset(b, 0, sizeof(*b));
	FILE *in = fopen(path, "rb");
	if (!in)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), path, strerror(errno));
	if (!read_manifest(in, b, files, KPR_ARRAY_SIZE(files), &why)) {
		kpr_log_error(_("'%s' is not a kpr backup: %s"), path, why);
		goto out;
	}
	if (!(b->dump = tmpfile())) {
		kpr_log_error(_("cannot create a temporary file: %s"), strerror(errno));
		goto out;
	}
	if ((why = read_members(in, b, files, KPR_ARRAY_SIZE(files)))) {
		kpr_log_error(_("'%s' is damaged: %s"), path, why);
		goto out;
	}
	if (fflush(b->dump) != 0 || ferror(b->dump) || ferror(in)) {
		kpr_log_error(_("cannot read '%s': %s"), path, strerror(errno));
		goto out;
	}
	rewind(b->dump);
	rc = KPR_OK;
out:
	fclose(in);
	if (rc != KPR_OK)
		kpr_backup_release(b);
	return rc;
}

/* Schemas other than public and the system's, or tables in public: a database in use. */
static const char in_use_query[] =
	"SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema')"
	"  AND nspname !~ '^pg_')"
	" OR EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')";

static int check_empty(PGconn *conn)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, in_use_query, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	bool in_use = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (in_use) {
		kpr_log_error(_("the local instance's database %s is not empty; a backup is restored only into an "
				"empty one"), KPR_LOCAL_DBNAME);
		kpr_log_hint(_("Back it up, then \"kpr local destroy\" and \"kpr local start\" make an empty one."));
		return KPR_EINPUT;
	}
	return KPR_OK;
}

int kpr_backup_check_empty(const struct kpr_local *l)
{
	PGconn *conn;
	int rc = connect_local(l, &conn);
	if (rc != KPR_OK)
		return rc;
	rc = check_empty(conn);
	kpr_db_close(conn);
	return rc;
}

/* roles.sql, in one transaction (one simple-query string); -v says what, not the password hashes */
static int restore_roles(PGconn *conn, const struct kpr_backup *b)
{
	bool verbose = kpr_db_verbose;
	if (verbose)
		kpr_log_info(_("query: the backup's roles.sql (%zu bytes; not shown: it holds password hashes)"),
			     b->roles.len);
	kpr_db_verbose = false;
	int rc = kpr_db_exec(conn, b->roles.buf, 0, NULL, NULL);
	kpr_db_verbose = verbose;
	return rc;
}

int kpr_backup_restore(const struct kpr_local *l, const struct kpr_backup *b)
{
	PGconn *conn;
	int rc;

	if (strcmp(b->database, KPR_LOCAL_DBNAME) != 0)
		return kpr_fail(KPR_EINPUT, _("the backup holds database %s, not the local instance's %s"),
				b->database, KPR_LOCAL_DBNAME);
	if ((rc = connect_local(l, &conn)) != KPR_OK)
		return rc;
	if ((rc = check_empty(conn)) == KPR_OK)
		rc = restore_roles(conn, b);
	kpr_db_close(conn);
	if (rc != KPR_OK)
		return rc;

	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), "/dev/null", strerror(errno));
	const char *args[] = { "--exit-on-error", "--single-transaction", CLIENT_ARGS(l), NULL };
	rewind(b->dump);
	rc = kpr_local_client("pg_restore", args, b->dump, devnull);
	fclose(devnull);
	if (rc != KPR_OK)
		return rc;
	if ((rc = connect_local(l, &conn)) != KPR_OK)
		return rc;
	rc = kpr_db_exec(conn, "ANALYZE", 0, NULL, NULL);
	kpr_db_close(conn);
	return rc;
}
