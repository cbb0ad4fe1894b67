/*
 * reader: CSV and YAML records, line numbers, encodings, errors, rejects (lib/reader.h).
 *
 * Each case reads a buffer or a file in tests/data/reader to the end and compares a dump of
 * the records ("LINE:field|field", NULL as ~, YAML as key=value) and the messages printed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encoding.h"
#include "reader.h"
#include "rejects.h"
#include "strbuf.h"
#include "tap.h"

struct result {
	int rc;			/* of open, or of the last next() */
	char *dump;		/* the records */
	char err[1024];		/* what was printed on stderr, every line */
	enum kpr_encoding enc;
	char checksum[65];
};

static void dump_records(struct kpr_reader *r, struct result *res)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const struct kpr_record *rec;

	while ((res->rc = kpr_reader_next(r, &rec)) == KPR_OK && rec) {
		kpr_strbuf_addf(&sb, "%ld:", rec->line);
		for (size_t i = 0; i < rec->nfields; i++) {
			if (i)
				kpr_strbuf_addch(&sb, '|');
			if (rec->keys)
				kpr_strbuf_addf(&sb, "%s=", rec->keys[i]);
			kpr_strbuf_adds(&sb, rec->fields[i] ? rec->fields[i] : "~");
		}
		kpr_strbuf_addch(&sb, '\n');
	}
	res->enc = kpr_reader_encoding(r);
	const char *sum = kpr_reader_checksum(r);
	snprintf(res->checksum, sizeof(res->checksum), "%s", sum ? sum : "");
	res->dump = kpr_strbuf_detach(&sb);
}

static struct result read_mem(const char *name, const void *buf, size_t len, enum kpr_format format,
			      enum kpr_encoding enc, kpr_header_probe probe)
{
	struct kpr_reader_options opts = { .format = format, .encoding = enc, .probe = probe };
	struct result res = { 0 };
	struct kpr_reader *r;

	tap_capture_stderr();
	res.rc = kpr_reader_open_mem(&r, name, buf, len, &opts);
	if (res.rc == KPR_OK) {
		dump_records(r, &res);
		kpr_reader_free(r);
	} else {
		res.dump = kpr_xstrdup("");
	}
	snprintf(res.err, sizeof(res.err), "%s", tap_captured_stderr());
	return res;
}

static struct result read_str(const char *s, enum kpr_format format)
{
	return read_mem(format == KPR_FORMAT_YAML ? "t.yaml" : "t.csv", s, strlen(s), format,
			KPR_ENCODING_AUTO, NULL);
}

/* Read a buffer to the end; its records' dump must be want. */
static void read_is(const char *in, enum kpr_format format, const char *want, const char *desc)
{
	struct result res = read_str(in, format);
	is_str(res.dump, want, "%s", desc);
	free(res.dump);
}


static char *data_path(const char *name)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *src = getenv("KPR_SRC");
	kpr_strbuf_addf(&sb, "%s/tests/data/reader/%s", src ? src : ".", name);
	return kpr_strbuf_detach(&sb);
}

static struct result read_file(const char *path, enum kpr_encoding enc, kpr_header_probe probe)
{
	struct kpr_reader_options opts = { .encoding = enc, .probe = probe };
	struct result res = { 0 };
	struct kpr_reader *r;

	tap_capture_stderr();
	res.rc = kpr_reader_open(&r, path, &opts);
	if (res.rc == KPR_OK) {
		dump_records(r, &res);
		kpr_reader_free(r);
	} else {
		res.dump = kpr_xstrdup("");
	}
	snprintf(res.err, sizeof(res.err), "%s", tap_captured_stderr());
	return res;
}

/* The importer's kind of probe: a header names the project code column. */
static bool probe_code(const struct kpr_record *rec, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *name = rec->keys ? rec->keys[i] : rec->fields[i];
		if (name && strcmp(name, "项目代码") == 0)
			return true;
	}
	return false;
}

