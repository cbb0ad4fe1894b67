/*
 * reader_impl.h: what reader.c shares with the format parsers csvin.c and yamlin.c.  Not for
 * callers of reader.h.
 *
 *     while (r->seg_len == 0 && (rc = kpr_reader_fill(r)) > 0) ...
 *     feed r->seg[0..n) to the parser; kpr_reader_consume(r, n); r->line += breaks in it;
 *
 * reader.c owns the source (file, stdin, memory), the SHA-256, the decoder and the record; a
 * parser turns the decoded UTF-8 into records and keeps r->line, the physical line of the next
 * byte it will take, so that an encoding error can name its line.
 */
#ifndef KPR_READER_IMPL_H
#define KPR_READER_IMPL_H

#include "reader.h"

#include <stdio.h>

#include "strbuf.h"

struct kpr_decoder;
struct kpr_csvin;
struct kpr_yamlin;
struct kpr_xlsxin;
struct kpr_xlsin;
struct evp_md_ctx_st;		/* OpenSSL's EVP_MD_CTX */

struct kpr_reader {
	char *name;
	enum kpr_format format;
	bool quiet;			/* the GB18030 trial: no messages */
	bool done;			/* the end or an error has been returned */
	int status;			/* the error, once there is one */

	/* the source, read KPR_CHUNK bytes at a time into the decoder's buffer */
	FILE *fp;
	bool close_fp;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	bool eof;
	uint64_t offset, size;
	struct evp_md_ctx_st *sha;
	char checksum[65];

	/* decoded UTF-8 not yet taken by the parser */
	struct kpr_decoder *dec;
	const char *seg;
	size_t seg_len;
	long line;

	struct kpr_csvin *csv;
	struct kpr_yamlin *yaml;
	struct kpr_xlsxin *xlsx;
	struct kpr_xlsin *xls;
	unsigned char *owned;		/* a workbook read from stdin, whole (r->mem points here) */
	struct kpr_record rec;

	/* the record's storage, reused from one record to the next */
	struct kpr_strbuf arena;	/* NUL-terminated texts */
	size_t *offs;			/* each field's offset in arena; SIZE_MAX for NULL */
	size_t *key_offs;		/* YAML: each key's */
	size_t nfields, alloc;
	char **fields, **keys;		/* handed out in rec, sized alloc */
};

/*
 * Make decoded input available in r->seg, r->seg_len.  Returns 1, 0 at the end of the input,
 * -1 on an encoding or read error (printed; r->status set).
 */
int kpr_reader_fill(struct kpr_reader *r);

static inline void kpr_reader_consume(struct kpr_reader *r, size_t n)
{
	r->seg += n;
	r->seg_len -= n;
}

/* Print FILE:LINE[:COL]: message (nothing in quiet mode); set and return KPR_EINPUT. */
int kpr_reader_error(struct kpr_reader *r, long line, long col, const char *fmt, ...) KPR_PRINTF(4, 5);

/* The record under construction: start afresh, add a field (NULL or empty: a NULL field). */
void kpr_reader_rec_reset(struct kpr_reader *r);
void kpr_reader_rec_add(struct kpr_reader *r, const char *key, size_t keylen, const char *s, size_t len);
/* Point r->rec at the fields added, starting on line. */
const struct kpr_record *kpr_reader_rec_finish(struct kpr_reader *r, long line, bool with_keys);

/* The parsers.  next() returns KPR_OK with *rec (NULL at the end) or the error, printed. */
struct kpr_csvin *kpr_csvin_new(struct kpr_reader *r);
int kpr_csvin_next(struct kpr_reader *r, const struct kpr_record **rec);
void kpr_csvin_free(struct kpr_csvin *c);

struct kpr_yamlin *kpr_yamlin_new(struct kpr_reader *r);
int kpr_yamlin_next(struct kpr_reader *r, const struct kpr_record **rec);
void kpr_yamlin_free(struct kpr_yamlin *y);

/*
 * The workbook parsers (xlsxin.c, xlsin.c) read the whole source themselves (r->fp, a regular
 * file, or r->mem); open picks the sheet (sheet: a name, a 1-based number, or NULL for the
 * first visible one) and names the reader FILE:SHEET.  NULL and *rc the error, printed.
 */
struct kpr_xlsxin *kpr_xlsxin_open(struct kpr_reader *r, const char *sheet, int *rc);
int kpr_xlsxin_next(struct kpr_reader *r, const struct kpr_record **rec);
void kpr_xlsxin_free(struct kpr_xlsxin *x);

struct kpr_xlsin *kpr_xlsin_open(struct kpr_reader *r, const char *sheet, int *rc);
int kpr_xlsin_next(struct kpr_reader *r, const struct kpr_record **rec);
void kpr_xlsin_free(struct kpr_xlsin *x);

/*
 * Which of a workbook's n sheets to read: by name, else by 1-based number; NULL the first not
 * hidden.  A sheet not there is an error naming those there are (printed, KPR_EINPUT).  On
 * success the reader is renamed FILE:SHEET, as messages then call it.
 */
int kpr_reader_pick_sheet(struct kpr_reader *r, const char *sheet, size_t n, char *const *names,
			  const bool *hidden, size_t *which) KPR_WARN_UNUSED;

#endif
