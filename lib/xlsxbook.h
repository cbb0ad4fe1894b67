/*
 * xlsxbook.h: what an .xlsx workbook says about its sheets, read before any row: the sheets
 * (names, hidden, their parts), the date system, which cell styles are dates, and the shared
 * strings.  Used by xlsxin.c, which streams the rows of one sheet; not for other callers.
 *
 *     struct kpr_xlsx_book b;
 *     if ((rc = kpr_xlsx_book_open(&b, zip, "plan.xlsx")) == KPR_OK) ... b.sheets[i].part ...
 *     kpr_xlsx_book_release(&b);
 *
 * Every part is parsed as a stream (expat).  The shared strings are held in memory, one
 * buffer and an offset each; their count as the part claims it is checked against the part's
 * size before anything is allocated, and the table then grows only with the strings read.
 * Errors are printed (kpr: error: FILE: message) and returned as KPR_EINPUT.
 */
#ifndef KPR_XLSXBOOK_H
#define KPR_XLSXBOOK_H

#include <expat.h>
#include <zip.h>

#include "kpr.h"
#include "strbuf.h"

struct kpr_xlsx_sheet {
	char *name;
	char *part;		/* its member in the archive, "xl/worksheets/sheet1.xml" */
	bool hidden;		/* state hidden or veryHidden */
	char *rid;		/* its relationship id in the workbook */
};

struct kpr_xlsx_book {
	zip_t *zip;
	const char *name;	/* the file, for messages */
	bool date1904;
	size_t nsheets;
	struct kpr_xlsx_sheet *sheets;
	char *sst_part, *styles_part;
	/* the shared strings: string i is text.buf + off[i] */
	struct kpr_strbuf text;
	size_t *off, nstrings, alloc;
	/* the cell styles (cellXfs), each a date or not */
	bool *xf_date;
	size_t nxf;
};

/* Read the workbook's sheets, relationships, styles and shared strings; the zip stays the caller's. */
int kpr_xlsx_book_open(struct kpr_xlsx_book *b, zip_t *zip, const char *name) KPR_WARN_UNUSED;
void kpr_xlsx_book_release(struct kpr_xlsx_book *b);

/* Shared string i, or NULL when there is none such. */
const char *kpr_xlsx_string(const struct kpr_xlsx_book *b, size_t i);
/* Is cell style s (the s="" of a cell) a date format? */
bool kpr_xlsx_style_is_date(const struct kpr_xlsx_book *b, long s);

/* An element's name without its namespace prefix ("x:row" -> "row"); an attribute's value by
 * its local name, or NULL. */
const char *kpr_xml_local(const char *name);
const char *kpr_xml_attr(const char **atts, const char *local);

#endif
