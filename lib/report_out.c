/*
 * report_out.c: the report in its forms (table, CSV, JSON, Markdown) through print.h, and its
 * headline sentence; see report.h.  Its headings, titles and notes are the one list of the
 * report's words: report_html.c takes them through kpr_report_heading() and the like.  Headings, notes and the headline are Chinese (the
 * document's language) whatever the locale, English with --lang en; CSV and JSON names are the
 * English contract.
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "month.h"
#include "outfile.h"
#include "print.h"
#include "strbuf.h"
#include "utf8.h"

/* A heading in both languages */
struct words {
	const char *zh, *en;
};
#define W(f, s) (f->english ? (s).en : (s).zh)

static const struct words by_heading[KPR_REPORT_BY_COUNT] = {
	{ "县(市、区)", "region" }, { "功能区", "zone" }, { "场景", "scenario" }, { "行业", "industry" },
	{ "建设性质", "nature" }, { "项目级别", "level" }, { "颜色", "colour" }, { "项目库", "pool" },
	{ "包联领导", "leader" }, { "责任单位", "responsible unit" }, { "投资规模", "size" },
};

/* The groups' columns: CSV and JSON names, headings, types; shown: in the table and Markdown. */
static const struct {
	const char *name;
	struct words heading;
	enum kpr_print_type type;
	bool shown;
} group_cols[KPR_RG_CSV_COLS] = {
	[KPR_RG_GROUP] = { "group", { NULL, NULL }, KPR_PRINT_TEXT, true },
	[KPR_RG_CODE] = { "group_code", { "代码", "code" }, KPR_PRINT_TEXT, false },
	[KPR_RG_PROJECTS] = { "projects", { "项目数", "projects" }, KPR_PRINT_INT, true },
	[KPR_RG_TOTAL] = { "total_investment", { "总投资", "total investment" }, KPR_PRINT_MONEY, true },
	[KPR_RG_PLAN] = { "annual_plan", { "年度计划", "annual plan" }, KPR_PRINT_MONEY, true },
	[KPR_RG_COMPLETED] = { "completed", { "累计完成", "completed" }, KPR_PRINT_MONEY, true },
	[KPR_RG_RATE] = { "completion_rate", { "完成率%", "rate %" }, KPR_PRINT_PERCENT, true },
	[KPR_RG_TIME] = { "time_progress", { "序时进度%", "time %" }, KPR_PRINT_PERCENT, false },
	[KPR_RG_POINTS] = { "points_vs_time", { "超(+)落后(-)序时", "vs time (points)" }, KPR_PRINT_PERCENT, true },
	[KPR_RG_PLANNED] = { "planned_starts", { "计划新开工", "planned starts" }, KPR_PRINT_INT, true },
	[KPR_RG_STARTED] = { "started", { "已开工", "started" }, KPR_PRINT_INT, true },
	[KPR_RG_START_RATE] = { "start_rate", { "开工率%", "start rate %" }, KPR_PRINT_PERCENT, true },
	[KPR_RG_BLUE] = { "blue", { "蓝", "blue" }, KPR_PRINT_INT, true },
	[KPR_RG_GREEN] = { "green", { "绿", "green" }, KPR_PRINT_INT, true },
	[KPR_RG_YELLOW] = { "yellow", { "黄", "yellow" }, KPR_PRINT_INT, true },
	[KPR_RG_RED] = { "red", { "红", "red" }, KPR_PRINT_INT, true },
	[KPR_RG_UNRATED] = { "unrated", { "未评", "unrated" }, KPR_PRINT_INT, true },
	[KPR_RG_RANK] = { "rank", { "排名", "rank" }, KPR_PRINT_INT, true },
};

/* A column of the other sections */
struct list_col {
	const char *name;
	struct words heading;
	enum kpr_print_type type;
};

