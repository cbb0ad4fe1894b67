/* fields.c: the description of every column, and what is made from it; see fields.h. */
#include "fields.h"

#include <stddef.h>
#include <string.h>

#include "spool.h"
#include "validate.h"

#define FIELD(col, kinds, type, flags, column, place, ...) \
	[KPR_COL_##col] = { { __VA_ARGS__ }, column, KPR_FIELD_##type, KPR_FIELD_KINDS(kinds), KPR_FIELD_FLAGS(flags), \
			    KPR_FIELD_ROW(place) },

/* offset 0 means "no member": line is there, and no field is the line */
_Static_assert(offsetof(struct kpr_project_row, line) == 0, "struct kpr_project_row starts with line");

const struct kpr_field kpr_fields[KPR_COL_COUNT] = { KPR_FIELDS(FIELD) };

const char *kpr_field_sql_type(enum kpr_field_type type)
{
	switch (type) {
	case KPR_FIELD_YEAR:
		return "integer";
	case KPR_FIELD_MONTH:
	case KPR_FIELD_DATE:
		return "date";
	case KPR_FIELD_MONEY:
		return "numeric(18,4)";
	case KPR_FIELD_SCENARIOS:
	case KPR_FIELD_YEARS:
		return NULL;
	default:
		return "text";
	}
}

/* The columns a statement lists: the project's, without its code. */
static bool listed(const struct kpr_field *f)
{
	return f->column && !(f->flags & KPR_FIELD_KEY);
}

/* pattern (len bytes) once per listed column, with %s and %t filled in */
static void add_columns(struct kpr_strbuf *sb, const char *pattern, size_t len)
{
	bool first = true;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		const struct kpr_field *f = &kpr_fields[c];
		if (!listed(f))
			continue;
		if (!first)
			kpr_strbuf_add(sb, ", ", 2);
		first = false;
		for (size_t i = 0; i < len; i++) {
			if (pattern[i] == '%' && i + 1 < len && (pattern[i + 1] == 's' || pattern[i + 1] == 't')) {
				kpr_strbuf_adds(sb, pattern[i + 1] == 's' ? f->column : kpr_field_sql_type(f->type));
				i++;
			} else {
				kpr_strbuf_addch(sb, pattern[i]);
			}
		}
	}
}

char *kpr_fields_sql(const char *template)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *p = template, *open, *close;
	while ((open = strstr(p, "{{")) != NULL && (close = strstr(open, "}}")) != NULL) {
		kpr_strbuf_add(&sb, p, (size_t)(open - p));
		add_columns(&sb, open + 2, (size_t)(close - open - 2));
		p = close + 2;
	}
	kpr_strbuf_adds(&sb, p);
	return kpr_strbuf_detach(&sb);
}

/*
 * One column of a project row as a COPY field (offsets value and has, fields.h); nothing for a
 * column not in table project.  Expanded with constant arguments for each column, like
 * read_column() in validate.c: this is the per-row path.
 */
static inline __attribute__((always_inline)) void
copy_column(struct kpr_strbuf *sb, const char *base, const char *column, enum kpr_field_type type, size_t value,
	    size_t has)
{
	if (!column)
		return;
	switch (type) {
	case KPR_FIELD_YEAR: {
		int v = *(const int *)(base + value);
		kpr_spool_add_int(sb, v, v != 0);	/* 0: not given */
		break;
	}
	case KPR_FIELD_MONTH:
	case KPR_FIELD_DATE:
		kpr_spool_add_text(sb, base[value] ? base + value : NULL);	/* "": not given */
		break;
	case KPR_FIELD_MONEY:
		kpr_spool_add_money(sb, *(const int64_t *)(base + value), *(const bool *)(base + has), '\t');
		break;
	default:
		kpr_spool_add_text(sb, *(const char *const *)(base + value));
		break;
	}
}

#define COPY_COLUMN(col, kinds, type, flags, column, place, ...) \
	copy_column(sb, (const char *)row, column, KPR_FIELD_##type, KPR_FIELD_ROW(place));

void kpr_fields_copy_row(struct kpr_strbuf *sb, const struct kpr_project_row *row)
{
	KPR_FIELDS(COPY_COLUMN)
}
