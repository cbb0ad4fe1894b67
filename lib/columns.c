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

#define PROJ (1 << KPR_IMPORT_PROJECTS)
#define PROG (1 << KPR_IMPORT_PROGRESS)

/* The names a column goes by (already folded: no spaces, half-width, lower case), canonical first. */
static const struct column_def {
	enum kpr_col col;
	int kinds;
	const char *names[10];
} columns[] = {
	{ KPR_COL_CODE, PROJ | PROG, { "code", "项目代码", "项目编码", "项目编号", "代码", "project_code" } },
	{ KPR_COL_NAME, PROJ, { "name", "项目名称", "名称", "project_name" } },
	{ KPR_COL_REGION, PROJ, { "region", "县(市、区)", "县(市,区)", "县市区", "所在县(市、区)", "县(市区)", "地区", "属地", "county" } },
	{ KPR_COL_ZONE, PROJ, { "zone", "功能区", "所属功能区", "所在功能区" } },
	{ KPR_COL_SCENARIOS, PROJ, { "scenarios", "所属场景", "场景", "现代化场景", "scenario", "所属现代化场景" } },
	{ KPR_COL_INDUSTRY, PROJ, { "industry", "产业类别", "行业", "产业", "行业类别", "所属行业" } },
	{ KPR_COL_LEVEL, PROJ, { "level", "项目级别", "级别", "项目类别" } },
	{ KPR_COL_NATURE, PROJ, { "nature", "建设性质", "项目性质" } },
	{ KPR_COL_OWNER, PROJ, { "owner", "建设单位", "业主单位", "项目单位", "项目业主" } },
	{ KPR_COL_RESPONSIBLE_UNIT, PROJ, { "responsible_unit", "责任单位", "牵头责任单位" } },
	{ KPR_COL_LEADER, PROJ, { "leader", "包联领导", "包联市领导", "联系领导", "分包领导" } },
	{ KPR_COL_SCOPE, PROJ, { "scope", "建设规模及内容", "建设内容及规模", "建设规模和内容", "主要建设内容", "建设内容" } },
	{ KPR_COL_YEARS, PROJ, { "years", "建设起止年限", "起止年限", "建设年限" } },
	{ KPR_COL_START_YEAR, PROJ, { "start_year", "开工年份", "起始年份" } },
	{ KPR_COL_END_YEAR, PROJ, { "end_year", "竣工年份", "完工年份" } },
	{ KPR_COL_PLANNED_START, PROJ, { "planned_start", "计划开工时间", "计划开工月份", "计划开工日期" } },
	{ KPR_COL_TOTAL_INVESTMENT, PROJ, { "total_investment", "总投资", "项目总投资", "计划总投资" } },
	{ KPR_COL_ANNUAL_PLAN, PROJ, { "annual_plan", "计划投资", "年度计划投资", "年计划投资", "本年计划投资", "年度投资计划" } },
	{ KPR_COL_REMARKS, PROJ, { "remarks", "备注", "remark", "说明" } },
	{ KPR_COL_MONTH, PROG, { "month", "月份", "报告期", "填报月份", "调度月份", "所属月份" } },
	{ KPR_COL_AMOUNT, PROG, { "amount", "本月完成投资", "当月完成投资", "本月完成", "月度完成投资" } },
	{ KPR_COL_YTD, PROG, { "ytd", "累计完成投资", "年初至报告期累计完成投资", "本年累计完成投资", "累计完成", "年度累计完成投资" } },
	{ KPR_COL_PROGRESS, PROG, { "progress", "形象进度", "工程形象进度", "项目进展情况", "进展情况" } },
	{ KPR_COL_PROBLEMS, PROG, { "problems", "存在问题", "存在的问题", "问题" } },
	{ KPR_COL_STARTED, PROG, { "started", "实际开工时间", "开工时间", "实际开工日期" } },
	{ KPR_COL_ADJUSTMENT_REASON, PROG, { "adjustment_reason", "调整原因", "调减原因" } },
	/* known, not stored */
	{ KPR_COL_IGNORE, PROJ | PROG, { "序号", "no", "no.", "#", "编号" } },
	{ KPR_COL_IGNORE, PROG, { "项目名称", "name", "县(市、区)", "region" } },
};

struct kpr_colmap {
	size_t n;
	char **from;		/* folded file names */
	enum kpr_col *to;
};

const char *kpr_column_canonical(enum kpr_col col)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(columns); i++)
		if (columns[i].col == col)
			return columns[i].names[0];
	return "?";
}

static enum kpr_col lookup_folded(const char *key, enum kpr_import_kind kind)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(columns); i++) {
		if (!(columns[i].kinds & (1 << kind)))
			continue;
		for (size_t j = 0; j < KPR_ARRAY_SIZE(columns[i].names) && columns[i].names[j]; j++)
			if (strcmp(key, columns[i].names[j]) == 0)
				return columns[i].col;
	}
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
