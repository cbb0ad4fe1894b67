/*
 * log.h: messages to people, in PostgreSQL's voice (src/common/logging.c).
 *
 *     kpr_log_error(_("cannot open '%s': %s"), path, strerror(errno));
 *     kpr_log_hint(_("Check the path."));
 *
 * Everything goes to stderr as "kpr: error: ...", then "DETAIL: ..." and "HINT: ..." lines.
 * Never to stdout: that is the command's output.  -q silences info and warnings, -v enables debug.
 */
#ifndef KPR_LOG_H
#define KPR_LOG_H

#include <stdarg.h>

#include "kpr.h"

enum kpr_log_level { KPR_LOG_DEBUG, KPR_LOG_INFO, KPR_LOG_WARNING, KPR_LOG_ERROR };

extern enum kpr_log_level kpr_log_min_level;
extern const char *kpr_progname;
/* how many errors were said so far (the dispatcher: has a failed command said why?) */
extern unsigned kpr_log_errors;

void kpr_log_error(const char *fmt, ...) KPR_PRINTF(1, 2);
void kpr_log_warning(const char *fmt, ...) KPR_PRINTF(1, 2);
void kpr_log_info(const char *fmt, ...) KPR_PRINTF(1, 2);
void kpr_log_debug(const char *fmt, ...) KPR_PRINTF(1, 2);
void kpr_log_detail(const char *fmt, ...) KPR_PRINTF(1, 2);
void kpr_log_hint(const char *fmt, ...) KPR_PRINTF(1, 2);

/* The message fmt, ap to stderr with a line break, control and bidi characters escaped
 * (kpr_text_escape_lines, utf8.h), as every message here is written. */
void kpr_log_vwrite(const char *fmt, va_list ap);

/* kpr_log_error() and return status: "return kpr_fail(KPR_EFILE, ...)" */
int kpr_fail(int status, const char *fmt, ...) KPR_PRINTF(2, 3);

/* A bad command line: the error, then "Try \"kpr CMD --help\" ..." (cmd NULL: kpr's own);
 * returns KPR_EUSAGE.  Shown even under -q. */
int kpr_log_usage(const char *cmd, const char *fmt, ...) KPR_PRINTF(2, 3);

#endif
