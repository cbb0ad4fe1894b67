/* Unit tests: recognising the columns of an input file by their many names (lib/columns.c). */
#include "columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "tap.h"

#define PROJECTS KPR_IMPORT_PROJECTS
#define PROGRESS KPR_IMPORT_PROGRESS

static const char *col_name(enum kpr_col col)
{
	return col == KPR_COL_IGNORE ? "ignored" : col == KPR_COL_UNKNOWN ? "unknown" : kpr_column_canonical(col);
}

/* name is column want, with the unit and the year it names */
static void column_is(const char *name, enum kpr_import_kind kind, const struct kpr_colmap *map, enum kpr_col want,
		      enum kpr_unit want_unit, int want_year)
{
	enum kpr_unit unit = KPR_UNIT_YUAN;	/* neither is what any case wants left alone */
	int year = -1;
	enum kpr_col col = kpr_column_lookup(name, kind, map, &unit, &year);
	ok(col == want && unit == want_unit && year == want_year,
	   "%s header '%s'%s is %s, unit '%s', year %d (got %s, '%s', %d)", kind == PROJECTS ? "project" : "progress",
	   name, map ? " (mapped)" : "", col_name(want), kpr_unit_name(want_unit), want_year, col_name(col),
	   kpr_unit_name(unit), year);
}

