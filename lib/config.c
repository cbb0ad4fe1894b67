/* config.c: the configuration file: parse and check (no database), store, fetch; see config.h. */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "db.h"
#include "diag.h"
#include "log.h"

const struct kpr_config_measure kpr_config_measures[] = {
	{ "completed", KPR_MEASURE_BOOL },
	{ "started", KPR_MEASURE_BOOL },
	{ "under_construction", KPR_MEASURE_BOOL },
	{ "has_plan", KPR_MEASURE_BOOL },
	{ "reported", KPR_MEASURE_BOOL },
	{ "completion_rate", KPR_MEASURE_NUMBER },
	{ "time_progress", KPR_MEASURE_NUMBER },
	{ "points_behind", KPR_MEASURE_NUMBER },
	{ "start_overdue_months", KPR_MEASURE_COUNT },
	{ "months_without_investment", KPR_MEASURE_COUNT },
};
const size_t kpr_config_nmeasures = KPR_ARRAY_SIZE(kpr_config_measures);

/* In the order a range reads: "points_behind > 0 and points_behind <= 30". */
static const char *const operators[] = { ">", ">=", "=", "!=", "<=", "<" };

static const struct {
	const char *name, *alias;
} colours[] = {
	{ "red", "红" }, { "yellow", "黄" }, { "green", "绿" }, { "blue", "蓝" },
};

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

const struct kpr_config_measure *kpr_config_measure_find(const char *name)
{
	for (size_t i = 0; i < kpr_config_nmeasures; i++)
		if (strcmp(kpr_config_measures[i].name, name) == 0)
			return &kpr_config_measures[i];
	return NULL;
}

static size_t op_rank(const char *op)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(operators); i++)
		if (strcmp(operators[i], op) == 0)
			return i;
	return KPR_ARRAY_SIZE(operators);
}

static bool str_eq(const char *a, const char *b)
{
	return (a && b) ? strcmp(a, b) == 0 : a == b;
}

/* s consists of min..max characters, all from set */
static bool shape_ok(const char *s, const char *set, size_t min, size_t max)
{
	size_t len = strlen(s);
	return len >= min && len <= max && strspn(s, set) == len;
}

/*
 * Problems, collected and printed in file order once all are known, so that the checks can
 * run in whatever order suits them.
 */
struct problem {
	struct kpr_config_mark at;
	size_t seq;
	char *msg;
};

struct problems {
	struct problem *v;
	size_t n, alloc;
};

static void problem_add(struct problems *ps, struct kpr_config_mark at, const char *fmt, ...) KPR_PRINTF(3, 4);
static void problem_add(struct problems *ps, struct kpr_config_mark at, const char *fmt, ...)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	kpr_strbuf_grow(&sb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb.len = (size_t)n;
	if (ps->n == ps->alloc) {
		ps->alloc = ps->alloc ? 2 * ps->alloc : 16;
		ps->v = kpr_xrealloc(ps->v, ps->alloc * sizeof(*ps->v));
	}
	ps->v[ps->n].at = at;
	ps->v[ps->n].seq = ps->n;
	ps->v[ps->n].msg = kpr_strbuf_detach(&sb);
	ps->n++;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.column != y->at.column)
		return x->at.column < y->at.column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void problems_free(struct problems *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].msg);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->alloc = 0;
}

/* Print the problems in file order, then the summary line; return how many there were. */
static size_t problems_flush(struct problems *ps, const char *file)
{
	size_t n = ps->n;

	if (n)
		qsort(ps->v, ps->n, sizeof(*ps->v), problem_cmp);
	for (size_t i = 0; i < ps->n; i++) {
		kpr_diag_col(file, ps->v[i].at.line, ps->v[i].at.column, "%s", ps->v[i].msg);
	}
	problems_free(ps);
	if (n)
		kpr_log_error(_("configuration '%s' rejected: %zu problem(s); nothing was written"), file, n);
	return n;
}

/* ------------------------------------------------------------------------------------------
 * Parsing: walk the YAML document along the format's schema.
 */

struct parser {
	const char *file;
	yaml_document_t *doc;
	struct problems problems;
	unsigned char *seen;	/* collection nodes already walked (aliases) */
};

static struct kpr_config_mark mark_of(const yaml_node_t *n)
{
	struct kpr_config_mark m = { (long)n->start_mark.line + 1, (long)n->start_mark.column + 1 };
	return m;
}

#define PROBLEM(p, node, ...) problem_add(&(p)->problems, mark_of(node), __VA_ARGS__)

static yaml_node_t *node_at(struct parser *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

static bool is_null(const yaml_node_t *n)
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

static const char *kind_of(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return _("a mapping");
	if (n->type == YAML_SEQUENCE_NODE)
		return _("a list");
	if (is_null(n))
		return _("null");
	return _("a text");
}

/*
 * YAML's own tags are fine; any other ("!=" from an unquoted "!= 0", "!foo") is a mistake,
 * reported once.  Returns whether the node may be used.
 */
static bool tag_ok(struct parser *p, yaml_node_t *n)
{
	static const char *const known[] = { YAML_STR_TAG, YAML_INT_TAG, YAML_BOOL_TAG, YAML_NULL_TAG,
					     YAML_FLOAT_TAG, YAML_SEQ_TAG, YAML_MAP_TAG };
	const char *tag = (const char *)n->tag;

	if (!tag)
		return true;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(known); i++)
		if (strcmp(tag, known[i]) == 0)
			return true;
	PROBLEM(p, n, _("unexpected tag '%s': a value starting with '!' must be quoted"), tag);
	return false;
}

/* A mapping or list walked twice is a YAML alias (*name) of one already used. */
static bool visit(struct parser *p, yaml_node_t *n)
{
	size_t i = (size_t)(n - p->doc->nodes.start);
	if (p->seen[i]) {
		PROBLEM(p, n, _("a repeated node (a YAML alias) is not allowed here; write it out"));
		return false;
	}
	p->seen[i] = 1;
	return true;
}

struct field {
	const char *key;
	bool required;
	yaml_node_t *value;	/* set by walk_mapping(); NULL when absent */
	yaml_node_t *key_node;
};
#define REQ(key) { key, true, NULL, NULL }
#define OPT(key) { key, false, NULL, NULL }

/*
 * Match the pairs of a mapping against the fields it may have: unknown and duplicate keys,
 * non-text keys and missing required keys are problems.  Returns whether node was a mapping.
 */
static bool walk_mapping(struct parser *p, yaml_node_t *node, const char *what, struct field *f, size_t nf)
{
	if (!tag_ok(p, node))
		return false;
	if (node->type != YAML_MAPPING_NODE) {
		PROBLEM(p, node, _("%s must be a mapping (key: value), not %s"), what, kind_of(node));
		return false;
	}
	if (!visit(p, node))
		return false;
	for (size_t i = 0; i < nf; i++)
		f[i].value = f[i].key_node = NULL;
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(p, pair->key), *v = node_at(p, pair->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			PROBLEM(p, k, _("a key must be a text, not %s"), kind_of(k));
			continue;
		}
		const char *key = (const char *)k->data.scalar.value;
		size_t i;
		for (i = 0; i < nf; i++)
			if (strcmp(f[i].key, key) == 0)
				break;
		if (i == nf) {
			struct kpr_strbuf keys = KPR_STRBUF_INIT;
			for (size_t j = 0; j < nf; j++)
				kpr_strbuf_addf(&keys, "%s%s", j ? ", " : "", f[j].key);
			PROBLEM(p, k, _("unknown key '%s' in %s (known: %s)"), key, what, keys.buf);
			kpr_strbuf_release(&keys);
		} else if (f[i].key_node) {
			PROBLEM(p, k, _("duplicate key '%s' (first at line %ld)"), key, mark_of(f[i].key_node).line);
		} else {
			f[i].key_node = k;
			f[i].value = v;
		}
	}
	for (size_t i = 0; i < nf; i++)
		if (f[i].required && !f[i].key_node)
			PROBLEM(p, node, _("missing key '%s' in %s"), f[i].key, what);
	return true;
}

/*
 * A text value.  Absent, or null when nullable: *out = NULL.  Any scalar is text as written,
 * quoted or not (codes may be written 131000 or "131000").  An empty text counts as null.
 */
