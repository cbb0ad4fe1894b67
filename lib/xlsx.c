/*
 * xlsx.c: kpr's workbooks through libxlsxwriter; see xlsx.h.
 */
#include "xlsx.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "money.h"
#include "sheetguard.h"
#include "strbuf.h"
#include "textwidth.h"

#define MAX_SHEETS 16
#define MIN_WIDTH 6.0
#define MAX_WIDTH 60.0

struct kpr_xlsx {
	lxw_workbook *wb;
	char *name;			/* the file messages name */
	lxw_error err;			/* the first error met */
	lxw_format *fmt[KPR_XLSX_TYPES][2], *header, *title, *paragraph;
	struct kpr_xlsx_sheet *sheets[MAX_SHEETS];
	size_t nsheets;
};

/* The number formats, by type */
static const char *const num_formats[KPR_XLSX_TYPES] = {
	[KPR_XLSX_TEXT] = "@", [KPR_XLSX_INT] = "0", [KPR_XLSX_YI] = "0.0", [KPR_XLSX_WAN] = "#,##0.0000",
	[KPR_XLSX_PERCENT] = "0.0%", [KPR_XLSX_POINTS] = "+0.0;-0.0;0.0", [KPR_XLSX_DECIMAL] = "0.0",
};

lxw_workbook *kpr_xlsx_workbook(struct kpr_xlsx *x)
{
	return x->wb;
}

void kpr_xlsx_keep(struct kpr_xlsx *x, lxw_error err)
{
	if (err != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = err;
}

static lxw_format *new_format(lxw_workbook *wb, bool bold)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_border_color(f, 0xBFBFBF);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (bold)
		format_set_bold(f), format_set_bg_color(f, 0xF2F2F2);
	return f;
}

static void add_formats(struct kpr_xlsx *x)
{
	for (int t = 0; t < KPR_XLSX_TYPES; t++)
		for (int b = 0; b < 2; b++) {
			x->fmt[t][b] = new_format(x->wb, b);
			format_set_num_format(x->fmt[t][b], num_formats[t]);
		}
	x->header = new_format(x->wb, true);
	format_set_bg_color(x->header, 0xDDEBF7);
	format_set_align(x->header, LXW_ALIGN_CENTER);
	format_set_text_wrap(x->header);
	x->paragraph = workbook_add_format(x->wb);
	format_set_text_wrap(x->paragraph);
	format_set_align(x->paragraph, LXW_ALIGN_VERTICAL_TOP);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);
}

struct kpr_xlsx *kpr_xlsx_open(const char *path, const char *name)
{
	struct kpr_xlsx *x = kpr_xcalloc(1, sizeof(*x));
	x->name = kpr_xstrdup(name);
	/* libxlsxwriter's own temporary files where the user keeps them */
	lxw_workbook_options o = { .tmpdir = getenv("TMPDIR") };
	if (!(x->wb = workbook_new_opt(path, &o)))
		x->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
	else
		add_formats(x);
	return x;
}

struct kpr_xlsx_sheet *kpr_xlsx_add_sheet(struct kpr_xlsx *x, const char *name)
{
	lxw_error err;
	if (!x->wb || x->nsheets == MAX_SHEETS)
		return kpr_xlsx_keep(x, LXW_ERROR_PARAMETER_VALIDATION), NULL;
	if ((err = workbook_validate_sheet_name(x->wb, name)) != LXW_NO_ERROR)
		return kpr_xlsx_keep(x, err), NULL;
	struct kpr_xlsx_sheet *s = kpr_xcalloc(1, sizeof(*s));
	s->book = x;
	if (!(s->ws = workbook_add_worksheet(x->wb, name))) {
		free(s);
		return kpr_xlsx_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED), NULL;
	}
	x->sheets[x->nsheets++] = s;
	return s;
}

lxw_format *kpr_xlsx_format(struct kpr_xlsx *x, enum kpr_xlsx_type type, bool bold)
{
	return x->fmt[type][bold];
}

lxw_format *kpr_xlsx_header_format(struct kpr_xlsx *x)
{
	return x->header;
}

double kpr_xlsx_number(const char *s, int shift)
{
	int64_t m = 0;
	int decimals = 0, digits = 0;
	bool neg = *s == '-', point = false;

	for (s += neg || *s == '+'; *s; s++) {
		if (*s == '.')
			point = true;
		else if (*s >= '0' && *s <= '9' && digits < 18)
			m = m * 10 + (*s - '0'), decimals += point, digits += m != 0;
		else if (*s >= '0' && *s <= '9' && !point)
			shift--;	/* beyond 18 digits: scale instead (never with kpr's amounts) */
	}
	/* m and 10^k are exact doubles (m < 2^53, k <= 22): one division, correctly rounded */
	double d = (double)m;
	int k = decimals + shift;
	double p = 1;
	for (int i = 0; i < (k < 0 ? -k : k); i++)
		p *= 10;
	d = k < 0 ? d * p : d / p;
	return neg ? -d : d;
}

/* The text a number cell shows, for its width */
static size_t shown_width(enum kpr_xlsx_type type, const char *text)
{
	char buf[40];
	size_t n = strlen(text);
	switch (type) {
	case KPR_XLSX_YI:
		return strlen(kpr_money_format_yi(atoll(text), 1, buf));
	case KPR_XLSX_WAN:
		n = strlen(kpr_money_format_wan(atoll(text), buf));
		return n + (n > 8 ? (n - 8) / 3 : 0);
	case KPR_XLSX_PERCENT:
	case KPR_XLSX_POINTS:
	case KPR_XLSX_DECIMAL:
		return n + 1;
	case KPR_XLSX_INT:
		return n;
	default:
		return kpr_text_width(text);
	}
}

