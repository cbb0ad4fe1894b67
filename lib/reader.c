/*
 * reader.c: CSV, YAML and workbook records from a file, stdin or memory; see reader.h.
 *
 * The source is read KPR_CHUNK bytes at a time straight into the decoder's buffer, hashed on
 * the way; the decoder (encoding.c) hands checked UTF-8 to the format's parser (csvin.c,
 * yamlin.c), which builds each record in an arena kept here and reused, so that memory stays
 * flat however long the file.
 */
#include "reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "diag.h"
#include "encoding.h"
#include "log.h"
#include "reader_impl.h"
#include "strbuf.h"

/* How many records the GB18030 trial shows the probe (a title row or two may precede the header). */
#define PROBE_RECORDS 10

static int reader_start(struct kpr_reader *r, const struct kpr_reader_options *opts);

static enum kpr_format format_from_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0))
		return KPR_FORMAT_YAML;
	return KPR_FORMAT_CSV;	/* .csv, .txt, stdin and anything else */
}

static struct kpr_reader *reader_new(const char *name)
{
	struct kpr_reader *r = kpr_xcalloc(1, sizeof(*r));
	r->name = kpr_xstrdup(name);
	r->line = 1;
	return r;
}

int kpr_reader_open(struct kpr_reader **rp, const char *path, const struct kpr_reader_options *opts)
{
	struct kpr_reader *r;
	struct stat st;
	int rc;

	*rp = NULL;
	if (strcmp(path, "-") == 0) {
		r = reader_new("<stdin>");
		r->fp = stdin;
	} else {
		FILE *fp = fopen(path, "rb");
		if (!fp) {
			kpr_log_error(_("cannot open '%s': %s"), path, strerror(errno));
			return KPR_EFILE;
		}
		r = reader_new(path);
		r->fp = fp;
		r->close_fp = true;
	}
	r->quiet = opts && opts->quiet;
	if (fstat(fileno(r->fp), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			kpr_log_error(_("cannot read '%s': %s"), r->name, strerror(EISDIR));
			kpr_reader_free(r);
			return KPR_EFILE;
		}
		if (S_ISREG(st.st_mode))
			r->size = (uint64_t)st.st_size;
	}
	if ((rc = reader_start(r, opts)) != KPR_OK) {
		kpr_reader_free(r);
		return rc;
	}
	*rp = r;
	return KPR_OK;
}

static int open_mem(struct kpr_reader **rp, const char *name, const void *buf, size_t len,
		    const struct kpr_reader_options *opts, bool quiet)
{
	struct kpr_reader *r = reader_new(name ? name : "<memory>");
	int rc;

	r->mem = buf;
	r->mem_len = len;
	r->size = len;
	r->quiet = quiet;
	*rp = NULL;
	if ((rc = reader_start(r, opts)) != KPR_OK) {
		kpr_reader_free(r);
		return rc;
	}
	*rp = r;
	return KPR_OK;
}

int kpr_reader_open_mem(struct kpr_reader **rp, const char *name, const void *buf, size_t len,
			const struct kpr_reader_options *opts)
{
	return open_mem(rp, name, buf, len, opts, false);
}

/* The next chunk into the decoder.  Returns KPR_OK, or the error's status (printed; r->status). */
static int read_chunk(struct kpr_reader *r)
{
	size_t room, n;
	unsigned char *buf = kpr_decoder_buffer(r->dec, &room);

	if (room == 0) {
		/* the decoder keeps at most a cut character: never, but a loop if it did */
		return kpr_reader_error(r, r->line, 0, "internal error: the decoder holds a full buffer");
	}
	if (r->fp) {
		n = fread(buf, 1, room, r->fp);
		if (n < room && ferror(r->fp)) {
			int e = errno;
			if (!r->quiet)
				kpr_log_error(_("cannot read '%s': %s"), r->name, strerror(e));
			return r->status = KPR_EFILE;
		}
		r->eof = n < room;
	} else {
		n = r->mem_len - r->mem_pos < room ? r->mem_len - r->mem_pos : room;
		memcpy(buf, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		r->eof = r->mem_pos == r->mem_len;
	}
	EVP_DigestUpdate(r->sha, buf, n);
	r->offset += n;
	if (r->eof) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		EVP_DigestFinal_ex(r->sha, md, &mdlen);
		for (unsigned i = 0; i < mdlen && i < 32; i++)
			snprintf(r->checksum + 2 * i, 3, "%02x", md[i]);
	}
	kpr_decoder_push(r->dec, n, r->eof);
	return KPR_OK;
}

