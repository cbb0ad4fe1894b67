/*
 * export.h: the year's list in the official layout (kpr export projects): a title row
 * (2023年廊坊市重点项目计划表, the city's name from the configuration), the units row, the
 * Chinese headers kpr import projects reads, one row a project ordered by region then code,
 * money in 万元 exactly.  Importing it back changes nothing.
 *
 *     struct kpr_listing_filter f = { .year = 2023, .region = "固安县" };
 *     rc = kpr_export_projects_csv(conn, &f, stdout);
 */
#ifndef KPR_EXPORT_H
#define KPR_EXPORT_H

#include <libpq-fe.h>
#include <stdio.h>

#include "kpr.h"
#include "listing.h"
#include "print.h"
#include "strbuf.h"

/* The official layout's columns, in order: heading (a format with the year's %d for the plan),
 * type, and the listing column each comes from (KPR_EXPORT_SEQ: the row's number;
 * KPR_EXPORT_YEARS: start and end year as "2023-2025"). */
enum { KPR_EXPORT_SEQ = -1, KPR_EXPORT_YEARS = -2 };
struct kpr_export_column {
	const char *heading;
	enum kpr_print_type type;
	int src;
};
extern const struct kpr_export_column kpr_export_project_columns[];
extern const size_t kpr_export_nproject_columns;

/* The title row: "2023年廊坊市重点项目计划表" (the city: the configuration's region of level
 * city), with "(固安县)" after it for one region's list (region: its name, or NULL). */
int kpr_export_title(PGconn *conn, int year, const char *region, struct kpr_strbuf *title) KPR_WARN_UNUSED;

/* The list as a workbook written to path (messages name name): one sheet, the same rows, money
 * as numbers of 万元, the header frozen.  Errors as for the CSV; the workbook not written:
 * printed, KPR_EFILE. */
int kpr_export_projects_xlsx(PGconn *conn, const struct kpr_listing_filter *f, const char *path, const char *name)
	KPR_WARN_UNUSED;

/* The list as CSV (UTF-8 with a BOM, for Excel) to out.  Errors are printed and returned (an
 * unknown region: KPR_EINPUT with the nearest name); a write error is KPR_EFILE, unprinted. */
int kpr_export_projects_csv(PGconn *conn, const struct kpr_listing_filter *f, FILE *out) KPR_WARN_UNUSED;

#endif
