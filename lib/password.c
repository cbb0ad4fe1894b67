/* password.c: a password from a file or the terminal; see password.h. */
#include "password.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "strbuf.h"

/* One line of f without its line end, into a new string; NULL at end of file or error. */
static char *read_line(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int from_file(const char *file, char **password)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), file, strerror(errno));
	*password = read_line(f);
	bool failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		kpr_password_free(*password);
		*password = NULL;
		return kpr_fail(KPR_EFILE, _("cannot read '%s'"), file);
	}
	return KPR_OK;
}

/* Ask once on the terminal with echo off. */
static char *ask(const char *prompt)
{
	struct termios old, quiet;
	bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	fputs(prompt, stderr);
	fflush(stderr);
	char *line = read_line(stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return line;
}

int kpr_password_read(const char *file, const char *prompt, char **password)
{
	int rc = KPR_OK;
	*password = NULL;
	if (file)
		rc = from_file(file, password);
	else if (isatty(STDIN_FILENO)) {
		*password = ask(prompt);
		char *again = *password ? ask(_("Enter it again: ")) : NULL;
		if (*password && (!again || strcmp(again, *password) != 0))
			rc = kpr_fail(KPR_EINPUT, "%s", _("the passwords do not match"));
		kpr_password_free(again);
	} else
		return KPR_OK;
	if (rc == KPR_OK && (!*password || !**password))
		rc = file ? kpr_fail(KPR_EINPUT, _("'%s' holds no password (its first line is empty)"), file)
			  : kpr_fail(KPR_EINPUT, "%s", _("the password is empty"));
	if (rc != KPR_OK) {
		kpr_password_free(*password);
		*password = NULL;
	}
	return rc;
}

int kpr_password_ask(const char *prompt, char **password)
{
	*password = NULL;
	if (!isatty(STDIN_FILENO))
		return KPR_EINPUT;
	*password = ask(prompt);
	if (*password && **password)
		return KPR_OK;
	kpr_password_free(*password);
	*password = NULL;
	return KPR_EINPUT;
}

void kpr_password_free(char *password)
{
	if (!password)
		return;
	explicit_bzero(password, strlen(password));
	free(password);
}
