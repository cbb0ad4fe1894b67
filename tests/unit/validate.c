/* Unit tests: the rules one row of a project list or a progress report must satisfy (lib/validate.c),
 * against reference data built in memory. */
#include "validate.h"

#include <stdio.h>
#include <string.h>

#include "record.h"
#include "strbuf.h"
#include "tap.h"

#define M(y, m) ((y) * 12 + (m) - 1)
#define WAN 10000LL
#define YI 100000000LL

/* A file's columns, and a row with no problem in them */
struct layout {
	size_t n;
	const char *const *names, *const *good;
};

struct fixture {
	const struct layout *layout;	/* for row_with(), or NULL */
	struct kpr_header header;
	struct kpr_validator v;
	struct kpr_strbuf problems;	/* "LINE:COLUMN: message", one a line */
};

static struct kpr_refdata rd;

static void collect(void *arg, long line, const char *column, const char *message)
{
	struct kpr_strbuf *sb = arg;
	kpr_strbuf_addf(sb, "%s%ld:%s: %s", sb->len ? "\n" : "", line, column, message);
}

/* Langfang's regions with short names, one zone, and 17 scenarios of 2023 (ids 1 to 17). */
static void refdata_init(void)
{
	static const char *const scenarios[] = { "现代商贸物流强市", "交通强市", "制造强市", "数字廊坊", "品位廊坊",
						 "健康廊坊" };
	char code[16], name[32];
	kpr_refdata_init(&rd, 2023);
	kpr_ref_add(&rd.regions, 0, "131000", "廊坊市", "市本级");
	kpr_ref_add(&rd.regions, 0, "131002", "安次区", "安次");
	kpr_ref_add(&rd.regions, 0, "131028", "大厂回族自治县", "大厂");
	kpr_ref_add(&rd.regions, 0, "131082", "三河市", "三河");
	kpr_ref_add(&rd.zones, 0, "YJGXQ", "燕郊高新区", "燕郊");
	for (int id = 1; id <= 17; id++) {
		snprintf(code, sizeof(code), "S%02d", id);
		snprintf(name, sizeof(name), "场景%02d", id);
		kpr_ref_add(&rd.scenarios, id, code, id <= 6 ? scenarios[id - 1] : name, NULL);
	}
}

/* A validator of kind's rows under the header row head (freed here); today is October 2023. */
static void fixture_init(struct fixture *f, enum kpr_import_kind kind, struct kpr_record *head)
{
	memset(f, 0, sizeof(*f));
	kpr_header_init(&f->header, kind, NULL);
	if (!kpr_header_try(&f->header, head))
		abort();
	record_free(head);
	f->v = (struct kpr_validator){ .header = &f->header, .refdata = &rd, .unit = KPR_UNIT_NONE, .year = 2023,
				       .today = M(2023, 10), .problem = collect, .arg = &f->problems };
}

/* A validator for a file with the columns of layout */
static void fixture_layout(struct fixture *f, enum kpr_import_kind kind, const struct layout *layout)
{
	fixture_init(f, kind, record_new(1, layout->n, layout->names));
	f->layout = layout;
}

static void fixture_release(struct fixture *f)
{
	kpr_header_release(&f->header);
	kpr_strbuf_release(&f->problems);
}

static const char *problems_of(struct fixture *f)
{
	return f->problems.buf ? f->problems.buf : "";
}

