/* table.c: aligned plain-text tables; see table.h. */
#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "textwidth.h"

struct column {
	char *heading;
	enum kpr_table_align align;
	size_t width;
};

struct kpr_table {
	struct column *cols;
	size_t ncols;
	char **cells;		/* nrows * ncols, row-major; NULL is empty */
	size_t nrows, alloc_rows;
	size_t next;		/* next cell of the current row */
};

/* A copy fit for one terminal line: control characters become spaces. */
static char *cell_dup(const char *s)
{
	char *copy = kpr_xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return copy;
}

struct kpr_table *kpr_table_new(void)
{
	return kpr_xcalloc(1, sizeof(struct kpr_table));
}

void kpr_table_add_column(struct kpr_table *t, const char *heading, enum kpr_table_align align)
{
	if (t->nrows)
		abort();	/* columns come first */
	t->cols = kpr_xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	t->cols[t->ncols].heading = cell_dup(heading);
	t->cols[t->ncols].align = align;
	t->cols[t->ncols].width = kpr_text_width(t->cols[t->ncols].heading);
	t->ncols++;
}

void kpr_table_add_row(struct kpr_table *t)
{
	if (t->nrows == t->alloc_rows) {
		t->alloc_rows = t->alloc_rows ? 2 * t->alloc_rows : 16;
		t->cells = kpr_xrealloc(t->cells, t->alloc_rows * t->ncols * sizeof(char *));
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(char *));
	t->nrows++;
	t->next = 0;
}

void kpr_table_add_cell(struct kpr_table *t, const char *text)
{
	if (t->nrows == 0 || t->next >= t->ncols)
		abort();
	size_t col = t->next++;
	if (!text)
		return;
	char *copy = cell_dup(text);
	size_t w = kpr_text_width(copy);
	if (w > t->cols[col].width)
		t->cols[col].width = w;
	t->cells[(t->nrows - 1) * t->ncols + col] = copy;
}

void kpr_table_add_cellf(struct kpr_table *t, const char *fmt, ...)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	kpr_strbuf_grow(&sb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb.len = (size_t)n;
	kpr_table_add_cell(t, sb.buf);
	kpr_strbuf_release(&sb);
}

size_t kpr_table_nrows(const struct kpr_table *t)
{
	return t->nrows;
}

static void pad(struct kpr_strbuf *sb, size_t n, char c)
{
	while (n-- > 0)
		kpr_strbuf_addch(sb, c);
}

/* One line, without trailing spaces (an empty last cell leaves none). */
static void print_line(const struct kpr_table *t, FILE *out, char *const *cells)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = cells[i] ? cells[i] : "";
		size_t fill = t->cols[i].width - kpr_text_width(s);

		if (i > 0)
			kpr_strbuf_adds(&sb, "  ");
		if (t->cols[i].align == KPR_TABLE_RIGHT)
			pad(&sb, fill, ' ');
		kpr_strbuf_adds(&sb, s);
		if (t->cols[i].align == KPR_TABLE_LEFT)
			pad(&sb, fill, ' ');
	}
	while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.len--;
	kpr_strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	kpr_strbuf_release(&sb);
}

int kpr_table_print(const struct kpr_table *t, FILE *out)
{
	char **headings = kpr_xcalloc(t->ncols ? t->ncols : 1, sizeof(char *));

	for (size_t i = 0; i < t->ncols; i++)
		headings[i] = t->cols[i].heading;
	print_line(t, out, headings);
	free(headings);
	struct kpr_strbuf rule = KPR_STRBUF_INIT;
	for (size_t i = 0; i < t->ncols; i++) {
		if (i > 0)
			kpr_strbuf_adds(&rule, "  ");
		pad(&rule, t->cols[i].width, '-');
	}
	kpr_strbuf_addch(&rule, '\n');
	fwrite(rule.buf, 1, rule.len, out);
	kpr_strbuf_release(&rule);
	for (size_t r = 0; r < t->nrows; r++)
		print_line(t, out, t->cells + r * t->ncols);
	return ferror(out) ? KPR_EFILE : KPR_OK;
}

void kpr_table_free(struct kpr_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i].heading);
	free(t->cells);
	free(t->cols);
	free(t);
}
