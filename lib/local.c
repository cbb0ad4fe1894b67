/* local.c: the private PostgreSQL cluster; see local.h. */
#include "local.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "strbuf.h"

static bool is_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

/* pg_config --bindir when it names a directory with pg_ctl, else the newest /usr/lib/postgresql/N */
static void find_bindir(char *out, size_t size)
{
	char path[PATH_MAX];
	out[0] = '\0';
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
	if (p) {
		if (fgets(path, sizeof(path), p)) {
			path[strcspn(path, "\n")] = '\0';
			char ctl[PATH_MAX + 16];
			snprintf(ctl, sizeof(ctl), "%s/pg_ctl", path);
			if (is_executable(ctl))
				snprintf(out, size, "%s", path);
		}
		pclose(p);
	}
	if (out[0])
		return;
	glob_t g;
	if (glob("/usr/lib/postgresql/*/bin/pg_ctl", 0, NULL, &g) == 0) {
		/* glob sorts; the last is the newest major version (as long as they have two digits) */
		snprintf(out, size, "%s", g.gl_pathv[g.gl_pathc - 1]);
		char *slash = strrchr(out, '/');
		if (slash)
			*slash = '\0';
		globfree(&g);
	}
}

/*
 * $KPR_HOME as an absolute path: a relative one is taken from the current directory, since
 * the server programs run elsewhere (in home itself) and PostgreSQL reads the socket directory
 * from its data directory.  Leading "./" are dropped.  Returns snprintf's count, or -1.
 */
static int absolute_home(char *out, size_t size, const char *home)
{
	if (home[0] == '/')
		return snprintf(out, size, "%s", home);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		kpr_log_error(_("cannot place the local instance: KPR_HOME '%s' is relative and the current "
				"directory is unknown: %s"), home, strerror(errno));
		return -1;
	}
	while (home[0] == '.' && home[1] == '/') {
		home += 2;
		while (*home == '/')
			home++;
	}
	if (!*home || strcmp(home, ".") == 0)
		return snprintf(out, size, "%s", cwd);
	return snprintf(out, size, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", home);
}

int kpr_local_init(struct kpr_local *l)
{
	memset(l, 0, sizeof(*l));
	const char *home = getenv("KPR_HOME");
	int n;
	if (home && *home) {
		if ((n = absolute_home(l->home, sizeof(l->home), home)) < 0)
			return KPR_EFILE;
	} else if (geteuid() == 0) {
		n = snprintf(l->home, sizeof(l->home), "/var/lib/kpr");
	} else {
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *h = getenv("HOME");
		if (xdg && *xdg)
			n = snprintf(l->home, sizeof(l->home), "%s/kpr", xdg);
		else if (h && *h)
			n = snprintf(l->home, sizeof(l->home), "%s/.local/share/kpr", h);
		else
			return kpr_fail(KPR_EFILE, _("cannot place the local instance: HOME is not set"));
	}
	if (n < 0 || (size_t)n >= sizeof(l->home) - 16)
		return kpr_fail(KPR_EFILE, _("KPR_HOME is too long"));
	snprintf(l->datadir, sizeof(l->datadir), "%s/data", l->home);
	snprintf(l->sockdir, sizeof(l->sockdir), "%s/run", l->home);
	snprintf(l->logfile, sizeof(l->logfile), "%s/postgres.log", l->home);

	/* the socket is sockdir/.s.PGSQL.5432, and sun_path holds 108 bytes with the NUL */
	if (strlen(l->sockdir) + strlen("/.s.PGSQL.5432") >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		kpr_log_error(_("the local instance's socket path would be too long: '%s/.s.PGSQL.5432'"), l->sockdir);
		kpr_log_hint(_("Set KPR_HOME to a shorter path (at most about 90 bytes)."));
		return KPR_EFILE;
	}

	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");
		if (!pw) {
			kpr_log_error(_("running as root, and there is no 'postgres' system user to run the server"));
			kpr_log_hint(_("Install the postgresql package (make deps), or run kpr as an ordinary user."));
			return KPR_EDB;
		}
		snprintf(l->run_as, sizeof(l->run_as), "%s", pw->pw_name);
		l->uid = pw->pw_uid;
		l->gid = pw->pw_gid;
		l->drop_privileges = true;
	} else {
		struct passwd *pw = getpwuid(geteuid());
		snprintf(l->run_as, sizeof(l->run_as), "%s", pw ? pw->pw_name : "?");
		l->uid = geteuid();
		l->gid = getegid();
	}
	return KPR_OK;
}

