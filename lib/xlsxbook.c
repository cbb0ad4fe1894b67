/*
 * xlsxbook.c: an .xlsx workbook's sheets, styles and shared strings; see xlsxbook.h.
 *
 * The parts are found as Office Open XML says: the workbook (xl/workbook.xml) names each
 * sheet and its relationship id, the workbook's relationships (xl/_rels/workbook.xml.rels)
 * give each id's part, and those of type sharedStrings and styles the two tables.
 */
#include "xlsxbook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xlnum.h"

#define WORKBOOK_PART "xl/workbook.xml"
#define WORKBOOK_RELS "xl/_rels/workbook.xml.rels"
#define PART_CHUNK 65536
#define MIN_SI_BYTES 5			/* "<si/>": the least a shared string takes */
#define MAX_DEFLATE_RATIO 1032		/* deflate cannot expand a byte into more than this */
#define SST_PREALLOC_MAX (1u << 20)	/* offsets reserved up front at most; then grown */

/* What every part's handlers share; each parser's state begins with it. */
struct part {
	XML_Parser p;
	struct kpr_xlsx_book *b;
	bool failed;
};

const char *kpr_xml_local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

const char *kpr_xml_attr(const char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(kpr_xml_local(atts[i]), local) == 0)
			return atts[i + 1];
	return NULL;
}

static bool xml_true(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static int fail(struct part *pt, const char *fmt, const char *arg)
{
	if (!pt->failed) {
		char msg[256];
		snprintf(msg, sizeof(msg), fmt, arg);
		kpr_log_error("%s: %s", pt->b->name, msg);
		pt->failed = true;
		XML_StopParser(pt->p, XML_FALSE);
	}
	return KPR_EINPUT;
}

/* Parse a member of the archive with the handlers; a missing member is an error if required. */
static int parse_part(struct kpr_xlsx_book *b, const char *member, bool required, struct part *pt,
		      XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	zip_file_t *zf = zip_fopen(b->zip, member, 0);
	int rc = KPR_OK;

	if (!zf) {
		if (!required)
			return KPR_OK;
		kpr_log_error(_("%s: not an Excel workbook (the archive has no %s)"), b->name, member);
		return KPR_EINPUT;
	}
	pt->p = XML_ParserCreate("UTF-8");
	pt->b = b;
	XML_SetUserData(pt->p, pt);
	XML_SetElementHandler(pt->p, start, end);
	if (text)
		XML_SetCharacterDataHandler(pt->p, text);
	char *buf = kpr_xmalloc(PART_CHUNK);
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, PART_CHUNK);
		if (n < 0) {
			kpr_log_error(_("%s: cannot read %s: %s"), b->name, member, zip_file_strerror(zf));
			rc = KPR_EINPUT;
			break;
		}
		if (XML_Parse(pt->p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!pt->failed)
				kpr_log_error(_("%s: %s is not well-formed XML (line %lu: %s)"), b->name, member,
					      (unsigned long)XML_GetCurrentLineNumber(pt->p),
					      XML_ErrorString(XML_GetErrorCode(pt->p)));
			rc = KPR_EINPUT;
			break;
		}
		if (n == 0)
			break;
	}
	free(buf);
	XML_ParserFree(pt->p);
	zip_fclose(zf);
	return rc;
}

/* --- the workbook: sheets and the date system ---------------------------------------------- */

static void XMLCALL workbook_start(void *ud, const char *el, const char **atts)
{
	struct part *pt = ud;
	struct kpr_xlsx_book *b = pt->b;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "workbookPr") == 0) {
		b->date1904 = xml_true(kpr_xml_attr(atts, "date1904"));
	} else if (strcmp(name, "sheet") == 0) {
		const char *sname = kpr_xml_attr(atts, "name"), *rid = kpr_xml_attr(atts, "id");
		const char *state = kpr_xml_attr(atts, "state");
		if (!sname || !rid) {
			fail(pt, _("a sheet without a name or relationship in %s"), WORKBOOK_PART);
			return;
		}
		b->sheets = kpr_xrealloc(b->sheets, (b->nsheets + 1) * sizeof(*b->sheets));
		struct kpr_xlsx_sheet *s = &b->sheets[b->nsheets++];
		s->name = kpr_xstrdup(sname);
		s->rid = kpr_xstrdup(rid);	/* its part comes from the relationships */
		s->part = NULL;
		s->hidden = state && strcmp(state, "visible") != 0;
	}
}

static void XMLCALL no_end(void *ud, const char *el)
{
	(void)ud;
	(void)el;
}

/* --- the relationships: each sheet's part, the shared strings and styles ------------------- */

