/* print.c: rows of typed cells as a table, CSV, JSON or Markdown; see print.h. */
#include "print.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "sheetguard.h"
#include "strbuf.h"
#include "textwidth.h"

struct kpr_print {
	FILE *out;
	struct kpr_print_opts opts;
	struct kpr_print_column *cols;
	size_t ncols;
	bool in_row;
	size_t next;		/* the next cell of the current row */
	size_t nrows;		/* rows finished */
	/* The current row, each cell already written for the form: cell i is the NUL-terminated
	 * string at row.buf + off[i], or NULL when null[i]. */
	struct kpr_strbuf row;
	size_t *off;
	bool *null;
	struct kpr_strbuf line;	/* the output line being put together */
	struct kpr_strbuf tmp;	/* CSV: a text cell with its formula guard */
	/* table only: every row, kept to measure the columns (cells[r * ncols + c], NULL blank) */
	char **heads, **cells;
	size_t alloc_rows;
	size_t *width;
	size_t flushed;		/* table only: rows already written by kpr_print_page */
};

/* How each form writes: when it starts, a finished row, and what the end leaves. */
struct form {
	const char *name;
	void (*begin)(struct kpr_print *p);
	void (*row)(struct kpr_print *p);
	void (*end)(struct kpr_print *p);
};

#define ANY_TYPE (-1)	/* open_cell: a NULL fits a column of any type */

static bool is_number(enum kpr_print_type type)
{
	return type == KPR_PRINT_INT || type == KPR_PRINT_MONEY || type == KPR_PRINT_PERCENT;
}

static bool for_people(const struct kpr_print *p)
{
	return p->opts.format == KPR_PRINT_TABLE || p->opts.format == KPR_PRINT_MARKDOWN;
}

static const char *heading(const struct kpr_print *p, size_t c)
{
	return p->cols[c].heading ? p->cols[c].heading : p->cols[c].name;
}

static const char *cell(const struct kpr_print *p, size_t c)
{
	return p->null[c] ? NULL : p->row.buf + p->off[c];
}

/* The line put together in p->line goes out, and the buffer is emptied for the next. */
static void flush_line(struct kpr_print *p)
{
	fwrite(p->line.buf, 1, p->line.len, p->out);
	kpr_strbuf_reset(&p->line);
}

/* ---- the terminal table ------------------------------------------------------------------ */

/* A copy fit for one terminal line: line breaks and TABs become spaces, other control and
 * bidi characters are shown escaped (utf8.h), so the width is the escaped form's. */
static char *one_line(const char *s)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_text_escape(&sb, s);
	return kpr_strbuf_detach(&sb);
}

static void table_begin(struct kpr_print *p)
{
	p->heads = kpr_xcalloc(p->ncols ? p->ncols : 1, sizeof(char *));
	p->width = kpr_xcalloc(p->ncols ? p->ncols : 1, sizeof(size_t));
	for (size_t c = 0; c < p->ncols; c++) {
		p->heads[c] = one_line(heading(p, c));
		p->width[c] = kpr_text_width(p->heads[c]);
	}
}

static void table_row(struct kpr_print *p)
{
	if (p->nrows == p->alloc_rows) {
		p->alloc_rows = p->alloc_rows ? 2 * p->alloc_rows : 16;
		p->cells = kpr_xrealloc(p->cells, p->alloc_rows * (p->ncols ? p->ncols : 1) * sizeof(char *));
	}
	char **row = p->cells + p->nrows * p->ncols;
	for (size_t c = 0; c < p->ncols; c++) {
		row[c] = p->null[c] ? NULL : one_line(cell(p, c));
		size_t w = kpr_text_width(row[c]);
		if (w > p->width[c])
			p->width[c] = w;
	}
}

static void pad(struct kpr_strbuf *sb, size_t n, char c)
{
	while (n-- > 0)
		kpr_strbuf_addch(sb, c);
}

