/*
 * fields.h: the columns kpr reads, described once: names, type, and where each project field
 * goes.  Everything that lists the fields (the column enum and header names in columns.c, the
 * per-field checks in validate.c, the COPY rows, the staging table, the change comparison, the
 * audit and the UPDATE in import_projects.c) is made from KPR_FIELDS.
 *
 *     const struct kpr_field *f = &kpr_fields[KPR_COL_OWNER];    f->names[0] is "owner"
 *     char *sql = kpr_fields_sql("UPDATE project SET ({{%s}}) = ({{c.%s}}) ...");
 *
 * Adding a project field: a KPR_FIELDS line (its type decides how it is read, copied and
 * compared), its member in struct kpr_project_row (validate.h), and the column in a migration
 * (with schema/kpr.sql, `make schema`); tests/unit/fields.c holds the description against it.
 */
#ifndef KPR_FIELDS_H
#define KPR_FIELDS_H

#include "kpr.h"
#include "strbuf.h"

enum kpr_import_kind { KPR_IMPORT_PROJECTS, KPR_IMPORT_PROGRESS };

/*
 *   X(COL, kinds, type, flags, column, row, names...)
 *
 * COL     the column is KPR_COL_<COL> (enum kpr_col, in this order)
 * kinds   the imports that read it: PROJ, PROG or BOTH
 * type    how a value is read, stored and shown (enum kpr_field_type, KPR_FIELD_<type>)
 * flags   KEY: the project's code (required); REQUIRED: the header must have it and every row
 *         a value; OPTIONAL; RANGE: optional, and also given by the years column (2023-2025)
 * column  its column in table project, or NULL (kept elsewhere, or only read)
 * row     where kpr_project_validate() puts it: ROW(member) of struct kpr_project_row,
 *         MONEY_ROW(member, has_member), or NOROW
 * names   the canonical name (docs/formats.md, --columns), then the official header (what an
 *         export or a template writes; money with its unit), then other headers files use;
 *         all folded (fold.h: half-width, no spaces, lower case)
 */