static bool type_is(const char *type, const char *what)
{
	size_t n = strlen(type), m = strlen(what);
	return n > m && type[n - m - 1] == '/' && strcmp(type + n - m, what) == 0;
}

static char *resolve(const char *target)
{
	if (target[0] == '/')
		return kpr_xstrdup(target + 1);
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&sb, "xl/%s", target);
	return kpr_strbuf_detach(&sb);
}

static void XMLCALL rels_start(void *ud, const char *el, const char **atts)
{
	struct part *pt = ud;
	struct kpr_xlsx_book *b = pt->b;
	const char *id = kpr_xml_attr(atts, "Id"), *type = kpr_xml_attr(atts, "Type");
	const char *target = kpr_xml_attr(atts, "Target"), *mode = kpr_xml_attr(atts, "TargetMode");

	if (strcmp(kpr_xml_local(el), "Relationship") != 0 || !id || !type || !target ||
	    (mode && strcmp(mode, "External") == 0))
		return;
	if (type_is(type, "sharedStrings") && !b->sst_part) {
		b->sst_part = resolve(target);
	} else if (type_is(type, "styles") && !b->styles_part) {
		b->styles_part = resolve(target);
	} else {
		for (size_t i = 0; i < b->nsheets; i++)
			if (!b->sheets[i].part && strcmp(b->sheets[i].rid, id) == 0)
				b->sheets[i].part = resolve(target);
	}
}

/* --- the styles: which cell formats are dates ------------------------------------------------ */

struct styles {
	struct part pt;
	int depth_xfs;			/* inside cellXfs */
	int *date_ids;			/* custom numFmt ids that are dates */
	size_t ndate_ids;
};

static void XMLCALL styles_start(void *ud, const char *el, const char **atts)
{
	struct styles *st = ud;
	struct kpr_xlsx_book *b = st->pt.b;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "numFmt") == 0 && !st->depth_xfs) {
		const char *id = kpr_xml_attr(atts, "numFmtId"), *code = kpr_xml_attr(atts, "formatCode");
		if (id && code && kpr_xl_format_is_date(code)) {
			st->date_ids = kpr_xrealloc(st->date_ids, (st->ndate_ids + 1) * sizeof(int));
			st->date_ids[st->ndate_ids++] = atoi(id);
		}
	} else if (strcmp(name, "cellXfs") == 0) {
		st->depth_xfs = 1;
	} else if (strcmp(name, "xf") == 0 && st->depth_xfs) {
		const char *v = kpr_xml_attr(atts, "numFmtId");
		int id = v ? atoi(v) : 0;
		bool date = kpr_xl_builtin_date(id);
		for (size_t i = 0; i < st->ndate_ids && !date; i++)
			date = st->date_ids[i] == id;
		b->xf_date = kpr_xrealloc(b->xf_date, (b->nxf + 1) * sizeof(bool));
		b->xf_date[b->nxf++] = date;
	}
}

static void XMLCALL styles_end(void *ud, const char *el)
{
	struct styles *st = ud;
	if (strcmp(kpr_xml_local(el), "cellXfs") == 0)
		st->depth_xfs = 0;
}

/* --- the shared strings ---------------------------------------------------------------------- */

struct sst {
	struct part pt;
	uint64_t room;			/* the most bytes the part can really hold */
	bool in_si, in_t;
	int in_rph;			/* phonetic runs: not part of the text */
	size_t start;			/* the string's start in b->text */
};

