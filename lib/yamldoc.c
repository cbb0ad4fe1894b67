/* yamldoc.c: a YAML document walked with its checks and typed getters; see yamldoc.h. */
#include "yamldoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define DIGITS "0123456789"

int kpr_yaml_read(FILE *f, const char *path, struct kpr_strbuf *sb)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		kpr_strbuf_add(sb, chunk, n);
	if (ferror(f))
		return kpr_fail(KPR_EFILE, _("cannot read '%s': %s"), path, strerror(errno));
	return KPR_OK;
}

/* Line and column (in characters) of a byte offset, for libyaml's reader errors. */
static struct kpr_mark offset_mark(const char *buf, size_t len, size_t offset)
{
	struct kpr_mark m = { 1, 1 };
	for (size_t i = 0; i < offset && i < len; i++) {
		if (buf[i] == '\n')
			m.line++, m.column = 1;
		else if (((unsigned char)buf[i] & 0xC0) != 0x80)
			m.column++;
	}
	return m;
}

static void syntax_problem(struct kpr_yaml_doc *d)
{
	const yaml_parser_t *yp = &d->parser;
	struct kpr_mark at = { (long)yp->problem_mark.line + 1, (long)yp->problem_mark.column + 1 };

	if (d->flags & KPR_YAML_LIBYAML_WORDS) {
		kpr_problems_add(d->problems, at, "%s", yp->problem ? yp->problem : _("YAML syntax error"));
	} else if (yp->error == YAML_READER_ERROR) {
		kpr_problems_add(d->problems, offset_mark(d->buf, d->len, yp->problem_offset),
				 _("not valid UTF-8 (byte offset %zu): %s"), yp->problem_offset,
				 yp->problem ? yp->problem : _("bad input"));
	} else if (yp->error == YAML_MEMORY_ERROR) {
		struct kpr_mark start = { 1, 1 };
		kpr_problems_add(d->problems, start, _("out of memory"));
	} else if (yp->context) {
		kpr_problems_add(d->problems, at, _("YAML syntax: %s (%s at line %ld)"), yp->problem ? yp->problem : "?",
				 yp->context, (long)yp->context_mark.line + 1);
	} else {
		kpr_problems_add(d->problems, at, _("YAML syntax: %s"), yp->problem ? yp->problem : "?");
	}
}

bool kpr_yaml_doc_load(struct kpr_yaml_doc *d, const char *buf, size_t len, struct kpr_problems *problems,
		       unsigned flags)
{
	memset(d, 0, sizeof(*d));
	d->problems = problems;
	d->buf = buf;
	d->len = len;
	d->flags = flags;
	if (!yaml_parser_initialize(&d->parser))
		abort();	/* out of memory */
	yaml_parser_set_input_string(&d->parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&d->parser, &d->doc)) {
		syntax_problem(d);
		return false;
	}
	d->loaded = true;
	d->seen = kpr_xcalloc((size_t)(d->doc.nodes.top - d->doc.nodes.start) + 1, 1);
	return true;
}

bool kpr_yaml_doc_next(struct kpr_yaml_doc *d, struct kpr_mark *at)
{
	yaml_document_t next;
	bool more = false;

	if (!yaml_parser_load(&d->parser, &next)) {
		syntax_problem(d);
		return false;
	}
	yaml_node_t *root = yaml_document_get_root_node(&next);
	if (root) {
		*at = kpr_yaml_mark(root);
		more = true;
	}
	yaml_document_delete(&next);
	return more;
}

void kpr_yaml_doc_release(struct kpr_yaml_doc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
	free(d->seen);
	d->seen = NULL;
	yaml_parser_delete(&d->parser);
}

yaml_node_t *kpr_yaml_doc_root(struct kpr_yaml_doc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

yaml_node_t *kpr_yaml_node(struct kpr_yaml_doc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

struct kpr_mark kpr_yaml_mark(const yaml_node_t *n)
{
	struct kpr_mark m = { (long)n->start_mark.line + 1, (long)n->start_mark.column + 1 };
	return m;
}

void kpr_yaml_problem(struct kpr_yaml_doc *d, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kpr_problems_vadd(d->problems, kpr_yaml_mark(n), fmt, ap);
	va_end(ap);
}

bool kpr_yaml_is_null(const yaml_node_t *n)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };

	if (n->type != YAML_SCALAR_NODE)
		return false;
	if (n->tag && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0)
		return true;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(words); i++)
		if (strcmp((const char *)n->data.scalar.value, words[i]) == 0)
			return true;
	return false;
}

