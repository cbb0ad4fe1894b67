/*
 * xlsx.h: kpr's workbooks (XLSX) through libxlsxwriter: a workbook written to a path, the
 * formats kpr's sheets use, a table (struct kpr_batch_table) written as a sheet with typed
 * columns under a frozen header, column widths from the text's display width (libxlsxwriter
 * 1.1.4 has no autofit, and no output to memory: a workbook is always a file), and its errors
 * as kpr messages naming the file.
 *
 *     struct kpr_xlsx *x = kpr_xlsx_open(tmp, "report.xlsx");
 *     struct kpr_xlsx_sheet *s = kpr_xlsx_add_sheet(x, "汇总");
 *     row = kpr_xlsx_table(s, 0, &t, cols, ncols, 0);
 *     rc = kpr_xlsx_close(x);                         // KPR_OK, or KPR_EFILE (printed)
 *
 * Cells come as the text kpr's queries give (money.h's whole yuan, decimal text): a number is
 * converted to a double only at the cell, from its exact decimal text, since a spreadsheet
 * holds doubles.  A NULL cell is an empty cell (never 0).
 */
#ifndef KPR_XLSX_H
#define KPR_XLSX_H

#include <xlsxwriter.h>

#include "batch.h"
#include "kpr.h"

/* What a cell holds, and how it is shown */
enum kpr_xlsx_type {
	KPR_XLSX_TEXT,		/* text */
	KPR_XLSX_INT,		/* an integer ("486"), shown 0 */
	KPR_XLSX_YI,		/* whole yuan ("51230000000"), stored and shown in 亿元: 0.0 */
	KPR_XLSX_WAN,		/* whole yuan, stored and shown in 万元: #,##0.0000 */
	KPR_XLSX_PERCENT,	/* a percentage as decimal text ("78.8"), stored as the fraction 0.788: 0.0% */
	KPR_XLSX_POINTS,	/* percentage points as decimal text ("-3.8"), stored as is: +0.0;-0.0;0.0 */
	KPR_XLSX_DECIMAL,	/* a decimal text ("35.0"), stored as is: 0.0 */
	KPR_XLSX_TYPES
};

/* A column of a table sheet: its heading, its type, and which column of the table it shows */
struct kpr_xlsx_column {
	const char *heading;
	enum kpr_xlsx_type type;
	int source;
};

/* Column widths are tracked for this many columns a sheet */
#define KPR_XLSX_MAX_COLS 32

struct kpr_xlsx;

struct kpr_xlsx_sheet {
	struct kpr_xlsx *book;
	lxw_worksheet *ws;
	double width[KPR_XLSX_MAX_COLS];	/* the widest cell's display width, per column */
	double fixed[KPR_XLSX_MAX_COLS];	/* a width set with kpr_xlsx_width(), else 0 */
};

/*
 * A new workbook to be written to path when closed; name is the file that messages name (the
 * file the user asked for, when path is a temporary file).  Never NULL: a failure is kept and
 * reported by kpr_xlsx_close().
 */
struct kpr_xlsx *kpr_xlsx_open(const char *path, const char *name);

/* A new sheet named name (at most 31 characters, none of []:*?/\); NULL on error (kept). */
struct kpr_xlsx_sheet *kpr_xlsx_add_sheet(struct kpr_xlsx *x, const char *name);

/* The workbook, for what this layer does not wrap (a chart); and keep err, libxlsxwriter's
 * result, to be reported by kpr_xlsx_close() when it is the first error */
lxw_workbook *kpr_xlsx_workbook(struct kpr_xlsx *x);
void kpr_xlsx_keep(struct kpr_xlsx *x, lxw_error err);

/* The workbook's formats: a cell's (bold: the total row's), the header's, the title's */
lxw_format *kpr_xlsx_format(struct kpr_xlsx *x, enum kpr_xlsx_type type, bool bold);
lxw_format *kpr_xlsx_header_format(struct kpr_xlsx *x);

/* A text cell (never a formula), with the apostrophe of sheetguard.h before a text a
 * spreadsheet would take for one: every text cell kpr writes to a workbook goes through here. */
lxw_error kpr_xlsx_write_text(lxw_worksheet *ws, int row, int col, const char *text, lxw_format *f);

/* One cell from text of type type (NULL: an empty cell with the column's format); its width
 * counts towards the column's.  Text as kpr_xlsx_write_text() writes it. */
void kpr_xlsx_cell(struct kpr_xlsx_sheet *s, int row, int col, enum kpr_xlsx_type type, const char *text,
		   bool bold);

/* Long text (a sentence, a note) in a cell that wraps it within its column's width (set it
 * first), which it does not widen, its row as high as its lines; and a column's width set,
 * whatever its cells */
void kpr_xlsx_paragraph(struct kpr_xlsx_sheet *s, int row, int col, const char *text);
void kpr_xlsx_width(struct kpr_xlsx_sheet *s, int col, double width);

/* A title over columns 0 to ncols - 1 of row (merged, bold, larger); its width does not count. */
void kpr_xlsx_title(struct kpr_xlsx_sheet *s, int row, int ncols, const char *text);

/*
 * Table t as rows of s from row: the header (frozen: it and the rows above it stay in view,
 * and the first freeze_cols columns), then a row a table row, cols[c] in column c; the last
 * row bold when bold_last.  Returns the row after the table.
 */
int kpr_xlsx_table(struct kpr_xlsx_sheet *s, int row, const struct kpr_batch_table *t,
		   const struct kpr_xlsx_column *cols, int ncols, int freeze_cols, bool bold_last);

/* The decimal text s ("-12.3400") divided by 10^shift, as the double nearest it. */
double kpr_xlsx_number(const char *s, int shift);

/*
 * Set the columns' widths, write the file and free x.  Returns KPR_OK, or KPR_EFILE after
 * printing "cannot write 'NAME': why" (the first error met, libxlsxwriter's words).
 */
int kpr_xlsx_close(struct kpr_xlsx *x) KPR_WARN_UNUSED;

#endif