#define KPR_FIELDS(X) \
	X(CODE, BOTH, CODE, KEY, "code", ROW(code), \
	  "code", "项目代码", "项目编码", "项目编号", "代码", "project_code") \
	X(NAME, PROJ, TEXT, REQUIRED, "name", ROW(name), \
	  "name", "项目名称", "名称", "project_name") \
	X(REGION, PROJ, REGION, REQUIRED, "region_code", ROW(region_code), \
	  "region", "县(市、区)", "县(市,区)", "县市区", "所在县(市、区)", "县(市区)", "地区", "属地", "county") \
	X(ZONE, PROJ, ZONE, OPTIONAL, "zone_code", ROW(zone_code), \
	  "zone", "功能区", "所属功能区", "所在功能区") \
	X(SCENARIOS, PROJ, SCENARIOS, OPTIONAL, NULL, NOROW, \
	  "scenarios", "所属场景", "场景", "现代化场景", "scenario", "所属现代化场景") \
	X(INDUSTRY, PROJ, TEXT, OPTIONAL, "industry", ROW(industry), \
	  "industry", "产业类别", "行业", "产业", "行业类别", "所属行业") \
	X(LEVEL, PROJ, LEVEL, OPTIONAL, "level", ROW(level), \
	  "level", "项目级别", "级别", "项目类别") \
	X(NATURE, PROJ, NATURE, OPTIONAL, "nature", ROW(nature), \
	  "nature", "建设性质", "项目性质") \
	X(OWNER, PROJ, TEXT, OPTIONAL, "owner", ROW(owner), \
	  "owner", "建设单位", "业主单位", "项目单位", "项目业主") \
	X(RESPONSIBLE_UNIT, PROJ, TEXT, OPTIONAL, "responsible_unit", ROW(responsible_unit), \
	  "responsible_unit", "责任单位", "牵头责任单位") \
	X(LEADER, PROJ, TEXT, OPTIONAL, "leader", ROW(leader), \
	  "leader", "包联领导", "包联市领导", "联系领导", "分包领导") \
	X(SCOPE, PROJ, TEXT, OPTIONAL, "scope", ROW(scope), \
	  "scope", "建设规模及内容", "建设内容及规模", "建设规模和内容", "主要建设内容", "建设内容") \
	X(YEARS, PROJ, YEARS, OPTIONAL, NULL, NOROW, \
	  "years", "建设起止年限", "起止年限", "建设年限") \
	X(START_YEAR, PROJ, YEAR, RANGE, "start_year", ROW(start_year), \
	  "start_year", "开工年份", "起始年份") \
	X(END_YEAR, PROJ, YEAR, RANGE, "end_year", ROW(end_year), \
	  "end_year", "竣工年份", "完工年份") \
	X(PLANNED_START, PROJ, MONTH, OPTIONAL, "planned_start", ROW(planned_start), \
	  "planned_start", "计划开工时间", "计划开工月份", "计划开工日期") \
	X(TOTAL_INVESTMENT, PROJ, MONEY, OPTIONAL, "total_investment", MONEY_ROW(total_investment, has_total), \
	  "total_investment", "总投资", "项目总投资", "计划总投资") \
	X(ANNUAL_PLAN, PROJ, MONEY, OPTIONAL, NULL, MONEY_ROW(annual_plan, has_plan), \
	  "annual_plan", "计划投资", "年度计划投资", "年计划投资", "本年计划投资", "年度投资计划") \
	X(REMARKS, PROJ, TEXT, OPTIONAL, "remarks", ROW(remarks), \
	  "remarks", "备注", "remark", "说明") \
	X(MONTH, PROG, MONTH, REQUIRED, NULL, NOROW, \
	  "month", "月份", "报告期", "填报月份", "调度月份", "所属月份") \
	X(AMOUNT, PROG, MONEY, OPTIONAL, NULL, NOROW, \
	  "amount", "本月完成投资", "当月完成投资", "本月完成", "月度完成投资") \
	X(YTD, PROG, MONEY, OPTIONAL, NULL, NOROW, \
	  "ytd", "累计完成投资", "年初至报告期累计完成投资", "本年累计完成投资", "累计完成", "年度累计完成投资") \
	X(PROGRESS, PROG, TEXT, OPTIONAL, NULL, NOROW, \
	  "progress", "形象进度", "工程形象进度", "项目进展情况", "进展情况") \
	X(PROBLEMS, PROG, TEXT, OPTIONAL, NULL, NOROW, \
	  "problems", "存在问题", "存在的问题", "问题") \
	X(STARTED, PROG, DATE, OPTIONAL, NULL, NOROW, \
	  "started", "实际开工时间", "开工时间", "实际开工日期") \
	X(COMPLETED_ON, PROG, DATE, OPTIONAL, NULL, NOROW, \
	  "completed_on", "竣工时间", "实际竣工时间", "竣工日期", "完工时间") \
	X(ADJUSTMENT_REASON, PROG, TEXT, OPTIONAL, NULL, NOROW, \
	  "adjustment_reason", "调整原因", "调减原因")

#define KPR_COL_ENUM_(col, ...) KPR_COL_##col,
enum kpr_col {
	KPR_FIELDS(KPR_COL_ENUM_)
	KPR_COL_COUNT,
	KPR_COL_IGNORE = -2,	/* known and deliberately ignored (序号, No., ...) */
	KPR_COL_UNKNOWN = -1
};
#undef KPR_COL_ENUM_

