/* log.c: messages to people on stderr; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "utf8.h"

enum kpr_log_level kpr_log_min_level = KPR_LOG_INFO;
const char *kpr_progname = "kpr";
/* DETAIL and HINT belong to the last message; drop them when that message was filtered out */
static bool last_shown = true;
unsigned kpr_log_errors;

/* The message to stderr: what it quotes (a cell, a name, a server's message) may hold control
 * or bidi characters, shown escaped as in a terminal table (utf8.h), line breaks kept. */
void kpr_log_vwrite(const char *fmt, va_list ap)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	kpr_text_escape_lines(&sb, msg ? msg : fmt);
	if (sb.buf)
		fputs(sb.buf, stderr);
	fputc('\n', stderr);
	kpr_strbuf_release(&sb);
	free(msg);
}

static void emit(enum kpr_log_level level, const char *prefix, const char *fmt, va_list ap)
{
	if (level == KPR_LOG_ERROR)
		kpr_log_errors++;
	last_shown = level >= kpr_log_min_level;
	if (!last_shown)
		return;
	fflush(stdout);
	fprintf(stderr, "%s: ", kpr_progname);
	if (prefix)
		fprintf(stderr, "%s", prefix);
	kpr_log_vwrite(fmt, ap);
}

#define DEFINE_LOG(name, level, prefix)                \
	void name(const char *fmt, ...)                    \
	{                                                  \
		va_list ap;                                    \
		va_start(ap, fmt);                             \
		emit(level, prefix, fmt, ap);                  \
		va_end(ap);                                    \
	}

DEFINE_LOG(kpr_log_error, KPR_LOG_ERROR, _("error: "))
DEFINE_LOG(kpr_log_warning, KPR_LOG_WARNING, _("warning: "))
DEFINE_LOG(kpr_log_info, KPR_LOG_INFO, NULL)
DEFINE_LOG(kpr_log_debug, KPR_LOG_DEBUG, _("debug: "))

static void emit_tail(const char *label, const char *fmt, va_list ap)
{
	if (!last_shown)
		return;
	fprintf(stderr, "%s:  ", label);
	kpr_log_vwrite(fmt, ap);
}

void kpr_log_detail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_tail(_("DETAIL"), fmt, ap);
	va_end(ap);
}

void kpr_log_hint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_tail(_("HINT"), fmt, ap);
	va_end(ap);
}

int kpr_fail(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(KPR_LOG_ERROR, _("error: "), fmt, ap);
	va_end(ap);
	return status;
}

int kpr_log_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(KPR_LOG_ERROR, _("error: "), fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, _("Try \"kpr %s --help\" for more information.\n"), cmd);
	else
		fprintf(stderr, _("Try \"kpr --help\" for more information.\n"));
	return KPR_EUSAGE;
}
