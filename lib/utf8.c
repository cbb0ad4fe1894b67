/* utf8.c: UTF-8 decoding, and text made safe for a terminal; see utf8.h. */
#include "utf8.h"

#include <string.h>

size_t kpr_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t n;

	*cp = 0xFFFD;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		c = s[0] & 0x1F, n = 2, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		c = s[0] & 0x0F, n = 3, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		c = s[0] & 0x07, n = 4, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* A code point shown escaped on a terminal (see kpr_text_escape): controls and bidi marks. */
static bool escaped_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static void escape(struct kpr_strbuf *sb, const char *s, bool keep_lines)
{
	size_t len = s ? strlen(s) : 0;
	while (len > 0) {
		uint32_t cp;
		size_t n = kpr_utf8_decode(s, len, &cp);
		if (n == 0) {
			kpr_strbuf_addf(sb, "\\x%02x", (unsigned char)*s);
			n = 1;
		} else if (!escaped_cp(cp)) {
			kpr_strbuf_add(sb, s, n);
		} else if (keep_lines && (cp == '\t' || cp == '\n')) {
			kpr_strbuf_addch(sb, (char)cp);
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			kpr_strbuf_addch(sb, ' ');	/* layout, not a danger: a long text stays readable */
		} else if (cp < 0x80) {
			kpr_strbuf_addf(sb, "\\x%02x", (unsigned)cp);
		} else {
			kpr_strbuf_addf(sb, "\\u%04x", (unsigned)cp);
		}
		s += n;
		len -= n;
	}
}

void kpr_text_escape(struct kpr_strbuf *sb, const char *s)
{
	escape(sb, s, false);
}

void kpr_text_escape_lines(struct kpr_strbuf *sb, const char *s)
{
	escape(sb, s, true);
}
