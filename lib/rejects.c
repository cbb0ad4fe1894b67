/*
 * rejects.c: rejected records written back in the input's format, with the reason; see rejects.h.
 *
 * CSV: UTF-8 with a byte-order mark (so that Excel and WPS, which take a CSV without one for the
 * local code page, show the Chinese text), CRLF line ends, every non-empty field quoted by
 * libcsv; the header with an added "error" column, then each record padded to the header's
 * width so that its reason lands under "error"; a text field a spreadsheet would take for a
 * formula with an apostrophe before it (sheetguard.h).  YAML: a list of mappings written by libyaml's
 * emitter, every value double-quoted (so that "null", "010" or "yes" read back as the text they
 * were) and NULL as ~, each with an added "error" key.  Both read back with kpr_reader_open().
 */
#include "rejects.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "log.h"
#include "money.h"
#include "sheetguard.h"
#include "strbuf.h"

#define ERROR_KEY "error"

struct kpr_rejects {
	char *path;
	FILE *fp;
	enum kpr_format format;
	size_t width;			/* the header's number of fields */
	char **names;			/* YAML: keys for records that have none (CSV records) */
	yaml_emitter_t emitter;
	bool emitting;
	bool failed;
	int saved_errno;
};

static void csv_field(struct kpr_rejects *w, const char *s, bool first)
{
	if (!first && putc(',', w->fp) == EOF)
		w->failed = true;
	if (s && *s && csv_fwrite(w->fp, s, strlen(s)) != 0)
		w->failed = true;
}

/*
 * A rejected record's field: a number as it came, a text with the formula guard of
 * sheetguard.h, so that the file reads back as the input did (an apostrophe the input had is
 * not doubled) and a spreadsheet runs nothing in it.  Without the columns' types here, a field
 * is a number when it reads as an amount.
 */
static void csv_cell(struct kpr_rejects *w, const char *s, bool first)
{
	int64_t yuan;
	const char *why;

	if (!s || !*s || kpr_money_parse(s, KPR_UNIT_YI, &yuan, &why) == KPR_OK) {
		csv_field(w, s, first);
		return;
	}
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char *copy = kpr_xstrdup(s);
	kpr_sheetguard_add(&sb, kpr_sheetguard_strip(copy, false));
	csv_field(w, sb.buf, first);
	kpr_strbuf_release(&sb);
	free(copy);
}

static void csv_end_row(struct kpr_rejects *w)
{
	if (fputs("\r\n", w->fp) == EOF)
		w->failed = true;
}

static bool emit(struct kpr_rejects *w, yaml_event_t *ev)
{
	if (w->failed)
		return false;
	if (!yaml_emitter_emit(&w->emitter, ev)) {
		w->failed = true;
		return false;
	}
	return true;
}

static void emit_scalar(struct kpr_rejects *w, const char *s, bool is_key)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = is_key ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;

	if (!s) {
		s = "~";
		style = YAML_PLAIN_SCALAR_STYLE;
	}
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style)) {
		w->failed = true;
		return;
	}
	emit(w, &ev);
}

static void rejects_free(struct kpr_rejects *w)
{
	if (w->emitting)
		yaml_emitter_delete(&w->emitter);
	if (w->names) {
		for (size_t i = 0; i < w->width; i++)
			free(w->names[i]);
		free(w->names);
	}
	free(w->path);
	free(w);
}

/* The step that failed, if any, as KPR_EFILE and a message; KPR_OK otherwise. */
static int check(struct kpr_rejects *w)
{
	if (!w->failed && !ferror(w->fp))
		return KPR_OK;
	if (w->format == KPR_FORMAT_YAML && w->emitter.error == YAML_EMITTER_ERROR && w->emitter.problem)
		kpr_log_error(_("cannot write '%s': %s"), w->path, w->emitter.problem);
	else
		kpr_log_error(_("cannot write '%s': %s"), w->path, strerror(errno ? errno : EIO));
	w->failed = true;
	return KPR_EFILE;
}

