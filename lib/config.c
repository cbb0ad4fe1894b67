/*
 * config.c: the configuration file's grammar: regions, zones, pools, each year's scenarios and
 * colour rules, walked out of the YAML document (yamldoc.h) and checked without a database.
 * The database side (fetch, store) is config_db.c; see config.h.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_impl.h"
#include "log.h"
#include "money.h"
#include "yamldoc.h"

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

const char *const kpr_config_pool_marks[] = { "preparation", "started", "construction", "completed", "withdrawn" };
const size_t kpr_config_npool_marks = KPR_ARRAY_SIZE(kpr_config_pool_marks);

static const struct {
	const char *name, *alias;
} colours[] = {
	{ "red", "红" }, { "yellow", "黄" }, { "green", "绿" }, { "blue", "蓝" },
};

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#define REQ KPR_YAML_REQ
#define OPT KPR_YAML_OPT

const struct kpr_config_measure *kpr_config_measure_find(const char *name)
{
	for (size_t i = 0; i < kpr_config_nmeasures; i++)
		if (strcmp(kpr_config_measures[i].name, name) == 0)
			return &kpr_config_measures[i];
	return NULL;
}

const struct kpr_config_region *kpr_config_find_region(const struct kpr_config *cfg, const char *code)
{
	for (size_t i = 0; i < cfg->nregions; i++)
		if (cfg->regions[i].code && strcmp(cfg->regions[i].code, code) == 0)
			return &cfg->regions[i];
	return NULL;
}

size_t kpr_config_reject(struct kpr_problems *ps, const char *file)
{
	size_t n = kpr_problems_flush(ps, file);
	if (n)
		kpr_log_error(P_("configuration '%s' rejected: %zu problem; nothing was written",
				 "configuration '%s' rejected: %zu problems; nothing was written", n), file, n);
	return n;
}

/*
 * Report each value that repeats an earlier one.  vals[i] may be NULL (not given, or
 * invalid); at[i] is where vals[i] was.  Quadratic, which is fine for a hand-written file.
 */
static void check_unique(struct kpr_yaml_doc *d, size_t n, char *const *vals, size_t stride,
			 const struct kpr_mark *at, size_t at_stride, const char *what)
{
#define VAL(i) (*(char *const *)((const char *)vals + (i) * stride))
#define AT(i) (*(const struct kpr_mark *)((const char *)at + (i) * at_stride))
	for (size_t i = 1; i < n; i++) {
		if (!VAL(i))
			continue;
		for (size_t j = 0; j < i; j++) {
			if (VAL(j) && strcmp(VAL(i), VAL(j)) == 0) {
				kpr_problems_add(d->problems, AT(i), _("duplicate %s '%s' (first at line %ld)"), what,
					    VAL(i), AT(j).line);
				break;
			}
		}
	}
#undef VAL
#undef AT
}

#define CHECK_UNIQUE(d, arr, n, field, atfield, what) \
	check_unique((d), (n), &(arr)[0].field, sizeof((arr)[0]), &(arr)[0].atfield, sizeof((arr)[0]), (what))

/*
 * The items of the list under key, in a zeroed array of n elements of size bytes: fill() takes
 * item i into its element.  NULL when the list is absent or not a list (reported).
 */
typedef void (*fill_item_fn)(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem);

static void *parse_list(struct kpr_yaml_doc *d, yaml_node_t *list, const char *key, size_t size, size_t *n,
			fill_item_fn fill)
{
	yaml_node_item_t *items;
	char *elems = kpr_yaml_list_of(d, list, key, size, &items, n);
	for (size_t i = 0; elems && i < *n; i++)
		fill(d, items, i, elems + i * size);
	return elems;
}

static void region_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem)
{
	struct kpr_config_region *r = elem;
	struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("short_name"),
			     REQ("level"), OPT("parent") };
	r->ord = (int)i + 1;
	if (!kpr_yaml_item(d, items, i, _("a region"), f, KPR_ARRAY_SIZE(f), &r->at))
		return;
	kpr_yaml_code(d, f[0].value, "code", false, DIGITS, 6, 6,
		 _("region code '%s' must be 6 digits (GB/T 2260)"), &r->code, &r->code_at);
	kpr_yaml_text(d, f[1].value, "name", false, &r->name, &r->name_at);
	kpr_yaml_text(d, f[2].value, "short_name", true, &r->short_name, &r->short_name_at);
	if (kpr_yaml_text(d, f[3].value, "level", false, &r->level, NULL) && r->level &&
	    strcmp(r->level, "city") != 0 && strcmp(r->level, "county") != 0) {
		kpr_yaml_problem(d, f[3].value, _("level '%s' must be city or county"), r->level);
		free(r->level);
		r->level = NULL;
	}
	kpr_yaml_code(d, f[4].value, "parent", true, DIGITS, 6, 6,
		 _("parent region code '%s' must be 6 digits"), &r->parent, &r->parent_at);
}

