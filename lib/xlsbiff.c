/* xlsbiff.c: an .xls workbook's formula values, booleans, errors and hidden sheets; see xlsbiff.h. */
#include "xlsbiff.h"

#include <stdlib.h>
#include <string.h>

#include "xlnum.h"

#define ENDOFCHAIN 0xFFFFFFFEu
#define DIFAT_IN_HEADER 109
#define MINI_SECTOR 64

enum {
	REC_EOF = 0x000A, REC_FORMULA = 0x0006, REC_DATEMODE = 0x0022, REC_BOUNDSHEET = 0x0085,
	REC_XF = 0x00E0, REC_BOOLERR = 0x0205, REC_STRING = 0x0207, REC_FORMAT = 0x041E, REC_BOF = 0x0809
};

static unsigned u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* --- the compound file: sectors, chains, the Workbook stream ------------------------------- */

struct cfb {
	const unsigned char *f;
	size_t len, ss;		/* the file; the sector size */
	uint32_t *fat;
	size_t nfat;
};

static const unsigned char *sector(const struct cfb *c, uint32_t n)
{
	size_t off = ((size_t)n + 1) * c->ss;
	return off <= c->len && c->len - off >= c->ss ? c->f + off : NULL;
}

/* Follow a chain of sectors of size ss through fat from start; up to want bytes (SIZE_MAX: to
 * the chain's end).  src(n) gives sector n.  NULL when the chain is broken or short. */
static unsigned char *chain(const struct cfb *c, const uint32_t *fat, size_t nfat, size_t ss, uint32_t start,
			    size_t want, size_t *got, const unsigned char *mini, size_t mini_len)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	size_t steps = 0;
	for (uint32_t n = start; n != ENDOFCHAIN && sb.len < want; n = fat[n]) {
		const unsigned char *p;
		if (n >= nfat || ++steps > nfat)
			goto broken;
		if (mini)
			p = (size_t)n * ss + ss <= mini_len ? mini + (size_t)n * ss : NULL;
		else
			p = sector(c, n);
		if (!p)
			goto broken;
		kpr_strbuf_add(&sb, p, want - sb.len < ss ? want - sb.len : ss);
	}
	if (want != SIZE_MAX && sb.len < want)
		goto broken;
	*got = sb.len;
	return sb.buf ? (unsigned char *)kpr_strbuf_detach(&sb) : kpr_xcalloc(1, 1);
broken:
	kpr_strbuf_release(&sb);
	return NULL;
}

static bool read_fat(struct cfb *c)
{
	const unsigned char *h = c->f;
	size_t nsect = u32(h + 0x2C), per = c->ss / 4, have = 0;
	uint32_t difat = u32(h + 0x44);

	if (nsect == 0 || nsect > c->len / c->ss)
		return false;
	c->nfat = nsect * per;
	c->fat = kpr_xmalloc(c->nfat * sizeof(uint32_t));
	for (size_t i = 0; i < DIFAT_IN_HEADER && have < nsect; i++, have++) {
		const unsigned char *p = sector(c, u32(h + 0x4C + 4 * i));
		if (!p)
			return false;
		for (size_t j = 0; j < per; j++)
			c->fat[have * per + j] = u32(p + 4 * j);
	}
	for (size_t guard = 0; have < nsect && guard <= nsect; guard++) {
		const unsigned char *d = sector(c, difat);
		if (!d)
			return false;
		for (size_t i = 0; i + 1 < per && have < nsect; i++, have++) {
			const unsigned char *p = sector(c, u32(d + 4 * i));
			if (!p)
				return false;
			for (size_t j = 0; j < per; j++)
				c->fat[have * per + j] = u32(p + 4 * j);
		}
		difat = u32(d + 4 * (per - 1));
	}
	return have == nsect;
}