/* Validate rec (freed here): its problems must be want, one a line, and the count their number. */
static void problems_are(struct fixture *f, struct kpr_record *rec, const char *want, const char *desc)
{
	union {
		struct kpr_project_row project;
		struct kpr_progress_row progress;
	} row;
	int lines = *want ? 1 : 0;
	for (const char *p = want; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	kpr_strbuf_reset(&f->problems);
	int n = f->header.kind == KPR_IMPORT_PROJECTS ? kpr_project_validate(&f->v, rec, &row.project)
						       : kpr_progress_validate(&f->v, rec, &row.progress);
	is_str(problems_of(f), want, "%s: the problems", desc);
	is_int(n, lines, "%s: their number", desc);
	record_free(rec);
}

/* The layout's good row, at line 2, with field col replaced by value (NULL: an empty cell) */
static struct kpr_record *row_with(const struct fixture *f, int col, const char *value)
{
	const char **fields = kpr_xcalloc(f->layout->n, sizeof(char *));
	memcpy(fields, f->layout->good, f->layout->n * sizeof(char *));
	fields[col] = value;
	struct kpr_record *rec = record_new(2, f->layout->n, fields);
	free(fields);
	return rec;
}

static void field_bad(struct fixture *f, int col, const char *value, const char *want)
{
	char desc[160];
	snprintf(desc, sizeof(desc), "%s %s '%s'", f->header.kind == KPR_IMPORT_PROJECTS ? "project" : "progress",
		 f->layout->names[col], value ? value : "(empty)");
	problems_are(f, row_with(f, col, value), want, desc);
}

/* --- project lists ------------------------------------------------------------------------- */

enum { P_CODE, P_NAME, P_REGION, P_ZONE, P_SCENARIOS, P_LEVEL, P_NATURE, P_YEARS, P_START, P_TOTAL, P_PLAN, P_COLUMNS };
static const char *const project_good[P_COLUMNS] = { "LF2023-001", "道路", "安次区", "燕郊", "交通强市", "市重点", "续建",
						     "2023-2025", "2023-04", "100", "10" };

static const char *const project_names[P_COLUMNS] = { "code", "name", "region", "zone", "scenarios", "level", "nature",
						      "years", "planned_start", "total_investment", "annual_plan" };

static const struct layout projects = { P_COLUMNS, project_names, project_good };

static void test_project_good(void)
{
	struct fixture f;
	struct kpr_project_row row;
	fixture_init(&f, KPR_IMPORT_PROJECTS,
		     RECORD(1, "code", "name", "region", "zone", "scenarios", "industry", "level", "nature", "owner",
			    "responsible_unit", "leader", "scope", "years", "planned_start", "total_investment",
			    "annual_plan(亿元)", "remarks"));
	struct kpr_record *rec = RECORD(7, " LF2023-001\u3000", "大厂影视小镇二期", "大厂", "燕郊",
					"数字廊坊、S01；交通强市,数字廊坊", "文化旅游", "市级", "new", "\u00a0大厂影视公司\u00a0 ",
					"大厂县发改局", "张三", "建设影棚8座，\n配套用房", "2023—2025", "2023年4月",
					"１２０，０００", "3.5", NULL);
	is_int(kpr_project_validate(&f.v, rec, &row), 0, "a good project row has no problems");
	is_str(problems_of(&f), "", "and reports none");
	is_int(row.line, 7, "the row keeps its line");
	is_str(row.code, "LF2023-001", "the code is trimmed, the ideographic space too");
	is_str(row.owner, "大厂影视公司", "the owner, its no-break spaces trimmed");
	is_str(row.name, "大厂影视小镇二期", "the name");
	is_str(row.region_code, "131028", "a region by its short name resolves to its code");
	is_str(row.zone_code, "YJGXQ", "a zone by its short name resolves to its code");
	ok(row.nscenarios == 3 && row.scenarios[0] == 1 && row.scenarios[1] == 2 && row.scenarios[2] == 4,
	   "scenarios by name and code, split on 、 ； and ',', sorted, without repeats (got %d)", row.nscenarios);
	is_str(row.industry, "文化旅游", "the industry, as written");
	is_str(row.level, "市重点", "a level's synonym becomes its canonical word");
	is_str(row.nature, "新开工", "an English nature becomes its canonical word");
	is_str(row.owner, "大厂影视公司", "the owner");
	is_str(row.responsible_unit, "大厂县发改局", "the responsible unit");
	is_str(row.leader, "张三", "the leader");
	is_str(row.scope, "建设影棚8座，\n配套用房", "the scope keeps its comma and line break");
	ok(row.start_year == 2023 && row.end_year == 2025, "years 2023—2025");
	is_str(row.planned_start, "2023-04-01", "the planned start month as a date");
	ok(row.has_total && row.total_investment == 120000 * WAN, "a total in full-width digits, in 万元 by default");
	ok(row.has_plan && row.annual_plan == 35 * YI / 10, "a plan in the unit its header names (亿元)");
	ok(row.remarks == NULL, "an empty cell is NULL");
	record_free(rec);

	/* the validator's unit applies where the header names none */
	f.v.unit = KPR_UNIT_YI;
	rec = RECORD(2, "LF2023-002", "桥", "131002", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "2",
		     "1.5", NULL);
	is_int(kpr_project_validate(&f.v, rec, &row), 0, "a minimal row: code, name and region");
	ok(row.total_investment == 2 * YI && row.annual_plan == 15 * YI / 10,
	   "the validator's unit for a header without one, the header's own unit otherwise");
	ok(row.zone_code == NULL && row.nscenarios == 0 && row.level == NULL && row.nature == NULL &&
	   row.start_year == 0 && row.end_year == 0 && row.planned_start[0] == '\0',
	   "the fields not given are empty");
	record_free(rec);
	fixture_release(&f);
}

static void test_project_bad(void)
{
	struct fixture f;
	fixture_layout(&f, KPR_IMPORT_PROJECTS, &projects);
	problems_are(&f, row_with(&f, P_CODE, "LF2023-001"), "", "the good row");
	field_bad(&f, P_CODE, NULL, "2:code: empty, but required");
	field_bad(&f, P_CODE, "\u3000 ", "2:code: empty, but required");
	field_bad(&f, P_CODE, "项目#1",
		    "2:code: '项目#1' is neither a national project code (24 characters, like 2303-131022-04-01-573274) "
		    "nor a local code");
	field_bad(&f, P_CODE, "LF", "2:code: 'LF' is neither a national project code (24 characters, like "
		    "2303-131022-04-01-573274) nor a local code");
	problems_are(&f, row_with(&f, P_CODE, "2303-131022-04-01-57327X"), "",
		     "a national code with a letter as its check character");
	field_bad(&f, P_NAME, NULL, "2:name: empty, but required");
	field_bad(&f, P_NAME, "\u00a0", "2:name: empty, but required");	/* a no-break space from Excel */
	field_bad(&f, P_NAME, " \u00a0\u3000\t", "2:name: empty, but required");
	field_bad(&f, P_REGION, NULL, "2:region: empty, but required");
	field_bad(&f, P_REGION, "大厂县", "2:region: unknown region '大厂县' (did you mean '大厂回族自治县'?)");
	field_bad(&f, P_REGION, "安欠区", "2:region: unknown region '安欠区' (did you mean '安次区'?)");
	/* two characters are two edits from any short name: no guess */
	field_bad(&f, P_REGION, "火星", "2:region: unknown region '火星'");
	field_bad(&f, P_REGION, "火星基地", "2:region: unknown region '火星基地'");
	field_bad(&f, P_ZONE, "临空区", "2:zone: unknown functional zone '临空区'");
	field_bad(&f, P_SCENARIOS, "交通强国", "2:scenarios: unknown scenario '交通强国' (did you mean '交通强市'?)");
	field_bad(&f, P_SCENARIOS, "交通强国、S01、智慧城市",
		    "2:scenarios: unknown scenario '交通强国' (did you mean '交通强市'?)\n"
		    "2:scenarios: unknown scenario '智慧城市'");
	field_bad(&f, P_SCENARIOS, "S01;S02;S03;S04;S05;S06;S07;S08;S09;S10;S11;S12;S13;S14;S15;S16;S17",
		    "2:scenarios: more than 16 scenarios");
	problems_are(&f, row_with(&f, P_SCENARIOS, "S01;S02;S03;S04;S05;S06;S07;S08;S09;S10;S11;S12;S13;S14;S15;S16"),
		     "", "16 scenarios are allowed");
	field_bad(&f, P_LEVEL, "县重点", "2:level: unknown level '县重点' (expected 省重点 or 市重点)");
	field_bad(&f, P_NATURE, "在建", "2:nature: unknown nature '在建' (expected 新开工, 续建, 竣工投产 or 前期)");
	field_bad(&f, P_YEARS, "2023-25", "2:years: not a year range like 2023-2025: '2023-25'");
	field_bad(&f, P_YEARS, "2025-2023", "2:years: impossible year range 2025-2023");
	field_bad(&f, P_YEARS, "1985-1989", "2:years: impossible year range 1985-1989");
	field_bad(&f, P_YEARS, "2023-2101", "2:years: impossible year range 2023-2101");
	problems_are(&f, row_with(&f, P_YEARS, "1990-2100"), "", "the years 1990 to 2100 are possible");
	field_bad(&f, P_START, "明年", "2:planned_start: not a month like 2023-04: '明年'");
	field_bad(&f, P_TOTAL, "十万", "2:total_investment: not a number: '十万'");
	field_bad(&f, P_TOTAL, "1.23456",
		  "2:total_investment: more than 4 decimals in 万元 (finer than one yuan): '1.23456'");
	field_bad(&f, P_TOTAL, "-100", "2:total_investment: negative amount");
	field_bad(&f, P_PLAN, "-1", "2:annual_plan: negative amount");
	field_bad(&f, P_PLAN, "100.0001",
		    "2:annual_plan: annual plan 100.0001 万元 is above the total investment 100.0000 万元");
	problems_are(&f, row_with(&f, P_PLAN, "100"), "", "a plan equal to the total investment");
	problems_are(&f, RECORD(2, "LF2023-001", "道路", "安次区", NULL, NULL, NULL, NULL, NULL, NULL, "-1", "10"),
		     "2:total_investment: negative amount", "a plan is not compared with a negative total");
	problems_are(&f, RECORD(2, "LF2023-001", "道路", "安次区", NULL, NULL, NULL, NULL, NULL, NULL, "x", "10"),
		     "2:total_investment: not a number: 'x'", "a plan is not compared with a total that is no number");

	problems_are(&f,
		     RECORD(9, "项目#1", "", "火星基地", "临空区", "交通强国", "县重点", "在建", "2025-2023", "明年",
			    "十万", "-1"),
		     "9:code: '项目#1' is neither a national project code (24 characters, like 2303-131022-04-01-573274) "
		     "nor a local code\n"
		     "9:name: empty, but required\n"
		     "9:region: unknown region '火星基地'\n"
		     "9:zone: unknown functional zone '临空区'\n"
		     "9:scenarios: unknown scenario '交通强国' (did you mean '交通强市'?)\n"
		     "9:level: unknown level '县重点' (expected 省重点 or 市重点)\n"
		     "9:nature: unknown nature '在建' (expected 新开工, 续建, 竣工投产 or 前期)\n"
		     "9:years: impossible year range 2025-2023\n"
		     "9:planned_start: not a month like 2023-04: '明年'\n"
		     "9:total_investment: not a number: '十万'\n"
		     "9:annual_plan: negative amount",
		     "every problem of one row is reported, each with its line and column");
	fixture_release(&f);

	/* the start and end years as two columns */
	fixture_init(&f, KPR_IMPORT_PROJECTS, RECORD(1, "code", "name", "region", "start_year", "end_year"));
	problems_are(&f, RECORD(2, "LF2023-001", "道路", "安次区", "2023", "2025"), "", "start and end year columns");
	problems_are(&f, RECORD(2, "LF2023-001", "道路", "安次区", "2023-2024", "二〇二五"),
		     "2:start_year: not a year: '2023-2024'\n2:end_year: not a year: '二〇二五'",
		     "a range or words in a year column");
	problems_are(&f, RECORD(2, "LF2023-001", "道路", "安次区", "2025", "2023"),
		     "2:end_year: impossible year range 2025-2023", "an end year before the start year");
	fixture_release(&f);
}

/* Messages name the column as the file does. */
static void test_project_labels(void)
{
	struct fixture f;
	fixture_init(&f, KPR_IMPORT_PROJECTS,
		     RECORD(1, "序号", "项目代码", "项目名称", "县（市、区）", "总投资（万元）", "2023年计划投资（万元）"));
	problems_are(&f, RECORD(4, "1", "LF2023-001", NULL, "大厂县", "100", "200"),
		     "4:项目名称: empty, but required\n"
		     "4:县（市、区）: unknown region '大厂县' (did you mean '大厂回族自治县'?)\n"
		     "4:2023年计划投资（万元）: annual plan 200.0000 万元 is above the total investment 100.0000 万元",
		     "Chinese headers: each problem names the file's own column");
	problems_are(&f, RECORD(5, "1", "LF2023-001", "道路"), "5:县（市、区）: empty, but required",
		     "a row shorter than the header lacks the fields past its end");
	fixture_release(&f);
}

/* A configured local code pattern replaces the default one. */
static void test_local_code(void)
{
	struct fixture f;
	regfree(&rd.local_code);
	if (regcomp(&rd.local_code, "^LF[0-9]{4}-[0-9]{3}$", REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	rd.local_code_is_default = false;
	fixture_layout(&f, KPR_IMPORT_PROJECTS, &projects);
	problems_are(&f, row_with(&f, P_CODE, "LF2023-001"), "", "a code of the configured pattern");
	problems_are(&f, row_with(&f, P_CODE, "2303-131022-04-01-573274"), "", "a national code, whatever the pattern");
	field_bad(&f, P_CODE, "P-001", "2:code: 'P-001' is neither a national project code (24 characters, like "
		    "2303-131022-04-01-573274) nor a local code");
	fixture_release(&f);
}

/* --- progress reports ---------------------------------------------------------------------- */

enum { G_CODE, G_MONTH, G_AMOUNT, G_YTD, G_PROGRESS, G_PROBLEMS, G_STARTED, G_REASON, G_COLUMNS };
static const char *const progress_names[G_COLUMNS] = { "code", "month", "amount", "ytd", "progress", "problems",
							"started", "adjustment_reason" };
static const char *const progress_good[G_COLUMNS] = { "LF2023-003", "2023-09", "10", NULL, "主体施工", NULL, NULL, NULL };

static const struct layout progress = { G_COLUMNS, progress_names, progress_good };

static void test_progress(void)
{
	struct fixture f;
	struct kpr_progress_row row;
	fixture_layout(&f, KPR_IMPORT_PROGRESS, &progress);
	struct kpr_record *rec = RECORD(6, "LF2023-003 ", "2023年9月", "1,500.5", NULL, " 主体施工 ", "资金未到位",
					"2023/4/18", NULL);
	is_int(kpr_progress_validate(&f.v, rec, &row), 0, "a good progress row has no problems");
	is_int(row.line, 6, "the row keeps its line");
	is_str(row.code, "LF2023-003", "the code, trimmed");
	is_int(row.month, M(2023, 9), "the month 2023年9月");
	ok(row.has_amount && row.amount == 15005 * WAN / 10 && !row.has_ytd, "the amount in 万元, no year-to-date");
	is_str(row.progress, "主体施工", "the progress, trimmed");
	is_str(row.problems, "资金未到位", "the problems");
	is_str(row.started, "2023-04-18", "the start date");
	ok(row.adjustment_reason == NULL, "no adjustment reason");
	record_free(rec);

	problems_are(&f, row_with(&f, G_CODE, "项目#1"), "", "a progress code is not checked for shape");
	problems_are(&f, row_with(&f, G_MONTH, "2023-10"), "", "today's month is not in the future");
	problems_are(&f, RECORD(3, "LF2023-003", "2023-09", NULL, "0"), "", "a year-to-date of zero alone");
	problems_are(&f, RECORD(3, "LF2023-003", "2023-09", "-10", NULL, NULL, NULL, NULL, "统计口径调整"), "",
		     "a negative month with its reason");
	field_bad(&f, G_CODE, NULL, "2:code: empty, but required");
	field_bad(&f, G_MONTH, NULL, "2:month: empty, but required");
	field_bad(&f, G_MONTH, "九月", "2:month: not a month like 2023-09: '九月'");
	field_bad(&f, G_MONTH, "2023-11", "2:month: month 2023-11 is in the future");
	field_bad(&f, G_AMOUNT, NULL, "2:amount: empty, but required (the month's amount or the year-to-date)");
	field_bad(&f, G_AMOUNT, "abc", "2:amount: not a number: 'abc'");
	field_bad(&f, G_AMOUNT, "-10",
		     "2:amount: negative amount without a reason: a downward adjustment (调减) needs adjustment_reason");
	field_bad(&f, G_YTD, "-1", "2:ytd: the year-to-date cannot be below zero");
	field_bad(&f, G_STARTED, "2023-02-30", "2:started: not a date like 2023-04-15: '2023-02-30'");
	field_bad(&f, G_STARTED, "2023-11-01", "2:started: start date 2023-11-01 is in the future");
	problems_are(&f, RECORD(8, NULL, "2023-12", "-5", "-1", NULL, NULL, "明天", NULL),
		     "8:code: empty, but required\n"
		     "8:month: month 2023-12 is in the future\n"
		     "8:amount: negative amount without a reason: a downward adjustment (调减) needs adjustment_reason\n"
		     "8:ytd: the year-to-date cannot be below zero\n"
		     "8:started: not a date like 2023-04-15: '明天'",
		     "every problem of one progress row is reported");

	rec = row_with(&f, G_STARTED, "2023-11-01");
	kpr_progress_validate(&f.v, rec, &row);
	is_str(row.started, "", "a start date in the future is not kept");
	record_free(rec);
	fixture_release(&f);

	/* Chinese headers, and a report of year-to-date figures only */
	fixture_init(&f, KPR_IMPORT_PROGRESS, RECORD(1, "项目代码", "月份", "累计完成投资（亿元）", "调整原因"));
	rec = RECORD(2, "LF2023-003", "2023-09", "0.25", NULL);
	is_int(kpr_progress_validate(&f.v, rec, &row), 0, "a year-to-date report");
	ok(row.has_ytd && row.ytd == 25 * YI / 100 && !row.has_amount, "the year-to-date in the unit its header names");
	record_free(rec);
	problems_are(&f, RECORD(2, "LF2023-003", "2023-09", NULL, NULL),
		     "2:累计完成投资（亿元）: empty, but required (the month's amount or the year-to-date)",
		     "without an amount column, the year-to-date's is named");
	fixture_release(&f);

	fixture_init(&f, KPR_IMPORT_PROGRESS, RECORD(1, "项目代码", "月份", "本月完成投资"));
	problems_are(&f, RECORD(2, "LF2023-003", "2023-09", "-3"),
		     "2:本月完成投资: negative amount without a reason: a downward adjustment (调减) needs adjustment_reason",
		     "without a reason column, the canonical name is the one to add");
	fixture_release(&f);
}

static void test_no_callback(void)
{
	struct fixture f;
	fixture_init(&f, KPR_IMPORT_PROGRESS, RECORD(1, "code", "month", "amount"));
	f.v.problem = NULL;
	struct kpr_progress_row row;
	struct kpr_record *rec = RECORD(2, NULL, "2023-12", "x");
	is_int(kpr_progress_validate(&f.v, rec, &row), 3, "without a problem callback the problems are still counted");
	record_free(rec);

	f.v.problem = collect;
	kpr_validator_report(&f.v, 12, "备注", "%d problems in %s", 2, "row");
	is_str(problems_of(&f), "12:备注: 2 problems in row", "kpr_validator_report formats the message");
	fixture_release(&f);
}

int main(void)
{
	refdata_init();
	test_project_good();
	test_project_bad();
	test_project_labels();
	test_local_code();
	test_progress();
	test_no_callback();
	kpr_refdata_release(&rd);
	return done_testing();
}