static void parse_regions(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	size_t n;

	if (!(cfg->regions = parse_list(d, list, "regions", sizeof(*cfg->regions), &n, region_item)))
		return;
	cfg->has_regions = true;
	cfg->nregions = n;
	CHECK_UNIQUE(d, cfg->regions, n, code, code_at, _("region code"));
	CHECK_UNIQUE(d, cfg->regions, n, name, name_at, _("region name"));
	CHECK_UNIQUE(d, cfg->regions, n, short_name, short_name_at, _("region short name"));
}

/* A county's parent is the city; the city has none.  Parents not in the file: kpr_config_store. */
static void check_parents(struct kpr_yaml_doc *d, const struct kpr_config *cfg)
{
	for (size_t i = 0; i < cfg->nregions; i++) {
		const struct kpr_config_region *r = &cfg->regions[i], *parent;
		if (!r->parent)
			continue;
		if (r->level && strcmp(r->level, "city") == 0) {
			kpr_problems_add(d->problems, r->parent_at, _("region '%s' is a city: a city has no parent"),
				    r->code ? r->code : r->name ? r->name : "?");
			continue;
		}
		parent = kpr_config_find_region(cfg, r->parent);
		if (parent && parent->level && strcmp(parent->level, "city") != 0)
			kpr_problems_add(d->problems, r->parent_at,
				    _("parent region '%s' is a county: a county's parent is a city"), r->parent);
	}
}

static void zone_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem)
{
	struct kpr_config_zone *z = elem;
	struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("short_name"), OPT("region") };
	z->ord = (int)i + 1;
	if (!kpr_yaml_item(d, items, i, _("a zone"), f, KPR_ARRAY_SIZE(f), &z->at))
		return;
	kpr_yaml_code(d, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
		 _("zone code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &z->code, &z->code_at);
	kpr_yaml_text(d, f[1].value, "name", false, &z->name, &z->name_at);
	kpr_yaml_text(d, f[2].value, "short_name", true, &z->short_name, &z->short_name_at);
	kpr_yaml_code(d, f[3].value, "region", true, DIGITS, 6, 6,
		 _("region code '%s' must be 6 digits"), &z->region, &z->region_at);
}

static void parse_zones(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	size_t n;

	if (!(cfg->zones = parse_list(d, list, "zones", sizeof(*cfg->zones), &n, zone_item)))
		return;
	cfg->has_zones = true;
	cfg->nzones = n;
	CHECK_UNIQUE(d, cfg->zones, n, code, code_at, _("zone code"));
	CHECK_UNIQUE(d, cfg->zones, n, name, name_at, _("zone name"));
	CHECK_UNIQUE(d, cfg->zones, n, short_name, short_name_at, _("zone short name"));
}

static void pool_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem)
{
	struct kpr_config_pool *pl = elem;
	struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("name_en"), OPT("mark") };
	pl->ord = (int)i + 1;
	if (!kpr_yaml_item(d, items, i, _("a pool"), f, KPR_ARRAY_SIZE(f), &pl->at))
		return;
	kpr_yaml_code(d, f[0].value, "code", false, LOWER "_", 1, 30,
		 _("pool code '%s' must be 1 to 30 lower-case letters or '_'"), &pl->code, &pl->code_at);
	kpr_yaml_text(d, f[1].value, "name", false, &pl->name, &pl->name_at);
	kpr_yaml_text(d, f[2].value, "name_en", true, &pl->name_en, NULL);
	if (!kpr_yaml_text(d, f[3].value, "mark", true, &pl->mark, &pl->mark_at) || !pl->mark)
		return;
	for (size_t m = 0; m < kpr_config_npool_marks; m++)
		if (strcmp(pl->mark, kpr_config_pool_marks[m]) == 0)
			return;
	kpr_yaml_problem(d, f[3].value, _("pool mark '%s' must be preparation, started, construction, completed "
					  "or withdrawn"), pl->mark);
	free(pl->mark);
	pl->mark = NULL;
}