static bool get_text(struct parser *p, yaml_node_t *v, const char *key, bool nullable, char **out,
		     struct kpr_config_mark *at)
{
	*out = NULL;
	if (!v)
		return true;
	if (at)
		*at = mark_of(v);
	if (!tag_ok(p, v))
		return false;
	if (v->type != YAML_SCALAR_NODE) {
		PROBLEM(p, v, _("'%s' must be a text, not %s"), key, kind_of(v));
		return false;
	}
	const char *s = (const char *)v->data.scalar.value;
	size_t len = v->data.scalar.length;
	if (is_null(v) || len == 0) {
		if (nullable)
			return true;
		PROBLEM(p, v, _("'%s' must not be empty"), key);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
			PROBLEM(p, v, _("'%s' contains a control character (a line break, a tab...)"), key);
			return false;
		}
	}
	*out = kpr_xstrndup(s, len);
	return true;
}

/* A text that must be min..max characters of set (a code): else `must` (with the text) is
 * reported and *out left NULL. */
static void get_code(struct parser *p, yaml_node_t *v, const char *key, bool nullable, const char *set,
		     size_t min, size_t max, const char *must, char **out, struct kpr_config_mark *at)
{
	if (get_text(p, v, key, nullable, out, at) && *out && !shape_ok(*out, set, min, max)) {
		problem_add(&p->problems, *at, must, *out);
		free(*out);
		*out = NULL;
	}
}

/* A whole number between min and max, written plain (not quoted). */
static bool get_int(struct parser *p, yaml_node_t *v, const char *key, long min, long max, int *out)
{
	if (!v || !tag_ok(p, v))
		return false;
	if (v->type != YAML_SCALAR_NODE || is_null(v)) {
		PROBLEM(p, v, _("'%s' must be a whole number, not %s"), key, kind_of(v));
		return false;
	}
	const char *s = (const char *)v->data.scalar.value;
	const char *digits = s + (*s == '-');
	if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		PROBLEM(p, v, _("'%s' must be a whole number, not a quoted text"), key);
		return false;
	}
	if (!*digits || strspn(digits, DIGITS) != strlen(digits) || strlen(digits) > 9) {
		PROBLEM(p, v, _("'%s' must be a whole number, not '%s'"), key, s);
		return false;
	}
	long n = strtol(s, NULL, 10);
	if (n < min || n > max) {
		PROBLEM(p, v, _("'%s' %ld is out of range (%ld to %ld)"), key, n, min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

/* true or false, written plain; absent leaves *out alone */
static bool get_bool(struct parser *p, yaml_node_t *v, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" }, *const no[] = { "false", "False", "FALSE" };

	if (!v)
		return true;
	if (!tag_ok(p, v))
		return false;
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (size_t i = 0; i < KPR_ARRAY_SIZE(yes); i++) {
			if (strcmp((const char *)v->data.scalar.value, yes[i]) == 0)
				return *out = true, true;
			if (strcmp((const char *)v->data.scalar.value, no[i]) == 0)
				return *out = false, true;
		}
	}
	if (v->type == YAML_SCALAR_NODE && !is_null(v))
		PROBLEM(p, v, _("'%s' must be true or false (unquoted), not '%s'"), key, (const char *)v->data.scalar.value);
	else
		PROBLEM(p, v, _("'%s' must be true or false, not %s"), key, kind_of(v));
	return false;
}

/* A list: *items and *n; null is the empty list.  Returns false (a problem) for anything else. */
static bool get_list(struct parser *p, yaml_node_t *v, const char *key, yaml_node_item_t **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (!tag_ok(p, v))
		return false;
	if (is_null(v))
		return true;
	if (v->type != YAML_SEQUENCE_NODE) {
		PROBLEM(p, v, _("'%s' must be a list, not %s"), key, kind_of(v));
		return false;
	}
	if (!visit(p, v))
		return false;
	*items = v->data.sequence.items.start;
	*n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	return true;
}

/*
 * Report each value that repeats an earlier one.  vals[i] may be NULL (not given, or
 * invalid); at[i] is where vals[i] was.  Quadratic, which is fine for a hand-written file.
 */
static void check_unique(struct parser *p, size_t n, char *const *vals, size_t stride,
			 const struct kpr_config_mark *at, size_t at_stride, const char *what)
{
#define VAL(i) (*(char *const *)((const char *)vals + (i) * stride))
#define AT(i) (*(const struct kpr_config_mark *)((const char *)at + (i) * at_stride))
	for (size_t i = 1; i < n; i++) {
		if (!VAL(i))
			continue;
		for (size_t j = 0; j < i; j++) {
			if (VAL(j) && strcmp(VAL(i), VAL(j)) == 0) {
				problem_add(&p->problems, AT(i), _("duplicate %s '%s' (first at line %ld)"), what,
					    VAL(i), AT(j).line);
				break;
			}
		}
	}
#undef VAL
#undef AT
}

/*
 * A list of mappings under key (v NULL: absent): *items, *n, and a zeroed array of n elements
 * of size bytes for what they describe (one at least).  NULL when absent or not a list.
 */
static void *get_list_of(struct parser *p, yaml_node_t *v, const char *key, size_t size,
			 yaml_node_item_t **items, size_t *n)
{
	if (!v || !get_list(p, v, key, items, n))
		return NULL;
	return kpr_xcalloc(*n ? *n : 1, size);
}

/* Item i of a list: where it is (*at) and its fields; false when it is not a mapping. */
static bool get_item(struct parser *p, const yaml_node_item_t *items, size_t i, const char *what,
		     struct field *f, size_t nf, struct kpr_config_mark *at)
{
	yaml_node_t *item = node_at(p, items[i]);
	*at = mark_of(item);
	return walk_mapping(p, item, what, f, nf);
}

#define CHECK_UNIQUE(p, arr, n, field, atfield, what) \
	check_unique((p), (n), &(arr)[0].field, sizeof((arr)[0]), &(arr)[0].atfield, sizeof((arr)[0]), (what))

static void parse_regions(struct parser *p, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->regions = get_list_of(p, list, "regions", sizeof(*cfg->regions), &items, &n)))
		return;
	cfg->has_regions = true;
	cfg->nregions = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_region *r = &cfg->regions[i];
		struct field f[] = { REQ("code"), REQ("name"), OPT("short_name"),
				     REQ("level"), OPT("parent") };
		r->ord = (int)i + 1;
		if (!get_item(p, items, i, _("a region"), f, KPR_ARRAY_SIZE(f), &r->at))
			continue;
		get_code(p, f[0].value, "code", false, DIGITS, 6, 6,
			 _("region code '%s' must be 6 digits (GB/T 2260)"), &r->code, &r->code_at);
		get_text(p, f[1].value, "name", false, &r->name, &r->name_at);
		get_text(p, f[2].value, "short_name", true, &r->short_name, &r->short_name_at);
		if (get_text(p, f[3].value, "level", false, &r->level, NULL) && r->level &&
		    strcmp(r->level, "city") != 0 && strcmp(r->level, "county") != 0) {
			PROBLEM(p, f[3].value, _("level '%s' must be city or county"), r->level);
			free(r->level);
			r->level = NULL;
		}
		get_code(p, f[4].value, "parent", true, DIGITS, 6, 6,
			 _("parent region code '%s' must be 6 digits"), &r->parent, &r->parent_at);
	}
	CHECK_UNIQUE(p, cfg->regions, n, code, code_at, _("region code"));
	CHECK_UNIQUE(p, cfg->regions, n, name, name_at, _("region name"));
	CHECK_UNIQUE(p, cfg->regions, n, short_name, short_name_at, _("region short name"));
}

static const struct kpr_config_region *find_region(const struct kpr_config *cfg, const char *code)
{
	for (size_t i = 0; i < cfg->nregions; i++)
		if (cfg->regions[i].code && strcmp(cfg->regions[i].code, code) == 0)
			return &cfg->regions[i];
	return NULL;
}

/* A county's parent is the city; the city has none.  Parents not in the file: kpr_config_store. */
static void check_parents(struct parser *p, const struct kpr_config *cfg)
{
	for (size_t i = 0; i < cfg->nregions; i++) {
		const struct kpr_config_region *r = &cfg->regions[i], *parent;
		if (!r->parent)
			continue;
		if (r->level && strcmp(r->level, "city") == 0) {
			problem_add(&p->problems, r->parent_at, _("region '%s' is a city: a city has no parent"),
				    r->code ? r->code : r->name ? r->name : "?");
			continue;
		}
		parent = find_region(cfg, r->parent);
		if (parent && parent->level && strcmp(parent->level, "city") != 0)
			problem_add(&p->problems, r->parent_at,
				    _("parent region '%s' is a county: a county's parent is a city"), r->parent);
	}
}