static const struct list_col lag_cols[KPR_RL_COLS] = {
	{ "code", { "项目代码", "code" }, KPR_PRINT_TEXT },
	{ "name", { "项目名称", "name" }, KPR_PRINT_TEXT },
	{ "region", { "县(市、区)", "region" }, KPR_PRINT_TEXT },
	{ "responsible_unit", { "责任单位", "responsible unit" }, KPR_PRINT_TEXT },
	{ "leader", { "包联领导", "leader" }, KPR_PRINT_TEXT },
	{ "colour", { "颜色", "colour" }, KPR_PRINT_TEXT },
	{ "completion_rate", { "完成率%", "rate %" }, KPR_PRINT_PERCENT },
	{ "points_behind", { "落后序时", "points behind" }, KPR_PRINT_PERCENT },
	{ "problems", { "存在问题", "problems" }, KPR_PRINT_TEXT },
}, miss_cols[KPR_RM_COLS] = {
	{ "region", { "县(市、区)", "region" }, KPR_PRINT_TEXT },
	{ "region_code", { "区划代码", "region code" }, KPR_PRINT_TEXT },
	{ "code", { "项目代码", "code" }, KPR_PRINT_TEXT },
	{ "name", { "项目名称", "name" }, KPR_PRINT_TEXT },
	{ "responsible_unit", { "责任单位", "responsible unit" }, KPR_PRINT_TEXT },
}, note_cols[KPR_RN_COLS] = {
	{ "kind", { "类别", "kind" }, KPR_PRINT_TEXT },
	{ "code", { "项目代码", "code" }, KPR_PRINT_TEXT },
	{ "name", { "项目名称", "name" }, KPR_PRINT_TEXT },
	{ "detail", { "说明", "detail" }, KPR_PRINT_TEXT },
};

static const struct words colour_words[] = {
	{ "红", "red" }, { "黄", "yellow" }, { "绿", "green" }, { "蓝", "blue" },
};
static const char *const colour_codes[] = { "red", "yellow", "green", "blue" };

static const struct words words[KPR_RW_COUNT] = {
	[KPR_RW_NONE] = { "(无)", "(none)" }, [KPR_RW_NOTES] = { "注:", "Notes:" },
	[KPR_RW_TOTAL] = { "合计", "Total" },
};

const char *kpr_report_word(enum kpr_report_word w, bool english)
{
	return english ? words[w].en : words[w].zh;
}

const char *kpr_report_heading(const struct kpr_report *r, enum kpr_report_section s, int col, bool english)
{
	const struct words *w = s == KPR_REPORT_LAGGING ? &lag_cols[col].heading
		: s == KPR_REPORT_MISSING ? &miss_cols[col].heading
		: col == KPR_RG_GROUP ? &by_heading[r->by] : &group_cols[col].heading;
	return english ? w->en : w->zh;
}

const char *kpr_report_colour_word(const char *code, bool english)
{
	for (size_t i = 0; code && i < KPR_ARRAY_SIZE(colour_codes); i++)
		if (strcmp(code, colour_codes[i]) == 0)
			return english ? colour_words[i].en : colour_words[i].zh;
	return NULL;
}

static bool for_people(const struct kpr_report_form *f)
{
	return f->format == KPR_REPORT_TABLE || f->format == KPR_REPORT_MD;
}

static enum kpr_print_format print_format(const struct kpr_report_form *f)
{
	static const enum kpr_print_format map[] = {
		[KPR_REPORT_TABLE] = KPR_PRINT_TABLE, [KPR_REPORT_CSV] = KPR_PRINT_CSV,
		[KPR_REPORT_JSON] = KPR_PRINT_JSON, [KPR_REPORT_MD] = KPR_PRINT_MARKDOWN,
	};
	return map[f->format];
}

/* A column for print.h.  JSON writes money as text (exact decimal strings). */
static struct kpr_print_column column(const char *name, const char *heading, enum kpr_print_type type,
				      const struct kpr_report_form *f)
{
	struct kpr_print_column c = { name, heading, type, KPR_UNIT_NONE, 0 };
	if (type == KPR_PRINT_MONEY && f->format == KPR_REPORT_JSON)
		c.type = KPR_PRINT_TEXT;
	else if (type == KPR_PRINT_MONEY)
		c.unit = f->unit, c.decimals = 1;
	else if (type == KPR_PRINT_PERCENT)
		c.decimals = 1;
	return c;
}

