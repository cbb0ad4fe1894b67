/*
 * yamlin.c: YAML records with libyaml's event parser, one mapping at a time.
 *
 * The document is a sequence of mappings, or a mapping with a single key whose value is such a
 * sequence ("projects: [...]"); an empty document has no records.  Each mapping is a record,
 * its line the line of the mapping's start.  Values are scalars: a list or mapping as a value
 * is an error at its line and column, as are aliases (which also shuts out "billion laughs")
 * and a key repeated within a mapping.  A plain ~, null, Null or NULL (or nothing, or the tag
 * !!null) is a NULL field; a quoted "null" is the string; any empty value is NULL, as in CSV.
 * Numbers and booleans come as the text written: the caller parses values.
 *
 * libyaml reads through read_input(), which takes the decoder's checked UTF-8, so a GB18030
 * file reads like any other and memory stays flat.
 */
#include "reader_impl.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "encoding.h"
#include "strbuf.h"

enum yamlin_state {
	ST_STREAM,		/* before the stream starts */
	ST_DOCUMENT,		/* before the document */
	ST_TOP,			/* the document's node */
	ST_WRAP_KEY,		/* in the top mapping: its key */
	ST_WRAP_VALUE,		/* ... and its value */
	ST_ITEMS,		/* in the sequence of records */
	ST_WRAP_END,		/* after the sequence, in the top mapping */
	ST_DOCUMENT_END,	/* after the document's node */
	ST_STREAM_END,		/* after the document */
	ST_DONE
};

struct kpr_yamlin {
	struct kpr_reader *r;
	yaml_parser_t parser;
	enum yamlin_state state;
	bool pending_cr;	/* for counting lines in read_input() */
	char *wrap_key;		/* the top mapping's key, for messages */
};

static int read_input(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct kpr_reader *r = data;
	struct kpr_yamlin *y = r->yaml;
	int rc = kpr_reader_fill(r);

	*size_read = 0;
	if (rc < 0)
		return 0;
	if (rc == 0)
		return 1;
	size_t n = r->seg_len < size ? r->seg_len : size;
	memcpy(buffer, r->seg, n);
	r->line += kpr_count_line_breaks(r->seg, n, &y->pending_cr);
	kpr_reader_consume(r, n);
	*size_read = n;
	return 1;
}

struct kpr_yamlin *kpr_yamlin_new(struct kpr_reader *r)
{
	struct kpr_yamlin *y = kpr_xcalloc(1, sizeof(*y));
	y->r = r;
	if (!yaml_parser_initialize(&y->parser))
		abort();	/* out of memory */
	yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input(&y->parser, read_input, r);
	return y;
}

void kpr_yamlin_free(struct kpr_yamlin *y)
{
	if (!y)
		return;
	yaml_parser_delete(&y->parser);
	free(y->wrap_key);
	free(y);
}

static int parser_error(struct kpr_reader *r, yaml_parser_t *p)
{
	if (r->status != KPR_OK)
		return r->status;	/* our own read or encoding error, printed */
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return kpr_reader_error(r, (long)p->mark.line + 1, 0, _("out of memory parsing YAML"));
	case YAML_READER_ERROR:
		return kpr_reader_error(r, (long)p->mark.line + 1, 0, _("invalid YAML: %s"),
					p->problem ? p->problem : "?");
	default:
		if (p->context)
			return kpr_reader_error(r, (long)p->problem_mark.line + 1, (long)p->problem_mark.column + 1,
						_("invalid YAML: %s (%s)"), p->problem ? p->problem : "?",
						p->context);
		return kpr_reader_error(r, (long)p->problem_mark.line + 1, (long)p->problem_mark.column + 1,
					_("invalid YAML: %s"), p->problem ? p->problem : "?");
	}
}

static int mark_error(struct kpr_reader *r, const yaml_mark_t *m, const char *what)
{
	return kpr_reader_error(r, (long)m->line + 1, (long)m->column + 1, "%s", what);
}

static bool scalar_is_null(const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	if (tag)
		return strcmp(tag, YAML_NULL_TAG) == 0;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 || memcmp(v, "NULL", 4) == 0));
}

static const char *node_kind(yaml_event_type_t t)
{
	switch (t) {
	case YAML_SEQUENCE_START_EVENT: return _("a list");
	case YAML_MAPPING_START_EVENT: return _("a mapping");
	case YAML_ALIAS_EVENT: return _("an alias");
	default: return _("a single value");
	}
}