static void parse_zones(struct parser *p, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->zones = get_list_of(p, list, "zones", sizeof(*cfg->zones), &items, &n)))
		return;
	cfg->has_zones = true;
	cfg->nzones = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_zone *z = &cfg->zones[i];
		struct field f[] = { REQ("code"), REQ("name"), OPT("short_name"), OPT("region") };
		z->ord = (int)i + 1;
		if (!get_item(p, items, i, _("a zone"), f, KPR_ARRAY_SIZE(f), &z->at))
			continue;
		get_code(p, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
			 _("zone code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &z->code, &z->code_at);
		get_text(p, f[1].value, "name", false, &z->name, &z->name_at);
		get_text(p, f[2].value, "short_name", true, &z->short_name, &z->short_name_at);
		get_code(p, f[3].value, "region", true, DIGITS, 6, 6,
			 _("region code '%s' must be 6 digits"), &z->region, &z->region_at);
	}
	CHECK_UNIQUE(p, cfg->zones, n, code, code_at, _("zone code"));
	CHECK_UNIQUE(p, cfg->zones, n, name, name_at, _("zone name"));
	CHECK_UNIQUE(p, cfg->zones, n, short_name, short_name_at, _("zone short name"));
}

static void parse_pools(struct parser *p, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->pools = get_list_of(p, list, "pools", sizeof(*cfg->pools), &items, &n)))
		return;
	cfg->has_pools = true;
	cfg->npools = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_pool *pl = &cfg->pools[i];
		struct field f[] = { REQ("code"), REQ("name"), OPT("name_en") };
		pl->ord = (int)i + 1;
		if (!get_item(p, items, i, _("a pool"), f, KPR_ARRAY_SIZE(f), &pl->at))
			continue;
		get_code(p, f[0].value, "code", false, LOWER "_", 1, 30,
			 _("pool code '%s' must be 1 to 30 lower-case letters or '_'"), &pl->code, &pl->code_at);
		get_text(p, f[1].value, "name", false, &pl->name, &pl->name_at);
		get_text(p, f[2].value, "name_en", true, &pl->name_en, NULL);
	}
	CHECK_UNIQUE(p, cfg->pools, n, code, code_at, _("pool code"));
	CHECK_UNIQUE(p, cfg->pools, n, name, name_at, _("pool name"));
}

static void parse_scenarios(struct parser *p, struct kpr_config_year *y, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(y->scenarios = get_list_of(p, list, "scenarios", sizeof(*y->scenarios), &items, &n)))
		return;
	y->has_scenarios = true;
	y->nscenarios = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_scenario *s = &y->scenarios[i];
		struct field f[] = { REQ("code"), REQ("name"), OPT("sample") };
		s->ord = (int)i + 1;
		if (!get_item(p, items, i, _("a scenario"), f, KPR_ARRAY_SIZE(f), &s->at))
			continue;
		get_code(p, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
			 _("scenario code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &s->code, &s->code_at);
		get_text(p, f[1].value, "name", false, &s->name, &s->name_at);
		get_bool(p, f[2].value, "sample", &s->sample);
	}
	CHECK_UNIQUE(p, y->scenarios, n, code, code_at, _("scenario code"));
	CHECK_UNIQUE(p, y->scenarios, n, name, name_at, _("scenario name"));
}

/*
 * The canonical text of a decimal, as PostgreSQL's trim_scale(numeric)::text prints it:
 * no '+', no leading zeros, no trailing fractional zeros, no "-0".  NULL if s is not a
 * decimal (digits, optionally a point and more digits, optionally signed).
 */
static char *canonical_number(const char *s)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	bool neg = false;
	size_t ilen, flen = 0;
	const char *frac = NULL;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	ilen = strspn(s, DIGITS);
	if (ilen == 0 || ilen > 15)
		return NULL;
	if (s[ilen] == '.') {
		frac = s + ilen + 1;
		flen = strspn(frac, DIGITS);
		if (flen == 0 || flen > 6 || frac[flen] != '\0')
			return NULL;
	} else if (s[ilen] != '\0') {
		return NULL;
	}
	while (ilen > 1 && *s == '0')
		s++, ilen--;
	while (flen > 0 && frac[flen - 1] == '0')
		flen--;
	if (neg && !(ilen == 1 && *s == '0' && flen == 0))
		kpr_strbuf_addch(&sb, '-');
	kpr_strbuf_add(&sb, s, ilen);
	if (flen) {
		kpr_strbuf_addch(&sb, '.');
		kpr_strbuf_add(&sb, frac, flen);
	}
	return kpr_strbuf_detach(&sb);
}

/* One condition: "> 30", ">= 3", "3" (= 3), true, "!= false". */
static bool parse_condition(struct parser *p, yaml_node_t *v, const struct kpr_config_measure *m,
			    struct kpr_config_condition *c)
{
	static const char *const ops2[] = { "<=", ">=", "!=" }, *const ops1[] = { "<", ">", "=" };

	c->measure = m;
	c->at = mark_of(v);
	if (!tag_ok(p, v))
		return false;
	if (v->type != YAML_SCALAR_NODE || is_null(v)) {
		PROBLEM(p, v, _("a condition on '%s' must be a value like \"> 30\" or true, not %s"), m->name,
			kind_of(v));
		return false;
	}
	const char *text = (const char *)v->data.scalar.value, *s = text;
	while (*s == ' ')
		s++;
	c->op = "=";
	for (size_t i = 0; i < KPR_ARRAY_SIZE(ops2); i++)
		if (strncmp(s, ops2[i], 2) == 0)
			c->op = ops2[i], s += 2;
	if (s == text || s[-1] == ' ')
		for (size_t i = 0; i < KPR_ARRAY_SIZE(ops1); i++)
			if (*s == ops1[i][0])
				c->op = ops1[i], s += 1;
	while (*s == ' ')
		s++;
	char *val = kpr_xstrdup(s);
	for (size_t len = strlen(val); len > 0 && val[len - 1] == ' '; len--)
		val[len - 1] = '\0';

	bool good = true;
	if (m->kind == KPR_MEASURE_BOOL) {
		if (strcmp(val, "true") == 0 || strcmp(val, "false") == 0) {
			c->value = kpr_xstrdup(val[0] == 't' ? "1" : "0");
			if (strcmp(c->op, "=") != 0 && strcmp(c->op, "!=") != 0) {
				PROBLEM(p, v, _("'%s' is true or false: compare it with = or !=, not %s"), m->name, c->op);
				good = false;
			}
		} else {
			PROBLEM(p, v, _("'%s' is true or false, not '%s'"), m->name, text);
			good = false;
		}
	} else {
		c->value = canonical_number(val);
		if (!c->value) {
			PROBLEM(p, v, _("'%s' needs an operator and a number (like \"> 30\"), not '%s'"), m->name, text);
			good = false;
		} else if (m->kind == KPR_MEASURE_COUNT && strchr(c->value, '.')) {
			PROBLEM(p, v, _("'%s' counts months: a whole number, not '%s'"), m->name, val);
			good = false;
		}
	}
	free(val);
	return good;
}

