/*
 * xlsxin.c: the rows of one sheet of an .xlsx workbook as records, streamed.
 *
 * The sheet's part is inflated KPR_CHUNK bytes at a time into expat; the parser is suspended
 * at each </row> that holds a value, so that one row at a time is in memory however large the
 * sheet.  A record's line is the row's number (r="12"), its fields the row's cells by column
 * (r="F12"), a missing cell an empty field; trailing empty cells and rows without a value are
 * left out.  A cell's text is what a CSV export shows: shared and inline strings as they are,
 * a formula by its saved value, a number rounded to 15 significant digits (xlnum.h), a
 * date-formatted number as YYYY-MM-DD, a boolean TRUE or FALSE.  An error value (#DIV/0!) or a
 * formula saved without its value is an error naming the cell.  Hidden rows and columns are
 * read, with one warning for each.
 */
#include "reader_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "encoding.h"
#include "log.h"
#include "xlnum.h"
#include "xlsxbook.h"

#define MAX_COLUMNS 16384	/* XFD, the last column Excel has */

enum cell_type { CELL_NUMBER, CELL_SHARED, CELL_INLINE, CELL_FORMULA_STR, CELL_BOOL, CELL_ERROR, CELL_DATE };

struct kpr_xlsxin {
	struct kpr_reader *r;
	zip_t *zip;
	struct kpr_xlsx_book book;
	zip_file_t *zf;
	XML_Parser p;
	char *buf;
	bool suspended, final, finished;
	bool failed;			/* a handler reported an error */
	bool row_ready;			/* a row with a value ended: hand it out */
	bool warned_rows, warned_cols;

	long row;			/* the row being read */
	bool row_hidden;
	long col;			/* the cell being read, from 0 */
	enum cell_type type;
	long style;
	bool in_v, in_is, in_t, has_f, has_v;
	int in_rph;
	struct kpr_strbuf val;		/* the cell's <v> or inline text */
	size_t nonempty;		/* fields of the row with a value */
};

/* An error in a handler: printed naming the cell, and the parser stopped. */
static void cell_error(struct kpr_xlsxin *x, const char *fmt, const char *arg)
{
	char ref[16], msg[256];
	if (x->failed)
		return;
	kpr_xl_cellref(x->col, x->row, ref);
	snprintf(msg, sizeof(msg), fmt, arg);
	if (!x->r->quiet)
		kpr_diag(x->r->name, x->row, ref, "%s", msg);
	x->r->status = KPR_EINPUT;
	x->failed = true;
	XML_StopParser(x->p, XML_FALSE);
}

static void warn_hidden_cols(struct kpr_xlsxin *x, const char **atts)
{
	const char *hidden = kpr_xml_attr(atts, "hidden"), *min = kpr_xml_attr(atts, "min");
	if (x->warned_cols || !hidden || (strcmp(hidden, "1") && strcmp(hidden, "true")) || !min)
		return;
	char ref[16];
	kpr_xl_cellref(atol(min) - 1, 1, ref);
	ref[strcspn(ref, "0123456789")] = '\0';
	if (!x->r->quiet)
		kpr_log_warning(_("%s: hidden columns are read as the others (the first is column %s)"), x->r->name, ref);
	x->warned_cols = true;
}

static void row_start(struct kpr_xlsxin *x, const char **atts)
{
	const char *r = kpr_xml_attr(atts, "r"), *hidden = kpr_xml_attr(atts, "hidden");
	long n = r ? atol(r) : x->row + 1;
	if (n <= x->row) {
		char what[32];
		snprintf(what, sizeof(what), "%ld", n);
		x->col = 0;
		cell_error(x, _("row %s is out of order"), what);
		return;
	}
	x->row = n;
	x->col = -1;
	x->nonempty = 0;
	kpr_reader_rec_reset(x->r);
	if (hidden && (strcmp(hidden, "1") == 0 || strcmp(hidden, "true") == 0) && !x->warned_rows) {
		if (!x->r->quiet)
			kpr_log_warning(_("%s: hidden rows are read as the others (the first is row %ld)"), x->r->name, n);
		x->warned_rows = true;
	}
}

