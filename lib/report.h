/*
 * report.h: the investment-completion report (kpr report): for a period (a quarter, January to
 * its last month, or a month, January to it) the year's list grouped one way, the lagging
 * projects, the missing reports, the notes and the headline.  Each section is one set-based
 * query in numeric (rates rounded there, half away from zero, only as the text people read);
 * report_out.c writes them in every form.
 *
 *     struct kpr_report r;
 *     if ((rc = kpr_report_fetch(conn, month, KPR_REPORT_BY_REGION, ~0u, &r)) != KPR_OK) return rc;
 *     rc = kpr_report_write(stdout, &r, &form);
 *     kpr_report_release(&r);
 *
 * Definitions (docs/reports.md): the list is project_year for the year, less the projects whose
 * latest pool move by the period's last day is a withdrawal (退库: to the pool marked withdrawn,
 * or to none).  Completed is
 * the sum of progress_current.amount over the year's months up to the period's month; the rate
 * is the completed of the projects with a plan over their plans.
 */
#ifndef KPR_REPORT_H
#define KPR_REPORT_H

#include <libpq-fe.h>
#include <stdio.h>

#include "batch.h"
#include "kpr.h"
#include "money.h"

/* --by: how the groups are made (the order of kpr_report_by_names) */
enum kpr_report_by {
	KPR_REPORT_BY_REGION, KPR_REPORT_BY_ZONE, KPR_REPORT_BY_SCENARIO, KPR_REPORT_BY_INDUSTRY,
	KPR_REPORT_BY_NATURE, KPR_REPORT_BY_LEVEL, KPR_REPORT_BY_COLOUR, KPR_REPORT_BY_POOL,
	KPR_REPORT_BY_LEADER, KPR_REPORT_BY_RESPONSIBLE, KPR_REPORT_BY_BAND, KPR_REPORT_BY_COUNT
};
extern const char *const kpr_report_by_names[KPR_REPORT_BY_COUNT];

/* --by band without the configuration's report_bands: FROM:CODE:NAME (FROM in 万元), highest
 * first, joined by '|' (config.h) */
#define KPR_REPORT_BANDS_DEFAULT "100000:ge10:10亿元及以上|10000:1to10:1–10亿元|0:lt1:1亿元以下"


/* The columns of the groups section, in the CSV contract's order, then kpr's own. */
enum kpr_report_group_col {
	KPR_RG_GROUP, KPR_RG_CODE, KPR_RG_PROJECTS, KPR_RG_TOTAL, KPR_RG_PLAN, KPR_RG_COMPLETED,
	KPR_RG_RATE, KPR_RG_TIME, KPR_RG_POINTS, KPR_RG_PLANNED, KPR_RG_STARTED, KPR_RG_START_RATE,
	KPR_RG_BLUE, KPR_RG_GREEN, KPR_RG_YELLOW, KPR_RG_RED, KPR_RG_UNRATED, KPR_RG_RANK,
	KPR_RG_CSV_COLS,
	KPR_RG_IS_TOTAL = KPR_RG_CSV_COLS,	/* "t" on the 合计 row (the last) */
	KPR_RG_NOT_EVALUATED,			/* projects without a colour for the month (no rules) */
	KPR_RG_COLS
};

/* The lagging list's columns */
enum kpr_report_lag_col {
	KPR_RL_CODE, KPR_RL_NAME, KPR_RL_REGION, KPR_RL_RESPONSIBLE, KPR_RL_LEADER, KPR_RL_COLOUR,
	KPR_RL_RATE, KPR_RL_BEHIND, KPR_RL_PROBLEMS, KPR_RL_COLS
};

/* The missing reports' columns */
enum kpr_report_miss_col {
	KPR_RM_REGION, KPR_RM_REGION_CODE, KPR_RM_CODE, KPR_RM_NAME, KPR_RM_RESPONSIBLE, KPR_RM_COLS
};

/* The notes' columns: kind ("withdrawn", "no_plan" or "on_the_fly"), code, name, detail (a
 * withdrawal's date and reason; on_the_fly: how many projects' colours were evaluated on the
 * fly, without code or name) */
enum kpr_report_note_col { KPR_RN_KIND, KPR_RN_CODE, KPR_RN_NAME, KPR_RN_DETAIL, KPR_RN_COLS };

/* --as-of's moment as given, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (with its NUL) */
#define KPR_REPORT_AS_OF_SIZE 20

struct kpr_report {
	int month;		/* the period's last month (month.h) */
	int quarter;		/* 1-4 when asked by quarter, else 0 */
	enum kpr_report_by by;
	char as_of[KPR_REPORT_AS_OF_SIZE];	/* --as-of's moment; "": the current figures */
	/* every cell text; money as whole yuan, rates as percent with one decimal ("-3.8") */
	struct kpr_batch_table groups;	/* the groups, then the 合计 row */
	struct kpr_batch_table lagging, missing, notes;
};

/*
 * Fetch every section of the report for the period ending with month, in one REPEATABLE READ
 * transaction (every section sees the same snapshot): the list and its figures computed once
 * into a temporary table, then one query a section.  as_of (NULL: the current figures) is a
 * moment from kpr_report_as_of_parse(): the figures as recorded then (docs/reports.md).
 * Database errors are printed and returned; on success r is released with kpr_report_release().
 */