bool kpr_print_colour_wanted(FILE *out)
{
	const char *no = getenv("NO_COLOR");
	return isatty(fileno(out)) && !(no && *no);
}

/* One line, without trailing spaces (an empty last cell leaves none); body cells coloured by
 * their column's sgr when asked, the heading never. */
static void table_line(struct kpr_print *p, char *const *cells, bool body)
{
	for (size_t c = 0; c < p->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";
		size_t fill = p->width[c] - kpr_text_width(s);
		bool right = is_number(p->cols[c].type);
		bool paint = body && p->opts.colour && p->opts.sgr && p->opts.sgr[c] && *s && strcmp(s, "0") != 0;

		if (c > 0)
			kpr_strbuf_adds(&p->line, "  ");
		if (right)
			pad(&p->line, fill, ' ');
		if (paint)
			kpr_strbuf_addf(&p->line, "\033[%sm%s\033[0m", p->opts.sgr[c], s);
		else
			kpr_strbuf_adds(&p->line, s);
		if (!right)
			pad(&p->line, fill, ' ');
	}
	while (p->line.len > 0 && p->line.buf[p->line.len - 1] == ' ')
		p->line.len--;
	kpr_strbuf_addch(&p->line, '\n');
	flush_line(p);
}

/* Write the rows kept (the title and heading first, unless an earlier page wrote them), then
 * forget them: the next page is measured on its own. */
static void table_flush(struct kpr_print *p)
{
	if (p->flushed == 0) {
		if (p->opts.title) {
			char *title = one_line(p->opts.title);
			fprintf(p->out, "%s\n", title);
			free(title);
		}
		if (p->nrows == 0 && p->opts.empty) {
			fprintf(p->out, "%s\n", p->opts.empty);
			return;
		}
		table_line(p, p->heads, false);
		for (size_t c = 0; c < p->ncols; c++) {
			if (c > 0)
				kpr_strbuf_adds(&p->line, "  ");
			pad(&p->line, p->width[c], '-');
		}
		kpr_strbuf_addch(&p->line, '\n');
		flush_line(p);
	}
	for (size_t r = 0; r < p->nrows; r++)
		table_line(p, p->cells + r * p->ncols, true);
	for (size_t i = 0; i < p->nrows * p->ncols; i++)
		free(p->cells[i]);
	p->flushed += p->nrows;
	p->nrows = 0;
	for (size_t c = 0; c < p->ncols; c++)
		p->width[c] = kpr_text_width(p->heads[c]);
}

static void table_end(struct kpr_print *p)
{
	if (p->flushed == 0 || p->nrows > 0)
		table_flush(p);
}

/* ---- CSV ----------------------------------------------------------------------------------- */

/* One field; NULL is nothing at all, an empty string "" (as COPY's CSV tells them apart). */
static void csv_field(struct kpr_strbuf *sb, const char *s)
{
	if (!s)
		return;
	if (*s && s[strcspn(s, ",\"\r\n")] == '\0') {
		kpr_strbuf_adds(sb, s);
		return;
	}
	kpr_strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			kpr_strbuf_addch(sb, '"');
		kpr_strbuf_addch(sb, *s);
	}
	kpr_strbuf_addch(sb, '"');
}

static void csv_begin(struct kpr_print *p)
{
	if (p->opts.bom)
		kpr_strbuf_adds(&p->line, "\xEF\xBB\xBF");
	for (const char *const *l = p->opts.preamble; l && *l; l++) {
		csv_field(&p->line, *l);
		kpr_strbuf_addch(&p->line, '\n');
	}
	for (size_t c = 0; c < p->ncols; c++) {
		if (c > 0)
			kpr_strbuf_addch(&p->line, ',');
		csv_field(&p->line, p->cols[c].name);
	}
	kpr_strbuf_addch(&p->line, '\n');
	flush_line(p);
}

/* A text cell that a spreadsheet could take for a formula gets its apostrophe (sheetguard.h);
 * numbers never. */