/* Excel writes a control character as _xHHHH_ (ST_Xstring); decode those in place. */
static size_t decode_escapes(char *s, size_t len)
{
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned v;
		int n = 0;
		if (s[i] == '_' && i + 7 <= len && s[i + 1] == 'x' && s[i + 6] == '_' &&
		    sscanf(s + i + 2, "%4x%n", &v, &n) == 1 && n == 4) {
			if (v < 0x80) {
				s[o++] = (char)v;
			} else if (v < 0x800) {
				s[o++] = (char)(0xC0 | v >> 6);
				s[o++] = (char)(0x80 | (v & 0x3F));
			} else {
				s[o++] = (char)(0xE0 | v >> 12);
				s[o++] = (char)(0x80 | ((v >> 6) & 0x3F));
				s[o++] = (char)(0x80 | (v & 0x3F));
			}
			i += 7;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

static void XMLCALL sst_start(void *ud, const char *el, const char **atts)
{
	struct sst *x = ud;
	struct kpr_xlsx_book *b = x->pt.b;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "sst") == 0) {
		const char *v = kpr_xml_attr(atts, "uniqueCount");
		if (!v)
			v = kpr_xml_attr(atts, "count");
		unsigned long long claim = v ? strtoull(v, NULL, 10) : 0;
		if (claim > x->room / MIN_SI_BYTES + 1) {
			char what[128];
			snprintf(what, sizeof(what), "%llu", claim);
			fail(&x->pt, _("the shared strings claim %s strings, more than the archive holds; "
				       "the workbook is damaged"), what);
			return;
		}
		if (b->off)
			return;	/* a second <sst> (found by fuzzing): the first one's room stands */
		b->alloc = claim < SST_PREALLOC_MAX ? (size_t)claim : SST_PREALLOC_MAX;
		if (b->alloc)
			b->off = kpr_xmalloc(b->alloc * sizeof(*b->off));
	} else if (strcmp(name, "si") == 0) {
		x->in_si = true;
		x->start = b->text.len;
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph++;
	} else if (strcmp(name, "t") == 0 && x->in_si && !x->in_rph) {
		x->in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const char *el)
{
	struct sst *x = ud;
	struct kpr_xlsx_book *b = x->pt.b;
	const char *name = kpr_xml_local(el);

	if (strcmp(name, "t") == 0) {
		x->in_t = false;
	} else if (strcmp(name, "rPh") == 0) {
		x->in_rph--;
	} else if (strcmp(name, "si") == 0 && x->in_si) {
		x->in_si = false;
		size_t len = b->text.len - x->start;
		if (len && memchr(b->text.buf + x->start, '_', len))
			b->text.len = x->start + decode_escapes(b->text.buf + x->start, len);
		kpr_strbuf_addch(&b->text, '\0');
		if (b->nstrings == b->alloc) {
			b->alloc = b->alloc ? 2 * b->alloc : 1024;
			b->off = kpr_xrealloc(b->off, b->alloc * sizeof(*b->off));
		}
		b->off[b->nstrings++] = x->start;
	}
}

static void XMLCALL sst_text(void *ud, const char *s, int len)
{
	struct sst *x = ud;
	if (x->in_t)
		kpr_strbuf_add(&x->pt.b->text, s, (size_t)len);
}

static int read_strings(struct kpr_xlsx_book *b)
{
	struct sst x = { 0 };
	zip_stat_t st;

	if (!b->sst_part)
		return KPR_OK;
	zip_stat_init(&st);
	if (zip_stat(b->zip, b->sst_part, 0, &st) != 0)
		return KPR_OK;	/* named but absent: no shared strings */
	/* the sizes in the directory are claims too: deflate bounds what the data can expand to */
	x.room = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	if ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size < x.room / MAX_DEFLATE_RATIO)
		x.room = st.comp_size * MAX_DEFLATE_RATIO;
	return parse_part(b, b->sst_part, false, &x.pt, sst_start, sst_end, sst_text);
}

/* --- the workbook as a whole ----------------------------------------------------------------- */

int kpr_xlsx_book_open(struct kpr_xlsx_book *b, zip_t *zip, const char *name)
{
	struct part pt = { 0 };
	struct styles st = { 0 };
	int rc;

	memset(b, 0, sizeof(*b));
	b->zip = zip;
	b->name = name;
	if ((rc = parse_part(b, WORKBOOK_PART, true, &pt, workbook_start, no_end, NULL)) != KPR_OK)
		return rc;
	if (b->nsheets == 0) {
		kpr_log_error(_("%s: the workbook has no sheets"), name);
		return KPR_EINPUT;
	}
	if ((rc = parse_part(b, WORKBOOK_RELS, true, &pt, rels_start, no_end, NULL)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < b->nsheets; i++) {
		if (!b->sheets[i].part) {
			kpr_log_error(_("%s: sheet '%s' has no part in the archive"), name, b->sheets[i].name);
			return KPR_EINPUT;
		}
	}
	if (b->styles_part) {
		rc = parse_part(b, b->styles_part, false, &st.pt, styles_start, styles_end, NULL);
		free(st.date_ids);
		if (rc != KPR_OK)
			return rc;
	}
	return read_strings(b);
}

void kpr_xlsx_book_release(struct kpr_xlsx_book *b)
{
	for (size_t i = 0; i < b->nsheets; i++) {
		free(b->sheets[i].name);
		free(b->sheets[i].part);
		free(b->sheets[i].rid);
	}
	free(b->sheets);
	free(b->sst_part);
	free(b->styles_part);
	kpr_strbuf_release(&b->text);
	free(b->off);
	free(b->xf_date);
	memset(b, 0, sizeof(*b));
}

const char *kpr_xlsx_string(const struct kpr_xlsx_book *b, size_t i)
{
	return i < b->nstrings ? b->text.buf + b->off[i] : NULL;
}

bool kpr_xlsx_style_is_date(const struct kpr_xlsx_book *b, long s)
{
	return s >= 0 && (size_t)s < b->nxf && b->xf_date[s];
}