static void parse_when(struct parser *p, struct kpr_config_rule *r, yaml_node_t *when)
{
	if (!tag_ok(p, when))
		return;
	if (when->type != YAML_MAPPING_NODE) {
		PROBLEM(p, when, _("'when' must be a mapping of measures to conditions, not %s"), kind_of(when));
		return;
	}
	if (!visit(p, when))
		return;

	size_t cap = 0;
	yaml_node_pair_t *start = when->data.mapping.pairs.start, *top = when->data.mapping.pairs.top;
	for (yaml_node_pair_t *pair = start; pair < top; pair++) {
		yaml_node_t *v = node_at(p, pair->value);
		cap += (v && v->type == YAML_SEQUENCE_NODE) ? (size_t)(v->data.sequence.items.top -
								       v->data.sequence.items.start) : 1;
	}
	r->conds = kpr_xcalloc(cap ? cap : 1, sizeof(*r->conds));

	for (yaml_node_pair_t *pair = start; pair < top; pair++) {
		yaml_node_t *k = node_at(p, pair->key), *v = node_at(p, pair->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			PROBLEM(p, k, _("a key must be a text, not %s"), kind_of(k));
			continue;
		}
		const char *name = (const char *)k->data.scalar.value;
		const struct kpr_config_measure *m = kpr_config_measure_find(name);
		if (!m) {
			struct kpr_strbuf names = KPR_STRBUF_INIT;
			for (size_t j = 0; j < kpr_config_nmeasures; j++)
				kpr_strbuf_addf(&names, "%s%s", j ? ", " : "", kpr_config_measures[j].name);
			PROBLEM(p, k, _("unknown measure '%s' (known: %s)"), name, names.buf);
			kpr_strbuf_release(&names);
			continue;
		}
		bool dup = false;
		for (yaml_node_pair_t *q = start; q < pair && !dup; q++) {
			yaml_node_t *qk = node_at(p, q->key);
			if (qk && qk->type == YAML_SCALAR_NODE && strcmp((const char *)qk->data.scalar.value, name) == 0) {
				PROBLEM(p, k, _("duplicate key '%s' (first at line %ld); list several conditions "
						"on one measure as [\"> 0\", \"<= 30\"]"), name, mark_of(qk).line);
				dup = true;
			}
		}
		if (dup)
			continue;

		yaml_node_item_t *items = NULL;
		size_t n = 1;
		if (v->type == YAML_SEQUENCE_NODE) {
			if (!get_list(p, v, name, &items, &n))
				continue;
			if (n == 0) {
				PROBLEM(p, v, _("no condition on '%s'"), name);
				continue;
			}
		}
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *cv = items ? node_at(p, items[i]) : v;
			struct kpr_config_condition *c = &r->conds[r->nconds];
			if (!cv)
				continue;
			if (!parse_condition(p, cv, m, c)) {
				free(c->value);
				memset(c, 0, sizeof(*c));
				continue;
			}
			for (size_t j = 0; j < r->nconds; j++) {
				if (r->conds[j].measure == m && strcmp(r->conds[j].op, c->op) == 0) {
					PROBLEM(p, cv, _("two conditions '%s %s' in one rule"), m->name, c->op);
					free(c->value);
					memset(c, 0, sizeof(*c));
					break;
				}
			}
			if (c->measure)
				r->nconds++;
		}
	}
}

static const char *colour_name(const char *s)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(colours); i++)
		if (strcasecmp(s, colours[i].name) == 0 || strcmp(s, colours[i].alias) == 0)
			return colours[i].name;
	return NULL;
}

static void parse_rules(struct parser *p, struct kpr_config_year *y, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!list || !get_list(p, list, "colour_rules", &items, &n))
		return;
	if (n == 0) {
		PROBLEM(p, list, _("'colour_rules' is empty: leave the key out to keep the year's rules"));
		return;
	}
	y->has_rules = true;
	y->rules = kpr_xcalloc(n, sizeof(*y->rules));
	y->nrules = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_rule *r = &y->rules[i];
		struct field f[] = { REQ("id"), REQ("colour"), OPT("description"), REQ("when") };
		char *colour = NULL;
		r->ord = (int)i + 1;
		if (!get_item(p, items, i, _("a colour rule"), f, KPR_ARRAY_SIZE(f), &r->at))
			continue;
		if (get_text(p, f[0].value, "id", false, &r->id, &r->id_at) && r->id &&
		    (!shape_ok(r->id, DIGITS LOWER "_-", 1, 40) || !strchr(DIGITS LOWER, r->id[0]))) {
			problem_add(&p->problems, r->id_at,
				    _("rule id '%s' must be 1 to 40 lower-case letters, digits, '_' or '-', "
				      "starting with a letter or digit"), r->id);
			free(r->id);
			r->id = NULL;
		}
		if (get_text(p, f[1].value, "colour", false, &colour, NULL) && colour) {
			const char *name = colour_name(colour);
			if (name)
				r->colour = kpr_xstrdup(name);
			else
				PROBLEM(p, f[1].value, _("unknown colour '%s' (red, yellow, green, blue or 红, 黄, 绿, 蓝)"),
					colour);
		}
		free(colour);
		get_text(p, f[2].value, "description", true, &r->description, NULL);
		if (f[3].value)
			parse_when(p, r, f[3].value);
	}
	CHECK_UNIQUE(p, y->rules, n, id, id_at, _("rule id"));
}

static void parse_years(struct parser *p, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->years = get_list_of(p, list, "years", sizeof(*cfg->years), &items, &n)))
		return;
	cfg->nyears = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_year *y = &cfg->years[i];
		struct field f[] = { REQ("year"), OPT("scenarios"), OPT("colour_rules") };
		if (!get_item(p, items, i, _("a year"), f, KPR_ARRAY_SIZE(f), &y->at))
			continue;
		if (f[0].value && get_int(p, f[0].value, "year", 2000, 2100, &y->year)) {
			for (size_t j = 0; j < i; j++) {
				if (cfg->years[j].year == y->year) {
					PROBLEM(p, f[0].value, _("duplicate year %d (first at line %ld)"), y->year,
						cfg->years[j].at.line);
					break;
				}
			}
		}
		parse_scenarios(p, y, f[1].value);
		parse_rules(p, y, f[2].value);
	}
}

static void parse_root(struct parser *p, struct kpr_config *cfg)
{
	yaml_node_t *root = yaml_document_get_root_node(p->doc);
	struct field f[] = { REQ("kpr_config"), OPT("timezone"), OPT("local_code_pattern"),
			     OPT("regions"), OPT("zones"), OPT("pools"), OPT("years") };

	if (!root) {
		struct kpr_config_mark start = { 1, 1 };
		problem_add(&p->problems, start, _("the file is empty: a configuration starts with 'kpr_config: %d'"),
			    KPR_CONFIG_VERSION);
		return;
	}
	if (!walk_mapping(p, root, _("the configuration"), f, KPR_ARRAY_SIZE(f)))
		return;
	if (f[0].value && get_int(p, f[0].value, "kpr_config", 0, 1000000, &cfg->version) &&
	    cfg->version != KPR_CONFIG_VERSION)
		PROBLEM(p, f[0].value, _("format version %d is not one this kpr reads (%d)"), cfg->version,
			KPR_CONFIG_VERSION);
	if (get_text(p, f[1].value, "timezone", false, &cfg->timezone, &cfg->timezone_at) && cfg->timezone &&
	    !shape_ok(cfg->timezone, DIGITS LOWER UPPER "_+-/", 1, 64)) {
		problem_add(&p->problems, cfg->timezone_at, _("'%s' is not a time zone name like Asia/Shanghai"),
			    cfg->timezone);
	}
	if (get_text(p, f[2].value, "local_code_pattern", false, &cfg->local_code_pattern, &cfg->pattern_at) &&
	    cfg->local_code_pattern) {
		regex_t re;
		int err = regcomp(&re, cfg->local_code_pattern, REG_EXTENDED | REG_NOSUB);
		if (err) {
			char msg[256];
			regerror(err, &re, msg, sizeof(msg));
			problem_add(&p->problems, cfg->pattern_at, _("'local_code_pattern' is not a valid regular "
				    "expression (POSIX ERE): %s"), msg);
		} else {
			regfree(&re);
		}
	}
	parse_regions(p, cfg, f[3].value);
	check_parents(p, cfg);
	parse_zones(p, cfg, f[4].value);
	parse_pools(p, cfg, f[5].value);
	parse_years(p, cfg, f[6].value);
}

/* Line and column (in characters) of a byte offset, for libyaml's reader errors. */
static struct kpr_config_mark offset_mark(const char *buf, size_t len, size_t offset)
{
	struct kpr_config_mark m = { 1, 1 };
	for (size_t i = 0; i < offset && i < len; i++) {
		if (buf[i] == '\n')
			m.line++, m.column = 1;
		else if (((unsigned char)buf[i] & 0xC0) != 0x80)
			m.column++;
	}
	return m;
}

