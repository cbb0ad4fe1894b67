/* config.c: the configuration file: parse and check (no database), store, fetch; see config.h. */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "log.h"
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

static const struct {
	const char *name, *alias;
} colours[] = {
	{ "red", "红" }, { "yellow", "黄" }, { "green", "绿" }, { "blue", "蓝" },
};

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* In the order a range reads: "points_behind > 0 and points_behind <= 30". */
static const char *const operators[] = { ">", ">=", "=", "!=", "<=", "<" };

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

#define REQ KPR_YAML_REQ
#define OPT KPR_YAML_OPT

const struct kpr_config_measure *kpr_config_measure_find(const char *name)
{
	for (size_t i = 0; i < kpr_config_nmeasures; i++)
		if (strcmp(kpr_config_measures[i].name, name) == 0)
			return &kpr_config_measures[i];
	return NULL;
}

static const struct kpr_config_region *kpr_config_find_region(const struct kpr_config *cfg, const char *code)
{
	for (size_t i = 0; i < cfg->nregions; i++)
		if (cfg->regions[i].code && strcmp(cfg->regions[i].code, code) == 0)
			return &cfg->regions[i];
	return NULL;
}

static size_t kpr_config_reject(struct kpr_problems *ps, const char *file)
{
	size_t n = kpr_problems_flush(ps, file);
	if (n)
		kpr_log_error(_("configuration '%s' rejected: %zu problem(s); nothing was written"), file, n);
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

static void parse_regions(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->regions = kpr_yaml_list_of(d, list, "regions", sizeof(*cfg->regions), &items, &n)))
		return;
	cfg->has_regions = true;
	cfg->nregions = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_region *r = &cfg->regions[i];
		struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("short_name"),
				     REQ("level"), OPT("parent") };
		r->ord = (int)i + 1;
		if (!kpr_yaml_item(d, items, i, _("a region"), f, KPR_ARRAY_SIZE(f), &r->at))
			continue;
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

static void parse_zones(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->zones = kpr_yaml_list_of(d, list, "zones", sizeof(*cfg->zones), &items, &n)))
		return;
	cfg->has_zones = true;
	cfg->nzones = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_zone *z = &cfg->zones[i];
		struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("short_name"), OPT("region") };
		z->ord = (int)i + 1;
		if (!kpr_yaml_item(d, items, i, _("a zone"), f, KPR_ARRAY_SIZE(f), &z->at))
			continue;
		kpr_yaml_code(d, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
			 _("zone code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &z->code, &z->code_at);
		kpr_yaml_text(d, f[1].value, "name", false, &z->name, &z->name_at);
		kpr_yaml_text(d, f[2].value, "short_name", true, &z->short_name, &z->short_name_at);
		kpr_yaml_code(d, f[3].value, "region", true, DIGITS, 6, 6,
			 _("region code '%s' must be 6 digits"), &z->region, &z->region_at);
	}
	CHECK_UNIQUE(d, cfg->zones, n, code, code_at, _("zone code"));
	CHECK_UNIQUE(d, cfg->zones, n, name, name_at, _("zone name"));
	CHECK_UNIQUE(d, cfg->zones, n, short_name, short_name_at, _("zone short name"));
}

static void parse_pools(struct kpr_yaml_doc *d, struct kpr_config *cfg, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(cfg->pools = kpr_yaml_list_of(d, list, "pools", sizeof(*cfg->pools), &items, &n)))
		return;
	cfg->has_pools = true;
	cfg->npools = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_pool *pl = &cfg->pools[i];
		struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("name_en") };
		pl->ord = (int)i + 1;
		if (!kpr_yaml_item(d, items, i, _("a pool"), f, KPR_ARRAY_SIZE(f), &pl->at))
			continue;
		kpr_yaml_code(d, f[0].value, "code", false, LOWER "_", 1, 30,
			 _("pool code '%s' must be 1 to 30 lower-case letters or '_'"), &pl->code, &pl->code_at);
		kpr_yaml_text(d, f[1].value, "name", false, &pl->name, &pl->name_at);
		kpr_yaml_text(d, f[2].value, "name_en", true, &pl->name_en, NULL);
	}
	CHECK_UNIQUE(d, cfg->pools, n, code, code_at, _("pool code"));
	CHECK_UNIQUE(d, cfg->pools, n, name, name_at, _("pool name"));
}

