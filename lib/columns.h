/*
 * columns.h: which column of an input file holds what, whatever the file calls it.
 *
 *     struct kpr_header h;
 *     kpr_header_init(&h, KPR_IMPORT_PROJECTS, custom_map);
 *     if (kpr_header_try(&h, rec)) ... h.index[KPR_COL_CODE] is the code's field ...
 *
 * Names are matched after folding (fold.h: full-width brackets and digits, spaces, case):
 * the official Chinese wording (项目代码, 县(市、区), 总投资(万元), 2023年计划投资(万元), ...) or
 * kpr's English canonical names (code, region, total_investment, annual_plan, ...), or a
 * mapping given with --columns.  A unit in the header (万元, 亿元, 元) is that column's unit.
 * The columns and their names are listed in fields.h (enum kpr_col, KPR_FIELDS).
 */
#ifndef KPR_COLUMNS_H
#define KPR_COLUMNS_H

#include "fields.h"
#include "kpr.h"
#include "money.h"
#include "reader.h"
#include "strbuf.h"

/* A user's column mapping (--columns FILE.yaml): file column name → canonical name or "ignore".
 * kpr_colmap_load: a file that cannot be read is KPR_EFILE; problems in it (YAML syntax, a
 * foreign tag, a key given twice, an unknown kpr column) are printed as FILE:LINE:COLUMN:
 * message, in file order, and give KPR_EINPUT. */
struct kpr_colmap;
int kpr_colmap_load(struct kpr_colmap **map, const char *path) KPR_WARN_UNUSED;
void kpr_colmap_free(struct kpr_colmap *map);

struct kpr_header {
	enum kpr_import_kind kind;
	const struct kpr_colmap *custom;
	int index[KPR_COL_COUNT];		/* field index, or -1 when absent */
	enum kpr_unit unit[KPR_COL_COUNT];	/* unit named in the header, or NONE */
	const char *label[KPR_COL_COUNT];	/* the file's name for the column (for messages) */
	int plan_year;				/* the year in "2023年计划投资", or 0 */
	size_t nfields;
	char **names;				/* copies of the header's names */
};

void kpr_header_init(struct kpr_header *h, enum kpr_import_kind kind, const struct kpr_colmap *custom);
void kpr_header_release(struct kpr_header *h);

/* Which column a header name is, with the unit and year it names. */
enum kpr_col kpr_column_lookup(const char *name, enum kpr_import_kind kind, const struct kpr_colmap *custom,
			       enum kpr_unit *unit, int *year);
const char *kpr_column_canonical(enum kpr_col col);

/* If rec is a header row (two or more known columns, the code among them), take it into h. */
bool kpr_header_try(struct kpr_header *h, const struct kpr_record *rec);
/*
 * The lower row of a two-row header, whose upper cells span several columns (计划投资(万元) merged
 * over 总投资 | 2023年计划): each non-blank field of below is joined with the nearest name at or
 * before its column in the header h took (总投资(万元), 2023年计划投资(万元)); when every one then
 * names a column, one of them sits under an upper cell's span (a blank upper cell) and below has
 * no code, the joined names become the header and true is returned.
 * A spreadsheet keeps a merged cell's value in its first column, so CSV and workbooks read alike.
 */
bool kpr_header_second_row(struct kpr_header *h, const struct kpr_record *below);
/* A kpr_header_probe for reader.h: does rec look like a header of this kind (arg: the kind)? */
bool kpr_header_looks_like(const struct kpr_record *rec, void *arg);
/*
 * Does a header row (names) look like a file of the kind other than h's: a progress file's month
 * and amount or year-to-date, or a list's plan, total investment, scenarios or years?  If so,
 * the first two of those columns, by the file's names, are appended to out ("月份, 本月完成投资").
 * Once a file, never per row.
 */
bool kpr_header_other_kind(const struct kpr_header *h, const struct kpr_record *names, struct kpr_strbuf *out);
/* Take a YAML record's keys as the header (each record may have other keys). */
void kpr_header_from_keys(struct kpr_header *h, const struct kpr_record *rec);

/* A title ("2023年廊坊市重点项目计划表") or units ("单位:万元") row: at most two non-blank fields.
 * Sets *unit when it names one. */
bool kpr_title_row(const struct kpr_record *rec, enum kpr_unit *unit);
/* A units row: a title row that names a unit (sets *unit).  Below the header only such a row is
 * not data: a data row with one or two cells filled is still data. */
bool kpr_units_row(const struct kpr_record *rec, enum kpr_unit *unit);
/* Every field blank (Excel's trailing rows) */
bool kpr_record_blank(const struct kpr_record *rec);

/* The field of column col in rec, or NULL when absent or blank. */
const char *kpr_field(const struct kpr_header *h, const struct kpr_record *rec, enum kpr_col col);
/* The column's name for messages: the file's own, else the canonical one. */
const char *kpr_column_label(const struct kpr_header *h, enum kpr_col col);

#endif