static void count_width(struct kpr_xlsx_sheet *s, int col, double w)
{
	if (col >= 0 && col < KPR_XLSX_MAX_COLS && w > s->width[col])
		s->width[col] = w;
}

lxw_error kpr_xlsx_write_text(lxw_worksheet *ws, int row, int col, const char *text, lxw_format *f)
{
	if (!kpr_sheetguard_needed(text))
		return worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, text, f);
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_sheetguard_add(&sb, text);
	lxw_error err = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, sb.buf, f);
	kpr_strbuf_release(&sb);
	return err;
}

void kpr_xlsx_cell(struct kpr_xlsx_sheet *s, int row, int col, enum kpr_xlsx_type type, const char *text,
		   bool bold)
{
	struct kpr_xlsx *x = s->book;
	lxw_format *f = x->fmt[type][bold];
	static const int shift[KPR_XLSX_TYPES] = { [KPR_XLSX_YI] = 8, [KPR_XLSX_WAN] = 4, [KPR_XLSX_PERCENT] = 2 };

	if (!text)
		kpr_xlsx_keep(x, worksheet_write_blank(s->ws, row, col, f));
	else if (type == KPR_XLSX_TEXT)
		kpr_xlsx_keep(x, kpr_xlsx_write_text(s->ws, row, col, text, f));
	else
		kpr_xlsx_keep(x, worksheet_write_number(s->ws, row, col, kpr_xlsx_number(text, shift[type]), f));
	if (text)
		count_width(s, col, (double)shown_width(type, text) * (bold ? 1.1 : 1.0));
}

void kpr_xlsx_paragraph(struct kpr_xlsx_sheet *s, int row, int col, const char *text)
{
	/* the row as high as the lines the text wraps to (spreadsheets do not all work it out) */
	double w = col >= 0 && col < KPR_XLSX_MAX_COLS && s->fixed[col] > 0 ? s->fixed[col] : MAX_WIDTH;
	double lines = (double)(size_t)(kpr_text_width(text) * 1.3 / w) + 1;

	kpr_xlsx_keep(s->book, worksheet_write_string(s->ws, row, col, text, s->book->paragraph));
	kpr_xlsx_keep(s->book, worksheet_set_row(s->ws, row, lines > 25 ? 409 : 16 * lines, NULL));
}

void kpr_xlsx_width(struct kpr_xlsx_sheet *s, int col, double width)
{
	if (col >= 0 && col < KPR_XLSX_MAX_COLS)
		s->fixed[col] = width;
}

void kpr_xlsx_title(struct kpr_xlsx_sheet *s, int row, int ncols, const char *text)
{
	struct kpr_xlsx *x = s->book;
	if (ncols > 1)
		kpr_xlsx_keep(x, worksheet_merge_range(s->ws, row, 0, row, ncols - 1, text, x->title));
	else
		kpr_xlsx_keep(x, worksheet_write_string(s->ws, row, 0, text, x->title));
	kpr_xlsx_keep(x, worksheet_set_row(s->ws, row, 28, NULL));
}

int kpr_xlsx_table(struct kpr_xlsx_sheet *s, int row, const struct kpr_batch_table *t,
		   const struct kpr_xlsx_column *cols, int ncols, int freeze_cols, bool bold_last)
{
	struct kpr_xlsx *x = s->book;

	for (int c = 0; c < ncols; c++) {
		kpr_xlsx_keep(x, worksheet_write_string(s->ws, row, c, cols[c].heading, x->header));
		count_width(s, c, kpr_text_width(cols[c].heading) * 1.1);
	}
	worksheet_freeze_panes(s->ws, row + 1, freeze_cols);
	row++;
	for (size_t r = 0; r < t->nrows; r++, row++) {
		bool bold = bold_last && r + 1 == t->nrows;
		for (int c = 0; c < ncols; c++)
			kpr_xlsx_cell(s, row, c, cols[c].type, kpr_batch_cell(t, r, cols[c].source), bold);
	}
	return row;
}

/* libxlsxwriter's words for err, and the system's when it was the file */
static void say_error(const struct kpr_xlsx *x, lxw_error err, int saved_errno)
{
	if (err == LXW_ERROR_CREATING_XLSX_FILE && saved_errno)
		kpr_log_error(_("cannot write '%s': %s"), x->name, strerror(saved_errno));
	else
		kpr_log_error(_("cannot write '%s': %s"), x->name, lxw_strerror(err));
}

int kpr_xlsx_close(struct kpr_xlsx *x)
{
	lxw_error err = x->err;
	int saved_errno = 0;

	for (size_t i = 0; i < x->nsheets; i++) {
		struct kpr_xlsx_sheet *s = x->sheets[i];
		for (int c = 0; c < KPR_XLSX_MAX_COLS; c++) {
			double w = s->fixed[c] > 0 ? s->fixed[c] : s->width[c] + 2;
			if (s->width[c] > 0 || s->fixed[c] > 0)
				kpr_xlsx_keep(x, worksheet_set_column(s->ws, c, c, w < MIN_WIDTH ? MIN_WIDTH
								   : w > MAX_WIDTH ? MAX_WIDTH : w, NULL));
		}
		free(s);
	}
	if (x->wb) {
		/* libxlsxwriter writes numbers with printf: in the C locale's notation, whatever ours */
		locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = c ? uselocale(c) : NULL;
		errno = 0;
		lxw_error closed = workbook_close(x->wb);
		saved_errno = errno;
		if (c)
			uselocale(old), freelocale(c);
		if (err == LXW_NO_ERROR)
			err = closed;
	}
	if (err != LXW_NO_ERROR)
		say_error(x, err, saved_errno);
	free(x->name);
	free(x);
	return err == LXW_NO_ERROR ? KPR_OK : KPR_EFILE;
}