int kpr_reader_error(struct kpr_reader *r, long line, long col, const char *fmt, ...)
{
	if (!r->quiet) {
		va_list ap;
		char *msg = NULL;
		va_start(ap, fmt);
		if (vasprintf(&msg, fmt, ap) < 0)
			msg = NULL;
		va_end(ap);
		if (col > 0)
			kpr_diag_col(r->name, line, col, "%s", msg ? msg : fmt);
		else
			kpr_diag(r->name, line, NULL, "%s", msg ? msg : fmt);
		free(msg);
	}
	r->status = KPR_EINPUT;
	return KPR_EINPUT;
}

static int encoding_error(struct kpr_reader *r)
{
	uint64_t off;
	unsigned char b;

	switch (kpr_decoder_error(r->dec, &off, &b)) {
	case KPR_DECODE_NUL:
		/* text cannot hold one (C strings, PostgreSQL): refused, never cut short there; a
		 * CSV's column is the field it is in, as the parser has read the record so far */
		kpr_reader_error(r, r->line, r->csv ? (long)r->nfields + 1 : 0, _("NUL byte at byte offset %llu"),
				 (unsigned long long)off);
		break;
	case KPR_DECODE_UTF16:
		kpr_reader_error(r, 1, 0, _("UTF-16 text is not read (save the file as UTF-8)"));
		break;
	default:
		if (kpr_decoder_encoding(r->dec) == KPR_ENCODING_GB18030)
			kpr_reader_error(r, r->line, 0, _("invalid GB18030 (byte 0x%02X at byte offset %llu)"),
					 b, (unsigned long long)off);
		else
			kpr_reader_error(r, r->line, 0, _("invalid UTF-8 (byte 0x%02X at byte offset %llu)"),
					 b, (unsigned long long)off);
		/* a GB18030 lead byte: a file whose headers are ASCII is not detected as GB18030 */
		if (kpr_decoder_encoding(r->dec) != KPR_ENCODING_GB18030 && !r->quiet &&
		    kpr_decoder_error_looks_gb18030(r->dec))
			kpr_log_hint(_("If the file was saved as GB18030 (GBK), as Excel does on Chinese Windows, "
				       "try --encoding gb18030."));
		break;
	}
	return -1;
}

int kpr_reader_fill(struct kpr_reader *r)
{
	while (r->seg_len == 0) {
		int rc = kpr_decoder_pull(r->dec, &r->seg, &r->seg_len);
		if (rc > 0)
			continue;
		if (rc < 0)
			return encoding_error(r);
		if (r->eof)
			return 0;
		if (read_chunk(r) != KPR_OK)
			return -1;
	}
	return 1;
}

/*
 * AUTO: UTF-8 unless the first chunk is not, and read as GB18030 its first records include one
 * the probe takes for a header (for YAML, a mapping's keys) with Chinese in it.  Otherwise UTF-8, so that the bad
 * byte is reported as such.  The first chunk is still in the decoder's buffer, undecoded: no
 * rewind is needed, and stdin works the same.
 */
/* Chinese column names are the evidence: an ASCII header reads the same in any encoding. */
static bool has_non_ascii(const struct kpr_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		for (const char *p = rec->fields[i]; p && *p; p++)
			if ((unsigned char)*p >= 0x80)
				return true;
	return false;
}

static enum kpr_encoding detect_encoding(struct kpr_reader *r, const struct kpr_reader_options *opts)
{
	size_t n;
	const unsigned char *s = kpr_decoder_peek(r->dec, &n);
	bool cut, found = false;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return KPR_ENCODING_UTF8;
	size_t valid = kpr_utf8_valid_prefix(s, n, &cut);
	if (valid == n || (cut && !r->eof) || !opts || !opts->probe || memchr(s, 0, valid + 1))
		return KPR_ENCODING_UTF8;

	struct kpr_reader_options trial_opts = {
		.format = r->format, .encoding = KPR_ENCODING_GB18030,
	};
	struct kpr_reader *t;
	if (open_mem(&t, r->name, s, n, &trial_opts, true) != KPR_OK)
		return KPR_ENCODING_UTF8;
	for (int i = 0; i < PROBE_RECORDS && !found; i++) {
		const struct kpr_record *rec;
		if (kpr_reader_next(t, &rec) != KPR_OK || !rec)
			break;
		if (rec->keys) {
			/* YAML: the keys are what a CSV header would be */
			struct kpr_record names = { rec->line, rec->nfields, rec->keys, NULL };
			found = has_non_ascii(&names) && opts->probe(&names, opts->probe_arg);
		} else {
			found = has_non_ascii(rec) && opts->probe(rec, opts->probe_arg);
		}
	}
	kpr_reader_free(t);
	return found ? KPR_ENCODING_GB18030 : KPR_ENCODING_UTF8;
}