/* Looked up once, when a program is to be run: pg_config is a shell script that would cost
 * every command connecting to the instance a fifth of its time. */
const char *kpr_local_bindir(void)
{
	static char bindir[PATH_MAX];
	static bool looked;

	if (!looked) {
		find_bindir(bindir, sizeof(bindir));
		looked = true;
	}
	return bindir;
}

/* A name in a directory listing other than "." and ".." */
static bool real_entry(const char *name)
{
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* An entry of $KPR_HOME that is the instance's (what destroy removes): all but its backups */
static bool instance_entry(const char *name)
{
	return real_entry(name) && strcmp(name, "backups") != 0;
}

bool kpr_local_exists(const struct kpr_local *l)
{
	DIR *d = opendir(l->home);
	bool found = false;
	if (!d)
		return access(l->home, F_OK) == 0;	/* there, but not for us to read */
	for (struct dirent *e; !found && (e = readdir(d));)
		found = instance_entry(e->d_name);
	closedir(d);
	return found;
}

bool kpr_local_initialized(const struct kpr_local *l)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/PG_VERSION", l->datadir);
	return access(path, F_OK) == 0;
}

bool kpr_local_running(const struct kpr_local *l)
{
	const char *kw[] = { "host", "dbname", "user", "connect_timeout", NULL };
	const char *val[] = { l->sockdir, "postgres", KPR_LOCAL_USER, "5", NULL };
	return kpr_db_ping(kw, val);
}

/* Wait for the program prog started as pid; when it fails, say so with what it wrote to out
 * (a temporary file) as DETAIL lines: KPR_EDB. */
static int wait_program(pid_t pid, const char *prog, FILE *out)
{
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return KPR_OK;
	kpr_log_error(_("%s failed"), prog);
	rewind(out);
	char line[1024];
	while (fgets(line, sizeof(line), out)) {
		line[strcspn(line, "\n")] = '\0';
		kpr_log_detail("%s", line);
	}
	return KPR_EDB;
}

/* bindir/prog into path (PATH_MAX + 32 bytes), or says there are no PostgreSQL programs */
static int program_path(const char *prog, char *path)
{
	const char *bindir = kpr_local_bindir();
	if (!bindir[0]) {
		kpr_log_error(_("cannot find the PostgreSQL server programs (%s)"), prog);
		kpr_log_hint(_("Install the postgresql package (make deps)."));
		return KPR_EDB;
	}
	snprintf(path, PATH_MAX + 32, "%s/%s", bindir, prog);
	return KPR_OK;
}

/* Run a server program (bindir/prog) with args, as the server user, quietly unless it fails:
 * its output goes to a temporary file that is shown on failure. */