static void csv_row(struct kpr_print *p)
{
	for (size_t c = 0; c < p->ncols; c++) {
		const char *s = cell(p, c);
		if (c > 0)
			kpr_strbuf_addch(&p->line, ',');
		if (s && !is_number(p->cols[c].type) && kpr_sheetguard_needed(s)) {
			kpr_strbuf_reset(&p->tmp);
			kpr_sheetguard_add(&p->tmp, s);
			s = p->tmp.buf;
		}
		csv_field(&p->line, s);
	}
	kpr_strbuf_addch(&p->line, '\n');
	flush_line(p);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

/* s as a JSON string (RFC 8259): quote, backslash and control characters escaped, other
 * characters kept as UTF-8, a byte that is not UTF-8 replaced by U+FFFD. */
static void json_string(struct kpr_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + strlen(s);

	kpr_strbuf_addch(sb, '"');
	while (s < end) {
		unsigned char ch = (unsigned char)*s;
		uint32_t cp;
		size_t n = 1;

		if (ch == '"' || ch == '\\') {
			kpr_strbuf_addch(sb, '\\');
			kpr_strbuf_addch(sb, (char)ch);
		} else if (ch < 0x20) {
			const char *named = ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch == '\t' ? "\\t"
					  : ch == '\b' ? "\\b" : ch == '\f' ? "\\f" : NULL;
			if (named) {
				kpr_strbuf_adds(sb, named);
			} else {
				kpr_strbuf_adds(sb, "\\u00");
				kpr_strbuf_addch(sb, hex[ch >> 4]);
				kpr_strbuf_addch(sb, hex[ch & 0xF]);
			}
		} else if (ch < 0x80) {
			kpr_strbuf_addch(sb, (char)ch);
		} else if ((n = kpr_utf8_decode(s, (size_t)(end - s), &cp)) > 0) {
			kpr_strbuf_add(sb, s, n);
		} else {
			kpr_strbuf_adds(sb, "\xEF\xBF\xBD");
			n = 1;
		}
		s += n;
	}
	kpr_strbuf_addch(sb, '"');
}

static void json_row(struct kpr_print *p)
{
	kpr_strbuf_adds(&p->line, p->nrows == 0 ? "[\n{" : ",\n{");
	for (size_t c = 0; c < p->ncols; c++) {
		const char *s = cell(p, c);
		if (c > 0)
			kpr_strbuf_addch(&p->line, ',');
		json_string(&p->line, p->cols[c].name);
		kpr_strbuf_addch(&p->line, ':');
		if (!s)
			kpr_strbuf_adds(&p->line, "null");
		else if (is_number(p->cols[c].type))
			kpr_strbuf_adds(&p->line, s);
		else
			json_string(&p->line, s);
	}
	kpr_strbuf_addch(&p->line, '}');
	flush_line(p);
}

static void json_end(struct kpr_print *p)
{
	fputs(p->nrows == 0 ? "[]\n" : "\n]\n", p->out);
}

/* ---- Markdown ------------------------------------------------------------------------------ */

/* s fit for one cell of a pipe table: a line break is <br>; control and bidi characters are
 * escaped as in the terminal table (utf8.h), then '|' and '\\' get a backslash. */
static void md_cell(struct kpr_print *p, struct kpr_strbuf *sb, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\r\n");
		kpr_strbuf_reset(&p->tmp);
		kpr_strbuf_add(&p->tmp, s, n);
		char *seg = kpr_strbuf_detach(&p->tmp);
		kpr_text_escape(&p->tmp, seg);
		free(seg);
		for (size_t i = 0; i < p->tmp.len; i++) {
			if (p->tmp.buf[i] == '|' || p->tmp.buf[i] == '\\')
				kpr_strbuf_addch(sb, '\\');
			kpr_strbuf_addch(sb, p->tmp.buf[i]);
		}
		s += n;
		if (*s) {
			kpr_strbuf_adds(sb, "<br>");
			s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		}
	}
}