static void cell_start(struct kpr_xlsxin *x, const char **atts)
{
	const char *ref = kpr_xml_attr(atts, "r"), *t = kpr_xml_attr(atts, "t"), *s = kpr_xml_attr(atts, "s");
	long col = ref ? kpr_xl_column(ref) : x->col + 1;

	x->type = CELL_NUMBER;
	if (t) {
		static const struct { const char *t; enum cell_type type; } types[] = {
			{ "n", CELL_NUMBER }, { "s", CELL_SHARED }, { "inlineStr", CELL_INLINE },
			{ "str", CELL_FORMULA_STR }, { "b", CELL_BOOL }, { "e", CELL_ERROR }, { "d", CELL_DATE },
		};
		size_t i = 0;
		while (i < KPR_ARRAY_SIZE(types) && strcmp(types[i].t, t) != 0)
			i++;
		if (i == KPR_ARRAY_SIZE(types)) {
			x->col = col < 0 ? 0 : col;
			cell_error(x, _("unknown cell type '%s'"), t);
			return;
		}
		x->type = types[i].type;
	}
	if (col < 0 || col >= MAX_COLUMNS || col <= x->col) {
		x->col = col < 0 ? 0 : col;
		cell_error(x, _("bad or repeated cell reference '%s'"), ref ? ref : "");
		return;
	}
	x->col = col;
	x->style = s ? atol(s) : 0;
	x->has_f = x->has_v = false;
	kpr_strbuf_reset(&x->val);
}

static void XMLCALL on_start(void *ud, const char *el, const char **atts)
{
	struct kpr_xlsxin *x = ud;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "c") == 0)
		cell_start(x, atts);
	else if (strcmp(name, "v") == 0)
		x->in_v = x->has_v = true;
	else if (strcmp(name, "f") == 0)
		x->has_f = true;
	else if (strcmp(name, "is") == 0)
		x->in_is = x->has_v = true;
	else if (strcmp(name, "t") == 0 && x->in_is && !x->in_rph)
		x->in_t = true;
	else if (strcmp(name, "rPh") == 0)
		x->in_rph++;
	else if (strcmp(name, "row") == 0)
		row_start(x, atts);
	else if (strcmp(name, "col") == 0)
		warn_hidden_cols(x, atts);
}

/* The cell's text as a CSV export would hold it, into x->val; NULL for an error (printed). */
static const char *cell_text(struct kpr_xlsxin *x)
{
	const char *v = x->val.buf ? x->val.buf : "";
	char out[KPR_XL_NUMBER_MAX];

	/* no <v>, or openpyxl's empty one; a formula's text may be empty (t="str") */
	if (x->has_f && (!x->has_v || (!*v && x->type != CELL_FORMULA_STR))) {
		cell_error(x, _("a formula without a saved value: open the workbook in Excel or LibreOffice "
				"and save it"), NULL);
		return NULL;
	}
	switch (x->type) {
	case CELL_SHARED: {
		char *end;
		errno = 0;
		unsigned long i = strtoul(v, &end, 10);
		const char *s = end != v && !*end && !errno ? kpr_xlsx_string(&x->book, i) : NULL;
		if (!s)
			cell_error(x, _("no shared string '%s'"), v);
		return s;
	}
	case CELL_BOOL:
		return !*v ? "" : strcmp(v, "0") == 0 ? "FALSE" : "TRUE";
	case CELL_ERROR:
		cell_error(x, _("the cell holds the error %s"), v);
		return NULL;
	case CELL_DATE:	/* ISO 8601, "2023-03-15T00:00:00": the day */
		if (x->val.len > 10)
			x->val.buf[x->val.len = 10] = '\0';
		return v;
	case CELL_NUMBER:
		if (!*v)
			return "";
		char *end;
		double d = strtod(v, &end);
		if (end == v || *end) {
			cell_error(x, _("not a number: '%s'"), v);
			return NULL;
		}
		if (!(kpr_xlsx_style_is_date(&x->book, x->style) && kpr_xl_date(d, x->book.date1904, out)))
			kpr_xl_number(d, out);
		kpr_strbuf_reset(&x->val);
		kpr_strbuf_adds(&x->val, out);
		return x->val.buf;
	default:	/* inline strings, a formula's text */
		return v;
	}
}

static void cell_end(struct kpr_xlsxin *x)
{
	const char *s = cell_text(x);
	if (!s)
		return;
	if (!*s)
		return;	/* an empty cell: a gap like a missing one */
	while (x->r->nfields < (size_t)x->col)
		kpr_reader_rec_add(x->r, NULL, 0, NULL, 0);
	kpr_reader_rec_add(x->r, NULL, 0, s, strlen(s));
	x->nonempty++;
}

static void XMLCALL on_end(void *ud, const char *el)
{
	struct kpr_xlsxin *x = ud;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "v") == 0) {
		x->in_v = false;
	} else if (strcmp(name, "t") == 0) {
		x->in_t = false;
	} else if (strcmp(name, "is") == 0) {
		x->in_is = false;
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph--;
	} else if (strcmp(name, "c") == 0) {
		if (!x->failed)
			cell_end(x);
	} else if (strcmp(name, "row") == 0 && x->nonempty && !x->failed) {
		x->row_ready = true;
		XML_StopParser(x->p, XML_TRUE);
	}
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct kpr_xlsxin *x = ud;
	if (x->in_v || x->in_t)
		kpr_strbuf_add(&x->val, s, (size_t)len);
}

