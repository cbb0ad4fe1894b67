/*
 * print.h: one result printer: rows of typed cells out as an aligned terminal table, CSV, JSON
 * or Markdown, the same calls for every form (psql's printTable is the model).
 *
 *     struct kpr_print *p = kpr_print_begin(stdout, cols, KPR_ARRAY_SIZE(cols), &opts);
 *     kpr_print_row(p);  kpr_print_text(p, "131000");  kpr_print_money(p, 12345000);  ...
 *     rc = kpr_print_end(p);
 *
 * Cells are typed by their column.  Text and dates (YYYY-MM-DD) are strings; integers are int64;
 * money is whole yuan in an int64 (money.h), written exactly in CSV and JSON (万元 with 4
 * decimals, 亿元 with 8, 元 with none) and rounded for people in the table and Markdown (亿元 to
 * the column's decimals); a percent is an exact ratio num/den (0.788 is 78.8), written in every
 * form as a plain number of percent ("78.8", no sign) rounded half away from zero to the
 * column's decimals, as PostgreSQL's round() does.  A NULL cell is not an empty string: JSON
 * null, in CSV an empty field where an empty string is "", in the table and Markdown blank.
 *
 * The forms:
 *  - table: a heading line, a line of dashes, then the rows; columns separated by two spaces,
 *    widths from textwidth.h (Chinese counts two, whatever the locale), numbers right-aligned,
 *    text left, no line ends in spaces; cells and the title as kpr_text_escape() shows them
 *    (a TAB or line break one space, ESC "\x1b", a bidi control "\u202e": nothing reaches the
 *    terminal raw), measured in that form.  With opts.colour, opts.sgr colours a column's cells
 *    (widths measured without the colour escapes).
 *  - CSV (RFC 4180, but lines end in LF, as psql and COPY write them; Excel and LibreOffice read
 *    both): a heading line of column names, a field quoted when it holds a comma, a quote, CR or
 *    LF, or is an empty string; quotes doubled; a text or date cell that a spreadsheet would
 *    take for a formula with one apostrophe before it (sheetguard.h), a number never.
 *    Optionally a UTF-8 BOM first, for Excel.
 *  - JSON (RFC 8259): an array of objects keyed by column name, one object a line; numbers as
 *    written above, never through a double; strings escaped (quote, backslash, control
 *    characters), non-ASCII kept as UTF-8, an invalid UTF-8 byte as U+FFFD.
 *  - Markdown: a pipe table (numbers right-aligned); in a cell a line break is <br>, control
 *    and bidi characters are escaped as in the table, then '|' and '\' get a backslash.
 *
 * CSV, JSON and Markdown stream: a row is written when the next begins.  The table keeps its
 * rows until kpr_print_end, which measures the columns, or until kpr_print_page, which writes
 * them as one page measured on its own (after the heading for the first page only, as psql
 * does with FETCH_COUNT), so that a long table need not be held whole.
 */
#ifndef KPR_PRINT_H
#define KPR_PRINT_H

#include <stdio.h>

#include "kpr.h"
#include "money.h"

enum kpr_print_format { KPR_PRINT_TABLE, KPR_PRINT_CSV, KPR_PRINT_JSON, KPR_PRINT_MARKDOWN };

enum kpr_print_type {
	KPR_PRINT_TEXT,
	KPR_PRINT_INT,		/* int64 */
	KPR_PRINT_MONEY,	/* int64 yuan */
	KPR_PRINT_PERCENT,	/* the ratio num/den */
	KPR_PRINT_DATE		/* text, YYYY-MM-DD */
};

struct kpr_print_column {
	const char *name;	/* CSV heading and JSON key: the English contract, snake_case */
	const char *heading;	/* table and Markdown heading (translated); NULL: name */
	enum kpr_print_type type;
	enum kpr_unit unit;	/* money: the unit it is written in; KPR_UNIT_NONE is 万元 */
	int decimals;		/* money in 亿元: shown to people (0-8); percent: in every form (0-6) */
};

struct kpr_print_opts {
	enum kpr_print_format format;
	const char *title;	/* table and Markdown: a line above the table; NULL: none */
	const char *empty;	/* table and Markdown: printed instead of a table without rows
				   ("(none)"); NULL: the heading alone */
	bool bom;		/* CSV: begin with a UTF-8 byte order mark */
	const char *const *preamble;	/* CSV: rows of one field above the heading line (an
					   official list's title and units rows), NULL-terminated */
	bool colour;		/* table: colour cells as sgr says (see kpr_print_colour_wanted) */
	const char *const *sgr;	/* with colour: for each column an ANSI SGR colour ("34" blue) for
				   its cells that are neither empty nor "0", or NULL */
};

struct kpr_print;

/* Should a table written to out be coloured?  Only a terminal, and never with NO_COLOR set to
 * anything but the empty string (https://no-color.org). */
bool kpr_print_colour_wanted(FILE *out);

/* "table", "csv", "json", "md" → *format.  Returns false for any other name. */
bool kpr_print_format_parse(const char *name, enum kpr_print_format *format) KPR_WARN_UNUSED;

/*
 * Start printing to out.  The columns are copied; their strings and those of opts must live
 * until kpr_print_end.  Never fails (out of memory aborts, as everywhere in kpr); a write error
 * is reported by kpr_print_end.
 */
struct kpr_print *kpr_print_begin(FILE *out, const struct kpr_print_column *cols, size_t ncols,
				  const struct kpr_print_opts *opts);

/*
 * Start a row; its cells are then given left to right, each by the call for its column's type
 * (kpr_print_text for text and dates).  Cells not given are NULL.  A cell past the last column,
 * or of the wrong type, aborts (a programming error, not an input one).
 */
void kpr_print_row(struct kpr_print *p);
/* A text or date cell; NULL is a NULL cell. */
void kpr_print_text(struct kpr_print *p, const char *s);
void kpr_print_int(struct kpr_print *p, int64_t v);
void kpr_print_money(struct kpr_print *p, int64_t yuan);
/* The percent 100 * num / den; den 0 is a NULL cell (a rate without a base is no rate). */
void kpr_print_percent(struct kpr_print *p, int64_t num, int64_t den);
/* A NULL cell in a column of any type. */
void kpr_print_null(struct kpr_print *p);

/* The table: write the rows kept so far as a page and forget them.  The other forms: nothing
 * (they stream anyway). */
void kpr_print_page(struct kpr_print *p);

/*
 * Write what is left (the whole table, or the end of the stream) and free p.  Returns KPR_OK,
 * or KPR_EFILE when out is in error afterwards (nothing is printed about it: the caller names
 * the file).
 */
int kpr_print_end(struct kpr_print *p) KPR_WARN_UNUSED;

#endif