static void md_line(struct kpr_print *p, bool head)
{
	kpr_strbuf_addch(&p->line, '|');
	for (size_t c = 0; c < p->ncols; c++) {
		const char *s = head ? heading(p, c) : cell(p, c);
		kpr_strbuf_addch(&p->line, ' ');
		md_cell(p, &p->line, s ? s : "");
		kpr_strbuf_adds(&p->line, " |");
	}
	kpr_strbuf_addch(&p->line, '\n');
	flush_line(p);
}

/* The title and the heading: written with the first row, or at the end of an empty table. */
static void md_head(struct kpr_print *p)
{
	if (p->opts.title)
		fprintf(p->out, "%s\n\n", p->opts.title);
	md_line(p, true);
	kpr_strbuf_addch(&p->line, '|');
	for (size_t c = 0; c < p->ncols; c++)
		kpr_strbuf_adds(&p->line, is_number(p->cols[c].type) ? " ---: |" : " --- |");
	kpr_strbuf_addch(&p->line, '\n');
	flush_line(p);
}

static void md_row(struct kpr_print *p)
{
	if (p->nrows == 0)
		md_head(p);
	md_line(p, false);
}

static void md_end(struct kpr_print *p)
{
	if (p->nrows > 0)
		return;
	if (!p->opts.empty) {
		md_head(p);
	} else {
		if (p->opts.title)
			fprintf(p->out, "%s\n\n", p->opts.title);
		fprintf(p->out, "%s\n", p->opts.empty);
	}
}

/* ---- the forms, the cells ------------------------------------------------------------------ */

static const struct form forms[] = {
	[KPR_PRINT_TABLE] = { "table", table_begin, table_row, table_end },
	[KPR_PRINT_CSV] = { "csv", csv_begin, csv_row, NULL },
	[KPR_PRINT_JSON] = { "json", NULL, json_row, json_end },
	[KPR_PRINT_MARKDOWN] = { "md", NULL, md_row, md_end },
};

static const struct form *form_of(enum kpr_print_format format)
{
	if ((size_t)format >= KPR_ARRAY_SIZE(forms))
		abort();
	return &forms[format];
}

bool kpr_print_format_parse(const char *name, enum kpr_print_format *format)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(forms); i++)
		if (strcmp(name, forms[i].name) == 0) {
			*format = (enum kpr_print_format)i;
			return true;
		}
	return false;
}

struct kpr_print *kpr_print_begin(FILE *out, const struct kpr_print_column *cols, size_t ncols,
				  const struct kpr_print_opts *opts)
{
	struct kpr_print *p = kpr_xcalloc(1, sizeof(*p));
	const struct form *f = form_of(opts->format);

	p->out = out;
	p->opts = *opts;
	p->ncols = ncols;
	p->cols = kpr_xcalloc(ncols ? ncols : 1, sizeof(*cols));
	if (ncols)
		memcpy(p->cols, cols, ncols * sizeof(*cols));
	p->off = kpr_xcalloc(ncols ? ncols : 1, sizeof(size_t));
	p->null = kpr_xcalloc(ncols ? ncols : 1, sizeof(bool));
	if (f->begin)
		f->begin(p);
	return p;
}

/* The current row is done: the form writes it, or keeps it. */
static void finish_row(struct kpr_print *p)
{
	if (!p->in_row)
		return;
	form_of(p->opts.format)->row(p);
	p->nrows++;
	p->in_row = false;
}

void kpr_print_row(struct kpr_print *p)
{
	finish_row(p);
	kpr_strbuf_reset(&p->row);
	for (size_t c = 0; c < p->ncols; c++)
		p->null[c] = true;
	p->next = 0;
	p->in_row = true;
}

/* The next cell, which must be of a column of type want (or any, for ANY_TYPE):
 * marked as not NULL, its text to go on at p->row's end.  Returns its column. */