/* A rate as the query wrote it ("-3.8", one decimal) as the exact ratio print.h takes. */
static void put_rate(struct kpr_print *p, const char *s)
{
	if (!s) {
		kpr_print_null(p);
		return;
	}
	bool neg = *s == '-';
	int64_t tenths = 0;
	for (s += neg; *s; s++)
		if (*s >= '0' && *s <= '9')
			tenths = tenths * 10 + (*s - '0');
	kpr_print_percent(p, neg ? -tenths : tenths, 1000);
}

/* A cell of type type from the query's text (money: whole yuan). */
static void put_cell(struct kpr_print *p, const struct kpr_print_column *c, enum kpr_print_type type,
		     const char *s, const struct kpr_report_form *f)
{
	char buf[40];
	if (!s)
		kpr_print_null(p);
	else if (type == KPR_PRINT_INT)
		kpr_print_int(p, atoll(s));
	else if (type == KPR_PRINT_PERCENT)
		put_rate(p, s);
	else if (type == KPR_PRINT_MONEY && c->type == KPR_PRINT_TEXT)
		kpr_print_text(p, f->unit == KPR_UNIT_YI ? kpr_money_format_yi(atoll(s), 8, buf)
			       : kpr_money_format_wan(atoll(s), buf));
	else if (type == KPR_PRINT_MONEY)
		kpr_print_money(p, atoll(s));
	else
		kpr_print_text(p, s);
}

/* "1—9月" (January to the month), "2023-01 to 2023-09" in English, into buf */
const char *kpr_report_period(const struct kpr_report *r, bool english, char *buf, size_t len)
{
	int m = kpr_month_of_year(r->month);
	char from[8], to[8];
	if (english)
		snprintf(buf, len, "%s to %s", kpr_month_format(r->month - m + 1, from), kpr_month_format(r->month, to));
	else if (m == 1)
		snprintf(buf, len, "1月");
	else
		snprintf(buf, len, "1—%d月", m);
	return buf;
}

static const char *total_cell(const struct kpr_report *r, enum kpr_report_group_col c)
{
	return kpr_batch_cell(&r->groups, r->groups.nrows - 1, c);
}

void kpr_report_headline(const struct kpr_report *r, bool english, struct kpr_strbuf *sb)
{
	char period[64], yi[40];
	const char *rate = total_cell(r, KPR_RG_RATE), *points = total_cell(r, KPR_RG_POINTS);
	const char *start = total_cell(r, KPR_RG_START_RATE);

	kpr_report_period(r, english, period, sizeof(period));
	kpr_money_format_yi(atoll(total_cell(r, KPR_RG_COMPLETED)), 1, yi);
	if (english)
		kpr_strbuf_addf(sb, "%s: the city's %s key projects completed %s 亿元 of investment", period,
				total_cell(r, KPR_RG_PROJECTS), yi);
	else
		kpr_strbuf_addf(sb, "%s,全市%s个重点项目完成投资%s亿元", period, total_cell(r, KPR_RG_PROJECTS), yi);
	if (rate) {
		kpr_strbuf_addf(sb, english ? ", %s%% of the annual plan" : ",占年度计划的%s%%", rate);
		if (strcmp(points, "0.0") == 0)
			kpr_strbuf_adds(sb, english ? ", level with time progress" : ",与序时进度持平");
		else if (points[0] == '-')
			kpr_strbuf_addf(sb, english ? ", %s points behind time progress" : ",落后序时进度%s个百分点",
					points + 1);
		else
			kpr_strbuf_addf(sb, english ? ", %s points ahead of time progress" : ",超序时进度%s个百分点",
					points);
	}
	if (start)
		kpr_strbuf_addf(sb, english ? "; new-start rate %s%%" : ";新开工项目开工率%s%%", start);
	kpr_strbuf_adds(sb, english ? "." : "。");
}