const char *kpr_yaml_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return _("a mapping");
	if (n->type == YAML_SEQUENCE_NODE)
		return _("a list");
	if (kpr_yaml_is_null(n))
		return _("null");
	return _("a text");
}

bool kpr_yaml_tag_ok(struct kpr_yaml_doc *d, const yaml_node_t *n)
{
	static const char *const known[] = { YAML_STR_TAG, YAML_INT_TAG, YAML_BOOL_TAG, YAML_NULL_TAG,
					     YAML_FLOAT_TAG, YAML_SEQ_TAG, YAML_MAP_TAG };
	const char *tag = (const char *)n->tag;

	if (!tag)
		return true;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(known); i++)
		if (strcmp(tag, known[i]) == 0)
			return true;
	kpr_yaml_problem(d, n, _("unexpected tag '%s': a value starting with '!' must be quoted"), tag);
	return false;
}

/* libyaml's loader gives an alias the node it names: meeting a node twice is meeting an alias. */
bool kpr_yaml_visit(struct kpr_yaml_doc *d, const yaml_node_t *n)
{
	size_t i = (size_t)(n - d->doc.nodes.start);
	if (d->seen[i]) {
		kpr_yaml_problem(d, n, _("a repeated node (a YAML alias) is not allowed here; write it out"));
		return false;
	}
	d->seen[i] = 1;
	return true;
}

const char *kpr_yaml_key(struct kpr_yaml_doc *d, const yaml_node_t *k)
{
	if (k->type != YAML_SCALAR_NODE) {
		kpr_yaml_problem(d, k, _("a key must be a text, not %s"), kpr_yaml_kind(k));
		return NULL;
	}
	return (const char *)k->data.scalar.value;
}

const yaml_node_t *kpr_yaml_earlier_key(struct kpr_yaml_doc *d, const yaml_node_t *map, const yaml_node_pair_t *pair)
{
	const yaml_node_t *k = kpr_yaml_node(d, pair->key);

	if (!k || k->type != YAML_SCALAR_NODE)
		return NULL;
	for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pair; q++) {
		const yaml_node_t *qk = kpr_yaml_node(d, q->key);
		if (qk && qk->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)qk->data.scalar.value, (const char *)k->data.scalar.value) == 0)
			return qk;
	}
	return NULL;
}

/* Key k of a mapping walked against f: which field it is, or a problem. */
static void match_key(struct kpr_yaml_doc *d, yaml_node_t *k, yaml_node_t *v, const char *what,
		      struct kpr_yaml_field *f, size_t nf)
{
	const char *key = kpr_yaml_key(d, k);
	size_t i;

	if (!key)
		return;
	for (i = 0; i < nf; i++)
		if (strcmp(f[i].key, key) == 0)
			break;
	if (i == nf) {
		struct kpr_strbuf keys = KPR_STRBUF_INIT;
		for (size_t j = 0; j < nf; j++)
			kpr_strbuf_addf(&keys, "%s%s", j ? ", " : "", f[j].key);
		kpr_yaml_problem(d, k, _("unknown key '%s' in %s (known: %s)"), key, what, keys.buf);
		kpr_strbuf_release(&keys);
	} else if (f[i].key_node) {
		kpr_yaml_problem(d, k, _("duplicate key '%s' (first at line %ld)"), key, kpr_yaml_mark(f[i].key_node).line);
	} else {
		f[i].key_node = k;
		f[i].value = v;
	}
}

bool kpr_yaml_walk_mapping(struct kpr_yaml_doc *d, yaml_node_t *node, const char *what, struct kpr_yaml_field *f,
			   size_t nf)
{
	if (!kpr_yaml_tag_ok(d, node))
		return false;
	if (node->type != YAML_MAPPING_NODE) {
		kpr_yaml_problem(d, node, _("%s must be a mapping (key: value), not %s"), what, kpr_yaml_kind(node));
		return false;
	}
	if (!kpr_yaml_visit(d, node))
		return false;
	for (size_t i = 0; i < nf; i++)
		f[i].value = f[i].key_node = NULL;
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = kpr_yaml_node(d, pair->key), *v = kpr_yaml_node(d, pair->value);
		if (k && v)
			match_key(d, k, v, what, f, nf);
	}
	for (size_t i = 0; i < nf; i++)
		if (f[i].required && !f[i].key_node)
			kpr_yaml_problem(d, node, _("missing key '%s' in %s"), f[i].key, what);
	return true;
}