/* Files people pick by mistake, by their first bytes: said for what they are, not as bad text. */
static const struct {
	const char *magic;
	size_t len;
	const char *what;
} binaries[] = {
	{ "\x89PNG\r\n\x1A\n", 8, N_("a PNG image") },
	{ "\xFF\xD8\xFF", 3, N_("a JPEG image") },
	{ "GIF8", 4, N_("a GIF image") },
	{ "%PDF-", 5, N_("a PDF document") },
	{ "\x7F" "ELF", 4, N_("an executable (ELF)") },
	{ "MZ\x90\0", 4, N_("a Windows executable") },
	{ "\x1F\x8B", 2, N_("a gzip archive") },
	{ "Rar!\x1A\x07", 6, N_("a RAR archive") },
	{ "7z\xBC\xAF\x27\x1C", 6, N_("a 7-Zip archive") },
};

static int refuse_binary(struct kpr_reader *r, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(binaries); i++)
		if (n >= binaries[i].len && memcmp(s, binaries[i].magic, binaries[i].len) == 0)
			return kpr_reader_error(r, 1, 0, _("this is %s, not a %s file"), _(binaries[i].what),
						r->format == KPR_FORMAT_YAML ? "YAML" : "CSV");
	return KPR_OK;
}

/* The OLE2 directory's name of an encrypted .xlsx's content, in UTF-16LE. */
static const char encrypted_package[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
#define ENCRYPTED_LEN (sizeof(encrypted_package) - 1)

/*
 * A workbook's bytes are read here once, whole, for the checksum (and, for an OLE2 file, to
 * look for an encrypted package's stream); the parser then reads the file again through libzip
 * or libfreexl.  stdin (not seekable) is kept in memory.  Returns whether an EncryptedPackage
 * stream was seen.
 */
static int read_workbook(struct kpr_reader *r, bool *encrypted)
{
	size_t n;
	const unsigned char *first = kpr_decoder_peek(r->dec, &n);
	struct kpr_strbuf whole = KPR_STRBUF_INIT;
	unsigned char *buf = kpr_xmalloc(KPR_CHUNK + ENCRYPTED_LEN);
	size_t keep = n < ENCRYPTED_LEN ? n : ENCRYPTED_LEN;
	bool slurp = r->fp && (r->size == 0 || r->fp == stdin);

	*encrypted = memmem(first, n, encrypted_package, ENCRYPTED_LEN) != NULL;
	if (slurp)
		kpr_strbuf_add(&whole, first, n);
	memcpy(buf, first + n - keep, keep);
	while (r->fp && !r->eof) {
		size_t got = fread(buf + keep, 1, KPR_CHUNK, r->fp);
		if (got < KPR_CHUNK && ferror(r->fp)) {
			kpr_log_error(_("cannot read '%s': %s"), r->name, strerror(errno));
			free(buf);
			kpr_strbuf_release(&whole);
			return r->status = KPR_EFILE;
		}
		r->eof = got < KPR_CHUNK;
		EVP_DigestUpdate(r->sha, buf + keep, got);
		if (slurp)
			kpr_strbuf_add(&whole, buf + keep, got);
		if (!*encrypted && memmem(buf, keep + got, encrypted_package, ENCRYPTED_LEN))
			*encrypted = true;
		size_t k = keep + got < ENCRYPTED_LEN ? keep + got : ENCRYPTED_LEN;
		memmove(buf, buf + keep + got - k, k);
		keep = k;
	}
	free(buf);
	if (!r->fp && !r->eof) {
		/* a workbook in memory: the rest of it */
		const unsigned char *rest = r->mem + r->mem_pos;
		size_t left = r->mem_len - r->mem_pos;
		EVP_DigestUpdate(r->sha, rest, left);
		if (!*encrypted && memmem(r->mem, r->mem_len, encrypted_package, ENCRYPTED_LEN))
			*encrypted = true;
		r->mem_pos = r->mem_len;
		r->eof = true;
	}
	if (!r->checksum[0]) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		EVP_DigestFinal_ex(r->sha, md, &mdlen);
		for (unsigned i = 0; i < mdlen && i < 32; i++)
			snprintf(r->checksum + 2 * i, 3, "%02x", md[i]);
	}
	if (slurp) {
		r->mem_len = whole.len;
		r->owned = (unsigned char *)kpr_strbuf_detach(&whole);
		r->mem = r->owned ? r->owned : (const unsigned char *)"";
	}
	return KPR_OK;
}

