/*
 * report_xlsx.c: the report as an XLSX workbook (xlsx.h): a sheet a section, 汇总 (the groups,
 * every column of the CSV contract, with a chart of the completion rate per group against
 * time progress), 滞后项目 (lagging), 未报项目 (missing) and 说明 (period, unit, headline,
 * notes); English names and headings with --lang en.  Numbers are numbers: amounts in the
 * unit asked, rates as fractions shown 0.0%, counts as integers, an empty cell where the
 * report has none.  See docs/reports.md.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "month.h"
#include "strbuf.h"
#include "xlsx.h"

/* The sheets' names: Chinese, English */
static const char *const sheet_names[][2] = {
	{ "汇总", "Summary" }, { "滞后项目", "Lagging" }, { "未报项目", "Missing" }, { "说明", "Notes" },
};
enum { SHEET_GROUPS, SHEET_LAGGING, SHEET_MISSING, SHEET_NOTES };

#define SHEET(f, i) (sheet_names[i][(f)->english])

/* The groups' columns' types; money in the unit asked */
static enum kpr_xlsx_type group_type(int col, const struct kpr_report_form *f)
{
	switch (col) {
	case KPR_RG_GROUP:
	case KPR_RG_CODE:
		return KPR_XLSX_TEXT;
	case KPR_RG_TOTAL:
	case KPR_RG_PLAN:
	case KPR_RG_COMPLETED:
		return f->unit == KPR_UNIT_WAN ? KPR_XLSX_WAN : KPR_XLSX_YI;
	case KPR_RG_RATE:
	case KPR_RG_TIME:
	case KPR_RG_START_RATE:
		return KPR_XLSX_PERCENT;
	case KPR_RG_POINTS:
		return KPR_XLSX_POINTS;
	default:
		return KPR_XLSX_INT;
	}
}

static const enum kpr_xlsx_type lag_types[KPR_RL_COLS] = {
	[KPR_RL_RATE] = KPR_XLSX_PERCENT, [KPR_RL_BEHIND] = KPR_XLSX_DECIMAL,
};

/* The completion rate of each group (not 合计) as columns, time progress as a second series */
static void add_chart(struct kpr_xlsx_sheet *s, lxw_workbook *wb, const struct kpr_report *r,
		      const struct kpr_report_form *f, int first, int at)
{
	int last = first + (int)r->groups.nrows - 2;
	const char *name = SHEET(f, SHEET_GROUPS);
	lxw_chart *chart = last < first ? NULL : workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_fill rate_fill = { .color = 0x4472C4 }, time_fill = { .color = 0xBFBFBF };
	lxw_chart_series *rate, *time;

	if (!chart)
		return;
	rate = chart_add_series(chart, NULL, NULL);
	time = chart_add_series(chart, NULL, NULL);
	chart_series_set_categories(rate, name, first, KPR_RG_GROUP, last, KPR_RG_GROUP);
	chart_series_set_values(rate, name, first, KPR_RG_RATE, last, KPR_RG_RATE);
	chart_series_set_name(rate, kpr_report_heading(r, KPR_REPORT_GROUPS, KPR_RG_RATE, f->english));
	chart_series_set_fill(rate, &rate_fill);
	chart_series_set_labels(rate);
	chart_series_set_labels_num_format(rate, "0.0%");
	chart_series_set_categories(time, name, first, KPR_RG_GROUP, last, KPR_RG_GROUP);
	chart_series_set_values(time, name, first, KPR_RG_TIME, last, KPR_RG_TIME);
	chart_series_set_name(time, kpr_report_heading(r, KPR_REPORT_GROUPS, KPR_RG_TIME, f->english));
	chart_series_set_fill(time, &time_fill);
	chart_title_set_name(chart, f->english ? "Completion rate against time progress" : "投资完成率与序时进度");
	chart_axis_set_num_format(chart->y_axis, "0%");
	chart_axis_set_min(chart->y_axis, 0);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	lxw_chart_options o = { .x_offset = 4, .y_offset = 8, .x_scale = 2.0, .y_scale = 1.3 };
	kpr_xlsx_keep(s->book, worksheet_insert_chart_opt(s->ws, at, 0, chart, &o));
}

/* "2023年1—9月重点项目投资完成情况(按县(市、区),单位:亿元,序时进度75.0%)" */
static void full_title(const struct kpr_report *r, const struct kpr_report_form *f, struct kpr_strbuf *sb)
{
	kpr_report_title(r, f, false, sb);
	kpr_strbuf_adds(sb, f->english ? " (" : "(");
	kpr_report_title(r, f, true, sb);
	kpr_strbuf_adds(sb, f->english ? ")" : ")");
}

/* 汇总: the title, the groups under a frozen header (autofilter on the groups, 合计 bold and
 * outside it), the headline, the chart. */
