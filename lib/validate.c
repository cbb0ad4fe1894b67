/* validate.c: the rules one row must satisfy; see validate.h. */
#include "validate.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "month.h"
#include "sheetguard.h"
#include "strbuf.h"

void kpr_validator_report(const struct kpr_validator *v, long line, const char *column, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v->problem)
		v->problem(v->arg, line, column, msg);
}

/* Trim ASCII and ideographic spaces in place; NULL when nothing is left. */
/* The bytes of the space at s, as kpr_blank() counts spaces: ASCII white space, U+00A0, U+3000. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (strncmp(s, "\u00a0", 2) == 0)
		return 2;
	return strncmp(s, "\u3000", 3) == 0 ? 3 : 0;
}

/* The bytes of the space that ends s[0..n), 0 when none. */
static size_t space_before(const char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (space_at(s + n - k) == k)
			return k;
	return 0;
}

/* Spaces dropped at both ends, in place; NULL when nothing is left. */
static char *trim(char *s)
{
	size_t k, n;
	if (!s)
		return NULL;
	while ((k = space_at(s)) > 0)
		s += k;
	n = strlen(s);
	while ((k = space_before(s, n)) > 0)
		n -= k;
	s[n] = '\0';
	return n ? s : NULL;
}

/* A cell of the row, trimmed, without the apostrophe of sheetguard.h that kpr's own CSV and
 * workbooks put before a text a spreadsheet would take for a formula (before any number, for
 * a number); NULL when empty. */
static char *cell(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, bool number)
{
	int i = v->header->index[col];
	if (i < 0 || (size_t)i >= rec->nfields)
		return NULL;
	char *s = kpr_sheetguard_strip(trim(rec->fields[i]), number);
	return s && *s ? s : NULL;
}

static char *field(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col)
{
	return cell(v, rec, col, false);
}

static const char *label(const struct kpr_validator *v, enum kpr_col col)
{
	return kpr_column_label(v->header, col);
}

/* One of a short list of words, with their synonyms; the canonical word or NULL. */
static const char *canonical_word(const char *s, const char *const table[][4])
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *key = kpr_fold_key(s, &sb);
	const char *found = NULL;
	for (size_t i = 0; table[i][0] && !found; i++)
		for (size_t j = 0; j < 4 && table[i][j]; j++)
			if (strcmp(key, table[i][j]) == 0)
				found = table[i][0];
	kpr_strbuf_release(&sb);
	return found;
}

static const char *const natures[][4] = {
	{ "新开工", "新建", "new", "new_start" },
	{ "续建", "continuing", NULL, NULL },
	{ "竣工投产", "竣工", "completing", NULL },
	{ "前期", "前期工作", "preparation", NULL },
	{ NULL, NULL, NULL, NULL }
};

static const char *const levels[][4] = {
	{ "省重点", "省级", "省", "province" },
	{ "市重点", "市级", "市", "city" },
	{ NULL, NULL, NULL, NULL }
};

static int money(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, bool *has,
		 int64_t *out)
{
	const char *s = cell(v, rec, col, true);
	const char *why;
	*has = false;
	if (!s)
		return 0;
	enum kpr_unit unit = v->header->unit[col] != KPR_UNIT_NONE ? v->header->unit[col] : v->unit;
	if (kpr_money_parse(s, unit, out, &why) != KPR_OK) {
		kpr_validator_report(v, rec->line, label(v, col), _("%s: '%s'"), why, s);
		return 1;
	}
	*has = true;
	return 0;
}

static int required(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, char **out)
{
	*out = field(v, rec, col);
	if (*out)
		return 0;
	kpr_validator_report(v, rec->line, label(v, col), _("empty, but required"));
	return 1;
}

/* A national code's shape (refdata.c) followed as far as code goes, past its region
 * (YYMM-RRRRRR-), but not 24 characters long: a national code cut short or run on. */
static bool cut_national_code(const char *code, size_t len)
{
	static const char shape[] = "dddd-dddddd-dd-dd-dddddC";
	size_t i;
	if (len == sizeof(shape) - 1 || len < sizeof("dddd-dddddd-") - 1)
		return false;
	for (i = 0; i < len && shape[i]; i++) {
		char s = shape[i], c = code[i];
		if (s == '-' ? c != '-' : (c < '0' || c > '9') && !(s == 'C' && c >= 'A' && c <= 'Z'))
			return false;
	}
	return true;
}