static void test_csv_lines(void)
{
	struct result res;

	read_is("a,b\n1,2\n", KPR_FORMAT_CSV, "1:a|b\n2:1|2\n",
		"LF lines");

	res = read_str("a,b\r\n\r\n1,2\r\n3,4", KPR_FORMAT_CSV);
	is_int(res.rc, KPR_OK, "CRLF reads");
	is_str(res.dump, "1:a|b\n3:1|2\n4:3|4\n", "CRLF lines, a blank line counted, no final line break");
	free(res.dump);

	read_is("a,b\r1,2\r\r3,4\r", KPR_FORMAT_CSV, "1:a|b\n2:1|2\n4:3|4\n",
		"CR-only lines");

	read_is("a,b\n\n\n  \n1,2\n\n", KPR_FORMAT_CSV, "1:a|b\n5:1|2\n",
		"blank and space-only lines skipped but counted");

	read_is("a,b\n\"x\ny\r\nz\",2\n3,4\n", KPR_FORMAT_CSV, "1:a|b\n2:x\ny\r\nz|2\n5:3|4\n",
		"a quoted field spanning lines keeps its line breaks; the next record's line is right");

	read_is("a,b\r\"x\ry\",2\r3,4\r", KPR_FORMAT_CSV, "1:a|b\n2:x\ry|2\n4:3|4\n",
		"CR-only: a quoted field spanning lines");

	read_is("a,b,c\n,,\n1,\"\",3\n", KPR_FORMAT_CSV, "1:a|b|c\n2:~|~|~\n3:1|~|3\n",
		"an all-empty record is returned; empty fields, quoted or not, are NULL");

	read_is(" a , \"b\" \n", KPR_FORMAT_CSV, "1:a|b\n",
		"spaces around fields are dropped");

	res = read_str("", KPR_FORMAT_CSV);
	is_int(res.rc, KPR_OK, "an empty file reads");
	is_str(res.dump, "", "an empty file has no records");
	free(res.dump);
}

static void test_csv_errors(void)
{
	struct result res;

	res = read_str("a,b\n1,\"abc\n2,3\n", KPR_FORMAT_CSV);
	is_int(res.rc, KPR_EINPUT, "unterminated quote: input error");
	is_str(res.dump, "1:a|b\n", "unterminated quote: the records before it");
	is_str(res.err, "t.csv:2: unterminated quoted field", "unterminated quote: the line where it started");
	free(res.dump);

	res = read_str("a,b\r\n1,2\r\n\r\n\"x\r\n", KPR_FORMAT_CSV);
	is_str(res.err, "t.csv:4: unterminated quoted field", "unterminated quote after a blank CRLF line");
	free(res.dump);

	res = read_str("a,b\n1,x\"y\n", KPR_FORMAT_CSV);
	is_int(res.rc, KPR_EINPUT, "a bare quote: input error");
	ok(strncmp(res.err, "t.csv:2: quote in unquoted field 2", 34) == 0, "a bare quote: line and field (%s)", res.err);
	free(res.dump);

	res = read_str("a,b\n\"x\"y,2\n", KPR_FORMAT_CSV);
	is_str(res.err, "t.csv:2: unexpected text after the closing quote of field 1", "text after a closing quote");
	free(res.dump);

	res = read_str("a,b\n1,2\n3,\xff\n5,6\n", KPR_FORMAT_CSV);
	is_int(res.rc, KPR_EINPUT, "invalid UTF-8 in the middle: input error");
	is_str(res.dump, "1:a|b\n2:1|2\n", "invalid UTF-8: the records before it");
	is_str(res.err, "t.csv:3: invalid UTF-8 (byte 0xFF at byte offset 10)", "invalid UTF-8: line and byte offset");
	free(res.dump);

	res = read_str("\xEF\xBB\xBF" "a\r\nb\r\n\xE4\xB8\r\n", KPR_FORMAT_CSV);
	is_str(res.err, "t.csv:3: invalid UTF-8 (byte 0xE4 at byte offset 9)",
	       "a truncated sequence: its lead byte, the offset counting the BOM");
	free(res.dump);

	res = read_str("a\n\xC0\xAF\n", KPR_FORMAT_CSV);
	is_str(res.err, "t.csv:2: invalid UTF-8 (byte 0xC0 at byte offset 2)", "an overlong form is invalid");
	free(res.dump);

	res = read_str("a\n\xED\xA0\x80\n", KPR_FORMAT_CSV);
	is_str(res.err, "t.csv:2: invalid UTF-8 (byte 0xED at byte offset 2)", "a surrogate is invalid");
	free(res.dump);

	read_is("a\n\xE5\xBB\x8A", KPR_FORMAT_CSV, "1:a\n2:廊\n",
		"a valid three-byte character at the very end");

	res = read_mem("t.csv", "a,b\n1,\0\n", 8, KPR_FORMAT_CSV, KPR_ENCODING_AUTO, NULL);
	is_str(res.err, "t.csv:2:2: NUL byte at byte offset 6", "a NUL byte is refused, naming its line and field");
	free(res.dump);

	res = read_mem("t.csv", "\xFF\xFE" "a\0", 4, KPR_FORMAT_CSV, KPR_ENCODING_UTF8, NULL);
	is_str(res.err, "t.csv:1: UTF-16 text is not read (save the file as UTF-8)", "UTF-16 is refused");
	free(res.dump);

	res = read_mem("t.xlsx", "PK\3\4\x14\0\6\0", 8, KPR_FORMAT_AUTO, KPR_ENCODING_AUTO, NULL);
	is_int(res.rc, KPR_EINPUT, "a cut-off workbook (a zip signature and nothing more) is refused at open");
	is_str(res.err, "kpr: error: t.xlsx: not a readable Excel workbook (Not a zip archive)", "the damaged workbook message");
	free(res.dump);

	struct result nf = read_file("/nonexistent/kpr.csv", KPR_ENCODING_AUTO, NULL);
	is_int(nf.rc, KPR_EFILE, "a missing file: KPR_EFILE");
	is_str(nf.err, "kpr: error: cannot open '/nonexistent/kpr.csv': No such file or directory", "a missing file: the message");
	free(nf.dump);
}