static bool workbook_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xls") == 0 ||
		       strcasecmp(dot, ".xlsm") == 0 || strcasecmp(dot, ".et") == 0);
}

/*
 * A workbook, by its first bytes: a zip (.xlsx) or an OLE2 container (.xls, or an encrypted
 * .xlsx).  Opens its parser (r->xlsx or r->xls); a text file named as a workbook, or a sheet
 * asked of a text file, is refused.
 */
static int workbook_start(struct kpr_reader *r, const unsigned char *s, size_t n, const char *sheet)
{
	bool zip = n >= 4 && memcmp(s, "PK\3\4", 4) == 0;
	bool ole2 = n >= 8 && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
	bool encrypted;
	int rc;

	if (!zip && !ole2) {
		if (workbook_name(r->name)) {
			if (!r->quiet)
				kpr_log_error(_("%s: not an Excel workbook: the file does not begin as one "
						"(a text file renamed?)"), r->name);
			return r->status = KPR_EINPUT;
		}
		if (sheet) {
			kpr_log_error(_("--sheet applies to workbooks (.xlsx, .xls), not to '%s'"), r->name);
			return r->status = KPR_EUSAGE;
		}
		return KPR_OK;
	}
	r->format = zip ? KPR_FORMAT_XLSX : KPR_FORMAT_XLS;
	if ((rc = read_workbook(r, &encrypted)) != KPR_OK)
		return rc;
	if (ole2 && encrypted) {
		if (!r->quiet)
			kpr_log_error(_("%s: this workbook is password-protected; save it without a password"), r->name);
		return r->status = KPR_EINPUT;
	}
	if (zip)
		r->xlsx = kpr_xlsxin_open(r, sheet, &rc);
	else
		r->xls = kpr_xlsin_open(r, sheet, &rc);
	return r->status = rc;
}

int kpr_reader_pick_sheet(struct kpr_reader *r, const char *sheet, size_t n, char *const *names,
			  const bool *hidden, size_t *which)
{
	size_t i = 0;

	if (!sheet) {
		while (i < n && hidden[i])
			i++;
		if (i == n)
			i = 0;	/* every sheet hidden: the first */
	} else {
		while (i < n && strcmp(names[i], sheet) != 0)
			i++;
		if (i == n && sheet[0] && strspn(sheet, "0123456789") == strlen(sheet) && strlen(sheet) < 6 &&
		    atoi(sheet) >= 1 && (size_t)atoi(sheet) <= n)
			i = (size_t)atoi(sheet) - 1;
	}
	if (i == n) {
		struct kpr_strbuf list = KPR_STRBUF_INIT;
		for (size_t j = 0; j < n; j++)
			kpr_strbuf_addf(&list, "%s%s%s", j ? ", " : "", names[j], hidden[j] ? _(" (hidden)") : "");
		if (!r->quiet)
			kpr_log_error(_("%s: no sheet '%s'; the workbook has %s"), r->name, sheet, list.buf ? list.buf : "");
		kpr_strbuf_release(&list);
		return r->status = KPR_EINPUT;
	}
	*which = i;
	struct kpr_strbuf name = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&name, "%s:%s", r->name, names[i]);
	free(r->name);
	r->name = kpr_strbuf_detach(&name);
	return KPR_OK;
}

static int reader_start(struct kpr_reader *r, const struct kpr_reader_options *opts)
{
	enum kpr_encoding enc = opts ? opts->encoding : KPR_ENCODING_AUTO;
	size_t n;
	const unsigned char *s;

	r->format = opts && opts->format != KPR_FORMAT_AUTO ? opts->format : format_from_name(r->name);
	r->dec = kpr_decoder_new(KPR_ENCODING_UTF8);
	r->sha = EVP_MD_CTX_new();
	if (!r->sha || !EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL)) {
		kpr_log_error(_("cannot compute checksums: SHA-256 is not available"));
		return KPR_EFILE;
	}
	int rc = read_chunk(r);
	if (rc != KPR_OK)
		return rc;

	s = kpr_decoder_peek(r->dec, &n);
	if ((rc = workbook_start(r, s, n, opts ? opts->sheet : NULL)) != KPR_OK || r->xlsx || r->xls)
		return rc;
	if ((rc = refuse_binary(r, s, n)) != KPR_OK)
		return rc;

	if (enc == KPR_ENCODING_AUTO)
		enc = detect_encoding(r, opts);
	if (!kpr_decoder_set_encoding(r->dec, enc)) {
		kpr_log_error(_("cannot convert from %s: %s"), "GB18030", strerror(errno));
		return KPR_EFILE;
	}
	if (r->format == KPR_FORMAT_YAML)
		r->yaml = kpr_yamlin_new(r);
	else
		r->csv = kpr_csvin_new(r);
	return KPR_OK;
}