static int check_code(const struct kpr_validator *v, const struct kpr_record *rec, char **code)
{
	if (required(v, rec, KPR_COL_CODE, code))
		return 1;
	size_t len = strlen(*code);
	if (cut_national_code(*code, len)) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_CODE),
				     _("'%s' looks like a national project code, but has %zu characters, not 24"), *code, len);
		return 1;
	}
	if (kpr_refdata_code_ok(v->refdata, *code))
		return 0;
	kpr_validator_report(v, rec->line, label(v, KPR_COL_CODE),
			     _("'%s' is neither a national project code (24 characters, like "
			       "2303-131022-04-01-573274) nor a local code"), *code);
	return 1;
}

static int resolve(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col,
		   const struct kpr_reflist *list, const char *text, const char *what, const struct kpr_ref **out)
{
	/* what: untranslated (N_), translated only for a message: rows are many, problems few */
	const char *hint = NULL;
	*out = kpr_ref_find(list, text, &hint);
	if (*out)
		return 0;
	const struct kpr_ref *zone;
	if (col == KPR_COL_REGION && (zone = kpr_ref_find(&v->refdata->zones, text, NULL)) != NULL) {
		const char *zone_label = v->header->label[KPR_COL_ZONE] ? v->header->label[KPR_COL_ZONE]
									: kpr_fields[KPR_COL_ZONE].names[1];
		kpr_validator_report(v, rec->line, label(v, col), _("'%s' is a functional zone (%s); put it in the %s column"),
				     text, zone->name, zone_label);
	} else if (hint)
		kpr_validator_report(v, rec->line, label(v, col), _("unknown %s '%s' (did you mean '%s'?)"), _(what), text, hint);
	else
		kpr_validator_report(v, rec->line, label(v, col), _("unknown %s '%s'"), _(what), text);
	return 1;
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static int scenarios(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_project_row *row)
{
	char *s = field(v, rec, KPR_COL_SCENARIOS);
	int problems = 0;
	row->nscenarios = 0;
	if (!s)
		return 0;
	char buf[1024];
	if (!kpr_fold_ascii(s, buf, sizeof(buf), false)) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_SCENARIOS), _("too long"));
		return 1;
	}
	/* separated by 、 ; , (full-width forms are folded already) */
	char *p = buf;
	while (*p) {
		size_t n = 0;
		while (p[n] && p[n] != ';' && p[n] != ',' && strncmp(p + n, "、", 3) != 0)
			n++;
		char *next = p + n;
		size_t skip = !*next ? 0 : *next == ';' || *next == ',' ? 1 : 3;
		char save = *next;
		*next = '\0';
		char *name = trim(p);
		if (name) {
			const struct kpr_ref *ref;
			if (resolve(v, rec, KPR_COL_SCENARIOS, &v->refdata->scenarios, name, N_("scenario"), &ref)) {
				problems++;
			} else if (row->nscenarios == KPR_MAX_SCENARIOS) {
				kpr_validator_report(v, rec->line, label(v, KPR_COL_SCENARIOS), _("more than %d scenarios"),
						     KPR_MAX_SCENARIOS);
				return problems + 1;
			} else {
				row->scenarios[row->nscenarios++] = ref->id;
			}
		}
		*next = save;
		p = next + skip;
	}
	qsort(row->scenarios, (size_t)row->nscenarios, sizeof(int), cmp_int);
	int n = 0;
	for (int i = 0; i < row->nscenarios; i++)
		if (n == 0 || row->scenarios[n - 1] != row->scenarios[i])
			row->scenarios[n++] = row->scenarios[i];
	row->nscenarios = n;
	return problems;
}

static int year_value(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, int *out)
{
	const char *s = field(v, rec, col);
	int end;
	if (!s)
		return 0;
	if (kpr_year_range_parse(s, out, &end) != KPR_OK || end != *out) {
		kpr_validator_report(v, rec->line, label(v, col), _("not a year: '%s'"), s);
		return 1;
	}
	return 0;
}

static int years(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_project_row *row)
{
	const char *s = field(v, rec, KPR_COL_YEARS);
	enum kpr_col col = KPR_COL_YEARS;
	if (s) {
		if (kpr_year_range_parse(s, &row->start_year, &row->end_year) != KPR_OK) {
			kpr_validator_report(v, rec->line, label(v, col), _("not a year range like 2023-2025: '%s'"), s);
			return 1;
		}
	} else {
		int problems = year_value(v, rec, KPR_COL_START_YEAR, &row->start_year) +
			       year_value(v, rec, KPR_COL_END_YEAR, &row->end_year);
		if (problems)
			return problems;
		col = row->end_year ? KPR_COL_END_YEAR : KPR_COL_START_YEAR;
	}
	bool bad = false;
	if (row->start_year && (row->start_year < 1990 || row->start_year > 2100))
		bad = true;
	if (row->end_year && (row->end_year < 1990 || row->end_year > 2100))
		bad = true;
	if (row->start_year && row->end_year && row->end_year < row->start_year)
		bad = true;
	if (bad) {
		kpr_validator_report(v, rec->line, label(v, col), _("impossible year range %d-%d"), row->start_year,
				     row->end_year);
		return 1;
	}
	return 0;
}