static void parse_pools(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	size_t n;

	if (!(cfg->pools = parse_list(d, list, "pools", sizeof(*cfg->pools), &n, pool_item)))
		return;
	cfg->has_pools = true;
	cfg->npools = n;
	CHECK_UNIQUE(d, cfg->pools, n, code, code_at, _("pool code"));
	CHECK_UNIQUE(d, cfg->pools, n, name, name_at, _("pool name"));
	CHECK_UNIQUE(d, cfg->pools, n, mark, mark_at, _("pool mark"));
}

static void scenario_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem)
{
	struct kpr_config_scenario *s = elem;
	struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("sample") };
	s->ord = (int)i + 1;
	if (!kpr_yaml_item(d, items, i, _("a scenario"), f, KPR_ARRAY_SIZE(f), &s->at))
		return;
	kpr_yaml_code(d, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
		 _("scenario code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &s->code, &s->code_at);
	kpr_yaml_text(d, f[1].value, "name", false, &s->name, &s->name_at);
	kpr_yaml_bool(d, f[2].value, "sample", &s->sample);
}

static void parse_scenarios(struct kpr_yaml_doc *d, struct kpr_config_year *y, yaml_node_t *list)
{
	size_t n;

	if (!(y->scenarios = parse_list(d, list, "scenarios", sizeof(*y->scenarios), &n, scenario_item)))
		return;
	y->has_scenarios = true;
	y->nscenarios = n;
	CHECK_UNIQUE(d, y->scenarios, n, code, code_at, _("scenario code"));
	CHECK_UNIQUE(d, y->scenarios, n, name, name_at, _("scenario name"));
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
static bool parse_condition(struct kpr_yaml_doc *d, yaml_node_t *v, const struct kpr_config_measure *m,
			    struct kpr_config_condition *c)
{
	static const char *const ops2[] = { "<=", ">=", "!=" }, *const ops1[] = { "<", ">", "=" };

	c->measure = m;
	c->at = kpr_yaml_mark(v);
	if (!kpr_yaml_tag_ok(d, v))
		return false;
	if (v->type != YAML_SCALAR_NODE || kpr_yaml_is_null(v)) {
		kpr_yaml_problem(d, v, _("a condition on '%s' must be a value like \"> 30\" or true, not %s"), m->name,
			kpr_yaml_kind(v));
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
				kpr_yaml_problem(d, v, _("'%s' is true or false: compare it with = or !=, not %s"), m->name, c->op);
				good = false;
			}
		} else {
			kpr_yaml_problem(d, v, _("'%s' is true or false, not '%s'"), m->name, text);
			good = false;
		}
	} else {
		c->value = canonical_number(val);
		if (!c->value) {
			kpr_yaml_problem(d, v, _("'%s' needs an operator and a number (like \"> 30\"), not '%s'"), m->name, text);
			good = false;
		} else if (m->kind == KPR_MEASURE_COUNT && strchr(c->value, '.')) {
			kpr_yaml_problem(d, v, _("'%s' counts months: a whole number, not '%s'"), m->name, val);
			good = false;
		}
	}
	free(val);
	return good;
}

/* Add condition node cv on m to r, unless it is wrong or repeats an operator on m. */
static void add_condition(struct kpr_yaml_doc *d, struct kpr_config_rule *r, const struct kpr_config_measure *m,
			  yaml_node_t *cv)
{
	struct kpr_config_condition *c = &r->conds[r->nconds];

	if (!parse_condition(d, cv, m, c)) {
		free(c->value);
		memset(c, 0, sizeof(*c));
		return;
	}
	for (size_t j = 0; j < r->nconds; j++) {
		if (r->conds[j].measure == m && strcmp(r->conds[j].op, c->op) == 0) {
			kpr_yaml_problem(d, cv, _("two conditions '%s %s' in one rule"), m->name, c->op);
			free(c->value);
			memset(c, 0, sizeof(*c));
			return;
		}
	}
	r->nconds++;
}

