/* conninfo.c: the passwords inside a connection string; see conninfo.h. */
#include "conninfo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define MASK "********"

/* How a password's bytes are written: a key=value value, a URI part, or a rest past sense. */
enum written { KEYWORD_VALUE, URI_PART, REST };

/* Called for each password: bytes [start, end) of the string, written as said. */
typedef void found_fn(void *arg, const char *s, size_t start, size_t end, enum written how);

static size_t uri_prefix(const char *s)
{
	if (strncmp(s, "postgresql://", 13) == 0)
		return 13;
	if (strncmp(s, "postgres://", 11) == 0)
		return 11;
	return 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %XX decoded, as libpq's conninfo_uri_decode (a bad escape is kept as written) */
static void percent_decode(struct kpr_strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len && (hi = hex(s[i + 1])) >= 0 && (lo = hex(s[i + 2])) >= 0) {
			kpr_strbuf_addch(sb, (char)(hi * 16 + lo));
			i += 2;
		} else
			kpr_strbuf_addch(sb, s[i]);
	}
}

/* The query of a URI: each password=VALUE among the &-separated pairs (the key decoded). */
static void scan_uri_query(const char *s, size_t at, found_fn *fn, void *arg)
{
	while (s[at]) {
		size_t end = at + strcspn(s + at, "&");
		const char *eq = memchr(s + at, '=', end - at);
		if (eq) {
			struct kpr_strbuf key = KPR_STRBUF_INIT;
			percent_decode(&key, s + at, (size_t)(eq - s) - at);
			if (key.buf && strcmp(key.buf, "password") == 0)
				fn(arg, s, (size_t)(eq - s) + 1, end, URI_PART);
			kpr_strbuf_release(&key);
		}
		at = s[end] ? end + 1 : end;
	}
}

/* postgresql://user:PASSWORD@host...?password=PASSWORD */
static void scan_uri(const char *s, size_t at, found_fn *fn, void *arg)
{
	size_t p = at + strcspn(s + at, "@/");
	if (s[p] == '@') {
		const char *colon = memchr(s + at, ':', p - at);
		if (colon)
			fn(arg, s, (size_t)(colon - s) + 1, p, URI_PART);
		at = p + 1;
	}
	const char *q = strchr(s + at, '?');
	if (q)
		scan_uri_query(s, (size_t)(q - s) + 1, fn, arg);
}

/* key = value pairs, values bare (backslash escapes) or in single quotes; see conninfo_parse */
static void scan_keywords(const char *s, found_fn *fn, void *arg)
{
	size_t i = 0;
	while (s[i]) {
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t key = i, key_end;
		while (s[i] && s[i] != '=' && !isspace((unsigned char)s[i]))
			i++;
		key_end = i;
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != '=') {
			fn(arg, s, key, strlen(s), REST);
			return;
		}
		i++;
		while (isspace((unsigned char)s[i]))
			i++;
		size_t value = i;
		bool quoted = s[i] == '\'', closed = !quoted;
		if (quoted)
			i++;
		while (s[i] && (quoted || !isspace((unsigned char)s[i]))) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			else if (quoted && s[i] == '\'') {
				closed = true;
				i++;
				break;
			}
			i++;
		}
		if (!closed) {
			fn(arg, s, value, strlen(s), REST);
			return;
		}
		if (key_end - key == 8 && strncmp(s + key, "password", 8) == 0)
			fn(arg, s, value, i, KEYWORD_VALUE);
	}
}

/* What libpq would take as a connection string, as recognized_connection_string() does. */
static void scan(const char *s, found_fn *fn, void *arg)
{
	size_t prefix;
	if (!s)
		return;
	if ((prefix = uri_prefix(s)) > 0)
		scan_uri(s, prefix, fn, arg);
	else if (strchr(s, '='))
		scan_keywords(s, fn, arg);
}

static void count_one(void *arg, const char *s, size_t start, size_t end, enum written how)
{
	(void)s, (void)how;
	if (end > start)
		(*(int *)arg)++;
}

bool kpr_conninfo_has_password(const char *conninfo)
{
	int n = 0;
	scan(conninfo, count_one, &n);
	return n > 0;
}

struct masking {
	struct kpr_strbuf sb;
	size_t done;		/* bytes of the string copied so far */
};

static void mask_one(void *arg, const char *s, size_t start, size_t end, enum written how)
{
	struct masking *m = arg;
	(void)how;
	kpr_strbuf_add(&m->sb, s + m->done, start - m->done);
	kpr_strbuf_adds(&m->sb, MASK);
	m->done = end;
}

char *kpr_conninfo_mask(const char *conninfo)
{
	struct masking m = { KPR_STRBUF_INIT, 0 };
	scan(conninfo, mask_one, &m);
	kpr_strbuf_adds(&m.sb, conninfo + m.done);
	return kpr_strbuf_detach(&m.sb);
}

static void scrub_one(void *arg, const char *s, size_t start, size_t end, enum written how)
{
	(void)s, (void)how;
	memset((char *)arg + start, '*', end - start);
}

/* The scan has read a password's bytes before it reports them and never reads them again. */
void kpr_conninfo_scrub(char *conninfo)
{
	scan(conninfo, scrub_one, conninfo);
}

struct collecting {
	char **secrets;
	size_t *n, max;
};

static void add_secret(struct collecting *c, char *secret)
{
	if (*c->n < c->max && *secret)
		c->secrets[(*c->n)++] = secret;
	else
		free(secret);
}

/* A key=value value as libpq reads it: quotes dropped, backslashes taken away. */
static char *unquote(const char *s, size_t len)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	size_t i = 0;
	if (len >= 2 && s[0] == '\'') {
		i = 1;
		len--;
	}
	for (; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		kpr_strbuf_addch(&sb, s[i]);
	}
	return kpr_strbuf_detach(&sb);
}

static void collect_one(void *arg, const char *s, size_t start, size_t end, enum written how)
{
	struct collecting *c = arg;
	size_t len = end - start;
	char *raw = kpr_xmalloc(len + 1);
	memcpy(raw, s + start, len);
	raw[len] = '\0';
	if (how == KEYWORD_VALUE)
		add_secret(c, unquote(s + start, len));
	else if (how == URI_PART) {
		struct kpr_strbuf sb = KPR_STRBUF_INIT;
		percent_decode(&sb, s + start, len);
		add_secret(c, kpr_strbuf_detach(&sb));
	}
	add_secret(c, raw);
}

void kpr_conninfo_secrets(const char *conninfo, char **secrets, size_t *n, size_t max)
{
	struct collecting c = { secrets, n, max };
	scan(conninfo, collect_one, &c);
}

/* The first occurrence in text of any secret at or after text: its secret's length, *at set. */
static size_t first_secret(const char *text, char *const *secrets, size_t n, const char **at)
{
	size_t len = 0;
	*at = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!secrets[i] || !*secrets[i])
			continue;
		const char *p = strstr(text, secrets[i]);
		size_t l = strlen(secrets[i]);
		/* the earliest; at one place the longest, so that a decoded form inside its raw one goes whole */
		if (p && (!*at || p < *at || (p == *at && l > len))) {
			*at = p;
			len = l;
		}
	}
	return len;
}

char *kpr_conninfo_hide(const char *text, char *const *secrets, size_t n)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *at;
	size_t len;
	while ((len = first_secret(text, secrets, n, &at)) > 0) {
		kpr_strbuf_add(&sb, text, (size_t)(at - text));
		kpr_strbuf_adds(&sb, MASK);
		text = at + len;
	}
	kpr_strbuf_adds(&sb, text);
	return kpr_strbuf_detach(&sb);
}