int kpr_report_fetch(PGconn *conn, int month, enum kpr_report_by by, const char *as_of, unsigned sections,
		     struct kpr_report *r) KPR_WARN_UNUSED;

/* Check --as-of's value (YYYY-MM-DD or YYYY-MM-DDTHH:MM) into buf as the report keeps it;
 * KPR_EINPUT when it is not one. */
int kpr_report_as_of_parse(const char *s, char buf[KPR_REPORT_AS_OF_SIZE]) KPR_WARN_UNUSED;

/* The sections kpr_report_fetch() reads (the groups always: the headline and notes need the
 * total); those not asked for are left empty. */
enum { KPR_REPORT_WANT_LAGGING = 1, KPR_REPORT_WANT_MISSING = 2, KPR_REPORT_WANT_NOTES = 4 };
void kpr_report_release(struct kpr_report *r);

/* Which sections, the language of the headings, the unit: what kpr_report_write needs. */
enum kpr_report_format {
	KPR_REPORT_TABLE, KPR_REPORT_CSV, KPR_REPORT_JSON, KPR_REPORT_MD, KPR_REPORT_HTML,
	KPR_REPORT_XLSX,
};
enum kpr_report_section { KPR_REPORT_ALL, KPR_REPORT_GROUPS, KPR_REPORT_LAGGING, KPR_REPORT_MISSING };

struct kpr_report_form {
	enum kpr_report_format format;
	enum kpr_report_section section;	/* CSV: ALL is GROUPS */
	enum kpr_unit unit;			/* KPR_UNIT_YI or KPR_UNIT_WAN */
	bool bom;				/* CSV: a UTF-8 BOM first */
	bool english;				/* --lang en: headings, notes, headline */
};

/*
 * Write the report to out in the form asked.  Returns KPR_OK, or KPR_EFILE when out is in error
 * afterwards (nothing printed: the caller names the file).
 */
int kpr_report_write(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f) KPR_WARN_UNUSED;

/* The headline sentence in the official style ("1—9月,全市486个重点项目完成投资...。") into sb. */
struct kpr_strbuf;
void kpr_report_headline(const struct kpr_report *r, bool english, struct kpr_strbuf *sb);

/*
 * The words of the forms for people (report_out.c keeps them, one list), for the other writers.
 * kpr_report_heading: the heading of column col of a section (GROUPS: enum
 * kpr_report_group_col, its first the --by dimension's name; LAGGING: enum kpr_report_lag_col;
 * MISSING: enum kpr_report_miss_col).  kpr_report_colour_word: "red" → 红 (red), NULL for
 * anything else.  kpr_report_title: "2023年1—9月重点项目投资完成情况"; with details,
 * "按县(市、区),单位:亿元,序时进度75.0%" instead.  kpr_report_section_title: the title of the
 * lagging or missing section.  kpr_report_note: the k-th note (enum below) as a sentence into
 * sb; false when there is no such note.
 */
enum {
	KPR_REPORT_NOTE_WITHDRAWN, KPR_REPORT_NOTE_NO_PLAN, KPR_REPORT_NOTE_NOT_EVALUATED,
	KPR_REPORT_NOTE_ON_THE_FLY, KPR_REPORT_NOTE_AS_OF, KPR_REPORT_NOTES
};
enum kpr_report_word { KPR_RW_NONE, KPR_RW_NOTES, KPR_RW_TOTAL, KPR_RW_COUNT };
const char *kpr_report_word(enum kpr_report_word w, bool english);
const char *kpr_report_heading(const struct kpr_report *r, enum kpr_report_section s, int col, bool english);
const char *kpr_report_colour_word(const char *code, bool english);
void kpr_report_title(const struct kpr_report *r, const struct kpr_report_form *f, bool details,
		      struct kpr_strbuf *sb);
void kpr_report_section_title(const struct kpr_report *r, enum kpr_report_section s, bool english,
			      struct kpr_strbuf *sb);
bool kpr_report_note(const struct kpr_report *r, bool english, int k, struct kpr_strbuf *sb);

/* report_html.c: the whole report as one self-contained HTML5 page (inline CSS and SVG, no
 * script, prints on A4).  Returns as kpr_report_write. */
int kpr_report_write_html(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f) KPR_WARN_UNUSED;

/*
 * report_xlsx.c: the report as an XLSX workbook written to path (libxlsxwriter writes only to
 * a path); name is the file messages name.  Returns KPR_OK, or KPR_EFILE, printed.
 * kpr_report_write() with KPR_REPORT_XLSX writes it to a temporary file under TMPDIR and copies
 * that to out.  kpr_report_period: "1—9月" ("2023-01 to 2023-09") into buf.
 */
int kpr_report_write_xlsx(const char *path, const char *name, const struct kpr_report *r,
			  const struct kpr_report_form *f) KPR_WARN_UNUSED;
const char *kpr_report_period(const struct kpr_report *r, bool english, char *buf, size_t len);

#endif
