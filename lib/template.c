/* template.c: the monthly form an office fills in, as an .xlsx workbook; see template.h. */
#include "template.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "db.h"
#include "listing.h"
#include "log.h"
#include "month.h"
#include "strbuf.h"
#include "textwidth.h"
#include "xlsx.h"

/* The form's columns: heading, whether the office fills it, its input note, its widest width. */
enum { C_CODE, C_NAME, C_REGION, C_PLAN, C_PRIOR, C_MONTH, C_AMOUNT, C_PROGRESS, C_PROBLEMS, C_STARTED,
       C_COMPLETED, C_REASON, NCOLS };
static const struct {
	const char *heading;
	const char *note;	/* the input note of a cell the office fills, NULL: locked */
	int max_width;
} cols[NCOLS] = {
	[C_CODE] = { "项目代码", NULL, 30 },
	[C_NAME] = { "项目名称", NULL, 40 },
	[C_REGION] = { "县(市、区)", NULL, 16 },
	[C_PLAN] = { "年度计划投资(万元)", NULL, 20 },
	[C_PRIOR] = { "截至上月累计(万元,仅供参考)", NULL, 30 },
	[C_MONTH] = { "月份", NULL, 10 },
	[C_AMOUNT] = { "本月完成投资(万元)",
		       "填写本月完成的投资,单位万元,最多4位小数。调减填负数,并在“调整原因”中说明。", 20 },
	[C_PROGRESS] = { "形象进度", "简要填写工程形象进度。", 40 },
	[C_PROBLEMS] = { "存在问题", "填写需要协调解决的问题;没有可不填。", 40 },
	[C_STARTED] = { "实际开工时间", "项目开工后填写实际开工日期,如2023-04-15。", 14 },
	[C_COMPLETED] = { "竣工时间", "项目竣工后填写竣工日期,如2023-11-20。", 14 },
	[C_REASON] = { "调整原因", "本月完成为负数(调减)或修改已报月份时必填。", 30 },
};

struct form {
	lxw_workbook *wb;
	lxw_worksheet *ws, *codes;
	lxw_format *title, *head, *locked, *locked_money, *open, *open_money, *open_date;
	size_t width[NCOLS];
	int row;		/* the next row to write */
	int month;
	char month_text[8];
};

