/* layout.c: headings and subtotals between an official list's projects; see layout.h. */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "log.h"
#include "strbuf.h"

static const enum kpr_col checked[KPR_LAYOUT_SUMS] = {
	[KPR_LAYOUT_TOTAL] = KPR_COL_TOTAL_INVESTMENT, [KPR_LAYOUT_PLAN] = KPR_COL_ANNUAL_PLAN,
	[KPR_LAYOUT_AMOUNT] = KPR_COL_AMOUNT, [KPR_LAYOUT_YTD] = KPR_COL_YTD,
};

void kpr_layout_init(struct kpr_layout *l, const struct kpr_header *h, enum kpr_unit unit)
{
	memset(l, 0, sizeof(*l));
	l->header = h;
	l->unit = unit;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Chinese numerals (and Arabic digits) at s, then past them; NULL when there are none. */
static const char *numeral(const char *s)
{
	static const char *const digits[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
					      "百", "零", "〇" };
	const char *start = s;
	for (;;) {
		size_t i;
		if (*s >= '0' && *s <= '9') {
			s++;
			continue;
		}
		for (i = 0; i < KPR_ARRAY_SIZE(digits) && !starts_with(s, digits[i]); i++)
			;
		if (i == KPR_ARRAY_SIZE(digits))
			return s == start ? NULL : s;
		s += strlen(digits[i]);
	}
}

/* A numbered heading (folded: full-width brackets are ASCII): 一、… (一)… 第一部分… 1、… */
static bool heading_text(const char *s)
{
	const char *p;
	if ((p = numeral(s)) && starts_with(p, "、"))
		return p[strlen("、")] != '\0';
	if (*s == '(' && (p = numeral(s + 1)) && *p == ')')
		return p[1] != '\0';
	if (starts_with(s, "第") && (p = numeral(s + strlen("第"))))
		return starts_with(p, "部分") || starts_with(p, "章") || starts_with(p, "节") ||
		       starts_with(p, "类") || starts_with(p, "批");
	return false;
}

/* A number as a list writes one (a count or an amount): digits, ',', '.', '-', '%' */
static bool number_text(const char *s)
{
	return *s && s[strspn(s, "0123456789,.-%")] == '\0';
}

/* 合计, 小计 or 总计 at the start of s: 1 for 小计 (a section's), 2 for the whole file's, else 0 */
static int subtotal_word(const char *s)
{
	return starts_with(s, "小计") ? 1 : starts_with(s, "合计") || starts_with(s, "总计") ? 2 : 0;
}

static void check(const struct kpr_layout *l, const char *file, long line, const char *word, int which,
		  int64_t said, int64_t sum, long since)
{
	char a[32], b[32];
	if (said == sum)
		return;
	if (since)
		kpr_log_warning(_("%s:%ld: %s of %s is %s 万元, but the rows since line %ld add up to %s 万元"), file,
				line, word, kpr_column_label(l->header, checked[which]), kpr_money_format_wan(said, a),
				since, kpr_money_format_wan(sum, b));
	else
		kpr_log_warning(_("%s:%ld: %s of %s is %s 万元, but the file's project rows add up to %s 万元"), file,
				line, word, kpr_column_label(l->header, checked[which]), kpr_money_format_wan(said, a),
				kpr_money_format_wan(sum, b));
}

/* The subtotal row's figures in the checked columns (unreadable or empty: not checked). */
static void subtotal_figures(const struct kpr_layout *l, const struct kpr_record *rec, struct kpr_layout_total *t)
{
	for (int i = 0; i < KPR_LAYOUT_SUMS; i++) {
		const char *s = kpr_field(l->header, rec, checked[i]), *why;
		enum kpr_unit u = l->header->unit[checked[i]] != KPR_UNIT_NONE ? l->header->unit[checked[i]] : l->unit;
		t->has[i] = s && kpr_money_parse(s, u, &t->value[i], &why) == KPR_OK;
	}
}

static enum kpr_layout_kind subtotal(struct kpr_layout *l, const char *file, const struct kpr_record *rec,
				     const char *word)
{
	struct kpr_layout_total t = { .line = rec->line };
	memcpy(t.word, word, strlen("合计"));
	subtotal_figures(l, rec, &t);
	l->subtotals++;
	if (subtotal_word(word) == 1) {
		for (int i = 0; i < KPR_LAYOUT_SUMS; i++)
			if (t.has[i])
				check(l, file, rec->line, t.word, i, t.value[i], l->section[i],
				      l->section_line ? l->section_line + 1 : 1);
		return KPR_ROW_SUBTOTAL;
	}
	l->totals = kpr_xrealloc(l->totals, (l->ntotals + 1) * sizeof(*l->totals));
	l->totals[l->ntotals++] = t;
	return KPR_ROW_SUBTOTAL;
}

enum kpr_layout_kind kpr_layout_row(struct kpr_layout *l, const char *file, const struct kpr_record *rec)
{
	const struct kpr_header *h = l->header;
	int name = h->index[KPR_COL_NAME], last = name >= 0 ? name : 2;
	bool heading = false;
	char buf[256];

	const char *code = kpr_field(h, rec, KPR_COL_CODE);
	if (code) {	/* a project, unless its code cell says 合计 (a progress form without names) */
		code = kpr_fold_ascii(code, buf, sizeof(buf), true);
		return code && subtotal_word(code) ? subtotal(l, file, rec, code) : KPR_ROW_DATA;
	}
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *s = rec->fields[i] ? kpr_fold_ascii(rec->fields[i], buf, sizeof(buf), true) : NULL;
		if (!s || !*s || number_text(s))
			continue;
		if ((int)i <= last && subtotal_word(s))
			return subtotal(l, file, rec, s);
		if (!heading_text(s))
			return KPR_ROW_DATA;
		heading = true;
	}
	if (!heading)
		return KPR_ROW_DATA;
	l->headings++;
	l->section_line = rec->line;
	memset(l->section, 0, sizeof(l->section));
	return KPR_ROW_HEADING;
}

void kpr_layout_finish(struct kpr_layout *l, const char *file)
{
	for (size_t k = 0; file && k < l->ntotals; k++) {
		const struct kpr_layout_total *t = &l->totals[k];
		for (int i = 0; i < KPR_LAYOUT_SUMS; i++)
			if (t->has[i])
				check(l, file, t->line, t->word, i, t->value[i], l->all[i], 0);
	}
	free(l->totals);
	l->totals = NULL;
	l->ntotals = 0;
}