/* The terminal colour of a colour-count column (blue, green, yellow, red), else NULL */
static const char *colour_sgr(int col)
{
	switch (col) {
	case KPR_RG_BLUE: return "34";
	case KPR_RG_GREEN: return "32";
	case KPR_RG_YELLOW: return "33";
	case KPR_RG_RED: return "31";
	default: return NULL;
	}
}

/* One section through print.h: t's first n columns, under cols */
static int write_list(FILE *out, const struct kpr_batch_table *t, const struct list_col *cols, size_t n,
		      const struct kpr_report_form *f, const struct kpr_print_opts *po)
{
	struct kpr_print_column pc[KPR_RL_COLS];
	for (size_t c = 0; c < n; c++)
		pc[c] = column(cols[c].name, W(f, cols[c].heading), cols[c].type, f);
	struct kpr_print *p = kpr_print_begin(out, pc, n, po);
	for (size_t row = 0; row < t->nrows; row++) {
		kpr_print_row(p);
		for (size_t c = 0; c < n; c++)
			put_cell(p, &pc[c], cols[c].type, kpr_batch_cell(t, row, c), f);
	}
	return kpr_print_end(p);
}

/* The groups section; in JSON the groups alone (total: false) or the 合计 row alone. */
static int write_groups(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f,
			const struct kpr_print_opts *po, int only_total)
{
	struct kpr_print_column pc[KPR_RG_CSV_COLS];
	const char *sgr[KPR_RG_CSV_COLS];
	int map[KPR_RG_CSV_COLS];
	size_t n = 0;

	for (int c = 0; c < KPR_RG_CSV_COLS; c++) {
		if (for_people(f) && !group_cols[c].shown)
			continue;
		const char *h = c == KPR_RG_GROUP ? W(f, by_heading[r->by]) : W(f, group_cols[c].heading);
		map[n] = c;
		sgr[n] = colour_sgr(c);
		pc[n++] = column(group_cols[c].name, h, group_cols[c].type, f);
	}
	struct kpr_print_opts opts = *po;
	opts.sgr = sgr;
	struct kpr_print *p = kpr_print_begin(out, pc, n, &opts);
	for (size_t row = 0; row < r->groups.nrows; row++) {
		bool total = row + 1 == r->groups.nrows;
		if ((only_total == 0 && total) || (only_total == 1 && !total))
			continue;
		kpr_print_row(p);
		for (size_t k = 0; k < n; k++) {
			const char *s = kpr_batch_cell(&r->groups, row, map[k]);
			if (map[k] == KPR_RG_GROUP && total && f->english)
				s = kpr_report_word(KPR_RW_TOTAL, true);
			put_cell(p, &pc[k], group_cols[map[k]].type, s, f);
		}
	}
	return kpr_print_end(p);
}

/* The lagging list with the colour in words for people */
static int write_lagging(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f,
			 const struct kpr_print_opts *po)
{
	struct kpr_batch_table t = r->lagging;
	char **cells = kpr_xcalloc(t.nrows * t.ncols + 1, sizeof(*cells));
	int rc;

	memcpy(cells, t.cells, t.nrows * t.ncols * sizeof(*cells));
	for (size_t row = 0; for_people(f) && row < t.nrows; row++) {
		const char *w = kpr_report_colour_word(cells[row * t.ncols + KPR_RL_COLOUR], f->english);
		if (w)
			cells[row * t.ncols + KPR_RL_COLOUR] = (char *)w;
	}
	t.cells = cells;
	rc = write_list(out, &t, lag_cols, KPR_RL_COLS, f, po);
	free(cells);
	return rc;
}

static int write_missing(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f,
			 const struct kpr_print_opts *po)
{
	return write_list(out, &r->missing, miss_cols, KPR_RM_COLS, f, po);
}

