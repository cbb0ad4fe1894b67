/*
 * xlsbiff.h: what libfreexl 1.0.6 does not read in an .xls workbook: the saved values of formula
 * cells, booleans and error values, and whether each sheet is hidden.  xlsin.c lays these over
 * libfreexl's cells, which come back empty for them.
 *
 *     struct kpr_biff b;
 *     if (kpr_biff_open(&b, file, len)) { kpr_biff_sheet(&b, 0); ... b.cells[i] ... }
 *     kpr_biff_release(&b);
 *
 * The file is an OLE2 compound file (CFB) whose Workbook stream holds BIFF8 records: BOUNDSHEET
 * (name, hidden, where the sheet begins), XF and FORMAT (which cells are dates), DATEMODE (1904),
 * and in each sheet FORMULA (with its saved number, or a STRING record after it for a text,
 * or a boolean, an error, an empty text), and BOOLERR.  Every read is bounds-checked: a damaged
 * file gives false, never a crash.
 */
#ifndef KPR_XLSBIFF_H
#define KPR_XLSBIFF_H

#include "kpr.h"
#include "strbuf.h"

struct kpr_biff_cell {
	unsigned row;			/* from 0 */
	unsigned col;
	bool error;			/* an error value: text is its name (#DIV/0!) */
	size_t text;			/* offset in kpr_biff.text */
};

struct kpr_biff {
	unsigned char *stream;		/* the Workbook stream */
	size_t len;
	size_t nsheets;
	bool *hidden;			/* each sheet's */
	uint32_t *sheet_at;		/* each sheet's BOF in the stream */
	bool date1904;
	unsigned *xf_fmt;		/* each XF's number format id */
	size_t nxf;
	unsigned *date_fmts;		/* custom format ids that are dates */
	size_t ndate_fmts;
	/* the selected sheet's cells that libfreexl leaves empty, by row then column */
	struct kpr_biff_cell *cells;
	size_t ncells;
	struct kpr_strbuf text;
};

/* Read the workbook's globals; false when the file is not an OLE2 file holding BIFF8. */
bool kpr_biff_open(struct kpr_biff *b, const unsigned char *file, size_t len);
/* Collect sheet i's formula, boolean and error cells, sorted; false when it cannot be read. */
bool kpr_biff_sheet(struct kpr_biff *b, size_t i);
void kpr_biff_release(struct kpr_biff *b);

#endif