static void groups_sheet(struct kpr_xlsx *x, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_xlsx_sheet *s = kpr_xlsx_add_sheet(x, SHEET(f, SHEET_GROUPS));
	struct kpr_xlsx_column cols[KPR_RG_CSV_COLS];
	struct kpr_batch_table t = r->groups;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char **cells;
	int row;

	if (!s)
		return;
	for (int c = 0; c < KPR_RG_CSV_COLS; c++)
		cols[c] = (struct kpr_xlsx_column){ kpr_report_heading(r, KPR_REPORT_GROUPS, c, f->english),
						    group_type(c, f), c };
	/* the 合计 row's name in the document's language */
	cells = kpr_xcalloc(t.nrows * t.ncols + 1, sizeof(*cells));
	memcpy(cells, t.cells, t.nrows * t.ncols * sizeof(*cells));
	if (t.nrows)
		cells[(t.nrows - 1) * t.ncols + KPR_RG_GROUP] = (char *)kpr_report_word(KPR_RW_TOTAL, f->english);
	t.cells = cells;

	full_title(r, f, &sb);
	kpr_xlsx_title(s, 0, KPR_RG_CSV_COLS, sb.buf);
	row = kpr_xlsx_table(s, 1, &t, cols, KPR_RG_CSV_COLS, 1, true);
	if (t.nrows > 1)
		kpr_xlsx_keep(x, worksheet_autofilter(s->ws, 1, 0, (lxw_row_t)t.nrows, KPR_RG_CSV_COLS - 1));
	kpr_xlsx_keep(x, worksheet_set_row(s->ws, 1, 32, NULL));

	kpr_strbuf_reset(&sb);
	kpr_report_headline(r, f->english, &sb);
	kpr_xlsx_keep(x, worksheet_write_string(s->ws, row + 1, 0, sb.buf, NULL));
	add_chart(s, kpr_xlsx_workbook(x), r, f, 2, row + 3);

	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);	/* A4 */
	worksheet_fit_to_pages(s->ws, 1, 0);
	kpr_xlsx_keep(x, worksheet_repeat_rows(s->ws, 0, 1));
	free(cells);
	kpr_strbuf_release(&sb);
}

/* A list (lagging or missing) under a frozen header, with an autofilter */
static void list_sheet(struct kpr_xlsx *x, const char *name, const struct kpr_report *r,
		       enum kpr_report_section section, const struct kpr_batch_table *t,
		       const enum kpr_xlsx_type *types, int ncols, bool english)
{
	struct kpr_xlsx_sheet *s = kpr_xlsx_add_sheet(x, name);
	struct kpr_xlsx_column cols[KPR_RL_COLS];

	if (!s)
		return;
	for (int c = 0; c < ncols; c++)
		cols[c] = (struct kpr_xlsx_column){ kpr_report_heading(r, section, c, english),
						    types ? types[c] : KPR_XLSX_TEXT, c };
	kpr_xlsx_table(s, 0, t, cols, ncols, 0, false);
	if (t->nrows)
		kpr_xlsx_keep(x, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)t->nrows, ncols - 1));
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	kpr_xlsx_keep(x, worksheet_repeat_rows(s->ws, 0, 0));
}

/* 滞后项目: the colour in words */
static void lagging_sheet(struct kpr_xlsx *x, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_batch_table t = r->lagging;
	char **cells = kpr_xcalloc(t.nrows * t.ncols + 1, sizeof(*cells));

	memcpy(cells, t.cells, t.nrows * t.ncols * sizeof(*cells));
	for (size_t row = 0; row < t.nrows; row++) {
		const char *w = kpr_report_colour_word(cells[row * t.ncols + KPR_RL_COLOUR], f->english);
		if (w)
			cells[row * t.ncols + KPR_RL_COLOUR] = (char *)w;
	}
	t.cells = cells;
	list_sheet(x, SHEET(f, SHEET_LAGGING), r, KPR_REPORT_LAGGING, &t, lag_types, KPR_RL_COLS, f->english);
	free(cells);
}

/*
 * The notes from row: "注:", then a row a project (what note, then its code, name and detail
 * beside it: kpr_report_note()'s sentence holds them all, too long for a cell's row), and the
 * note on the month not evaluated.
 */