int kpr_reader_next(struct kpr_reader *r, const struct kpr_record **rec)
{
	int rc;

	*rec = NULL;
	if (r->done)
		return r->status;
	if (r->xlsx)
		rc = kpr_xlsxin_next(r, rec);
	else if (r->xls)
		rc = kpr_xlsin_next(r, rec);
	else
		rc = r->yaml ? kpr_yamlin_next(r, rec) : kpr_csvin_next(r, rec);
	if (rc != KPR_OK) {
		r->status = rc;
		r->done = true;
		*rec = NULL;
	} else if (!*rec) {
		r->done = true;
	}
	return rc;
}

const char *kpr_reader_name(const struct kpr_reader *r)
{
	return r->name;
}

enum kpr_format kpr_reader_format(const struct kpr_reader *r)
{
	return r->format;
}

enum kpr_encoding kpr_reader_encoding(const struct kpr_reader *r)
{
	return kpr_decoder_encoding(r->dec);
}

uint64_t kpr_reader_offset(const struct kpr_reader *r)
{
	return r->offset;
}

uint64_t kpr_reader_size(const struct kpr_reader *r)
{
	return r->size;
}

const char *kpr_reader_checksum(struct kpr_reader *r)
{
	return r->eof && r->checksum[0] ? r->checksum : NULL;
}

void kpr_reader_free(struct kpr_reader *r)
{
	if (!r)
		return;
	if (r->csv)
		kpr_csvin_free(r->csv);
	if (r->yaml)
		kpr_yamlin_free(r->yaml);
	kpr_xlsxin_free(r->xlsx);
	kpr_xlsin_free(r->xls);
	free(r->owned);
	kpr_decoder_free(r->dec);
	if (r->sha)
		EVP_MD_CTX_free(r->sha);
	if (r->close_fp)
		fclose(r->fp);
	kpr_strbuf_release(&r->arena);
	free(r->offs);
	free(r->key_offs);
	free(r->fields);
	free(r->keys);
	free(r->name);
	free(r);
}

void kpr_reader_rec_reset(struct kpr_reader *r)
{
	kpr_strbuf_reset(&r->arena);
	r->nfields = 0;
}

/* s[0..len) and a NUL into the arena; its offset there, SIZE_MAX for NULL or empty */
static size_t arena_add(struct kpr_reader *r, const char *s, size_t len)
{
	if (!s || len == 0)
		return SIZE_MAX;
	size_t off = r->arena.len;
	kpr_strbuf_add(&r->arena, s, len);
	r->arena.len++;		/* keep the NUL kpr_strbuf_add() wrote */
	return off;
}

void kpr_reader_rec_add(struct kpr_reader *r, const char *key, size_t keylen, const char *s, size_t len)
{
	if (r->nfields == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 32;
		r->offs = kpr_xrealloc(r->offs, r->alloc * sizeof(*r->offs));
		r->key_offs = kpr_xrealloc(r->key_offs, r->alloc * sizeof(*r->key_offs));
		r->fields = kpr_xrealloc(r->fields, r->alloc * sizeof(*r->fields));
		r->keys = kpr_xrealloc(r->keys, r->alloc * sizeof(*r->keys));
	}
	if (key) {
		/* an empty key is still a key: keep "" rather than NULL */
		size_t off = r->arena.len;
		kpr_strbuf_add(&r->arena, key, keylen);
		r->arena.len++;
		r->key_offs[r->nfields] = off;
	} else {
		r->key_offs[r->nfields] = SIZE_MAX;
	}
	r->offs[r->nfields++] = arena_add(r, s, len);
}

const struct kpr_record *kpr_reader_rec_finish(struct kpr_reader *r, long line, bool with_keys)
{
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i] = r->offs[i] == SIZE_MAX ? NULL : r->arena.buf + r->offs[i];
		r->keys[i] = r->key_offs[i] == SIZE_MAX ? NULL : r->arena.buf + r->key_offs[i];
	}
	r->rec.line = line;
	r->rec.nfields = r->nfields;
	r->rec.fields = r->fields;
	r->rec.keys = with_keys ? r->keys : NULL;
	return &r->rec;
}
