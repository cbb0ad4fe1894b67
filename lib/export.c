/* export.c: the year's list in the official layout; see export.h. */
#include "export.h"

#include <stdlib.h>

#include "db.h"
#include "log.h"
#include "xlsx.h"

const struct kpr_export_column kpr_export_project_columns[] = {
	{ "序号", KPR_PRINT_INT, KPR_EXPORT_SEQ },
	{ "项目代码", KPR_PRINT_TEXT, KPR_LISTING_CODE },
	{ "项目名称", KPR_PRINT_TEXT, KPR_LISTING_NAME },
	{ "县(市、区)", KPR_PRINT_TEXT, KPR_LISTING_REGION },
	{ "功能区", KPR_PRINT_TEXT, KPR_LISTING_ZONE },
	{ "所属场景", KPR_PRINT_TEXT, KPR_LISTING_SCENARIOS },
	{ "产业类别", KPR_PRINT_TEXT, KPR_LISTING_INDUSTRY },
	{ "项目级别", KPR_PRINT_TEXT, KPR_LISTING_LEVEL },
	{ "建设性质", KPR_PRINT_TEXT, KPR_LISTING_NATURE },
	{ "建设单位", KPR_PRINT_TEXT, KPR_LISTING_OWNER },
	{ "责任单位", KPR_PRINT_TEXT, KPR_LISTING_RESPONSIBLE_UNIT },
	{ "包联领导", KPR_PRINT_TEXT, KPR_LISTING_LEADER },
	{ "建设规模及内容", KPR_PRINT_TEXT, KPR_LISTING_SCOPE },
	{ "建设起止年限", KPR_PRINT_TEXT, KPR_EXPORT_YEARS },
	{ "计划开工时间", KPR_PRINT_TEXT, KPR_LISTING_PLANNED_START },
	{ "总投资(万元)", KPR_PRINT_MONEY, KPR_LISTING_TOTAL_INVESTMENT },
	{ "%d年计划投资(万元)", KPR_PRINT_MONEY, KPR_LISTING_ANNUAL_PLAN },
	{ "备注", KPR_PRINT_TEXT, KPR_LISTING_REMARKS },
};
const size_t kpr_export_nproject_columns = KPR_ARRAY_SIZE(kpr_export_project_columns);

int kpr_export_title(PGconn *conn, int year, const char *region, struct kpr_strbuf *title)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT name FROM region WHERE level = 'city' ORDER BY ord NULLS LAST, code LIMIT 1",
			     0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	kpr_strbuf_addf(title, "%d年%s重点项目计划表", year, PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	if (region)
		kpr_strbuf_addf(title, "(%s)", region);
	PQclear(res);
	return KPR_OK;
}

static const char *cell(const PGresult *page, int r, int c)
{
	return PQgetisnull(page, r, c) ? NULL : PQgetvalue(page, r, c);
}

/* One project's row: its number in the file, then each column from the listing's page. */
static void put_row(struct kpr_print *p, const PGresult *page, int r, long seq)
{
	kpr_print_row(p);
	for (size_t i = 0; i < kpr_export_nproject_columns; i++) {
		const struct kpr_export_column *c = &kpr_export_project_columns[i];
		const char *s = c->src >= 0 ? cell(page, r, c->src) : NULL;
		if (c->src == KPR_EXPORT_SEQ) {
			kpr_print_int(p, seq);
		} else if (c->src == KPR_EXPORT_YEARS) {
			const char *from = cell(page, r, KPR_LISTING_START_YEAR), *to = cell(page, r, KPR_LISTING_END_YEAR);
			char years[32];
			snprintf(years, sizeof(years), "%s-%s", from ? from : "", to ? to : "");
			kpr_print_text(p, from || to ? years : NULL);
		} else if (c->type == KPR_PRINT_MONEY) {
			if (s)
				kpr_print_money(p, atoll(s));
			else
				kpr_print_null(p);
		} else {
			kpr_print_text(p, s);
		}
	}
}

