/* problems.c: problems collected, then printed in file order; see problems.h. */
#include "problems.h"

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "strbuf.h"

struct kpr_problem {
	struct kpr_mark at;
	size_t seq;		/* the order added: keeps two problems at one place stable under qsort */
	char *msg;
};

void kpr_problems_vadd(struct kpr_problems *ps, struct kpr_mark at, const char *fmt, va_list ap)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	va_list again;

	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		n = 0;
	kpr_strbuf_grow(&sb, (size_t)n + 1);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, again);
	va_end(again);
	sb.len = (size_t)n;
	if (ps->n == ps->alloc) {
		ps->alloc = ps->alloc ? 2 * ps->alloc : 16;
		ps->v = kpr_xrealloc(ps->v, ps->alloc * sizeof(*ps->v));
	}
	ps->v[ps->n].at = at;
	ps->v[ps->n].seq = ps->n;
	ps->v[ps->n].msg = kpr_strbuf_detach(&sb);
	ps->n++;
}

void kpr_problems_add(struct kpr_problems *ps, struct kpr_mark at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kpr_problems_vadd(ps, at, fmt, ap);
	va_end(ap);
}

static int problem_cmp(const void *a, const void *b)
{
	const struct kpr_problem *x = a, *y = b;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.column != y->at.column)
		return x->at.column < y->at.column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void kpr_problems_release(struct kpr_problems *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].msg);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->alloc = 0;
}

size_t kpr_problems_flush(struct kpr_problems *ps, const char *file)
{
	size_t n = ps->n;

	if (n)
		qsort(ps->v, ps->n, sizeof(*ps->v), problem_cmp);
	for (size_t i = 0; i < ps->n; i++)
		kpr_diag_col(file, ps->v[i].at.line, ps->v[i].at.column, "%s", ps->v[i].msg);
	kpr_problems_release(ps);
	return n;
}
