/*
 * layout.h: the rows an official list carries between its projects: headings (一、安次区(25个),
 * (一)现代商贸物流强市场景, 第一部分) and subtotals (合计, 小计, 总计, often a 合计 right under
 * the header).  They are told from data, skipped and counted, never an error; and the subtotals
 * are checked, since a wrong one in an official list is a finding:
 *
 *     struct kpr_layout l;
 *     kpr_layout_init(&l, &header, KPR_UNIT_WAN);
 *     if (kpr_layout_row(&l, name, rec) == KPR_ROW_DATA) { ... validate ...
 *         kpr_layout_add(&l, KPR_LAYOUT_TOTAL, row.total_investment); ... }
 *     kpr_layout_finish(&l, name);
 *
 * A row without a project code is a heading when its text cells (numbers aside) hold only a
 * numbered heading, a subtotal when its name cell, or a cell before it (序号), says 合计, 小计 or
 * 总计 (the words may go on: 合计(486个)); so is a row whose code cell says so.  Any other row without a code is data, and rejected
 * as before.  Checked money columns: total investment and annual plan (lists), amount and
 * year-to-date (progress).  A 小计 is checked at once against the rows since the nearest heading
 * above it; a 合计 or 总计, wherever it stands, against every project row of the file once the
 * file is read.  A difference is a warning (FILE:LINE: ...) naming both figures in 万元; the sums
 * hold the rows that passed validation.
 */
#ifndef KPR_LAYOUT_H
#define KPR_LAYOUT_H

#include "columns.h"
#include "kpr.h"
#include "money.h"
#include "reader.h"

enum kpr_layout_kind { KPR_ROW_DATA, KPR_ROW_HEADING, KPR_ROW_SUBTOTAL };

/* The money columns a subtotal is checked on */
enum { KPR_LAYOUT_TOTAL, KPR_LAYOUT_PLAN, KPR_LAYOUT_AMOUNT, KPR_LAYOUT_YTD, KPR_LAYOUT_SUMS };

/* A 合计/总计 row kept until the end of the file, to be checked against every row */
struct kpr_layout_total {
	long line;
	char word[8];		/* 合计 or 总计, as the row says */
	bool has[KPR_LAYOUT_SUMS];
	int64_t value[KPR_LAYOUT_SUMS];
};

struct kpr_layout {
	const struct kpr_header *header;
	enum kpr_unit unit;			/* for money columns whose header names none */
	long headings, subtotals;		/* rows skipped */
	long section_line;			/* the nearest heading's line, 0: none yet */
	int64_t all[KPR_LAYOUT_SUMS], section[KPR_LAYOUT_SUMS];
	struct kpr_layout_total *totals;
	size_t ntotals;
};

void kpr_layout_init(struct kpr_layout *l, const struct kpr_header *h, enum kpr_unit unit);

/* What rec is.  A heading starts a section; a 小计 is checked now (warnings on stderr, named
 * FILE:LINE); a 合计/总计 is kept for kpr_layout_finish(). */
enum kpr_layout_kind kpr_layout_row(struct kpr_layout *l, const char *file, const struct kpr_record *rec);

/* A data row's amount (yuan) in one of the checked columns */
static inline void kpr_layout_add(struct kpr_layout *l, int which, int64_t yuan)
{
	l->all[which] += yuan;
	l->section[which] += yuan;
}

/* Check the 合计/总计 rows against every row added (file NULL: no check, as after an error);
 * free what l holds.  Again is harmless. */
void kpr_layout_finish(struct kpr_layout *l, const char *file);

#endif