/* The conditions on one measure: a single one ("> 30") or a list (["> 0", "<= 30"]). */
static void parse_measure(struct kpr_yaml_doc *d, struct kpr_config_rule *r, const struct kpr_config_measure *m,
			  yaml_node_t *v)
{
	yaml_node_item_t *items = NULL;
	size_t n = 1;

	if (v->type == YAML_SEQUENCE_NODE) {
		if (!kpr_yaml_list(d, v, m->name, &items, &n))
			return;
		if (n == 0) {
			kpr_yaml_problem(d, v, _("no condition on '%s'"), m->name);
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *cv = items ? kpr_yaml_node(d, items[i]) : v;
		if (cv)
			add_condition(d, r, m, cv);
	}
}

/* How many conditions a 'when' mapping can hold at most: room for r->conds. */
static size_t count_conditions(struct kpr_yaml_doc *d, const yaml_node_t *when)
{
	size_t n = 0;

	for (yaml_node_pair_t *pair = when->data.mapping.pairs.start; pair < when->data.mapping.pairs.top; pair++) {
		yaml_node_t *v = kpr_yaml_node(d, pair->value);
		n += (v && v->type == YAML_SEQUENCE_NODE) ? (size_t)(v->data.sequence.items.top -
								     v->data.sequence.items.start) : 1;
	}
	return n;
}

static void parse_when(struct kpr_yaml_doc *d, struct kpr_config_rule *r, yaml_node_t *when)
{
	if (!kpr_yaml_tag_ok(d, when))
		return;
	if (when->type != YAML_MAPPING_NODE) {
		kpr_yaml_problem(d, when, _("'when' must be a mapping of measures to conditions, not %s"),
				 kpr_yaml_kind(when));
		return;
	}
	if (!kpr_yaml_visit(d, when))
		return;
	size_t cap = count_conditions(d, when);
	r->conds = kpr_xcalloc(cap ? cap : 1, sizeof(*r->conds));

	for (yaml_node_pair_t *pair = when->data.mapping.pairs.start; pair < when->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = kpr_yaml_node(d, pair->key), *v = kpr_yaml_node(d, pair->value);
		const yaml_node_t *first;
		const char *name;
		if (!k || !v || !(name = kpr_yaml_key(d, k)))
			continue;
		const struct kpr_config_measure *m = kpr_config_measure_find(name);
		if (!m) {
			struct kpr_strbuf names = KPR_STRBUF_INIT;
			for (size_t j = 0; j < kpr_config_nmeasures; j++)
				kpr_strbuf_addf(&names, "%s%s", j ? ", " : "", kpr_config_measures[j].name);
			kpr_yaml_problem(d, k, _("unknown measure '%s' (known: %s)"), name, names.buf);
			kpr_strbuf_release(&names);
		} else if ((first = kpr_yaml_earlier_key(d, when, pair))) {
			kpr_yaml_problem(d, k, _("duplicate key '%s' (first at line %ld); list several conditions "
						 "on one measure as [\"> 0\", \"<= 30\"]"), name, kpr_yaml_mark(first).line);
		} else {
			parse_measure(d, r, m, v);
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

/* One colour rule: its fields in f, as matched. */
static void parse_rule(struct kpr_yaml_doc *d, struct kpr_config_rule *r, struct kpr_yaml_field *f)
{
	const char *id_must = _("rule id '%s' must be 1 to 40 lower-case letters, digits, '_' or '-', "
				"starting with a letter or digit");
	char *colour = NULL;

	kpr_yaml_code(d, f[0].value, "id", false, DIGITS LOWER "_-", 1, 40, id_must, &r->id, &r->id_at);
	if (r->id && !strchr(DIGITS LOWER, r->id[0])) {
		kpr_problems_add(d->problems, r->id_at, id_must, r->id);
		free(r->id);
		r->id = NULL;
	}
	if (kpr_yaml_text(d, f[1].value, "colour", false, &colour, NULL) && colour) {
		const char *name = colour_name(colour);
		if (name)
			r->colour = kpr_xstrdup(name);
		else
			kpr_yaml_problem(d, f[1].value, _("unknown colour '%s' (red, yellow, green, blue or 红, 黄, 绿, 蓝)"),
					 colour);
	}
	free(colour);
	kpr_yaml_text(d, f[2].value, "description", true, &r->description, NULL);
	if (f[3].value)
		parse_when(d, r, f[3].value);
}

static void parse_rules(struct kpr_yaml_doc *d, struct kpr_config_year *y, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!list || !kpr_yaml_list(d, list, "colour_rules", &items, &n))
		return;
	if (n == 0) {
		kpr_yaml_problem(d, list, _("'colour_rules' is empty: leave the key out to keep the year's rules"));
		return;
	}
	y->has_rules = true;
	y->rules = kpr_xcalloc(n, sizeof(*y->rules));
	y->nrules = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_rule *r = &y->rules[i];
		struct kpr_yaml_field f[] = { REQ("id"), REQ("colour"), OPT("description"), REQ("when") };
		r->ord = (int)i + 1;
		if (kpr_yaml_item(d, items, i, _("a colour rule"), f, KPR_ARRAY_SIZE(f), &r->at))
			parse_rule(d, r, f);
	}
	CHECK_UNIQUE(d, y->rules, n, id, id_at, _("rule id"));
}

static void parse_years(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->years = kpr_yaml_list_of(d, list, "years", sizeof(*cfg->years), &items, &n)))
		return;
	cfg->nyears = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_year *y = &cfg->years[i];
		struct kpr_yaml_field f[] = { REQ("year"), OPT("scenarios"), OPT("colour_rules") };
		if (!kpr_yaml_item(d, items, i, _("a year"), f, KPR_ARRAY_SIZE(f), &y->at))
			continue;
		if (f[0].value && kpr_yaml_int(d, f[0].value, "year", 2000, 2100, &y->year)) {
			for (size_t j = 0; j < i; j++) {
				if (cfg->years[j].year == y->year) {
					kpr_yaml_problem(d, f[0].value, _("duplicate year %d (first at line %ld)"), y->year,
							 cfg->years[j].at.line);
					break;
				}
			}
		}
		parse_scenarios(d, y, f[1].value);
		parse_rules(d, y, f[2].value);
	}
}

