/* fold.c: full-width folding, trimming, keys and edit distance; see fold.h. */
#include "fold.h"

#include <string.h>

#include "textwidth.h"

/* The next code point of a NUL-terminated string (textwidth.h's decoder); an invalid byte is
 * U+FFFD and one byte. */
static uint32_t next_cp(const char **p)
{
	uint32_t c;
	size_t n = kpr_utf8_decode(*p, strnlen(*p, 4), &c);
	*p += n ? n : 1;
	return c;
}

/* The ASCII a code point folds to, or 0 when it stays as it is. */
static char fold_char(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		return (char)(c - 0xFEE0);
	if (c == 0x3000 || c == 0xA0 || c == '\t' || c == '\r' || c == '\n')
		return ' ';
	if (c == 0x3010)	/* 【 */
		return '[';
	if (c == 0x3011)	/* 】 */
		return ']';
	return 0;
}

static void fold_into(const char *s, struct kpr_strbuf *sb, bool drop_spaces, bool lower)
{
	const char *p = s;
	while (*p) {
		const char *start = p;
		uint32_t c = next_cp(&p);
		char a = c < 0x80 ? (char)c : fold_char(c);
		if (a == '\t' || a == '\r' || a == '\n')
			a = ' ';
		if (a) {
			if (a == ' ' && (drop_spaces || sb->len == 0))
				continue;
			if (lower && a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			kpr_strbuf_addch(sb, a);
		} else {
			kpr_strbuf_add(sb, start, (size_t)(p - start));
		}
	}
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
}

char *kpr_fold_ascii(const char *s, char *buf, size_t size, bool drop_spaces)
{
	/* into the caller's buffer, without allocating: amounts and months of every row come here */
	size_t len = 0;
	const char *p = s;
	while (*p) {
		const char *start = p;
		uint32_t c = next_cp(&p);
		char a = c < 0x80 ? (char)c : fold_char(c);
		size_t n = a ? 1 : (size_t)(p - start);
		if (a == '\t' || a == '\r' || a == '\n')
			a = ' ';
		if (a == ' ' && (drop_spaces || len == 0))
			continue;
		if (len + n >= size)
			return NULL;
		if (a)
			buf[len++] = a;
		else
			memcpy(buf + len, start, n), len += n;
	}
	while (len && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return buf;
}

const char *kpr_fold_key(const char *s, struct kpr_strbuf *sb)
{
	kpr_strbuf_reset(sb);
	fold_into(s, sb, true, true);
	if (!sb->buf) {		/* nothing added to a fresh buffer: a key that folds to nothing is "" */
		kpr_strbuf_grow(sb, 1);
		sb->buf[0] = '\0';
	}
	return sb->buf;
}

bool kpr_blank(const char *s)
{
	if (!s)
		return true;
	while (*s) {
		uint32_t c = next_cp(&s);
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0x3000 && c != 0xA0)
			return false;
	}
	return true;
}

int kpr_edit_distance(const char *a, const char *b, int limit)
{
	uint32_t ca[64], cb[64];
	int na = 0, nb = 0;
	while (*a && na < 64)
		ca[na++] = next_cp(&a);
	while (*b && nb < 64)
		cb[nb++] = next_cp(&b);
	if (na - nb > limit || nb - na > limit)
		return limit + 1;
	int row[65];
	for (int j = 0; j <= nb; j++)
		row[j] = j;
	for (int i = 1; i <= na; i++) {
		int diag = row[0], best;
		row[0] = best = i;
		for (int j = 1; j <= nb; j++) {
			int up = row[j];
			int v = diag + (ca[i - 1] != cb[j - 1]);
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (up + 1 < v)
				v = up + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[nb] > limit ? limit + 1 : row[nb];
}