static void syntax_problem(struct parser *p, const yaml_parser_t *yp, const char *buf, size_t len)
{
	struct kpr_config_mark at;

	if (yp->error == YAML_READER_ERROR) {
		at = offset_mark(buf, len, yp->problem_offset);
		problem_add(&p->problems, at, _("not valid UTF-8 (byte offset %zu): %s"), yp->problem_offset,
			    yp->problem ? yp->problem : _("bad input"));
		return;
	}
	if (yp->error == YAML_MEMORY_ERROR) {
		struct kpr_config_mark start = { 1, 1 };
		problem_add(&p->problems, start, _("out of memory"));
		return;
	}
	at.line = (long)yp->problem_mark.line + 1;
	at.column = (long)yp->problem_mark.column + 1;
	if (yp->context)
		problem_add(&p->problems, at, _("YAML syntax: %s (%s at line %ld)"),
			    yp->problem ? yp->problem : "?", yp->context, (long)yp->context_mark.line + 1);
	else
		problem_add(&p->problems, at, _("YAML syntax: %s"), yp->problem ? yp->problem : "?");
}

int kpr_config_parse(struct kpr_config **out, const char *name, const char *buf, size_t len)
{
	struct parser p = { .file = name };
	struct kpr_config *cfg = kpr_xcalloc(1, sizeof(*cfg));
	yaml_parser_t yp;
	yaml_document_t doc;

	*out = NULL;
	cfg->file = kpr_xstrdup(name);
	if (!yaml_parser_initialize(&yp))
		abort();
	yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&yp, &doc)) {
		syntax_problem(&p, &yp, buf, len);
	} else {
		yaml_document_t next;
		p.doc = &doc;
		p.seen = kpr_xcalloc((size_t)(doc.nodes.top - doc.nodes.start) + 1, 1);
		parse_root(&p, cfg);
		free(p.seen);
		if (!yaml_parser_load(&yp, &next)) {
			syntax_problem(&p, &yp, buf, len);
		} else {
			yaml_node_t *root = yaml_document_get_root_node(&next);
			if (root) {
				struct kpr_config_mark at = { (long)root->start_mark.line + 1,
							      (long)root->start_mark.column + 1 };
				problem_add(&p.problems, at, _("a second YAML document: a configuration file holds one"));
			}
			yaml_document_delete(&next);
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&yp);

	if (problems_flush(&p.problems, name) > 0) {
		kpr_config_free(cfg);
		return KPR_EINPUT;
	}
	*out = cfg;
	return KPR_OK;
}

int kpr_config_load(struct kpr_config **out, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "stdin" : path;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char chunk[65536];
	size_t n;

	*out = NULL;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		kpr_strbuf_add(&sb, chunk, n);
	if (ferror(f)) {
		int e = errno;
		if (!is_stdin)
			fclose(f);
		kpr_strbuf_release(&sb);
		return kpr_fail(KPR_EFILE, _("cannot read '%s': %s"), path, strerror(e));
	}
	if (!is_stdin)
		fclose(f);
	int rc = kpr_config_parse(out, name, sb.buf ? sb.buf : "", sb.len);
	kpr_strbuf_release(&sb);
	return rc;
}

static void free_year(struct kpr_config_year *y)
{
	for (size_t i = 0; i < y->nscenarios; i++) {
		free(y->scenarios[i].code);
		free(y->scenarios[i].name);
	}
	free(y->scenarios);
	for (size_t i = 0; i < y->nrules; i++) {
		struct kpr_config_rule *r = &y->rules[i];
		for (size_t j = 0; j < r->nconds; j++)
			free(r->conds[j].value);
		free(r->conds);
		free(r->id);
		free(r->colour);
		free(r->description);
	}
	free(y->rules);
}

void kpr_config_free(struct kpr_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nregions; i++) {
		struct kpr_config_region *r = &cfg->regions[i];
		free(r->code);
		free(r->name);
		free(r->short_name);
		free(r->level);
		free(r->parent);
	}
	free(cfg->regions);
	for (size_t i = 0; i < cfg->nzones; i++) {
		struct kpr_config_zone *z = &cfg->zones[i];
		free(z->code);
		free(z->name);
		free(z->short_name);
		free(z->region);
	}
	free(cfg->zones);
	for (size_t i = 0; i < cfg->npools; i++) {
		free(cfg->pools[i].code);
		free(cfg->pools[i].name);
		free(cfg->pools[i].name_en);
	}
	free(cfg->pools);
	for (size_t i = 0; i < cfg->nyears; i++)
		free_year(&cfg->years[i]);
	free(cfg->years);
	free(cfg->timezone);
	free(cfg->local_code_pattern);
	free(cfg->file);
	free(cfg);
}

void kpr_config_condition_format(const struct kpr_config_condition *c, struct kpr_strbuf *sb)
{
	const char *value = c->value;
	if (c->measure->kind == KPR_MEASURE_BOOL)
		value = strcmp(c->value, "0") == 0 ? "false" : "true";
	kpr_strbuf_addf(sb, "%s %s %s", c->measure->name, c->op, value);
}

/* ------------------------------------------------------------------------------------------
 * Reading back from the database.
 */

static char *get_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : kpr_xstrdup(PQgetvalue(res, row, col));
}

static int get_int_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : atoi(PQgetvalue(res, row, col));
}