int kpr_rejects_open(struct kpr_rejects **wp, const char *path, enum kpr_format format,
		     const struct kpr_record *header, bool overwrite)
{
	struct kpr_rejects *w;
	yaml_event_t ev;

	*wp = NULL;
	if (format == KPR_FORMAT_AUTO) {
		const char *dot = strrchr(path, '.');
		format = dot && (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0)
			 ? KPR_FORMAT_YAML : KPR_FORMAT_CSV;
	}
	/* "x": never replace a file (the rejects of an earlier run, or a list) unless asked to */
	FILE *fp = fopen(path, overwrite ? "wb" : "wbx");
	if (!fp && errno == EEXIST) {
		kpr_log_error(_("rejects file '%s' exists; give --overwrite-rejects to replace it"), path);
		return KPR_EINPUT;
	}
	if (!fp) {
		kpr_log_error(_("cannot create '%s': %s"), path, strerror(errno));
		return KPR_EFILE;
	}
	w = kpr_xcalloc(1, sizeof(*w));
	w->path = kpr_xstrdup(path);
	w->fp = fp;
	w->format = format;
	w->width = header ? header->nfields : 0;
	errno = 0;

	if (format == KPR_FORMAT_CSV) {
		if (fputs("\xEF\xBB\xBF", fp) == EOF)
			w->failed = true;
		if (header) {
			for (size_t i = 0; i < header->nfields; i++)
				csv_field(w, header->fields[i], i == 0);
			csv_field(w, ERROR_KEY, header->nfields == 0);
			csv_end_row(w);
		}
	} else {
		if (header) {
			w->names = kpr_xcalloc(header->nfields + 1, sizeof(*w->names));
			for (size_t i = 0; i < header->nfields; i++)
				w->names[i] = header->fields[i] ? kpr_xstrdup(header->fields[i]) : NULL;
		}
		if (!yaml_emitter_initialize(&w->emitter))
			abort();	/* out of memory */
		w->emitting = true;
		yaml_emitter_set_output_file(&w->emitter, fp);
		yaml_emitter_set_unicode(&w->emitter, 1);
		yaml_emitter_set_width(&w->emitter, -1);
		yaml_emitter_set_break(&w->emitter, YAML_LN_BREAK);
		if (yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
			emit(w, &ev);
		if (yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
			emit(w, &ev);
		if (yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE))
			emit(w, &ev);
	}
	int rc = check(w);
	if (rc != KPR_OK) {
		fclose(w->fp);
		rejects_free(w);
		remove(path);
		return rc;
	}
	*wp = w;
	return KPR_OK;
}

int kpr_rejects_write(struct kpr_rejects *w, const struct kpr_record *rec, const char *error)
{
	yaml_event_t ev;

	if (w->failed)
		return KPR_EFILE;
	if (w->format == KPR_FORMAT_CSV) {
		size_t n = rec->nfields > w->width ? rec->nfields : w->width;
		for (size_t i = 0; i < n; i++)
			csv_cell(w, i < rec->nfields ? rec->fields[i] : NULL, i == 0);
		csv_cell(w, error ? error : "", n == 0);
		csv_end_row(w);
		return check(w);
	}

	if (yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE))
		emit(w, &ev);
	for (size_t i = 0; i < rec->nfields; i++) {
		struct kpr_strbuf name = KPR_STRBUF_INIT;
		const char *key = rec->keys ? rec->keys[i] : NULL;
		if (!key && w->names && i < w->width)
			key = w->names[i];
		if (!key) {
			kpr_strbuf_addf(&name, "column %zu", i + 1);
			key = name.buf;
		}
		emit_scalar(w, key, true);
		emit_scalar(w, rec->fields[i], false);
		kpr_strbuf_release(&name);
	}
	emit_scalar(w, ERROR_KEY, true);
	emit_scalar(w, error ? error : "", false);
	if (yaml_mapping_end_event_initialize(&ev))
		emit(w, &ev);
	return check(w);
}

int kpr_rejects_close(struct kpr_rejects *w)
{
	yaml_event_t ev;
	int rc;

	if (!w)
		return KPR_OK;
	if (w->emitting) {
		if (yaml_sequence_end_event_initialize(&ev))
			emit(w, &ev);
		if (yaml_document_end_event_initialize(&ev, 1))
			emit(w, &ev);
		if (yaml_stream_end_event_initialize(&ev))
			emit(w, &ev);
		if (!w->failed && !yaml_emitter_flush(&w->emitter))
			w->failed = true;
	}
	if (fflush(w->fp) == EOF)
		w->failed = true;
	rc = check(w);
	if (fclose(w->fp) == EOF && rc == KPR_OK) {
		kpr_log_error(_("cannot write '%s': %s"), w->path, strerror(errno));
		rc = KPR_EFILE;
	}
	rejects_free(w);
	return rc;
}
