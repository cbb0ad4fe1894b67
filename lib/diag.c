/* diag.c: FILE:LINE:COLUMN: message lines; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static void vdiag(const char *file, long line, const char *column, long colno, const char *cell, const char *fmt,
		  va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s:%ld:", file, line);
	if (column && cell)
		fprintf(stderr, "%s (%s):", column, cell);
	else if (column)
		fprintf(stderr, "%s:", column);
	else if (colno > 0)
		fprintf(stderr, "%ld:", colno);
	fputc(' ', stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