/* The events of one mapping, after its start, into the record.  Returns KPR_OK or the error. */
static int read_mapping(struct kpr_reader *r, struct kpr_yamlin *y)
{
	yaml_event_t key, val;
	int rc = KPR_OK;

	for (;;) {
		if (!yaml_parser_parse(&y->parser, &key))
			return parser_error(r, &y->parser);
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return KPR_OK;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			rc = kpr_reader_error(r, (long)key.start_mark.line + 1, (long)key.start_mark.column + 1,
					      _("a key must be a single value, not %s"), node_kind(key.type));
			yaml_event_delete(&key);
			return rc;
		}
		const char *k = (const char *)key.data.scalar.value;
		for (size_t i = 0; i < r->nfields; i++) {
			if (strcmp(r->arena.buf + r->key_offs[i], k) == 0) {
				rc = kpr_reader_error(r, (long)key.start_mark.line + 1,
						      (long)key.start_mark.column + 1, _("duplicate key '%s'"), k);
				yaml_event_delete(&key);
				return rc;
			}
		}
		if (!yaml_parser_parse(&y->parser, &val)) {
			yaml_event_delete(&key);
			return parser_error(r, &y->parser);
		}
		if (val.type == YAML_SCALAR_EVENT &&
		    (memchr(val.data.scalar.value, 0, val.data.scalar.length) ||
		     memchr(key.data.scalar.value, 0, key.data.scalar.length))) {
			/* a "\0" escape: records are C strings */
			rc = kpr_reader_error(r, (long)val.start_mark.line + 1, (long)val.start_mark.column + 1,
					      _("NUL character in the value of '%s'"), k);
		} else if (val.type != YAML_SCALAR_EVENT) {
			rc = kpr_reader_error(r, (long)val.start_mark.line + 1, (long)val.start_mark.column + 1,
					      _("the value of '%s' must be a single value, not %s"), k,
					      node_kind(val.type));
		} else if (scalar_is_null(&val)) {
			kpr_reader_rec_add(r, k, key.data.scalar.length, NULL, 0);
		} else {
			kpr_reader_rec_add(r, k, key.data.scalar.length, (const char *)val.data.scalar.value,
					   val.data.scalar.length);
		}
		yaml_event_delete(&key);
		yaml_event_delete(&val);
		if (rc != KPR_OK)
			return rc;
	}
}

int kpr_yamlin_next(struct kpr_reader *r, const struct kpr_record **rec)
{
	struct kpr_yamlin *y = r->yaml;
	yaml_event_t ev;
	int rc = KPR_OK;

	*rec = NULL;
	kpr_reader_rec_reset(r);
	while (y->state != ST_DONE) {
		if (!yaml_parser_parse(&y->parser, &ev))
			return parser_error(r, &y->parser);
		const char *bad = NULL;		/* what this event does wrong here */
		switch (y->state) {
		case ST_STREAM:
			y->state = ST_DOCUMENT;
			break;
		case ST_DOCUMENT:
			if (ev.type == YAML_DOCUMENT_START_EVENT)
				y->state = ST_TOP;
			else
				y->state = ST_DONE;	/* an empty stream */
			break;
		case ST_TOP:
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				y->state = ST_ITEMS;
			else if (ev.type == YAML_MAPPING_START_EVENT)
				y->state = ST_WRAP_KEY;
			else if (ev.type == YAML_SCALAR_EVENT && scalar_is_null(&ev))
				y->state = ST_DOCUMENT_END;
			else
				bad = _("expected a list of mappings, one per record");
			break;
		case ST_WRAP_KEY:
			if (ev.type == YAML_SCALAR_EVENT) {
				y->wrap_key = kpr_xstrdup((const char *)ev.data.scalar.value);
				y->state = ST_WRAP_VALUE;
			} else if (ev.type == YAML_MAPPING_END_EVENT) {
				y->state = ST_DOCUMENT_END;
			} else {
				bad = _("expected a list of mappings, one per record");
			}
			break;
		case ST_WRAP_VALUE:
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				y->state = ST_ITEMS;
			else if (ev.type == YAML_SCALAR_EVENT && scalar_is_null(&ev))
				y->state = ST_WRAP_END;
			else
				bad = _("expected a list of mappings, one per record");
			break;
		case ST_ITEMS:
			if (ev.type == YAML_MAPPING_START_EVENT) {
				long line = (long)ev.start_mark.line + 1;
				yaml_event_delete(&ev);
				if ((rc = read_mapping(r, y)) != KPR_OK)
					return rc;
				*rec = kpr_reader_rec_finish(r, line, true);
				return KPR_OK;
			}
			if (ev.type == YAML_SEQUENCE_END_EVENT)
				y->state = y->wrap_key ? ST_WRAP_END : ST_DOCUMENT_END;
			else
				bad = _("each item of the list must be a mapping of keys to values");
			break;
		case ST_WRAP_END:
			if (ev.type == YAML_MAPPING_END_EVENT)
				y->state = ST_DOCUMENT_END;
			else
				bad = _("expected a single key holding the list of records");
			break;
		case ST_DOCUMENT_END:
			y->state = ST_STREAM_END;	/* the parser gives nothing but DOCUMENT-END here */
			break;
		case ST_STREAM_END:
			if (ev.type == YAML_STREAM_END_EVENT)
				y->state = ST_DONE;
			else
				bad = _("more than one YAML document");
			break;
		case ST_DONE:
			break;
		}
		if (bad)
			rc = mark_error(r, &ev.start_mark, bad);
		yaml_event_delete(&ev);
		if (rc != KPR_OK)
			return rc;
	}
	return KPR_OK;
}
