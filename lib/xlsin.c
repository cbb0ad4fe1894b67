/*
 * xlsin.c: the rows of one sheet of an .xls workbook (BIFF8, Excel 97-2003) as records, with
 * libfreexl.
 *
 * libfreexl reads the whole workbook at open and then answers cell by cell: a value's type
 * (empty, integer, double, text, date, date-time, time) and the sheets' names.  That is all it
 * gives: no merged cells, hidden rows or columns, nor number formats beyond what makes a date
 * (docs/formats.md).  Version 1.0.6 also leaves formula cells, booleans and error values empty:
 * xlsbiff.c reads those (and which sheets are hidden) from the file's BIFF records, and they are
 * laid over libfreexl's empty cells; an error value is an error naming its cell, as in .xlsx.  A record's line is the row's number from 1; its fields the cells' texts
 * as in xlsxin.c (numbers to 15 significant digits, dates YYYY-MM-DD); rows without a value are
 * left out, as are trailing empty cells.  libfreexl opens a path only: a workbook in memory or
 * from stdin goes through a temporary file.
 */
#include "reader_impl.h"

#include <errno.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"
#include "xlnum.h"
#include "xlsbiff.h"

struct kpr_xlsin {
	const void *handle;
	unsigned rows;
	unsigned short cols;
	unsigned next_row;		/* from 0 */
	struct kpr_biff biff;		/* what libfreexl does not read */
	bool have_biff;
	size_t next_cell;		/* the next of biff.cells to lay over */
};

/* The whole file, for xlsbiff.c: r->mem, or r->fp read again.  NULL when it cannot be read. */
static unsigned char *whole_file(struct kpr_reader *r, size_t *len, bool *owned)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char buf[65536];
	size_t n;

	*owned = false;
	if (r->mem) {
		*len = r->mem_len;
		return (unsigned char *)r->mem;
	}
	if (!r->fp || fseek(r->fp, 0, SEEK_SET) != 0)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), r->fp)) > 0)
		kpr_strbuf_add(&sb, buf, n);
	if (ferror(r->fp) || !sb.buf) {
		kpr_strbuf_release(&sb);
		return NULL;
	}
	*len = sb.len;
	*owned = true;
	return (unsigned char *)kpr_strbuf_detach(&sb);
}

/* Write the workbook in memory to a temporary file for libfreexl; its path to free(), or NULL. */
static char *spill(struct kpr_reader *r)
{
	const char *dir = getenv("TMPDIR");
	struct kpr_strbuf path = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&path, "%s/kpr-xls-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path.buf);
	bool ok = fd >= 0;
	for (size_t done = 0; ok && done < r->mem_len;) {
		ssize_t n = write(fd, r->mem + done, r->mem_len - done);
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok) {
		kpr_log_error(_("cannot write a temporary copy of '%s': %s"), r->name, strerror(errno));
		if (fd >= 0)
			unlink(path.buf);
		kpr_strbuf_release(&path);
		return NULL;
	}
	return kpr_strbuf_detach(&path);
}

static int open_error(struct kpr_reader *r, int err)
{
	if (r->quiet)
		return KPR_EINPUT;
	if (err == FREEXL_BIFF_WORKBOOK_NOT_FOUND || err == FREEXL_CFBF_INVALID_SIGNATURE)
		kpr_log_error(_("%s: not an Excel 97-2003 workbook (an OLE2 file without a workbook stream)"), r->name);
	else
		kpr_log_error(_("%s: not a readable Excel 97-2003 workbook (libfreexl error %d)"), r->name, err);
	return KPR_EINPUT;
}

static int pick(struct kpr_reader *r, struct kpr_xlsin *x, const char *sheet)
{
	unsigned n = 0;
	size_t which;
	int rc;

	if (freexl_get_info(x->handle, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK || n == 0) {
		if (!r->quiet)
			kpr_log_error(_("%s: the workbook has no sheets"), r->name);
		return KPR_EINPUT;
	}
	char **names = kpr_xcalloc(n, sizeof(char *));
	bool *hidden = kpr_xcalloc(n, sizeof(bool));	/* libfreexl does not say; the BIFF records do */
	if (x->have_biff && x->biff.nsheets == n)
		memcpy(hidden, x->biff.hidden, n * sizeof(bool));
	else
		x->have_biff = false;
	for (unsigned i = 0; i < n; i++) {
		const char *name = NULL;
		names[i] = (char *)(freexl_get_worksheet_name(x->handle, (unsigned short)i, &name) == FREEXL_OK && name
				    ? name : "");
	}
	rc = kpr_reader_pick_sheet(r, sheet, n, names, hidden, &which);
	free(names);
	free(hidden);
	if (rc != KPR_OK)
		return rc;
	if (freexl_select_active_worksheet(x->handle, (unsigned short)which) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->handle, &x->rows, &x->cols) != FREEXL_OK)
		return open_error(r, FREEXL_BIFF_ILLEGAL_SHEET_INDEX);
	if (x->have_biff && !kpr_biff_sheet(&x->biff, which))
		x->have_biff = false;
	if (!x->have_biff && !r->quiet)
		kpr_log_warning(_("%s: cannot read this .xls's formula cells and booleans: they read as empty "
				  "(save the workbook as .xlsx)"), r->name);
	return KPR_OK;
}

