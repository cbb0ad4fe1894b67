/*
 * template.h: the monthly form an office fills in (kpr export template): a workbook whose sheet
 * lists the office's projects of the month's year, one row each, with the cells the office
 * fills; read back by kpr import progress as it is.
 *
 *     struct kpr_template_opts o = { .month = m, .region = "固安" };
 *     rc = kpr_template_write(conn, &o, "固安-2023-09.xlsx");
 *
 * Columns: 项目代码, 项目名称, 县(市、区), 年度计划投资(万元), 截至上月累计(万元,仅供参考) (the
 * year-to-date as of the month before; a header the import ignores), 月份 (filled in), then the
 * cells the office fills: 本月完成投资(万元), 形象进度, 存在问题, 实际开工时间, 竣工时间, 调整原因.
 * The first six are locked (sheet protection without a password), the rest unlocked, with data
 * validation (a number for the amount, a date for the dates) and an input note in Chinese.  A
 * hidden sheet (KPR_TEMPLATE_SHEET) keeps the exported codes at the rows they were written to,
 * so that an edited code is found by comparing with it rather than with the database
 * (import.c reads it back: kpr_import_form_code).
 */
#ifndef KPR_TEMPLATE_H
#define KPR_TEMPLATE_H

#include <libpq-fe.h>

#include "kpr.h"

/* The hidden sheet: A1 the marker, B1 the month (YYYY-MM); then the code of each project in
 * column A of the row it has on the form. */
#define KPR_TEMPLATE_SHEET "_kpr"
#define KPR_TEMPLATE_MARKER "kpr monthly template 1"

/* The form's rows start below a title row, a units row and the header (0-based row 3). */
#define KPR_TEMPLATE_FIRST_ROW 3

struct kpr_template_opts {
	int month;		/* month.h's int: the month the office reports */
	const char *region;	/* one region's projects (code, name or short name), or NULL */
	const char *office;	/* an office's projects (its regions and zones), or NULL */
};

/*
 * Write the form to path (a new file; the caller makes it whole or nothing: outfile.h).  An
 * unknown region or office, or a year without a list: the error and KPR_EINPUT; a database error:
 * printed, its status; the workbook not written: printed, KPR_EFILE.
 */
int kpr_template_write(PGconn *conn, const struct kpr_template_opts *o, const char *path) KPR_WARN_UNUSED;

#endif