static size_t open_cell(struct kpr_print *p, int want)
{
	if (!p->in_row || p->next >= p->ncols)
		abort();
	enum kpr_print_type type = p->cols[p->next].type;
	if (want != ANY_TYPE && (int)type != want && !(want == KPR_PRINT_TEXT && type == KPR_PRINT_DATE))
		abort();
	p->off[p->next] = p->row.len;
	p->null[p->next] = false;
	return p->next++;
}

static void close_cell(struct kpr_print *p)
{
	kpr_strbuf_addch(&p->row, '\0');
}

void kpr_print_text(struct kpr_print *p, const char *s)
{
	size_t c = open_cell(p, KPR_PRINT_TEXT);
	if (!s) {
		p->null[c] = true;
		return;
	}
	kpr_strbuf_adds(&p->row, s);
	close_cell(p);
}

void kpr_print_int(struct kpr_print *p, int64_t v)
{
	open_cell(p, KPR_PRINT_INT);
	kpr_strbuf_add_int(&p->row, v);
	close_cell(p);
}

void kpr_print_money(struct kpr_print *p, int64_t yuan)
{
	const struct kpr_print_column *col = &p->cols[open_cell(p, KPR_PRINT_MONEY)];
	char buf[32];

	if (col->unit == KPR_UNIT_YUAN)
		kpr_strbuf_add_int(&p->row, yuan);
	else if (col->unit == KPR_UNIT_YI)
		kpr_strbuf_adds(&p->row, kpr_money_format_yi(yuan, for_people(p) ? col->decimals : 8, buf));
	else
		kpr_strbuf_adds(&p->row, kpr_money_format_wan(yuan, buf));
	close_cell(p);
}

/* 100 * num / den rounded half away from zero to `decimals` places, without going through a
 * double: |num| * 100 * 10^6 < 2^63 * 2^27 fits in 128 bits.  den is not 0. */
static void add_percent(struct kpr_strbuf *sb, int64_t num, int64_t den, int decimals)
{
	uint64_t n = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
	uint64_t d = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
	unsigned __int128 r = (unsigned __int128)n * 100, rem;
	char digits[48], *q = digits + sizeof(digits);
	int i = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	for (i = 0; i < decimals; i++)
		r *= 10;
	rem = r % d;
	r /= d;
	if (rem >= d - rem)
		r++;
	bool negative = (num < 0) != (den < 0) && r != 0;
	i = 0;
	do {
		if (i == decimals && decimals > 0)
			*--q = '.';
		*--q = (char)('0' + (int)(r % 10));
		r /= 10;
		i++;
	} while (i <= decimals || r > 0);
	if (negative)
		*--q = '-';
	kpr_strbuf_add(sb, q, (size_t)(digits + sizeof(digits) - q));
}

void kpr_print_percent(struct kpr_print *p, int64_t num, int64_t den)
{
	size_t c = open_cell(p, KPR_PRINT_PERCENT);
	if (den == 0) {
		p->null[c] = true;
		return;
	}
	add_percent(&p->row, num, den, p->cols[c].decimals);
	close_cell(p);
}

void kpr_print_null(struct kpr_print *p)
{
	p->null[open_cell(p, ANY_TYPE)] = true;
}

void kpr_print_page(struct kpr_print *p)
{
	if (p->opts.format != KPR_PRINT_TABLE)
		return;
	finish_row(p);
	if (p->nrows > 0)
		table_flush(p);
}

int kpr_print_end(struct kpr_print *p)
{
	const struct form *f = form_of(p->opts.format);

	finish_row(p);
	if (f->end)
		f->end(p);
	int rc = ferror(p->out) ? KPR_EFILE : KPR_OK;
	if (p->heads)
		for (size_t c = 0; c < p->ncols; c++)
			free(p->heads[c]);
	free(p->cells);
	free(p->heads);
	free(p->width);
	free(p->off);
	free(p->null);
	free(p->cols);
	kpr_strbuf_release(&p->row);
	kpr_strbuf_release(&p->line);
	kpr_strbuf_release(&p->tmp);
	free(p);
	return rc;
}
