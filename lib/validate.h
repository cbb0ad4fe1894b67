/*
 * validate.h: checking one row of a project list or a progress report, without a database.
 *
 *     struct kpr_validator v = { .header = &h, .refdata = &rd, .year = 2023, .today = m,
 *                                .problem = print_it, .arg = NULL };
 *     struct kpr_project_row row;
 *     if (kpr_project_validate(&v, rec, &row) == 0) ... row is good ...
 *
 * Every problem in the row is reported through v.problem (line, column label, message), not
 * only the first; the return value is how many there were.  Text fields of the row point into
 * the record (trimmed in place) and live as long as it does.  Codes are checked for shape
 * here; whether a project exists is the importer's question.  This is the code path the
 * fuzzer drives (tests/fuzz/fuzz_import.c).
 */
#ifndef KPR_VALIDATE_H
#define KPR_VALIDATE_H

#include "columns.h"
#include "kpr.h"
#include "money.h"
#include "reader.h"
#include "refdata.h"

typedef void (*kpr_problem_fn)(void *arg, long line, const char *column, const char *message);

struct kpr_validator {
	const struct kpr_header *header;
	const struct kpr_refdata *refdata;
	enum kpr_unit unit;		/* for money columns whose header names none */
	int year;			/* the list's year (projects) */
	int today;			/* today's month: later months are in the future */
	kpr_problem_fn problem;
	void *arg;
};

#define KPR_MAX_SCENARIOS 16

struct kpr_project_row {
	long line;
	char *code, *name, *level, *nature, *industry, *owner, *responsible_unit, *leader, *scope, *remarks;
	const char *region_code;	/* resolved, from refdata */
	const char *zone_code;		/* NULL when none */
	int start_year, end_year;	/* 0 when not given */
	char planned_start[11];		/* "YYYY-MM-01", "" when not given */
	bool has_total, has_plan;
	int64_t total_investment, annual_plan;	/* yuan */
	int scenarios[KPR_MAX_SCENARIOS];	/* scenario ids, sorted, no repeats */
	int nscenarios;
};

struct kpr_progress_row {
	long line;
	char *code;
	int month;
	bool has_amount, has_ytd;
	int64_t amount, ytd;		/* yuan */
	char *progress, *problems, *adjustment_reason;
	char started[11];		/* "" when not given */
	char completed[11];		/* 竣工时间; "" when not given */
};

int kpr_project_validate(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_project_row *row);
int kpr_progress_validate(const struct kpr_validator *v, const struct kpr_record *rec, struct kpr_progress_row *row);

/* Report a problem through v->problem with printf formatting. */
void kpr_validator_report(const struct kpr_validator *v, long line, const char *column, const char *fmt, ...)
	KPR_PRINTF(4, 5);

#endif