static void test_encodings(void)
{
	struct result res;
	char *gb = data_path("gb18030.csv"), *nohdr = data_path("gb18030-noheader.csv");
	const char *want = "1:廊坊市重点项目表\n2:项目代码|项目名称|总投资(万元)\n"
			   "3:P001|固安𠮷项目,一期|1200.5\n5:P002|永清县物流园€|300\n";

	res = read_str("\xEF\xBB\xBF" "项目代码,b\n1,2\n", KPR_FORMAT_CSV);
	is_str(res.dump, "1:项目代码|b\n2:1|2\n", "a UTF-8 BOM is dropped");
	is_int(res.enc, KPR_ENCODING_UTF8, "BOM: UTF-8");
	free(res.dump);

	res = read_file(gb, KPR_ENCODING_AUTO, probe_code);
	is_int(res.rc, KPR_OK, "GB18030 with a header the probe knows: reads");
	is_int(res.enc, KPR_ENCODING_GB18030, "GB18030 detected");
	is_str(res.dump, want, "GB18030 as UTF-8, four-byte sequence included, a title row above the header");
	free(res.dump);

	res = read_file(gb, KPR_ENCODING_GB18030, NULL);
	is_str(res.dump, want, "GB18030 forced");
	free(res.dump);

	res = read_file(gb, KPR_ENCODING_AUTO, NULL);
	is_int(res.rc, KPR_EINPUT, "GB18030 without a probe: refused");
	ok(strstr(res.err, ":1: invalid UTF-8 (byte 0xC0 at byte offset 0)") != NULL,
	   "GB18030 without a probe: invalid UTF-8 at the first byte (%s)", res.err);
	free(res.dump);

	res = read_file(nohdr, KPR_ENCODING_AUTO, probe_code);
	is_int(res.rc, KPR_EINPUT, "not UTF-8, no header the probe knows: refused");
	ok(strstr(res.err, "gb18030-noheader.csv:1: invalid UTF-8 (byte 0xC3 at byte offset 2)") != NULL,
	   "not UTF-8, no header: the UTF-8 error, not garbled text (%s)", res.err);
	is_str(res.dump, "", "not UTF-8, no header: no records");
	free(res.dump);

	/* Latin-1 from a spreadsheet: not UTF-8, and not GB18030 with a header either */
	res = read_mem("t.csv", "a,b\ncaf\xe9,1\n", 12, KPR_FORMAT_CSV, KPR_ENCODING_AUTO, probe_code);
	is_str(res.err, "t.csv:2: invalid UTF-8 (byte 0xE9 at byte offset 7)", "Latin-1: the UTF-8 error with its line");
	free(res.dump);

	/* GB18030 under ASCII headers: not detected, but the error says what to try */
	res = read_mem("t.csv", "a,b\nx,\xb9\xcc\xb0\xb2\n", 10, KPR_FORMAT_CSV, KPR_ENCODING_AUTO, probe_code);
	ok(strstr(res.err, "t.csv:2: invalid UTF-8 (byte 0xB9 at byte offset 6)\nHINT:") != NULL &&
	   strstr(res.err, "try --encoding gb18030") != NULL, "GB18030 text under ASCII headers: a hint (%s)", res.err);
	free(res.dump);

	res = read_mem("t.csv", "a\n\xb9\xcc\xff\n", 6, KPR_FORMAT_CSV, KPR_ENCODING_GB18030, NULL);
	is_str(res.dump, "1:a\n", "invalid GB18030: the records before it");
	is_str(res.err, "t.csv:2: invalid GB18030 (byte 0xFF at byte offset 4)", "invalid GB18030: line and byte offset");
	free(res.dump);

	/* a lead byte then a NUL, in a chunk that is not the last (found by fuzzing: it looped) */
	char *big = kpr_xmalloc(KPR_CHUNK + 100);
	memset(big, 'x', KPR_CHUNK + 100);
	memcpy(big, "a\n\xb9\0b\n", 6);
	res = read_mem("t.csv", big, KPR_CHUNK + 100, KPR_FORMAT_CSV, KPR_ENCODING_GB18030, NULL);
	is_str(res.err, "t.csv:2: invalid GB18030 (byte 0xB9 at byte offset 2)",
	       "GB18030: a lead byte before a NUL is invalid");
	free(res.dump);
	free(big);

	res = read_mem("t.csv", "a\n\xb9", 3, KPR_FORMAT_CSV, KPR_ENCODING_GB18030, NULL);
	is_str(res.err, "t.csv:2: invalid GB18030 (byte 0xB9 at byte offset 2)", "GB18030 cut at the end of the file");
	free(res.dump);

	/* stdin: the first chunk is in memory, so detection needs no rewind */
	int fd = open(gb, O_RDONLY), saved = dup(0);
	dup2(fd, 0);
	close(fd);
	res = read_file("-", KPR_ENCODING_AUTO, probe_code);
	dup2(saved, 0);
	close(saved);
	is_str(res.dump, want, "GB18030 detected on stdin");
	free(res.dump);

	free(gb);
	free(nohdr);
}