static int run_server_program(const struct kpr_local *l, const char *prog, const char *const *args)
{
	char path[PATH_MAX + 32];
	if (program_path(prog, path) != KPR_OK)
		return KPR_EDB;

	FILE *out = tmpfile();
	if (!out)
		return kpr_fail(KPR_EFILE, _("cannot create a temporary file: %s"), strerror(errno));

	const char *argv[32];
	size_t argc = 0;
	argv[argc++] = path;
	for (; *args && argc < KPR_ARRAY_SIZE(argv) - 1; args++)
		argv[argc++] = *args;
	argv[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return kpr_fail(KPR_EFILE, _("cannot fork: %s"), strerror(errno));
	if (pid == 0) {
		int fd = fileno(out);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (l->drop_privileges) {
			if (setgroups(0, NULL) != 0 || setgid(l->gid) != 0 || setuid(l->uid) != 0) {
				fprintf(stderr, "cannot become user %s: %s\n", l->run_as, strerror(errno));
				_exit(127);
			}
		}
		/* the server user may not be able to enter our working directory (/root is 0700) */
		if (chdir(l->home) != 0 && chdir("/") != 0)
			_exit(127);
		execv(path, (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	int rc = wait_program(pid, prog, out);
	if (rc != KPR_OK && strcmp(prog, "pg_ctl") == 0)
		kpr_log_hint(_("See the server log, %s."), l->logfile);
	fclose(out);
	return rc;
}

static int make_dir(const struct kpr_local *l, const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		return kpr_fail(KPR_EFILE, _("cannot create directory '%s': %s"), path, strerror(errno));
	if (l->drop_privileges && chown(path, l->uid, l->gid) != 0)
		return kpr_fail(KPR_EFILE, _("cannot give '%s' to user %s: %s"), path, l->run_as, strerror(errno));
	if (chmod(path, mode) != 0)
		return kpr_fail(KPR_EFILE, _("cannot set the mode of '%s': %s"), path, strerror(errno));
	return KPR_OK;
}

/* mkdir -p for the parents of home (owned by whoever runs kpr, traversable) */
static int make_parents(const char *home)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", home);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return kpr_fail(KPR_EFILE, _("cannot create directory '%s': %s"), path, strerror(errno));
		*p = '/';
	}
	return KPR_OK;
}

static int append_config(const struct kpr_local *l)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/postgresql.conf", l->datadir);
	FILE *f = fopen(path, "a");
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), path, strerror(errno));
	fprintf(f, "\n# added by kpr local start\n"
		   "listen_addresses = ''\n"
		   "unix_socket_directories = '%s'\n"
		   "unix_socket_permissions = 0700\n"
		   "timezone = 'Asia/Shanghai'\n", l->sockdir);
	if (fclose(f) != 0)
		return kpr_fail(KPR_EFILE, _("cannot write '%s': %s"), path, strerror(errno));
	return KPR_OK;
}

static int create_database(const struct kpr_local *l)
{
	const char *kw[] = { "host", "dbname", "user", NULL };
	const char *val[] = { l->sockdir, "postgres", KPR_LOCAL_USER, NULL };
	const char *params[] = { KPR_LOCAL_DBNAME };
	PGconn *conn;
	PGresult *res;
	int rc = kpr_db_connect(&conn, kw, val, _("cannot connect to the local instance: %s"));
	if (rc != KPR_OK)
		return rc;
	if ((rc = kpr_db_exec(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, params, &res)) == KPR_OK) {
		bool exists = PQntuples(res) == 1;
		PQclear(res);
		res = NULL;
		/* CREATE DATABASE takes no parameters; the name is kpr's own constant */
		if (!exists && kpr_db_exec_quiet(conn, "CREATE DATABASE " KPR_LOCAL_DBNAME " ENCODING 'UTF8' "
						 "TEMPLATE template0", 0, NULL, &res) != KPR_OK) {
			const char *why = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			rc = kpr_fail(KPR_EDB, _("cannot create database %s: %s"), KPR_LOCAL_DBNAME,
				      why ? why : PQerrorMessage(conn));
		}
		PQclear(res);
	}
	kpr_db_close(conn);
	return rc;
}

int kpr_local_start(const struct kpr_local *l)
{
	int rc;
	/* under trust the folders are the lock; under scram, passwords are (lib/local_auth.c) */
	bool open = kpr_local_auth(l) == KPR_LOCAL_AUTH_SCRAM;
	if ((rc = make_parents(l->home)) != KPR_OK ||
	    (rc = make_dir(l, l->home, open ? 0711 : 0700)) != KPR_OK ||
	    (rc = make_dir(l, l->sockdir, open ? 0755 : 0700)) != KPR_OK)
		return rc;

	if (!kpr_local_initialized(l)) {
		const char *args[] = { "-D", l->datadir, "-U", KPR_LOCAL_USER, "-E", "UTF8",
				       "--locale=C.UTF-8", "-A", "trust", NULL };
		kpr_log_info(_("creating the local instance in %s"), l->datadir);
		if ((rc = run_server_program(l, "initdb", args)) != KPR_OK)
			return rc;
		if ((rc = append_config(l)) != KPR_OK)
			return rc;
	}
	if (!kpr_local_running(l)) {
		const char *args[] = { "start", "-w", "-t", "60", "-D", l->datadir, "-l", l->logfile, NULL };
		if ((rc = run_server_program(l, "pg_ctl", args)) != KPR_OK)
			return rc;
	}
	return create_database(l);
}

int kpr_local_stop(const struct kpr_local *l)
{
	if (!kpr_local_initialized(l) || !kpr_local_running(l))
		return KPR_OK;
	const char *args[] = { "stop", "-w", "-m", "fast", "-D", l->datadir, NULL };
	return run_server_program(l, "pg_ctl", args);
}

