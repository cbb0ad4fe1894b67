/* outfile.c: an output file written whole or not at all; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "strbuf.h"

/* After fn and the closing steps: report a write error (KPR_EFILE: fn left it unreported). */
static int written(const char *path, int rc, int err)
{
	if (rc == KPR_EFILE)
		kpr_log_error(_("cannot write '%s': %s"), path, strerror(err ? err : EIO));
	return rc;
}

/* A device or pipe that exists: written in place. */
static int write_direct(const char *path, kpr_outfile_fn fn, void *arg)
{
	FILE *out = fopen(path, "w");
	int rc, err = 0;

	if (!out)
		return written(path, KPR_EFILE, errno);
	errno = 0;
	rc = fn(out, path, arg);
	if (rc == KPR_EFILE || (rc == KPR_OK && (fflush(out) != 0 || ferror(out))))
		rc = KPR_EFILE, err = errno;
	if (fclose(out) != 0 && rc == KPR_OK)
		rc = KPR_EFILE, err = errno;
	return written(path, rc, err);
}

int kpr_outfile_write(const char *path, kpr_outfile_fn fn, void *arg)
{
	struct kpr_strbuf tmp = KPR_STRBUF_INIT;
	struct stat st;
	FILE *out = NULL;
	int rc, fd, err = 0;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_direct(path, fn, arg);
	kpr_strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp.buf)) < 0 || !(out = fdopen(fd, "w"))) {
		err = errno;
		if (fd >= 0)
			close(fd), unlink(tmp.buf);
		kpr_strbuf_release(&tmp);
		return written(path, KPR_EFILE, err);
	}
	/* mkstemp makes it 0600; give it what a new file gets, as the umask says */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	errno = 0;
	rc = fn(out, tmp.buf, arg);
	if (rc == KPR_EFILE || (rc == KPR_OK && (fflush(out) != 0 || ferror(out) || fsync(fd) != 0)))
		rc = KPR_EFILE, err = errno;
	if (fclose(out) != 0 && rc == KPR_OK)
		rc = KPR_EFILE, err = errno;
	if (rc == KPR_OK && rename(tmp.buf, path) != 0)
		rc = KPR_EFILE, err = errno;
	if (rc != KPR_OK)
		unlink(tmp.buf);
	kpr_strbuf_release(&tmp);
	return written(path, rc, err);
}

int kpr_outfile_stdout(const char *command, kpr_outfile_fn fn, void *arg)
{
	struct kpr_strbuf tmp = KPR_STRBUF_INIT;
	const char *dir = getenv("TMPDIR");
	char buf[65536];
	size_t n;
	int rc, fd;
	FILE *in;

	if (isatty(STDOUT_FILENO))
		return kpr_log_usage(command, _("this is a workbook, not text for a terminal: give -o FILE.xlsx, or "
						"send standard output to a file"));
	kpr_strbuf_addf(&tmp, "%s/kpr.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp.buf)) < 0) {
		rc = written(tmp.buf, KPR_EFILE, errno);
		kpr_strbuf_release(&tmp);
		return rc;
	}
	close(fd);
	rc = fn(NULL, tmp.buf, arg);
	if (rc == KPR_OK && !(in = fopen(tmp.buf, "rb")))
		rc = written(tmp.buf, KPR_EFILE, errno);
	else if (rc == KPR_OK) {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				break;
		if (ferror(in) || fflush(stdout) != 0 || ferror(stdout))
			rc = KPR_EFILE, kpr_log_error(_("cannot write to standard output: %s"), strerror(errno ? errno : EIO));
		fclose(in);
	}
	unlink(tmp.buf);
	kpr_strbuf_release(&tmp);
	return rc;
}
