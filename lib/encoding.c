/* encoding.c: UTF-8 validation and GB18030 conversion, chunk by chunk; see encoding.h. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Undecoded bytes kept across a push: a cut sequence is at most 3 bytes in either encoding. */
#define CARRY_MAX 8
#define OUT_SIZE (2 * KPR_CHUNK)	/* GB18030 to UTF-8 grows by half at most */

struct kpr_decoder {
	enum kpr_encoding enc;
	iconv_t cd;
	unsigned char *buf;		/* raw input: buf[start..end) not yet decoded */
	size_t start, end;
	uint64_t base;			/* file offset of buf[0] */
	bool final;
	bool began;			/* the byte-order mark has been looked for */
	size_t nul;			/* GB18030: index of the first NUL in buf[start..end), end if none,
				   SIZE_MAX when not looked for yet */
	char *out;			/* GB18030: converted text */
	enum kpr_decode_error error;
	bool error_pending;		/* GB18030: output to hand out before the error */
	uint64_t error_offset;
	unsigned char error_byte;
};

size_t kpr_utf8_valid_prefix(const void *buf, size_t len, bool *cut)
{
	const unsigned char *s = buf;
	size_t i = 0;

	*cut = false;
	while (i < len) {
		/* ASCII without NUL, eight bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) ||
			    ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
				break;
			i += 8;
		}
		if (i >= len)
			break;

		unsigned c = s[i];
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}

		/* RFC 3629 table 4: no overlong forms, no surrogates, nothing past U+10FFFF */
		size_t more;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			more = 1;
		else if (c == 0xE0)
			more = 2, lo = 0xA0;
		else if (c == 0xED)
			more = 2, hi = 0x9F;
		else if (c >= 0xE1 && c <= 0xEF)
			more = 2;
		else if (c == 0xF0)
			more = 3, lo = 0x90;
		else if (c >= 0xF1 && c <= 0xF3)
			more = 3;
		else if (c == 0xF4)
			more = 3, hi = 0x8F;
		else
			return i;
		for (size_t k = 1; k <= more; k++) {
			if (i + k >= len) {
				*cut = true;
				return i;
			}
			unsigned b = s[i + k];
			if (b < lo || b > hi)
				return i;
			lo = 0x80, hi = 0xBF;
		}
		i += more + 1;
	}
	return len;
}