bool kpr_report_note(const struct kpr_report *r, bool english, int k, struct kpr_strbuf *sb)
{
	static const char *const kinds[] = { "withdrawn", "no_plan" };
	static const struct words lead[] = {
		{ "已退库项目(不计入本报告):", "Withdrawn (not in this report): " },
		{ "未下达年度计划的项目(计入项目数,不计入计划和完成率):",
		  "Listed without an annual plan (counted in projects, not in the plan or the rate): " },
	};
	size_t count = 0;

	if (k == KPR_REPORT_NOTE_NOT_EVALUATED) {
		/* no colour rules for the year: nothing to evaluate the month with */
		const char *ne = total_cell(r, KPR_RG_NOT_EVALUATED);
		if (strcmp(ne, "0") == 0)
			return false;
		kpr_strbuf_addf(sb, english ? "%s projects have no colour evaluated for %d-%02d (kpr colours): counted as unrated."
				: "%s个项目%d年%d月尚未评定颜色(kpr colours),计为未评。", ne, kpr_month_year(r->month),
				kpr_month_of_year(r->month));
		return true;
	}
	if (k == KPR_REPORT_NOTE_ON_THE_FLY) {
		for (size_t row = 0; row < r->notes.nrows; row++)
			if (strcmp(kpr_batch_cell(&r->notes, row, KPR_RN_KIND), "on_the_fly") == 0) {
				kpr_strbuf_addf(sb, english ? "%s projects had no colour stored for %d-%02d: evaluated on "
						"the fly by the colour rules, not stored (kpr colours stores them)."
						: "%s个项目%d年%d月的颜色尚未评定存储,已按颜色规则即时评定(未存储;kpr colours存储)。",
						kpr_batch_cell(&r->notes, row, KPR_RN_DETAIL), kpr_month_year(r->month),
						kpr_month_of_year(r->month));
				return true;
			}
		return false;
	}
	if (k == KPR_REPORT_NOTE_AS_OF) {
		if (!r->as_of[0])
			return false;
		kpr_strbuf_addf(sb, english ? "Figures as recorded at %s (progress, plans, list entries, pool moves, "
				"colours); project attributes (name, region, units, ...) are today's."
				: "数据为截至%s的记录(进度、计划、入库、调库、颜色);项目名称、地区、单位等属性为当前值。",
				r->as_of);
		return true;
	}
	for (size_t row = 0; row < r->notes.nrows; row++) {
		if (strcmp(kpr_batch_cell(&r->notes, row, KPR_RN_KIND), kinds[k]) != 0)
			continue;
		const char *detail = kpr_batch_cell(&r->notes, row, KPR_RN_DETAIL);
		kpr_strbuf_addf(sb, "%s%s %s%s%s%s", count++ ? (english ? "; " : ";") : (english ? lead[k].en : lead[k].zh),
				kpr_batch_cell(&r->notes, row, KPR_RN_CODE), kpr_batch_cell(&r->notes, row, KPR_RN_NAME),
				detail ? (english ? " (" : "(") : "", detail ? detail : "",
				detail ? (english ? ")" : ")") : "");
	}
	if (count)
		kpr_strbuf_adds(sb, english ? "." : "。");
	return count > 0;
}

/* The notes as sentences (table and Markdown) */
static void write_notes(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT, shown = KPR_STRBUF_INIT;
	int n = 0;

	for (int k = 0; k < KPR_REPORT_NOTES; k++) {
		kpr_strbuf_reset(&sb);
		kpr_strbuf_reset(&shown);
		if (!kpr_report_note(r, f->english, k, &sb))
			continue;
		kpr_text_escape(&shown, sb.buf);	/* projects' names: nothing raw to a terminal */
		fprintf(out, "%s%s%d. %s\n", n == 0 ? kpr_report_word(KPR_RW_NOTES, f->english) : "",
			n == 0 ? "\n" : "", n + 1, shown.buf ? shown.buf : ""), n++;
	}
	kpr_strbuf_release(&sb);
	kpr_strbuf_release(&shown);
}