/* rm -rf -- each of paths[0..n-1] */
static int remove_paths(char *const *paths, size_t n)
{
	const char **argv = calloc(n + 4, sizeof(*argv));
	if (!argv)
		return kpr_fail(KPR_EFILE, _("out of memory"));
	argv[0] = "rm";
	argv[1] = "-rf";
	argv[2] = "--";
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = paths[i];
	pid_t pid = fork();
	if (pid == 0) {
		execvp("rm", (char *const *)argv);
		_exit(127);
	}
	free(argv);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return KPR_EFILE;
	return KPR_OK;
}

/* How many entries dir holds (0 when it does not exist or cannot be read). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));)
		if (real_entry(e->d_name))
			n++;
	closedir(d);
	return n;
}

int kpr_local_destroy(const struct kpr_local *l, int *kept)
{
	int rc = kpr_local_stop(l);
	*kept = 0;
	if (rc != KPR_OK)
		return rc;
	if (!kpr_local_exists(l))
		return KPR_OK;
	/* refuse anything that does not look like ours */
	char marker[PATH_MAX + 16];
	snprintf(marker, sizeof(marker), "%s/run", l->home);
	if (access(marker, F_OK) != 0) {
		kpr_log_error(_("'%s' does not look like a kpr local instance; not removing it"), l->home);
		return KPR_EFILE;
	}
	char backups[PATH_MAX + 16];
	snprintf(backups, sizeof(backups), "%s/backups", l->home);
	int n_backups = count_entries(backups);
	if (n_backups == 0) {
		char *home[] = { (char *)l->home };
		if (remove_paths(home, 1) != KPR_OK)
			return kpr_fail(KPR_EFILE, _("cannot remove '%s'"), l->home);
		return KPR_OK;
	}
	/* everything but the backups, which kpr local restore reads from there */
	DIR *d = opendir(l->home);
	if (!d)
		return kpr_fail(KPR_EFILE, _("cannot read '%s': %s"), l->home, strerror(errno));
	char **paths = NULL;
	size_t n = 0;
	rc = KPR_OK;
	for (struct dirent *e; rc == KPR_OK && (e = readdir(d));) {
		if (!instance_entry(e->d_name))
			continue;
		char **grown = realloc(paths, (n + 1) * sizeof(*paths));
		struct kpr_strbuf sb = KPR_STRBUF_INIT;
		if (!grown) {
			rc = kpr_fail(KPR_EFILE, _("out of memory"));
			break;
		}
		paths = grown;
		kpr_strbuf_addf(&sb, "%s/%s", l->home, e->d_name);
		paths[n++] = kpr_strbuf_detach(&sb);
	}
	closedir(d);
	if (rc == KPR_OK && n && remove_paths(paths, n) != KPR_OK)
		rc = kpr_fail(KPR_EFILE, _("cannot remove the local instance in '%s'"), l->home);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (rc == KPR_OK)
		*kept = n_backups;
	return rc;
}

/* The child's side of kpr_local_client: in, out and a file for stderr; never returns. */
static void exec_client(const char *path, const char *const *argv, int in, int out, int err)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	execv(path, (char *const *)argv);
	fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

int kpr_local_client(const char *prog, const char *const *args, FILE *in, FILE *out)
{
	char path[PATH_MAX + 32];
	const char *argv[32];
	size_t argc = 0;

	if (program_path(prog, path) != KPR_OK)
		return KPR_EDB;
	argv[argc++] = path;
	for (; *args && argc < KPR_ARRAY_SIZE(argv) - 1; args++)
		argv[argc++] = *args;
	argv[argc] = NULL;

	FILE *err = tmpfile();
	if (!err)
		return kpr_fail(KPR_EFILE, _("cannot create a temporary file: %s"), strerror(errno));
	fflush(stdout);
	fflush(stderr);
	fflush(out);
	pid_t pid = fork();
	if (pid < 0) {
		fclose(err);
		return kpr_fail(KPR_EFILE, _("cannot fork: %s"), strerror(errno));
	}
	if (pid == 0)
		exec_client(path, argv, fileno(in), fileno(out), fileno(err));
	int rc = wait_program(pid, prog, err);
	fclose(err);
	return rc;
}