/* A buffer of 2 * KPR_CHUNK bytes: head, then filler lines, then tail placed at offset at. */
static char *boundary_buffer(size_t at, const char *tail, size_t *len, long *tail_line)
{
	size_t tl = strlen(tail), n = at + tl + 64;
	char *buf = kpr_xmalloc(n);
	size_t pos = 0;
	long line = 1;

	memcpy(buf, "a,b\n", 4);
	pos = 4, line = 2;
	while (pos < at) {
		/* lines of "x,y\n"; the last one shortened to end exactly at `at` */
		size_t left = at - pos;
		if (left >= 8) {
			memcpy(buf + pos, "x,yyyy\n", 7);
			pos += 7;
		} else {
			memset(buf + pos, 'z', left - 1);
			buf[at - 1] = '\n';
			pos = at;
		}
		line++;
	}
	memcpy(buf + pos, tail, tl);
	pos += tl;
	*len = pos;
	*tail_line = line;
	return buf;
}

static void test_chunk_boundaries(void)
{
	struct kpr_reader_options opts = { .format = KPR_FORMAT_CSV };
	struct kpr_reader *r;
	const struct kpr_record *rec, *last = NULL;
	size_t len, n;
	long line;
	char *buf;
	int rc;
	char got[256];

	/* 廊 (E5 BB 8A) with its first byte the last of the first chunk */
	buf = boundary_buffer(KPR_CHUNK - 3, "q,1\xE5\xBB\x8A" "2\nend,1\n", &len, &line);
	ok(kpr_reader_open_mem(&r, "big.csv", buf, len, &opts) == KPR_OK, "boundary: opens");
	n = 0;
	got[0] = '\0';
	while ((rc = kpr_reader_next(r, &rec)) == KPR_OK && rec) {
		n++;
		if (rec->nfields == 2 && rec->fields[0] && strcmp(rec->fields[0], "q") == 0)
			snprintf(got, sizeof(got), "%ld:%s", rec->line, rec->fields[1]);
		last = rec;
	}
	is_int(rc, KPR_OK, "a UTF-8 character split by the chunk boundary: no error");
	char want[128];
	snprintf(want, sizeof(want), "%ld:1廊2", line);
	is_str(got, want, "a UTF-8 character split by the chunk boundary: whole, on the right line");
	kpr_reader_free(r);
	free(buf);

	/* \r\n split: \r the last byte of the first chunk, \n the first of the second */
	buf = boundary_buffer(KPR_CHUNK - 4, "q,1\r\nr,2\r\n\r\ns,3\r\n", &len, &line);
	ok(kpr_reader_open_mem(&r, "big.csv", buf, len, &opts) == KPR_OK, "CRLF boundary: opens");
	got[0] = '\0';
	while ((rc = kpr_reader_next(r, &rec)) == KPR_OK && rec) {
		if (rec->fields[0] && strchr("qrs", rec->fields[0][0]) && !rec->fields[0][1]) {
			size_t l = strlen(got);
			snprintf(got + l, sizeof(got) - l, "%ld:%s ", rec->line - line, rec->fields[0]);
		}
	}
	is_int(rc, KPR_OK, "a \\r\\n split by the chunk boundary: no error");
	is_str(got, "0:q 1:r 3:s ", "a \\r\\n split by the chunk boundary is one line break");
	kpr_reader_free(r);
	free(buf);

	/* a quoted field spanning the boundary, then a bad byte on the second chunk's third line */
	buf = boundary_buffer(KPR_CHUNK - 2, "\"x\ny\",1\nok,2\nbad,\xC3(\n", &len, &line);
	struct result res = read_mem("big.csv", buf, len, KPR_FORMAT_CSV, KPR_ENCODING_AUTO, NULL);
	snprintf(want, sizeof(want), "big.csv:%ld: invalid UTF-8 (byte 0xC3 at byte offset %zu)", line + 3,
		 (size_t)KPR_CHUNK - 2 + 17);
	is_str(res.err, want, "after the boundary: an invalid byte's line and offset");
	ok(strstr(res.dump, "\nx\ny|1\n") != NULL || strstr(res.dump, ":x\ny|1\n") != NULL,
	   "a quoted field spanning the boundary is whole");
	free(res.dump);
	free(buf);

	/* GB18030: 固 (B9 CC) split by the boundary */
	buf = boundary_buffer(KPR_CHUNK - 3, "q,1\xB9\xCC" "2\n", &len, &line);
	res = read_mem("big.csv", buf, len, KPR_FORMAT_CSV, KPR_ENCODING_GB18030, NULL);
	snprintf(want, sizeof(want), "\n%ld:q|1固2\n", line);
	ok(res.rc == KPR_OK && strstr(res.dump, want) != NULL,
	   "a GB18030 character split by the chunk boundary: whole, on the right line");
	free(res.dump);
	free(buf);
	(void)last;
}