void kpr_report_title(const struct kpr_report *r, const struct kpr_report_form *f, bool details,
		      struct kpr_strbuf *sb)
{
	char period[64];
	kpr_report_period(r, f->english, period, sizeof(period));
	if (details && f->english)
		kpr_strbuf_addf(sb, "by %s; %s; time progress %s%%", by_heading[r->by].en, kpr_unit_name(f->unit),
				total_cell(r, KPR_RG_TIME));
	else if (details)
		kpr_strbuf_addf(sb, "按%s,单位:%s,序时进度%s%%", by_heading[r->by].zh, kpr_unit_name(f->unit),
				total_cell(r, KPR_RG_TIME));
	else if (f->english)
		kpr_strbuf_addf(sb, "Key projects' investment, %s", period);
	else
		kpr_strbuf_addf(sb, "%d年%s重点项目投资完成情况", kpr_month_year(r->month), period);
	if (!details && r->as_of[0])
		kpr_strbuf_addf(sb, f->english ? ", as recorded at %s" : ",截至%s的记录", r->as_of);
}

/* "2023年1—9月重点项目投资完成情况(按县(市、区),单位:亿元,序时进度75.0%)" */
static void title(const struct kpr_report *r, const struct kpr_report_form *f, struct kpr_strbuf *sb)
{
	kpr_report_title(r, f, false, sb);
	kpr_strbuf_adds(sb, f->english ? " (" : "(");
	kpr_report_title(r, f, true, sb);
	kpr_strbuf_adds(sb, f->english ? ")" : ")");
}

void kpr_report_section_title(const struct kpr_report *r, enum kpr_report_section s, bool english,
			      struct kpr_strbuf *sb)
{
	char m[8];
	if (s == KPR_REPORT_LAGGING)
		kpr_strbuf_adds(sb, english ? "Lagging projects (red, then yellow)" : "落后项目(红、黄)");
	else if (english)
		kpr_strbuf_addf(sb, "No report for %s", kpr_month_format(r->month, m));
	else
		kpr_strbuf_addf(sb, "%d年%d月未报送项目", kpr_month_year(r->month), kpr_month_of_year(r->month));
}

/* The whole report for people: the title and groups, the lagging list, the missing reports,
 * the headline and the notes (or the one section asked). */
static int write_for_people(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_strbuf t = KPR_STRBUF_INIT;
	struct kpr_print_opts po = { .format = print_format(f), .empty = kpr_report_word(KPR_RW_NONE, f->english),
				     .colour = f->format == KPR_REPORT_TABLE && kpr_print_colour_wanted(out) };
	int rc = KPR_OK;
	const char *h = f->format == KPR_REPORT_MD ? "\n### " : "\n";

	if (f->section == KPR_REPORT_ALL || f->section == KPR_REPORT_GROUPS) {
		title(r, f, &t);
		po.title = t.buf;
		rc = write_groups(out, r, f, &po, -1);
	}
	if (rc == KPR_OK && (f->section == KPR_REPORT_ALL || f->section == KPR_REPORT_LAGGING)) {
		if (f->section == KPR_REPORT_ALL)
			fputs(h + (f->format != KPR_REPORT_MD), out);
		kpr_strbuf_reset(&t);
		kpr_report_section_title(r, KPR_REPORT_LAGGING, f->english, &t);
		po.title = t.buf;
		rc = write_lagging(out, r, f, &po);
	}
	if (rc == KPR_OK && (f->section == KPR_REPORT_ALL || f->section == KPR_REPORT_MISSING)) {
		kpr_strbuf_reset(&t);
		kpr_report_section_title(r, KPR_REPORT_MISSING, f->english, &t);
		if (f->section == KPR_REPORT_ALL)
			fputs(h + (f->format != KPR_REPORT_MD), out);
		po.title = t.buf;
		rc = write_missing(out, r, f, &po);
	}
	if (rc == KPR_OK && f->section == KPR_REPORT_ALL) {
		kpr_strbuf_reset(&t);
		kpr_report_headline(r, f->english, &t);
		fprintf(out, "\n%s\n", t.buf);
		write_notes(out, r, f);
	}
	kpr_strbuf_release(&t);
	return rc == KPR_OK && ferror(out) ? KPR_EFILE : rc;
}