/* A word from a short list (levels, natures), or a problem naming the ones expected. */
static int word(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col,
		const char *const table[][4], const char *unknown, char **out)
{
	/* unknown: untranslated (N_), translated only for a message: rows are many, problems few */
	const char *s = field(v, rec, col);
	if (!s)
		return 0;
	*out = (char *)canonical_word(s, table);
	if (*out)
		return 0;
	kpr_validator_report(v, rec->line, label(v, col), _(unknown), s);
	return 1;
}

/* A region (or else a functional zone), by name or code; *out is its code. */
static int place(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, bool region,
		 bool is_required, const char **out)
{
	const struct kpr_ref *ref;
	const char *s;
	if (is_required) {
		if (required(v, rec, col, (char **)&s))
			return 1;
	} else if ((s = field(v, rec, col)) == NULL) {
		return 0;
	}
	if (resolve(v, rec, col, region ? &v->refdata->regions : &v->refdata->zones, s,
		    region ? N_("region") : N_("functional zone"), &ref))
		return 1;
	*out = ref->code;
	return 0;
}

/* A month (its first day) or a day, as "YYYY-MM-DD" in out[11]; "" when not given. */
static int date_value(const struct kpr_validator *v, const struct kpr_record *rec, enum kpr_col col, char *out)
{
	const char *s = field(v, rec, col);
	int m;
	if (!s)
		return 0;
	if (kpr_fields[col].type == KPR_FIELD_DATE) {
		if (kpr_date_parse(s, out) == KPR_OK)
			return 0;
		kpr_validator_report(v, rec->line, label(v, col), _("not a date like 2023-04-15: '%s'"), s);
		return 1;
	}
	if (kpr_month_parse(s, &m) != KPR_OK) {
		kpr_validator_report(v, rec->line, label(v, col), _("not a month like 2023-04: '%s'"), s);
		return 1;
	}
	kpr_month_date(m, out);
	return 0;
}

/*
 * One column of a project row, read by its type into its place in the row (offsets value and
 * has, fields.h).  Expanded once per column of KPR_FIELDS with constant arguments, so that each
 * expansion folds to the code for that column alone: the per-row path costs what hand-written
 * code for each column would.  Money problems are counted apart (*unreadable).
 */
static inline __attribute__((always_inline)) int
read_column(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_project_row *row,
	    enum kpr_col col, unsigned kinds, enum kpr_field_type type, unsigned flags, size_t value, size_t has,
	    int *unreadable)
{
	char *at = (char *)row + value;
	if (!(kinds & (1u << KPR_IMPORT_PROJECTS)))
		return 0;
	switch (type) {
	case KPR_FIELD_CODE:
		return check_code(v, rec, (char **)at);
	case KPR_FIELD_TEXT:
		if (flags & KPR_FIELD_REQUIRED)
			return required(v, rec, col, (char **)at);
		*(char **)at = field(v, rec, col);
		return 0;
	case KPR_FIELD_REGION:
	case KPR_FIELD_ZONE:
		return place(v, rec, col, type == KPR_FIELD_REGION, flags & KPR_FIELD_REQUIRED, (const char **)at);
	case KPR_FIELD_SCENARIOS:
		return scenarios(v, rec, row);
	case KPR_FIELD_LEVEL:
		return word(v, rec, col, levels, N_("unknown level '%s' (expected 省重点 or 市重点)"), (char **)at);
	case KPR_FIELD_NATURE:
		return word(v, rec, col, natures, N_("unknown nature '%s' (expected 新开工, 续建, 竣工投产 or 前期)"),
			    (char **)at);
	case KPR_FIELD_YEARS:
		return years(v, rec, row);	/* with start_year and end_year */
	case KPR_FIELD_YEAR:
		return 0;
	case KPR_FIELD_MONTH:
	case KPR_FIELD_DATE:
		return date_value(v, rec, col, at);
	case KPR_FIELD_MONEY:
		*unreadable += money(v, rec, col, (bool *)((char *)row + has), (int64_t *)at);
		return 0;
	}
	return 0;
}

/* An amount of the row below zero (a money column of the list; has and value as above). */
static inline __attribute__((always_inline)) int
negative(const struct kpr_validator *v, const struct kpr_project_row *row, enum kpr_col col, unsigned kinds,
	 enum kpr_field_type type, size_t value, size_t has)
{
	const char *base = (const char *)row;
	if (!(kinds & (1u << KPR_IMPORT_PROJECTS)) || type != KPR_FIELD_MONEY || !*(const bool *)(base + has) ||
	    *(const int64_t *)(base + value) >= 0)
		return 0;
	kpr_validator_report(v, row->line, label(v, col), _("negative amount"));
	return 1;
}

