/*
 * spool.h: rows in COPY text format, sent to an open COPY as they come, or kept aside (in a
 * buffer that spills to a temporary file, so memory stays flat) until the COPY that takes
 * them can run.  An import's connection carries one COPY at a time: the rows for the others
 * wait here.
 *
 *     struct kpr_spool sp = KPR_SPOOL_INIT;
 *     kpr_spool_add_text(kpr_spool_row(&sp), code);  ...  rc = kpr_spool_flush(&sp, false);
 *     rc = kpr_spool_copy(conn, "COPY t FROM STDIN", &sp);  kpr_spool_release(&sp);
 */
#ifndef KPR_SPOOL_H
#define KPR_SPOOL_H

#include <libpq-fe.h>
#include <stdio.h>

#include "kpr.h"
#include "money.h"
#include "strbuf.h"

/* COPY messages of 32 KiB: smaller, and the server waits on kpr (docs/benchmarks.md) */
#define KPR_SPOOL_CHUNK (32 * 1024)

struct kpr_spool {
	FILE *f;			/* the temporary file, made on first use */
	struct kpr_strbuf buf;
	long rows;
	PGconn *stream;			/* when set, the rows go to this connection's open COPY */
};

#define KPR_SPOOL_INIT { NULL, KPR_STRBUF_INIT, 0, NULL }

/* Count a row and return the buffer to write it to (fields, then its newline). */
static inline struct kpr_strbuf *kpr_spool_row(struct kpr_spool *sp)
{
	sp->rows++;
	return &sp->buf;
}

/* Send or write out the buffer (see kpr_spool_flush()); KPR_EFILE or the COPY's error, printed. */
int kpr_spool_write(struct kpr_spool *sp) KPR_WARN_UNUSED;

/* After a row: send or write the buffer out once it is big (always, with force). */
static inline int kpr_spool_flush(struct kpr_spool *sp, bool force)
{
	return force || sp->buf.len >= KPR_SPOOL_CHUNK ? kpr_spool_write(sp) : KPR_OK;
}

/*
 * COPY a kept spool's rows (copy_sql: COPY ... FROM STDIN); nothing to do when it has none or
 * streamed them.  load_temp first creates the temporary table the COPY fills (create_sql).
 * Errors are printed and returned (KPR_EFILE for the temporary file, else the server's).
 */
int kpr_spool_copy(PGconn *conn, const char *copy_sql, struct kpr_spool *sp) KPR_WARN_UNUSED;
int kpr_spool_load_temp(PGconn *conn, const char *create_sql, const char *copy_sql,
			struct kpr_spool *sp) KPR_WARN_UNUSED;

void kpr_spool_release(struct kpr_spool *sp);

/* COPY fields, each followed by a tab: text (NULL: \N), an integer when present, an amount in
 * 万元 when present (then sep). */
static inline void kpr_spool_add_text(struct kpr_strbuf *sb, const char *s)
{
	kpr_strbuf_copy_field(sb, s, '\t');
}

static inline void kpr_spool_add_int(struct kpr_strbuf *sb, long v, bool present)
{
	if (present) {
		kpr_strbuf_add_int(sb, v);
		kpr_strbuf_addch(sb, '\t');
	} else {
		kpr_strbuf_add(sb, "\\N\t", 3);
	}
}

static inline void kpr_spool_add_money(struct kpr_strbuf *sb, int64_t yuan, bool present, char sep)
{
	char buf[32];
	kpr_strbuf_copy_field(sb, present ? kpr_money_format_wan(yuan, buf) : NULL, sep);
}

#endif