/* --- opening: the archive, the workbook, the sheet ------------------------------------------ */

static zip_t *open_zip(struct kpr_reader *r)
{
	zip_error_t err;
	zip_source_t *src;
	zip_t *zip = NULL;

	zip_error_init(&err);
	if (r->mem) {
		src = zip_source_buffer_create(r->mem, r->mem_len, 0, &err);
	} else {
		int fd = dup(fileno(r->fp));
		src = fd < 0 ? NULL : zip_source_filep_create(fdopen(fd, "rb"), 0, -1, &err);
	}
	if (src && !(zip = zip_open_from_source(src, ZIP_RDONLY, &err)))
		zip_source_free(src);
	if (!zip && !r->quiet)
		kpr_log_error(_("%s: not a readable Excel workbook (%s)"), r->name, zip_error_strerror(&err));
	zip_error_fini(&err);
	return zip;
}

struct kpr_xlsxin *kpr_xlsxin_open(struct kpr_reader *r, const char *sheet, int *rc)
{
	struct kpr_xlsxin *x = kpr_xcalloc(1, sizeof(*x));
	size_t which;
	zip_stat_t st;

	x->r = r;
	*rc = KPR_EINPUT;
	if (!(x->zip = open_zip(r)) || kpr_xlsx_book_open(&x->book, x->zip, r->name) != KPR_OK)
		goto fail;
	char **names = kpr_xcalloc(x->book.nsheets, sizeof(char *));
	bool *hidden = kpr_xcalloc(x->book.nsheets, sizeof(bool));
	for (size_t i = 0; i < x->book.nsheets; i++) {
		names[i] = x->book.sheets[i].name;
		hidden[i] = x->book.sheets[i].hidden;
	}
	*rc = kpr_reader_pick_sheet(r, sheet, x->book.nsheets, names, hidden, &which);
	free(names);
	free(hidden);
	if (*rc != KPR_OK)
		goto fail;
	const char *part = x->book.sheets[which].part;
	if (!(x->zf = zip_fopen(x->zip, part, 0))) {
		kpr_log_error(_("%s: not an Excel workbook (the archive has no %s)"), r->name, part);
		*rc = KPR_EINPUT;
		goto fail;
	}
	zip_stat_init(&st);
	if (zip_stat(x->zip, part, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
		r->size = st.size;
	r->offset = 0;
	x->buf = kpr_xmalloc(KPR_CHUNK);
	x->p = XML_ParserCreate("UTF-8");
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	*rc = KPR_OK;
	return x;
fail:
	kpr_xlsxin_free(x);
	return NULL;
}

int kpr_xlsxin_next(struct kpr_reader *r, const struct kpr_record **rec)
{
	struct kpr_xlsxin *x = r->xlsx;
	enum XML_Status st;

	*rec = NULL;
	x->row_ready = false;
	while (!x->finished) {
		if (x->suspended) {
			st = XML_ResumeParser(x->p);
		} else {
			zip_int64_t n = zip_fread(x->zf, x->buf, KPR_CHUNK);
			if (n < 0) {
				if (!r->quiet)
					kpr_log_error(_("%s: cannot read the sheet: %s"), r->name, zip_file_strerror(x->zf));
				return r->status = KPR_EINPUT;
			}
			r->offset += (uint64_t)n;
			x->final = n == 0;
			st = XML_Parse(x->p, x->buf, (int)n, x->final);
		}
		if (st == XML_STATUS_ERROR) {
			if (x->failed)
				return r->status;
			return kpr_reader_error(r, (long)XML_GetCurrentLineNumber(x->p), 0,
						_("the sheet is not well-formed XML: %s"),
						XML_ErrorString(XML_GetErrorCode(x->p)));
		}
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (!x->suspended && x->final)
			x->finished = true;
		if (x->row_ready) {
			/* trailing empty cells were never added: the record ends at the last value */
			*rec = kpr_reader_rec_finish(r, x->row, false);
			return KPR_OK;
		}
	}
	return KPR_OK;
}

void kpr_xlsxin_free(struct kpr_xlsxin *x)
{
	if (!x)
		return;
	if (x->p)
		XML_ParserFree(x->p);
	if (x->zf)
		zip_fclose(x->zf);
	kpr_xlsx_book_release(&x->book);
	if (x->zip)
		zip_discard(x->zip);
	kpr_strbuf_release(&x->val);
	free(x->buf);
	free(x);
}