int kpr_export_projects_csv(PGconn *conn, const struct kpr_listing_filter *f, FILE *out)
{
	struct kpr_print_column cols[KPR_ARRAY_SIZE(kpr_export_project_columns)];
	char headings[KPR_ARRAY_SIZE(kpr_export_project_columns)][64];
	struct kpr_strbuf title = KPR_STRBUF_INIT;
	struct kpr_listing l;
	PGresult *page;
	long seq = 0;
	int rc = kpr_listing_open(conn, f, &l);

	if (rc != KPR_OK)
		return rc;
	if ((rc = kpr_listing_require(conn, l.year)) != KPR_OK || (rc = kpr_export_title(conn, l.year, f->region, &title)) != KPR_OK) {
		kpr_listing_close(&l);
		return rc;
	}
	for (size_t i = 0; i < kpr_export_nproject_columns; i++) {
		snprintf(headings[i], sizeof(headings[i]), kpr_export_project_columns[i].heading, l.year);
		cols[i] = (struct kpr_print_column){ headings[i], NULL, kpr_export_project_columns[i].type,
						     KPR_UNIT_WAN, 0 };
	}
	const char *const preamble[] = { title.buf, "单位:万元", NULL };
	struct kpr_print_opts po = { .format = KPR_PRINT_CSV, .bom = true, .preamble = preamble };
	struct kpr_print *p = kpr_print_begin(out, cols, kpr_export_nproject_columns, &po);
	while ((rc = kpr_listing_fetch(&l, &page)) == KPR_OK && page) {
		for (int r = 0; r < PQntuples(page); r++)
			put_row(p, page, r, ++seq);
		PQclear(page);
	}
	kpr_listing_close(&l);
	int prc = kpr_print_end(p);
	kpr_strbuf_release(&title);
	return rc != KPR_OK ? rc : prc;
}

/* A project's cells on the workbook's row, as put_row() gives them to the CSV */
static void xlsx_row(struct kpr_xlsx_sheet *s, int row, const PGresult *page, int r, long seq)
{
	char num[24], years[32];
	for (size_t i = 0; i < kpr_export_nproject_columns; i++) {
		const struct kpr_export_column *c = &kpr_export_project_columns[i];
		if (c->src == KPR_EXPORT_SEQ) {
			snprintf(num, sizeof(num), "%ld", seq);
			kpr_xlsx_cell(s, row, (int)i, KPR_XLSX_INT, num, false);
		} else if (c->src == KPR_EXPORT_YEARS) {
			const char *from = cell(page, r, KPR_LISTING_START_YEAR), *to = cell(page, r, KPR_LISTING_END_YEAR);
			snprintf(years, sizeof(years), "%s-%s", from ? from : "", to ? to : "");
			kpr_xlsx_cell(s, row, (int)i, KPR_XLSX_TEXT, from || to ? years : NULL, false);
		} else {
			kpr_xlsx_cell(s, row, (int)i, c->type == KPR_PRINT_MONEY ? KPR_XLSX_WAN : KPR_XLSX_TEXT,
				      cell(page, r, c->src), false);
		}
	}
}

int kpr_export_projects_xlsx(PGconn *conn, const struct kpr_listing_filter *f, const char *path, const char *name)
{
	struct kpr_strbuf title = KPR_STRBUF_INIT;
	struct kpr_listing l;
	PGresult *page;
	char heading[64];
	long seq = 0;
	int rc = kpr_listing_open(conn, f, &l), row = 3;

	if (rc != KPR_OK)
		return rc;
	if ((rc = kpr_listing_require(conn, l.year)) != KPR_OK || (rc = kpr_export_title(conn, l.year, f->region, &title)) != KPR_OK) {
		kpr_listing_close(&l);
		kpr_strbuf_release(&title);
		return rc;
	}
	struct kpr_xlsx *x = kpr_xlsx_open(path, name);
	struct kpr_xlsx_sheet *s = kpr_xlsx_add_sheet(x, "重点项目");
	if (s) {
		kpr_xlsx_title(s, 0, (int)kpr_export_nproject_columns, title.buf);
		kpr_xlsx_cell(s, 1, 0, KPR_XLSX_TEXT, "单位:万元", false);
		for (size_t i = 0; i < kpr_export_nproject_columns; i++) {
			snprintf(heading, sizeof(heading), kpr_export_project_columns[i].heading, l.year);
			worksheet_write_string(s->ws, 2, (int)i, heading, kpr_xlsx_header_format(x));
		}
		worksheet_freeze_panes(s->ws, 3, 3);
		kpr_xlsx_width(s, 12, 50);	/* 建设规模及内容: long text, wrapped */
	}
	while ((rc = kpr_listing_fetch(&l, &page)) == KPR_OK && page) {
		for (int r = 0; s && r < PQntuples(page); r++)
			xlsx_row(s, row++, page, r, ++seq);
		PQclear(page);
	}
	kpr_listing_close(&l);
	kpr_strbuf_release(&title);
	int xrc = kpr_xlsx_close(x);
	return rc != KPR_OK ? rc : xrc;
}