static void note_rows(struct kpr_xlsx_sheet *s, const struct kpr_report *r, const struct kpr_report_form *f,
		      int row)
{
	static const char *const kinds[][3] = {
		{ "withdrawn", "已退库项目(不计入本报告)", "withdrawn (not in this report)" },
		{ "no_plan", "未下达年度计划(计入项目数,不计入计划和完成率)", "no annual plan (counted in projects, not in the plan or the rate)" },
	};
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	kpr_xlsx_cell(s, row, 0, KPR_XLSX_TEXT, kpr_report_word(KPR_RW_NOTES, f->english), true);
	for (size_t k = 0, n = 0; k < 2; k++, n = 0)
		for (size_t i = 0; i < r->notes.nrows; i++) {
			const char *detail = kpr_batch_cell(&r->notes, i, KPR_RN_DETAIL);
			if (strcmp(kpr_batch_cell(&r->notes, i, KPR_RN_KIND), kinds[k][0]) != 0)
				continue;
			kpr_strbuf_reset(&sb);
			kpr_strbuf_addf(&sb, "%s %s%s%s%s", kpr_batch_cell(&r->notes, i, KPR_RN_CODE),
					kpr_batch_cell(&r->notes, i, KPR_RN_NAME), detail ? (f->english ? " (" : "(") : "",
					detail ? detail : "", detail ? (f->english ? ")" : ")") : "");
			if (n++ == 0)	/* what note, on its first project's row */
				kpr_xlsx_paragraph(s, row, 1, kinds[k][1 + f->english]);
			kpr_xlsx_cell(s, row++, 2, KPR_XLSX_TEXT, sb.buf, false);
		}
	/* the sentences: colours not evaluated, or evaluated on the fly; figures as of a moment */
	for (int k = KPR_REPORT_NOTE_NOT_EVALUATED; k < KPR_REPORT_NOTES; k++) {
		kpr_strbuf_reset(&sb);
		if (kpr_report_note(r, f->english, k, &sb))
			kpr_xlsx_paragraph(s, row++, 1, sb.buf);
	}
	kpr_strbuf_release(&sb);
}

/* 说明: what the report is (label, value), the headline, then the notes */
static void notes_sheet(struct kpr_xlsx *x, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_xlsx_sheet *s = kpr_xlsx_add_sheet(x, SHEET(f, SHEET_NOTES));
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char period[64];
	int row = 0;
	bool en = f->english;

	if (!s)
		return;
	struct kpr_strbuf asof = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&sb, en ? "%d, %s" : "%d年%s", kpr_month_year(r->month),
			kpr_report_period(r, en, period, sizeof(period)));
	if (r->as_of[0])
		kpr_strbuf_addf(&asof, en ? "as recorded at %s" : "截至%s的记录", r->as_of);
	else
		kpr_strbuf_adds(&asof, en ? "current (as recorded now)" : "当前数据(未指定 --as-of)");
	const char *rows[][2] = {
		{ en ? "period" : "报告期", sb.buf },
		{ en ? "figures" : "数据", asof.buf },
		{ en ? "grouped by" : "分组", kpr_report_heading(r, KPR_REPORT_GROUPS, KPR_RG_GROUP, en) },
		{ en ? "unit" : "金额单位", kpr_unit_name(f->unit) },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++, row++) {
		kpr_xlsx_cell(s, row, 0, KPR_XLSX_TEXT, rows[i][0], true);
		kpr_xlsx_cell(s, row, 1, KPR_XLSX_TEXT, rows[i][1], false);
	}
	kpr_strbuf_release(&asof);
	kpr_xlsx_cell(s, row, 0, KPR_XLSX_TEXT, kpr_report_heading(r, KPR_REPORT_GROUPS, KPR_RG_TIME, en), true);
	kpr_xlsx_cell(s, row++, 1, KPR_XLSX_PERCENT,
		      kpr_batch_cell(&r->groups, r->groups.nrows - 1, KPR_RG_TIME), false);

	kpr_strbuf_reset(&sb);
	kpr_report_headline(r, en, &sb);
	kpr_xlsx_cell(s, row, 0, KPR_XLSX_TEXT, en ? "headline" : "综述", true);
	kpr_xlsx_width(s, 1, 40);
	kpr_xlsx_paragraph(s, row++, 1, sb.buf);
	note_rows(s, r, f, row + 1);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	kpr_strbuf_release(&sb);
}

int kpr_report_write_xlsx(const char *path, const char *name, const struct kpr_report *r,
			  const struct kpr_report_form *f)
{
	struct kpr_xlsx *x = kpr_xlsx_open(path, name);
	struct kpr_strbuf title = KPR_STRBUF_INIT;
	enum kpr_report_section s = f->section;

	full_title(r, f, &title);
	lxw_doc_properties props = { .title = title.buf, .author = (char *)"kpr" };
	if (kpr_xlsx_workbook(x))
		kpr_xlsx_keep(x, workbook_set_properties(kpr_xlsx_workbook(x), &props));
	if (s == KPR_REPORT_ALL || s == KPR_REPORT_GROUPS)
		groups_sheet(x, r, f);
	if (s == KPR_REPORT_ALL || s == KPR_REPORT_LAGGING)
		lagging_sheet(x, r, f);
	if (s == KPR_REPORT_ALL || s == KPR_REPORT_MISSING)
		list_sheet(x, SHEET(f, SHEET_MISSING), r, KPR_REPORT_MISSING, &r->missing, NULL, KPR_RM_COLS,
			   f->english);
	if (s == KPR_REPORT_ALL)
		notes_sheet(x, r, f);
	int rc = kpr_xlsx_close(x);
	kpr_strbuf_release(&title);
	return rc;
}
