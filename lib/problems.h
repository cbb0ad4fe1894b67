/*
 * problems.h: the problems found in an input file, collected as the checks find them and
 * printed in file order, one a line, as FILE:LINE:COLUMN: message (diag.h).
 *
 *     kpr_problems_add(&ps, at, _("duplicate zone code '%s' (first at line %ld)"), code, first.line);
 *     if (kpr_problems_flush(&ps, "config.yaml") > 0) ... the caller's summary line, KPR_EINPUT ...
 *
 * Collecting lets checks run in whatever order suits them (a duplicate is only known once its
 * whole list is read, a name taken only once the database is asked) while the user still
 * reads every problem top to bottom.
 */
#ifndef KPR_PROBLEMS_H
#define KPR_PROBLEMS_H

#include <stdarg.h>

#include "kpr.h"

/* Where something is in a file, 1-based (0 when it came from elsewhere, e.g. the database). */
struct kpr_mark {
	long line, column;
};

struct kpr_problem;

struct kpr_problems {
	struct kpr_problem *v;
	size_t n, alloc;
};

#define KPR_PROBLEMS_INIT { NULL, 0, 0 }

/* Add a problem at a place.  Allocation failure aborts (strbuf.h). */
void kpr_problems_add(struct kpr_problems *ps, struct kpr_mark at, const char *fmt, ...) KPR_PRINTF(3, 4);
void kpr_problems_vadd(struct kpr_problems *ps, struct kpr_mark at, const char *fmt, va_list ap);

/*
 * Print the problems to stderr, sorted by line and column (two at one place in the order they
 * were added), and empty the list.  Returns how many there were; cannot fail.
 */
size_t kpr_problems_flush(struct kpr_problems *ps, const char *file);

/* Drop the problems unprinted (an error elsewhere made them moot). */
void kpr_problems_release(struct kpr_problems *ps);

#endif