static void test_lookup(void)
{
	/* the official Chinese wording, and kpr's canonical names */
	column_is("项目代码", PROJECTS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("项目编码", PROJECTS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("code", PROJECTS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is(" Code ", PROJECTS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("项目 代码", PROJECTS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("项目名称", PROJECTS, NULL, KPR_COL_NAME, KPR_UNIT_NONE, 0);
	column_is("县（市、区）", PROJECTS, NULL, KPR_COL_REGION, KPR_UNIT_NONE, 0);
	column_is("县 (市、区)", PROJECTS, NULL, KPR_COL_REGION, KPR_UNIT_NONE, 0);
	column_is("功能区", PROJECTS, NULL, KPR_COL_ZONE, KPR_UNIT_NONE, 0);
	column_is("所属场景", PROJECTS, NULL, KPR_COL_SCENARIOS, KPR_UNIT_NONE, 0);
	column_is("建设性质", PROJECTS, NULL, KPR_COL_NATURE, KPR_UNIT_NONE, 0);
	column_is("建设起止年限", PROJECTS, NULL, KPR_COL_YEARS, KPR_UNIT_NONE, 0);
	column_is("计划开工时间", PROJECTS, NULL, KPR_COL_PLANNED_START, KPR_UNIT_NONE, 0);
	column_is("responsible_unit", PROJECTS, NULL, KPR_COL_RESPONSIBLE_UNIT, KPR_UNIT_NONE, 0);
	column_is("备注", PROJECTS, NULL, KPR_COL_REMARKS, KPR_UNIT_NONE, 0);

	/* units in the header */
	column_is("总投资", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_NONE, 0);
	column_is("总投资(万元)", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_WAN, 0);
	column_is("总投资（亿元）", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_YI, 0);
	column_is("总投资(元)", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_YUAN, 0);
	column_is("总投资万元", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_WAN, 0);
	column_is("总投资（单位：亿元）", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_YI, 0);
	column_is("Total_Investment (亿元)", PROJECTS, NULL, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_YI, 0);
	column_is("总投资(美元)", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);

	/* the plan column names its year */
	column_is("2023年计划投资(万元)", PROJECTS, NULL, KPR_COL_ANNUAL_PLAN, KPR_UNIT_WAN, 2023);
	column_is("２０２４年度计划投资（亿元）", PROJECTS, NULL, KPR_COL_ANNUAL_PLAN, KPR_UNIT_YI, 2024);
	column_is("2023年计划投资", PROJECTS, NULL, KPR_COL_ANNUAL_PLAN, KPR_UNIT_NONE, 2023);
	column_is("年度计划投资", PROJECTS, NULL, KPR_COL_ANNUAL_PLAN, KPR_UNIT_NONE, 0);
	column_is("annual_plan", PROJECTS, NULL, KPR_COL_ANNUAL_PLAN, KPR_UNIT_NONE, 0);
	column_is("2023年总投资", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("20231年计划投资", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("2023年计划投资", PROGRESS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);

	/* each kind of file has its own columns */
	column_is("月份", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("月份", PROGRESS, NULL, KPR_COL_MONTH, KPR_UNIT_NONE, 0);
	column_is("项目代码", PROGRESS, NULL, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("本月完成投资（万元）", PROGRESS, NULL, KPR_COL_AMOUNT, KPR_UNIT_WAN, 0);
	column_is("累计完成投资(亿元)", PROGRESS, NULL, KPR_COL_YTD, KPR_UNIT_YI, 0);
	column_is("形象进度", PROGRESS, NULL, KPR_COL_PROGRESS, KPR_UNIT_NONE, 0);
	column_is("存在问题", PROGRESS, NULL, KPR_COL_PROBLEMS, KPR_UNIT_NONE, 0);
	column_is("实际开工时间", PROGRESS, NULL, KPR_COL_STARTED, KPR_UNIT_NONE, 0);
	column_is("调整原因", PROGRESS, NULL, KPR_COL_ADJUSTMENT_REASON, KPR_UNIT_NONE, 0);
	column_is("本月完成投资", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("项目名称", PROGRESS, NULL, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);
	column_is("县(市、区)", PROGRESS, NULL, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);
	column_is("序号", PROJECTS, NULL, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);
	column_is("序号", PROGRESS, NULL, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);

	column_is("联系电话", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("\u3000", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
}

/* kpr_colmap_load of text; the map (NULL on error), rc and what it printed */
static struct kpr_colmap *load_map(const char *text, int *rc, const char **err)
{
	char path[] = "/tmp/kpr-columns.XXXXXX";
	int fd = mkstemp(path);
	struct kpr_colmap *map = NULL;
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	tap_capture_stderr();
	*rc = kpr_colmap_load(&map, path);
	*err = tap_captured_stderr();
	unlink(path);
	return map;
}

/* The text is refused with exactly the lines want (after "FILE:") on stderr. */
static void map_refused(const char *text, const char *want, const char *desc)
{
	int rc;
	const char *err;
	struct kpr_colmap *map = load_map(text, &rc, &err);
	ok(rc == KPR_EINPUT && map == NULL, "--columns refuses %s", desc);
	/* each line starts with the temporary file's name: compare what follows it */
	struct kpr_strbuf got = KPR_STRBUF_INIT;
	for (const char *line = err; *line;) {
		size_t n = strcspn(line, "\n");
		const char *colon = memchr(line, ':', n);
		kpr_strbuf_add(&got, colon ? colon + 1 : line, n - (size_t)(colon ? colon + 1 - line : 0));
		line += n + (line[n] == '\n');
		if (*line)
			kpr_strbuf_addch(&got, '\n');
	}
	is_str(got.buf ? got.buf : "", want, "--columns refuses %s: the message", desc);
	kpr_strbuf_release(&got);
}

static void test_colmap(void)
{
	int rc;
	const char *err;
	struct kpr_colmap *map = load_map("# a county's own layout\n"
					  "项目统一代码: code\n"
					  "项目 名: name\n"
					  "年度投资（亿元）: annual_plan\n"
					  "备注: ignore\n"
					  "填表人: ignore\n",
					  &rc, &err);
	ok(rc == KPR_OK && map != NULL, "--columns loads a mapping");
	is_str(err, "", "and prints nothing");
	column_is("项目统一代码", PROJECTS, map, KPR_COL_CODE, KPR_UNIT_NONE, 0);
	column_is("项目统一代码", PROJECTS, NULL, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	column_is("项目名", PROJECTS, map, KPR_COL_NAME, KPR_UNIT_NONE, 0);
	column_is("年度投资(亿元)", PROJECTS, map, KPR_COL_ANNUAL_PLAN, KPR_UNIT_YI, 0);
	column_is("填表人", PROJECTS, map, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);
	column_is("备注", PROJECTS, map, KPR_COL_IGNORE, KPR_UNIT_NONE, 0);
	column_is("总投资(万元)", PROJECTS, map, KPR_COL_TOTAL_INVESTMENT, KPR_UNIT_WAN, 0);
	column_is("联系电话", PROJECTS, map, KPR_COL_UNKNOWN, KPR_UNIT_NONE, 0);
	kpr_colmap_free(map);

	map_refused("code: kpr_code\n", "1:7: unknown kpr column 'kpr_code' (see docs/formats.md)",
		    "an unknown kpr column");
	map_refused("a: code\nb: region_name\nc: [name]\n",
		    "2:4: unknown kpr column 'region_name' (see docs/formats.md)\n3:1: expected 'file column: kpr column'",
		    "two bad entries, both reported");
	map_refused("- code\n- name\n", "1:1: expected a mapping of file column names to kpr column names", "a list");
	map_refused("a: code\n  b: name\n", "2:4: mapping values are not allowed in this context", "a YAML syntax error");

	tap_capture_stderr();
	rc = kpr_colmap_load(&map, "/nonexistent/map.yaml");
	err = tap_captured_stderr();
	ok(rc == KPR_EFILE && map == NULL, "--columns: a missing file is KPR_EFILE");
	is_str(err, "kpr: error: cannot open '/nonexistent/map.yaml': No such file or directory",
	       "--columns: a missing file, the message");
}

/* The official layout: title and units rows, then the header. */
static void test_header(void)
{
	struct kpr_header h;
	enum kpr_unit unit = KPR_UNIT_NONE;
	struct kpr_record *title = RECORD(1, "2023年廊坊市重点项目计划表", NULL, NULL, NULL, NULL, NULL, NULL);
	struct kpr_record *units = RECORD(2, NULL, NULL, NULL, NULL, NULL, NULL, "（单位：亿元）");
	struct kpr_record *head = RECORD(3, "序号", "项目代码", "项目名称", "县（市、区）", "总投资（万元）",
					 "2023年计划投资", "联系电话", "项目名称");
	struct kpr_record *row = RECORD(4, "1", "LF2023-001", " 道路 ", "\u3000", "100", "10");

	kpr_header_init(&h, PROJECTS, NULL);
	ok(!kpr_header_try(&h, title), "a title row is not a header");
	ok(kpr_title_row(title, &unit) && unit == KPR_UNIT_NONE, "a title row is a title row, naming no unit");
	ok(!kpr_header_try(&h, units), "a units row is not a header");
	ok(kpr_title_row(units, &unit) && unit == KPR_UNIT_YI, "a units row names its unit");
	ok(!kpr_title_row(head, &unit), "a header is not a title row");
	unit = KPR_UNIT_NONE;
	ok(!kpr_units_row(title, &unit) && unit == KPR_UNIT_NONE, "a title naming no unit is not a units row");
	ok(kpr_units_row(units, &unit) && unit == KPR_UNIT_YI, "a units row is one, with its unit");
	struct kpr_record *short_data = RECORD(4, "S-001", "道路", NULL);
	ok(!kpr_units_row(short_data, &unit), "a short data row is not a units row");
	record_free(short_data);
	enum kpr_import_kind kind = PROJECTS;
	ok(kpr_header_looks_like(head, &kind) && kpr_header_looks_like(head, NULL), "the header looks like one");
	ok(kpr_header_try(&h, head), "the header is taken");
	ok(!kpr_record_blank(row), "a row with fields is not blank");

	is_str(kpr_field(&h, row, KPR_COL_CODE), "LF2023-001", "the code is the code column's field");
	is_str(kpr_field(&h, row, KPR_COL_NAME), " 道路 ", "the first of two columns of a name is used, as it is");
	ok(kpr_field(&h, row, KPR_COL_REGION) == NULL, "a blank field is NULL");
	is_str(kpr_field(&h, row, KPR_COL_ANNUAL_PLAN), "10", "the plan is the plan column's field");
	ok(kpr_field(&h, row, KPR_COL_ZONE) == NULL, "a column the file lacks is NULL");
	struct kpr_record *short_row = RECORD(5, "2", "LF2023-002");
	ok(kpr_field(&h, short_row, KPR_COL_TOTAL_INVESTMENT) == NULL, "a column past the end of a short row is NULL");
	record_free(short_row);
	is_int(h.plan_year, 2023, "the header gives the plan's year");
	ok(h.unit[KPR_COL_TOTAL_INVESTMENT] == KPR_UNIT_WAN && h.unit[KPR_COL_ANNUAL_PLAN] == KPR_UNIT_NONE,
	   "the header gives each money column's unit, or none");

	/* the header keeps its own copies of the names */
	strcpy(head->fields[4], "x");
	is_str(kpr_column_label(&h, KPR_COL_TOTAL_INVESTMENT), "总投资（万元）", "a column's label is the file's own name");
	is_str(kpr_column_label(&h, KPR_COL_ZONE), "zone", "a column the file lacks is labelled by its canonical name");
	is_str(kpr_column_label(&h, KPR_COL_CODE), "项目代码", "the code's label");
	kpr_header_release(&h);

	record_free(title);
	record_free(units);
	record_free(head);
	record_free(row);
}

/* kpr_header_try, kpr_header_looks_like: two known columns, the code among them */
static void header_is(bool want, enum kpr_import_kind kind, struct kpr_record *rec, const char *desc)
{
	struct kpr_header h;
	kpr_header_init(&h, kind, NULL);
	bool taken = kpr_header_try(&h, rec);
	ok(taken == want && kpr_header_looks_like(rec, &kind) == want, "%s %s a header", desc, want ? "is" : "is not");
	kpr_header_release(&h);
	record_free(rec);
}

static void test_header_rule(void)
{
	header_is(true, PROJECTS, RECORD(1, "code", "name"), "code and name");
	header_is(true, PROJECTS, RECORD(1, "code", NULL, "name"), "code, an empty cell and name");
	header_is(false, PROJECTS, RECORD(1, "项目代码", "联系电话"), "the code alone among unknown columns");
	header_is(false, PROJECTS, RECORD(1, "项目代码", "序号"), "the code and an ignored column");
	header_is(false, PROJECTS, RECORD(1, "项目名称", "县(市、区)", "总投资"), "known columns without the code");
	header_is(false, PROJECTS, RECORD(1, "项目代码", "月份"), "a progress header in a project list");
	header_is(true, PROGRESS, RECORD(1, "项目代码", "月份"), "code and month in a progress report");
	header_is(false, PROGRESS, RECORD(1, "项目代码", "项目名称"), "code and an ignored name in a progress report");

	struct kpr_header h;
	struct kpr_record *head = RECORD(1, "项目代码", "项目名称", "月份", "本月完成投资（亿元）");
	struct kpr_record *row = RECORD(2, "LF2023-001", "道路", "2023-09", "0.5");
	kpr_header_init(&h, PROGRESS, NULL);
	ok(kpr_header_try(&h, head), "a progress header with a name column is taken");
	ok(kpr_field(&h, row, KPR_COL_NAME) == NULL, "a progress report's name column is ignored");
	is_str(kpr_field(&h, row, KPR_COL_AMOUNT), "0.5", "the month's amount");
	ok(h.unit[KPR_COL_AMOUNT] == KPR_UNIT_YI, "in the unit its header names");
	kpr_header_release(&h);
	record_free(head);
	record_free(row);
}

static void title_is(bool want, enum kpr_unit want_unit, struct kpr_record *rec, const char *desc)
{
	enum kpr_unit unit = KPR_UNIT_YUAN;	/* to see whether it is left alone */
	bool got = kpr_title_row(rec, &unit);
	ok(got == want && unit == want_unit, "%s %s a title row, unit '%s' (got '%s')", desc, want ? "is" : "is not",
	   kpr_unit_name(want_unit), kpr_unit_name(unit));
	record_free(rec);
}

static void test_title_and_blank(void)
{
	title_is(true, KPR_UNIT_YUAN, RECORD(1, "2023年廊坊市重点项目计划表"), "a title alone");
	title_is(true, KPR_UNIT_WAN, RECORD(1, NULL, "单位：万元", NULL), "a units row");
	title_is(true, KPR_UNIT_YI, RECORD(1, "单位:亿元"), "a units row in half-width");
	title_is(true, KPR_UNIT_YI, RECORD(1, "2023年计划表", " ", "\u3000", "单位：亿元"),
		 "a title and a units row with blank cells");
	title_is(true, KPR_UNIT_YUAN, RECORD(1, "单位：个"), "a units row naming no money unit");
	title_is(false, KPR_UNIT_YUAN, RECORD(1, "计划表", "填报日期", "x"), "three filled cells");

	struct kpr_record *rec = RECORD(1, NULL, "", " ", "\u3000", "\t");
	ok(kpr_record_blank(rec), "a row of empty and space-only cells is blank");
	record_free(rec);
	rec = RECORD(1, NULL, NULL, "0");
	ok(!kpr_record_blank(rec), "a row with a 0 in it is not blank");
	record_free(rec);
	rec = record_new(1, 0, NULL);
	ok(kpr_record_blank(rec), "a row of no fields is blank");
	record_free(rec);
}

/* A YAML record: each value with its key */
static void test_from_keys(void)
{
	struct kpr_header h;
	struct kpr_record *rec = RECORD(1, "LF2023-001", "1.5", "x");
	const char *keys[] = { "code", "total_investment(亿元)", "联系电话" };
	rec->keys = (char **)keys;
	kpr_header_init(&h, PROJECTS, NULL);
	kpr_header_from_keys(&h, rec);
	ok(strcmp(kpr_field(&h, rec, KPR_COL_CODE), "LF2023-001") == 0 &&
	   strcmp(kpr_field(&h, rec, KPR_COL_TOTAL_INVESTMENT), "1.5") == 0 && h.unit[KPR_COL_TOTAL_INVESTMENT] == KPR_UNIT_YI,
	   "a YAML record's keys are its header, units included");
	kpr_header_release(&h);
	rec->keys = NULL;
	record_free(rec);
}

int main(void)
{
	test_lookup();
	test_colmap();
	test_header();
	test_header_rule();
	test_title_and_blank();
	test_from_keys();
	return done_testing();
}