static void formats(struct form *f)
{
	f->title = workbook_add_format(f->wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(f->wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_bg_color(f->head, 0xD9E1F2);
	f->locked = workbook_add_format(f->wb);
	format_set_border(f->locked, LXW_BORDER_THIN);
	format_set_bg_color(f->locked, 0xF2F2F2);
	f->locked_money = workbook_add_format(f->wb);
	format_set_border(f->locked_money, LXW_BORDER_THIN);
	format_set_bg_color(f->locked_money, 0xF2F2F2);
	format_set_num_format(f->locked_money, "#,##0.0000");
	f->open = workbook_add_format(f->wb);
	format_set_border(f->open, LXW_BORDER_THIN);
	format_set_unlocked(f->open);
	format_set_text_wrap(f->open);
	f->open_money = workbook_add_format(f->wb);
	format_set_border(f->open_money, LXW_BORDER_THIN);
	format_set_unlocked(f->open_money);
	format_set_num_format(f->open_money, "#,##0.0000");
	f->open_date = workbook_add_format(f->wb);
	format_set_border(f->open_date, LXW_BORDER_THIN);
	format_set_unlocked(f->open_date);
	format_set_num_format(f->open_date, "yyyy-mm-dd");
}

static void measure(struct form *f, int col, const char *s)
{
	size_t w = s ? kpr_text_width(s) : 0;
	if (w > f->width[col])
		f->width[col] = w;
}

/* A money cell from the listing's whole yuan, in 万元 (a double is what a spreadsheet holds: an
 * amount of at most 4 decimals of 万元 below 10^11 is exact to the yuan in it). */
static void money(struct form *f, int col, const char *yuan, lxw_format *fmt)
{
	if (yuan)
		worksheet_write_number(f->ws, f->row, col, (double)atoll(yuan) / 10000.0, fmt);
	else
		worksheet_write_blank(f->ws, f->row, col, fmt);
	measure(f, col, yuan ? "1,000,000.0000" : NULL);
}

static void text(struct form *f, int col, const char *s, lxw_format *fmt)
{
	if (s)
		kpr_xlsx_write_text(f->ws, f->row, col, s, fmt);
	else
		worksheet_write_blank(f->ws, f->row, col, fmt);
	measure(f, col, s);
}

/* One project's row, and its code on the hidden sheet at the same row. */
static void project_row(struct form *f, const PGresult *page, int r, bool january)
{
#define FIELD(c) (PQgetisnull(page, r, (c)) ? NULL : PQgetvalue(page, r, (c)))
	text(f, C_CODE, FIELD(KPR_LISTING_CODE), f->locked);
	text(f, C_NAME, FIELD(KPR_LISTING_NAME), f->locked);
	text(f, C_REGION, FIELD(KPR_LISTING_REGION), f->locked);
	money(f, C_PLAN, FIELD(KPR_LISTING_ANNUAL_PLAN), f->locked_money);
	money(f, C_PRIOR, january ? "0" : FIELD(KPR_LISTING_COMPLETED), f->locked_money);
	text(f, C_MONTH, f->month_text, f->locked);
	worksheet_write_blank(f->ws, f->row, C_AMOUNT, f->open_money);
	for (int c = C_PROGRESS; c < NCOLS; c++)
		worksheet_write_blank(f->ws, f->row, c, c == C_STARTED || c == C_COMPLETED ? f->open_date : f->open);
	worksheet_write_string(f->codes, f->row, 0, FIELD(KPR_LISTING_CODE), NULL);
	f->row++;
#undef CELL
}

/* The projects of one region or zone (or, both NULL, of the whole list), added to the form. */
static int add_projects(PGconn *conn, struct form *f, const char *region, const char *zone)
{
	bool january = kpr_month_of_year(f->month) == 1;
	struct kpr_listing_filter filter = {
		.year = kpr_month_year(f->month), .month = january ? f->month : f->month - 1,
		.region = region, .zone = zone,
	};
	struct kpr_listing l;
	PGresult *page;
	int rc = kpr_listing_open(conn, &filter, &l);
	if (rc != KPR_OK)
		return rc;
	while ((rc = kpr_listing_fetch(&l, &page)) == KPR_OK && page) {
		for (int r = 0; r < PQntuples(page); r++)
			project_row(f, page, r, january);
		PQclear(page);
	}
	kpr_listing_close(&l);
	return rc;
}

/* An office's projects: those of each region and zone it is for. */
static int add_office(PGconn *conn, struct form *f, const char *office)
{
	const char *params[1] = { office };
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT s.region_code, s.zone_code FROM office o JOIN office_scope s ON s.office = o.name"
			     " WHERE o.name = $1 ORDER BY s.region_code NULLS LAST, s.zone_code", 1, params, &res);
	if (rc != KPR_OK)
		return rc;
	if (PQntuples(res) == 0) {
		kpr_log_error(_("no office named '%s' with regions or zones (kpr office list shows them)"), office);
		rc = KPR_EINPUT;
	}
	for (int i = 0; rc == KPR_OK && i < PQntuples(res); i++)
		rc = add_projects(conn, f, PQgetisnull(res, i, 0) ? NULL : PQgetvalue(res, i, 0),
				  PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
	PQclear(res);
	return rc;
}

/* The title, units and header rows; the notes, validation, widths and protection. */
static void layout(struct form *f, const struct kpr_template_opts *o)
{
	struct kpr_strbuf t = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&t, "%d年%d月重点项目调度表", kpr_month_year(f->month), kpr_month_of_year(f->month));
	if (o->region || o->office)
		kpr_strbuf_addf(&t, "(%s)", o->region ? o->region : o->office);
	worksheet_merge_range(f->ws, 0, 0, 0, NCOLS - 1, t.buf, f->title);
	worksheet_write_string(f->ws, 1, 0, "单位:万元", NULL);
	worksheet_set_row(f->ws, 2, 32, NULL);
	for (int c = 0; c < NCOLS; c++) {
		worksheet_write_string(f->ws, 2, c, cols[c].heading, f->head);
		measure(f, c, cols[c].heading);
	}
	kpr_strbuf_release(&t);
}

static void finish(struct form *f)
{
	int last = f->row > KPR_TEMPLATE_FIRST_ROW ? f->row - 1 : KPR_TEMPLATE_FIRST_ROW;
	for (int c = 0; c < NCOLS; c++) {
		size_t w = f->width[c] + 2;
		if (w > (size_t)cols[c].max_width)
			w = (size_t)cols[c].max_width;
		worksheet_set_column(f->ws, c, c, (double)w, NULL);
		if (!cols[c].note)
			continue;
		lxw_data_validation v = { .validate = LXW_VALIDATION_TYPE_ANY, .input_title = (char *)cols[c].heading,
					  .input_message = (char *)cols[c].note, .ignore_blank = LXW_VALIDATION_ON,
					  .show_input = LXW_VALIDATION_ON, .show_error = LXW_VALIDATION_ON };
		if (c == C_AMOUNT) {
			v.validate = LXW_VALIDATION_TYPE_DECIMAL;
			v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
			v.minimum_number = -1e10;
			v.maximum_number = 1e10;
			v.error_title = (char *)"请填写数字";
			v.error_message = (char *)"本月完成投资填数字,单位万元(调减填负数)。";
		} else if (c == C_STARTED || c == C_COMPLETED) {
			v.validate = LXW_VALIDATION_TYPE_DATE;
			v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
			v.minimum_datetime = (lxw_datetime){ 2000, 1, 1, 0, 0, 0 };
			v.maximum_datetime = (lxw_datetime){ 2100, 12, 31, 0, 0, 0 };
			v.error_title = (char *)"请填写日期";
			v.error_message = (char *)"填写日期,如2023-04-15。";
		}
		worksheet_data_validation_range(f->ws, KPR_TEMPLATE_FIRST_ROW, c, last, c, &v);
	}
	worksheet_freeze_panes(f->ws, KPR_TEMPLATE_FIRST_ROW, 2);
	lxw_protection prot = { .format_columns = 1, .format_rows = 1 };
	worksheet_protect(f->ws, NULL, &prot);
	worksheet_write_string(f->codes, 0, 0, KPR_TEMPLATE_MARKER, NULL);
	worksheet_write_string(f->codes, 0, 1, f->month_text, NULL);
	worksheet_hide(f->codes);
}

int kpr_template_write(PGconn *conn, const struct kpr_template_opts *o, const char *path)
{
	struct form f = { .month = o->month, .row = KPR_TEMPLATE_FIRST_ROW };
	int rc = kpr_listing_require(conn, kpr_month_year(o->month));

	if (rc != KPR_OK)
		return rc;
	kpr_month_format(o->month, f.month_text);
	if (!(f.wb = workbook_new(path))) {
		kpr_log_error(_("cannot write '%s'"), path);
		return KPR_EFILE;
	}
	f.ws = workbook_add_worksheet(f.wb, f.month_text);
	f.codes = workbook_add_worksheet(f.wb, KPR_TEMPLATE_SHEET);
	formats(&f);
	layout(&f, o);
	rc = o->office ? add_office(conn, &f, o->office) : add_projects(conn, &f, o->region, NULL);
	finish(&f);
	lxw_error err = workbook_close(f.wb);
	if (rc == KPR_OK && err != LXW_NO_ERROR) {
		kpr_log_error(_("cannot write '%s': %s"), path, lxw_strerror(err));
		rc = KPR_EFILE;
	}
	return rc;
}