static void test_checksum(void)
{
	struct result res = read_str("abc", KPR_FORMAT_CSV);
	is_str(res.checksum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "SHA-256 of the raw bytes");
	free(res.dump);

	/* the raw bytes, BOM and all, not the decoded text */
	res = read_str("\xEF\xBB\xBF" "abc", KPR_FORMAT_CSV);
	ok(strcmp(res.checksum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0 &&
	   strlen(res.checksum) == 64, "the checksum covers the BOM");
	free(res.dump);

	struct kpr_reader_options opts = { .format = KPR_FORMAT_CSV };
	struct kpr_reader *r;
	const struct kpr_record *rec;
	size_t len;
	long line;
	char *buf = boundary_buffer(3 * KPR_CHUNK, "", &len, &line);
	if (kpr_reader_open_mem(&r, "big.csv", buf, len, &opts) == KPR_OK) {
		ok(kpr_reader_checksum(r) == NULL, "no checksum before the end");
		is_int(kpr_reader_size(r), len, "size");
		ok(kpr_reader_next(r, &rec) == KPR_OK && rec, "first record");
		is_int(kpr_reader_offset(r), KPR_CHUNK, "offset: the first chunk read");
		while (kpr_reader_next(r, &rec) == KPR_OK && rec)
			;
		is_int(kpr_reader_offset(r), len, "offset at the end: the size");
		ok(kpr_reader_checksum(r) && strlen(kpr_reader_checksum(r)) == 64, "checksum at the end");
		kpr_reader_free(r);
	}
	free(buf);
}

static void test_yaml(void)
{
	struct result res;

	res = read_str("# projects\n- code: P001\n  name: 固安\n  amount: 12.5\n\n- code: P002\n  name: \"null\"\n"
		       "  amount: null\n  note: ~\n  empty:\n  quoted: ''\n- {code: P003, name: 'x: y'}\n",
		       KPR_FORMAT_YAML);
	is_int(res.rc, KPR_OK, "YAML: reads");
	is_str(res.dump,
	       "2:code=P001|name=固安|amount=12.5\n"
	       "6:code=P002|name=null|amount=~|note=~|empty=~|quoted=~\n"
	       "12:code=P003|name=x: y\n",
	       "YAML: one record per mapping, its line; null and ~ are NULL, \"null\" is the string");
	free(res.dump);

	read_is("projects:\n  - code: P001\n  - code: P002\n", KPR_FORMAT_YAML, "2:code=P001\n3:code=P002\n",
		"YAML: a mapping with one key holding the list");

	res = read_str("", KPR_FORMAT_YAML);
	is_int(res.rc, KPR_OK, "YAML: an empty file reads");
	is_str(res.dump, "", "YAML: an empty file has no records");
	free(res.dump);

	res = read_str("- code: P001\n- code: P002\n  name: x: y\n", KPR_FORMAT_YAML);
	is_int(res.rc, KPR_EINPUT, "YAML syntax error: input error");
	is_str(res.err, "t.yaml:3:10: invalid YAML: mapping values are not allowed in this context",
	       "YAML syntax error: libyaml's problem at its line and column");
	free(res.dump);

	res = read_str("- code: P001\n  name: a\n  code: P002\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:3:3: duplicate key 'code'", "YAML: a duplicate key");
	free(res.dump);

	res = read_str("- code: P001\n- code: P002\n  scenarios:\n    - S01\n", KPR_FORMAT_YAML);
	is_str(res.dump, "1:code=P001\n", "YAML nested value: the records before it");
	is_str(res.err, "t.yaml:4:5: the value of 'scenarios' must be a single value, not a list",
	       "YAML: a list as a value, with line and column");
	free(res.dump);

	res = read_str("- code: P001\n  owner: {name: x}\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:2:10: the value of 'owner' must be a single value, not a mapping",
	       "YAML: a mapping as a value");
	free(res.dump);

	res = read_str("- code: &c P001\n- code: *c\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:2:9: the value of 'code' must be a single value, not an alias", "YAML: no aliases");
	free(res.dump);

	res = read_str("- code: \"P\\0001\"\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:1:9: NUL character in the value of 'code'", "YAML: a \\0 escape is refused");
	free(res.dump);

	res = read_str("code: P001\nname: x\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:1:7: expected a list of mappings, one per record", "YAML: a bare mapping is refused");
	free(res.dump);

	res = read_str("- P001\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:1:3: each item of the list must be a mapping of keys to values", "YAML: a list of scalars");
	free(res.dump);

	res = read_str("- a: 1\n---\n- a: 2\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:2:1: more than one YAML document", "YAML: a second document");
	free(res.dump);

	res = read_str("- a: 1\n- a: \xff\n", KPR_FORMAT_YAML);
	is_str(res.err, "t.yaml:2: invalid UTF-8 (byte 0xFF at byte offset 12)", "YAML: invalid UTF-8 with line and offset");
	free(res.dump);

	char *gb = data_path("gb18030.yaml");
	res = read_file(gb, KPR_ENCODING_AUTO, probe_code);
	is_int(res.enc, KPR_ENCODING_GB18030, "GB18030 YAML detected");
	is_str(res.dump, "1:项目代码=P001|项目名称=固安𠮷项目|总投资(万元)=1200.5\n4:项目代码=P002|项目名称=永清县物流园|总投资(万元)=~\n",
	       "GB18030 YAML read through the decoder");
	free(res.dump);
	free(gb);
}

static void test_rejects(enum kpr_format format, const char *path)
{
	static const char *hdr[] = { "项目代码", "项目名称", "备注" };
	static const char *row1[] = { "P001", "固安, \"一期\"\n第二行", NULL };
	static const char *row2[] = { "P002", "null" };
	static const char *keys[] = { "项目代码", "项目名称", "备注" };
	struct kpr_record header = { 1, 3, (char **)hdr, NULL };
	struct kpr_record r1 = { 2, 3, (char **)row1, format == KPR_FORMAT_YAML ? (char **)keys : NULL };
	struct kpr_record r2 = { 4, 2, (char **)row2, format == KPR_FORMAT_YAML ? (char **)keys : NULL };
	struct kpr_rejects *w;
	const char *name = format == KPR_FORMAT_YAML ? "YAML" : "CSV";

	remove(path);
	if (!ok(kpr_rejects_open(&w, path, format, &header, false) == KPR_OK, "%s rejects: open", name))
		return;
	ok(kpr_rejects_write(w, &r1, "总投资(万元): not a number: '1,2x'") == KPR_OK, "%s rejects: write", name);
	ok(kpr_rejects_write(w, &r2, "duplicate code 'P002'") == KPR_OK, "%s rejects: write a short record", name);
	is_int(kpr_rejects_close(w), KPR_OK, "%s rejects: close", name);

	struct result res = read_file(path, KPR_ENCODING_AUTO, NULL);
	is_int(res.rc, KPR_OK, "%s rejects: read back", name);
	if (format == KPR_FORMAT_CSV)
		is_str(res.dump,
		       "1:项目代码|项目名称|备注|error\n"
		       "2:P001|固安, \"一期\"\n第二行|~|总投资(万元): not a number: '1,2x'\n"
		       "4:P002|null|~|duplicate code 'P002'\n",
		       "CSV rejects: header and fields round trip with an error column");
	else
		is_str(res.dump,
		       "1:项目代码=P001|项目名称=固安, \"一期\"\n第二行|备注=~|error=总投资(万元): not a number: '1,2x'\n"
		       "5:项目代码=P002|项目名称=null|error=duplicate code 'P002'\n",
		       "YAML rejects: fields round trip, \"null\" stays a string, with an error key");
	free(res.dump);

	tap_capture_stderr();
	int rc = kpr_rejects_open(&w, path, format, &header, false);
	const char *exists = tap_captured_stderr();
	is_int(rc, KPR_EINPUT, "%s rejects: an existing file is refused", name);
	ok(strstr(exists, "' exists; give --overwrite-rejects to replace it") != NULL, "%s rejects: saying so", name);
	if (kpr_rejects_open(&w, path, format, &header, true) == KPR_OK)
		is_int(kpr_rejects_close(w), KPR_OK, "%s rejects: replaced with overwrite", name);

	tap_capture_stderr();
	rc = kpr_rejects_open(&w, "/nonexistent/dir/rejects.csv", format, &header, false);
	const char *msg = tap_captured_stderr();
	is_int(rc, KPR_EFILE, "%s rejects: an unwritable path is KPR_EFILE", name);
	is_str(msg, "kpr: error: cannot create '/nonexistent/dir/rejects.csv': No such file or directory",
	       "%s rejects: the message", name);
}

int main(void)
{
	char csv[] = "/tmp/kpr-rejects.XXXXXX.csv", yaml[] = "/tmp/kpr-rejects.XXXXXX.yaml";
	int fd;

	test_csv_lines();
	test_csv_errors();
	test_encodings();
	test_chunk_boundaries();
	test_checksum();
	test_yaml();

	fd = mkstemps(csv, 4);
	close(fd);
	test_rejects(KPR_FORMAT_CSV, csv);
	fd = mkstemps(yaml, 5);
	close(fd);
	test_rejects(KPR_FORMAT_YAML, yaml);
	unlink(csv);
	unlink(yaml);
	return done_testing();
}
