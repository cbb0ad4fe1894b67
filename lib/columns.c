/* columns.c: recognising columns by their many names; see columns.h. */
#include "columns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "log.h"
#include "strbuf.h"
#include "yamldoc.h"

/* Names known and deliberately not read (already folded, as in fields.h), by import kind. */
static const struct {
	unsigned kinds;
	const char *names[KPR_FIELD_NAMES];
} ignored[] = {
	{ 1u << KPR_IMPORT_PROJECTS | 1u << KPR_IMPORT_PROGRESS, { "序号", "no", "no.", "#", "编号" } },
	{ 1u << KPR_IMPORT_PROGRESS, { "项目名称", "name", "县(市、区)", "region" } },
	/* the reference columns of kpr export template's form */
	{ 1u << KPR_IMPORT_PROGRESS, { "年度计划投资", "截至上月累计(万元,仅供参考)", "截至上月累计" } },
	/* what kpr list writes besides the fields, so that its CSV reads back silently */
	{ 1u << KPR_IMPORT_PROJECTS, { "pool", "colour", "completed", "completion_rate" } },
};

struct kpr_colmap {
	size_t n;
	char **from;		/* folded file names */
	enum kpr_col *to;
};

const char *kpr_column_canonical(enum kpr_col col)
{
	if (col >= 0 && col < KPR_COL_COUNT)
		return kpr_fields[col].names[0];
	return col == KPR_COL_IGNORE ? ignored[0].names[0] : "?";
}

static bool named(const char *const *names, const char *key)
{
	for (size_t j = 0; j < KPR_FIELD_NAMES && names[j]; j++)
		if (strcmp(key, names[j]) == 0)
			return true;
	return false;
}

static enum kpr_col lookup_folded(const char *key, enum kpr_import_kind kind)
{
	for (int c = 0; c < KPR_COL_COUNT; c++)
		if (kpr_field_read_by((enum kpr_col)c, kind) && named(kpr_fields[c].names, key))
			return (enum kpr_col)c;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(ignored); i++)
		if ((ignored[i].kinds & (1u << kind)) && named(ignored[i].names, key))
			return KPR_COL_IGNORE;
	return KPR_COL_UNKNOWN;
}

/* Take a trailing unit off a folded key: "总投资(万元)", "总投资万元", "总投资(单位:亿元)". */
static enum kpr_unit strip_unit(char *key)
{
	size_t len = strlen(key);
	enum kpr_unit unit = KPR_UNIT_NONE;
	if (len && key[len - 1] == ')') {
		char *open = strrchr(key, '(');
		if (open) {
			char *inner = open + 1;
			key[len - 1] = '\0';
			if (strncmp(inner, "单位:", strlen("单位:")) == 0)
				inner += strlen("单位:");
			unit = kpr_unit_parse(inner);
			if (unit != KPR_UNIT_NONE)
				*open = '\0';
			else
				key[len - 1] = ')';
		}
		return unit;
	}
	static const char *const suffixes[] = { "亿元", "万元", "元" };
	for (size_t i = 0; i < KPR_ARRAY_SIZE(suffixes); i++) {
		size_t n = strlen(suffixes[i]);
		if (len > n && strcmp(key + len - n, suffixes[i]) == 0) {
			key[len - n] = '\0';
			return kpr_unit_parse(suffixes[i]);
		}
	}
	return unit;
}

enum kpr_col kpr_column_lookup(const char *name, enum kpr_import_kind kind, const struct kpr_colmap *custom,
			       enum kpr_unit *unit, int *year)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	enum kpr_col col = KPR_COL_UNKNOWN;
	*unit = KPR_UNIT_NONE;
	*year = 0;
	if (kpr_blank(name))
		return KPR_COL_UNKNOWN;
	char *key = (char *)kpr_fold_key(name, &sb);
	if (custom) {
		for (size_t i = 0; i < custom->n; i++)
			if (strcmp(custom->from[i], key) == 0) {
				col = custom->to[i];
				break;
			}
	}
	*unit = strip_unit(key);
	if (col == KPR_COL_UNKNOWN)
		col = lookup_folded(key, kind);
	/* "2023年计划投资", "2023年度计划投资" */
	if (col == KPR_COL_UNKNOWN && kind == KPR_IMPORT_PROJECTS && strlen(key) > 4 &&
	    strspn(key, "0123456789") == 4) {
		const char *rest = key + 4;
		if (strncmp(rest, "年度", strlen("年度")) == 0)
			rest += strlen("年度");
		else if (strncmp(rest, "年", strlen("年")) == 0)
			rest += strlen("年");
		if (lookup_folded(rest, kind) == KPR_COL_ANNUAL_PLAN) {
			col = KPR_COL_ANNUAL_PLAN;
			*year = atoi(key) ;
		}
	}
	kpr_strbuf_release(&sb);
	return col;
}

void kpr_header_init(struct kpr_header *h, enum kpr_import_kind kind, const struct kpr_colmap *custom)
{
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->custom = custom;
	for (int i = 0; i < KPR_COL_COUNT; i++)
		h->index[i] = -1;
}

