/* diag.c: FILE:LINE:COLUMN: message lines; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "utf8.h"

static void vdiag(const char *file, long line, const char *column, long colno, const char *cell, const char *fmt,
		  va_list ap)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	/* the file's name and the column's come from people too: escaped as the message is */
	fflush(stdout);
	kpr_text_escape(&sb, file);
	kpr_strbuf_addf(&sb, ":%ld:", line);
	if (column) {
		kpr_text_escape(&sb, column);
		if (cell) {
			kpr_strbuf_adds(&sb, " (");
			kpr_text_escape(&sb, cell);
			kpr_strbuf_addch(&sb, ')');
		}
		kpr_strbuf_addch(&sb, ':');
	} else if (colno > 0) {
		kpr_strbuf_addf(&sb, "%ld:", colno);
	}
	kpr_strbuf_addch(&sb, ' ');
	fputs(sb.buf, stderr);
	kpr_strbuf_release(&sb);
	kpr_log_vwrite(fmt, ap);
}

void kpr_diag(const char *file, long line, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(file, line, column, 0, NULL, fmt, ap);
	va_end(ap);
}

void kpr_diag_col(const char *file, long line, long column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(file, line, NULL, column, NULL, fmt, ap);
	va_end(ap);
}

void kpr_diag_cell(const char *file, long line, const char *column, const char *cell, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(file, line, column, 0, cell, fmt, ap);
	va_end(ap);
}
