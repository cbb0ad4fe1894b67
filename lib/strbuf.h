/*
 * strbuf.h: a growable byte buffer, always NUL-terminated (git's strbuf).
 *
 *     struct kpr_strbuf sb = KPR_STRBUF_INIT;
 *     kpr_strbuf_addf(&sb, "%d", 42);  ...  kpr_strbuf_release(&sb);
 *
 * Allocation failure aborts the process (out of memory is not an input error to recover from).
 */
#ifndef KPR_STRBUF_H
#define KPR_STRBUF_H

#include "kpr.h"

struct kpr_strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define KPR_STRBUF_INIT { NULL, 0, 0 }

void kpr_strbuf_grow(struct kpr_strbuf *sb, size_t extra);
void kpr_strbuf_add(struct kpr_strbuf *sb, const void *data, size_t len);
void kpr_strbuf_adds(struct kpr_strbuf *sb, const char *s);
void kpr_strbuf_addch(struct kpr_strbuf *sb, char c);
void kpr_strbuf_addf(struct kpr_strbuf *sb, const char *fmt, ...) KPR_PRINTF(2, 3);
/* Append a decimal integer (no printf: this is on the bulk-import hot path). */
void kpr_strbuf_add_int(struct kpr_strbuf *sb, int64_t v);
void kpr_strbuf_reset(struct kpr_strbuf *sb);
void kpr_strbuf_release(struct kpr_strbuf *sb);
/* Hand the buffer over (never NULL) and reset sb. */
char *kpr_strbuf_detach(struct kpr_strbuf *sb);

/* Append s as one field of a COPY text-format row (\N for NULL, backslash escapes), then sep. */
void kpr_strbuf_copy_field(struct kpr_strbuf *sb, const char *s, char sep);

/* malloc/strdup that abort on failure */
void *kpr_xmalloc(size_t n);
void *kpr_xcalloc(size_t n, size_t size);
void *kpr_xrealloc(void *p, size_t n);
char *kpr_xstrdup(const char *s);
char *kpr_xstrndup(const char *s, size_t n);

#endif