/* One JSON value from print.h's array of one object: the object alone */
static int write_total_json(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f,
			    const struct kpr_print_opts *po)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return KPR_EFILE;
	int rc = write_groups(mem, r, f, po, 1);
	fclose(mem);
	/* "[\n{...}\n]\n" */
	if (rc == KPR_OK && len > 5)
		fwrite(buf + 2, 1, len - 5, out);
	free(buf);
	return rc;
}

static int write_json(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_print_opts po = { .format = KPR_PRINT_JSON };
	struct kpr_strbuf h = KPR_STRBUF_INIT;
	char from[8], to[8];
	int rc;

	kpr_report_headline(r, f->english, &h);
	fprintf(out, "{\"period\":{\"year\":%d,\"quarter\":", kpr_month_year(r->month));
	if (r->quarter)
		fprintf(out, "%d", r->quarter);
	else
		fputs("null", out);
	fprintf(out, ",\"from\":\"%s\",\"to\":\"%s\",\"months\":%d},\n\"as_of\":%s%s%s,\"unit\":\"%s\",\"by\":\"%s\",\n",
		kpr_month_format(r->month - kpr_month_of_year(r->month) + 1, from), kpr_month_format(r->month, to),
		kpr_month_of_year(r->month), r->as_of[0] ? "\"" : "", r->as_of[0] ? r->as_of : "null",
		r->as_of[0] ? "\"" : "", kpr_unit_name(f->unit), kpr_report_by_names[r->by]);
	/* the headline is kpr's own words and numbers: nothing in it needs escaping */
	fprintf(out, "\"headline\":\"%s\",\n\"not_evaluated\":%s,\n\"groups\":", h.buf,
		total_cell(r, KPR_RG_NOT_EVALUATED));
	kpr_strbuf_release(&h);
	rc = write_groups(out, r, f, &po, 0);
	if (rc == KPR_OK) {
		fputs(",\"total\":", out);
		rc = write_total_json(out, r, f, &po);
	}
	if (rc == KPR_OK) {
		fputs(",\n\"lagging\":", out);
		rc = write_lagging(out, r, f, &po);
	}
	if (rc == KPR_OK) {
		fputs(",\"missing\":", out);
		rc = write_missing(out, r, f, &po);
	}
	if (rc == KPR_OK) {
		fputs(",\"notes\":", out);
		rc = write_list(out, &r->notes, note_cols, KPR_RN_COLS, f, &po);
	}
	fputs("}\n", out);
	return rc == KPR_OK && ferror(out) ? KPR_EFILE : rc;
}

/* The workbook, which libxlsxwriter writes only to a path, copied to out (outfile.h) */
struct xlsx_job {
	const struct kpr_report *r;
	const struct kpr_report_form *f;
};

static int write_xlsx_path(FILE *out, const char *path, void *arg)
{
	const struct xlsx_job *j = arg;
	(void)out;
	return kpr_report_write_xlsx(path, path, j->r, j->f);
}

static int write_xlsx_copy(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct xlsx_job j = { r, f };
	return kpr_outfile_copy(out, write_xlsx_path, &j);
}

int kpr_report_write(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_print_opts po = { .format = KPR_PRINT_CSV, .bom = f->bom };

	switch (f->format) {
	case KPR_REPORT_JSON:
		return write_json(out, r, f);
	case KPR_REPORT_HTML:
		return kpr_report_write_html(out, r, f);
	case KPR_REPORT_XLSX:
		return write_xlsx_copy(out, r, f);
	case KPR_REPORT_CSV:
		if (f->section == KPR_REPORT_LAGGING)
			return write_lagging(out, r, f, &po);
		if (f->section == KPR_REPORT_MISSING)
			return write_missing(out, r, f, &po);
		return write_groups(out, r, f, &po, -1);
	default:
		return write_for_people(out, r, f);
	}
}
