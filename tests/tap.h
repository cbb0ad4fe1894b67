/*
 * tap.h: Test Anything Protocol for the C unit tests, run by prove.
 *
 *     ok(kpr_money_parse("1.5", ...) == KPR_OK, "money parses a decimal");
 *     is_str(buf, "1.5000", "money formats four decimals");
 *     return done_testing();
 *
 * Also: tap_capture_stderr() / tap_captured_stderr() to check what a library call printed (all of
 * it, every line).
 */
#ifndef KPR_TAP_H
#define KPR_TAP_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

/* One "ok N - description" or "not ok" line; returns pass. */
static int tap_vresult(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_n++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

__attribute__((format(printf, 4, 5), unused))
static int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 5, 6), unused))
static int tap_is_int(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got: %lld\n#   expected: %lld\n", got, want);
	return pass;
}

__attribute__((format(printf, 5, 6), unused))
static int tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int pass = (got && want) ? strcmp(got, want) == 0 : got == want;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got: '%s'\n#   expected: '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return pass;
}

__attribute__((unused))
static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

static int tap_errfd = -1;		/* an unlinked temporary file, made on first use */
static int tap_saved_stderr = -1;

/* Send stderr to a temporary file until tap_captured_stderr(). */
__attribute__((unused))
static void tap_capture_stderr(void)
{
	if (tap_errfd < 0) {
		/* unlinked at once: no name another test could be given, nothing left behind */
		char path[] = "/tmp/kpr-tap-err.XXXXXX";
		if ((tap_errfd = mkstemp(path)) < 0)
			abort();
		unlink(path);
	}
	fflush(stderr);
	if (ftruncate(tap_errfd, 0) != 0 || lseek(tap_errfd, 0, SEEK_SET) != 0)
		abort();
	tap_saved_stderr = dup(2);
	dup2(tap_errfd, 2);
}

/* Restore stderr; everything written to it since the capture, every line, without the last
 * newline ("" when nothing was).  Valid until the next call. */
__attribute__((unused))
static char *tap_captured_stderr(void)
{
	static char *msg;
	size_t len = 0;
	ssize_t n;
	char chunk[4096];
	fflush(stderr);
	dup2(tap_saved_stderr, 2);
	close(tap_saved_stderr);
	free(msg);
	if (!(msg = calloc(1, 1)) || lseek(tap_errfd, 0, SEEK_SET) != 0)
		abort();
	while ((n = read(tap_errfd, chunk, sizeof(chunk))) > 0) {
		if (!(msg = realloc(msg, len + (size_t)n + 1)))
			abort();
		memcpy(msg + len, chunk, (size_t)n);
		msg[len += (size_t)n] = '\0';
	}
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	return msg;
}

#endif
