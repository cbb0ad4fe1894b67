/*
 * reader.h: the records of a CSV or YAML input file, as UTF-8, each with its line number.
 *
 *     struct kpr_reader *r;
 *     const struct kpr_record *rec;
 *     if ((rc = kpr_reader_open(&r, "projects.csv", &opts)) != KPR_OK) return rc;
 *     while ((rc = kpr_reader_next(r, &rec)) == KPR_OK && rec) ... rec->fields[i] ...
 *     kpr_reader_free(r);
 *
 * CSV (libcsv, strict): every record as it is, the header and any title rows included; the
 * caller decides what is a header.  Blank lines are skipped (but counted), and spaces around
 * unquoted fields dropped; a record whose fields are all empty (a spreadsheet's trailing ",,,,")
 * is still returned: skip it.  YAML (libyaml): a sequence of mappings, one record each, with
 * keys[] naming each field; the sequence may also be the value of a top mapping's only key
 * ("projects: [...]").  Values must be scalars; a plain ~ or null is NULL, a quoted "null" the
 * string.  Both stream: memory stays flat whatever the file size.
 *
 * Encodings: UTF-8 with or without BOM; GB18030 (and so GBK) converted with iconv.  AUTO takes
 * UTF-8 unless the start of the file is not valid UTF-8 and its first records, decoded as
 * GB18030, satisfy opts.probe (a header with known column names; for YAML the probe gets a
 * mapping's keys as fields); otherwise the file is rejected.  Invalid bytes for the encoding,
 * and NUL bytes, are an error naming line and byte offset (from 0, in the raw file).
 *
 * Workbooks (.xlsx, and .xls BIFF8 through libfreexl), known by their content (a zip or OLE2
 * signature) whatever their name: the rows of one sheet (opts.sheet: a name or a 1-based
 * number; by default the first visible), each record's line the row number, each field a
 * cell's text as a CSV export shows it (xlnum.h: numbers to 15 significant digits, dates
 * YYYY-MM-DD), rows without a value left out.  Messages then call the file FILE:SHEET; an
 * error in a cell names it (plan.xlsx:Sheet1:12:F12: the cell holds the error #DIV/0!).  An
 * .xlsx streams (one row in memory; its shared strings are held whole); an .xls is read by
 * libfreexl, which holds it whole.  See xlsxin.c, xlsin.c.
 *
 * Errors are printed (kpr_diag: FILE:LINE: message) and returned: KPR_EFILE when the file
 * cannot be opened or read, KPR_EINPUT for malformed input (bad bytes, unterminated quote,
 * a YAML syntax error, not a list of mappings; a damaged, encrypted or missing workbook or
 * sheet; an error cell), KPR_EUSAGE for a sheet asked of a text file.  The
 * records before a malformed spot come first; the error comes in their place when next()
 * reaches it.  After an error the reader is done.
 */
#ifndef KPR_READER_H
#define KPR_READER_H

#include "kpr.h"

enum kpr_format { KPR_FORMAT_AUTO, KPR_FORMAT_CSV, KPR_FORMAT_YAML, KPR_FORMAT_XLSX, KPR_FORMAT_XLS };
enum kpr_encoding { KPR_ENCODING_AUTO, KPR_ENCODING_UTF8, KPR_ENCODING_GB18030 };

struct kpr_record {
	long line;		/* physical line (1-based) where the record starts */
	size_t nfields;
	char **fields;		/* UTF-8, NUL-terminated; NULL for an empty field */
	char **keys;		/* YAML: each field's key; CSV: NULL */
};

/* Does this record look like a header row?  Used to recognise GB18030 files. */
typedef bool (*kpr_header_probe)(const struct kpr_record *rec, void *arg);

struct kpr_reader_options {
	enum kpr_format format;		/* AUTO: a workbook by its content, else by extension
					   (.csv, .txt → CSV; .yaml, .yml → YAML) */
	enum kpr_encoding encoding;
	kpr_header_probe probe;		/* may be NULL: then AUTO means UTF-8 only */
	void *probe_arg;
	const char *sheet;		/* workbooks: the sheet's name or 1-based number; NULL: the
					   first visible */
	bool quiet;			/* a probe: no messages (a missing sheet is only KPR_EINPUT) */
};

/* Is the format a workbook (XLSX, XLS)? */
static inline bool kpr_format_is_workbook(enum kpr_format f)
{
	return f == KPR_FORMAT_XLSX || f == KPR_FORMAT_XLS;
}

struct kpr_reader;

/* path "-" reads stdin (called "<stdin>" in messages); otherwise messages name the path. */
int kpr_reader_open(struct kpr_reader **r, const char *path, const struct kpr_reader_options *opts) KPR_WARN_UNUSED;
/* The same over a buffer in memory (tests, fuzzing); the buffer must outlive the reader.
 * name may be NULL ("<memory>"). */
int kpr_reader_open_mem(struct kpr_reader **r, const char *name, const void *buf, size_t len,
			const struct kpr_reader_options *opts) KPR_WARN_UNUSED;

/*
 * The next record in *rec, valid until the next call; *rec = NULL at the end of the file.
 * Returns KPR_OK, or the error status (printed) after which the reader yields nothing more.
 */
int kpr_reader_next(struct kpr_reader *r, const struct kpr_record **rec) KPR_WARN_UNUSED;

const char *kpr_reader_name(const struct kpr_reader *r);
enum kpr_format kpr_reader_format(const struct kpr_reader *r);
enum kpr_encoding kpr_reader_encoding(const struct kpr_reader *r);	/* as detected */
/* Bytes consumed so far and the file size (0 when unknown, e.g. a pipe): for a progress bar. */
uint64_t kpr_reader_offset(const struct kpr_reader *r);
uint64_t kpr_reader_size(const struct kpr_reader *r);
/* SHA-256 of the file's raw bytes, 64 hex digits, once next() has returned NULL; NULL before. */
const char *kpr_reader_checksum(struct kpr_reader *r);
void kpr_reader_free(struct kpr_reader *r);

#endif
