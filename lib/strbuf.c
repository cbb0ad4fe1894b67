/* strbuf.c: growable buffers and allocation that cannot fail; see strbuf.h. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("kpr: error: out of memory\n", stderr);
	abort();
}

void *kpr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *kpr_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *kpr_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *kpr_xstrdup(const char *s)
{
	return kpr_xstrndup(s, strlen(s));
}

char *kpr_xstrndup(const char *s, size_t n)
{
	char *p = kpr_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void kpr_strbuf_grow(struct kpr_strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->alloc)
		return;
	size_t want = sb->alloc ? sb->alloc : 64;
	while (want < sb->len + extra + 1)
		want *= 2;
	sb->buf = kpr_xrealloc(sb->buf, want);
	sb->alloc = want;
}

void kpr_strbuf_add(struct kpr_strbuf *sb, const void *data, size_t len)
{
	kpr_strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void kpr_strbuf_adds(struct kpr_strbuf *sb, const char *s)
{
	kpr_strbuf_add(sb, s, strlen(s));
}

void kpr_strbuf_addch(struct kpr_strbuf *sb, char c)
{
	kpr_strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void kpr_strbuf_addf(struct kpr_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kpr_strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void kpr_strbuf_add_int(struct kpr_strbuf *sb, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	kpr_strbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void kpr_strbuf_reset(struct kpr_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void kpr_strbuf_release(struct kpr_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *kpr_strbuf_detach(struct kpr_strbuf *sb)
{
	char *p = sb->buf ? sb->buf : kpr_xstrdup("");
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

void kpr_strbuf_copy_field(struct kpr_strbuf *sb, const char *s, char sep)
{
	if (!s) {
		kpr_strbuf_add(sb, "\\N", 2);
	} else {
		for (;;) {
			size_t n = strcspn(s, "\\\n\r\t");	/* runs without escapes: most fields whole */
			kpr_strbuf_add(sb, s, n);
			s += n;
			if (!*s)
				break;
			char esc[2] = { '\\', *s == '\n' ? 'n' : *s == '\r' ? 'r' : *s == '\t' ? 't' : '\\' };
			kpr_strbuf_add(sb, esc, 2);
			s++;
		}
	}
	kpr_strbuf_addch(sb, sep);
}
