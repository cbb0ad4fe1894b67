/* outfile.c: an output file written whole or not at all; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "strbuf.h"

/* A failure of the file itself (not one fn reported): say so, naming path; KPR_EFILE. */
static int failed(const char *path, int err)
{
	kpr_log_error(_("cannot write '%s': %s"), path, strerror(err ? err : EIO));
	return KPR_EFILE;
}

/* A device or pipe that exists: written in place. */
static int write_direct(const char *path, kpr_outfile_fn fn, void *arg)
{
	FILE *out = fopen(path, "w");
	int rc;

	if (!out)
		return failed(path, errno);
	errno = 0;
	rc = fn(out, path, arg);
	if (fflush(out) != 0 || ferror(out)) {
		int err = errno;
		fclose(out);
		return failed(path, err);
	}
	if (fclose(out) != 0 && rc == KPR_OK)
		return failed(path, errno);
	return rc;
}

int kpr_outfile_write(const char *path, kpr_outfile_fn fn, void *arg)
{
	struct kpr_strbuf tmp = KPR_STRBUF_INIT;
	struct stat st;
	FILE *out = NULL;
	int rc, fd, err = 0;
	bool bad;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_direct(path, fn, arg);
	kpr_strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp.buf)) < 0 || !(out = fdopen(fd, "w"))) {
		err = errno;
		if (fd >= 0)
			close(fd), unlink(tmp.buf);
		kpr_strbuf_release(&tmp);
		return failed(path, err);
	}
	/* mkstemp makes it 0600; give it what a new file gets, as the umask says */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	errno = 0;
	rc = fn(out, tmp.buf, arg);
	/* a stream in error is ours to report; another failure fn reported itself */
	bad = fflush(out) != 0 || ferror(out) || (rc == KPR_OK && fsync(fd) != 0);
	err = errno;
	if (fclose(out) != 0 && !bad && rc == KPR_OK)
		bad = true, err = errno;
	if (!bad && rc == KPR_OK && rename(tmp.buf, path) != 0)
		bad = true, err = errno;
	if (bad || rc != KPR_OK)
		unlink(tmp.buf);
	kpr_strbuf_release(&tmp);
	return bad ? failed(path, err) : rc;
}

int kpr_outfile_copy(FILE *out, kpr_outfile_fn fn, void *arg)
{
	struct kpr_strbuf tmp = KPR_STRBUF_INIT;
	const char *dir = getenv("TMPDIR");
	char buf[65536];
	size_t n;
	int rc, fd;
	FILE *in;

	kpr_strbuf_addf(&tmp, "%s/kpr.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp.buf)) < 0) {
		rc = failed(tmp.buf, errno);
		kpr_strbuf_release(&tmp);
		return rc;
	}
	close(fd);
	rc = fn(NULL, tmp.buf, arg);
	if (rc == KPR_OK && !(in = fopen(tmp.buf, "rb"))) {
		rc = failed(tmp.buf, errno);
	} else if (rc == KPR_OK) {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				break;
		if (ferror(in))
			rc = failed(tmp.buf, errno);
		fclose(in);
	}
	unlink(tmp.buf);
	kpr_strbuf_release(&tmp);
	return rc == KPR_OK && ferror(out) ? KPR_EFILE : rc;
}

int kpr_outfile_stdout(const char *command, kpr_outfile_fn fn, void *arg)
{
	if (isatty(STDOUT_FILENO))
		return kpr_log_usage(command, _("this is a workbook, not text for a terminal: give -o FILE.xlsx, or "
						"send standard output to a file"));
	int rc = kpr_outfile_copy(stdout, fn, arg);
	if (rc == KPR_OK && fflush(stdout) != 0)
		rc = KPR_EFILE;
	if (rc == KPR_EFILE && ferror(stdout))
		kpr_log_error(_("cannot write to standard output: %s"), strerror(errno ? errno : EIO));
	return rc;
}