/* The two settings: the time zone and the pattern of local project codes. */
static void parse_settings(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *timezone,
			   yaml_node_t *pattern)
{
	kpr_yaml_code(d, timezone, "timezone", false, DIGITS LOWER UPPER "_+-/", 1, 64,
		      _("'%s' is not a time zone name like Asia/Shanghai"), &cfg->timezone, &cfg->timezone_at);
	if (kpr_yaml_text(d, pattern, "local_code_pattern", false, &cfg->local_code_pattern, &cfg->pattern_at) &&
	    cfg->local_code_pattern) {
		regex_t re;
		int err = regcomp(&re, cfg->local_code_pattern, REG_EXTENDED | REG_NOSUB);
		if (err) {
			char msg[256];
			regerror(err, &re, msg, sizeof(msg));
			kpr_problems_add(d->problems, cfg->pattern_at, _("'local_code_pattern' is not a valid regular "
					 "expression (POSIX ERE): %s"), msg);
		} else {
			regfree(&re);
		}
	}
}

/* report_due_day: a number of a day every month has */
static void parse_due_day(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *v)
{
	int day;
	if (v && kpr_yaml_int(d, v, "report_due_day", 1, 28, &day)) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", day);
		cfg->report_due_day = kpr_xstrdup(buf);
	}
}

/* One investment band of the report (--by band): a code, a name and where it starts. */
struct band {
	char *code, *name;
	int64_t from;		/* yuan: the band holds total investments from this on */
	struct kpr_mark at, code_at, name_at;
};

static void band_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, void *elem)
{
	struct band *b = elem;
	struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), REQ("from") };
	char *from = NULL;
	const char *why;

	if (!kpr_yaml_item(d, items, i, _("a band"), f, KPR_ARRAY_SIZE(f), &b->at))
		return;
	kpr_yaml_code(d, f[0].value, "code", false, DIGITS LOWER "_", 1, 30,
		      _("band code '%s' must be 1 to 30 lower-case letters, digits or '_'"), &b->code, &b->code_at);
	if (kpr_yaml_text(d, f[1].value, "name", false, &b->name, &b->name_at) && b->name && strchr(b->name, '|'))
		kpr_yaml_problem(d, f[1].value, _("a band name cannot hold '|'"));
	if (kpr_yaml_text(d, f[2].value, "from", false, &from, NULL) && from &&
	    (kpr_money_parse(from, KPR_UNIT_WAN, &b->from, &why) != KPR_OK || b->from < 0))
		kpr_yaml_problem(d, f[2].value, _("band start '%s' must be an amount of 万元, 0 or more"), from);
	free(from);
}

static int band_cmp(const void *a, const void *b)
{
	const struct band *x = a, *y = b;
	return (x->from < y->from) - (x->from > y->from);
}

/*
 * report_bands: the bands of total investment the report groups by (--by band), kept as the
 * setting report_bands: "FROM:CODE:NAME" a band, FROM in 万元, highest first, joined by '|'
 * (what lib/report.c reads; without it, KPR_REPORT_BANDS_DEFAULT).
 */