static void parse_scenarios(struct kpr_yaml_doc *d, struct kpr_config_year *y, yaml_node_t *list)
{
	yaml_node_item_t *items;
	size_t n;

	if (!(y->scenarios = kpr_yaml_list_of(d, list, "scenarios", sizeof(*y->scenarios), &items, &n)))
		return;
	y->has_scenarios = true;
	y->nscenarios = n;
	for (size_t i = 0; i < n; i++) {
		struct kpr_config_scenario *s = &y->scenarios[i];
		struct kpr_yaml_field f[] = { REQ("code"), REQ("name"), OPT("sample") };
		s->ord = (int)i + 1;
		if (!kpr_yaml_item(d, items, i, _("a scenario"), f, KPR_ARRAY_SIZE(f), &s->at))
			continue;
		kpr_yaml_code(d, f[0].value, "code", false, DIGITS LOWER UPPER "_-", 1, 20,
			 _("scenario code '%s' must be 1 to 20 letters, digits, '_' or '-'"), &s->code, &s->code_at);
		kpr_yaml_text(d, f[1].value, "name", false, &s->name, &s->name_at);
		kpr_yaml_bool(d, f[2].value, "sample", &s->sample);
	}
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

static void parse_root(struct kpr_yaml_doc *d, struct kpr_config *cfg)
{
	yaml_node_t *root = kpr_yaml_doc_root(d);
	struct kpr_yaml_field f[] = { REQ("kpr_config"), OPT("timezone"), OPT("local_code_pattern"),
				      OPT("regions"), OPT("zones"), OPT("pools"), OPT("years") };

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

static void kpr_config_year_release(struct kpr_config_year *y)
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
		kpr_config_year_release(&cfg->years[i]);
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
	struct kpr_problems problems;
};

static const struct kpr_config_region *db_region(const struct kpr_config *db, const char *code)
{
	return kpr_config_find_region(db, code);
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

/* The time zone names the server knows are the ones that count. */
static int check_timezone(struct store *st)
{
	const struct kpr_config *cfg = st->cfg;
	const char *params[1] = { cfg->timezone };
	PGresult *res;
	int rc;

	if (!cfg->timezone)
		return KPR_OK;
	if ((rc = kpr_db_exec(st->conn, "SELECT EXISTS (SELECT FROM pg_catalog.pg_timezone_names WHERE name = $1)",
			      1, params, &res)) != KPR_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		kpr_problems_add(&st->problems, cfg->timezone_at, _("unknown time zone '%s'"), cfg->timezone);
	PQclear(res);
	return KPR_OK;
}

/* Parents outside the file, and names held by regions the file does not list. */
static void check_regions(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct kpr_problems *ps = &st->problems;

	for (size_t i = 0; i < cfg->nregions; i++) {
		const struct kpr_config_region *r = &cfg->regions[i], *d;
		if (r->parent && !kpr_config_find_region(cfg, r->parent)) {
			d = db_region(db, r->parent);
			if (!d)
				kpr_problems_add(ps, r->parent_at, _("unknown parent region '%s': not in this file nor in "
								     "the database"), r->parent);
			else if (strcmp(d->level, "city") != 0)
				kpr_problems_add(ps, r->parent_at, _("parent region '%s' is a county: a county's parent is "
								     "a city"), r->parent);
		}
		for (size_t j = 0; j < db->nregions; j++) {
			d = &db->regions[j];
			if (kpr_config_find_region(cfg, d->code))
				continue;
			if (str_eq(d->name, r->name))
				kpr_problems_add(ps, r->name_at, _("region name '%s' is taken by region '%s' in the database, "
								   "which this file does not list"), r->name, d->code);
			if (r->short_name && str_eq(d->short_name, r->short_name))
				kpr_problems_add(ps, r->short_name_at, _("region short name '%s' is taken by region '%s' in "
									 "the database, which this file does not list"),
						 r->short_name, d->code);
		}
	}
}

/* Regions outside the file, and names held by zones the file does not list. */
static void check_zones(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct kpr_problems *ps = &st->problems;

	for (size_t i = 0; i < cfg->nzones; i++) {
		const struct kpr_config_zone *z = &cfg->zones[i];
		if (z->region && !kpr_config_find_region(cfg, z->region) && !db_region(db, z->region))
			kpr_problems_add(ps, z->region_at, _("unknown region '%s': not in this file nor in the database"),
					 z->region);
		for (size_t j = 0; j < db->nzones; j++) {
			const struct kpr_config_zone *d = &db->zones[j];
			if (find_zone(cfg, d->code))
				continue;
			if (str_eq(d->name, z->name))
				kpr_problems_add(ps, z->name_at, _("zone name '%s' is taken by zone '%s' in the database, "
								   "which this file does not list"), z->name, d->code);
			if (z->short_name && str_eq(d->short_name, z->short_name))
				kpr_problems_add(ps, z->short_name_at, _("zone short name '%s' is taken by zone '%s' in the "
									 "database, which this file does not list"),
						 z->short_name, d->code);
		}
	}
}

/* Names and places in the order held by pools, and names by scenarios, the file does not list. */
static void check_pools_and_scenarios(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct kpr_problems *ps = &st->problems;

	for (size_t i = 0; i < cfg->npools; i++) {
		const struct kpr_config_pool *pl = &cfg->pools[i];
		for (size_t j = 0; j < db->npools; j++) {
			const struct kpr_config_pool *d = &db->pools[j];
			if (find_pool(cfg, d->code))
				continue;
			if (str_eq(d->name, pl->name))
				kpr_problems_add(ps, pl->name_at, _("pool name '%s' is taken by pool '%s' in the database, "
								    "which this file does not list"), pl->name, d->code);
			if (d->ord == pl->ord)
				kpr_problems_add(ps, pl->at, _("place %d in the pool order is taken by pool '%s' in the "
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
					kpr_problems_add(ps, s->name_at, _("scenario name '%s' is taken by scenario '%s' of %d "
									   "in the database, which this file does not list"),
							 s->name, d->code, cy->year);
			}
		}
	}
}

/* What only the database can tell; problems collected in st->problems. */
static int cross_check(struct store *st)
{
	int rc = check_timezone(st);

	if (rc != KPR_OK)
		return rc;
	check_regions(st);
	check_zones(st);
	check_pools_and_scenarios(st);
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
	return kpr_config_find_region(cfg, code) != NULL;
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
	if (kpr_config_reject(&st->problems, cfg->file) > 0)
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
		kpr_problems_release(&st.problems);
		kpr_config_result_release(res);
	}
	kpr_config_free(st.db);
	for (size_t i = 0; i < cfg->nyears; i++)
		kpr_config_year_release(&st.dbyears[i]);
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