#define READ_COLUMN(c, kinds, type, flags, column, place, ...) \
	problems += read_column(v, rec, row, KPR_COL_##c, KPR_FIELD_KINDS(kinds), KPR_FIELD_##type, \
				KPR_FIELD_FLAGS(flags), KPR_FIELD_ROW(place), &unreadable);
#define NEGATIVE(c, kinds, type, flags, column, place, ...) \
	problems += negative(v, row, KPR_COL_##c, KPR_FIELD_KINDS(kinds), KPR_FIELD_##type, KPR_FIELD_ROW(place));

/* Each column of the list read by its type (fields.h), in KPR_FIELDS order: so are the problems. */
int kpr_project_validate(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_project_row *row)
{
	int problems = 0, unreadable = 0;

	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	KPR_FIELDS(READ_COLUMN)
	problems += unreadable;
	KPR_FIELDS(NEGATIVE)
	if (!unreadable && row->has_plan && row->has_total && row->total_investment >= 0 &&
	    row->annual_plan > row->total_investment) {
		char a[32], b[32];
		kpr_validator_report(v, rec->line, label(v, KPR_COL_ANNUAL_PLAN),
				     _("annual plan %s 万元 is above the total investment %s 万元"),
				     kpr_money_format_wan(row->annual_plan, a), kpr_money_format_wan(row->total_investment, b));
		problems++;
	}
	return problems;
}

int kpr_progress_validate(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_progress_row *row)
{
	int problems = 0;
	const char *s;
	char buf[8];

	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	/* the shape does not matter here: the importer asks whether the project exists */
	problems += required(v, rec, KPR_COL_CODE, &row->code);
	if (required(v, rec, KPR_COL_MONTH, (char **)&s)) {
		problems++;
	} else if (kpr_month_parse(s, &row->month) != KPR_OK) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_MONTH), _("not a month like 2023-09: '%s'"), s);
		problems++;
	} else if (row->month > v->today) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_MONTH), _("month %s is in the future"),
				     kpr_month_format(row->month, buf));
		problems++;
	}
	int money_problems = money(v, rec, KPR_COL_AMOUNT, &row->has_amount, &row->amount) +
			     money(v, rec, KPR_COL_YTD, &row->has_ytd, &row->ytd);
	problems += money_problems;
	row->progress = field(v, rec, KPR_COL_PROGRESS);
	row->problems = field(v, rec, KPR_COL_PROBLEMS);
	row->adjustment_reason = field(v, rec, KPR_COL_ADJUSTMENT_REASON);
	if (!money_problems && !row->has_amount && !row->has_ytd) {
		kpr_validator_report(v, rec->line, label(v, v->header->index[KPR_COL_AMOUNT] >= 0 ? KPR_COL_AMOUNT : KPR_COL_YTD),
				     _("empty, but required (the month's amount or the year-to-date)"));
		problems++;
	}
	if (row->has_amount && row->amount < 0 && !row->adjustment_reason) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_AMOUNT),
				     _("negative amount without a reason: a downward adjustment (调减) needs %s"),
				     label(v, KPR_COL_ADJUSTMENT_REASON));
		problems++;
	}
	if (row->has_ytd && row->ytd < 0) {
		kpr_validator_report(v, rec->line, label(v, KPR_COL_YTD), _("the year-to-date cannot be below zero"));
		problems++;
	}
	if (date_value(v, rec, KPR_COL_STARTED, row->started)) {
		problems++;
	} else if (row->started[0]) {
		int m;
		if (kpr_month_parse(row->started, &m) == KPR_OK && m > v->today) {
			kpr_validator_report(v, rec->line, label(v, KPR_COL_STARTED), _("start date %s is in the future"),
					     row->started);
			row->started[0] = '\0';
			problems++;
		}
	}
	if (date_value(v, rec, KPR_COL_COMPLETED_ON, row->completed)) {
		problems++;
	} else if (row->completed[0]) {
		int m;
		if (kpr_month_parse(row->completed, &m) == KPR_OK && m > v->today) {
			kpr_validator_report(v, rec->line, label(v, KPR_COL_COMPLETED_ON),
					     _("completion date %s is in the future"), row->completed);
			problems++;
		} else if (row->started[0] && strcmp(row->completed, row->started) < 0) {
			kpr_validator_report(v, rec->line, label(v, KPR_COL_COMPLETED_ON),
					     _("completion date %s is before the start date %s"), row->completed,
					     row->started);
			problems++;
		}
		if (problems)
			row->completed[0] = '\0';
	}
	return problems;
}