static void parse_bands(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	struct band *b;
	size_t n;
	bool ok = true;

	if (!list || !(b = parse_list(d, list, "report_bands", sizeof(*b), &n, band_item)))
		return;
	CHECK_UNIQUE(d, b, n, code, code_at, _("band code"));
	CHECK_UNIQUE(d, b, n, name, name_at, _("band name"));
	qsort(b, n, sizeof(*b), band_cmp);
	for (size_t i = 0; i < n; i++) {
		char wan[32];
		if (!b[i].code || !b[i].name)
			ok = false;
		else if (i > 0 && b[i].from == b[i - 1].from)
			kpr_problems_add(d->problems, b[i].at, _("two bands start at %s 万元"),
					 kpr_money_format_wan(b[i].from, wan)), ok = false;
		else
			kpr_strbuf_addf(&sb, "%s%s:%s:%s", i ? "|" : "", kpr_money_format_wan(b[i].from, wan),
					b[i].code, b[i].name);
	}
	if (ok && n)
		cfg->report_bands = kpr_strbuf_detach(&sb);
	else if (!n)
		kpr_yaml_problem(d, list, _("report_bands needs one band at least"));
	kpr_strbuf_release(&sb);
	for (size_t i = 0; i < n; i++)
		free(b[i].code), free(b[i].name);
	free(b);
}

static void parse_root(struct kpr_yaml_doc *d, struct kpr_config *cfg)
{
	yaml_node_t *root = kpr_yaml_doc_root(d);
	struct kpr_yaml_field f[] = { REQ("kpr_config"), OPT("timezone"), OPT("local_code_pattern"),
				      OPT("regions"), OPT("zones"), OPT("pools"), OPT("years"), OPT("report_due_day"),
				      OPT("report_bands") };

	if (!root) {
		struct kpr_mark start = { 1, 1 };
		kpr_problems_add(d->problems, start, _("the file is empty: a configuration starts with 'kpr_config: %d'"),
				 KPR_CONFIG_VERSION);
		return;
	}
	if (!kpr_yaml_walk_mapping(d, root, _("the configuration"), f, KPR_ARRAY_SIZE(f)))
		return;
	if (f[0].value && kpr_yaml_int(d, f[0].value, "kpr_config", 0, 1000000, &cfg->version) &&
	    cfg->version != KPR_CONFIG_VERSION)
		kpr_yaml_problem(d, f[0].value, _("format version %d is not one this kpr reads (%d)"), cfg->version,
				 KPR_CONFIG_VERSION);
	parse_settings(d, cfg, f[1].value, f[2].value);
	parse_due_day(d, cfg, f[7].value);
	parse_bands(d, cfg, f[8].value);
	parse_regions(d, cfg, f[3].value);
	check_parents(d, cfg);
	parse_zones(d, cfg, f[4].value);
	parse_pools(d, cfg, f[5].value);
	parse_years(d, cfg, f[6].value);
}

int kpr_config_parse(struct kpr_config **out, const char *name, const char *buf, size_t len)
{
	struct kpr_problems problems = KPR_PROBLEMS_INIT;
	struct kpr_config *cfg = kpr_xcalloc(1, sizeof(*cfg));
	struct kpr_yaml_doc d;
	struct kpr_mark second;

	*out = NULL;
	cfg->file = kpr_xstrdup(name);
	if (kpr_yaml_doc_load(&d, buf, len, &problems, 0)) {
		parse_root(&d, cfg);
		if (kpr_yaml_doc_next(&d, &second))
			kpr_problems_add(&problems, second, _("a second YAML document: a configuration file holds one"));
	}
	kpr_yaml_doc_release(&d);
	if (kpr_config_reject(&problems, name) > 0) {
		kpr_config_free(cfg);
		return KPR_EINPUT;
	}
	*out = cfg;
	return KPR_OK;
}

int kpr_config_load(struct kpr_config **out, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	int rc;

	*out = NULL;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), path, strerror(errno));
	rc = kpr_yaml_read(f, path, &sb);
	if (!is_stdin)
		fclose(f);
	if (rc == KPR_OK)
		rc = kpr_config_parse(out, is_stdin ? "stdin" : path, sb.buf ? sb.buf : "", sb.len);
	kpr_strbuf_release(&sb);
	return rc;
}

void kpr_config_year_release(struct kpr_config_year *y)
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
		free(cfg->pools[i].mark);
	}
	free(cfg->pools);
	for (size_t i = 0; i < cfg->nyears; i++)
		kpr_config_year_release(&cfg->years[i]);
	free(cfg->years);
	free(cfg->timezone);
	free(cfg->local_code_pattern);
	free(cfg->report_due_day);
	free(cfg->report_bands);
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
