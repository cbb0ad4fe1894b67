/*
 * csvin.c: CSV records with libcsv, each with the physical line it starts on.
 *
 * libcsv does not count lines, so it is fed one physical line at a time (a line ends at \n,
 * \r\n or a lone \r, as libcsv's own terminators do): before the first byte of a line, a parser
 * in its row-not-begun state means the next record starts on this line.  Blank lines leave the
 * parser in that state, so they are skipped yet counted; a quoted field holding line breaks
 * keeps the parser inside the record, so the record keeps the line it started on.  Feeding
 * whole lines also means each csv_parse() call completes at most one record, which is all
 * kpr_reader_next() hands out: the callbacks never need to stop the parser.
 *
 * libcsv drops spaces and tabs around unquoted fields; an empty field, quoted or not, is NULL.
 */
#include "reader_impl.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* libcsv's parser states (libcsv.c); only ROW_NOT_BEGUN is relied on for line numbers */
enum { ROW_NOT_BEGUN = 0, FIELD_NOT_BEGUN = 1, FIELD_BEGUN = 2, FIELD_MIGHT_HAVE_ENDED = 3 };

struct kpr_csvin {
	struct kpr_reader *r;
	struct csv_parser p;
	bool at_line_start;		/* the next byte fed begins a physical line */
	bool pending_cr;		/* a \r ended the last piece: a \n may follow in the next */
	bool row_done;			/* set by on_row() */
	bool finished;			/* csv_fini() has run */
	long rec_line;			/* where the record being parsed started */
	/* where the next \n and \r are in the current piece of input (NULL: none left) */
	bool fresh, lf_known, cr_known;
	const char *next_lf, *next_cr;
};

static void on_field(void *s, size_t len, void *data)
{
	struct kpr_csvin *c = data;
	kpr_reader_rec_add(c->r, NULL, 0, s, len);
}

static void on_row(int term, void *data)
{
	struct kpr_csvin *c = data;
	(void)term;
	c->row_done = true;
}

struct kpr_csvin *kpr_csvin_new(struct kpr_reader *r)
{
	struct kpr_csvin *c = kpr_xcalloc(1, sizeof(*c));
	c->r = r;
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		abort();	/* only fails for a NULL parser */
	csv_set_realloc_func(&c->p, kpr_xrealloc);
	csv_set_blk_size(&c->p, 256);
	c->at_line_start = true;
	c->rec_line = 1;
	return c;
}

void kpr_csvin_free(struct kpr_csvin *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	free(c);
}

/*
 * The end of the physical line starting at s: its \n or \r, or NULL when the piece of input ends
 * first.  The positions found are kept, so a file with only \n (or only \r) is scanned once.
 */
static const char *find_eol(struct kpr_csvin *c, const char *s, const char *end)
{
	if (c->fresh) {
		c->fresh = false;
		c->lf_known = c->cr_known = false;
	}
	if (!c->lf_known || (c->next_lf && c->next_lf < s)) {
		c->next_lf = memchr(s, '\n', (size_t)(end - s));
		c->lf_known = true;
	}
	if (!c->cr_known || (c->next_cr && c->next_cr < s)) {
		c->next_cr = memchr(s, '\r', (size_t)(end - s));
		c->cr_known = true;
	}
	if (!c->next_lf)
		return c->next_cr;
	if (!c->next_cr)
		return c->next_lf;
	return c->next_lf < c->next_cr ? c->next_lf : c->next_cr;
}

/* Feed s[0..n) to libcsv.  Returns KPR_OK or the parse error, printed. */
static int feed(struct kpr_reader *r, struct kpr_csvin *c, const char *s, size_t n)
{
	int pstate;
	size_t fed = csv_parse(&c->p, s, n, on_field, on_row, c);

	if (fed == n)
		return KPR_OK;
	if (csv_error(&c->p) != CSV_EPARSE)
		return kpr_reader_error(r, r->line, 0, _("field too large: %s"), csv_strerror(csv_error(&c->p)));
	pstate = c->p.pstate;
	if (pstate == FIELD_MIGHT_HAVE_ENDED)
		return kpr_reader_error(r, r->line, 0,
					_("unexpected text after the closing quote of field %zu"),
					r->nfields + 1);
	return kpr_reader_error(r, r->line, 0,
				_("quote in unquoted field %zu (quote the whole field and double its quotes)"),
				r->nfields + 1);
}

int kpr_csvin_next(struct kpr_reader *r, const struct kpr_record **rec)
{
	struct kpr_csvin *c = r->csv;
	int rc;

	*rec = NULL;
	if (c->finished)
		return KPR_OK;
	kpr_reader_rec_reset(r);
	c->row_done = false;
	for (;;) {
		if (r->seg_len == 0) {
			rc = kpr_reader_fill(r);
			if (rc < 0)
				return r->status;
			if (rc == 0)
				break;
			c->fresh = true;
		}
		const char *s = r->seg, *end = s + r->seg_len;
		if (c->pending_cr) {
			c->pending_cr = false;
			if (*s == '\n') {
				/* the rest of a \r\n cut by the end of the last piece */
				if ((rc = feed(r, c, s, 1)) != KPR_OK)
					return rc;
				kpr_reader_consume(r, 1);
				continue;
			}
		}
		if (c->at_line_start) {
			if (c->p.pstate == ROW_NOT_BEGUN)
				c->rec_line = r->line;
			c->at_line_start = false;
		}
		const char *eol = find_eol(c, s, end);
		if (!eol) {
			if ((rc = feed(r, c, s, (size_t)(end - s))) != KPR_OK)
				return rc;
			kpr_reader_consume(r, (size_t)(end - s));
			continue;
		}
		if (*eol == '\r') {
			if (eol + 1 == end)
				c->pending_cr = true;
			else if (eol[1] == '\n')
				eol++;
		}
		size_t n = (size_t)(eol + 1 - s);
		if ((rc = feed(r, c, s, n)) != KPR_OK)
			return rc;
		kpr_reader_consume(r, n);
		r->line++;
		c->at_line_start = true;
		if (c->row_done) {
			*rec = kpr_reader_rec_finish(r, c->rec_line, false);
			return KPR_OK;
		}
	}

	/* the end of the input: a last record without a line break, or an open quote */
	c->finished = true;
	if (csv_fini(&c->p, on_field, on_row, c) != 0)
		return kpr_reader_error(r, c->rec_line, 0, _("unterminated quoted field"));
	if (c->row_done)
		*rec = kpr_reader_rec_finish(r, c->rec_line, false);
	return KPR_OK;
}