static bool entry_named(const unsigned char *e, const char *name)
{
	size_t n = strlen(name);
	if (u16(e + 64) != 2 * (n + 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
			return false;
	return true;
}

/* The Workbook stream of the compound file, or NULL. */
static unsigned char *workbook_stream(const unsigned char *f, size_t len, size_t *out)
{
	struct cfb c = { f, len, 0, NULL, 0 };
	unsigned char *dir = NULL, *res = NULL, *mini = NULL, *minifat = NULL;
	size_t dirlen, minilen, mflen;

	if (len < 512 || memcmp(f, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0 || (u16(f + 0x1E) != 9 && u16(f + 0x1E) != 12))
		return NULL;
	c.ss = (size_t)1 << u16(f + 0x1E);
	if (!read_fat(&c) || !(dir = chain(&c, c.fat, c.nfat, c.ss, u32(f + 0x30), SIZE_MAX, &dirlen, NULL, 0)))
		goto done;
	for (size_t i = 128; i + 128 <= dirlen; i += 128) {
		const unsigned char *e = dir + i;
		if (e[66] != 2 || !entry_named(e, "Workbook"))
			continue;
		size_t size = u32(e + 120);
		if (size >= u32(f + 0x38)) {
			res = chain(&c, c.fat, c.nfat, c.ss, u32(e + 116), size, out, NULL, 0);
		} else if (dirlen >= 128 &&
			   (mini = chain(&c, c.fat, c.nfat, c.ss, u32(dir + 116), u32(dir + 120), &minilen, NULL, 0)) &&
			   (minifat = chain(&c, c.fat, c.nfat, c.ss, u32(f + 0x3C), (size_t)u32(f + 0x40) * c.ss, &mflen,
					    NULL, 0))) {
			size_t nmini = mflen / 4;
			uint32_t *mf = kpr_xmalloc((nmini ? nmini : 1) * sizeof(uint32_t));
			for (size_t j = 0; j < nmini; j++)
				mf[j] = u32(minifat + 4 * j);
			res = chain(&c, mf, nmini, MINI_SECTOR, u32(e + 116), size, out, mini, minilen);
			free(mf);
		}
		break;
	}
done:
	free(c.fat);
	free(dir);
	free(mini);
	free(minifat);
	return res;
}

/* --- BIFF8 records ----------------------------------------------------------------------------- */

/* An XLUnicodeString's characters (n of them, 8- or 16-bit by flags) as UTF-8 into sb. */
static void add_chars(struct kpr_strbuf *sb, const unsigned char *p, const unsigned char *end, size_t n, bool wide)
{
	for (size_t i = 0; i < n && p + (wide ? 2 : 1) <= end; i++) {
		unsigned v = wide ? u16(p) : *p;
		p += wide ? 2 : 1;
		if (wide && v >= 0xD800 && v < 0xDC00 && p + 2 <= end && u16(p) >= 0xDC00 && u16(p) < 0xE000) {
			v = 0x10000 + ((v - 0xD800) << 10) + (u16(p) - 0xDC00);
			p += 2;
			i++;
		}
		char u[4];
		size_t k;
		if (v < 0x80) {
			u[0] = (char)v, k = 1;
		} else if (v < 0x800) {
			u[0] = (char)(0xC0 | v >> 6), u[1] = (char)(0x80 | (v & 0x3F)), k = 2;
		} else if (v < 0x10000) {
			u[0] = (char)(0xE0 | v >> 12), u[1] = (char)(0x80 | ((v >> 6) & 0x3F));
			u[2] = (char)(0x80 | (v & 0x3F)), k = 3;
		} else {
			u[0] = (char)(0xF0 | v >> 18), u[1] = (char)(0x80 | ((v >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((v >> 6) & 0x3F)), u[3] = (char)(0x80 | (v & 0x3F)), k = 4;
		}
		kpr_strbuf_add(sb, u, k);
	}
}

/* Walk the records from offset at; fn gets each one's type, data and length, and stops the walk
 * by returning false.  False when the records run past the stream. */
static bool walk(const struct kpr_biff *b, size_t at, bool (*fn)(struct kpr_biff *, unsigned, const unsigned char *,
								   size_t, void *), void *arg)
{
	while (at + 4 <= b->len) {
		unsigned type = u16(b->stream + at);
		size_t n = u16(b->stream + at + 2);
		if (at + 4 + n > b->len)
			return false;
		if (!fn((struct kpr_biff *)b, type, b->stream + at + 4, n, arg))
			return true;
		at += 4 + n;
	}
	return false;
}

static bool on_global(struct kpr_biff *b, unsigned type, const unsigned char *d, size_t n, void *arg)
{
	(void)arg;
	if (type == REC_BOUNDSHEET && n >= 6) {
		b->hidden = kpr_xrealloc(b->hidden, (b->nsheets + 1) * sizeof(bool));
		b->sheet_at = kpr_xrealloc(b->sheet_at, (b->nsheets + 1) * sizeof(uint32_t));
		b->hidden[b->nsheets] = (d[4] & 3) != 0;
		b->sheet_at[b->nsheets++] = u32(d);
	} else if (type == REC_DATEMODE && n >= 2) {
		b->date1904 = u16(d) == 1;
	} else if (type == REC_XF && n >= 4) {
		b->xf_fmt = kpr_xrealloc(b->xf_fmt, (b->nxf + 1) * sizeof(unsigned));
		b->xf_fmt[b->nxf++] = u16(d + 2);
	} else if (type == REC_FORMAT && n >= 5) {
		struct kpr_strbuf code = KPR_STRBUF_INIT;
		add_chars(&code, d + 5, d + n, u16(d + 2), d[4] & 1);
		if (code.buf && kpr_xl_format_is_date(code.buf)) {
			b->date_fmts = kpr_xrealloc(b->date_fmts, (b->ndate_fmts + 1) * sizeof(unsigned));
			b->date_fmts[b->ndate_fmts++] = u16(d);
		}
		kpr_strbuf_release(&code);
	}
	return type != REC_EOF;
}

bool kpr_biff_open(struct kpr_biff *b, const unsigned char *file, size_t len)
{
	memset(b, 0, sizeof(*b));
	if (!(b->stream = workbook_stream(file, len, &b->len)) || b->len < 4 || u16(b->stream) != REC_BOF ||
	    !walk(b, 0, on_global, NULL) || b->nsheets == 0) {
		kpr_biff_release(b);
		return false;
	}
	return true;
}

/* --- a sheet's formula, boolean and error cells ------------------------------------------------ */

struct sheet_scan {
	bool started, pending;		/* past the sheet's BOF; a FORMULA waits for its STRING */
	unsigned row, col;
};

static void add_cell(struct kpr_biff *b, unsigned row, unsigned col, bool error, const char *text, size_t n)
{
	if (b->ncells % 256 == 0)
		b->cells = kpr_xrealloc(b->cells, (b->ncells + 256) * sizeof(*b->cells));
	b->cells[b->ncells++] = (struct kpr_biff_cell){ row, col, error, b->text.len };
	kpr_strbuf_add(&b->text, text, n);
	kpr_strbuf_addch(&b->text, '\0');
}

static const char *error_name(unsigned code)
{
	switch (code) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0F: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1D: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2A: return "#N/A";
	default: return "#ERROR";
	}
}

static bool is_date_xf(const struct kpr_biff *b, unsigned xf)
{
	if (xf >= b->nxf)
		return false;
	unsigned fmt = b->xf_fmt[xf];
	bool date = kpr_xl_builtin_date((int)fmt);
	for (size_t i = 0; i < b->ndate_fmts && !date; i++)
		date = b->date_fmts[i] == fmt;
	return date;
}

static void formula(struct kpr_biff *b, struct sheet_scan *s, const unsigned char *d)
{
	unsigned row = u16(d), col = u16(d + 2);
	const unsigned char *v = d + 6;
	char buf[KPR_XL_NUMBER_MAX];

	if (u16(v + 6) == 0xFFFF) {
		if (v[0] == 0)
			*s = (struct sheet_scan){ true, true, row, col };	/* the text in the next STRING */
		else if (v[0] == 1)
			add_cell(b, row, col, false, v[2] ? "TRUE" : "FALSE", v[2] ? 4 : 5);
		else if (v[0] == 2)
			add_cell(b, row, col, true, error_name(v[2]), strlen(error_name(v[2])));
		return;
	}
	double x;
	uint64_t bits = (uint64_t)u32(v) | (uint64_t)u32(v + 4) << 32;
	memcpy(&x, &bits, sizeof(x));
	if (!(is_date_xf(b, u16(d + 4)) && kpr_xl_date(x, b->date1904, buf)) && !kpr_xl_number(x, buf))
		return;
	add_cell(b, row, col, false, buf, strlen(buf));
}

static bool on_sheet(struct kpr_biff *b, unsigned type, const unsigned char *d, size_t n, void *arg)
{
	struct sheet_scan *s = arg;
	if (!s->started)
		return (s->started = type == REC_BOF);
	if (type == REC_FORMULA && n >= 20) {
		s->pending = false;
		formula(b, s, d);
	} else if (type == REC_STRING && n >= 3 && s->pending) {
		struct kpr_strbuf t = KPR_STRBUF_INIT;
		add_chars(&t, d + 3, d + n, u16(d), d[2] & 1);
		if (t.len)
			add_cell(b, s->row, s->col, false, t.buf, t.len);
		kpr_strbuf_release(&t);
		s->pending = false;
	} else if (type == REC_BOOLERR && n >= 8) {
		const char *text = d[7] ? error_name(d[6]) : d[6] ? "TRUE" : "FALSE";
		add_cell(b, u16(d), u16(d + 2), d[7] != 0, text, strlen(text));
	}
	return type != REC_EOF;
}

static int cell_order(const void *a, const void *b)
{
	const struct kpr_biff_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

bool kpr_biff_sheet(struct kpr_biff *b, size_t i)
{
	struct sheet_scan s = { false, false, 0, 0 };
	if (i >= b->nsheets || !walk(b, b->sheet_at[i], on_sheet, &s) || !s.started)
		return false;
	if (b->ncells)
		qsort(b->cells, b->ncells, sizeof(*b->cells), cell_order);
	return true;
}

void kpr_biff_release(struct kpr_biff *b)
{
	free(b->stream);
	free(b->hidden);
	free(b->sheet_at);
	free(b->xf_fmt);
	free(b->date_fmts);
	free(b->cells);
	kpr_strbuf_release(&b->text);
	memset(b, 0, sizeof(*b));
}