struct kpr_xlsin *kpr_xlsin_open(struct kpr_reader *r, const char *sheet, int *rc)
{
	struct kpr_xlsin *x = kpr_xcalloc(1, sizeof(*x));
	char *tmp = r->mem ? spill(r) : NULL;
	unsigned password = 0;

	*rc = KPR_EFILE;
	if (r->mem && !tmp)
		goto fail;
	int err = freexl_open(tmp ? tmp : r->name, &x->handle);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (err != FREEXL_OK) {
		x->handle = NULL;
		*rc = open_error(r, err);
		goto fail;
	}
	if (freexl_get_info(x->handle, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK &&
	    password == FREEXL_BIFF_OBFUSCATED) {
		if (!r->quiet)
			kpr_log_error(_("%s: this workbook is password-protected; save it without a password"), r->name);
		*rc = KPR_EINPUT;
		goto fail;
	}
	size_t len;
	bool owned;
	unsigned char *file = whole_file(r, &len, &owned);
	x->have_biff = file && kpr_biff_open(&x->biff, file, len);
	if (owned)
		free(file);
	if ((*rc = pick(r, x, sheet)) != KPR_OK)
		goto fail;
	r->size = x->rows;	/* progress in rows */
	r->offset = 0;
	return x;
fail:
	kpr_xlsin_free(x);
	return NULL;
}

/* A cell's text into buf (or pointing into libfreexl's), "" when empty. */
static const char *cell_text(const FreeXL_CellValue *v, char buf[KPR_XL_NUMBER_MAX])
{
	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(buf, KPR_XL_NUMBER_MAX, "%d", v->value.int_value);
		return buf;
	case FREEXL_CELL_DOUBLE:
		kpr_xl_number(v->value.double_value, buf);
		return buf;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:	/* "2023-03-15 10:30:00": the day */
		snprintf(buf, KPR_XL_NUMBER_MAX, "%.10s", v->value.text_value ? v->value.text_value : "");
		return buf;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_TIME:
		return v->value.text_value ? v->value.text_value : "";
	default:
		return "";
	}
}

/* The text of row, col: libfreexl's, else a value it left empty (xlsbiff.c); NULL for an error
 * value (printed). */
static const char *cell_at(struct kpr_reader *r, struct kpr_xlsin *x, unsigned row, unsigned col, const char *s)
{
	const struct kpr_biff_cell *c = NULL;
	while (x->have_biff && x->next_cell < x->biff.ncells &&
	       (x->biff.cells[x->next_cell].row < row ||
		(x->biff.cells[x->next_cell].row == row && x->biff.cells[x->next_cell].col < col)))
		x->next_cell++;
	if (x->have_biff && x->next_cell < x->biff.ncells && x->biff.cells[x->next_cell].row == row &&
	    x->biff.cells[x->next_cell].col == col)
		c = &x->biff.cells[x->next_cell];
	if (*s || !c)
		return s;
	if (c->error) {
		char ref[16];
		kpr_xl_cellref((long)col, (long)row + 1, ref);
		if (!r->quiet)
			kpr_diag(r->name, (long)row + 1, ref, _("the cell holds the error %s"), x->biff.text.buf + c->text);
		r->status = KPR_EINPUT;
		return NULL;
	}
	return x->biff.text.buf + c->text;
}

int kpr_xlsin_next(struct kpr_reader *r, const struct kpr_record **rec)
{
	struct kpr_xlsin *x = r->xls;
	char buf[KPR_XL_NUMBER_MAX];

	*rec = NULL;
	while (x->next_row < x->rows) {
		unsigned row = x->next_row++;
		bool any = false;
		kpr_reader_rec_reset(r);
		for (unsigned short c = 0; c < x->cols; c++) {
			FreeXL_CellValue v;
			if (freexl_get_cell_value(x->handle, row, c, &v) != FREEXL_OK)
				return kpr_reader_error(r, (long)row + 1, (long)c + 1, _("cannot read the cell"));
			const char *s = cell_at(r, x, row, c, cell_text(&v, buf));
			if (!s)
				return r->status;
			if (!*s)
				continue;
			while (r->nfields < c)
				kpr_reader_rec_add(r, NULL, 0, NULL, 0);
			kpr_reader_rec_add(r, NULL, 0, s, strlen(s));
			any = true;
		}
		r->offset = row + 1;
		if (any) {
			*rec = kpr_reader_rec_finish(r, (long)row + 1, false);
			return KPR_OK;
		}
	}
	return KPR_OK;
}

void kpr_xlsin_free(struct kpr_xlsin *x)
{
	if (!x)
		return;
	if (x->handle)
		freexl_close(x->handle);
	kpr_biff_release(&x->biff);
	free(x);
}