static int fetch_base(PGconn *conn, struct kpr_config *c)
{
	PGresult *res;
	int rc;

	if ((rc = kpr_db_exec(conn, "SELECT key, value FROM setting WHERE key IN ('timezone', 'local_code_pattern')",
			      0, NULL, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		char **dst = strcmp(PQgetvalue(res, i, 0), "timezone") == 0 ? &c->timezone : &c->local_code_pattern;
		*dst = get_value(res, i, 1);
	}
	PQclear(res);

	if ((rc = kpr_db_exec(conn, "SELECT code, name, short_name, level, parent_code, ord FROM region "
				    "ORDER BY ord NULLS LAST, code", 0, NULL, &res)) != KPR_OK)
		return rc;
	c->has_regions = true;
	c->nregions = (size_t)PQntuples(res);
	c->regions = kpr_xcalloc(c->nregions + 1, sizeof(*c->regions));
	for (size_t i = 0; i < c->nregions; i++) {
		struct kpr_config_region *r = &c->regions[i];
		r->code = get_value(res, (int)i, 0);
		r->name = get_value(res, (int)i, 1);
		r->short_name = get_value(res, (int)i, 2);
		r->level = get_value(res, (int)i, 3);
		r->parent = get_value(res, (int)i, 4);
		r->ord = get_int_value(res, (int)i, 5);
	}
	PQclear(res);

	if ((rc = kpr_db_exec(conn, "SELECT code, name, short_name, region_code, ord FROM zone "
				    "ORDER BY ord NULLS LAST, code", 0, NULL, &res)) != KPR_OK)
		return rc;
	c->has_zones = true;
	c->nzones = (size_t)PQntuples(res);
	c->zones = kpr_xcalloc(c->nzones + 1, sizeof(*c->zones));
	for (size_t i = 0; i < c->nzones; i++) {
		struct kpr_config_zone *z = &c->zones[i];
		z->code = get_value(res, (int)i, 0);
		z->name = get_value(res, (int)i, 1);
		z->short_name = get_value(res, (int)i, 2);
		z->region = get_value(res, (int)i, 3);
		z->ord = get_int_value(res, (int)i, 4);
	}
	PQclear(res);

	if ((rc = kpr_db_exec(conn, "SELECT code, name, name_en, ord FROM pool ORDER BY ord", 0, NULL, &res)) != KPR_OK)
		return rc;
	c->has_pools = true;
	c->npools = (size_t)PQntuples(res);
	c->pools = kpr_xcalloc(c->npools + 1, sizeof(*c->pools));
	for (size_t i = 0; i < c->npools; i++) {
		struct kpr_config_pool *pl = &c->pools[i];
		pl->code = get_value(res, (int)i, 0);
		pl->name = get_value(res, (int)i, 1);
		pl->name_en = get_value(res, (int)i, 2);
		pl->ord = get_int_value(res, (int)i, 3);
	}
	PQclear(res);
	return KPR_OK;
}

static int cond_cmp(const void *a, const void *b)
{
	const struct kpr_config_condition *x = a, *y = b;
	if (x->measure != y->measure)
		return x->measure < y->measure ? -1 : 1;
	size_t rx = op_rank(x->op), ry = op_rank(y->op);
	return rx < ry ? -1 : rx > ry;
}

static int fetch_year(PGconn *conn, int year, struct kpr_config_year *y)
{
	char year_s[16];
	const char *params[1] = { year_s };
	PGresult *res;
	int rc;

	snprintf(year_s, sizeof(year_s), "%d", year);
	y->year = year;
	if ((rc = kpr_db_exec(conn, "SELECT code, name, sample, ord FROM scenario WHERE year = $1 "
				    "ORDER BY ord NULLS LAST, code", 1, params, &res)) != KPR_OK)
		return rc;
	y->has_scenarios = true;
	y->nscenarios = (size_t)PQntuples(res);
	y->scenarios = kpr_xcalloc(y->nscenarios + 1, sizeof(*y->scenarios));
	for (size_t i = 0; i < y->nscenarios; i++) {
		struct kpr_config_scenario *s = &y->scenarios[i];
		s->code = get_value(res, (int)i, 0);
		s->name = get_value(res, (int)i, 1);
		s->sample = strcmp(PQgetvalue(res, (int)i, 2), "t") == 0;
		s->ord = get_int_value(res, (int)i, 3);
	}
	PQclear(res);

	if ((rc = kpr_db_exec(conn, "SELECT rule_id, colour, description, ord, "
				    "(SELECT count(*) FROM colour_rule_condition c WHERE c.year = r.year AND c.rule_id = r.rule_id) "
				    "FROM colour_rule r WHERE year = $1 ORDER BY ord", 1, params, &res)) != KPR_OK)
		return rc;
	y->has_rules = true;
	y->nrules = (size_t)PQntuples(res);
	y->rules = kpr_xcalloc(y->nrules + 1, sizeof(*y->rules));
	for (size_t i = 0; i < y->nrules; i++) {
		struct kpr_config_rule *r = &y->rules[i];
		r->id = get_value(res, (int)i, 0);
		r->colour = get_value(res, (int)i, 1);
		r->description = get_value(res, (int)i, 2);
		r->ord = get_int_value(res, (int)i, 3);
		r->conds = kpr_xcalloc((size_t)get_int_value(res, (int)i, 4) + 1, sizeof(*r->conds));
	}
	PQclear(res);

	if ((rc = kpr_db_exec(conn, "SELECT rule_id, measure, op, trim_scale(value)::text FROM colour_rule_condition "
				    "WHERE year = $1", 1, params, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct kpr_config_measure *m = kpr_config_measure_find(PQgetvalue(res, i, 1));
		size_t rank = op_rank(PQgetvalue(res, i, 2));
		if (!m || rank >= KPR_ARRAY_SIZE(operators))
			continue;	/* the schema's CHECKs allow no other */
		for (size_t j = 0; j < y->nrules; j++) {
			struct kpr_config_rule *r = &y->rules[j];
			if (strcmp(r->id, PQgetvalue(res, i, 0)) == 0) {
				struct kpr_config_condition *c = &r->conds[r->nconds++];
				c->measure = m;
				c->op = operators[rank];
				c->value = get_value(res, i, 3);
				break;
			}
		}
	}
	PQclear(res);
	for (size_t j = 0; j < y->nrules; j++)
		qsort(y->rules[j].conds, y->rules[j].nconds, sizeof(*y->rules[j].conds), cond_cmp);
	return KPR_OK;
}

int kpr_config_fetch(PGconn *conn, int year, struct kpr_config **out)
{
	struct kpr_config *c = kpr_xcalloc(1, sizeof(*c));
	bool own_tx = PQtransactionStatus(conn) == PQTRANS_IDLE;
	PGresult *res;
	int rc;

	*out = NULL;
	c->version = KPR_CONFIG_VERSION;
	/* one snapshot for all the queries */
	if (own_tx && (rc = kpr_db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL)) != KPR_OK)
		goto fail;
	if ((rc = fetch_base(conn, c)) != KPR_OK)
		goto fail;
	if (year == 0) {
		if ((rc = kpr_db_exec(conn, "SELECT coalesce((SELECT max(year) FROM scenario), "
					    "(SELECT max(year) FROM colour_rule))", 0, NULL, &res)) != KPR_OK)
			goto fail;
		year = get_int_value(res, 0, 0);
		PQclear(res);
	}
	if (year != 0) {
		c->years = kpr_xcalloc(1, sizeof(*c->years));
		c->nyears = 1;
		if ((rc = fetch_year(conn, year, &c->years[0])) != KPR_OK)
			goto fail;
	}
	if (own_tx && (rc = kpr_db_commit(conn)) != KPR_OK)
		goto fail;
	*out = c;
	return KPR_OK;
fail:
	if (own_tx)
		kpr_db_rollback(conn);
	kpr_config_free(c);
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * Storing: check against the database, then write only what differs, in one transaction.
 */

struct store {
	PGconn *conn;
	const struct kpr_config *cfg;
	struct kpr_config *db;		/* the database before, under lock */
	struct kpr_config_year *dbyears;	/* one per cfg->years */
	struct problems problems;
};

static const struct kpr_config_region *db_region(const struct kpr_config *db, const char *code)
{
	return find_region(db, code);
}

static const struct kpr_config_zone *find_zone(const struct kpr_config *c, const char *code)
{
	for (size_t i = 0; i < c->nzones; i++)
		if (c->zones[i].code && strcmp(c->zones[i].code, code) == 0)
			return &c->zones[i];
	return NULL;
}

static const struct kpr_config_pool *find_pool(const struct kpr_config *c, const char *code)
{
	for (size_t i = 0; i < c->npools; i++)
		if (c->pools[i].code && strcmp(c->pools[i].code, code) == 0)
			return &c->pools[i];
	return NULL;
}

static const struct kpr_config_scenario *find_scenario(const struct kpr_config_year *y, const char *code)
{
	for (size_t i = 0; i < y->nscenarios; i++)
		if (y->scenarios[i].code && strcmp(y->scenarios[i].code, code) == 0)
			return &y->scenarios[i];
	return NULL;
}

/* What only the database can tell; problems collected in st->problems. */
static int cross_check(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct problems *ps = &st->problems;
	int rc;

	if (cfg->timezone) {
		PGresult *res;
		const char *params[1] = { cfg->timezone };
		if ((rc = kpr_db_exec(st->conn, "SELECT EXISTS (SELECT FROM pg_catalog.pg_timezone_names WHERE name = $1)",
				      1, params, &res)) != KPR_OK)
			return rc;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			problem_add(ps, cfg->timezone_at, _("unknown time zone '%s'"), cfg->timezone);
		PQclear(res);
	}

	for (size_t i = 0; i < cfg->nregions; i++) {
		const struct kpr_config_region *r = &cfg->regions[i], *d;
		if (r->parent && !find_region(cfg, r->parent)) {
			d = db_region(db, r->parent);
			if (!d)
				problem_add(ps, r->parent_at, _("unknown parent region '%s': not in this file nor in "
								"the database"), r->parent);
			else if (strcmp(d->level, "city") != 0)
				problem_add(ps, r->parent_at, _("parent region '%s' is a county: a county's parent is "
								"a city"), r->parent);
		}
		for (size_t j = 0; j < db->nregions; j++) {
			d = &db->regions[j];
			if (find_region(cfg, d->code))
				continue;
			if (str_eq(d->name, r->name))
				problem_add(ps, r->name_at, _("region name '%s' is taken by region '%s' in the database, "
							      "which this file does not list"), r->name, d->code);
			if (r->short_name && str_eq(d->short_name, r->short_name))
				problem_add(ps, r->short_name_at, _("region short name '%s' is taken by region '%s' in "
								    "the database, which this file does not list"),
					    r->short_name, d->code);
		}
	}

	for (size_t i = 0; i < cfg->nzones; i++) {
		const struct kpr_config_zone *z = &cfg->zones[i];
		if (z->region && !find_region(cfg, z->region) && !db_region(db, z->region))
			problem_add(ps, z->region_at, _("unknown region '%s': not in this file nor in the database"),
				    z->region);
		for (size_t j = 0; j < db->nzones; j++) {
			const struct kpr_config_zone *d = &db->zones[j];
			if (find_zone(cfg, d->code))
				continue;
			if (str_eq(d->name, z->name))
				problem_add(ps, z->name_at, _("zone name '%s' is taken by zone '%s' in the database, "
							      "which this file does not list"), z->name, d->code);
			if (z->short_name && str_eq(d->short_name, z->short_name))
				problem_add(ps, z->short_name_at, _("zone short name '%s' is taken by zone '%s' in the "
								    "database, which this file does not list"),
					    z->short_name, d->code);
		}
	}

	for (size_t i = 0; i < cfg->npools; i++) {
		const struct kpr_config_pool *pl = &cfg->pools[i];
		for (size_t j = 0; j < db->npools; j++) {
			const struct kpr_config_pool *d = &db->pools[j];
			if (find_pool(cfg, d->code))
				continue;
			if (str_eq(d->name, pl->name))
				problem_add(ps, pl->name_at, _("pool name '%s' is taken by pool '%s' in the database, "
							       "which this file does not list"), pl->name, d->code);
			if (d->ord == pl->ord)
				problem_add(ps, pl->at, _("place %d in the pool order is taken by pool '%s' in the "
							  "database, which this file does not list"), pl->ord, d->code);
		}
	}

	for (size_t y = 0; y < cfg->nyears; y++) {
		const struct kpr_config_year *cy = &cfg->years[y], *dy = &st->dbyears[y];
		for (size_t i = 0; i < cy->nscenarios; i++) {
			const struct kpr_config_scenario *s = &cy->scenarios[i];
			for (size_t j = 0; j < dy->nscenarios; j++) {
				const struct kpr_config_scenario *d = &dy->scenarios[j];
				if (!find_scenario(cy, d->code) && str_eq(d->name, s->name))
					problem_add(ps, s->name_at, _("scenario name '%s' is taken by scenario '%s' of %d "
								      "in the database, which this file does not list"),
						    s->name, d->code, cy->year);
			}
		}
	}
	return KPR_OK;
}

/* Run a write; *changed = whether it touched a row. */
static int write_row(struct store *st, const char *sql, int n, const char *const *params, bool *changed)
{
	PGresult *res;
	int rc = kpr_db_exec(st->conn, sql, n, params, &res);
	if (rc != KPR_OK)
		return rc;
	*changed = atoi(PQcmdTuples(res)) > 0;
	PQclear(res);
	return KPR_OK;
}

static void count(struct kpr_config_count *c, bool exists, bool changed)
{
	if (!exists)
		c->inserted++;
	else if (changed)
		c->updated++;
	else
		c->unchanged++;
}

static int write_setting(struct store *st, const char *key, const char *value, bool exists,
			 struct kpr_config_count *c)
{
	const char *params[2] = { key, value };
	bool changed;
	int rc = exists ? write_row(st, "UPDATE setting SET value = $2 WHERE key = $1 AND value IS DISTINCT FROM $2",
				    2, params, &changed)
			: write_row(st, "INSERT INTO setting (key, value) VALUES ($1, $2)", 2, params, &changed);
	if (rc == KPR_OK)
		count(c, exists, changed);
	return rc;
}

static int write_regions(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE region SET name = $2, short_name = $3, level = $4, parent_code = $5, ord = $6::int "
		"WHERE code = $1 AND (name, short_name, level, parent_code, ord) IS DISTINCT FROM ($2, $3, $4, $5, $6::int)";
	static const char insert[] =
		"INSERT INTO region (code, name, short_name, level, parent_code, ord) VALUES ($1, $2, $3, $4, $5, $6::int)";
	int rc;

	/* cities first: a county's parent must exist before it */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < st->cfg->nregions; i++) {
			const struct kpr_config_region *r = &st->cfg->regions[i];
			if ((strcmp(r->level, "city") == 0) != (pass == 0))
				continue;
			char ord[16];
			snprintf(ord, sizeof(ord), "%d", r->ord);
			const char *params[6] = { r->code, r->name, r->short_name, r->level, r->parent, ord };
			bool exists = db_region(st->db, r->code) != NULL, changed;
			if ((rc = write_row(st, exists ? update : insert, 6, params, &changed)) != KPR_OK)
				return rc;
			count(&res->regions, exists, changed);
		}
	}
	return KPR_OK;
}

static int write_zones(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE zone SET name = $2, short_name = $3, region_code = $4, ord = $5::int "
		"WHERE code = $1 AND (name, short_name, region_code, ord) IS DISTINCT FROM ($2, $3, $4, $5::int)";
	static const char insert[] =
		"INSERT INTO zone (code, name, short_name, region_code, ord) VALUES ($1, $2, $3, $4, $5::int)";
	int rc;

	for (size_t i = 0; i < st->cfg->nzones; i++) {
		const struct kpr_config_zone *z = &st->cfg->zones[i];
		char ord[16];
		snprintf(ord, sizeof(ord), "%d", z->ord);
		const char *params[5] = { z->code, z->name, z->short_name, z->region, ord };
		bool exists = find_zone(st->db, z->code) != NULL, changed;
		if ((rc = write_row(st, exists ? update : insert, 5, params, &changed)) != KPR_OK)
			return rc;
		count(&res->zones, exists, changed);
	}
	return KPR_OK;
}

static int write_pools(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE pool SET name = $2, name_en = $3, ord = $4::int "
		"WHERE code = $1 AND (name, name_en, ord) IS DISTINCT FROM ($2, $3, $4::int)";
	static const char insert[] = "INSERT INTO pool (code, name, name_en, ord) VALUES ($1, $2, $3, $4::int)";
	char ord[16];
	bool changed;
	int rc;

	/* pool.ord is unique at every row: a reordered pool first steps aside to -ord */
	for (size_t i = 0; i < st->cfg->npools; i++) {
		const struct kpr_config_pool *pl = &st->cfg->pools[i], *d = find_pool(st->db, pl->code);
		if (!d || d->ord == pl->ord)
			continue;
		snprintf(ord, sizeof(ord), "%d", -pl->ord);
		const char *params[2] = { pl->code, ord };
		if ((rc = write_row(st, "UPDATE pool SET ord = $2::int WHERE code = $1", 2, params, &changed)) != KPR_OK)
			return rc;
	}
	for (size_t i = 0; i < st->cfg->npools; i++) {
		const struct kpr_config_pool *pl = &st->cfg->pools[i];
		snprintf(ord, sizeof(ord), "%d", pl->ord);
		const char *params[4] = { pl->code, pl->name, pl->name_en, ord };
		bool exists = find_pool(st->db, pl->code) != NULL;
		if ((rc = write_row(st, exists ? update : insert, 4, params, &changed)) != KPR_OK)
			return rc;
		count(&res->pools, exists, changed);
	}
	return KPR_OK;
}

static int write_scenarios(struct store *st, const struct kpr_config_year *y, const struct kpr_config_year *dy,
			   struct kpr_config_year_result *yr)
{
	static const char update[] =
		"UPDATE scenario SET name = $3, sample = $4::boolean, ord = $5::int "
		"WHERE year = $1::int AND code = $2 AND (name, sample, ord) IS DISTINCT FROM ($3, $4::boolean, $5::int)";
	static const char insert[] =
		"INSERT INTO scenario (year, code, name, sample, ord) VALUES ($1::int, $2, $3, $4::boolean, $5::int)";
	char year[16], ord[16];
	int rc;

	snprintf(year, sizeof(year), "%d", y->year);
	for (size_t i = 0; i < y->nscenarios; i++) {
		const struct kpr_config_scenario *s = &y->scenarios[i];
		snprintf(ord, sizeof(ord), "%d", s->ord);
		const char *params[5] = { year, s->code, s->name, s->sample ? "true" : "false", ord };
		bool exists = find_scenario(dy, s->code) != NULL, changed;
		if ((rc = write_row(st, exists ? update : insert, 5, params, &changed)) != KPR_OK)
			return rc;
		count(&yr->scenarios, exists, changed);
	}
	return KPR_OK;
}

static bool conditions_equal(const struct kpr_config_rule *a, const struct kpr_config_rule *b)
{
	if (a->nconds != b->nconds)
		return false;
	for (size_t i = 0; i < a->nconds; i++) {
		bool found = false;
		for (size_t j = 0; j < b->nconds && !found; j++)
			found = a->conds[i].measure == b->conds[j].measure && strcmp(a->conds[i].op, b->conds[j].op) == 0 &&
				strcmp(a->conds[i].value, b->conds[j].value) == 0;
		if (!found)
			return false;
	}
	return true;
}

static bool rules_equal(const struct kpr_config_year *a, const struct kpr_config_year *b)
{
	if (a->nrules != b->nrules)
		return false;
	for (size_t i = 0; i < a->nrules; i++) {
		const struct kpr_config_rule *x = &a->rules[i], *y = &b->rules[i];
		if (strcmp(x->id, y->id) != 0 || strcmp(x->colour, y->colour) != 0 || x->ord != y->ord ||
		    !str_eq(x->description, y->description) || !conditions_equal(x, y))
			return false;
	}
	return true;
}

static int write_rules(struct store *st, const struct kpr_config_year *y, const struct kpr_config_year *dy,
		       struct kpr_config_year_result *yr)
{
	char year[16], ord[16];
	bool changed;
	int rc;

	yr->rules = (int)y->nrules;
	if (rules_equal(y, dy)) {
		yr->rules_outcome = KPR_RULES_UNCHANGED;
		return KPR_OK;
	}
	yr->rules_outcome = dy->nrules ? KPR_RULES_REPLACED : KPR_RULES_NEW;
	snprintf(year, sizeof(year), "%d", y->year);
	const char *p1[1] = { year };
	if (dy->nrules && (rc = write_row(st, "DELETE FROM colour_rule WHERE year = $1::int", 1, p1, &changed)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < y->nrules; i++) {
		const struct kpr_config_rule *r = &y->rules[i];
		snprintf(ord, sizeof(ord), "%d", r->ord);
		const char *params[5] = { year, r->id, ord, r->colour, r->description };
		if ((rc = write_row(st, "INSERT INTO colour_rule (year, rule_id, ord, colour, description) "
					"VALUES ($1::int, $2, $3::int, $4, $5)", 5, params, &changed)) != KPR_OK)
			return rc;
		for (size_t j = 0; j < r->nconds; j++) {
			const struct kpr_config_condition *c = &r->conds[j];
			const char *cp[5] = { year, r->id, c->measure->name, c->op, c->value };
			if ((rc = write_row(st, "INSERT INTO colour_rule_condition (year, rule_id, measure, op, value) "
						"VALUES ($1::int, $2, $3, $4, $5::numeric)", 5, cp, &changed)) != KPR_OK)
				return rc;
		}
	}
	return KPR_OK;
}

/* "kept 2 regions that 'config.yaml' does not list: 131099, 131098" */
static int warn_kept(const char *file, const char *what, char *const *codes, size_t stride, size_t n,
		     bool (*listed)(const void *arg, const char *code), const void *arg)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	int kept = 0;

	for (size_t i = 0; i < n; i++) {
		const char *code = *(char *const *)((const char *)codes + i * stride);
		if (listed(arg, code))
			continue;
		if (kept < 10)
			kpr_strbuf_addf(&sb, "%s%s", kept ? ", " : "", code);
		else if (kept == 10)
			kpr_strbuf_adds(&sb, ", ...");
		kept++;
	}
	if (kept)
		kpr_log_warning(_("kept %d %s that '%s' does not list: %s"), kept, what, file, sb.buf);
	kpr_strbuf_release(&sb);
	return kept;
}

static bool region_listed(const void *cfg, const char *code)
{
	return find_region(cfg, code) != NULL;
}

static bool zone_listed(const void *cfg, const char *code)
{
	return find_zone(cfg, code) != NULL;
}

static bool pool_listed(const void *cfg, const char *code)
{
	return find_pool(cfg, code) != NULL;
}

static bool scenario_listed(const void *year, const char *code)
{
	return find_scenario(year, code) != NULL;
}

static int store_all(struct store *st, struct kpr_config_result *res)
{
	const struct kpr_config *cfg = st->cfg;
	int rc;

	if ((rc = kpr_db_exec(st->conn, "LOCK TABLE setting, region, zone, pool, scenario, colour_rule, "
					"colour_rule_condition IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = fetch_base(st->conn, st->db)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < cfg->nyears; i++)
		if ((rc = fetch_year(st->conn, cfg->years[i].year, &st->dbyears[i])) != KPR_OK)
			return rc;
	if ((rc = cross_check(st)) != KPR_OK)
		return rc;
	if (problems_flush(&st->problems, cfg->file) > 0)
		return KPR_EINPUT;

	if (cfg->timezone &&
	    (rc = write_setting(st, "timezone", cfg->timezone, st->db->timezone != NULL, &res->settings)) != KPR_OK)
		return rc;
	if (cfg->local_code_pattern &&
	    (rc = write_setting(st, "local_code_pattern", cfg->local_code_pattern, st->db->local_code_pattern != NULL,
				&res->settings)) != KPR_OK)
		return rc;
	if ((rc = write_regions(st, res)) != KPR_OK || (rc = write_zones(st, res)) != KPR_OK ||
	    (rc = write_pools(st, res)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < cfg->nyears; i++) {
		const struct kpr_config_year *y = &cfg->years[i], *dy = &st->dbyears[i];
		struct kpr_config_year_result *yr = &res->years[i];
		yr->year = y->year;
		yr->rules_outcome = KPR_RULES_ABSENT;
		if (y->has_scenarios && (rc = write_scenarios(st, y, dy, yr)) != KPR_OK)
			return rc;
		if (y->has_rules && (rc = write_rules(st, y, dy, yr)) != KPR_OK)
			return rc;
	}
	return KPR_OK;
}

int kpr_config_store(PGconn *conn, const struct kpr_config *cfg, struct kpr_config_result *res)
{
	struct store st = { .conn = conn, .cfg = cfg };
	int rc;

	memset(res, 0, sizeof(*res));
	res->nyears = cfg->nyears;
	res->years = kpr_xcalloc(cfg->nyears + 1, sizeof(*res->years));
	st.db = kpr_xcalloc(1, sizeof(*st.db));
	st.dbyears = kpr_xcalloc(cfg->nyears + 1, sizeof(*st.dbyears));

	if ((rc = kpr_db_begin(conn)) == KPR_OK) {
		rc = store_all(&st, res);
		if (rc == KPR_OK)
			rc = kpr_db_commit(conn);
		else
			kpr_db_rollback(conn);
	}
	if (rc == KPR_OK) {
		const struct kpr_config *db = st.db;
		if (cfg->has_regions)
			res->kept_regions = warn_kept(cfg->file, _("region(s)"), &db->regions[0].code,
						      sizeof(db->regions[0]), db->nregions, region_listed, cfg);
		if (cfg->has_zones)
			res->kept_zones = warn_kept(cfg->file, _("zone(s)"), &db->zones[0].code, sizeof(db->zones[0]),
						    db->nzones, zone_listed, cfg);
		if (cfg->has_pools)
			res->kept_pools = warn_kept(cfg->file, _("pool(s)"), &db->pools[0].code, sizeof(db->pools[0]),
						    db->npools, pool_listed, cfg);
		for (size_t i = 0; i < cfg->nyears; i++) {
			const struct kpr_config_year *dy = &st.dbyears[i];
			char what[64];
			if (!cfg->years[i].has_scenarios)
				continue;
			snprintf(what, sizeof(what), _("scenario(s) of %d"), cfg->years[i].year);
			res->kept_scenarios += warn_kept(cfg->file, what, &dy->scenarios[0].code, sizeof(dy->scenarios[0]),
							 dy->nscenarios, scenario_listed, &cfg->years[i]);
		}
	} else {
		problems_free(&st.problems);
		kpr_config_result_release(res);
	}
	kpr_config_free(st.db);
	for (size_t i = 0; i < cfg->nyears; i++)
		free_year(&st.dbyears[i]);
	free(st.dbyears);
	return rc;
}

bool kpr_config_result_changed(const struct kpr_config_result *res)
{
	const struct kpr_config_count *counts[] = { &res->settings, &res->regions, &res->zones, &res->pools };
	for (size_t i = 0; i < KPR_ARRAY_SIZE(counts); i++)
		if (counts[i]->inserted || counts[i]->updated)
			return true;
	for (size_t i = 0; i < res->nyears; i++) {
		const struct kpr_config_year_result *y = &res->years[i];
		if (y->scenarios.inserted || y->scenarios.updated || y->rules_outcome == KPR_RULES_NEW ||
		    y->rules_outcome == KPR_RULES_REPLACED)
			return true;
	}
	return false;
}

void kpr_config_result_release(struct kpr_config_result *res)
{
	free(res->years);
	res->years = NULL;
	res->nyears = 0;
}