long kpr_count_line_breaks(const char *s, size_t len, bool *pending_cr)
{
	const char *end = s + len;
	long n = 0;

	if (len && *pending_cr && *s == '\n')
		s++;		/* the \n of a \r\n cut by the buffer's end: already counted */
	*pending_cr = false;
	for (const char *p = s; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	for (const char *p = s; p < end && (p = memchr(p, '\r', (size_t)(end - p))); p++) {
		if (p + 1 == end)
			*pending_cr = true, n++;
		else if (p[1] != '\n')
			n++;
	}
	return n;
}

struct kpr_decoder *kpr_decoder_new(enum kpr_encoding enc)
{
	struct kpr_decoder *d = kpr_xcalloc(1, sizeof(*d));
	d->enc = enc == KPR_ENCODING_GB18030 ? KPR_ENCODING_GB18030 : KPR_ENCODING_UTF8;
	d->cd = (iconv_t)-1;
	d->nul = SIZE_MAX;
	d->buf = kpr_xmalloc(KPR_CHUNK + CARRY_MAX);
	if (d->enc == KPR_ENCODING_GB18030 && !kpr_decoder_set_encoding(d, d->enc))
		d->enc = KPR_ENCODING_UTF8;	/* the caller asked through set_encoding if it cares */
	return d;
}

bool kpr_decoder_set_encoding(struct kpr_decoder *d, enum kpr_encoding enc)
{
	if (enc != KPR_ENCODING_GB18030) {
		d->enc = KPR_ENCODING_UTF8;
		return true;
	}
	if (d->cd == (iconv_t)-1) {
		d->cd = iconv_open("UTF-8", "GB18030");
		if (d->cd == (iconv_t)-1)
			return false;
		d->out = kpr_xmalloc(OUT_SIZE);
	}
	d->enc = KPR_ENCODING_GB18030;
	return true;
}

enum kpr_encoding kpr_decoder_encoding(const struct kpr_decoder *d)
{
	return d->enc;
}

void kpr_decoder_free(struct kpr_decoder *d)
{
	if (!d)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	free(d->out);
	free(d->buf);
	free(d);
}

unsigned char *kpr_decoder_buffer(struct kpr_decoder *d, size_t *room)
{
	if (d->start > 0) {
		memmove(d->buf, d->buf + d->start, d->end - d->start);
		d->base += d->start;
		d->end -= d->start;
		d->start = 0;
	}
	*room = KPR_CHUNK + CARRY_MAX - d->end;
	if (*room > KPR_CHUNK)
		*room = KPR_CHUNK;
	return d->buf + d->end;
}

void kpr_decoder_push(struct kpr_decoder *d, size_t n, bool final)
{
	d->end += n;
	d->final = final;
	d->nul = SIZE_MAX;	/* looked for by pull_gb18030() */
}

const unsigned char *kpr_decoder_peek(const struct kpr_decoder *d, size_t *len)
{
	*len = d->end - d->start;
	return d->buf + d->start;
}

static int fail(struct kpr_decoder *d, enum kpr_decode_error e, size_t at)
{
	d->error = e;
	d->error_offset = d->base + at;
	d->error_byte = at < d->end ? d->buf[at] : 0;
	return -1;
}

/* Drop a byte-order mark; refuse UTF-16.  Returns false until enough input has come to tell. */
static bool begin(struct kpr_decoder *d)
{
	size_t n = d->end - d->start;
	const unsigned char *s = d->buf + d->start;

	if (n < 3 && !d->final)
		return false;
	d->began = true;
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
		fail(d, KPR_DECODE_UTF16, d->start);
	else if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		d->start += 3;
	return true;
}

static int pull_utf8(struct kpr_decoder *d, const char **s, size_t *len)
{
	bool cut;
	size_t n = kpr_utf8_valid_prefix(d->buf + d->start, d->end - d->start, &cut);

	if (n > 0) {
		*s = (const char *)d->buf + d->start;
		*len = n;
		d->start += n;
		return 1;
	}
	if (cut && !d->final)
		return 0;	/* kept for the next push */
	return fail(d, d->buf[d->start] ? KPR_DECODE_INVALID : KPR_DECODE_NUL, d->start);
}

static int pull_gb18030(struct kpr_decoder *d, const char **s, size_t *len)
{
	if (d->error_pending) {
		d->error_pending = false;
		return -1;
	}
	if (d->nul == SIZE_MAX) {
		/* 0x00 is never part of a multibyte GB18030 character: find it in the raw bytes */
		const unsigned char *z = memchr(d->buf + d->start, 0, d->end - d->start);
		d->nul = z ? (size_t)(z - d->buf) : d->end;
	}
	if (d->start == d->nul && d->nul < d->end)
		return fail(d, KPR_DECODE_NUL, d->start);

	char *in = (char *)d->buf + d->start, *out = d->out;
	size_t inleft = d->nul - d->start, outleft = OUT_SIZE;
	size_t rc = iconv(d->cd, &in, &inleft, &out, &outleft);
	int err = rc == (size_t)-1 ? errno : 0;
	size_t produced = OUT_SIZE - outleft;

	d->start = (size_t)((unsigned char *)in - d->buf);
	/* EINVAL: a sequence cut short, by the end of the input so far, the end of the file, or a
	 * NUL (which is no part of any sequence) */
	if ((err == EINVAL && (d->final || d->nul < d->end)) || err == EILSEQ) {
		fail(d, KPR_DECODE_INVALID, d->start);
		if (produced == 0)
			return -1;
		d->error_pending = true;
	}

	const char *o = d->out;
	if (!d->began) {
		/* U+FEFF at the start, whichever encoding wrote it */
		d->began = true;
		if (produced >= 3 && memcmp(o, "\xEF\xBB\xBF", 3) == 0)
			o += 3, produced -= 3;
	}
	if (produced == 0 && !d->error_pending) {
		if (d->start == d->nul && d->nul < d->end)
			return fail(d, KPR_DECODE_NUL, d->start);
		return 0;
	}
	*s = o;
	*len = produced;
	return 1;
}

int kpr_decoder_pull(struct kpr_decoder *d, const char **s, size_t *len)
{
	*s = NULL;
	*len = 0;
	if (d->error != KPR_DECODE_OK && !d->error_pending)
		return -1;
	if (d->enc == KPR_ENCODING_UTF8 && !d->began) {
		if (!begin(d))
			return 0;
		if (d->error != KPR_DECODE_OK)
			return -1;
	}
	if (d->enc == KPR_ENCODING_GB18030)
		return pull_gb18030(d, s, len);
	if (d->start == d->end)
		return 0;
	return pull_utf8(d, s, len);
}

bool kpr_decoder_error_looks_gb18030(const struct kpr_decoder *d)
{
	size_t i = (size_t)(d->error_offset - d->base), end = d->end;
	int chars = 0;
	if (d->error != KPR_DECODE_INVALID || d->error_offset < d->base || i >= end)
		return false;
	if (end - i > 256)
		end = i + 256;
	while (i < end && d->buf[i] != '\n' && d->buf[i] != '\r') {
		const unsigned char *s = d->buf + i;
		size_t left = end - i;
		if (s[0] < 0x80) {
			i++;
			continue;
		}
		if (s[0] == 0x80 || s[0] == 0xFF || left < 2)
			return left < 2 && s[0] != 0x80 && s[0] != 0xFF && chars >= 2;
		if (s[1] >= 0x40 && s[1] <= 0xFE && s[1] != 0x7F)
			i += 2;
		else if (s[1] >= 0x30 && s[1] <= 0x39 && left >= 4 && s[2] >= 0x81 && s[2] <= 0xFE && s[3] >= 0x30 &&
			 s[3] <= 0x39)
			i += 4;
		else
			return false;
		chars++;
	}
	return chars >= 2;
}

enum kpr_decode_error kpr_decoder_error(const struct kpr_decoder *d, uint64_t *offset, unsigned char *byte)
{
	*offset = d->error_offset;
	*byte = d->error_byte;
	return d->error;
}