/* What a field holds; the validator reads each type its own way. */
enum kpr_field_type {
	KPR_FIELD_CODE,		/* a project code, national or local (text) */
	KPR_FIELD_TEXT,		/* free text, trimmed */
	KPR_FIELD_REGION,	/* a region's name or code, stored as its code (text) */
	KPR_FIELD_ZONE,		/* a functional zone's, likewise */
	KPR_FIELD_SCENARIOS,	/* the year's scenarios, by name (project_scenario) */
	KPR_FIELD_LEVEL,	/* 省重点 or 市重点 (text) */
	KPR_FIELD_NATURE,	/* 新开工, 续建, 竣工投产 or 前期 (text) */
	KPR_FIELD_YEARS,	/* a range of years, 2023-2025: start and end year */
	KPR_FIELD_YEAR,		/* integer */
	KPR_FIELD_MONTH,	/* a month, stored as its first day (date) */
	KPR_FIELD_DATE,		/* a day (date) */
	KPR_FIELD_MONEY		/* an amount in 万元 unless the header says otherwise (numeric(18,4)) */
};

#define KPR_FIELD_REQUIRED 1u
#define KPR_FIELD_KEY 2u
#define KPR_FIELD_RANGE 4u

/*
 * For code that expands KPR_FIELDS: the list's words as values.  KPR_FIELD_ROW() gives two
 * offsets in struct kpr_project_row (validate.h), the value's and its has_ flag's (0: none).
 */
#define KPR_FIELD_KINDS(kinds) KPR_FIELD_KINDS_##kinds
#define KPR_FIELD_KINDS_PROJ (1u << KPR_IMPORT_PROJECTS)
#define KPR_FIELD_KINDS_PROG (1u << KPR_IMPORT_PROGRESS)
#define KPR_FIELD_KINDS_BOTH (KPR_FIELD_KINDS_PROJ | KPR_FIELD_KINDS_PROG)
#define KPR_FIELD_FLAGS(flags) KPR_FIELD_FLAGS_##flags
#define KPR_FIELD_FLAGS_KEY (KPR_FIELD_KEY | KPR_FIELD_REQUIRED)
#define KPR_FIELD_FLAGS_REQUIRED KPR_FIELD_REQUIRED
#define KPR_FIELD_FLAGS_OPTIONAL 0u
#define KPR_FIELD_FLAGS_RANGE KPR_FIELD_RANGE
#define KPR_FIELD_ROW(row) KPR_FIELD_ROW_##row
#define KPR_FIELD_ROW_ROW(member) offsetof(struct kpr_project_row, member), 0
#define KPR_FIELD_ROW_MONEY_ROW(member, has) offsetof(struct kpr_project_row, member), \
	offsetof(struct kpr_project_row, has)
#define KPR_FIELD_ROW_NOROW 0, 0

#define KPR_FIELD_NAMES 10

struct kpr_field {
	const char *names[KPR_FIELD_NAMES];	/* canonical first; NULL after the last */
	const char *column;		/* in table project, or NULL */
	enum kpr_field_type type;
	unsigned kinds;			/* bit 1 << enum kpr_import_kind for each import that reads it */
	unsigned flags;			/* KPR_FIELD_REQUIRED, _KEY, _RANGE */
	size_t value, has;		/* offsets in struct kpr_project_row (0: none; line is first) */
};

/* Every column, indexed by enum kpr_col. */
extern const struct kpr_field kpr_fields[KPR_COL_COUNT];

/* Does the import of this kind read the column? */
static inline bool kpr_field_read_by(enum kpr_col col, enum kpr_import_kind kind)
{
	return kpr_fields[col].kinds & (1u << kind);
}

/* The column's type in SQL ("text", "integer", "date", "numeric(18,4)"); NULL for SCENARIOS and
 * YEARS, which have no column of their own. */
const char *kpr_field_sql_type(enum kpr_field_type type);

/*
 * A statement with the project's columns filled in: each {{...}} becomes the text between the
 * braces once for every project column but the code (those with a column and not KEY, in
 * KPR_FIELDS order), joined by ", ", with %s its column and %t its SQL type.  "({{c.%s}})" gives
 * "(c.name, c.region_code, ...)".  Returns a string to free().
 */
char *kpr_fields_sql(const char *template);

struct kpr_project_row;
/* A project row's code and columns, in the order kpr_fields_sql() lists them, each as a COPY
 * text-format field followed by a tab. */
void kpr_fields_copy_row(struct kpr_strbuf *sb, const struct kpr_project_row *row);

#endif