void kpr_header_release(struct kpr_header *h)
{
	for (size_t i = 0; i < h->nfields; i++)
		free(h->names[i]);
	free(h->names);
	h->names = NULL;
	h->nfields = 0;
}

/* Map the names onto h; returns how many known columns were found and whether code was. */
static int map_names(struct kpr_header *h, char *const *names, size_t n, bool *has_code)
{
	int known = 0;
	*has_code = false;
	for (int i = 0; i < KPR_COL_COUNT; i++) {
		h->index[i] = -1;
		h->unit[i] = KPR_UNIT_NONE;
		h->label[i] = NULL;
	}
	h->plan_year = 0;
	for (size_t i = 0; i < n; i++) {
		enum kpr_unit unit;
		int year;
		enum kpr_col col = names[i] ? kpr_column_lookup(names[i], h->kind, h->custom, &unit, &year)
					    : KPR_COL_UNKNOWN;
		if (col < 0 || h->index[col] >= 0)
			continue;
		h->index[col] = (int)i;
		h->unit[col] = unit;
		h->label[col] = names[i];
		if (col == KPR_COL_ANNUAL_PLAN)
			h->plan_year = year;
		known++;
		if (col == KPR_COL_CODE)
			*has_code = true;
	}
	return known;
}

static void keep_names(struct kpr_header *h, const struct kpr_record *rec, char *const *names)
{
	kpr_header_release(h);
	h->nfields = rec->nfields;
	h->names = kpr_xcalloc(rec->nfields, sizeof(char *));
	for (size_t i = 0; i < rec->nfields; i++)
		h->names[i] = names[i] ? kpr_xstrdup(names[i]) : NULL;
	bool has_code;
	map_names(h, h->names, h->nfields, &has_code);	/* labels now point at our copies */
}

bool kpr_header_try(struct kpr_header *h, const struct kpr_record *rec)
{
	bool has_code;
	if (map_names(h, rec->fields, rec->nfields, &has_code) < 2 || !has_code)
		return false;
	keep_names(h, rec, rec->fields);
	return true;
}

bool kpr_header_looks_like(const struct kpr_record *rec, void *arg)
{
	struct kpr_header h;
	bool has_code;
	kpr_header_init(&h, arg ? *(enum kpr_import_kind *)arg : KPR_IMPORT_PROJECTS, NULL);
	return map_names(&h, rec->fields, rec->nfields, &has_code) >= 2 && has_code;
}

bool kpr_header_other_kind(const struct kpr_header *h, const struct kpr_record *names, struct kpr_strbuf *out)
{
	static const enum kpr_col progress_cols[] = { KPR_COL_MONTH, KPR_COL_AMOUNT, KPR_COL_YTD };
	static const enum kpr_col list_cols[] = { KPR_COL_ANNUAL_PLAN, KPR_COL_TOTAL_INVESTMENT, KPR_COL_SCENARIOS,
						  KPR_COL_YEARS };
	bool progress = h->kind == KPR_IMPORT_PROJECTS, has_code;
	const enum kpr_col *cols = progress ? progress_cols : list_cols;
	size_t ncols = progress ? KPR_ARRAY_SIZE(progress_cols) : KPR_ARRAY_SIZE(list_cols);
	struct kpr_header o;

	kpr_header_init(&o, progress ? KPR_IMPORT_PROGRESS : KPR_IMPORT_PROJECTS, h->custom);
	map_names(&o, names->fields, names->nfields, &has_code);
	if (progress && (o.index[KPR_COL_MONTH] < 0 || (o.index[KPR_COL_AMOUNT] < 0 && o.index[KPR_COL_YTD] < 0)))
		return false;
	int found = 0;
	for (size_t i = 0; i < ncols && found < 2; i++)
		if (o.index[cols[i]] >= 0)
			kpr_strbuf_addf(out, "%s%s", found++ ? ", " : "", o.label[cols[i]]);
	return found > 0;
}

void kpr_header_from_keys(struct kpr_header *h, const struct kpr_record *rec)
{
	bool has_code;
	map_names(h, rec->keys, rec->nfields, &has_code);
}

bool kpr_record_blank(const struct kpr_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (!kpr_blank(rec->fields[i]))
			return false;
	return true;
}

bool kpr_title_row(const struct kpr_record *rec, enum kpr_unit *unit)
{
	int nonblank = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		if (kpr_blank(rec->fields[i]))
			continue;
		if (++nonblank > 2)
			return false;
		struct kpr_strbuf sb = KPR_STRBUF_INIT;
		char *key = (char *)kpr_fold_key(rec->fields[i], &sb);
		char *p = strstr(key, "单位:");
		if (p) {
			p += strlen("单位:");
			p[strcspn(p, ")")] = '\0';
			enum kpr_unit u = kpr_unit_parse(p);
			if (u != KPR_UNIT_NONE)
				*unit = u;
		}
		kpr_strbuf_release(&sb);
	}
	return true;
}