bool kpr_yaml_text(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool nullable, char **out,
		   struct kpr_mark *at)
{
	*out = NULL;
	if (!v)
		return true;
	if (at)
		*at = kpr_yaml_mark(v);
	if (!kpr_yaml_tag_ok(d, v))
		return false;
	if (v->type != YAML_SCALAR_NODE) {
		kpr_yaml_problem(d, v, _("'%s' must be a text, not %s"), key, kpr_yaml_kind(v));
		return false;
	}
	const char *s = (const char *)v->data.scalar.value;
	size_t len = v->data.scalar.length;
	if (kpr_yaml_is_null(v) || len == 0) {
		if (nullable)
			return true;
		kpr_yaml_problem(d, v, _("'%s' must not be empty"), key);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
			kpr_yaml_problem(d, v, _("'%s' contains a control character (a line break, a tab...)"), key);
			return false;
		}
	}
	*out = kpr_xstrndup(s, len);
	return true;
}

void kpr_yaml_code(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool nullable, const char *set,
		   size_t min, size_t max, const char *must, char **out, struct kpr_mark *at)
{
	if (!kpr_yaml_text(d, v, key, nullable, out, at) || !*out)
		return;
	size_t len = strlen(*out);
	if (len < min || len > max || strspn(*out, set) != len) {
		kpr_yaml_problem(d, v, must, *out);
		free(*out);
		*out = NULL;
	}
}

bool kpr_yaml_int(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, long min, long max, int *out)
{
	if (!v || !kpr_yaml_tag_ok(d, v))
		return false;
	if (v->type != YAML_SCALAR_NODE || kpr_yaml_is_null(v)) {
		kpr_yaml_problem(d, v, _("'%s' must be a whole number, not %s"), key, kpr_yaml_kind(v));
		return false;
	}
	const char *s = (const char *)v->data.scalar.value;
	const char *digits = s + (*s == '-');
	if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		kpr_yaml_problem(d, v, _("'%s' must be a whole number, not a quoted text"), key);
		return false;
	}
	if (!*digits || strspn(digits, DIGITS) != strlen(digits) || strlen(digits) > 9) {
		kpr_yaml_problem(d, v, _("'%s' must be a whole number, not '%s'"), key, s);
		return false;
	}
	long n = strtol(s, NULL, 10);
	if (n < min || n > max) {
		kpr_yaml_problem(d, v, _("'%s' %ld is out of range (%ld to %ld)"), key, n, min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

bool kpr_yaml_bool(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" }, *const no[] = { "false", "False", "FALSE" };

	if (!v)
		return true;
	if (!kpr_yaml_tag_ok(d, v))
		return false;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (size_t i = 0; i < KPR_ARRAY_SIZE(yes); i++) {
			if (strcmp((const char *)v->data.scalar.value, yes[i]) == 0)
				return *out = true, true;
			if (strcmp((const char *)v->data.scalar.value, no[i]) == 0)
				return *out = false, true;
		}
	}
	if (v->type == YAML_SCALAR_NODE && !kpr_yaml_is_null(v))
		kpr_yaml_problem(d, v, _("'%s' must be true or false (unquoted), not '%s'"), key,
				 (const char *)v->data.scalar.value);
	else
		kpr_yaml_problem(d, v, _("'%s' must be true or false, not %s"), key, kpr_yaml_kind(v));
	return false;
}

bool kpr_yaml_list(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, yaml_node_item_t **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (!kpr_yaml_tag_ok(d, v))
		return false;
	if (kpr_yaml_is_null(v))
		return true;
	if (v->type != YAML_SEQUENCE_NODE) {
		kpr_yaml_problem(d, v, _("'%s' must be a list, not %s"), key, kpr_yaml_kind(v));
		return false;
	}
	if (!kpr_yaml_visit(d, v))
		return false;
	*items = v->data.sequence.items.start;
	*n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	return true;
}

void *kpr_yaml_list_of(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, size_t size,
		       yaml_node_item_t **items, size_t *n)
{
	if (!v || !kpr_yaml_list(d, v, key, items, n))
		return NULL;
	return kpr_xcalloc(*n ? *n : 1, size);
}

bool kpr_yaml_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, const char *what,
		   struct kpr_yaml_field *f, size_t nf, struct kpr_mark *at)
{
	yaml_node_t *item = kpr_yaml_node(d, items[i]);
	*at = kpr_yaml_mark(item);
	return kpr_yaml_walk_mapping(d, item, what, f, nf);
}