bool kpr_units_row(const struct kpr_record *rec, enum kpr_unit *unit)
{
	enum kpr_unit u = KPR_UNIT_NONE;
	if (!kpr_title_row(rec, &u) || u == KPR_UNIT_NONE)
		return false;
	*unit = u;
	return true;
}

const char *kpr_field(const struct kpr_header *h, const struct kpr_record *rec, enum kpr_col col)
{
	int i = h->index[col];
	if (i < 0 || (size_t)i >= rec->nfields || kpr_blank(rec->fields[i]))
		return NULL;
	return rec->fields[i];
}

const char *kpr_column_label(const struct kpr_header *h, enum kpr_col col)
{
	return h->label[col] ? h->label[col] : kpr_column_canonical(col);
}

/* The kpr column a --columns value names: a canonical name or "ignore"; KPR_COL_UNKNOWN if none. */
static enum kpr_col colmap_target(const char *to)
{
	if (strcmp(to, "ignore") == 0)
		return KPR_COL_IGNORE;
	for (int c = 0; c < KPR_COL_COUNT; c++)
		if (strcmp(to, kpr_column_canonical((enum kpr_col)c)) == 0)
			return (enum kpr_col)c;
	return KPR_COL_UNKNOWN;
}

/* One "file column: kpr column" pair of the --columns mapping into map, or a problem. */
static void colmap_add(struct kpr_yaml_doc *d, struct kpr_colmap *map, const yaml_node_t *root,
		       const yaml_node_pair_t *pair)
{
	yaml_node_t *k = kpr_yaml_node(d, pair->key), *v = kpr_yaml_node(d, pair->value);
	const yaml_node_t *first;

	if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
		kpr_yaml_problem(d, k, _("expected 'file column: kpr column'"));
		return;
	}
	/* every problem of the pair, so that the stricter checks hide none reported before them */
	bool bad = !kpr_yaml_tag_ok(d, k);
	bad |= !kpr_yaml_tag_ok(d, v);
	const char *from = (const char *)k->data.scalar.value, *to = (const char *)v->data.scalar.value;
	if ((first = kpr_yaml_earlier_key(d, root, pair))) {
		kpr_yaml_problem(d, k, _("duplicate key '%s' (first at line %ld)"), from, kpr_yaml_mark(first).line);
		bad = true;
	}
	enum kpr_col col = colmap_target(to);
	if (col == KPR_COL_UNKNOWN) {
		kpr_yaml_problem(d, v, _("unknown kpr column '%s' (see docs/formats.md)"), to);
		bad = true;
	}
	if (bad)
		return;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_fold_key(from, &sb);
	map->from[map->n] = kpr_strbuf_detach(&sb);
	map->to[map->n++] = col;
}

/* The mapping in text into map; problems collected in ps. */
static void colmap_parse(struct kpr_colmap *map, const struct kpr_strbuf *text, struct kpr_problems *ps)
{
	struct kpr_yaml_doc d;

	if (kpr_yaml_doc_load(&d, text->buf ? text->buf : "", text->len, ps, KPR_YAML_LIBYAML_WORDS)) {
		yaml_node_t *root = kpr_yaml_doc_root(&d);
		if (!root || root->type != YAML_MAPPING_NODE) {
			struct kpr_mark start = { 1, 1 };
			kpr_problems_add(ps, root ? kpr_yaml_mark(root) : start,
					 _("expected a mapping of file column names to kpr column names"));
		} else if (kpr_yaml_tag_ok(&d, root) && kpr_yaml_visit(&d, root)) {
			size_t n = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
			map->from = kpr_xcalloc(n + 1, sizeof(char *));
			map->to = kpr_xcalloc(n + 1, sizeof(enum kpr_col));
			for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++)
				colmap_add(&d, map, root, pair);
		}
	}
	kpr_yaml_doc_release(&d);
}

/* --columns FILE.yaml, read with yamldoc.h's checks; no summary line here: the import's follows. */
int kpr_colmap_load(struct kpr_colmap **out, const char *path)
{
	struct kpr_strbuf text = KPR_STRBUF_INIT;
	struct kpr_problems ps = KPR_PROBLEMS_INIT;
	FILE *f = fopen(path, "rb");
	int rc;

	*out = NULL;
	if (!f)
		return kpr_fail(KPR_EFILE, _("cannot open '%s': %s"), path, strerror(errno));
	rc = kpr_yaml_read(f, path, &text);
	fclose(f);
	if (rc == KPR_OK) {
		struct kpr_colmap *map = kpr_xcalloc(1, sizeof(*map));
		colmap_parse(map, &text, &ps);
		if (kpr_problems_flush(&ps, path) > 0) {
			kpr_colmap_free(map);
			rc = KPR_EINPUT;
		} else {
			*out = map;
		}
	}
	kpr_strbuf_release(&text);
	return rc;
}

void kpr_colmap_free(struct kpr_colmap *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->n; i++)
		free(map->from[i]);
	free(map->from);
	free(map->to);
	free(map);
}
